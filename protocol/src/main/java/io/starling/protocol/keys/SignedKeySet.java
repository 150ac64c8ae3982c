package io.starling.protocol.keys;

/**
 * A key set as it travels in JSON (enrollment and check-in answers, the upload an admin makes):
 * the exact canonical bytes the root signed, and the detached Ed25519 signature, both base64.
 * The same document is what {@code starling-agent keys sign} writes.
 *
 * @param keySet    base64 of the canonical JSON of a {@link KeySet}
 * @param signature base64 of the root's 64-byte Ed25519 signature over those bytes
 */
public record SignedKeySet(String keySet, String signature) {
}
