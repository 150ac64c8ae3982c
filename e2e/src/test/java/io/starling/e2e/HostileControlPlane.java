package io.starling.e2e;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.starling.protocol.agent.CheckInRequest;
import io.starling.protocol.agent.CheckInResponse;
import io.starling.protocol.agent.DeploymentStatusReport;
import io.starling.protocol.agent.DesiredDeployment;
import io.starling.protocol.agent.EnrollResponse;
import io.starling.protocol.agent.SignedAssignment;
import io.starling.protocol.agent.TrustedKey;
import io.starling.protocol.assignment.AssignedDeployment;
import io.starling.protocol.assignment.Assignment;
import io.starling.protocol.assignment.AssignmentSigner;
import io.starling.protocol.manifest.CanonicalJson;
import io.starling.protocol.manifest.Ed25519Keys;
import io.starling.protocol.manifest.Manifest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A control plane run by an attacker, as far as the agent can tell: it enrolls the agent with a
 * manifest key the test holds (so everything it signs is "genuine"), hands out tokens, and
 * answers check-ins from a queue of one-shot answers the test fills, or with a quiet, validly
 * signed "nothing to do" when the queue is empty. It records every check-in request and status
 * report, which is how the agent tells a control plane what it refused.
 */
final class HostileControlPlane implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static final String BASE = "/api/agent/v1";
    private static final Pattern STATUS = Pattern.compile(BASE + "/deployments/([^/]+)/status");
    /** How soon the agent is asked to check in again. */
    private static final Duration INTERVAL = Duration.ofMillis(300);

    /** One status report, under the deployment id the agent sent it for. */
    record Report(String deploymentId, DeploymentStatusReport report) {
    }

    /** What to do with one check-in: answer it (given this server), or misbehave on the exchange itself. */
    interface Answer {
        void respond(HostileControlPlane server, HttpExchange exchange) throws IOException;
    }

    final KeyPair keys = Ed25519Keys.generate();
    final String agentId = UUID.randomUUID().toString();
    private final AssignmentSigner signer = new AssignmentSigner(keys.getPrivate(), Ed25519Keys.keyId(keys.getPublic()));
    private final AtomicLong sequence = new AtomicLong(1000);
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "hostile-control-plane");
        t.setDaemon(true);
        return t;
    });
    private final Queue<Answer> next = new ConcurrentLinkedQueue<>();
    private final List<CheckInRequest> checkIns = new CopyOnWriteArrayList<>();
    private final List<Report> reports = new CopyOnWriteArrayList<>();
    private volatile Duration validity = Duration.ofHours(1);
    private volatile boolean withhold;

    HostileControlPlane() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        // A trickling answer holds its thread for seconds: the others must not wait behind it.
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The SHA-256 fingerprint of the manifest key, as an admin would read it off the console. */
    String keyFingerprint() {
        return Ed25519Keys.fingerprint(keys.getPublic());
    }

    /** The next check-in gets this; later ones the quiet answer again. */
    void once(Answer answer) {
        next.add(answer);
    }

    /** How long the following quiet answers' assignments stay valid. */
    void validity(Duration value) {
        validity = value;
    }

    /** Every following check-in gets a 503 (true), or answers again (false). */
    void withhold(boolean value) {
        withhold = value;
    }

    List<CheckInRequest> checkIns() {
        return List.copyOf(checkIns);
    }

    List<Report> reports() {
        return List.copyOf(reports);
    }

    List<Report> reportsOf(String deploymentId) {
        return reports.stream().filter(r -> r.deploymentId().equals(deploymentId)).toList();
    }

    /** An assignment naming {@code deployments} as they are listed, for {@code forAgent}, valid from {@code issued}. */
    SignedAssignment assignment(String forAgent, Instant issued, Duration valid, List<DesiredDeployment> deployments,
            AssignmentSigner by) {
        return by.sign(new Assignment(Assignment.FORMAT, forAgent, sequence.incrementAndGet(), issued, issued.plus(valid),
                null, deployments.stream().map(HostileControlPlane::assigned).toList()));
    }

    SignedAssignment assignment(List<DesiredDeployment> deployments) {
        return assignment(agentId, Instant.now(), validity, deployments, signer);
    }

    /** A check-in answer listing {@code deployments} under {@code assignment} (null: none at all). */
    byte[] answer(List<DesiredDeployment> deployments, SignedAssignment assignment) throws IOException {
        Instant now = Instant.now();
        return JSON.writeValueAsBytes(new CheckInResponse(agentId, null, deployments, List.of(trustedKey()), null,
                now.plus(INTERVAL), now, null, assignment));
    }

    /** An answer whose assignment, signed with the pinned key, names every deployment it lists. */
    static Answer signed(List<DesiredDeployment> deployments) {
        return (server, ex) -> respond(ex, 200, server.answer(deployments, server.assignment(deployments)));
    }

    private TrustedKey trustedKey() {
        return new TrustedKey(Ed25519Keys.keyId(keys.getPublic()), Ed25519Keys.toPem(keys.getPublic()));
    }

    /** What a control plane's assignment says of a deployment it lists, whatever its names are. */
    private static AssignedDeployment assigned(DesiredDeployment d) {
        byte[] manifest = Base64.getDecoder().decode(d.manifest());
        long seq = CanonicalJson.read(manifest, Manifest.class).sequence();
        return new AssignedDeployment(d.id(), d.product(), d.version(), seq, AssignmentSigner.manifestDigest(manifest),
                false, false);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            byte[] body = ex.getRequestBody().readAllBytes();
            Matcher status = STATUS.matcher(path);
            if (path.equals("/token")) {
                respond(ex, 200, """
                        {"access_token":"hostile","token_type":"Bearer","expires_in":3600}""".getBytes(StandardCharsets.UTF_8));
            } else if (path.equals(BASE + "/enroll")) {
                respond(ex, 200, JSON.writeValueAsBytes(new EnrollResponse(agentId, "agent-client", "secret",
                        url() + "/token", "passkey", List.of(trustedKey()), null, List.of())));
            } else if (path.equals(BASE + "/check-in")) {
                checkIns.add(JSON.readValue(body, CheckInRequest.class));
                Answer answer = withhold ? null : next.poll();
                if (withhold) {
                    respond(ex, 503, "{\"status\":503,\"detail\":\"withheld\"}".getBytes(StandardCharsets.UTF_8));
                } else if (answer != null) {
                    answer.respond(this, ex);
                } else {
                    signed(List.of()).respond(this, ex);
                }
            } else if (status.matches()) {
                reports.add(new Report(URLDecoder.decode(status.group(1), StandardCharsets.UTF_8),
                        JSON.readValue(body, DeploymentStatusReport.class)));
                respond(ex, 200, "{}".getBytes(StandardCharsets.UTF_8));
            } else {
                respond(ex, 404, "{\"status\":404}".getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // The agent hung up on an answer it would not take: what the endless and slow answers expect.
        }
    }

    static void respond(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", status == 200 ? "application/json" : "application/problem+json");
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }

    /** Headers, then {@code chunk} every {@code pause}, until {@code total} bytes or the agent hangs up. */
    static Answer streaming(byte[] chunk, long total, Duration pause) {
        return (server, ex) -> {
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            out.write('{');
            for (long sent = 1; sent < total; sent += chunk.length) {
                out.write(chunk);
                out.flush();
                if (!pause.isZero()) {
                    try {
                        Thread.sleep(pause.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        };
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
