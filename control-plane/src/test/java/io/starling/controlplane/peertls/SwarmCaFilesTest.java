package io.starling.controlplane.peertls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin's own CA as the swarm CA ({@code starling.swarm.ca-certificate-file} and {@code ca-key-file}). */
class SwarmCaFilesTest {

    @TempDir
    Path dir;

    @Test
    void aCaGivenAsFilesIssuesPeerCertificatesThatChainToIt() throws Exception {
        PeerCertificates.Ca own = PeerCertificates.newCa("Fleet CA", Duration.ofDays(1));
        Path cert = write("ca.pem", own.certificatePem());
        Path key = write("ca.key", own.privateKeyPem());

        PeerCertificates.Ca read = SwarmCa.fromFiles(Optional.of(cert), Optional.of(key));

        String issued = PeerCertificates.issue(read, PeerCertificates.newKeyPair().getPublic(), "agent a", Duration.ofHours(1));
        PeerCertificates.certificate(issued).verify(PeerCertificates.certificate(own.certificatePem()).getPublicKey());
        assertThat(read.certificatePem()).isEqualTo(own.certificatePem());
    }

    @Test
    void aKeyThatIsNotTheCertificatesStopsTheStartNamingTheFile() throws Exception {
        Path cert = write("ca.pem", PeerCertificates.newCa("Fleet CA", Duration.ofDays(1)).certificatePem());
        Path key = write("other.key", PeerCertificates.newCa("Other CA", Duration.ofDays(1)).privateKeyPem());

        assertThatThrownBy(() -> SwarmCa.fromFiles(Optional.of(cert), Optional.of(key)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("starling.swarm.ca-key-file " + key).hasMessageContaining("is not the EC private key");
    }

    @Test
    void aServerCertificateIsNotTakenAsTheSwarmCa() throws Exception {
        PeerCertificates.Ca ca = PeerCertificates.newCa("Fleet CA", Duration.ofDays(1));
        Path leaf = write("leaf.pem",
                PeerCertificates.issue(ca, PeerCertificates.newKeyPair().getPublic(), "server", Duration.ofHours(1)));
        Path key = write("ca.key", ca.privateKeyPem());

        assertThatThrownBy(() -> SwarmCa.fromFiles(Optional.of(leaf), Optional.of(key)))
                .hasMessageContaining("is not a CA certificate");
    }

    @Test
    void oneFileWithoutTheOtherIsRefused() throws Exception {
        Path cert = write("ca.pem", PeerCertificates.newCa("Fleet CA", Duration.ofDays(1)).certificatePem());

        assertThatThrownBy(() -> SwarmCa.fromFiles(Optional.of(cert), Optional.empty()))
                .hasMessageContaining("go together");
        assertThatThrownBy(() -> SwarmCa.fromFiles(Optional.of(dir.resolve("missing.pem")), Optional.of(cert)))
                .hasMessageContaining("starling.swarm.ca-certificate-file " + dir.resolve("missing.pem") + " cannot be read");
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }
}
