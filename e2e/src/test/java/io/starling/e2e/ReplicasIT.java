package io.starling.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.starling.protocol.bencode.Bencode;
import io.starling.protocol.testing.Sha256;
import io.starling.protocol.testing.TestBytes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two packaged control planes on one external PostgreSQL (Debian's server, in a temporary folder)
 * and one S3 bucket (S3Proxy), behind nginx; agents know only nginx. The replicas share no folder
 * for artifact bytes: each keeps the blobs it seeds in a seed cache of its own, filled from the
 * bucket. They share the manifest signing key file, as replicas share a Secret.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasIT {

    private static final Path REPO = Path.of(System.getProperty("starling.repo", "..")).toAbsolutePath().normalize();
    private static final String PRODUCT = "replicated-app";
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final int PART_SIZE = 2 << 20;
    private static final Pattern ORIGIN_TLS = Pattern.compile("TLS peers at (\\S+),");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Keycloak keycloak;
    private static SystemPostgres postgres;
    private static S3Proxy s3;
    private static Nginx nginx;
    private static ControlPlaneProcess a;
    private static ControlPlaneProcess b;
    private static ControlPlaneApi viaA;
    private static ControlPlaneApi viaB;
    private static ControlPlaneApi viaNginx;
    private static Path work;
    private static final List<AgentProcess> agents = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        SystemPostgres.whyNot().ifPresent(reason -> Assumptions.abort("No external PostgreSQL: " + reason));
        Nginx.whyNot().ifPresent(reason -> Assumptions.abort("No load balancer: " + reason));
        S3Proxy.whyNot().ifPresent(reason -> Assumptions.abort("No object store: " + reason));
        keycloak = Keycloak.ensureRunning(REPO);
        work = Files.createTempDirectory("starling-replicas");
        CompletableFuture<SystemPostgres> pg = CompletableFuture.supplyAsync(() -> {
            try {
                return SystemPostgres.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        s3 = S3Proxy.start(work);
        postgres = pg.join();
        Path keys = Files.createDirectories(work.resolve("keys"));
        a = new ControlPlaneProcess(REPO, Files.createDirectories(work.resolve("replica-a")));
        b = new ControlPlaneProcess(REPO, Files.createDirectories(work.resolve("replica-b")));
        nginx = Nginx.start(work, List.of(hostPort(a.url()), hostPort(b.url())));
        List<String> settings = new ArrayList<>(postgres.controlPlaneSettings());
        settings.addAll(s3.controlPlaneSettings());
        settings.addAll(List.of("-Dstarling.signing.key-file=" + keys.resolve("manifest-signing.pem"),
                "-Dstarling.public-url=" + nginx.url(),
                // Uploads in parts of 2 MiB, sent on to the bucket in parts of 5 MiB (the S3 minimum):
                // a 6 MiB artifact takes three requests and a multipart upload of two parts.
                "-Dstarling.catalog.part-size=" + PART_SIZE, "-Dstarling.blob-store.s3.part-size=" + (5 << 20),
                // Quick beats keep the test short; the defaults are 60 s, 5 s, 30 s and 10 s.
                "-Dstarling.fleet.check-in-interval=2s", "-Dstarling.tracker.persist-every=1s",
                "-Dstarling.tracker.torrent-refresh=2s", "-Dstarling.seed.catch-up-every=2s"));
        // One manifest signing key for both, made beforehand as an operator makes it (a Secret in Kubernetes).
        Processes.run(work, Duration.ofSeconds(30), "openssl", "genpkey", "-algorithm", "ed25519", "-out",
                keys.resolve("manifest-signing.pem").toString());
        // Together, as a Deployment starts its pods: Flyway's lock lets one of them migrate the schema.
        CompletableFuture<Void> startA = CompletableFuture.runAsync(() -> start(a, settings));
        CompletableFuture<Void> startB = CompletableFuture.runAsync(() -> start(b, settings));
        CompletableFuture.allOf(startA, startB).join();
        viaA = new ControlPlaneApi(a::url, keycloak);
        viaB = new ControlPlaneApi(b::url, keycloak);
        viaNginx = new ControlPlaneApi(nginx::url, keycloak);
        String enrollment = viaNginx.enrollmentToken(3);
        List<CompletableFuture<Void>> enrolled = new ArrayList<>();
        for (String name : List.of("a1", "a2", "a3")) {
            AgentProcess agent = new AgentProcess(REPO, work.resolve(name));
            agents.add(agent);
            enrolled.add(CompletableFuture.runAsync(() -> {
                try {
                    agent.enroll(nginx.url(), enrollment).start();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        CompletableFuture.allOf(enrolled.toArray(CompletableFuture[]::new)).join();
    }

    /** Each replica with a seed cache of its own: the bytes it seeds, copied from the bucket. */
    private static void start(ControlPlaneProcess replica, List<String> settings) {
        List<String> options = new ArrayList<>(settings);
        options.add("-Dstarling.seed.cache-dir=" + seedCache(replica));
        try {
            replica.start(options.toArray(String[]::new));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (AgentProcess agent : agents) {
            agent.close();
        }
        for (AutoCloseable c : new AutoCloseable[] {a, b, nginx, s3}) {
            if (c != null) {
                c.close();
            }
        }
        if (postgres != null) {
            postgres.close();
        }
        if (keycloak != null) {
            keycloak.close();
        }
    }

    @Test
    @Order(1)
    void releasesUploadedThroughOneReplicaAreSeededFromTheBucketAndInstalledThroughTheOther() throws Exception {
        publish(viaA, "1.0", "echo 1.0 > version.txt");
        // Three requests through A and two parts into the bucket, then a copy to the blob's key there.
        byte[] large = TestBytes.random(6 << 20);
        viaA.publishInParts(PRODUCT, "1.0-parts", "app.bin", large,
                Map.of("command", List.of("sh", "-c", "echo 1.0-parts > version.txt"), "timeoutSeconds", 30));
        assertThat(viaA.get("/products/" + PRODUCT + "/releases/1.0-parts").at("/artifacts/0/sha256").asText())
                .isEqualTo(Sha256.hex(large));

        for (String version : List.of("1.0", "1.0-parts")) {
            String infoHash = infoHashV1(version);
            String blob = sha256Of(version);
            // The bytes are in the bucket, nowhere else they could be shared.
            assertThat(Sha256.hex(s3.objectFile("blobs/" + blob))).as("the object in the bucket")
                    .isEqualTo(blob);
            // B never saw the upload nor the publish event: it finds them in the database, copies the
            // blob from the bucket into its own seed cache, and seeds that copy.
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500))
                    .until(() -> b.log().contains("Seeding app.bin (" + infoHash + ")"));
            assertThat(b.log()).contains("Copied blob " + blob);
            assertThat(Sha256.hex(seedCache(b).resolve(blob))).as("B's copy").isEqualTo(blob);
            // B's tracker learns of the torrent at its own refresh (starling.tracker.torrent-refresh, 10 s),
            // which need not come before its seeder's catch-up.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(viaB.get("/products/" + PRODUCT + "/releases/" + version + "/swarms"))
                            .as("B's tracker follows the swarm").hasSize(1));
        }
        for (ControlPlaneProcess replica : List.of(a, b)) {
            assertThat(replica.home().resolve("blobs")).as("no blob folder of the file store").doesNotExist();
        }
        assertThat(s3.objectFile("uploads")).as("the multipart upload's object, copied to its key and removed")
                .satisfiesAnyOf(p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyDirectory());

        AgentProcess first = agents.get(0);
        AgentProcess second = agents.get(1);
        viaB.deploy(PRODUCT, "1.0", first.agentId());
        viaNginx.deploy(PRODUCT, "1.0-parts", second.agentId());
        viaB.awaitDeployment(PRODUCT, "1.0", first, "INSTALLED", TIMEOUT);
        viaNginx.awaitDeployment(PRODUCT, "1.0-parts", second, "INSTALLED", TIMEOUT);
        assertThat(Files.readString(first.installRoot().resolve(PRODUCT + "/current/version.txt")).strip())
                .isEqualTo("1.0");
        assertThat(Files.readString(second.installRoot().resolve(PRODUCT + "/current/version.txt")).strip())
                .isEqualTo("1.0-parts");
    }

    @Test
    @Order(2)
    void peersAnnouncedOnOneReplicaAreHandedOutByTheOtherWithEveryReplicasOriginSeeder() throws Exception {
        // A swarm no agent seeds yet, so that leechers are handed the origin seeders too.
        publish(viaA, "1.0-peers", "true");
        byte[] infoHash = HexFormat.of().parseHex(infoHashV1("1.0-peers"));
        String passkey = viaA.post("/passkeys", Map.of("owner", "replicas-it"), 201).get("passkey").asText();

        announce(a, passkey, infoHash, "peer-a", 47301);

        // B learns of the passkey (passkey-refresh, 10 s), the swarm (torrent-refresh) and A's peer (persist-every).
        List<Integer> heardOnB = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(() -> ports(announce(b, passkey, infoHash, "peer-b", 47302)), p -> p.contains(47301));
        // Releases are SSL torrents by default: origins are handed out at their TLS ports.
        assertThat(heardOnB).as("both replicas' origin seeders").contains(originTlsPort(a), originTlsPort(b));
        // And back: A hears of B's peer a cycle or two after B took it.
        List<Integer> heardOnA = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500))
                .until(() -> ports(announce(a, passkey, infoHash, "peer-a", 47301)), p -> p.contains(47302));
        assertThat(heardOnA).as("both replicas' origin seeders").contains(originTlsPort(a), originTlsPort(b));
    }

    @Test
    @Order(3)
    void aPasskeyRevokedThroughOneReplicaIsRefusedByTheOtherWithinTenSeconds() throws Exception {
        byte[] infoHash = HexFormat.of().parseHex(infoHashV1("1.0"));
        String passkey = viaA.post("/passkeys", Map.of("owner", "replicas-it"), 201).get("passkey").asText();
        announce(a, passkey, infoHash, "soon-revoked", 47401);

        long revokedAt = System.nanoTime();
        viaB.post("/passkeys/" + passkey + "/revoke", Map.of(), 200);

        // The bound is starling.tracker.passkey-refresh, 10 s by default (left at its default here).
        await().atMost(Duration.ofSeconds(12)).pollInterval(Duration.ofMillis(250))
                .until(() -> failure(announceRaw(a, passkey, infoHash, "soon-revoked", 47401)),
                        f -> "this passkey has been revoked".equals(f));
        assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThanOrEqualTo(Duration.ofSeconds(11));
    }

    @Test
    @Order(4)
    void aRolloutRunsToItsEndWhileOneReplicaIsKilledHalfwayAndNothingIsLostOrDoneTwice() throws Exception {
        Path installs = work.resolve("installs.txt");
        publish(viaB, "1.1", "echo 1.1 > version.txt && echo installed >> " + installs);
        List<String> ids = new ArrayList<>();
        for (AgentProcess agent : agents) {
            ids.add(agent.agentId());
        }
        JsonNode created = viaNginx.post("/rollouts", Map.of("name", "across replicas", "product", PRODUCT,
                "version", "1.1", "target", Map.of("agentIds", ids),
                "waves", List.of(Map.of("name", "canary", "agentIds", List.of(ids.get(0))), Map.of("name", "the rest")),
                "advance", "AUTO"), 201);
        String rollout = created.get("id").asText();

        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(250))
                .until(() -> viaNginx.get("/rollouts/" + rollout).at("/waves/0/state").asText(), "SUCCEEDED"::equals);
        a.kill(); // SIGKILL halfway: nginx sends everything to B from now on

        JsonNode done = await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500))
                .until(() -> viaNginx.get("/rollouts/" + rollout), r -> List.of("FINISHED", "PAUSED", "CANCELLED")
                        .contains(r.get("state").asText()));
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("FINISHED");
        assertThat(List.of(done.at("/waves/0/state").asText(), done.at("/waves/1/state").asText()))
                .containsExactly("SUCCEEDED", "SUCCEEDED");
        assertThat(done.at("/counts/INSTALLED").asLong()).isEqualTo(3);

        JsonNode deployments = viaNginx.get("/deployments?product=" + PRODUCT + "&version=1.1");
        List<String> deployed = new ArrayList<>();
        deployments.forEach(d -> deployed.add(d.get("agentId").asText() + " " + d.get("state").asText()));
        assertThat(deployed).as("one deployment per agent, each installed")
                .containsExactlyInAnyOrder(ids.stream().map(id -> id + " INSTALLED").toArray(String[]::new));
        assertThat(Files.readAllLines(installs)).as("each agent ran the install once").hasSize(3);
        for (AgentProcess agent : agents) {
            assertThat(Files.readString(agent.installRoot().resolve(PRODUCT + "/current/version.txt")).strip())
                    .isEqualTo("1.1");
        }
        long created1 = 0;
        for (JsonNode e : viaNginx.get("/audit?action=POST&limit=1000")) {
            if (e.get("target").asText().endsWith("/api/v1/rollouts")) {
                created1++;
            }
        }
        assertThat(created1).as("the rollout's creation is audited once").isEqualTo(1);
    }

    // --- helpers -----------------------------------------------------------------------------

    private static void publish(ControlPlaneApi api, String version, String script) {
        api.publish(PRODUCT, version, "app.bin", TestBytes.random(300 * 1024),
                Map.of("command", List.of("sh", "-c", script), "timeoutSeconds", 30));
    }

    private static String infoHashV1(String version) {
        return viaNginx.get("/products/" + PRODUCT + "/releases/" + version).at("/artifacts/0/infoHashV1").asText();
    }

    /** The artifact's SHA-256, which is also its blob's key. */
    private static String sha256Of(String version) {
        return viaNginx.get("/products/" + PRODUCT + "/releases/" + version).at("/artifacts/0/sha256").asText();
    }

    private static Path seedCache(ControlPlaneProcess replica) {
        return replica.home().resolve("seed-cache");
    }

    private static String hostPort(String url) {
        return URI.create(url).getAuthority();
    }

    private static int originTlsPort(ControlPlaneProcess replica) throws Exception {
        Matcher m = ORIGIN_TLS.matcher(replica.log());
        assertThat(m.find()).as("the replica logs its origin seeder's TLS address").isTrue();
        return Integer.parseInt(m.group(1).replaceAll(".*:", ""));
    }

    /** A BitTorrent client's announce straight to one replica (leecher, compact answer). */
    private static byte[] announceRaw(ControlPlaneProcess replica, String passkey, byte[] infoHash, String peer, int port)
            throws Exception {
        byte[] name = ("-RI0001-" + peer).getBytes(StandardCharsets.US_ASCII);
        assertThat(name.length).as("a peer id is 20 bytes: longer names would collide").isLessThanOrEqualTo(20);
        byte[] peerId = java.util.Arrays.copyOf(name, 20);
        String query = "info_hash=" + pct(infoHash) + "&peer_id=" + pct(peerId) + "&port=" + port
                + "&uploaded=0&downloaded=0&left=1000&compact=1&numwant=50";
        return HTTP.send(HttpRequest.newBuilder(URI.create(replica.url() + "/announce/" + passkey + "?" + query)).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    private static Map<String, Object> announce(ControlPlaneProcess replica, String passkey, byte[] infoHash, String peer,
            int port) throws Exception {
        Map<String, Object> answer = decode(announceRaw(replica, passkey, infoHash, peer, port));
        assertThat(answer).as("announce answered without failure").doesNotContainKey("failure reason");
        return answer;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> decode(byte[] body) {
        return (Map<String, Object>) Bencode.decode(body);
    }

    private static String failure(byte[] body) {
        Object reason = decode(body).get("failure reason");
        return reason == null ? null : new String((byte[]) reason, StandardCharsets.UTF_8);
    }

    private static List<Integer> ports(Map<String, Object> answer) {
        byte[] compact = (byte[]) answer.get("peers");
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i + 6 <= compact.length; i += 6) {
            out.add(((compact[i + 4] & 0xff) << 8) | (compact[i + 5] & 0xff));
        }
        return out;
    }

    private static String pct(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte x : bytes) {
            s.append('%').append(String.format("%02X", x & 0xff));
        }
        return s.toString();
    }
}
