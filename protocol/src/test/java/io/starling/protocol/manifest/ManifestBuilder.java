package io.starling.protocol.manifest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A valid manifest by default; each test changes only what it is about. */
final class ManifestBuilder {

    static final Instant CREATED = Instant.parse("2026-11-27T11:29:20Z");

    private String product = "editor";
    private String version = "2.4.1";
    private long sequence = 7;
    private final List<ArtifactEntry> artifacts = new ArrayList<>(List.of(artifact("editor-2.4.1.tar.gz", 123_456_789)));
    private InstallSpec install = new InstallSpec("editor-2.4.1.tar.gz", List.of("./install.sh", "--quiet"), null, List.of("./editor", "--version"));
    private Instant createdAt = CREATED;
    private Instant expiresAt = CREATED.plusSeconds(30L * 24 * 3600);
    private String keyId;

    static ManifestBuilder manifest() {
        return new ManifestBuilder();
    }

    static ArtifactEntry artifact(String name, long size) {
        return new ArtifactEntry(name, size, "a".repeat(64), "b".repeat(40), "c".repeat(64), 1 << 20);
    }

    ManifestBuilder version(String value) {
        version = value;
        return this;
    }

    ManifestBuilder sequence(long value) {
        sequence = value;
        return this;
    }

    ManifestBuilder artifacts(ArtifactEntry... values) {
        artifacts.clear();
        artifacts.addAll(List.of(values));
        install = null;
        return this;
    }

    ManifestBuilder install(InstallSpec value) {
        install = value;
        return this;
    }

    ManifestBuilder createdAt(Instant value) {
        createdAt = value;
        return this;
    }

    ManifestBuilder expiresAt(Instant value) {
        expiresAt = value;
        return this;
    }

    ManifestBuilder keyId(String value) {
        keyId = value;
        return this;
    }

    Manifest build() {
        return new Manifest(Manifest.FORMAT, product, version, sequence, artifacts, install, createdAt, expiresAt, keyId);
    }
}
