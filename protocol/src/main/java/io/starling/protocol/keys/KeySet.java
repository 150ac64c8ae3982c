package io.starling.protocol.keys;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.starling.protocol.manifest.Ed25519Keys;
import java.security.PublicKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The online keys an offline root key vouches for: which keys may sign manifests, which may no
 * longer, until when. Signed by {@link KeySetSigner} in canonical JSON, checked by {@link KeySetVerifier}.
 *
 * @param format          {@value #FORMAT}
 * @param version         grows with every set the root signs; an agent takes only a higher one
 *                        (an old set, replayed, cannot bring a revoked key back)
 * @param rootKeyId       id of the root key that signed it ({@code Ed25519Keys.keyId})
 * @param expiresAt       after this the set, and every key in it, is trusted no more: the admin
 *                        signs a new one before (no indefinite freeze on a stale key list)
 * @param keys            the online keys manifests may be signed with
 * @param revoked         ids of keys that must never be trusted again, even if an older set listed them
 * @param sequenceResets  product to sequence: an agent whose highest installed sequence of that
 *                        product is above it lowers it to it, once, when it first takes this set.
 *                        Undoes a fast-forward (a stolen key that signed a sequence far ahead);
 *                        absent for none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KeySet(
        @JsonProperty(required = true) int format,
        @JsonProperty(required = true) long version,
        @JsonProperty(required = true) String rootKeyId,
        @JsonProperty(required = true) Instant createdAt,
        @JsonProperty(required = true) Instant expiresAt,
        @JsonProperty(required = true) List<OnlineKey> keys,
        @JsonProperty(required = true) List<String> revoked,
        Map<String, Long> sequenceResets) {

    public static final int FORMAT = 1;

    public KeySet {
        keys = keys == null ? null : List.copyOf(keys);
        revoked = revoked == null ? null : List.copyOf(revoked);
        sequenceResets = sequenceResets == null || sequenceResets.isEmpty() ? null
                : java.util.Collections.unmodifiableMap(new TreeMap<>(sequenceResets));
        createdAt = createdAt == null ? null : createdAt.truncatedTo(ChronoUnit.SECONDS);
        expiresAt = expiresAt == null ? null : expiresAt.truncatedTo(ChronoUnit.SECONDS);
    }

    /** The keys manifests may be signed with: listed and not revoked, by key id. */
    public Map<String, PublicKey> trusted() {
        Map<String, PublicKey> trusted = new LinkedHashMap<>();
        for (OnlineKey key : keys) {
            if (!revoked.contains(key.keyId())) {
                trusted.put(key.keyId(), Ed25519Keys.readPublicKey(key.publicKey()));
            }
        }
        return trusted;
    }

    public Map<String, Long> resets() {
        return sequenceResets == null ? Map.of() : sequenceResets;
    }
}
