package io.starling.protocol.keys;

import io.starling.protocol.manifest.CanonicalJson;
import io.starling.protocol.manifest.Ed25519Keys;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.Base64;

/**
 * Signs key sets with the root key, offline ({@code starling-agent keys sign}). Refuses to sign
 * a set its own verifier would refuse, so that a mistake shows on the admin's machine, not on
 * every agent.
 */
public final class KeySetSigner {

    private final PrivateKey root;
    private final KeySetVerifier check;

    public KeySetSigner(KeyPair root) {
        if (!Ed25519Keys.isEd25519(root.getPrivate())) {
            throw new IllegalArgumentException("the root key must be Ed25519, not " + root.getPrivate().getAlgorithm());
        }
        this.root = root.getPrivate();
        this.check = new KeySetVerifier(root.getPublic());
    }

    /**
     * @throws KeySetRejectedException for a set that no agent would take (its rootKeyId is filled in here)
     */
    public SignedKeySet sign(KeySet set) {
        KeySet named = new KeySet(set.format(), set.version(), check.rootKeyId(), set.createdAt(), set.expiresAt(),
                set.keys(), set.revoked(), set.sequenceResets());
        byte[] bytes = CanonicalJson.write(named);
        byte[] signature = Ed25519Keys.sign(root, bytes);
        check.verify(bytes, signature, set.createdAt(), -1);
        return new SignedKeySet(Base64.getEncoder().encodeToString(bytes), Base64.getEncoder().encodeToString(signature));
    }
}
