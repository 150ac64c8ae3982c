package io.starling.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.starling.protocol.testing.Sha256;
import io.starling.protocol.testing.TestBytes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A stock BitTorrent client from Debian's packages (qBittorrent, driven through its Web API)
 * downloads an artifact with the .torrent our API serves, finding the origin seeder through our
 * tracker. Debian's v1-only clients (aria2 1.36, transmission 3.00) cannot read hybrid torrents
 * at all, not even libtorrent's own: see docs/architecture.md.
 */
class StockClientIT {

    private static final Path REPO = Path.of(System.getProperty("starling.repo", "..")).toAbsolutePath().normalize();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String QBITTORRENT = "/usr/bin/qbittorrent-nox";
    private static Keycloak keycloak;
    private static ControlPlaneProcess controlPlane;

    @BeforeAll
    static void start() throws Exception {
        boolean installed = Files.isExecutable(Path.of(QBITTORRENT));
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("qbittorrent-nox is missing: .ci/run installs it (apt-get install qbittorrent-nox)");
        }
        Assumptions.assumeTrue(installed, "qbittorrent-nox not installed (apt-get install qbittorrent-nox)");
        keycloak = Keycloak.ensureRunning(REPO);
        // A stock client cannot present a certificate from the swarm CA: it joins plain torrents only,
        // the choice a fleet with stock clients makes (docs/security.md, "Peers that prove who they are").
        controlPlane = new ControlPlaneProcess(REPO, Files.createTempDirectory("starling-stock")).start("-Dstarling.swarm.ssl=false");
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
    void qbittorrentDownloadsThroughOurTrackerAndOriginSeeder() throws Exception {
        String token = keycloak.password("admin", "admin");
        byte[] data = TestBytes.random(6 << 20);
        String sha = Sha256.hex(data);
        send("POST", "/api/v1/products", token, "{\"name\":\"stock\"}", 201);
        send("POST", "/api/v1/products/stock/releases", token, "{\"version\":\"1.0\"}", 201);
        HTTP.send(HttpRequest.newBuilder(URI.create(controlPlane.url() + "/api/v1/products/stock/releases/1.0/artifacts/tool.bin"))
                .header("Authorization", "Bearer " + token).PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build(),
                HttpResponse.BodyHandlers.discarding());
        send("POST", "/api/v1/products/stock/releases/1.0/publish", token, null, 200);
        // No web seed in this torrent: the bytes can only come through the tracker's peer list.
        HttpResponse<byte[]> torrent = HTTP.send(HttpRequest.newBuilder(URI.create(controlPlane.url()
                + "/api/v1/products/stock/releases/1.0/artifacts/tool.bin/torrent?webSeed=false"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(torrent.statusCode()).isEqualTo(200);
        Path dir = Files.createTempDirectory("qbittorrent");
        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        Path torrentFile = dir.resolve("tool.torrent");
        Files.write(torrentFile, torrent.body());
        int webPort = freePort();
        int peerPort = freePort();
        Path config = Files.createDirectories(dir.resolve("profile/qBittorrent/config"));
        // Accept the legal notice and let the Web API answer localhost without a login, so that
        // the client runs unattended; no DHT, PEX or LSD (a private torrent disables them anyway).
        Files.writeString(config.resolve("qBittorrent.conf"), String.join("\n",
                "[LegalNotice]", "Accepted=true",
                "[Preferences]", "WebUI\\LocalHostAuth=false", "WebUI\\Address=127.0.0.1", "WebUI\\Port=" + webPort,
                "[BitTorrent]", "Session\\DHTEnabled=false", "Session\\LSDEnabled=false", "Session\\PeXEnabled=false",
                "Session\\Port=" + peerPort, "Session\\DefaultSavePath=" + downloads, ""));
        Process client = new ProcessBuilder(QBITTORRENT, "--profile=" + dir.resolve("profile"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("qbittorrent.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String webApi = "http://127.0.0.1:" + webPort + "/api/v2";
        String out;
        try {
            awaitUntil(Duration.ofSeconds(30), () -> get(webApi + "/app/version").statusCode() == 200);
            String boundary = "starling" + System.nanoTime();
            byte[] form = multipart(boundary, torrentFile, downloads);
            HttpResponse<String> added = HTTP.send(HttpRequest.newBuilder(URI.create(webApi + "/torrents/add"))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(form)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(added.body()).isEqualTo("Ok.");
            awaitUntil(Duration.ofMinutes(2), () -> get(webApi + "/torrents/info").body().contains("\"progress\":1"));
            out = get(webApi + "/torrents/info").body();
        } finally {
            client.destroy();
            client.waitFor();
        }

        assertThat(Sha256.hex(downloads.resolve("tool.bin"))).as(out).isEqualTo(sha);
        // The seeder counts what it sent from libtorrent's periodic state updates: the last pieces
        // may be counted a moment after qBittorrent reports the download complete.
        long[] sent = new long[1];
        try {
            awaitUntil(Duration.ofSeconds(20), () -> (sent[0] = originSeedBytes(token)) >= data.length);
        } catch (IllegalStateException notYet) {
            // the assertion below says by how much
        }
        assertThat(sent[0]).as("bytes the origin seeder sent qBittorrent").isGreaterThanOrEqualTo(data.length);
    }

    private static long originSeedBytes(String token) {
        try {
            String swarms = send("GET", "/api/v1/products/stock/releases/1.0/swarms", token, null, 200);
            Matcher origin = Pattern.compile("\"originSeedBytes\":(\\d+)").matcher(swarms);
            assertThat(origin.find()).as(swarms).isTrue();
            return Long.parseLong(origin.group(1));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> get(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            return null;
        }
    }

    private static void awaitUntil(Duration timeout, java.util.function.BooleanSupplier condition) {
        // get() answers null while the Web API is not listening yet
        await().atMost(timeout).pollInterval(Duration.ofMillis(250)).ignoreException(NullPointerException.class)
                .until(condition::getAsBoolean);
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static byte[] multipart(String boundary, Path torrent, Path savePath) throws java.io.IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"savepath\"\r\n\r\n" + savePath + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"torrents\"; filename=\"tool.torrent\"\r\n"
                + "Content-Type: application/x-bittorrent\r\n\r\n";
        b.writeBytes(head.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        b.writeBytes(Files.readAllBytes(torrent));
        b.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return b.toByteArray();
    }

    private static String send(String method, String path, String token, String json, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(controlPlane.url() + path))
                .header("Authorization", "Bearer " + token);
        if (json != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(expected);
        return r.body();
    }
}
