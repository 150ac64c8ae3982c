package io.starling.agent.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's key and certificate for SSL torrents; certificates made with the openssl command. */
class PeerIdentityTest {

    @TempDir
    Path state;

    @TempDir
    Path ca;

    @Test
    void theKeyIsMadeOnceKeptOwnerOnlyAndACertificateIsWantedUntilOneArrives() throws Exception {
        PeerIdentity first = PeerIdentity.open(state);
        PeerIdentity again = PeerIdentity.open(state);

        assertThat(again.publicKeyBase64()).isEqualTo(first.publicKeyBase64());
        assertThat(again.privateKeyPem()).isEqualTo(first.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve(PeerIdentity.KEY_FILE))))
                .isEqualTo("rw-------");
        assertThat(again.certificatePem()).isEmpty();
        assertThat(again.wantsCertificate(Instant.now())).isTrue();
    }

    @Test
    void aCertificateForItsKeyIsKeptAcrossRestartsAndAskedForAgainOnceHalfOfItHasPassed() throws Exception {
        assumeTrue(OpensslCa.available(), "no openssl command");
        PeerIdentity id = PeerIdentity.open(state);
        String pem = issue(id.publicKeyBase64(), 2);

        id.renew(pem);

        Instant now = Instant.now();
        assertThat(id.wantsCertificate(now)).isFalse();
        assertThat(id.wantsCertificate(now.plus(Duration.ofHours(25)))).isTrue();
        PeerIdentity restarted = PeerIdentity.open(state);
        assertThat(restarted.certificatePem()).contains(pem);
        assertThat(restarted.wantsCertificate(now)).isFalse();
    }

    @Test
    void aCertificateForAnotherKeyIsRefusedAndTheOldOneKept() throws Exception {
        assumeTrue(OpensslCa.available(), "no openssl command");
        PeerIdentity id = PeerIdentity.open(state);
        PeerIdentity other = PeerIdentity.open(state.resolve("other"));

        assertThatThrownBy(() -> id.renew(issue(other.publicKeyBase64(), 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another key");
        assertThatThrownBy(() -> id.renew("not a certificate")).isInstanceOf(IllegalArgumentException.class);
        assertThat(id.certificatePem()).isEmpty();
        assertThat(Files.exists(state.resolve(PeerIdentity.CERTIFICATE_FILE))).isFalse();
    }

    @Test
    void aKeyMadeForAnEnrollmentIsWrittenOnlyOnceEnrolledAndKeptWithTheCertificateTheAnswerBrought() throws Exception {
        assumeTrue(OpensslCa.available(), "no openssl command");
        Path fresh = state.resolve("fresh");
        PeerIdentity id = PeerIdentity.forEnrollment(fresh);
        assertThat(fresh).as("a refused enrollment leaves nothing behind").doesNotExist();
        String pem = issue(id.publicKeyBase64(), 1);

        id.enrolled(pem);

        PeerIdentity restarted = PeerIdentity.open(fresh);
        assertThat(restarted.publicKeyBase64()).isEqualTo(id.publicKeyBase64());
        assertThat(restarted.certificatePem()).contains(pem);
        assertThat(restarted.wantsCertificate(Instant.now())).as("the first download need not wait").isFalse();
    }

    @Test
    void enrollingAgainWithoutACertificateForgetsTheOneOfTheEarlierIdentity() throws Exception {
        assumeTrue(OpensslCa.available(), "no openssl command");
        PeerIdentity id = PeerIdentity.open(state);
        id.renew(issue(id.publicKeyBase64(), 1));

        PeerIdentity again = PeerIdentity.forEnrollment(state);
        again.enrolled(null);

        assertThat(again.publicKeyBase64()).as("the key stays").isEqualTo(id.publicKeyBase64());
        assertThat(PeerIdentity.open(state).certificatePem()).isEmpty();
        assertThat(again.wantsCertificate(Instant.now())).isTrue();
    }

    private String issue(String publicKeyBase64, int days) throws Exception {
        return new OpensslCa(ca).issue(publicKeyBase64, days);
    }
}
