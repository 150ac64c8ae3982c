package io.starling.protocol.manifest;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.Objects;

/** Signs manifests with one Ed25519 key; stamps that key's id into every manifest it signs. */
public final class ManifestSigner {

    private final PrivateKey privateKey;
    private final String keyId;

    public ManifestSigner(PrivateKey privateKey, String keyId) {
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        this.keyId = Objects.requireNonNull(keyId, "keyId");
        if (!Ed25519Keys.isEd25519(privateKey)) {
            throw new IllegalArgumentException("manifests are signed with Ed25519, not " + privateKey.getAlgorithm());
        }
    }

    public ManifestSigner(KeyPair keyPair) {
        this(keyPair.getPrivate(), Ed25519Keys.keyId(keyPair.getPublic()));
    }

    public String keyId() {
        return keyId;
    }

    /**
     * @throws IllegalArgumentException if the manifest names another key: signing it anyway
     *                                  would send agents looking for the wrong key
     */
    public SignedManifest sign(Manifest manifest) {
        if (manifest.keyId() != null && !manifest.keyId().equals(keyId)) {
            throw new IllegalArgumentException("manifest names key " + manifest.keyId() + ", signer holds " + keyId);
        }
        byte[] bytes = CanonicalJson.write(manifest.withKeyId(keyId));
        return new SignedManifest(bytes, Ed25519Keys.sign(privateKey, bytes));
    }
}
