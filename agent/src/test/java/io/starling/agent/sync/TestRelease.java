package io.starling.agent.sync;

import io.starling.agent.Artifacts;
import io.starling.agent.ManifestBuilder;
import io.starling.agent.swarm.TestTorrent;
import io.starling.agent.swarm.TestWebSeed;
import io.starling.protocol.agent.DesiredDeployment;
import io.starling.protocol.manifest.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A signed release of the product "editor" with one artifact, which a {@link TestWebSeed} serves
 * (there is no tracker: the web seed is the one source), and its per-agent torrent.
 */
record TestRelease(Manifest manifest, String artifact, byte[] bytes, byte[] torrent) {

    /** @param seedDir the folder {@code seed} serves */
    static TestRelease of(String version, long sequence, int size, Path seedDir, TestWebSeed seed) throws IOException {
        String artifact = "editor-" + version + ".bin";
        byte[] bytes = Artifacts.pattern(size);
        Files.write(seedDir.resolve(artifact), bytes);
        Manifest manifest = ManifestBuilder.manifest().version(version).sequence(sequence)
                .artifacts(Artifacts.entry(artifact, bytes)).expiresAt(Instant.now().plus(Duration.ofDays(1))).build();
        return new TestRelease(manifest, artifact,
                bytes, Artifacts.torrent(artifact, bytes, TestTorrent.UNREACHABLE_TRACKER, List.of(seed.url())));
    }

    String version() {
        return manifest.version();
    }

    /** Registers the torrent with the control plane, for any deployment of this release. */
    TestRelease servedBy(StubControlPlane server) {
        server.torrent(artifact, torrent);
        return this;
    }

    DesiredDeployment deployment(String id) {
        return TestAgent.deployment(id, manifest);
    }
}
