package io.starling.agent.sync;

import static io.starling.protocol.agent.DeploymentState.CANCELLED;
import static io.starling.protocol.agent.DeploymentState.DOWNLOADED;
import static io.starling.protocol.agent.DeploymentState.DOWNLOADING;
import static io.starling.protocol.agent.DeploymentState.INSTALLED;
import static io.starling.protocol.agent.DeploymentState.INSTALLING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.starling.agent.install.Installer;
import io.starling.agent.swarm.TestWebSeed;
import io.starling.agent.swarm.TorrentStatus;
import io.starling.protocol.agent.DeploymentStatusReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole agent, check-in loop included, against a stub control plane and a web seed on loopback. */
class AgentDaemonTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int SLOW = 512 * 1024;

    @TempDir
    Path dir;

    @Test
    void aDeploymentIsDownloadedInstalledAndReportedStepByStepInOrder() throws Exception {
        Path state = dir.resolve("state");
        Path install = dir.resolve("install");
        try (TestWebSeed seed = TestWebSeed.serving(dir.resolve("seed"));
             StubControlPlane server = new StubControlPlane(Duration.ofMillis(200))) {
            TestRelease v1 = TestRelease.of("1.0", 1, 300 * 1024, dir.resolve("seed"), seed).servedBy(server);
            String id = UUID.randomUUID().toString();
            server.answer(v1.deployment(id));

            try (AgentDaemon agent = TestAgent.start(state, install, server, 0)) {
                await().atMost(TIMEOUT).until(() -> server.statesOf(id).contains(INSTALLED));
            }

            assertThat(server.statesOf(id)).containsExactly(DOWNLOADING, DOWNLOADED, INSTALLING, INSTALLED);
            DeploymentStatusReport installed = last(server, id);
            assertThat(installed.bytesDone()).isEqualTo(v1.bytes().length).isEqualTo(installed.bytesTotal());
            assertThat(Files.readSymbolicLink(install.resolve("editor").resolve(Installer.CURRENT))).isEqualTo(Path.of("1.0"));
            assertThat(install.resolve("editor/1.0").resolve(v1.artifact())).hasBinaryContent(v1.bytes());
        }
    }

    @Test
    void aDeploymentCancelledWhileDownloadingStopsAndThePreviousVersionStaysActive() throws Exception {
        dropWhileDownloading(true);
    }

    @Test
    void aDeploymentNoLongerListedWhileDownloadingIsCancelledTheSameWay() throws Exception {
        dropWhileDownloading(false);
    }

    /** @param asCancelled the control plane lists it CANCELLED; otherwise it stops listing it */
    private void dropWhileDownloading(boolean asCancelled) throws Exception {
        Path state = dir.resolve("state");
        Path install = dir.resolve("install");
        try (TestWebSeed seed = TestWebSeed.serving(dir.resolve("seed"));
             StubControlPlane server = new StubControlPlane(Duration.ofMillis(200))) {
            TestRelease v1 = TestRelease.of("1.0", 1, 64 * 1024, dir.resolve("seed"), seed).servedBy(server);
            // 8 s at the agent's rate limit: time enough to change one's mind.
            TestRelease v2 = TestRelease.of("2.0", 2, 4 * 1024 * 1024, dir.resolve("seed"), seed).servedBy(server);
            String first = UUID.randomUUID().toString();
            String second = UUID.randomUUID().toString();
            server.answer(v1.deployment(first));

            try (AgentDaemon agent = TestAgent.start(state, install, server, SLOW)) {
                await().atMost(TIMEOUT).until(() -> server.statesOf(first).contains(INSTALLED));
                server.answer(v2.deployment(second));
                await().atMost(TIMEOUT).until(() -> server.statesOf(second).contains(DOWNLOADING));

                if (asCancelled) {
                    server.answer(TestAgent.deployment(second, "editor", "2.0", CANCELLED, v2.manifest()));
                } else {
                    server.answer();
                }

                await().atMost(TIMEOUT).until(() -> server.statesOf(second).contains(CANCELLED));
                Path partial = state.resolve("downloads/editor/2.0").resolve(v2.artifact());
                await("the download's files are gone").atMost(TIMEOUT).until(() -> !Files.exists(partial));
                await("the swarm let go of it").atMost(TIMEOUT).until(() -> torrents(state).stream()
                        .noneMatch(t -> t.name().equals(v2.artifact())));
            }

            assertThat(server.statesOf(second)).containsExactly(DOWNLOADING, CANCELLED);
            assertThat(server.reports()).filteredOn(r -> r.deploymentId().equals(second) && r.report().state() == DOWNLOADING)
                    .allSatisfy(r -> assertThat(r.report().bytesDone()).as("stopped halfway").isLessThan(v2.bytes().length));
            assertThat(Files.readSymbolicLink(install.resolve("editor").resolve(Installer.CURRENT))).isEqualTo(Path.of("1.0"));
            try (Stream<Path> releases = Files.list(install.resolve("editor"))) {
                assertThat(releases.map(p -> p.getFileName().toString()))
                        .as("nothing of 2.0, not even a partial folder").containsExactlyInAnyOrder("1.0", Installer.CURRENT);
            }
        }
    }

    private static DeploymentStatusReport last(StubControlPlane server, String id) {
        List<StubControlPlane.Report> reports = server.reports().stream().filter(r -> r.deploymentId().equals(id)).toList();
        return reports.isEmpty() ? null : reports.get(reports.size() - 1).report();
    }

    private static List<TorrentStatus> torrents(Path state) throws Exception {
        return new StatusFile(state, StubControlPlane.JSON).read().map(StatusFile.Status::torrents).orElse(List.of());
    }
}
