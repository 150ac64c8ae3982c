package io.starling.controlplane.signing;

import static io.starling.controlplane.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.starling.controlplane.testing.Fleet;
import io.starling.controlplane.testing.Tokens;
import io.starling.protocol.keys.KeySet;
import io.starling.protocol.keys.KeySetSigner;
import io.starling.protocol.keys.KeySetVerifier;
import io.starling.protocol.keys.OnlineKey;
import io.starling.protocol.keys.SignedKeySet;
import io.starling.protocol.manifest.CanonicalJson;
import io.starling.protocol.manifest.Ed25519Keys;
import io.starling.protocol.manifest.Manifest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rotating the manifest key under the offline root (the test holds the root's private half,
 * src/test/resources/keys/test-root.pem; the control plane only its public half). Every test
 * leaves the control plane as it found it: no key set, the file key signing.
 */
@QuarkusTest
class KeyRotationTest {

    private static final KeyPair ROOT = root();
    private static long version = Instant.now().getEpochSecond();

    @Inject
    SigningKey keys;

    @Inject
    ManifestPublisher publisher;

    private static KeyPair root() {
        try {
            PrivateKey key = Ed25519Keys.readPrivateKey(Files.readString(Path.of("src/test/resources/keys/test-root.pem"),
                    StandardCharsets.US_ASCII));
            return new KeyPair(Ed25519Keys.publicKeyOf(key), key);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterEach
    void forgetTheRotation() {
        QuarkusTransaction.requiringNew().run(() -> {
            KeySetUpload.deleteAll();
            OnlineSigningKey.deleteAll();
            keys.refresh(true);
            publisher.resignWithCurrentKey();
        });
    }

    private static OnlineKey online(Map<String, Object> view) {
        return new OnlineKey((String) view.get("keyId"), (String) view.get("publicKeyPem"));
    }

    private static SignedKeySet sign(KeyPair root, long v, Instant created, List<OnlineKey> trusted, List<String> revoked) {
        return new KeySetSigner(root).sign(new KeySet(KeySet.FORMAT, v, null, created, created.plus(Duration.ofDays(30)),
                trusted, revoked, null));
    }

    private static ValidatableResponse upload(Object body) {
        return as(Tokens.admin()).contentType(ContentType.JSON).body(body).put("/api/v1/signing-keys/key-set").then();
    }

    private static Map<String, Object> keyView(String keyId) {
        List<Map<String, Object>> all = as(Tokens.viewer()).get("/api/v1/signing-keys").then().statusCode(200)
                .extract().jsonPath().getList("$");
        return all.stream().filter(k -> k.get("keyId").equals(keyId)).findFirst().orElseThrow();
    }

    private static Manifest manifestOf(String product) {
        byte[] bytes = as(Tokens.viewer()).get("/api/v1/products/{p}/releases/1.0/manifest", product).then().statusCode(200)
                .extract().asByteArray();
        return CanonicalJson.read(bytes, Manifest.class);
    }

    @Test
    void aNewKeySignsOnceTheRootTrustsItAndEveryPublishedReleaseIsSignedAgain() {
        String before = PublishTest.published("rotate-before");
        String oldKey = keys.keyId();
        Map<String, Object> created = as(Tokens.admin()).post("/api/v1/signing-keys").then().statusCode(201)
                .body("state", equalTo("PENDING")).extract().jsonPath().getMap("$");
        String newKey = (String) created.get("keyId");
        assertThat(manifestOf(before).keyId()).as("a pending key signs nothing").isEqualTo(oldKey);

        upload(sign(ROOT, ++version, Instant.now(), List.of(online(keyView(oldKey)), online(created)), List.of()))
                .statusCode(200).body("signingKeyId", equalTo(newKey)).body("version", equalTo((int) version));
        assertThat(keyView(newKey).get("state")).isEqualTo("ACTIVE");
        assertThat(keyView(oldKey).get("state")).isEqualTo("TRUSTED");
        assertThat(manifestOf(before).keyId()).as("signed again with the new key").isEqualTo(newKey);
        assertThat(manifestOf(PublishTest.published("rotate-after")).keyId()).isEqualTo(newKey);

        // Agents receive the set in both answers, signed by the root they pin.
        Fleet.Enrolled agent = Fleet.enroll(null);
        SignedKeySet inCheckIn = as(agent.token()).contentType(ContentType.JSON).body(Fleet.inventory())
                .post("/api/agent/v1/check-in").then().statusCode(200).extract().jsonPath()
                .getObject("keySet", SignedKeySet.class);
        assertThat(new KeySetVerifier(ROOT.getPublic()).verify(inCheckIn, Instant.now(), -1).trusted())
                .containsOnlyKeys(oldKey, newKey);
        as(agent.token()).get("/api/v1/signing-keys/key-set").then().statusCode(200).body("signature", notNullValue());

        // Then the old key is revoked: it stays listed, as revoked.
        upload(sign(ROOT, ++version, Instant.now(), List.of(online(created)), List.of(oldKey))).statusCode(200)
                .body("revoked[0]", equalTo(oldKey));
        assertThat(keyView(oldKey).get("state")).isEqualTo("REVOKED");
        as(Tokens.viewer()).get("/api/v1/signing-keys/key-set/summary").then().statusCode(200)
                .body("trusted", equalTo(List.of(newKey))).body("signingKeyId", equalTo(newKey))
                // What the console's enrollment dialog pins: the root the admin made, not what the network says.
                .body("rootFingerprint", equalTo(Ed25519Keys.fingerprint(ROOT.getPublic())));
    }

    @Test
    void anOlderKeySetIsRefusedAsARollback() {
        List<OnlineKey> fileKey = List.of(online(keyView(keys.keyId())));
        SignedKeySet older = sign(ROOT, ++version, Instant.now(), fileKey, List.of());
        upload(sign(ROOT, ++version, Instant.now(), fileKey, List.of())).statusCode(200);
        upload(older).statusCode(409).contentType(startsWith("application/problem+json"))
                .body("detail", containsString("ROLLBACK"));
    }

    @Test
    void aKeySetSignedByAnotherRootIsRefused() {
        upload(sign(Ed25519Keys.generate(), ++version, Instant.now(), List.of(online(keyView(keys.keyId()))), List.of()))
                .statusCode(400).contentType(startsWith("application/problem+json"))
                .body("detail", containsString("BAD_SIGNATURE"));
        as(Tokens.viewer()).get("/api/v1/signing-keys/key-set").then().statusCode(404)
                .contentType(startsWith("application/problem+json"));
    }

    @Test
    void anExpiredKeySetIsRefused() {
        upload(sign(ROOT, ++version, Instant.now().minus(Duration.ofDays(31)), List.of(online(keyView(keys.keyId()))),
                List.of())).statusCode(400).contentType(startsWith("application/problem+json"))
                .body("detail", containsString("EXPIRED"));
    }

    @Test
    void aKeySetTrustingNoKeyThisControlPlaneHoldsIsRefused() {
        KeyPair stranger = Ed25519Keys.generate();
        OnlineKey strangerKey = new OnlineKey(Ed25519Keys.keyId(stranger.getPublic()), Ed25519Keys.toPem(stranger.getPublic()));
        upload(sign(ROOT, ++version, Instant.now(), List.of(strangerKey), List.of())).statusCode(409)
                .contentType(startsWith("application/problem+json")).body("detail", containsString("none of the keys"));
        assertThat(keys.keySet()).isEmpty();
    }

    @Test
    void garbageIsRefusedWithAProblemNotA500() {
        upload(Map.of("keySet", "not base64!", "signature", "x")).statusCode(400)
                .contentType(startsWith("application/problem+json"));
        upload("").statusCode(400).contentType(startsWith("application/problem+json"));
        List<Object> empty = new ArrayList<>();
        upload(empty).statusCode(400).contentType(startsWith("application/problem+json"));
    }
}
