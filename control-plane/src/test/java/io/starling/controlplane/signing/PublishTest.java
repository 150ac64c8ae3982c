package io.starling.controlplane.signing;

import static io.starling.controlplane.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.starling.controlplane.testing.Api;
import io.starling.controlplane.testing.Tokens;
import io.starling.protocol.bencode.Bencode;
import io.starling.protocol.manifest.Ed25519Keys;
import io.starling.protocol.manifest.Manifest;
import io.starling.protocol.manifest.ManifestLimits;
import io.starling.protocol.manifest.ManifestVerifier;
import io.starling.protocol.testing.Sha256;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PublishTest {

    private static final byte[] DATA = Api.bytes(300_000);

    @jakarta.inject.Inject
    io.starling.controlplane.peertls.SwarmCa swarmCa;

    @Test
    void aPublishedManifestVerifiesAgainstThePublishedKey() {
        String product = published("signed");
        byte[] manifest = manifest(product);
        byte[] signature = signature(product);

        ManifestVerifier verifier = new ManifestVerifier(Map.of(keyId(), publicKey()), ManifestLimits.DEFAULT);
        Manifest m = verifier.verify(manifest, signature, Instant.now(), -1);
        assertThat(m.product()).isEqualTo(product);
        assertThat(m.version()).isEqualTo("1.0");
        assertThat(m.sequence()).isEqualTo(1);
        assertThat(m.artifacts()).hasSize(1);
        assertThat(m.artifacts().get(0).sha256()).isEqualTo(Sha256.hex(DATA));
        assertThat(m.expiresAt()).isAfter(Instant.now().plusSeconds(29L * 24 * 3600));
    }

    @Test
    void opensslVerifiesTheManifestSignature() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl not installed");
        String product = published("openssl");
        Path dir = Files.createTempDirectory("verify");
        Files.write(dir.resolve("manifest.json"), manifest(product));
        Files.write(dir.resolve("manifest.sig"), signature(product));
        Files.writeString(dir.resolve("key.pem"), as(Tokens.viewer()).get("/api/v1/signing-keys")
                .then().extract().path("[0].publicKeyPem"));
        Process p = new ProcessBuilder("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "key.pem", "-rawin",
                "-in", "manifest.json", "-sigfile", "manifest.sig").directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("Signature Verified Successfully");

        // One flipped byte and openssl says no.
        byte[] tampered = manifest(product);
        tampered[10] ^= 1;
        Files.write(dir.resolve("manifest.json"), tampered);
        Process q = new ProcessBuilder("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "key.pem", "-rawin",
                "-in", "manifest.json", "-sigfile", "manifest.sig").directory(dir.toFile()).redirectErrorStream(true).start();
        q.getInputStream().readAllBytes();
        assertThat(q.waitFor()).isNotZero();
    }

    @Test
    void theTorrentCarriesThePasskeyAndTheSameInfoHashForEveryone() {
        String product = published("torrent");
        String pk1 = as(Tokens.admin()).contentType("application/json").body(Map.of("owner", "desk-1"))
                .post("/api/v1/passkeys").then().statusCode(201).extract().path("passkey");
        String pk2 = as(Tokens.admin()).contentType("application/json").body(Map.of("owner", "desk-2"))
                .post("/api/v1/passkeys").then().statusCode(201).extract().path("passkey");
        Map<String, Object> t1 = torrent(product, pk1);
        Map<String, Object> t2 = torrent(product, pk2);

        assertThat(str(t1.get("announce"))).endsWith("/announce/" + pk1);
        assertThat(((List<?>) t1.get("url-list")).stream().map(PublishTest::str).toList())
                .singleElement().asString().endsWith("/seed/" + pk1 + "/" + product + "/1.0/setup.bin");
        @SuppressWarnings("unchecked")
        Map<String, Object> info = (Map<String, Object>) t1.get("info");
        assertThat(info.get("private")).isEqualTo(1L);
        assertThat(info.get("meta version")).isEqualTo(2L);
        assertThat(info.get("pieces")).isNotNull();
        assertThat(new String((byte[]) info.get("ssl-cert"), java.nio.charset.StandardCharsets.US_ASCII)).as("an SSL torrent (starling.swarm.ssl is on by default): the swarm CA")
                .isEqualTo(swarmCa.certificatePem());
        assertThat(Bencode.encode(t1.get("info"))).isEqualTo(Bencode.encode(t2.get("info")));

        String v1 = as(Tokens.viewer()).get("/api/v1/products/{p}/releases/1.0", product).then()
                .extract().path("artifacts[0].infoHashV1");
        assertThat(HexFormat.of().formatHex(sha1(Bencode.encode(t1.get("info"))))).isEqualTo(v1);
    }

    @Test
    void aRevokedPasskeyGetsNoTorrent() {
        String product = published("revoked-pk");
        String pk = as(Tokens.admin()).contentType("application/json").body(Map.of("owner", "desk-x"))
                .post("/api/v1/passkeys").then().extract().path("passkey");
        as(Tokens.admin()).post("/api/v1/passkeys/{k}/revoke", pk).then().statusCode(200)
                .body("revokedAt", notNullValue());
        as(Tokens.admin()).queryParam("passkey", pk)
                .get("/api/v1/products/{p}/releases/1.0/artifacts/setup.bin/torrent", product)
                .then().statusCode(403);
    }

    @Test
    void aDraftHasNoManifestYet() {
        String product = Api.newProduct("nomanifest");
        Api.newRelease(product, "1.0");
        as(Tokens.viewer()).get("/api/v1/products/{p}/releases/1.0/manifest", product).then().statusCode(404);
    }

    @Test
    void theListedFingerprintIsWhatOpensslComputesFromTheKeyAndStartsWithTheKeyId() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl not installed");
        Path dir = Files.createTempDirectory("fingerprint");
        var key = as(Tokens.viewer()).get("/api/v1/signing-keys").then().statusCode(200).extract().jsonPath();
        Files.writeString(dir.resolve("key.pem"), key.getString("[0].publicKeyPem"));
        Process der = new ProcessBuilder("openssl", "pkey", "-pubin", "-in", "key.pem", "-outform", "DER")
                .directory(dir.toFile()).start();
        byte[] bytes = der.getInputStream().readAllBytes();
        assertThat(der.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String expected = java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        assertThat(key.getString("[0].fingerprint")).isEqualTo(expected).startsWith(key.getString("[0].keyId"));
    }

    @Test
    void signingKeysAreListedAsPem() {
        as(Tokens.viewer()).get("/api/v1/signing-keys").then().statusCode(200)
                .body("$", hasSize(1))
                .body("[0].algorithm", equalTo("Ed25519"))
                .body("[0].active", equalTo(true));
    }

    @Test
    void renewalSignsAgainWithALaterExpiryAndTheSameSequence() throws Exception {
        String product = published("renew");
        Manifest before = new ManifestVerifier(Map.of(keyId(), publicKey()), ManifestLimits.DEFAULT)
                .verify(manifest(product), signature(product), Instant.now(), -1);
        Thread.sleep(1100); // manifests carry whole seconds
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> {
            io.starling.controlplane.catalog.Release r = io.starling.controlplane.catalog.Release.find(product, "1.0").orElseThrow();
            r.expiresAt = Instant.now().plusSeconds(60); // about to expire
        });
        io.quarkus.arc.Arc.container().instance(ManifestPublisher.class).get().renewExpiring();
        Manifest after = new ManifestVerifier(Map.of(keyId(), publicKey()), ManifestLimits.DEFAULT)
                .verify(manifest(product), signature(product), Instant.now(), -1);
        assertThat(after.sequence()).isEqualTo(before.sequence());
        assertThat(after.expiresAt()).isAfter(before.expiresAt());
    }

    @Test
    void onlyReleasesStillAssignedOrLatestAreSignedAgainAndASupersededOneIsRenewedWhenDeployedAgain() {
        String product = Api.newProduct("superseded");
        for (String version : List.of("1.0", "2.0", "3.0")) {
            Api.newRelease(product, version);
            Api.upload(product, version, "setup.bin", DATA);
            Api.publish(product, version);
        }
        io.starling.controlplane.testing.Fleet.Enrolled agent = io.starling.controlplane.testing.Fleet.enroll(null);
        io.starling.controlplane.testing.Fleet.deploy(product, "2.0", agent);
        Instant soon = Instant.now().plusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> {
            for (String version : List.of("1.0", "2.0", "3.0")) {
                io.starling.controlplane.catalog.Release.find(product, version).orElseThrow().expiresAt = soon;
            }
        });

        io.quarkus.arc.Arc.container().instance(ManifestPublisher.class).get().renewExpiring();

        assertThat(expiresAt(product, "1.0")).as("superseded, assigned nowhere").isEqualTo(soon);
        assertThat(expiresAt(product, "2.0")).as("assigned to an agent").isAfter(soon.plusSeconds(3600));
        assertThat(expiresAt(product, "3.0")).as("the latest").isAfter(soon.plusSeconds(3600));

        io.starling.controlplane.testing.Fleet.deploy(product, "1.0", agent);
        assertThat(expiresAt(product, "1.0")).as("assigned again").isAfter(soon.plusSeconds(3600));
    }

    private static Instant expiresAt(String product, String version) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(
                () -> io.starling.controlplane.catalog.Release.find(product, version).orElseThrow().expiresAt);
    }

    static String published(String prefix) {
        String product = Api.newProduct(prefix);
        Api.newRelease(product, "1.0");
        Api.upload(product, "1.0", "setup.bin", DATA);
        Api.publish(product, "1.0");
        return product;
    }

    static byte[] manifest(String product) {
        return as(Tokens.viewer()).get("/api/v1/products/{p}/releases/1.0/manifest", product)
                .then().statusCode(200).extract().asByteArray();
    }

    static byte[] signature(String product) {
        String b64 = as(Tokens.viewer()).get("/api/v1/products/{p}/releases/1.0/manifest.sig", product)
                .then().statusCode(200).extract().asString().trim();
        return Base64.getDecoder().decode(b64);
    }

    static String keyId() {
        return as(Tokens.viewer()).get("/api/v1/signing-keys").then().extract().path("[0].keyId");
    }

    static PublicKey publicKey() {
        return Ed25519Keys.readPublicKey(as(Tokens.viewer()).get("/api/v1/signing-keys").then()
                .extract().path("[0].publicKeyPem"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> torrent(String product, String passkey) {
        byte[] bytes = as(Tokens.admin()).queryParam("passkey", passkey)
                .get("/api/v1/products/{p}/releases/1.0/artifacts/setup.bin/torrent", product)
                .then().statusCode(200).contentType("application/x-bittorrent").extract().asByteArray();
        return (Map<String, Object>) Bencode.decode(bytes);
    }

    static String str(Object bytes) {
        return new String((byte[]) bytes, StandardCharsets.UTF_8);
    }

    static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
