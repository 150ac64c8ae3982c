package io.starling.protocol.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A release as the agent trusts it: signed, in canonical JSON ({@link CanonicalJson}), by
 * {@link ManifestSigner}; checked by {@link ManifestVerifier}.
 *
 * <p>Times are kept to whole seconds, as canonical JSON writes them, so that a manifest read
 * back from its signed bytes equals the one that was signed.
 *
 * @param format   {@value #FORMAT}; a manifest of another format is refused, not guessed at
 * @param sequence grows with every release of a product; agents refuse anything not above the
 *                 sequence they installed last (no rollback, see {@link ManifestVerifier})
 * @param keyId    id of the signing key ({@link Ed25519Keys#keyId}); filled in by the signer
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(
        @JsonProperty(required = true) int format,
        @JsonProperty(required = true) String product,
        @JsonProperty(required = true) String version,
        @JsonProperty(required = true) long sequence,
        @JsonProperty(required = true) List<ArtifactEntry> artifacts,
        InstallSpec install,
        @JsonProperty(required = true) Instant createdAt,
        @JsonProperty(required = true) Instant expiresAt,
        @JsonProperty(required = true) String keyId) {

    public static final int FORMAT = 1;

    public Manifest {
        artifacts = artifacts == null ? null : List.copyOf(artifacts);
        createdAt = createdAt == null ? null : createdAt.truncatedTo(ChronoUnit.SECONDS);
        expiresAt = expiresAt == null ? null : expiresAt.truncatedTo(ChronoUnit.SECONDS);
    }

    public Manifest withKeyId(String newKeyId) {
        return new Manifest(format, product, version, sequence, artifacts, install, createdAt, expiresAt, newKeyId);
    }
}
