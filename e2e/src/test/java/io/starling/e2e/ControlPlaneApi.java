package io.starling.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;

/** The management API as an admin uses it, with tokens from the real Keycloak. */
public final class ControlPlaneApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Supplier<String> url;
    private final Keycloak keycloak;
    private String token;
    private long tokenAt;

    public ControlPlaneApi(Supplier<String> url, Keycloak keycloak) {
        this.url = url;
        this.keycloak = keycloak;
    }

    String url() {
        return url.get();
    }

    synchronized String token() {
        // Keycloak's access tokens live 5 minutes; these tests run longer than that.
        if (token == null || System.nanoTime() - tokenAt > Duration.ofMinutes(1).toNanos()) {
            try {
                token = keycloak.password("admin", "admin");
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
            tokenAt = System.nanoTime();
        }
        return token;
    }

    public JsonNode post(String path, Object body, int expectedStatus) {
        return read(send("POST", path, "application/json", json(body)), expectedStatus, "POST " + path);
    }

    /** A PUT of a JSON body given as bytes (a file an admin would upload with curl --data @file). */
    public JsonNode put(String path, byte[] json, int expectedStatus) {
        return read(send("PUT", path, "application/json", json), expectedStatus, "PUT " + path);
    }

    public JsonNode get(String path) {
        return read(send("GET", path, null, null), 200, "GET " + path);
    }

    /** A POST the control plane must refuse: checks the status and that the body is problem+json, and returns it. */
    public JsonNode refusedPost(String path, int expectedStatus) {
        HttpResponse<byte[]> r = send("POST", path, "application/json", json(Map.of()));
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("application/problem+json")) {
            throw new IllegalStateException("POST " + path + ": expected problem+json, got " + type + " " + r.statusCode()
                    + " " + text(r));
        }
        return read(r, expectedStatus, "POST " + path);
    }

    public String enrollmentToken(int uses) {
        return post("/enrollment-tokens", Map.of("uses", uses, "expiresInSeconds", 3600), 201).get("token").asText();
    }

    /** Creates the product if needed, then a release with one artifact, and publishes it. */
    public void publish(String product, String version, String artifact, byte[] data, Map<String, Object> install) {
        draft(product, version, install);
        HttpResponse<byte[]> upload = send("PUT", "/products/" + product + "/releases/" + version + "/artifacts/" + artifact,
                "application/octet-stream", data);
        read(upload, upload.statusCode() == 200 ? 200 : 201, "upload");
        post("/products/" + product + "/releases/" + version + "/publish", Map.of(), 200);
    }

    /**
     * As {@link #publish}, with the artifact sent as an upload in parts (as the console sends it),
     * each part of the size the control plane names, and completed, all through this API's URL.
     */
    public void publishInParts(String product, String version, String artifact, byte[] data, Map<String, Object> install) {
        draft(product, version, install);
        String uploads = "/products/" + product + "/releases/" + version + "/artifacts/" + artifact + "/uploads";
        JsonNode upload = post(uploads, Map.of("size", data.length), 201);
        String id = upload.get("uploadId").asText();
        int partSize = upload.get("partSize").asInt();
        for (int n = 1; n <= upload.get("parts").asInt(); n++) {
            int from = (n - 1) * partSize;
            byte[] part = java.util.Arrays.copyOfRange(data, from, Math.min(data.length, from + partSize));
            read(send("PUT", uploads + "/" + id + "/parts/" + n, "application/octet-stream", part), 200, "part " + n);
        }
        post(uploads + "/" + id + "/complete", Map.of(), 201);
        post("/products/" + product + "/releases/" + version + "/publish", Map.of(), 200);
    }

    private void draft(String product, String version, Map<String, Object> install) {
        HttpResponse<byte[]> p = send("POST", "/products", "application/json", json(Map.of("name", product)));
        if (p.statusCode() != 201 && p.statusCode() != 409) {
            throw new IllegalStateException("create product " + product + ": " + p.statusCode() + " " + text(p));
        }
        post("/products/" + product + "/releases", install == null ? Map.of("version", version)
                : Map.of("version", version, "install", install), 201);
    }

    private HttpResponse<byte[]> send(String method, String path, String contentType, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + "/api/v1" + path))
                .header("Authorization", "Bearer " + token())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] json(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    public List<String> deploy(String product, String version, String... agentIds) {
        JsonNode created = post("/deployments", Map.of("product", product, "version", version, "agentIds",
                List.of(agentIds)), 201).get("created");
        List<String> ids = new ArrayList<>();
        created.forEach(c -> ids.add(c.get("deploymentId").asText()));
        if (ids.size() != agentIds.length) {
            throw new IllegalStateException("expected " + agentIds.length + " deployments, got " + created);
        }
        return ids;
    }

    JsonNode deploymentOf(String product, String version, String agentId) {
        for (JsonNode d : get("/deployments?product=" + product + "&version=" + version)) {
            if (d.get("agentId").asText().equals(agentId)) {
                return d;
            }
        }
        throw new IllegalStateException("no deployment of " + product + " " + version + " for agent " + agentId);
    }

    /** Polls until the agent's deployment is in {@code state}; fails early on another final state. */
    JsonNode awaitDeployment(String product, String version, AgentProcess agent, String state, Duration timeout)
            throws Exception {
        try {
            return await().atMost(timeout).pollInterval(Duration.ofMillis(500)).until(() -> {
                JsonNode d = deploymentOf(product, version, agent.agentId());
                String now = d.get("state").asText();
                if (!now.equals(state) && List.of("INSTALLED", "FAILED", "CANCELLED").contains(now)) {
                    throw new AssertionError("deployment of " + product + " " + version + " ended " + now + ", not "
                            + state + ": " + d + "\nagent log:\n" + tail(agent.logText()));
                }
                return d;
            }, d -> d.get("state").asText().equals(state));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("deployment of " + product + " " + version + " not " + state + ": " + e.getMessage()
                    + "\nagent log:\n" + tail(agent.logText()), e);
        }
    }

    public static String tail(String text) {
        String[] lines = text.split("\n");
        return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 30), lines.length));
    }

    private static JsonNode read(HttpResponse<byte[]> r, int expectedStatus, String what) {
        if (r.statusCode() != expectedStatus) {
            throw new IllegalStateException(what + ": expected " + expectedStatus + ", got " + r.statusCode() + " " + text(r));
        }
        try {
            return r.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(what + ": not JSON", e);
        }
    }
}
