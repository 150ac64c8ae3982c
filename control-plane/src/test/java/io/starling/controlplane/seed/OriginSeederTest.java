package io.starling.controlplane.seed;

import static io.starling.controlplane.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.starling.controlplane.testing.Api;
import io.starling.controlplane.testing.PlainTorrents;
import io.starling.controlplane.testing.PublishedArtifact;
import io.starling.controlplane.testing.Tokens;
import io.starling.protocol.testing.TorrentClient;
import io.starling.protocol.testing.TorrentClient.Drop;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The origin seeder inside the running control plane, against real libtorrent clients on
 * loopback: each source of bytes alone, revocation, and the upload cap.
 */
@QuarkusTest
@TestProfile(PlainTorrents.class) // its client has no certificate from the swarm CA
class OriginSeederTest {

    private static final int SIZE = 4 << 20;
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofSeconds(20);

    @Inject
    OriginSeeder seeder;

    @Inject
    MeterRegistry registry;

    @Inject
    io.starling.controlplane.catalog.FileBlobStore blobs;

    @Test
    void bytesThatChangedOnDiskAreServedByNeitherTheOriginNorTheWebSeed() throws Exception {
        PublishedArtifact p = publish("rotten", 1 << 20);
        String passkey = as(Tokens.admin()).contentType("application/json").body(java.util.Map.of("owner", "rot-test"))
                .post("/api/v1/passkeys").then().statusCode(201).extract().path("passkey");
        String url = "/seed/" + passkey + "/" + p.product() + "/1.0/app.bin";
        io.restassured.RestAssured.given().header("Range", "bytes=0-9").get(url).then().statusCode(206);

        Path blob = blobs.localFile(p.sha256()).orElseThrow();
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(blob,
                java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
            ch.read(one, 4096);
            one.put(0, (byte) (one.get(0) ^ 0xff)).rewind();
            ch.write(one, 4096);
        }
        assertThat(seeder.verify().get(60, java.util.concurrent.TimeUnit.SECONDS).corrupt())
                .anySatisfy(a -> assertThat(a.infoHashV1()).isEqualTo(p.infoHash()));

        await().atMost(Duration.ofSeconds(10)).until(() -> !seeder.isSeeding(p.infoHash()));
        io.restassured.RestAssured.given().header("Range", "bytes=0-9").get(url).then().statusCode(503)
                .contentType(org.hamcrest.Matchers.startsWith("application/problem+json"))
                .body("detail", org.hamcrest.Matchers.containsString("failed verification"));
    }

    @Test
    void aClientDownloadsFromTheOriginSeederAlone() throws Exception {
        PublishedArtifact p = publish("origin-only", SIZE);
        try (TorrentClient client = TorrentClient.onLoopback()) {
            TorrentClient.Download d = client.add(p.torrent(), Drop.WEB_SEEDS, Drop.TRACKERS)
                    .connectPeer(seeder.advertisedAddress().orElseThrow());
            Duration took = d.awaitCompletion(DOWNLOAD_TIMEOUT);

            assertThat(d.sha256()).isEqualTo(p.sha256());
            assertThat(d.bytesFromWebSeeds()).isZero();
            assertThat(d.bytesFromPeers()).isGreaterThanOrEqualTo(SIZE);
            await().atMost(Duration.ofSeconds(10)).until(() -> seeder.uploadedBytes(p.infoHash()) >= SIZE);
            assertThat(seeder.uploadedBytes()).isGreaterThanOrEqualTo(SIZE);
            assertThat(registry.get("starling.origin.bytes").counter().count()).isGreaterThanOrEqualTo(SIZE);
            System.out.printf("origin only: %d bytes in %d ms%n", SIZE, took.toMillis());
        }
    }

    @Test
    void aClientCompletesFromTheWebSeedAlone() throws Exception {
        PublishedArtifact p = publish("webseed-only", SIZE);
        double webSeedBefore = registry.get("starling.webseed.bytes").counter().count();
        try (TorrentClient client = TorrentClient.onLoopback()) {
            TorrentClient.Download d = client.add(p.torrent(), Drop.TRACKERS);
            assertThat(d.webSeeds()).singleElement().asString().contains("/seed/");
            Duration took = d.awaitCompletion(DOWNLOAD_TIMEOUT);

            assertThat(d.sha256()).isEqualTo(p.sha256());
            assertThat(d.bytesFromPeers()).isZero();
            assertThat(d.bytesFromWebSeeds()).isGreaterThanOrEqualTo(SIZE);
            assertThat(registry.get("starling.webseed.bytes").counter().count() - webSeedBefore)
                    .isGreaterThanOrEqualTo(SIZE);
            assertThat(seeder.uploadedBytes(p.infoHash())).isZero();
            System.out.printf("web seed only: %d bytes in %d ms%n", SIZE, took.toMillis());
        }
    }

    @Test
    void aRevokedReleaseIsNoLongerSeeded() throws Exception {
        PublishedArtifact p = publish("revoked", 1 << 20);
        Path link = dataDir().resolve(p.infoHash()).resolve("app.bin");
        assertThat(link).isRegularFile();

        as(Tokens.admin()).post("/api/v1/products/{p}/releases/1.0/revoke", p.product()).then().statusCode(200);

        // The seeder forgets the torrent first, then libtorrent drops it, then the files go.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(seeder.isSeeding(p.infoHash())).isFalse();
            assertThat(link).doesNotExist();
            assertThat(resumeDir().resolve(p.infoHash() + ".resume")).doesNotExist();
        });
        try (TorrentClient client = TorrentClient.onLoopback()) {
            TorrentClient.Download d = client.add(p.torrent(), Drop.WEB_SEEDS, Drop.TRACKERS)
                    .connectPeer(seeder.advertisedAddress().orElseThrow());
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> d.bytesDone() == 0);
        }
    }

    @Test
    void revokingOneReleaseKeepsSeedingBytesAnotherPublishedReleaseShares() {
        byte[] data = Api.bytes(300_000);
        String first = publishBytes("shared-a", data);
        String second = publishBytes("shared-b", data);
        String infoHash = infoHash(first);
        assertThat(infoHash(second)).isEqualTo(infoHash); // same name, bytes and piece length: one torrent
        await().atMost(Duration.ofSeconds(10)).until(() -> seeder.isSeeding(infoHash));

        as(Tokens.admin()).post("/api/v1/products/{p}/releases/1.0/revoke", first).then().statusCode(200);
        String third = publishBytes("shared-c", Api.bytes(1000)); // a later event: the revocation was handled
        await().atMost(Duration.ofSeconds(10)).until(() -> seeder.isSeeding(infoHash(third)));
        assertThat(seeder.isSeeding(infoHash)).isTrue();

        as(Tokens.admin()).post("/api/v1/products/{p}/releases/1.0/revoke", second).then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> !seeder.isSeeding(infoHash));
    }

    @Test
    void theUploadCapHoldsOnLoopback() throws Exception {
        int cap = 1 << 20;
        int size = 3 << 20;
        PublishedArtifact p = publish("capped", size);
        int before = seeder.uploadRateLimit();
        seeder.uploadRateLimit(cap);
        try (TorrentClient client = TorrentClient.onLoopback()) {
            TorrentClient.Download d = client.add(p.torrent(), Drop.WEB_SEEDS, Drop.TRACKERS)
                    .connectPeer(seeder.advertisedAddress().orElseThrow());
            Duration took = d.awaitCompletion(DOWNLOAD_TIMEOUT);

            assertThat(d.sha256()).isEqualTo(p.sha256());
            // size / cap = 3 s; libtorrent lets the first quota through at once.
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
            System.out.printf("capped at %d B/s: %d bytes in %d ms (%.0f B/s)%n", cap, size, took.toMillis(),
                    size * 1000.0 / took.toMillis());
        } finally {
            seeder.uploadRateLimit(before);
        }
    }

    /** Publishes one artifact through the API and waits until the origin seeds it. */
    private PublishedArtifact publish(String prefix, int size) {
        PublishedArtifact p = PublishedArtifact.publish(prefix, size);
        await().atMost(Duration.ofSeconds(10)).until(() -> seeder.isSeeding(p.infoHash()));
        return p;
    }

    private static String publishBytes(String prefix, byte[] data) {
        String product = Api.newProduct(prefix);
        Api.newRelease(product, "1.0");
        Api.upload(product, "1.0", "app.bin", data);
        Api.publish(product, "1.0");
        return product;
    }

    private static String infoHash(String product) {
        return as(Tokens.viewer()).get("/api/v1/products/{p}/releases/1.0", product).then().statusCode(200)
                .extract().path("artifacts[0].infoHashV1");
    }

    private static Path dataDir() {
        return Path.of("target/starling-test-home/seed-data");
    }

    private static Path resumeDir() {
        return Path.of("target/starling-test-home/seed-resume");
    }
}
