package io.starling.agent.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.starling.protocol.agent.CheckInRequest;
import io.starling.protocol.agent.CheckInResponse;
import io.starling.protocol.agent.DeploymentStatusReport;
import io.starling.protocol.agent.EnrollRequest;
import io.starling.protocol.agent.EnrollResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The agent's side of {@code /api/agent/v1}. One method per call; every failure becomes a
 * {@link ControlPlaneException} with the HTTP status and the problem's one-line detail.
 */
public final class ControlPlaneClient {

    static final String BASE = "/api/agent/v1";
    private static final int MAX_TORRENT_BYTES = 16 * 1024 * 1024;

    private final URI server;
    private final TokenSource tokens;
    private final ObjectMapper json;
    private final Duration timeout;
    private final Transport transport;
    private final HttpClient http;

    /** With {@link Transport#defaults()}: the JDK's trust store, plain http on loopback only. */
    public ControlPlaneClient(URI server, TokenSource tokens, ObjectMapper json, Duration timeout) {
        this(server, tokens, json, timeout, Transport.defaults());
    }

    /** @throws IllegalArgumentException when {@code transport} forbids sending credentials to {@code server} */
    public ControlPlaneClient(URI server, TokenSource tokens, ObjectMapper json, Duration timeout, Transport transport) {
        this.server = transport.require(server, "The control plane URL");
        this.tokens = tokens;
        this.json = json;
        this.timeout = timeout;
        this.transport = transport;
        this.http = transport.httpClient().connectTimeout(timeout).build();
    }

    /** The one unauthenticated call: the enrollment token is the credential. */
    public static EnrollResponse enroll(URI server, EnrollRequest request, ObjectMapper json, Duration timeout,
            Transport transport) {
        ControlPlaneClient anonymous = new ControlPlaneClient(server, null, json, timeout, transport);
        return anonymous.send("POST", BASE + "/enroll", request, EnrollResponse.class, false);
    }

    public CheckInResponse checkIn(CheckInRequest request) {
        return send("POST", BASE + "/check-in", request, CheckInResponse.class, true);
    }

    public void report(String deploymentId, DeploymentStatusReport report) {
        send("POST", BASE + "/deployments/" + URLEncoder.encode(deploymentId, StandardCharsets.UTF_8) + "/status",
                report, JsonNode.class, true);
    }

    /** This agent's own .torrent for an artifact, at the path the check-in named. */
    public byte[] torrent(String torrentPath) {
        if (!torrentPath.startsWith(BASE + "/")) {
            throw new ControlPlaneException(400, "Refusing a torrent path outside the agent API: " + torrentPath, null);
        }
        HttpResponse<byte[]> response = exchange(request(torrentPath, true).GET().build(), true);
        if (response.body().length > MAX_TORRENT_BYTES) {
            throw new ControlPlaneException(response.statusCode(), "Torrent larger than " + MAX_TORRENT_BYTES + " bytes", null);
        }
        return response.body();
    }

    private <T> T send(String method, String path, Object body, Class<T> type, boolean authenticated) {
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
        HttpResponse<byte[]> response = exchange(request, authenticated);
        try {
            return json.readValue(response.body(), type);
        } catch (IOException e) {
            throw new ControlPlaneException(response.statusCode(), "Unreadable answer from " + path + ": " + e.getMessage(), e);
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

    private HttpResponse<byte[]> exchange(HttpRequest request, boolean authenticated) {
        HttpResponse<byte[]> response = exchangeOnce(request);
        if (response.statusCode() == 401 && authenticated) {
            // A token may have been revoked or rotated under us: one more try with a fresh one.
            tokens.invalidate();
            HttpRequest retry = HttpRequest.newBuilder(request, (name, value) -> !name.equalsIgnoreCase("Authorization"))
                    .header("Authorization", "Bearer " + tokens.accessToken()).build();
            response = exchangeOnce(retry);
        }
        if (response.statusCode() / 100 != 2) {
            throw new ControlPlaneException(response.statusCode(), request.method() + " " + request.uri().getPath()
                    + ": " + response.statusCode() + " " + detailOf(response.body()), null);
        }
        return response;
    }

    private HttpResponse<byte[]> exchangeOnce(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
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
