package io.starling.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real Keycloak of the quick start, started through {@code deploy/keycloak/start.sh} when it
 * is not already running, and stopped afterwards only if this run started it.
 */
public final class Keycloak implements AutoCloseable {

    /**
     * The shared one on 8180, unless {@code -Dstarling.e2e.keycloak-url} names another (one started
     * with {@code KEYCLOAK_PORT=… deploy/keycloak/start.sh}, e.g. to try a changed realm file while
     * the shared Keycloak still holds the old one).
     */
    public static final String URL = System.getProperty("starling.e2e.keycloak-url", "http://127.0.0.1:8180");
    public static final String REALM_URL = URL + "/realms/starling";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

    private final Path repo;
    private final boolean startedHere;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Keycloak(Path repo, boolean startedHere) {
        this.repo = repo;
        this.startedHere = startedHere;
    }

    public static Keycloak ensureRunning(Path repo) throws IOException, InterruptedException {
        boolean running = answers();
        if (!running) {
            Processes.run(repo, Duration.ofMinutes(6), repo.resolve("deploy/keycloak/start.sh").toString());
        }
        return new Keycloak(repo, !running);
    }

    static boolean answers() {
        try {
            HttpResponse<Void> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(REALM_URL + "/.well-known/openid-configuration"))
                            .timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** A token for a demo user through the starling-cli client's password grant, as the README does. */
    public String password(String user, String password) throws IOException, InterruptedException {
        String form = "grant_type=password&client_id=starling-cli&username=" + enc(user) + "&password=" + enc(password);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(REALM_URL + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = ACCESS_TOKEN.matcher(r.body());
        if (r.statusCode() != 200 || !m.find()) {
            throw new IllegalStateException("Keycloak refused the password grant for " + user + ": " + r.body());
        }
        return m.group(1);
    }

    /**
     * Lets the console's client (starling-admin-ui) redirect back to {@code origin} until the result
     * is closed. The realm only lists the quick start's port, and Keycloak compares ports exactly;
     * a test's control plane runs on a free port so that it never meets another build's. Goes
     * through the master realm's bootstrap admin that deploy/keycloak/start.sh creates.
     */
    public AutoCloseable allowConsoleAt(String origin) throws IOException, InterruptedException {
        String redirect = origin + "/*";
        editConsoleClient(uris -> uris.add(redirect));
        return () -> editConsoleClient(uris -> uris.remove(redirect));
    }

    private void editConsoleClient(Consumer<Set<String>> change)
            throws IOException, InterruptedException {
        String admin = adminToken();
        String clients = REALM_URL.replace("/realms/", "/admin/realms/") + "/clients";
        JsonNode found = JSON.readTree(send(HttpRequest.newBuilder(URI.create(clients + "?clientId=starling-admin-ui")), admin, 200));
        ObjectNode client = (ObjectNode) found.get(0);
        Set<String> uris = new LinkedHashSet<>();
        client.withArray("redirectUris").forEach(u -> uris.add(u.asText()));
        change.accept(uris);
        ArrayNode updated = client.putArray("redirectUris");
        uris.forEach(updated::add);
        send(HttpRequest.newBuilder(URI.create(clients + "/" + client.get("id").asText()))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(client))), admin, 204);
    }

    private String adminToken() throws IOException, InterruptedException {
        String user = System.getenv().getOrDefault("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        String password = System.getenv().getOrDefault("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin");
        String form = "grant_type=password&client_id=admin-cli&username=" + enc(user) + "&password=" + enc(password);
        String body = send(HttpRequest.newBuilder(URI.create(URL + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)), null, 200);
        return JSON.readTree(body).get("access_token").asText();
    }

    private String send(HttpRequest.Builder request, String bearer, int expected) throws IOException, InterruptedException {
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IllegalStateException("Keycloak answered " + r.statusCode() + " to " + r.request().uri() + ": " + r.body());
        }
        return r.body();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (startedHere) {
            Processes.run(repo, Duration.ofMinutes(1), repo.resolve("deploy/keycloak/stop.sh").toString());
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
