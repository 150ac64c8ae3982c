package io.starling.protocol.agent;

/**
 * A manifest verification key the agent pins at enrollment.
 *
 * @param keyId     {@code Ed25519Keys.keyId} of the key
 * @param publicKey the key as PEM (SubjectPublicKeyInfo)
 */
public record TrustedKey(String keyId, String publicKey) {
}
