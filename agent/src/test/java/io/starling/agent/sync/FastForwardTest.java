package io.starling.agent.sync;

import static io.starling.protocol.agent.DeploymentState.FAILED;
import static io.starling.protocol.agent.DeploymentState.INSTALLED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.starling.agent.install.Installer;
import io.starling.agent.swarm.TestWebSeed;
import io.starling.protocol.agent.CheckInRequest;
import io.starling.protocol.agent.DeploymentStatusReport;
import io.starling.protocol.keys.KeySet;
import io.starling.protocol.keys.KeySetSigner;
import io.starling.protocol.keys.OnlineKey;
import io.starling.protocol.keys.SignedKeySet;
import io.starling.protocol.manifest.Ed25519Keys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TUF's fast-forward attack on the whole agent: a stolen online key signs a release with a
 * sequence far ahead, the agent installs it, and every genuine release after it would be refused
 * as a rollback, until the key set that revokes the stolen key arrives. Then the agent forgets
 * what that key vouched for on its own; no admin has to name the last genuine sequence.
 */
class FastForwardTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final KeyPair ROOT = Ed25519Keys.generate();
    private static final KeyPair STOLEN = Ed25519Keys.generate();

    @TempDir
    Path dir;

    @Test
    void aStolenKeysSequenceFarAheadIsForgottenOnceAKeySetRevokesItAndTheGenuineReleaseInstalls() throws Exception {
        Path state = dir.resolve("state");
        Path install = dir.resolve("install");
        Path seedDir = dir.resolve("seed");
        try (TestWebSeed seed = TestWebSeed.serving(seedDir);
             StubControlPlane server = new StubControlPlane(Duration.ofMillis(200));
             CapturedLog log = new CapturedLog()) {
            TestRelease genuine1 = TestRelease.of("1.0", 1, 16 * 1024, seedDir, seed).servedBy(server);
            TestRelease forged = TestRelease.of("6.6.6", 1000, 16 * 1024, seedDir, seed).servedBy(server);
            TestRelease genuine5 = TestRelease.of("1.1", 5, 16 * 1024, seedDir, seed).servedBy(server);
            SignedKeySet bothTrusted = keySet(1, List.of(TestAgent.KEYS, STOLEN), List.of());
            String first = UUID.randomUUID().toString();
            String attack = UUID.randomUUID().toString();
            String refused = UUID.randomUUID().toString();
            String recovered = UUID.randomUUID().toString();

            try (AgentDaemon agent = TestAgent.startUnderRoot(state, install, server, ROOT, bothTrusted)) {
                server.answer(genuine1.deployment(first));
                await().atMost(TIMEOUT).until(() -> server.statesOf(first).contains(INSTALLED));

                // The thief signs sequence 1000; the agent trusts that key still, and installs it.
                server.answer(forged.deployment(attack, STOLEN));
                await().atMost(TIMEOUT).until(() -> server.statesOf(attack).contains(INSTALLED));

                server.answer(genuine5.deployment(refused));
                await().atMost(TIMEOUT).until(() -> server.statesOf(refused).contains(FAILED));
                assertThat(last(server, refused).reason()).as("genuine 5 is a 'rollback' now").isEqualTo("ROLLBACK");

                // The admin's cure: a key set that revokes the stolen key; no sequence named.
                server.keySet(keySet(2, List.of(TestAgent.KEYS), List.of(STOLEN)));
                server.answer(genuine5.deployment(recovered));
                await().atMost(TIMEOUT).until(() -> server.statesOf(recovered).contains(INSTALLED));
                String lowered = "sequence floor of editor lowered from 1000 to 1: key " + id(STOLEN) + " was revoked";
                await("told at the next check-in").atMost(TIMEOUT).until(() -> server.checkInRequests().stream()
                        .map(CheckInRequest::floorsLowered).anyMatch(l -> l.contains(lowered)));
                int told = server.checkIns();
                await().atMost(TIMEOUT).until(() -> server.checkIns() > told + 1);
                assertThat(server.checkInRequests().get(server.checkInRequests().size() - 1).floorsLowered())
                        .as("told once").isEmpty();
                assertThat(log.lines()).filteredOn(lowered::equals).as("logged once").hasSize(1);
            }

            assertThat(Files.readSymbolicLink(install.resolve("editor").resolve(Installer.CURRENT))).isEqualTo(Path.of("1.1"));
            assertThat(install.resolve("editor/6.6.6")).as("what the stolen key installed stays until the admin rolls forward")
                    .isDirectory();
        }
    }

    private static SignedKeySet keySet(long version, List<KeyPair> keys, List<KeyPair> revoked) {
        Instant now = Instant.now();
        return new KeySetSigner(ROOT).sign(new KeySet(KeySet.FORMAT, version, null, now.minusSeconds(60),
                now.plus(Duration.ofDays(1)), keys.stream().map(k -> new OnlineKey(id(k), Ed25519Keys.toPem(k.getPublic())))
                .toList(), revoked.stream().map(FastForwardTest::id).toList(), null));
    }

    private static String id(KeyPair keys) {
        return Ed25519Keys.keyId(keys.getPublic());
    }

    private static DeploymentStatusReport last(StubControlPlane server, String id) {
        List<StubControlPlane.Report> reports = server.reports().stream().filter(r -> r.deploymentId().equals(id)).toList();
        return reports.get(reports.size() - 1).report();
    }
}
