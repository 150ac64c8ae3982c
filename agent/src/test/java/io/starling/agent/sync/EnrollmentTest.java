package io.starling.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.agent.state.AgentIdentity;
import io.starling.protocol.agent.EnrollRequest;
import io.starling.protocol.agent.TrustedKey;
import io.starling.protocol.keys.KeySet;
import io.starling.protocol.keys.KeySetSigner;
import io.starling.protocol.keys.OnlineKey;
import io.starling.protocol.keys.SignedKeySet;
import io.starling.protocol.manifest.Ed25519Keys;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Enrolling over HTTPS with a private CA, and with the manifest key pinned out of band. */
class EnrollmentTest {

    private static final EnrollRequest REQUEST = new EnrollRequest("token", "host", "test", List.of());
    private static final String TOKEN_URL = "https://127.0.0.1:1/realms/starling/protocol/openid-connect/token";

    @TempDir
    static Path dir;

    static TestTls ourCa;
    static TestTls anotherCa;

    private final PublicKey signing = Ed25519Keys.generate().getPublic();
    private final PublicKey intruder = Ed25519Keys.generate().getPublic();

    @BeforeAll
    static void certificates() throws Exception {
        ourCa = TestTls.create(dir.resolve("ours"), "Starling Test CA");
        anotherCa = TestTls.create(dir.resolve("other"), "Someone Else's CA");
    }

    private static TrustedKey trusted(PublicKey key) {
        return new TrustedKey(Ed25519Keys.keyId(key), Ed25519Keys.toPem(key));
    }

    private static Enrollment enrollment(Transport transport, String... fingerprints) {
        return new Enrollment(transport, List.of(fingerprints), StubControlPlane.JSON, Duration.ofSeconds(5));
    }

    private static Transport bundle() {
        return Transport.of(Optional.of(ourCa.caPem()), false);
    }

    @Test
    void aServerWhoseCertificateTheBundlesCaIssuedIsEnrolledWith() throws Exception {
        try (StubEnrollment cp = new StubEnrollment(ourCa.serverContext(), List.of(trusted(signing)), TOKEN_URL)) {
            Enrollment.Enrolled enrolled = enrollment(bundle()).enroll(cp.uri(), REQUEST);

            assertThat(enrolled.identity().agentId()).isEqualTo("agent-7");
            assertThat(enrolled.identity().serverUrl()).startsWith("https://127.0.0.1:");
            assertThat(enrolled.identity().manifestKeys()).containsExactly(trusted(signing));
        }
    }

    @Test
    void aCertificateFromAnotherCaIsRefusedWithAHintAboutTheBundle() throws Exception {
        try (StubEnrollment cp = new StubEnrollment(anotherCa.serverContext(), List.of(trusted(signing)), TOKEN_URL)) {
            assertThatThrownBy(() -> enrollment(bundle()).enroll(cp.uri(), REQUEST))
                    .isInstanceOf(ControlPlaneException.class)
                    .hasMessageContaining("TLS failed")
                    .hasMessageContaining("--ca-bundle")
                    .hasMessageContaining("the CA bundle in use is " + ourCa.caPem())
                    .satisfies(e -> assertThat(((ControlPlaneException) e).status()).isZero());
            assertThat(cp.calls()).isZero();
        }
    }

    @Test
    void withoutABundleAPrivateCaIsNotTrusted() throws Exception {
        try (StubEnrollment cp = new StubEnrollment(ourCa.serverContext(), List.of(trusted(signing)), TOKEN_URL)) {
            assertThatThrownBy(() -> enrollment(Transport.defaults()).enroll(cp.uri(), REQUEST))
                    .isInstanceOf(ControlPlaneException.class).hasMessageContaining("TLS failed");
            assertThat(cp.calls()).isZero();
        }
    }

    @Test
    void plainHttpToAnotherMachineIsRefusedBeforeTheTokenIsSent() {
        // 192.0.2.0/24 is reserved for documentation: nothing answers there.
        assertThatThrownBy(() -> enrollment(Transport.defaults()).enroll(URI.create("http://192.0.2.10:8080"), REQUEST))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("plain http to another machine").hasMessageContaining("--insecure");
    }

    @Test
    void aTokenUrlInPlainHttpToAnotherMachineIsRefused() throws Exception {
        try (StubEnrollment cp = new StubEnrollment(ourCa.serverContext(), List.of(trusted(signing)),
                "http://keycloak.example.com/realms/starling/protocol/openid-connect/token")) {
            assertThatThrownBy(() -> enrollment(bundle()).enroll(cp.uri(), REQUEST))
                    .isInstanceOf(EnrollmentRefusedException.class)
                    .hasMessageContaining("The token URL the control plane sent, http://keycloak.example.com")
                    .hasMessageContaining("Nothing was saved").hasMessageContaining("agent-7");
        }
    }

    @Test
    void theMatchingFingerprintKeepsThatKeyAndDropsOneTheNetworkAdded() throws Exception {
        try (StubEnrollment cp = new StubEnrollment(ourCa.serverContext(), List.of(trusted(intruder), trusted(signing)),
                TOKEN_URL)) {
            Enrollment.Enrolled enrolled = enrollment(bundle(), Ed25519Keys.fingerprint(signing)).enroll(cp.uri(), REQUEST);

            assertThat(enrolled.identity().manifestKeys()).containsExactly(trusted(signing));
            assertThat(enrolled.dropped()).containsExactly(trusted(intruder));
        }
    }

    @Test
    void aFingerprintTheAnswerDoesNotHoldRefusesTheEnrollment() throws Exception {
        try (StubEnrollment cp = new StubEnrollment(ourCa.serverContext(), List.of(trusted(intruder)), TOKEN_URL)) {
            assertThatThrownBy(() -> enrollment(bundle(), Ed25519Keys.fingerprint(signing)).enroll(cp.uri(), REQUEST))
                    .isInstanceOf(EnrollmentRefusedException.class)
                    .hasMessageContaining("no manifest key with fingerprint " + Ed25519Keys.fingerprint(signing))
                    .hasMessageContaining("Nothing was saved; the control plane created agent agent-7");
        }
    }

    @Test
    void aMalformedFingerprintIsRefusedBeforeAnythingIsSent() throws Exception {
        try (StubEnrollment cp = new StubEnrollment(ourCa.serverContext(), List.of(trusted(signing)), TOKEN_URL)) {
            assertThatThrownBy(() -> enrollment(bundle(), Ed25519Keys.keyId(signing)).enroll(cp.uri(), REQUEST))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is a key id");
            assertThat(cp.calls()).isZero();
        }
    }

    private static Enrollment enrollmentPinningRoot(PublicKey root) {
        return new Enrollment(bundle(), List.of(), Ed25519Keys.fingerprint(root), StubControlPlane.JSON, Duration.ofSeconds(5));
    }

    private SignedKeySet keySetFrom(KeyPair root) {
        Instant now = Instant.now();
        return new KeySetSigner(root).sign(new KeySet(KeySet.FORMAT, 1, null, now, now.plus(Duration.ofDays(1)),
                List.of(new OnlineKey(Ed25519Keys.keyId(signing), Ed25519Keys.toPem(signing))), List.of(), null));
    }

    @Test
    void thePinnedRootIsKeptWithItsKeySet() throws Exception {
        KeyPair root = Ed25519Keys.generate();
        SignedKeySet set = keySetFrom(root);
        try (StubEnrollment cp = new StubEnrollment(ourCa.serverContext(), List.of(trusted(signing)), TOKEN_URL)
                .withRoot(trusted(root.getPublic()), set)) {
            AgentIdentity identity = enrollmentPinningRoot(root.getPublic()).enroll(cp.uri(), REQUEST).identity();
            assertThat(identity.rootKey()).isEqualTo(trusted(root.getPublic()));
            assertThat(identity.keySet()).isEqualTo(set);
        }
    }

    @Test
    void aRootOtherThanThePinnedOneRefusesTheEnrollment() throws Exception {
        KeyPair root = Ed25519Keys.generate();
        KeyPair intruderRoot = Ed25519Keys.generate();
        try (StubEnrollment cp = new StubEnrollment(ourCa.serverContext(), List.of(trusted(signing)), TOKEN_URL)
                .withRoot(trusted(intruderRoot.getPublic()), keySetFrom(intruderRoot))) {
            assertThatThrownBy(() -> enrollmentPinningRoot(root.getPublic()).enroll(cp.uri(), REQUEST))
                    .isInstanceOf(EnrollmentRefusedException.class)
                    .hasMessageContaining("not the pinned " + Ed25519Keys.fingerprint(root.getPublic()))
                    .hasMessageContaining("Nothing was saved");
        }
    }

    @Test
    void aPinnedRootTheControlPlaneDoesNotOfferRefusesTheEnrollment() throws Exception {
        try (StubEnrollment cp = new StubEnrollment(ourCa.serverContext(), List.of(trusted(signing)), TOKEN_URL)) {
            assertThatThrownBy(() -> enrollmentPinningRoot(Ed25519Keys.generate().getPublic()).enroll(cp.uri(), REQUEST))
                    .isInstanceOf(EnrollmentRefusedException.class).hasMessageContaining("offered no root key");
        }
    }

    @Test
    void aKeySetTheOfferedRootDidNotSignRefusesTheEnrollment() throws Exception {
        KeyPair root = Ed25519Keys.generate();
        try (StubEnrollment cp = new StubEnrollment(ourCa.serverContext(), List.of(trusted(signing)), TOKEN_URL)
                .withRoot(trusted(root.getPublic()), keySetFrom(Ed25519Keys.generate()))) {
            assertThatThrownBy(() -> enrollmentPinningRoot(root.getPublic()).enroll(cp.uri(), REQUEST))
                    .isInstanceOf(EnrollmentRefusedException.class).hasMessageContaining("BAD_SIGNATURE");
        }
    }
}
