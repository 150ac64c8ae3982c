package io.starling.agent.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A throw-away swarm CA made with the openssl command, issuing peer certificates as the control plane does. */
public final class OpensslCa {

    public static final Path OPENSSL = Path.of("/usr/bin/openssl");

    private final Path dir;

    /** @param dir an empty folder for the CA's key and certificate */
    public OpensslCa(Path dir) {
        this.dir = dir;
    }

    public static boolean available() {
        return Files.isExecutable(OPENSSL);
    }

    /** A certificate for the key (X.509 SubjectPublicKeyInfo, base64), valid for {@code days}. */
    public synchronized String issue(String publicKeyBase64, int days) throws IOException, InterruptedException {
        Path caKey = dir.resolve("ca.key");
        Path caCert = dir.resolve("ca.pem");
        if (!Files.exists(caCert)) {
            run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", caKey.toString());
            run("req", "-x509", "-new", "-key", caKey.toString(), "-subj", "/CN=swarm CA", "-days", "1", "-out", caCert.toString());
        }
        Path pub = Files.writeString(dir.resolve("peer.pub"), "-----BEGIN PUBLIC KEY-----\n"
                + publicKeyBase64.replaceAll("(.{64})", "$1\n") + "\n-----END PUBLIC KEY-----\n", StandardCharsets.US_ASCII);
        Path out = dir.resolve("peer.pem");
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
