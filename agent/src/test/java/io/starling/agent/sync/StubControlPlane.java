package io.starling.agent.sync;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.starling.protocol.agent.CheckInResponse;
import io.starling.protocol.agent.DeploymentState;
import io.starling.protocol.agent.DeploymentStatusReport;
import io.starling.protocol.agent.DesiredDeployment;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent API of a control plane, in the test's process: answers check-ins with whatever
 * deployments the test sets (hostile ones included, since nothing here validates them), serves
 * the torrents the test registers for any deployment, and records every status report.
 */
final class StubControlPlane implements AutoCloseable {

    /** Configured as Quarkus configures the agent's mapper. */
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static final String BASE = "/api/agent/v1";
    private static final Pattern STATUS = Pattern.compile(BASE + "/deployments/([^/]+)/status");
    private static final Pattern TORRENT = Pattern.compile(BASE + "/deployments/([^/]+)/artifacts/([^/]+)/torrent");

    /** One status report, under the deployment id as the agent sent it (URL-decoded). */
    record Report(String deploymentId, DeploymentStatusReport report) {
    }

    private final HttpServer server;
    private final Duration interval;
    private volatile List<DesiredDeployment> deployments = List.of();
    private final Map<String, byte[]> torrents = new ConcurrentHashMap<>();
    private final List<Report> reports = new CopyOnWriteArrayList<>();
    private final AtomicInteger checkIns = new AtomicInteger();

    /** @param interval how soon the agent is asked to check in again */
    StubControlPlane(Duration interval) throws IOException {
        this.interval = interval;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext(BASE + "/", this::handle);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** What every following check-in answers. */
    void answer(DesiredDeployment... desired) {
        deployments = List.of(desired);
    }

    /** The .torrent served for {@code artifact}, whatever the deployment. */
    void torrent(String artifact, byte[] bytes) {
        torrents.put(artifact, bytes);
    }

    int checkIns() {
        return checkIns.get();
    }

    List<Report> reports() {
        return List.copyOf(reports);
    }

    /** The states reported for one deployment, in order, a progress update not repeating its state. */
    List<DeploymentState> statesOf(String deploymentId) {
        List<DeploymentState> states = new java.util.ArrayList<>();
        for (Report r : reports) {
            if (r.deploymentId().equals(deploymentId)
                    && (states.isEmpty() || states.get(states.size() - 1) != r.report().state())) {
                states.add(r.report().state());
            }
        }
        return states;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            Matcher status = STATUS.matcher(path);
            Matcher torrent = TORRENT.matcher(path);
            if (path.equals(BASE + "/check-in") && ex.getRequestMethod().equals("POST")) {
                ex.getRequestBody().readAllBytes();
                checkIns.incrementAndGet();
                Instant now = Instant.now();
                respond(ex, 200, "application/json", JSON.writeValueAsBytes(new CheckInResponse(
                        "agent-under-test", null, deployments, List.of(), null, now.plus(interval), now, null)));
            } else if (status.matches() && ex.getRequestMethod().equals("POST")) {
                reports.add(new Report(decode(status.group(1)),
                        JSON.readValue(ex.getRequestBody().readAllBytes(), DeploymentStatusReport.class)));
                respond(ex, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
            } else if (torrent.matches() && torrents.containsKey(decode(torrent.group(2)))) {
                respond(ex, 200, "application/x-bittorrent", torrents.get(decode(torrent.group(2))));
            } else {
                respond(ex, 404, "application/problem+json",
                        "{\"status\":404,\"detail\":\"not in the stub\"}".getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment, StandardCharsets.UTF_8);
    }

    private static void respond(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
