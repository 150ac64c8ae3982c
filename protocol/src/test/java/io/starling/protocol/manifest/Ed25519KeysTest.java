package io.starling.protocol.manifest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.starling.protocol.testing.ManifestBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Ed25519KeysTest {

    private final KeyPair keys = Ed25519Keys.generate();

    @Test
    void keyIdIsTheStartOfTheSha256OfTheSubjectPublicKeyInfo() throws Exception {
        byte[] spki = keys.getPublic().getEncoded();
        assertThat(spki).hasSize(44); // 12 bytes of DER header + the 32-byte key

        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(spki)).substring(0, 16);
        assertThat(Ed25519Keys.keyId(keys.getPublic())).isEqualTo(expected).matches("[0-9a-f]{16}");
    }

    @Test
    void theFingerprintIsTheWholeSha256AndTheKeyIdItsStart() throws Exception {
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(keys.getPublic().getEncoded()));
        assertThat(Ed25519Keys.fingerprint(keys.getPublic())).isEqualTo(expected).matches("[0-9a-f]{64}")
                .startsWith(Ed25519Keys.keyId(keys.getPublic()));
    }

    @Test
    void keysSurviveAPemRoundTrip() throws Exception {
        String publicPem = Ed25519Keys.toPem(keys.getPublic());
        String privatePem = Ed25519Keys.toPem(keys.getPrivate());
        assertThat(publicPem).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("-----END PUBLIC KEY-----\n");
        assertThat(privatePem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");

        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(Ed25519Keys.readPrivateKey(privatePem));
        signer.update("hello".getBytes(UTF_8));
        byte[] signature = signer.sign();

        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(Ed25519Keys.readPublicKey(publicPem));
        verifier.update("hello".getBytes(UTF_8));
        assertThat(verifier.verify(signature)).isTrue();
        assertThat(Ed25519Keys.keyId(Ed25519Keys.readPublicKey(publicPem))).isEqualTo(Ed25519Keys.keyId(keys.getPublic()));
    }

    @Test
    void otherKeysAndGarbageAreRefused() throws Exception {
        KeyPair ed448 = KeyPairGenerator.getInstance("Ed448").generateKeyPair();
        assertThat(Ed25519Keys.isEd25519(ed448.getPublic())).isFalse();
        assertThatThrownBy(() -> Ed25519Keys.readPublicKey(Ed25519Keys.toPem(ed448.getPublic())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ed25519Keys.readPublicKey("hello")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ed25519Keys.readPublicKey(Ed25519Keys.toPem(keys.getPrivate())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ed25519Keys.readPrivateKey("-----BEGIN PRIVATE KEY-----\n!!!\n-----END PRIVATE KEY-----\n"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void opensslVerifiesOurManifestSignaturesAndReadsOurKeys(@TempDir Path dir) throws Exception {
        assumeTrue(opensslAvailable(), "openssl is not on PATH");
        SignedManifest signed = new ManifestSigner(keys).sign(ManifestBuilder.manifest().build());
        Files.writeString(dir.resolve("pub.pem"), Ed25519Keys.toPem(keys.getPublic()));
        Files.writeString(dir.resolve("key.pem"), Ed25519Keys.toPem(keys.getPrivate()));
        Files.write(dir.resolve("manifest.json"), signed.bytes());
        Files.write(dir.resolve("sig.bin"), signed.signature());

        assertThat(openssl(dir, "pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin",
                "-in", "manifest.json", "-sigfile", "sig.bin")).contains("Signature Verified Successfully");
        assertThat(openssl(dir, "pkey", "-in", "key.pem", "-pubout")).isEqualTo(Ed25519Keys.toPem(keys.getPublic()));

        byte[] tampered = signed.bytes();
        tampered[10] ^= 1;
        Files.write(dir.resolve("manifest.json"), tampered);
        assertThatThrownBy(() -> openssl(dir, "pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin",
                "-in", "manifest.json", "-sigfile", "sig.bin")).hasMessageContaining("exit");
    }

    @Test
    void keysMadeByOpensslSignManifestsWeVerify(@TempDir Path dir) throws Exception {
        assumeTrue(opensslAvailable(), "openssl is not on PATH");
        openssl(dir, "genpkey", "-algorithm", "ed25519", "-out", "key.pem");
        String publicPem = openssl(dir, "pkey", "-in", "key.pem", "-pubout");
        var publicKey = Ed25519Keys.readPublicKey(publicPem);
        String keyId = Ed25519Keys.keyId(publicKey);

        SignedManifest signed = new ManifestSigner(Ed25519Keys.readPrivateKey(Files.readString(dir.resolve("key.pem"))), keyId)
                .sign(ManifestBuilder.manifest().build());

        Files.writeString(dir.resolve("pub.pem"), publicPem);
        byte[] der = opensslBytes(dir, "pkey", "-pubin", "-in", "pub.pem", "-outform", "DER");
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der))).startsWith(keyId);
        assertThat(new ManifestVerifier(java.util.Map.of(keyId, publicKey), ManifestLimits.DEFAULT)
                .verify(signed.bytes(), signed.signature(), ManifestBuilder.CREATED, -1).keyId()).isEqualTo(keyId);
    }

    private static boolean opensslAvailable() {
        try {
            Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String openssl(Path dir, String... args) throws Exception {
        return new String(opensslBytes(dir, args), UTF_8);
    }

    private static byte[] opensslBytes(Path dir, String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = "openssl";
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: exit " + p.exitValue());
        }
        return out;
    }
}
