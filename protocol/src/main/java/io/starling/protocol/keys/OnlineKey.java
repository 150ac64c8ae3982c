package io.starling.protocol.keys;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An online manifest signing key, as the root vouches for it in a {@link KeySet}.
 *
 * @param keyId     {@code Ed25519Keys.keyId} of the key
 * @param publicKey the key as PEM (SubjectPublicKeyInfo)
 */
public record OnlineKey(
        @JsonProperty(required = true) String keyId,
        @JsonProperty(required = true) String publicKey) {
}
