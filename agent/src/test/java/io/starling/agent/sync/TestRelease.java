package io.starling.agent.sync;

import io.starling.agent.swarm.TestWebSeed;
import io.starling.protocol.agent.DeploymentState;
import io.starling.protocol.agent.DesiredDeployment;
import io.starling.protocol.agent.InstallPolicy;
import io.starling.protocol.manifest.Manifest;
import io.starling.protocol.testing.ManifestBuilder;
import io.starling.protocol.testing.TestBytes;
import io.starling.protocol.testing.TestTorrent;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
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
        TestTorrent t = TestTorrent.of(artifact, TestBytes.pattern(size)).webSeeds(List.of(seed.url())).build();
        t.writeInto(seedDir);
        Manifest manifest = ManifestBuilder.manifest().version(version).sequence(sequence)
                .artifacts(t.entry()).expiresAt(Instant.now().plus(Duration.ofDays(1))).build();
        return new TestRelease(manifest, artifact, t.data(), t.torrent());
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

    /** Its manifest signed with {@code signer}: a key the agent may trust, or a stolen one. */
    DesiredDeployment deployment(String id, KeyPair signer) {
        return TestAgent.deployment(id, manifest.product(), manifest.version(), DeploymentState.PENDING, manifest, signer);
    }

    DesiredDeployment deployment(String id, InstallPolicy install) {
        return TestAgent.deployment(id, manifest, install);
    }
}
