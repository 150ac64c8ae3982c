package io.starling.controlplane.seed;

import static io.starling.controlplane.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.starling.controlplane.catalog.BlobStores;
import io.starling.controlplane.catalog.S3BlobStore;
import io.starling.controlplane.catalog.S3Proxy;
import io.starling.controlplane.testing.Api;
import io.starling.controlplane.testing.Tokens;
import io.starling.protocol.testing.Sha256;
import io.starling.protocol.testing.TorrentClient;
import io.starling.protocol.testing.TorrentClient.Drop;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The control plane on the S3 blob store (a real S3Proxy): an upload goes to the bucket in parts,
 * the origin seeder seeds it from its local cache, the web seed serves ranges from the cache or,
 * without a copy, from the bucket.
 */
@QuarkusTest
@TestProfile(S3StoreTest.OnS3.class)
class S3StoreTest {

    /** Two parts of 5 MiB: the test limit on artifacts is 8 MiB. */
    private static final int SIZE = 7 << 20;
    private static final String BUCKET = S3Proxy.get().newBucket();

    public static class OnS3 implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            S3Proxy proxy = S3Proxy.get();
            // Plain torrents: the test's client has no certificate from the swarm CA.
            return Map.of("starling.swarm.ssl", "false", "starling.blob-store.type", "s3",
                    "starling.blob-store.s3.endpoint", proxy.endpoint().toString(),
                    "starling.blob-store.s3.bucket", BUCKET,
                    "starling.blob-store.s3.access-key", S3Proxy.IDENTITY,
                    "starling.blob-store.s3.secret-key", S3Proxy.CREDENTIAL,
                    "starling.blob-store.s3.path-style", "true",
                    "starling.blob-store.s3.part-size", String.valueOf(S3BlobStore.MIN_PART_SIZE),
                    "starling.seed.cache-dir", "target/s3-store-test-cache-" + ProcessHandle.current().pid());
        }
    }

    @Inject
    SeedCache cache;

    @Inject
    OriginSeeder seeder;

    @Test
    void anArtifactUploadedToTheBucketIsSeededFromTheLocalCacheAndServedByRangeFromEither() throws Exception {
        byte[] data = Api.bytes(SIZE);
        String sha256 = Sha256.hex(data);
        String product = Api.newProduct("s3");
        Api.newRelease(product, "1.0");
        Api.upload(product, "1.0", "app.bin", data);

        assertThat(objects()).contains("blobs/" + sha256).noneMatch(k -> k.startsWith("uploads/"));
        assertThat(cache.ifLocal(sha256)).isEmpty(); // nothing on disk until the seeder needs it

        Api.publish(product, "1.0");
        String infoHash = as(Tokens.viewer()).get("/api/v1/products/{p}/releases/1.0", product).then().statusCode(200)
                .extract().path("artifacts[0].infoHashV1");
        await().atMost(Duration.ofSeconds(30)).until(() -> seeder.isSeeding(infoHash));
        Path copy = cache.ifLocal(sha256).orElseThrow();
        assertThat(Sha256.hex(Files.readAllBytes(copy))).isEqualTo(sha256);

        byte[] torrent = as(Tokens.admin()).get("/api/v1/products/{p}/releases/1.0/artifacts/app.bin/torrent", product)
                .then().statusCode(200).extract().asByteArray();
        try (TorrentClient client = TorrentClient.onLoopback()) {
            TorrentClient.Download d = client.add(torrent, Drop.WEB_SEEDS, Drop.TRACKERS)
                    .connectPeer(seeder.advertisedAddress().orElseThrow());
            d.awaitCompletion(Duration.ofSeconds(30));
            assertThat(d.sha256()).isEqualTo(sha256);
        }

        String passkey = as(Tokens.admin()).contentType("application/json").body(Map.of("owner", "s3-test"))
                .post("/api/v1/passkeys").then().statusCode(201).extract().path("passkey");
        String url = "/seed/" + passkey + "/" + product + "/1.0/app.bin";
        int first = S3BlobStore.MIN_PART_SIZE - 10; // across the parts' boundary
        byte[] expected = Arrays.copyOfRange(data, first, first + 20);
        assertThat(range(url, first)).isEqualTo(expected); // from the cache

        Files.delete(copy); // the seeder's hard link keeps its bytes; the web seed now reads the bucket
        assertThat(range(url, first)).isEqualTo(expected);
        byte[] whole = RestAssured.given().get(url).then().statusCode(200).extract().asByteArray();
        assertThat(Sha256.hex(whole)).isEqualTo(sha256);
    }

    private static byte[] range(String url, int first) {
        return RestAssured.given().header("Range", "bytes=" + first + "-" + (first + 19)).get(url).then()
                .statusCode(206).header("Content-Range", "bytes " + first + "-" + (first + 19) + "/" + SIZE)
                .extract().asByteArray();
    }

    private static java.util.List<String> objects() {
        try (S3Client client = BlobStores.client(S3Proxy.get().config(BUCKET))) {
            return client.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream().map(S3Object::key).toList();
        }
    }
}
