package io.starling.protocol.manifest;

import java.util.Arrays;
import java.util.Base64;

/**
 * A manifest as it travels: the exact canonical bytes that were signed, and the detached
 * Ed25519 signature over them. Pass these bytes on untouched; re-serialising a parsed manifest
 * is what canonical JSON makes safe, not what a verifier should rely on.
 *
 * @param signature 64 bytes
 */
public record SignedManifest(byte[] bytes, byte[] signature) {

    public SignedManifest {
        bytes = bytes.clone();
        signature = signature.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedManifest m && Arrays.equals(bytes, m.bytes) && Arrays.equals(signature, m.signature);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(bytes) + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "SignedManifest[" + bytes.length + " bytes, signature "
                + Base64.getEncoder().encodeToString(signature) + "]";
    }
}
