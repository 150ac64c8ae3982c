package io.starling.agent.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's key and certificate for SSL torrents; certificates made with the openssl command. */
class PeerIdentityTest {

    private static final Path OPENSSL = Path.of("/usr/bin/openssl");

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
        assumeTrue(Files.isExecutable(OPENSSL), "no openssl command");
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
        assumeTrue(Files.isExecutable(OPENSSL), "no openssl command");
        PeerIdentity id = PeerIdentity.open(state);
        PeerIdentity other = PeerIdentity.open(state.resolve("other"));

        assertThatThrownBy(() -> id.renew(issue(other.publicKeyBase64(), 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another key");
        assertThatThrownBy(() -> id.renew("not a certificate")).isInstanceOf(IllegalArgumentException.class);
        assertThat(id.certificatePem()).isEmpty();
        assertThat(Files.exists(state.resolve(PeerIdentity.CERTIFICATE_FILE))).isFalse();
    }

    /** A certificate from a throw-away CA for the key, valid for {@code days}. */
    private String issue(String publicKeyBase64, int days) throws Exception {
        Path caKey = ca.resolve("ca.key");
        Path caCert = ca.resolve("ca.pem");
        if (!Files.exists(caCert)) {
            run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", caKey.toString());
            run("req", "-x509", "-new", "-key", caKey.toString(), "-subj", "/CN=swarm CA", "-days", "1", "-out", caCert.toString());
        }
        Path pub = Files.writeString(ca.resolve("peer.pub"), "-----BEGIN PUBLIC KEY-----\n"
                + publicKeyBase64.replaceAll("(.{64})", "$1\n") + "\n-----END PUBLIC KEY-----\n", StandardCharsets.US_ASCII);
        Path out = ca.resolve("peer.pem");
        run("x509", "-new", "-CA", caCert.toString(), "-CAkey", caKey.toString(), "-force_pubkey", pub.toString(),
                "-subj", "/CN=agent", "-days", String.valueOf(days), "-out", out.toString());
        return Files.readString(out, StandardCharsets.US_ASCII);
    }

    private static void run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(OPENSSL.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
    }
}
