package io.starling.controlplane.signing;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "The key set in force: which manifest keys the offline root vouches for", example = """
        {"version": 1733480000, "rootKeyId": "9f2c4e6a8b0d1f3e",
         "rootFingerprint": "5d0c2b7e9a41f36c8e2d1b0a9f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6", "createdAt": "2026-12-06T10:00:00Z",
         "expiresAt": "2027-12-06T10:00:00Z", "trusted": ["4be7c1a0d2e3f456"], "revoked": ["0a1b2c3d4e5f6a7b"],
         "sequenceResets": {}, "signingKeyId": "4be7c1a0d2e3f456"}""")
public record KeySetView(long version, String rootKeyId,
        @Schema(description = "SHA-256 of the root's public key (DER): what enroll --root-key-fingerprint pins")
        String rootFingerprint, Instant createdAt, Instant expiresAt,
        @Schema(description = "ids of the keys agents accept manifests from") List<String> trusted,
        @Schema(description = "ids of keys agents refuse for good") List<String> revoked,
        @Schema(description = "product to sequence: agents above it lower their rollback floor to it once")
        Map<String, Long> sequenceResets,
        @Schema(description = "the key this control plane signs manifests with now") String signingKeyId) {
}
