package io.starling.protocol.manifest;

import java.time.Duration;

/**
 * What an agent is willing to accept, so that even a validly signed manifest cannot make it
 * parse, download or store without end.
 *
 * @param maxManifestBytes checked before anything is parsed
 * @param maxArtifactSize  per artifact, in bytes
 * @param maxArtifacts     per manifest
 * @param clockSkew        how far the agent's clock may lag the signer's before a fresh
 *                         manifest counts as not yet valid; expiry gets no such grace
 */
public record ManifestLimits(int maxManifestBytes, long maxArtifactSize, int maxArtifacts, Duration clockSkew) {

    public static final ManifestLimits DEFAULT =
            new ManifestLimits(1024 * 1024, 64L * 1024 * 1024 * 1024, 256, Duration.ofMinutes(5));

    public ManifestLimits {
        if (maxManifestBytes <= 0 || maxArtifactSize <= 0 || maxArtifacts <= 0
                || clockSkew == null || clockSkew.isNegative()) {
            throw new IllegalArgumentException("manifest limits must be positive");
        }
    }
}
