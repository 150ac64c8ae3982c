package io.starling.controlplane.signing;

import io.starling.protocol.manifest.Ed25519Keys;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "A manifest verification key. Verify a manifest with "
        + "openssl pkeyutl -verify -pubin -inkey key.pem -rawin -in manifest.json -sigfile manifest.sig.bin",
        example = """
        {"keyId": "4be7c1a0d2e3f456", "algorithm": "Ed25519", "active": true, "state": "ACTIVE",
         "fingerprint": "4be7c1a0d2e3f4561f0c9a7b3d2e8f10a4b6c8d0e2f4a6b8c0d2e4f6a8b0c2d4",
         "publicKeyPem": "-----BEGIN PUBLIC KEY-----\\nMCowBQYDK2VwAyEA…\\n-----END PUBLIC KEY-----\\n"}""")
public record SigningKeyView(String keyId, String algorithm,
        @Schema(description = "true for the key that signs manifests now") boolean active,
        @Schema(description = "SHA-256 of the public key's DER encoding, 64 hex digits (keyId is its first 16): what"
                + " an agent pins with enroll --manifest-key-fingerprint; openssl pkey -pubin -in key.pem -outform DER"
                + " | sha256sum gives the same") String fingerprint,
        String publicKeyPem,
        @Schema(description = "ACTIVE: signs now; TRUSTED: in the key set, agents accept it; PENDING: made here, no key"
                + " set trusts it yet; REVOKED: the key set revokes it") State state) {

    public enum State {
        ACTIVE, TRUSTED, PENDING, REVOKED
    }

    static SigningKeyView of(String keyId, String pem, State state) {
        return new SigningKeyView(keyId, Ed25519Keys.ALGORITHM, state == State.ACTIVE,
                Ed25519Keys.fingerprint(Ed25519Keys.readPublicKey(pem)), pem, state);
    }
}
