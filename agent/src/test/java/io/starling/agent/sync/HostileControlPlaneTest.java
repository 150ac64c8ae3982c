package io.starling.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.starling.agent.state.DeploymentJournal;
import io.starling.agent.state.DeploymentRecord;
import io.starling.agent.state.InstalledReleases;
import io.starling.agent.swarm.TestWebSeed;
import io.starling.protocol.agent.BytesBySource;
import io.starling.protocol.agent.DeploymentState;
import io.starling.protocol.agent.DeploymentStatusReport;
import io.starling.protocol.agent.DesiredDeployment;
import io.starling.protocol.manifest.Manifest;
import io.starling.protocol.names.NameRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A control plane that sends names meant to become paths outside the agent's folders, and a
 * journal tampered the same way. Every path trick lands inside this test's temporary folder
 * (the agent's folders sit four levels down), so that even a regression cannot reach beyond it.
 */
class HostileControlPlaneTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int SLOW = 512 * 1024;

    @TempDir
    Path root;

    @Test
    void hostileNamesChangeNothingOutsideTheAgentsFoldersAndAreReportedAndLogged() throws Exception {
        Path state = Files.createDirectories(root.resolve("a/b/c/state"));
        Path install = Files.createDirectories(root.resolve("a/b/c/install"));
        Path outside = Files.createDirectories(root.resolve("a/b/outside"));
        Files.writeString(outside.resolve("marker.txt"), "still here");
        // From <state>/downloads/editor/ and <state>/torrents/, these climb to a/b/.
        String versionOut = "../../../../outside";
        String productOut = "../../../outside";
        String idOut = "../../../etc";

        Path seedDir = root.resolve("seed");
        try (TestWebSeed seed = TestWebSeed.serving(seedDir);
             StubControlPlane server = new StubControlPlane(Duration.ofMillis(200));
             CapturedLog log = new CapturedLog()) {
            Manifest v1 = TestRelease.of("1.0", 1, 64 * 1024, seedDir, seed).servedBy(server).manifest();
            Manifest v2 = TestRelease.of("2.0", 2, 96 * 1024, seedDir, seed).servedBy(server).manifest();

            // A journal written by an agent that trusted such answers, or edited by hand.
            tamperJournal(state, Map.of(
                    idOut, record(idOut, "editor", "1.0", DeploymentState.PENDING, v1),
                    uuid(7), record(uuid(7), "editor", versionOut, DeploymentState.FAILED, v1),
                    uuid(8), record(uuid(8), productOut, "1.0", DeploymentState.PENDING, v1)));
            Files.writeString(state.resolve(InstalledReleases.FILE_NAME), """
                    {"format":1,"products":{"../../../outside":{"lastSequence":1,"releases":[
                      {"version":"1.0","sequence":1,"installedAt":"2026-11-27T10:00:00Z","active":true}]}}}""");
            Set<Path> before = outsideTheAgent(state, install);

            Map<String, DesiredDeployment> refused = new LinkedHashMap<>();
            refused.put(uuid(1), TestAgent.deployment(uuid(1), "editor", versionOut, DeploymentState.PENDING, v1));
            refused.put(uuid(2), TestAgent.deployment(uuid(2), productOut, "1.0", DeploymentState.PENDING, v1));
            refused.put(uuid(3), TestAgent.deployment(uuid(3), "editor", "..", DeploymentState.PENDING, v1));
            refused.put(uuid(4), TestAgent.deployment(uuid(4), "a/b", "1.0", DeploymentState.PENDING, v1));
            refused.put(uuid(5), TestAgent.deployment(uuid(5), "editor", outside.toString(), DeploymentState.PENDING, v1));
            List<DesiredDeployment> answer = new ArrayList<>(refused.values());
            for (String badId : List.of(idOut, "..", outside.resolve("by-id").toString())) {
                answer.add(TestAgent.deployment(badId, v1));
            }
            String legit = uuid(6);
            answer.add(TestAgent.deployment(legit, v2));
            server.answer(answer.toArray(DesiredDeployment[]::new));

            try (AgentDaemon agent = TestAgent.start(state, install, server, 0)) {
                // The genuine release installs (and retires older versions of the product, where
                // a hostile version once pointed the deletion outside); every refusal is reported.
                await().atMost(TIMEOUT).untilAsserted(() -> {
                    assertThat(server.statesOf(legit)).endsWith(DeploymentState.INSTALLED);
                    for (String id : refused.keySet()) {
                        assertThat(server.statesOf(id)).as(id).containsExactly(DeploymentState.FAILED);
                    }
                });
                int checkIns = server.checkIns();
                await().atMost(TIMEOUT).until(() -> server.checkIns() >= checkIns + 2);
            }

            assertThat(outside.resolve("marker.txt")).hasContent("still here");
            assertThat(outsideTheAgent(state, install)).isEqualTo(before);
            assertThat(Files.readSymbolicLink(install.resolve("editor/current"))).isEqualTo(Path.of("2.0"));

            for (StubControlPlane.Report r : server.reports()) {
                assertThat(NameRules.isId(r.deploymentId())).as("reported under %s", r.deploymentId()).isTrue();
                if (refused.containsKey(r.deploymentId())) {
                    assertThat(r.report().reason()).isEqualTo(DeploymentStatusReport.INVALID_DEPLOYMENT);
                    assertThat(r.report().detail()).startsWith("The agent refused the deployment:");
                }
            }
            assertThat(server.reports()).filteredOn(r -> r.deploymentId().equals(uuid(1)))
                    .as("reported once, not at every check-in").hasSize(1)
                    .first().satisfies(r -> assertThat(r.report().detail()).contains("version '" + versionOut + "'"));

            List<String> lines = log.lines();
            for (String id : refused.keySet()) {
                assertThat(lines).filteredOn(l -> l.startsWith("Refusing deployment " + id)).hasSize(1);
            }
            assertThat(lines).anyMatch(l -> l.startsWith("Ignoring a deployment") && l.contains("'" + idOut + "'"));
            assertThat(lines).anyMatch(l -> l.startsWith("Dropping deployment '" + idOut + "'"));
            assertThat(lines).anyMatch(l -> l.startsWith("Dropping deployment '" + uuid(7) + "'"));
            assertThat(lines).anyMatch(l -> l.startsWith("Dropping product '" + productOut + "'"));
        }
    }

    @Test
    void aReplayedOlderAnswerCannotCancelWhatANewerAssignmentStarted() throws Exception {
        Path state = root.resolve("state");
        Path seedDir = root.resolve("seed");
        try (TestWebSeed seed = TestWebSeed.serving(seedDir);
             StubControlPlane server = new StubControlPlane(Duration.ofMillis(200));
             CapturedLog log = new CapturedLog()) {
            // 8 s at the agent's rate limit: time for a few replayed check-ins.
            TestRelease v2 = TestRelease.of("2.0", 2, 4 * 1024 * 1024, seedDir, seed).servedBy(server);
            server.answer();
            try (AgentDaemon agent = TestAgent.start(state, root.resolve("install"), server, SLOW)) {
                await().atMost(TIMEOUT).until(() -> assignment(state) != null && assignment(state).sequence() != null);
                byte[] nothingToDo = server.lastAnswer();
                String id = uuid(20);
                server.answer(v2.deployment(id));
                await().atMost(TIMEOUT).until(() -> server.statesOf(id).contains(DeploymentState.DOWNLOADING));

                // Someone between the two answers with the older, genuinely signed, answer.
                server.replay(nothingToDo);
                await().atMost(TIMEOUT).until(() -> server.statesOf(id).contains(DeploymentState.INSTALLED));

                assertThat(server.statesOf(id)).containsExactly(DeploymentState.DOWNLOADING, DeploymentState.DOWNLOADED,
                        DeploymentState.INSTALLING, DeploymentState.INSTALLED);
                assertThat(log.lines()).anyMatch(l -> l.contains("signed assignment is refused (REPLAYED)"));
                assertThat(assignment(state).problem()).startsWith("REPLAYED");
            }
        }
    }

    @Test
    void anotherAgentsAssignmentIsRefusedAndItsDeploymentsNeverRun() throws Exception {
        Path state = root.resolve("state");
        Path seedDir = root.resolve("seed");
        try (TestWebSeed seed = TestWebSeed.serving(seedDir);
             StubControlPlane server = new StubControlPlane(Duration.ofMillis(200));
             CapturedLog log = new CapturedLog()) {
            TestRelease v1 = TestRelease.of("1.0", 1, 64 * 1024, seedDir, seed).servedBy(server);
            String id = uuid(21);
            server.signFor("another-agent");
            server.answer(v1.deployment(id));
            try (AgentDaemon agent = TestAgent.start(state, root.resolve("install"), server, 0)) {
                await().atMost(TIMEOUT).until(() -> server.checkIns() >= 5);
                await().atMost(TIMEOUT).until(() -> assignment(state) != null && assignment(state).problem() != null);
            }
            assertThat(server.reports()).isEmpty();
            assertThat(DeploymentJournal.open(state).get(id)).isEmpty();
            assertThat(log.lines()).anyMatch(l -> l.contains("(OTHER_AGENT)") && l.contains("another-agent"));
        }
    }

    @Test
    void deploymentsAndCancellationsNoSignedAssignmentNamesAreNotActedOn() throws Exception {
        Path state = root.resolve("state");
        Path seedDir = root.resolve("seed");
        try (TestWebSeed seed = TestWebSeed.serving(seedDir);
             StubControlPlane server = new StubControlPlane(Duration.ofMillis(200));
             CapturedLog log = new CapturedLog()) {
            TestRelease v1 = TestRelease.of("1.0", 1, 64 * 1024, seedDir, seed).servedBy(server);
            TestRelease v2 = TestRelease.of("2.0", 2, 96 * 1024, seedDir, seed).servedBy(server);
            String unsigned = uuid(22);
            String unnamed = uuid(23);
            String genuine = uuid(24);
            server.signFor(null);
            server.answer(v1.deployment(unsigned));
            try (AgentDaemon agent = TestAgent.start(state, root.resolve("install"), server, 0)) {
                await().atMost(TIMEOUT).until(() -> server.checkIns() >= 3);
                assertThat(server.reports()).as("an answer without an assignment starts nothing").isEmpty();

                // Signed, but naming only the genuine deployment, and not as cancelled.
                server.signFor(TestAgent.AGENT_ID);
                server.assignOnly(v2.deployment(genuine));
                server.answer(TestAgent.deployment(genuine, "editor", "2.0", DeploymentState.CANCELLED, v2.manifest()));
                server.alsoUnassigned(v1.deployment(unnamed));
                await().atMost(TIMEOUT).until(() -> server.statesOf(genuine).contains(DeploymentState.INSTALLED));
                int checkIns = server.checkIns();
                await().atMost(TIMEOUT).until(() -> server.checkIns() >= checkIns + 3);
            }
            assertThat(server.statesOf(unsigned)).isEmpty();
            assertThat(server.statesOf(unnamed)).isEmpty();
            assertThat(server.statesOf(genuine)).doesNotContain(DeploymentState.CANCELLED);
            assertThat(DeploymentJournal.open(state).get(unnamed)).isEmpty();
            assertThat(log.lines()).anyMatch(l -> l.contains("signed assignment is refused (MISSING)"));
            assertThat(log.lines()).filteredOn(l -> l.startsWith("Not running deployment " + unnamed)).hasSize(1)
                    .allMatch(l -> l.contains("does not give it to this agent"));
        }
    }

    @Test
    void anAgentKeptOnAnExpiredAssignmentOrWithoutAnswersSaysItIsFrozenUntilAFreshOneArrives() throws Exception {
        Path state = root.resolve("state");
        try (StubControlPlane server = new StubControlPlane(Duration.ofMillis(200));
             CapturedLog log = new CapturedLog()) {
            server.statementValidity(Duration.ofSeconds(3));
            server.answer();
            try (AgentDaemon agent = TestAgent.start(state, root.resolve("install"), server, 0)) {
                await().atMost(TIMEOUT).until(() -> assignment(state) != null && assignment(state).sequence() != null);
                // Replayed for ever: check-ins "succeed", and the agent would otherwise never know.
                server.replay(server.lastAnswer());
                await().atMost(TIMEOUT).until(() -> assignment(state).frozen());
                assertThat(assignment(state).problem()).startsWith("EXPIRED");
                assertThat(log.lines()).filteredOn(l -> l.startsWith("Frozen: no valid signed assignment since")).hasSize(1);

                server.replay(null);
                await().atMost(TIMEOUT).until(() -> !assignment(state).frozen());

                // Withheld: every check-in fails.
                server.withhold();
                await().atMost(TIMEOUT).until(() -> assignment(state).frozen());
                assertThat(log.lines()).filteredOn(l -> l.startsWith("Frozen: no valid signed assignment since")).hasSize(2);
            }
        }
    }

    private static StatusFile.AssignmentStatus assignment(Path state) throws IOException {
        return new StatusFile(state, StubControlPlane.JSON).read().map(StatusFile.Status::assignment).orElse(null);
    }

    private static DeploymentRecord record(String id, String product, String version, DeploymentState state,
                                           Manifest manifest) {
        DesiredDeployment signed = TestAgent.deployment(id, manifest);
        Instant now = Instant.now();
        return new DeploymentRecord(id, product, version, state, signed.manifest(), signed.signature(),
                BytesBySource.NONE, null, null, null, null, List.of(), now, now, null);
    }

    private static void tamperJournal(Path state, Map<String, DeploymentRecord> deployments) throws IOException {
        Files.write(state.resolve(DeploymentJournal.FILE_NAME), StubControlPlane.JSON.writeValueAsBytes(
                Map.of("format", 1, "deployments", deployments)));
    }

    /** Every path in the test's folder but the agent's own folders, and the files in the agent's state. */
    private Set<Path> outsideTheAgent(Path state, Path install) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> !p.startsWith(state) && !p.startsWith(install)).collect(Collectors.toSet());
        }
    }

    private static String uuid(int n) {
        return new UUID(0x1234_5678_9abc_4defL, 0x8000_0000_0000_0000L | n).toString();
    }
}
