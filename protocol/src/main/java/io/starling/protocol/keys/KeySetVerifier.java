package io.starling.protocol.keys;

import static io.starling.protocol.keys.KeySetRejectedException.Reason.BAD_SIGNATURE;
import static io.starling.protocol.keys.KeySetRejectedException.Reason.EXPIRED;
import static io.starling.protocol.keys.KeySetRejectedException.Reason.MALFORMED;
import static io.starling.protocol.keys.KeySetRejectedException.Reason.NOT_YET_VALID;
import static io.starling.protocol.keys.KeySetRejectedException.Reason.ROLLBACK;
import static io.starling.protocol.keys.KeySetRejectedException.Reason.TOO_LARGE;

import io.starling.protocol.manifest.CanonicalJson;
import io.starling.protocol.manifest.Ed25519Keys;
import io.starling.protocol.names.NameRules;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Decides whether a key set comes from the pinned root and may replace the one held. Thread-safe.
 * The signature is checked over the exact bytes before anything in them is parsed, as for manifests.
 */
public final class KeySetVerifier {

    /** Far above a set of a few dozen keys; a bound so that a hostile answer cannot make us parse megabytes. */
    public static final int MAX_BYTES = 64 * 1024;
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private final PublicKey root;
    private final String rootKeyId;

    public KeySetVerifier(PublicKey root) {
        if (!Ed25519Keys.isEd25519(root)) {
            throw new IllegalArgumentException("the root key must be Ed25519, not " + root.getAlgorithm());
        }
        this.root = root;
        this.rootKeyId = Ed25519Keys.keyId(root);
    }

    public String rootKeyId() {
        return rootKeyId;
    }

    /**
     * @param currentVersion the version of the set held now, -1 for none: the new one must be above it
     * @throws KeySetRejectedException saying why the set must not be used
     */
    public KeySet verify(byte[] bytes, byte[] signature, Instant now, long currentVersion) {
        KeySet set = read(bytes, signature);
        if (!now.isBefore(set.expiresAt())) {
            throw new KeySetRejectedException(EXPIRED, "key set " + set.version() + " expired at " + set.expiresAt());
        }
        if (now.plus(CLOCK_SKEW).isBefore(set.createdAt())) {
            throw new KeySetRejectedException(NOT_YET_VALID, "key set " + set.version() + " was created at "
                    + set.createdAt() + ", later than now (" + now + ")");
        }
        if (set.version() <= currentVersion) {
            throw new KeySetRejectedException(ROLLBACK, "key set version " + set.version()
                    + " is not above the version held, " + currentVersion);
        }
        return set;
    }

    /**
     * Signature and content only, not time or version: for a set taken before (an agent's saved
     * one, which must stay in force, expired or not, so that no older set can replace it).
     */
    public KeySet read(SignedKeySet signed) {
        byte[][] decoded = decode(signed);
        return read(decoded[0], decoded[1]);
    }

    private KeySet read(byte[] bytes, byte[] signature) {
        if (bytes.length > MAX_BYTES) {
            throw new KeySetRejectedException(TOO_LARGE, bytes.length + " bytes, more than the limit of " + MAX_BYTES);
        }
        if (!Ed25519Keys.verifies(root, bytes, signature)) {
            throw new KeySetRejectedException(BAD_SIGNATURE, "not signed by the root key " + rootKeyId);
        }
        KeySet set;
        try {
            set = CanonicalJson.read(bytes, KeySet.class);
        } catch (IllegalArgumentException e) {
            throw new KeySetRejectedException(MALFORMED, oneLine(e.getMessage()));
        }
        if (!Arrays.equals(CanonicalJson.write(set), bytes)) {
            throw new KeySetRejectedException(MALFORMED, "not in canonical JSON form");
        }
        checkContent(set);
        return set;
    }

    /** The same, for the base64 text of a {@link SignedKeySet}. */
    public KeySet verify(SignedKeySet signed, Instant now, long currentVersion) {
        byte[][] decoded = decode(signed);
        return verify(decoded[0], decoded[1], now, currentVersion);
    }

    private static byte[][] decode(SignedKeySet signed) {
        try {
            return new byte[][] {Base64.getDecoder().decode(signed.keySet()), Base64.getDecoder().decode(signed.signature())};
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new KeySetRejectedException(MALFORMED, "keySet and signature must both be base64");
        }
    }

    private void checkContent(KeySet set) {
        if (set.format() != KeySet.FORMAT) {
            throw new KeySetRejectedException(MALFORMED, "format " + set.format() + ", expected " + KeySet.FORMAT);
        }
        if (!rootKeyId.equals(set.rootKeyId())) {
            throw new KeySetRejectedException(MALFORMED, "names root " + set.rootKeyId() + " but was signed by " + rootKeyId);
        }
        if (set.version() < 0 || !set.createdAt().isBefore(set.expiresAt())) {
            throw new KeySetRejectedException(MALFORMED, "needs a version of 0 or more and an expiry after its creation");
        }
        Set<String> ids = new HashSet<>();
        for (OnlineKey key : set.keys()) {
            PublicKey publicKey;
            try {
                publicKey = Ed25519Keys.readPublicKey(key.publicKey());
            } catch (IllegalArgumentException e) {
                throw new KeySetRejectedException(MALFORMED, "key " + key.keyId() + ": " + oneLine(e.getMessage()));
            }
            if (!Ed25519Keys.isEd25519(publicKey) || !Ed25519Keys.keyId(publicKey).equals(key.keyId())) {
                throw new KeySetRejectedException(MALFORMED, "key " + key.keyId() + " is not an Ed25519 key with that id");
            }
            if (!ids.add(key.keyId())) {
                throw new KeySetRejectedException(MALFORMED, "key " + key.keyId() + " is listed twice");
            }
            if (key.keyId().equals(rootKeyId)) {
                throw new KeySetRejectedException(MALFORMED, "the root key must not sign manifests: keep it offline");
            }
        }
        if (set.trusted().isEmpty()) {
            throw new KeySetRejectedException(MALFORMED, "trusts no key that is not revoked: nothing could be installed");
        }
        for (Map.Entry<String, Long> reset : set.resets().entrySet()) {
            if (!NameRules.isProduct(reset.getKey()) || reset.getValue() == null || reset.getValue() < 0) {
                throw new KeySetRejectedException(MALFORMED, "sequence reset " + NameRules.printable(reset.getKey())
                        + " needs a product name and a sequence of 0 or more");
            }
        }
    }

    private static String oneLine(String message) {
        String text = String.valueOf(message);
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
