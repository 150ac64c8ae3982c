package io.starling.agent.sync;

import static io.starling.protocol.agent.DeploymentState.CANCELLED;
import static io.starling.protocol.agent.DeploymentState.DOWNLOADED;
import static io.starling.protocol.agent.DeploymentState.DOWNLOADING;
import static io.starling.protocol.agent.DeploymentState.INSTALLED;
import static io.starling.protocol.agent.DeploymentState.INSTALLING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.starling.agent.swarm.TestWebSeed;
import io.starling.agent.swarm.TorrentStatus;
import io.starling.protocol.agent.InstallPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole agent waiting in DOWNLOADED as its install policy says: download only, a maintenance window, a deadline. */
class InstallPolicyDaemonTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration OFTEN = Duration.ofMillis(200);

    @TempDir
    Path dir;

    /** A web seed, a stub control plane, release 1.0 of "editor" served by both, and one deployment id. */
    private record Rig(TestWebSeed seed, StubControlPlane server, TestRelease v1, String id, Path state, Path install)
            implements AutoCloseable {

        /** @param checkInEvery how soon the stub asks the agent to check in again */
        static Rig open(Path dir, Duration checkInEvery) throws IOException {
            TestWebSeed seed = TestWebSeed.serving(dir.resolve("seed"));
            StubControlPlane server = new StubControlPlane(checkInEvery);
            TestRelease v1 = TestRelease.of("1.0", 1, 300 * 1024, dir.resolve("seed"), seed).servedBy(server);
            return new Rig(seed, server, v1, UUID.randomUUID().toString(), dir.resolve("state"), dir.resolve("install"));
        }

        void answer(InstallPolicy policy) {
            server.answer(v1.deployment(id, policy));
        }

        AgentDaemon start(Clock clock) throws IOException {
            return TestAgent.start(state, install, server, 0, clock);
        }

        /** Why the agent said it waits in DOWNLOADED, the last time it said so, or null. */
        String waiting() {
            return server.reports().stream().filter(r -> r.deploymentId().equals(id) && r.report().state() == DOWNLOADED)
                    .map(r -> r.report().detail()).filter(Objects::nonNull).reduce((a, b) -> b).orElse(null);
        }

        Path downloaded() {
            return state.resolve("downloads/editor/1.0").resolve(v1.artifact());
        }

        boolean seeding() throws IOException {
            List<TorrentStatus> torrents = new StatusFile(state, StubControlPlane.JSON).read()
                    .map(StatusFile.Status::torrents).orElse(List.of());
            return torrents.stream().anyMatch(t -> t.name().equals(v1.artifact()));
        }

        @Override
        public void close() {
            server.close();
            seed.close();
        }
    }

    @Test
    void aDownloadOnlyDeploymentWaitsDownloadedWithItsFilesAndSeedsUntilTheControlPlaneLetsItInstall() throws Exception {
        try (Rig rig = Rig.open(dir, OFTEN)) {
            rig.answer(new InstallPolicy(true, null, null, null));

            try (AgentDaemon agent = rig.start(Clock.systemUTC())) {
                await().atMost(TIMEOUT).until(() -> rig.waiting() != null);
                assertThat(rig.waiting()).isEqualTo("download only: waiting for install");
                int checkIns = rig.server().checkIns();
                await("several check-ins later").atMost(TIMEOUT).until(() -> rig.server().checkIns() >= checkIns + 5);
                assertThat(rig.server().statesOf(rig.id())).containsExactly(DOWNLOADING, DOWNLOADED);
                assertThat(rig.downloaded()).hasBinaryContent(rig.v1().bytes());
                assertThat(rig.install().resolve("editor")).doesNotExist();
                await("still seeding").atMost(TIMEOUT).until(rig::seeding);

                rig.answer(InstallPolicy.AT_ONCE);

                await().atMost(TIMEOUT).until(() -> rig.server().statesOf(rig.id()).contains(INSTALLED));
            }

            assertThat(rig.server().statesOf(rig.id())).containsExactly(DOWNLOADING, DOWNLOADED, INSTALLING, INSTALLED);
            assertThat(rig.install().resolve("editor/1.0").resolve(rig.v1().artifact())).hasBinaryContent(rig.v1().bytes());
        }
    }

    @Test
    void aDownloadOnlyDeploymentCancelledWhileItWaitsLetsGoOfItsFiles() throws Exception {
        try (Rig rig = Rig.open(dir, OFTEN)) {
            rig.answer(new InstallPolicy(true, null, null, null));

            try (AgentDaemon agent = rig.start(Clock.systemUTC())) {
                await().atMost(TIMEOUT).until(() -> rig.waiting() != null);

                rig.server().answer(TestAgent.deployment(rig.id(), "editor", "1.0", CANCELLED, rig.v1().manifest()));

                await("the files are gone").atMost(TIMEOUT).until(() -> !Files.exists(rig.downloaded()));
                await("the swarm let go of it").atMost(TIMEOUT).until(() -> !rig.seeding());
            }

            assertThat(rig.server().statesOf(rig.id())).containsExactly(DOWNLOADING, DOWNLOADED);
            assertThat(rig.install().resolve("editor")).doesNotExist();
        }
    }

    @Test
    void aDeploymentOutsideItsWindowWaitsAndInstallsWhenTheWindowOpensByTheControlPlanesClock() throws Exception {
        // Check-ins a minute apart: only the agent's own wake-up at the opening can install in time.
        try (Rig rig = Rig.open(dir, Duration.ofMinutes(1))) {
            Instant opens = Instant.now().plusSeconds(5).truncatedTo(ChronoUnit.SECONDS);
            rig.answer(new InstallPolicy(false, opens, opens.plus(Duration.ofHours(1)), null));
            // Two hours fast: by its own clock the window would have closed long ago.
            Clock fast = Clock.offset(Clock.systemUTC(), Duration.ofHours(2));

            try (AgentDaemon agent = rig.start(fast)) {
                await().atMost(TIMEOUT).until(() -> rig.waiting() != null);
                assertThat(rig.waiting()).isEqualTo("waiting for the maintenance window opening at " + opens);
                assertThat(rig.server().statesOf(rig.id())).containsExactly(DOWNLOADING, DOWNLOADED);

                await().atMost(TIMEOUT).until(() -> rig.server().statesOf(rig.id()).contains(INSTALLED));
                assertThat(Instant.now()).as("not before the window opened").isAfterOrEqualTo(opens);
                assertThat(rig.server().checkIns()).as("woken by itself, not by a check-in").isEqualTo(1);
            }

            assertThat(rig.server().statesOf(rig.id())).containsExactly(DOWNLOADING, DOWNLOADED, INSTALLING, INSTALLED);
        }
    }

    @Test
    void aDeploymentPastItsDeadlineInstallsAtOnceOutsideItsWindow() throws Exception {
        try (Rig rig = Rig.open(dir, OFTEN)) {
            Instant opens = Instant.now().plus(Duration.ofHours(3));
            rig.answer(new InstallPolicy(false, opens, opens.plus(Duration.ofHours(1)), Instant.now().minusSeconds(60)));

            try (AgentDaemon agent = rig.start(Clock.systemUTC())) {
                await().atMost(TIMEOUT).until(() -> rig.server().statesOf(rig.id()).contains(INSTALLED));
            }

            assertThat(rig.server().statesOf(rig.id())).containsExactly(DOWNLOADING, DOWNLOADED, INSTALLING, INSTALLED);
            assertThat(rig.waiting()).isNull();
        }
    }
}
