package io.starling.protocol.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.protocol.keys.KeySetRejectedException.Reason;
import io.starling.protocol.manifest.CanonicalJson;
import io.starling.protocol.manifest.Ed25519Keys;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeySetVerifierTest {

    private static final Instant CREATED = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant NOW = CREATED.plusSeconds(3600);

    private final KeyPair root = Ed25519Keys.generate();
    private final KeyPair online1 = Ed25519Keys.generate();
    private final KeyPair online2 = Ed25519Keys.generate();
    private final KeySetSigner signer = new KeySetSigner(root);
    private final KeySetVerifier verifier = new KeySetVerifier(root.getPublic());

    static OnlineKey online(KeyPair pair) {
        return new OnlineKey(Ed25519Keys.keyId(pair.getPublic()), Ed25519Keys.toPem(pair.getPublic()));
    }

    private KeySet set(long version, List<OnlineKey> keys, List<String> revoked) {
        return new KeySet(KeySet.FORMAT, version, null, CREATED, CREATED.plusSeconds(86400), keys, revoked, null);
    }

    private static void assertRejected(Runnable verify, Reason reason) {
        assertThatThrownBy(verify::run).isInstanceOfSatisfying(KeySetRejectedException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void aSetSignedByTheRootGivesItsKeysThatAreNotRevoked() {
        SignedKeySet signed = signer.sign(set(2, List.of(online(online1), online(online2)),
                List.of(Ed25519Keys.keyId(online1.getPublic()))));
        KeySet set = verifier.verify(signed, NOW, 1);
        assertThat(set.rootKeyId()).isEqualTo(Ed25519Keys.keyId(root.getPublic()));
        assertThat(set.trusted()).containsOnlyKeys(Ed25519Keys.keyId(online2.getPublic()));
    }

    @Test
    void aSetSignedByAnotherRootIsRefused() {
        SignedKeySet forged = new KeySetSigner(Ed25519Keys.generate()).sign(set(2, List.of(online(online1)), List.of()));
        assertRejected(() -> verifier.verify(forged, NOW, -1), Reason.BAD_SIGNATURE);
    }

    @Test
    void oneChangedByteBreaksTheSignature() {
        SignedKeySet signed = signer.sign(set(2, List.of(online(online1)), List.of()));
        byte[] bytes = Base64.getDecoder().decode(signed.keySet());
        bytes[bytes.length - 3] ^= 1;
        SignedKeySet tampered = new SignedKeySet(Base64.getEncoder().encodeToString(bytes), signed.signature());
        assertRejected(() -> verifier.verify(tampered, NOW, -1), Reason.BAD_SIGNATURE);
    }

    @Test
    void anExpiredSetIsRefused() {
        SignedKeySet signed = signer.sign(set(2, List.of(online(online1)), List.of()));
        assertRejected(() -> verifier.verify(signed, CREATED.plusSeconds(86400), -1), Reason.EXPIRED);
    }

    @Test
    void anOlderOrEqualVersionIsARollback() {
        SignedKeySet signed = signer.sign(set(2, List.of(online(online1)), List.of()));
        assertRejected(() -> verifier.verify(signed, NOW, 2), Reason.ROLLBACK);
        assertRejected(() -> verifier.verify(signed, NOW, 5), Reason.ROLLBACK);
    }

    @Test
    void aSetThatTrustsNoKeyCannotEvenBeSigned() {
        assertRejected(() -> signer.sign(set(2, List.of(online(online1)), List.of(Ed25519Keys.keyId(online1.getPublic())))),
                Reason.MALFORMED);
    }

    @Test
    void aKeyWhoseIdIsNotItsOwnIsRefused() {
        OnlineKey mislabelled = new OnlineKey(Ed25519Keys.keyId(online2.getPublic()), Ed25519Keys.toPem(online1.getPublic()));
        assertRejected(() -> signer.sign(set(2, List.of(mislabelled), List.of())), Reason.MALFORMED);
    }

    @Test
    void theRootItselfMayNotBeAnOnlineKey() {
        assertRejected(() -> signer.sign(set(2, List.of(online(root)), List.of())), Reason.MALFORMED);
    }

    @Test
    void nonCanonicalBytesAreRefusedEvenWhenSigned() {
        KeySet set = new KeySet(KeySet.FORMAT, 2, Ed25519Keys.keyId(root.getPublic()), CREATED, CREATED.plusSeconds(86400),
                List.of(online(online1)), List.of(), null);
        byte[] bytes = (" " + new String(CanonicalJson.write(set), java.nio.charset.StandardCharsets.UTF_8))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertRejected(() -> verifier.verify(bytes, Ed25519Keys.sign(root.getPrivate(), bytes), NOW, -1), Reason.MALFORMED);
    }

    @Test
    void sequenceResetsTravelSignedAndSorted() {
        KeySet set = new KeySet(KeySet.FORMAT, 3, null, CREATED, CREATED.plusSeconds(86400), List.of(online(online2)),
                List.of(), Map.of("suite", 4L, "app", 7L));
        KeySet read = verifier.verify(signer.sign(set), NOW, 2);
        assertThat(read.resets()).containsExactly(Map.entry("app", 7L), Map.entry("suite", 4L));
    }

    @Test
    void aResetForAnInvalidProductNameIsRefused() {
        KeySet set = new KeySet(KeySet.FORMAT, 3, null, CREATED, CREATED.plusSeconds(86400), List.of(online(online2)),
                List.of(), Map.of("../etc", 4L));
        assertRejected(() -> signer.sign(set), Reason.MALFORMED);
    }
}
