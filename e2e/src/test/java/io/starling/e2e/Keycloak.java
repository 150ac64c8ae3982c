package io.starling.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real Keycloak of the quick start, started through {@code deploy/keycloak/start.sh} when it
 * is not already running, and stopped afterwards only if this run started it.
 */
public final class Keycloak implements AutoCloseable {

    public static final String URL = "http://127.0.0.1:8180";
    public static final String REALM_URL = URL + "/realms/starling";
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
