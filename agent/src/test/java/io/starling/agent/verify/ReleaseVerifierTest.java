package io.starling.agent.verify;

import static io.starling.protocol.testing.ManifestBuilder.CREATED;
import static io.starling.protocol.testing.ManifestBuilder.manifest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.protocol.agent.TrustedKey;
import io.starling.protocol.manifest.Ed25519Keys;
import io.starling.protocol.manifest.Manifest;
import io.starling.protocol.manifest.ManifestRejectedException;
import io.starling.protocol.manifest.ManifestRejectedException.Reason;
import io.starling.protocol.manifest.ManifestSigner;
import io.starling.protocol.manifest.SignedManifest;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class ReleaseVerifierTest {

    private static final KeyPair KEYS = Ed25519Keys.generate();
    private static final KeyPair OTHER_KEYS = Ed25519Keys.generate();
    private static final Instant NOW = CREATED.plusSeconds(3600);

    private static TrustedKey pinned(KeyPair keys) {
        return new TrustedKey(Ed25519Keys.keyId(keys.getPublic()), Ed25519Keys.toPem(keys.getPublic()));
    }

    private final ReleaseVerifier verifier = new ReleaseVerifier(List.of(pinned(KEYS)));

    private static SignedManifest signed(Manifest m, KeyPair keys) {
        return new ManifestSigner(keys).sign(m);
    }

    @Test
    void aManifestSignedWithAPinnedKeyIsAccepted() {
        SignedManifest s = signed(manifest().sequence(7).build(), KEYS);

        Manifest accepted = verifier.verify(s.bytes(), s.signature(), NOW, 6);

        assertThat(accepted.product()).isEqualTo("editor");
        assertThat(accepted.sequence()).isEqualTo(7);
    }

    @Test
    void theBase64FormACheckInCarriesIsAcceptedToo() {
        SignedManifest s = signed(manifest().build(), KEYS);
        Base64.Encoder b64 = Base64.getEncoder();

        assertThat(verifier.verify(b64.encodeToString(s.bytes()), b64.encodeToString(s.signature()), NOW, -1).version())
                .isEqualTo("2.4.1");
        assertRejected(() -> verifier.verify("not base64!", b64.encodeToString(s.signature()), NOW, -1), Reason.MALFORMED);
    }

    @Test
    void oneTamperedByteBreaksTheSignature() {
        SignedManifest s = signed(manifest().build(), KEYS);
        byte[] bytes = s.bytes();
        int at = new String(bytes).indexOf("2.4.1");
        bytes[at] = '3';

        assertRejected(() -> verifier.verify(bytes, s.signature(), NOW, -1), Reason.BAD_SIGNATURE);
    }

    @Test
    void aManifestSignedWithAKeyNeverPinnedIsRefused() {
        SignedManifest s = signed(manifest().build(), OTHER_KEYS);

        assertRejected(() -> verifier.verify(s.bytes(), s.signature(), NOW, -1), Reason.UNKNOWN_KEY);
    }

    @Test
    void anExpiredManifestIsRefused() {
        SignedManifest s = signed(manifest().expiresAt(CREATED.plusSeconds(60)).build(), KEYS);

        assertRejected(() -> verifier.verify(s.bytes(), s.signature(), CREATED.plusSeconds(61), -1), Reason.EXPIRED);
    }

    @Test
    void aManifestNotAboveTheInstalledSequenceIsARollback() {
        SignedManifest s = signed(manifest().sequence(7).build(), KEYS);

        assertRejected(() -> verifier.verify(s.bytes(), s.signature(), NOW, 8), Reason.ROLLBACK);
        assertRejected(() -> verifier.verify(s.bytes(), s.signature(), NOW, 7), Reason.ROLLBACK);
    }

    @Test
    void aPinnedKeyWhoseIdIsNotItsOwnIsLeftOutAndTheOthersStillWork() {
        TrustedKey mislabelled = new TrustedKey("0000000000000000", Ed25519Keys.toPem(OTHER_KEYS.getPublic()));
        TrustedKey garbage = new TrustedKey("1111111111111111", "not a pem");
        ReleaseVerifier v = new ReleaseVerifier(List.of(mislabelled, garbage, pinned(KEYS)));
        SignedManifest good = signed(manifest().build(), KEYS);
        SignedManifest other = signed(manifest().build(), OTHER_KEYS);

        assertThat(v.keyIds()).containsExactly(Ed25519Keys.keyId(KEYS.getPublic()));
        assertThat(v.verify(good.bytes(), good.signature(), NOW, -1)).isNotNull();
        assertRejected(() -> v.verify(other.bytes(), other.signature(), NOW, -1), Reason.UNKNOWN_KEY);
    }

    static void assertRejected(ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ManifestRejectedException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
