package io.starling.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The quick start as a newcomer meets it: a real Keycloak, the packaged control plane on its
 * embedded PostgreSQL serving HTTPS only (a local CA, as the quick start makes it), and the
 * README's curl walk-through run as written.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WalkthroughIT {

    private static final Path REPO = Path.of(System.getProperty("starling.repo", "..")).toAbsolutePath().normalize();
    private static Keycloak keycloak;
    private static ControlPlaneProcess controlPlane;
    private static Path home;
    private static Path tls;
    private static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        keycloak = Keycloak.ensureRunning(REPO);
        home = Files.createTempDirectory("starling-it");
        tls = LocalTls.make(REPO, home.resolve("tls"));
        controlPlane = new ControlPlaneProcess(REPO, home).withTls(tls).start();
        http = controlPlane.client();
    }

    @AfterAll
    static void stop() throws Exception {
        if (controlPlane != null) {
            controlPlane.close();
        }
        if (keycloak != null) {
            keycloak.close();
        }
    }

    @Test
    @Order(1)
    void theReadmeWalkthroughWorksAsWritten() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(REPO.resolve("e2e/walkthrough.sh").toString()).redirectErrorStream(true);
        pb.environment().put("STARLING_URL", controlPlane.url());
        pb.environment().put("STARLING_CA", tls.resolve("ca.pem").toString());
        pb.environment().put("KEYCLOAK_URL", Keycloak.URL);
        pb.environment().put("SIZE", "48M");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).contains("Signature Verified Successfully").contains("manifest names the uploaded bytes");
    }

    @Test
    @Order(2)
    void aViewerTokenFromKeycloakReadsButCannotPublish() throws Exception {
        String viewer = keycloak.password("viewer", "viewer");
        assertThat(get("/api/v1/products/office-suite", viewer).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = post("/api/v1/products/office-suite/releases/2.4.1/revoke", viewer);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/problem+json"));
    }

    @Test
    @Order(3)
    void aTamperedKeycloakTokenIsRefused() throws Exception {
        String admin = keycloak.password("admin", "admin");
        String[] parts = admin.split("\\.");
        // Same header and claims, a signature that is not Keycloak's.
        String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        assertThat(get("/api/v1/products", tampered).statusCode()).isEqualTo(401);
        assertThat(get("/api/v1/products", null).statusCode()).isEqualTo(401);
    }

    @Test
    @Order(4)
    void theCatalogueAndTheSwarmsSurviveARestart() throws Exception {
        String admin = keycloak.password("admin", "admin");
        String passkey = field(postJson("/api/v1/passkeys", admin, "{\"owner\":\"desk-1\"}").body(), "passkey");
        String infoHash = field(get("/api/v1/products/office-suite/releases/2.4.1", admin).body(), "infoHashV1");
        String query = "info_hash=" + percent(infoHash) + "&peer_id=-XX0001-000000000001&port=51413"
                + "&uploaded=0&downloaded=0&left=1000&event=started";
        assertThat(get("/announce/" + passkey + "?" + query, null).body()).contains("8:interval");

        controlPlane.stop();
        controlPlane = new ControlPlaneProcess(REPO, home).withTls(tls).start();

        String viewer = keycloak.password("viewer", "viewer");
        HttpResponse<String> release = get("/api/v1/products/office-suite/releases/2.4.1", viewer);
        assertThat(release.statusCode()).isEqualTo(200);
        assertThat(release.body()).contains("\"state\":\"PUBLISHED\"").contains("setup.bin");
        // Restored at startup from the rows written at shutdown; a second listing would show 2.
        String scrapeUrl = "/scrape/" + passkey + "?info_hash=" + percent(infoHash);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(get(scrapeUrl, null).body()).as("the leecher announced before the restart")
                        .contains("10:incompletei1e"));
    }

    private static String field(String json, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        assertThat(m.find()).as(name + " in " + json).isTrue();
        return m.group(1);
    }

    private static String percent(String hex) {
        return hex.replaceAll("(..)", "%$1");
    }

    private static HttpResponse<String> postJson(String path, String token, String json)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(controlPlane.url() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(controlPlane.url() + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String token) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(controlPlane.url() + path))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
