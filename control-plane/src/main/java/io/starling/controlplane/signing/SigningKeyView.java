package io.starling.controlplane.signing;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "A manifest verification key. Verify a manifest with "
        + "openssl pkeyutl -verify -pubin -inkey key.pem -rawin -in manifest.json -sigfile manifest.sig.bin",
        example = """
        {"keyId": "4be7c1a0d2e3f456", "algorithm": "Ed25519", "active": true,
         "publicKeyPem": "-----BEGIN PUBLIC KEY-----\\nMCowBQYDK2VwAyEA…\\n-----END PUBLIC KEY-----\\n"}""")
public record SigningKeyView(String keyId, String algorithm, boolean active, String publicKeyPem) {
}
