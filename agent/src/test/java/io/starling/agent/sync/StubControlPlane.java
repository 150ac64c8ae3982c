package io.starling.agent.sync;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.starling.protocol.agent.CheckInRequest;
import io.starling.protocol.agent.CheckInResponse;
import io.starling.protocol.agent.DeploymentState;
import io.starling.protocol.agent.DeploymentStatusReport;
import io.starling.protocol.agent.DesiredDeployment;
import io.starling.protocol.agent.SignedAssignment;
import io.starling.protocol.assignment.AssignedDeployment;
import io.starling.protocol.assignment.Assignment;
import io.starling.protocol.assignment.AssignmentSigner;
import io.starling.protocol.keys.SignedKeySet;
import io.starling.protocol.manifest.CanonicalJson;
import io.starling.protocol.manifest.Ed25519Keys;
import io.starling.protocol.manifest.Manifest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent API of a control plane, in the test's process: answers check-ins with whatever
 * deployments the test sets (hostile ones included, since nothing here validates them), signs an
 * assignment naming exactly those for the agent under test (with {@link TestAgent#KEYS}, as a
 * control plane holding the manifest key would), serves the torrents the test registers for any
 * deployment, and records every status report. A test can also make it misbehave as someone
 * between agent and control plane would: leave the statement out, sign it for another agent,
 * add deployments it does not name, replay an old answer, or answer nothing.
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
    private final AssignmentSigner signer = new AssignmentSigner(TestAgent.KEYS.getPrivate(),
            Ed25519Keys.keyId(TestAgent.KEYS.getPublic()));
    private final AtomicLong statementSequence = new AtomicLong(System.currentTimeMillis());
    private volatile String statementFor = TestAgent.AGENT_ID;
    private volatile Duration statementValidity = Duration.ofHours(1);
    private volatile List<DesiredDeployment> unassigned = List.of();
    private volatile List<DesiredDeployment> named;
    private volatile byte[] lastAnswer;
    private volatile byte[] replay;
    private volatile boolean withhold;
    private volatile SignedKeySet keySet;
    private final List<CheckInRequest> checkInRequests = new CopyOnWriteArrayList<>();

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

    /** Signs the following answers' assignments for this agent id; null leaves the assignment out. */
    void signFor(String agentId) {
        statementFor = agentId;
    }

    void statementValidity(Duration validity) {
        statementValidity = validity;
    }

    /** Deployments the following answers carry but their assignments do not name. */
    void alsoUnassigned(DesiredDeployment... desired) {
        unassigned = List.of(desired);
    }

    /** The following assignments name these, whatever the answers list (null: what they list). */
    void assignOnly(DesiredDeployment... desired) {
        named = desired == null ? null : List.of(desired);
    }

    /** The body of the last check-in answer sent. */
    byte[] lastAnswer() {
        return lastAnswer.clone();
    }

    /** Every following check-in gets exactly this body; null goes back to answering afresh. */
    void replay(byte[] answer) {
        replay = answer == null ? null : answer.clone();
    }

    /** The key set the following answers carry (null for none). */
    void keySet(SignedKeySet set) {
        keySet = set;
    }

    /** Every check-in request received, in order. */
    List<CheckInRequest> checkInRequests() {
        return List.copyOf(checkInRequests);
    }

    /** Every following check-in gets a 503: answers withheld. */
    void withhold() {
        withhold = true;
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
                checkInRequests.add(JSON.readValue(ex.getRequestBody().readAllBytes(), CheckInRequest.class));
                checkIns.incrementAndGet();
                if (withhold) {
                    respond(ex, 503, "application/problem+json", "{\"status\":503}".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                byte[] body = replay != null ? replay : checkInAnswer(Instant.now());
                lastAnswer = body;
                respond(ex, 200, "application/json", body);
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

    private byte[] checkInAnswer(Instant now) throws IOException {
        List<DesiredDeployment> listed = deployments;
        List<DesiredDeployment> signed = named != null ? named : listed;
        SignedAssignment statement = statementFor == null ? null : signer.sign(new Assignment(Assignment.FORMAT, statementFor,
                statementSequence.incrementAndGet(), now, now.plus(statementValidity), null,
                signed.stream().map(StubControlPlane::assigned).toList()));
        List<DesiredDeployment> all = new java.util.ArrayList<>(listed);
        all.addAll(unassigned);
        return JSON.writeValueAsBytes(new CheckInResponse(TestAgent.AGENT_ID, null, all, List.of(), null,
                now.plus(interval), now, keySet, statement));
    }

    /** What a control plane's assignment says of a deployment it lists; whatever the names are. */
    private static AssignedDeployment assigned(DesiredDeployment d) {
        byte[] manifest;
        try {
            manifest = Base64.getDecoder().decode(d.manifest());
        } catch (RuntimeException e) {
            manifest = new byte[0];
        }
        long sequence;
        try {
            sequence = CanonicalJson.read(manifest, Manifest.class).sequence();
        } catch (RuntimeException e) {
            sequence = 0;
        }
        return new AssignedDeployment(String.valueOf(d.id()), String.valueOf(d.product()), String.valueOf(d.version()),
                sequence, AssignmentSigner.manifestDigest(manifest), d.install().downloadOnly(),
                d.state() == DeploymentState.CANCELLED);
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
