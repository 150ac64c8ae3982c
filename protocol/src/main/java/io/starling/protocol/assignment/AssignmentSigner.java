package io.starling.protocol.assignment;

import io.starling.protocol.agent.SignedAssignment;
import io.starling.protocol.manifest.CanonicalJson;
import io.starling.protocol.manifest.Ed25519Keys;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/** Signs assignments with one Ed25519 key (the manifest key); stamps that key's id into each. */
public final class AssignmentSigner {

    private final PrivateKey privateKey;
    private final String keyId;

    public AssignmentSigner(PrivateKey privateKey, String keyId) {
        if (!Ed25519Keys.isEd25519(privateKey)) {
            throw new IllegalArgumentException("assignments are signed with Ed25519, not " + privateKey.getAlgorithm());
        }
        this.privateKey = privateKey;
        this.keyId = Objects.requireNonNull(keyId, "keyId");
    }

    /** The id of the key that signs. */
    public String keyId() {
        return keyId;
    }

    public SignedAssignment sign(Assignment assignment) {
        byte[] bytes = CanonicalJson.write(assignment.withKeyId(keyId));
        Base64.Encoder base64 = Base64.getEncoder();
        return new SignedAssignment(base64.encodeToString(bytes), base64.encodeToString(Ed25519Keys.sign(privateKey, bytes)));
    }

    /** What {@link AssignedDeployment#manifestSha256} holds: SHA-256 of the manifest's signed bytes, lowercase hex. */
    public static String manifestDigest(byte[] manifest) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(manifest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
