package io.starling.controlplane.catalog;

import io.starling.protocol.manifest.InstallSpec;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(example = """
        {"product": "office-suite", "version": "2.4.1", "notes": "Fixes the printing crash", "state": "PUBLISHED",
         "install": {"archive": "office-suite-2.4.1.tar.gz", "command": ["./install.sh"]},
         "sequence": 3, "keyId": "4be7c1a0d2e3f456", "createdAt": "2026-11-27T10:00:00Z", "createdBy": "admin",
         "publishedAt": "2026-11-27T10:06:00Z", "expiresAt": "2026-12-27T10:06:00Z", "artifacts": []}""")
public record ReleaseView(String product, String version, String notes, ReleaseState state, InstallSpec install,
        Long sequence, String keyId, Instant createdAt, String createdBy, Instant publishedAt, Instant expiresAt,
        Instant revokedAt, List<ArtifactView> artifacts) {

    static ReleaseView of(Release r) {
        return new ReleaseView(r.product.name, r.version, r.notes, r.state(), Releases.install(r), r.sequence, r.keyId,
                r.createdAt, r.createdBy, r.publishedAt, r.expiresAt, r.revokedAt,
                r.artifacts.stream().map(ArtifactView::of).toList());
    }
}
