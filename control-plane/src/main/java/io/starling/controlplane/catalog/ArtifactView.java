package io.starling.controlplane.catalog;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(example = """
        {"name": "office-suite-2.4.1.tar.gz", "size": 1073741824,
         "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "pieceLength": 1048576,
         "infoHashV1": "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3",
         "infoHashV2": "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
         "uploadedAt": "2026-11-27T10:05:00Z"}""")
public record ArtifactView(String name, long size, String sha256, int pieceLength, String infoHashV1,
        String infoHashV2, Instant uploadedAt) {

    static ArtifactView of(Artifact a) {
        return new ArtifactView(a.name, a.size, a.sha256, a.pieceLength, a.infoHashV1, a.infoHashV2, a.createdAt);
    }
}
