package io.starling.agent.sync;

import static io.starling.protocol.agent.DeploymentState.CANCELLED;
import static io.starling.protocol.agent.DeploymentState.DOWNLOADED;
import static io.starling.protocol.agent.DeploymentState.DOWNLOADING;
import static io.starling.protocol.agent.DeploymentState.FAILED;
import static io.starling.protocol.agent.DeploymentState.INSTALLED;
import static io.starling.protocol.agent.DeploymentState.INSTALLING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.starling.agent.install.Installer;
import io.starling.agent.state.DeploymentJournal;
import io.starling.agent.state.DeploymentRecord;
import io.starling.agent.state.InstalledReleases;
import io.starling.agent.swarm.AgentSwarm;
import io.starling.agent.swarm.SwarmSettings;
import io.starling.agent.swarm.TestWebSeed;
import io.starling.agent.verify.TrustedKeys;
import io.starling.protocol.agent.DeploymentState;
import io.starling.protocol.agent.DesiredDeployment;
import io.starling.protocol.agent.TrustedKey;
import io.starling.protocol.manifest.Ed25519Keys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One deployment driven by its runner, without the check-in loop: the swarm, installer and journal are real. */
class DeploymentRunnerTest {

    private static final Duration STALL_AFTER = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private TestWebSeed seed;
    private StubControlPlane server;
    private AgentSwarm swarm;
    private DeploymentJournal journal;
    private InstalledReleases installed;
    private Installer installer;
    private DeploymentRunner.Sync sync;
    private final Map<String, byte[]> torrents = new ConcurrentHashMap<>();

    @BeforeEach
    void agent() throws Exception {
        seed = TestWebSeed.serving(dir.resolve("seed"));
        server = new StubControlPlane(Duration.ofSeconds(1));
        Path state = Files.createDirectories(dir.resolve("state"));
        swarm = AgentSwarm.open(SwarmSettings.of("127.0.0.1:0", state.resolve("resume")).withWebSeedAfter(Duration.ZERO));
        journal = DeploymentJournal.open(state);
        installed = InstalledReleases.open(state);
        installer = new Installer(dir.resolve("install"));
        TrustedKeys verifier = TrustedKeys.pinned(List.of(new TrustedKey(
                Ed25519Keys.keyId(TestAgent.KEYS.getPublic()), Ed25519Keys.toPem(TestAgent.KEYS.getPublic()))));
        Reporter reporter = new Reporter(new ControlPlaneClient(server.uri(), TestAgent.TOKENS, StubControlPlane.JSON,
                Duration.ofSeconds(5)));
        sync = new DeploymentRunner.Sync(journal, installed, verifier, swarm, installer, reporter,
                (id, artifact) -> torrents.get(artifact), state.resolve("downloads"), Duration.ofMillis(200),
                new ServerClock(Clock.systemUTC()), STALL_AFTER);
    }

    @AfterEach
    void close() {
        swarm.close();
        server.close();
        seed.close();
    }

    @Test
    void aPendingDeploymentEndsInstalledWithEveryStepJournalledAndReportedInOrder() throws Exception {
        TestRelease v1 = release("1.0", 1, 300 * 1024);
        String id = begin(v1);

        DeploymentState end = new DeploymentRunner(id, sync, Clock.systemUTC()).run(() -> false);

        assertThat(end).isEqualTo(INSTALLED);
        assertThat(server.statesOf(id)).containsExactly(DOWNLOADING, DOWNLOADED, INSTALLING, INSTALLED);
        DeploymentRecord record = journal.get(id).orElseThrow();
        assertThat(record.state()).isEqualTo(INSTALLED);
        assertThat(record.needsReport()).isFalse();
        assertThat(installed.active("editor")).hasValueSatisfying(r -> assertThat(r.version()).isEqualTo("1.0"));
        assertThat(installer.activeVersion("editor")).contains("1.0");
    }

    @Test
    void aDeploymentCancelledWhileDownloadingRemovesItsDownloadAndInstallsNothing() throws Exception {
        TestRelease v1 = release("1.0", 1, 64 * 1024);
        assertThat(new DeploymentRunner(begin(v1), sync, Clock.systemUTC()).run(() -> false)).isEqualTo(INSTALLED);
        TestRelease v2 = release("2.0", 2, 4 * 1024 * 1024);
        String id = begin(v2);

        // Cancelled as soon as the control plane heard that it downloads: before it can finish.
        DeploymentState end = new DeploymentRunner(id, sync, Clock.systemUTC())
                .run(() -> server.statesOf(id).contains(DOWNLOADING));

        assertThat(end).isEqualTo(CANCELLED);
        DeploymentRecord record = journal.get(id).orElseThrow();
        assertThat(record.state()).isEqualTo(CANCELLED);
        assertThat(record.needsReport()).as("the daemon reports it after the next check-in").isTrue();
        assertThat(DeploymentRunner.pendingReport(record).state()).isEqualTo(CANCELLED);
        assertThat(server.statesOf(id)).containsExactly(DOWNLOADING);
        assertThat(swarm.downloads()).extracting(d -> d.name()).doesNotContain(v2.artifact());
        Path partial = sync.downloads().resolve("editor/2.0").resolve(v2.artifact());
        await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(partial));
        assertThat(installer.activeVersion("editor")).contains("1.0");
        assertThat(installer.versions("editor")).containsExactly("1.0");
        assertThat(installed.active("editor")).hasValueSatisfying(r -> assertThat(r.version()).isEqualTo("1.0"));
    }

    @Test
    void aNewerReleaseInstalledWhileAnOlderOneDownloadedIsNotReplacedByIt() throws Exception {
        TestRelease older = release("1.0", 1, 64 * 1024);
        TestRelease newer = release("2.0", 2, 64 * 1024);
        String olderId = begin(older);
        String newerId = begin(newer);
        AtomicBoolean newerRan = new AtomicBoolean();

        // Asked "cancelled?" once its bytes are verified, the older deployment finds the newer one
        // installed in the meantime (by the agent's other runner thread, in production).
        DeploymentState end = new DeploymentRunner(olderId, sync, Clock.systemUTC()).run(() -> {
            if (journal.get(olderId).orElseThrow().state() == DOWNLOADED && newerRan.compareAndSet(false, true)) {
                assertThat(runQuietly(newerId)).isEqualTo(INSTALLED);
            }
            return false;
        });

        assertThat(newerRan).isTrue();
        assertThat(end).isEqualTo(FAILED);
        assertThat(journal.get(olderId).orElseThrow().reason()).isEqualTo("ROLLBACK");
        assertThat(server.statesOf(olderId)).containsExactly(DOWNLOADING, DOWNLOADED, INSTALLING, FAILED);
        assertThat(installer.activeVersion("editor")).contains("2.0");
        assertThat(installed.active("editor")).hasValueSatisfying(r -> assertThat(r.version()).isEqualTo("2.0"));
    }

    @Test
    void aDownloadThatVerifiesNothingForTheStallDeadlineFailsAsStalledAndLeavesNoPartialFiles() throws Exception {
        TestRelease v1 = release("1.0", 1, 256 * 1024);
        // The web seed, the release's one source, no longer has the file: nothing ever arrives.
        Files.delete(dir.resolve("seed").resolve(v1.artifact()));
        String id = begin(v1);
        long start = System.nanoTime();

        DeploymentState end = new DeploymentRunner(id, sync, Clock.systemUTC()).run(() -> false);

        assertThat(end).isEqualTo(FAILED);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(STALL_AFTER);
        DeploymentRecord record = journal.get(id).orElseThrow();
        assertThat(record.reason()).isEqualTo(DeploymentRunner.DOWNLOAD_STALLED);
        assertThat(server.statesOf(id)).containsExactly(DOWNLOADING, FAILED);
        assertThat(server.reports()).last().satisfies(r -> {
            assertThat(r.report().reason()).isEqualTo("DOWNLOAD_STALLED");
            assertThat(r.report().detail()).contains("no piece was verified for PT5S");
        });
        assertThat(swarm.downloads()).extracting(d -> d.name()).doesNotContain(v1.artifact());
        assertThat(installer.versions("editor")).isEmpty();
    }

    private DeploymentState runQuietly(String id) {
        try {
            return new DeploymentRunner(id, sync, Clock.systemUTC()).run(() -> false);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private TestRelease release(String version, long sequence, int size) throws Exception {
        TestRelease release = TestRelease.of(version, sequence, size, dir.resolve("seed"), seed);
        torrents.put(release.artifact(), release.torrent());
        return release;
    }

    private String begin(TestRelease release) throws Exception {
        String id = UUID.randomUUID().toString();
        DesiredDeployment d = release.deployment(id);
        journal.begin(id, d.product(), d.version(), d.manifest(), d.signature());
        return id;
    }
}
