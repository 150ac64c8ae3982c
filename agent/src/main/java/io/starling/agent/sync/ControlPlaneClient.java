package io.starling.agent.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.starling.protocol.agent.CheckInRequest;
import io.starling.protocol.agent.CheckInResponse;
import io.starling.protocol.agent.DeploymentStatusReport;
import io.starling.protocol.agent.EnrollRequest;
import io.starling.protocol.agent.EnrollResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The agent's side of {@code /api/agent/v1}. One method per call; every failure becomes a
 * {@link ControlPlaneException} with the HTTP status and the problem's one-line detail. Every
 * body is read through {@link BoundedBody}: capped per kind of answer, and complete within the
 * call's deadline, or not used at all.
 */
public final class ControlPlaneClient {

    static final String BASE = "/api/agent/v1";
    /** The whole of one call, headers and body, when the caller names no deadline. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(2);

    private final URI server;
    private final TokenSource tokens;
    private final ObjectMapper json;
    private final Duration timeout;
    private final Duration deadline;
    private final Transport transport;
    private final HttpClient http;

    /** With {@link Transport#defaults()}: the JDK's trust store, plain http on loopback only. */
    public ControlPlaneClient(URI server, TokenSource tokens, ObjectMapper json, Duration timeout) {
        this(server, tokens, json, timeout, Transport.defaults());
    }

    /** @throws IllegalArgumentException when {@code transport} forbids sending credentials to {@code server} */
    public ControlPlaneClient(URI server, TokenSource tokens, ObjectMapper json, Duration timeout, Transport transport) {
        this(server, tokens, json, timeout, DEFAULT_DEADLINE, transport);
    }

    /**
     * @param timeout  to connect, and until the answer's headers arrive
     * @param deadline the whole call, body included: a body still arriving then is cut off
     * @throws IllegalArgumentException when {@code transport} forbids sending credentials to {@code server}
     */
    public ControlPlaneClient(URI server, TokenSource tokens, ObjectMapper json, Duration timeout, Duration deadline,
            Transport transport) {
        this.server = transport.require(server, "The control plane URL");
        this.tokens = tokens;
        this.json = json;
        this.timeout = timeout.compareTo(deadline) < 0 ? timeout : deadline;
        this.deadline = deadline;
        this.transport = transport;
        this.http = transport.httpClient().connectTimeout(timeout).build();
    }

    /** The one unauthenticated call: the enrollment token is the credential. */
    public static EnrollResponse enroll(URI server, EnrollRequest request, ObjectMapper json, Duration timeout,
            Transport transport) {
        ControlPlaneClient anonymous = new ControlPlaneClient(server, null, json, timeout, transport);
        return anonymous.send("POST", BASE + "/enroll", request, EnrollResponse.class, BoundedBody.Kind.ENROLLMENT, false);
    }

    public CheckInResponse checkIn(CheckInRequest request) {
        return send("POST", BASE + "/check-in", request, CheckInResponse.class, BoundedBody.Kind.CHECK_IN, true);
    }

    public void report(String deploymentId, DeploymentStatusReport report) {
        send("POST", BASE + "/deployments/" + URLEncoder.encode(deploymentId, StandardCharsets.UTF_8) + "/status",
                report, JsonNode.class, BoundedBody.Kind.REPORT, true);
    }

    /** This agent's own .torrent for an artifact, at the path the check-in named. */
    public byte[] torrent(String torrentPath) {
        if (!torrentPath.startsWith(BASE + "/")) {
            throw new ControlPlaneException(400, "Refusing a torrent path outside the agent API: " + torrentPath, null);
        }
        return exchange(request(torrentPath, true).GET().build(), BoundedBody.Kind.TORRENT, true);
    }

    private <T> T send(String method, String path, Object body, Class<T> type, BoundedBody.Kind kind,
            boolean authenticated) {
        byte[] payload;
        try {
            payload = json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write " + body.getClass().getSimpleName(), e);
        }
        HttpRequest request = request(path, authenticated)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(payload))
                .build();
        byte[] answer = exchange(request, kind, authenticated);
        try {
            return json.readValue(answer, type);
        } catch (IOException e) {
            throw new ControlPlaneException(200, "Unreadable answer from " + path + ": " + e.getMessage(), e);
        }
    }

    private HttpRequest.Builder request(String path, boolean authenticated) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(server.resolve(path)).timeout(timeout)
                .header("Accept", "application/json, application/problem+json, application/x-bittorrent");
        if (authenticated) {
            builder.header("Authorization", "Bearer " + tokens.accessToken());
        }
        return builder;
    }

    /** The 2xx answer's whole body, within its cap and the call's deadline. */
    private byte[] exchange(HttpRequest request, BoundedBody.Kind kind, boolean authenticated) {
        Instant end = Clock.systemUTC().instant().plus(deadline);
        HttpResponse<InputStream> response = exchangeOnce(request);
        if (response.statusCode() == 401 && authenticated) {
            BoundedBody.prefix(response.body(), BoundedBody.Kind.PROBLEM, end, Clock.systemUTC());
            // A token may have been revoked or rotated under us: one more try with a fresh one.
            tokens.invalidate();
            HttpRequest retry = HttpRequest.newBuilder(request, (name, value) -> !name.equalsIgnoreCase("Authorization"))
                    .header("Authorization", "Bearer " + tokens.accessToken()).build();
            end = Clock.systemUTC().instant().plus(deadline);
            response = exchangeOnce(retry);
        }
        if (response.statusCode() / 100 != 2) {
            byte[] problem = BoundedBody.prefix(response.body(), BoundedBody.Kind.PROBLEM, end, Clock.systemUTC());
            throw new ControlPlaneException(response.statusCode(), request.method() + " " + request.uri().getPath()
                    + ": " + response.statusCode() + " " + detailOf(problem), null);
        }
        try {
            return BoundedBody.read(response.body(), response.headers().firstValueAsLong("Content-Length").orElse(-1),
                    kind, end, Clock.systemUTC());
        } catch (IOException e) {
            // Status 0: like an unreachable control plane, the call is tried again later.
            throw new ControlPlaneException(0, request.method() + " " + request.uri().getPath() + ": "
                    + (e instanceof BoundedBody.RefusedException ? e.getMessage() : transport.explain(server, e)), e);
        }
    }

    private HttpResponse<InputStream> exchangeOnce(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new ControlPlaneException(0, "Control plane " + transport.explain(server, e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlPlaneException(0, "Interrupted while calling " + server, e);
        }
    }

    private String detailOf(byte[] body) {
        try {
            JsonNode problem = json.readTree(body);
            if (problem != null && problem.hasNonNull("detail")) {
                return problem.get("detail").asText();
            }
            if (problem != null && problem.hasNonNull("title")) {
                return problem.get("title").asText();
            }
        } catch (IOException | RuntimeException e) {
            // Not JSON: fall through to a bounded piece of the raw body.
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
