package io.starling.protocol.testing;

import io.starling.protocol.manifest.ArtifactEntry;
import io.starling.protocol.manifest.InstallSpec;
import io.starling.protocol.manifest.Manifest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A valid manifest by default; each test changes only what it is about. The default artifact
 * carries well-formed made-up hashes: a test that needs real ones sets {@link TestTorrent#entry()}.
 */
public final class ManifestBuilder {

    public static final Instant CREATED = Instant.parse("2026-11-27T11:29:20Z");

    private static final InstallSpec DEFAULT_INSTALL =
            new InstallSpec("editor-2.4.1.tar.gz", List.of("./install.sh", "--quiet"), null, List.of("./editor", "--version"));

    private String product = "editor";
    private String version = "2.4.1";
    private long sequence = 7;
    private final List<ArtifactEntry> artifacts = new ArrayList<>(List.of(artifact("editor-2.4.1.tar.gz", 123_456_789)));
    private InstallSpec install = DEFAULT_INSTALL;
    private Instant createdAt = CREATED;
    private Instant expiresAt = CREATED.plusSeconds(30L * 24 * 3600);
    private String keyId;

    public static ManifestBuilder manifest() {
        return new ManifestBuilder();
    }

    /** An entry with well-formed hashes of no real file. */
    public static ArtifactEntry artifact(String name, long size) {
        return new ArtifactEntry(name, size, "a".repeat(64), "b".repeat(40), "c".repeat(64), 1 << 20);
    }

    public ManifestBuilder product(String value) {
        product = value;
        return this;
    }

    public ManifestBuilder version(String value) {
        version = value;
        return this;
    }

    public ManifestBuilder sequence(long value) {
        sequence = value;
        return this;
    }

    /** Replaces the artifacts; the default install goes with the default artifact it names, one a test set stays. */
    public ManifestBuilder artifacts(ArtifactEntry... values) {
        artifacts.clear();
        artifacts.addAll(List.of(values));
        if (install == DEFAULT_INSTALL) {
            install = null;
        }
        return this;
    }

    public ManifestBuilder install(InstallSpec value) {
        install = value;
        return this;
    }

    public ManifestBuilder createdAt(Instant value) {
        createdAt = value;
        return this;
    }

    public ManifestBuilder expiresAt(Instant value) {
        expiresAt = value;
        return this;
    }

    public ManifestBuilder keyId(String value) {
        keyId = value;
        return this;
    }

    public Manifest build() {
        return new Manifest(Manifest.FORMAT, product, version, sequence, artifacts, install, createdAt, expiresAt, keyId);
    }
}
