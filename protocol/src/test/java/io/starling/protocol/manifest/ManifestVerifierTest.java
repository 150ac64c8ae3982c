package io.starling.protocol.manifest;

import static io.starling.protocol.testing.ManifestBuilder.CREATED;
import static io.starling.protocol.testing.ManifestBuilder.artifact;
import static io.starling.protocol.testing.ManifestBuilder.manifest;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.protocol.manifest.ManifestRejectedException.Reason;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ManifestVerifierTest {

    private static final Instant NOW = CREATED.plusSeconds(3600);
    private static final ManifestLimits LIMITS = new ManifestLimits(64 * 1024, 1L << 30, 4, Duration.ofMinutes(5));

    private final KeyPair trusted = Ed25519Keys.generate();
    private final KeyPair stranger = Ed25519Keys.generate();
    private final ManifestSigner signer = new ManifestSigner(trusted);
    private final ManifestVerifier verifier =
            new ManifestVerifier(Map.of(signer.keyId(), trusted.getPublic()), LIMITS);

    private Manifest verify(SignedManifest signed, long lastInstalledSequence) {
        return verifier.verify(signed.bytes(), signed.signature(), NOW, lastInstalledSequence);
    }

    private AbstractThrowableAssert<?, ?> assertRejected(byte[] bytes, byte[] signature, Reason reason) {
        return assertThatThrownBy(() -> verifier.verify(bytes, signature, NOW, -1))
                .isInstanceOfSatisfying(ManifestRejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    private AbstractThrowableAssert<?, ?> assertRejected(SignedManifest signed, Reason reason) {
        return assertRejected(signed.bytes(), signed.signature(), reason);
    }

    /** Signs arbitrary bytes with the trusted key: what a compromised or buggy publisher could send. */
    private byte[] signRaw(byte[] bytes) throws Exception {
        Signature ed25519 = Signature.getInstance("Ed25519");
        ed25519.initSign(trusted.getPrivate());
        ed25519.update(bytes);
        return ed25519.sign();
    }

    @Test
    void aGenuineManifestIsAccepted() {
        Manifest manifest = manifest().build();

        Manifest verified = verify(signer.sign(manifest), 6);

        assertThat(verified).isEqualTo(manifest.withKeyId(signer.keyId()));
    }

    @Test
    void tamperedManifestFailsVerification() {
        SignedManifest signed = signer.sign(manifest().version("2.4.1").build());
        byte[] tampered = new String(signed.bytes(), UTF_8).replace("\"2.4.1\"", "\"2.4.2\"").getBytes(UTF_8);

        assertRejected(tampered, signed.signature(), Reason.BAD_SIGNATURE);
    }

    @Test
    void everySingleFlippedByteFailsVerification() {
        SignedManifest signed = signer.sign(manifest().build());
        byte[] bytes = signed.bytes();
        for (int i = 0; i < bytes.length; i++) {
            byte[] tampered = bytes.clone();
            tampered[i] ^= 0x01;
            int at = i;
            assertThatThrownBy(() -> verifier.verify(tampered, signed.signature(), NOW, -1)).as("byte " + at)
                    .isInstanceOf(ManifestRejectedException.class);
        }
    }

    @Test
    void aTamperedSignatureFailsVerification() {
        SignedManifest signed = signer.sign(manifest().build());
        byte[] signature = signed.signature();
        signature[5] ^= 0x40;
        assertRejected(signed.bytes(), signature, Reason.BAD_SIGNATURE);
        assertRejected(signed.bytes(), new byte[63], Reason.BAD_SIGNATURE);
    }

    @Test
    void aSignatureByAnotherKeyClaimingTheTrustedIdFails() {
        SignedManifest forged = new ManifestSigner(stranger.getPrivate(), signer.keyId()).sign(manifest().build());
        assertRejected(forged, Reason.BAD_SIGNATURE);
    }

    @Test
    void aManifestSignedWithAnUntrustedKeyIsRejected() {
        SignedManifest signed = new ManifestSigner(stranger).sign(manifest().build());
        assertRejected(signed, Reason.UNKNOWN_KEY).hasMessageContaining(Ed25519Keys.keyId(stranger.getPublic()));
    }

    @Test
    void anOversizedManifestIsRejectedBeforeItIsParsed() {
        assertRejected(new byte[LIMITS.maxManifestBytes() + 1], new byte[64], Reason.TOO_LARGE);
    }

    @Test
    void tooManyArtifactsAreRejected() {
        ArtifactEntry[] five = Stream.of("a", "b", "c", "d", "e").map(n -> artifact(n, 1)).toArray(ArtifactEntry[]::new);
        assertRejected(signer.sign(manifest().artifacts(five).build()), Reason.TOO_LARGE);
    }

    @Test
    void somethingThatIsNotJsonOrNamesNoKeyIsMalformed() {
        assertRejected("not json".getBytes(UTF_8), new byte[64], Reason.MALFORMED);
        assertRejected("[1,2]".getBytes(UTF_8), new byte[64], Reason.MALFORMED);
        assertRejected("{\"keyId\":7}".getBytes(UTF_8), new byte[64], Reason.MALFORMED);
        assertRejected("{\"keyId\":\"a\",\"keyId\":\"b\"}".getBytes(UTF_8), new byte[64], Reason.MALFORMED);
    }

    @Test
    void aBadSignatureIsReportedBeforeBadContent() {
        SignedManifest signed = signer.sign(manifest().artifacts(artifact("../../etc/passwd", 1)).build());
        byte[] signature = signed.signature();
        signature[0] ^= 1;
        assertRejected(signed.bytes(), signature, Reason.BAD_SIGNATURE);
    }

    @Test
    void signedBytesWithUnknownMembersAreMalformed() throws Exception {
        String json = new String(signer.sign(manifest().build()).bytes(), UTF_8);
        byte[] bytes = json.replace("\"format\":1,", "\"format\":1,\"runAsRoot\":true,").getBytes(UTF_8);
        assertRejected(bytes, signRaw(bytes), Reason.MALFORMED).hasMessageContaining("runAsRoot");
    }

    @Test
    void signedBytesWithoutASequenceAreMalformed() throws Exception {
        String json = new String(signer.sign(manifest().build()).bytes(), UTF_8);
        byte[] bytes = json.replace(",\"sequence\":7", "").getBytes(UTF_8);
        assertRejected(bytes, signRaw(bytes), Reason.MALFORMED).hasMessageContaining("sequence");
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
        "\"artifacts\":[null]", "\"artifacts\":{}", "\"artifacts\":[{}]", "\"artifacts\":null",
        "\"createdAt\":null", "\"createdAt\":\"yesterday\"", "\"format\":2", "\"format\":\"1\"",
        "\"install\":\"rm -rf /\"", "\"install\":{\"command\":[]}", "\"install\":{\"timeoutSeconds\":0}",
        "\"product\":\"../x\"", "\"product\":5", "\"sequence\":-1", "\"sequence\":1e3", "\"sequence\":99999999999999999999",
    })
    void signedButNonsensicalContentIsRejectedWithAReason(String member) throws Exception {
        String name = member.substring(1, member.indexOf('"', 1));
        byte[] bytes = new String(signer.sign(manifest().sequence(7).build()).bytes(), UTF_8)
                .replaceFirst("\"" + name + "\":(\\[.*?\\](?=,\"createdAt)|\\{.*?\\}(?=,\"keyId)|\"[^\"]*\"|[0-9]+)",
                        java.util.regex.Matcher.quoteReplacement(member))
                .getBytes(UTF_8);
        assertThat(new String(bytes, UTF_8)).contains(member);
        assertThatThrownBy(() -> verifier.verify(bytes, signRaw(bytes), NOW, -1))
                .isInstanceOfSatisfying(ManifestRejectedException.class,
                        e -> assertThat(e.reason()).isIn(Reason.MALFORMED, Reason.BAD_ARTIFACT));
    }

    @Test
    void signedBytesThatAreNotCanonicalAreMalformed() throws Exception {
        String json = new String(signer.sign(manifest().build()).bytes(), UTF_8);
        byte[] spaced = json.replace(",\"format\":1,", ", \"format\": 1,").getBytes(UTF_8);
        assertRejected(spaced, signRaw(spaced), Reason.MALFORMED).hasMessageContaining("canonical");
        byte[] reordered = ("{\"version\":\"2.4.1\"," + json.substring(1).replace(",\"version\":\"2.4.1\"", ""))
                .getBytes(UTF_8);
        assertRejected(reordered, signRaw(reordered), Reason.MALFORMED).hasMessageContaining("canonical");
    }

    @Test
    void anInstallArchiveThatIsNotAnArtifactIsMalformed() {
        InstallSpec install = new InstallSpec("other.zip", null, null, null);
        assertRejected(signer.sign(manifest().install(install).build()), Reason.MALFORMED);
    }

    static Stream<Arguments> badArtifacts() {
        String hex64 = "a".repeat(64);
        String hex40 = "b".repeat(40);
        return Stream.of(
                Arguments.of("path traversal", new ArtifactEntry("../../etc/passwd", 1, hex64, hex40, hex64, 16384)),
                Arguments.of("directory", new ArtifactEntry("bin/app", 1, hex64, hex40, hex64, 16384)),
                Arguments.of("hidden file", new ArtifactEntry(".bashrc", 1, hex64, hex40, hex64, 16384)),
                Arguments.of("empty", new ArtifactEntry("app.zip", 0, hex64, hex40, hex64, 16384)),
                Arguments.of("negative size", new ArtifactEntry("app.zip", -1, hex64, hex40, hex64, 16384)),
                Arguments.of("beyond the size limit", new ArtifactEntry("app.zip", (1L << 30) + 1, hex64, hex40, hex64, 16384)),
                Arguments.of("uppercase sha256", new ArtifactEntry("app.zip", 1, hex64.toUpperCase(), hex40, hex64, 16384)),
                Arguments.of("short sha256", new ArtifactEntry("app.zip", 1, hex40, hex40, hex64, 16384)),
                Arguments.of("truncated v2 info-hash", new ArtifactEntry("app.zip", 1, hex64, hex40, hex40, 16384)),
                Arguments.of("long v1 info-hash", new ArtifactEntry("app.zip", 1, hex64, hex64, hex64, 16384)),
                Arguments.of("piece length not a power of two", new ArtifactEntry("app.zip", 1, hex64, hex40, hex64, 20000)),
                Arguments.of("piece length below 16 KiB", new ArtifactEntry("app.zip", 1, hex64, hex40, hex64, 8192)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badArtifacts")
    void anArtifactThatCouldNotBeSafelyStoredIsRejected(String what, ArtifactEntry artifact) {
        assertRejected(signer.sign(manifest().artifacts(artifact).build()), Reason.BAD_ARTIFACT);
    }

    @Test
    void anArtifactListedTwiceIsRejected() {
        assertRejected(signer.sign(manifest().artifacts(artifact("a.zip", 1), artifact("a.zip", 2)).build()),
                Reason.BAD_ARTIFACT);
    }

    @Test
    void aManifestWithNoArtifactsIsRejected() {
        assertRejected(signer.sign(manifest().artifacts().build()), Reason.BAD_ARTIFACT);
    }

    @Test
    void anExpiredManifestIsRejected() {
        assertRejected(signer.sign(manifest().expiresAt(NOW).build()), Reason.EXPIRED);
        assertRejected(signer.sign(manifest().expiresAt(NOW.minusSeconds(1)).build()), Reason.EXPIRED);
    }

    @Test
    void aManifestFromTheFutureIsRejected() {
        Manifest future = manifest().createdAt(NOW.plus(Duration.ofMinutes(6))).expiresAt(NOW.plus(Duration.ofDays(9))).build();
        assertRejected(signer.sign(future), Reason.NOT_YET_VALID);
    }

    @Test
    void aClockThatLagsLessThanTheAllowedSkewIsTolerated() {
        Manifest fresh = manifest().createdAt(NOW.plus(Duration.ofMinutes(4))).build();
        assertThat(verify(signer.sign(fresh), -1).createdAt()).isEqualTo(NOW.plus(Duration.ofMinutes(4)));
    }

    @Test
    void reinstallingTheSameOrAnOlderSequenceIsARollback() {
        SignedManifest seven = signer.sign(manifest().sequence(7).build());
        assertThatThrownBy(() -> verify(seven, 7))
                .isInstanceOfSatisfying(ManifestRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.ROLLBACK));
        assertThatThrownBy(() -> verify(seven, 8))
                .isInstanceOfSatisfying(ManifestRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.ROLLBACK));
    }

    @Test
    void anExplicitRollbackIsANewManifestWithAHigherSequence() {
        Manifest older = manifest().version("2.4.0").sequence(9).build();
        assertThat(verify(signer.sign(older), 8).version()).isEqualTo("2.4.0");
    }

    @Test
    void theFirstInstallAcceptsSequenceZero() {
        assertThat(verify(signer.sign(manifest().sequence(0).build()), -1).sequence()).isZero();
    }

    @Test
    void aTrustedKeyMustMatchItsId() {
        assertThatThrownBy(() -> new ManifestVerifier(Map.of("0000000000000000", trusted.getPublic()), LIMITS))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectionsSayWhyInOneLine() {
        ManifestRejectedException e = new ManifestRejectedException(Reason.EXPIRED, "expired at 2026-01-01T00:00:00Z");
        assertThat(e).hasToString("manifest rejected (EXPIRED): expired at 2026-01-01T00:00:00Z");
        assertThat(List.of(Reason.values())).hasSize(8);
    }
}
