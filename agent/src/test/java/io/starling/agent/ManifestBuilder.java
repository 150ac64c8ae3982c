package io.starling.agent;

import io.starling.protocol.manifest.ArtifactEntry;
import io.starling.protocol.manifest.InstallSpec;
import io.starling.protocol.manifest.Manifest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A valid manifest by default; each test changes only what it is about. */
public final class ManifestBuilder {

    public static final Instant CREATED = Instant.parse("2026-11-27T11:29:20Z");

    private String product = "editor";
    private String version = "2.4.1";
    private long sequence = 7;
    private final List<ArtifactEntry> artifacts = new ArrayList<>(List.of(Artifacts.entry("editor.bin", Artifacts.pattern(1000))));
    private InstallSpec install;
    private Instant createdAt = CREATED;
    private Instant expiresAt = CREATED.plusSeconds(30L * 24 * 3600);

    public static ManifestBuilder manifest() {
        return new ManifestBuilder();
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

    public ManifestBuilder artifacts(ArtifactEntry... values) {
        artifacts.clear();
        artifacts.addAll(List.of(values));
        return this;
    }

    public ManifestBuilder install(InstallSpec value) {
        install = value;
        return this;
    }

    public ManifestBuilder expiresAt(Instant value) {
        expiresAt = value;
        return this;
    }

    public Manifest build() {
        return new Manifest(Manifest.FORMAT, product, version, sequence, artifacts, install, createdAt, expiresAt, null);
    }
}
