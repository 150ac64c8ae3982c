package io.starling.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.starling.protocol.testing.TestBytes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Rollouts as an admin runs them: the packaged control plane, the real Keycloak and three agents
 * as processes, started once and shared by the ordered tests. Releases are small, so that the time
 * goes into what a rollout decides, not into moving bytes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RolloutsIT {

    private static final Path REPO = Path.of(System.getProperty("starling.repo", "..")).toAbsolutePath().normalize();
    private static final Duration ROLLOUT_TIMEOUT = Duration.ofSeconds(120);
    private static final String PRODUCT = "rollout-app";
    /** Agents check in every 2 s here (60 s in production); the same settings after every restart. */
    private static final String[] CONTROL_PLANE_SETTINGS = {"-Dstarling.fleet.check-in-interval=2s"};

    private static Keycloak keycloak;
    private static ControlPlaneProcess controlPlane;
    private static ControlPlaneApi api;
    private static Path work;
    private static final List<AgentProcess> agents = new ArrayList<>();
    private static AgentProcess a1;
    private static AgentProcess a2;
    private static AgentProcess a3;
    /** The maintenance-window rollout: created by test 4, watched to its end by test 6. */
    private static final String WINDOW_PRODUCT = "window-app";
    private static Instant windowOpensAt;
    private static String windowRollout;
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        keycloak = Keycloak.ensureRunning(REPO);
        work = Files.createTempDirectory("starling-rollouts");
        controlPlane = new ControlPlaneProcess(REPO, Files.createDirectories(work.resolve("control-plane")));
        controlPlane.start(CONTROL_PLANE_SETTINGS);
        api = new ControlPlaneApi(controlPlane::url, keycloak);
        // Labelled as deploy/quickstart.sh labels its agents, so that the README's rollout walk-through targets them.
        String enrollment = api.post("/enrollment-tokens", Map.of("uses", 3, "expiresInSeconds", 3600,
                "labels", List.of("quickstart")), 201).get("token").asText();
        a1 = agent("a1", enrollment);
        a2 = agent("a2", enrollment);
        a3 = agent("a3", enrollment);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AgentProcess agent : agents) {
            agent.close();
        }
        if (controlPlane != null) {
            controlPlane.close();
        }
        if (keycloak != null) {
            keycloak.close();
        }
    }

    private static AgentProcess agent(String name, String enrollment) throws Exception {
        AgentProcess agent = new AgentProcess(REPO, work.resolve(name));
        agents.add(agent);
        return agent.enroll(controlPlane.url(), enrollment).start();
    }

    @Test
    @Order(1)
    void aTwoWaveRolloutInstallsTheCanaryThenAdvancesByItselfToTheRestAndFinishes() throws Exception {
        publish("1.0", "echo 1.0 > version.txt");
        JsonNode created = api.post("/rollouts", canaryThenRest("canary then the rest", "1.0", "AUTO", Map.of()), 201);
        assertThat(created.get("state").asText()).isEqualTo("RUNNING");
        assertThat(created.at("/waves/0/agents").asLong()).isEqualTo(1);
        assertThat(created.at("/waves/1/agents").asLong()).isEqualTo(2);
        assertThat(created.at("/waves/1/state").asText()).isEqualTo("PENDING");
        assertThat(created.at("/counts/NOT_DEPLOYED").asLong()).as("agents of the second wave, not deployed yet")
                .isEqualTo(2);

        String id = created.get("id").asText();
        JsonNode done = awaitRollout(id, "FINISHED", r -> r.get("state").asText().equals("FINISHED"));

        JsonNode canary = done.at("/waves/0");
        JsonNode rest = done.at("/waves/1");
        assertThat(List.of(canary.get("state").asText(), rest.get("state").asText()))
                .containsExactly("SUCCEEDED", "SUCCEEDED");
        assertThat(nonZero(canary.get("counts"))).isEqualTo(Map.of("INSTALLED", 1L));
        assertThat(nonZero(rest.get("counts"))).isEqualTo(Map.of("INSTALLED", 2L));
        assertThat(nonZero(done.get("counts"))).isEqualTo(Map.of("INSTALLED", 3L));
        assertThat(done.get("agents").asLong()).isEqualTo(3);
        assertWavesAddUpToTotals(done);
        // The second wave's deployments were created only once the canary had installed.
        Instant canaryDone = Instant.parse(canary.get("finishedAt").asText());
        assertThat(Instant.parse(rest.get("startedAt").asText())).isAfterOrEqualTo(canaryDone);
        for (AgentProcess agent : List.of(a2, a3)) {
            assertThat(Instant.parse(api.deploymentOf(PRODUCT, "1.0", agent.agentId()).get("createdAt").asText()))
                    .isAfterOrEqualTo(canaryDone);
        }
        assertThat(Instant.parse(done.get("finishedAt").asText()))
                .isAfterOrEqualTo(Instant.parse(rest.get("finishedAt").asText()));
        assertThat(waveAndStateByAgent(id)).isEqualTo(Map.of(
                a1.agentId(), "canary INSTALLED", a2.agentId(), "everyone else INSTALLED",
                a3.agentId(), "everyone else INSTALLED"));
        for (AgentProcess agent : agents) {
            assertThat(Files.readString(agent.installRoot().resolve(PRODUCT + "/current/version.txt")).strip())
                    .isEqualTo("1.0");
        }
    }

    @Test
    @Order(2)
    void failingInstallsPauseTheRolloutAtTheErrorThresholdNamingTheAgentsAndACancelledRolloutCannotResume()
            throws Exception {
        publish("1.1", "echo boom; exit 3");
        // The canary pauses the rollout only once both its agents failed: both must be named.
        JsonNode created = api.post("/rollouts", canaryThenRest("a broken release", "1.1", "AUTO",
                Map.of("agentIds", List.of(a1.agentId(), a2.agentId()), "errorThreshold", 100)), 201);
        String id = created.get("id").asText();

        JsonNode paused = awaitRollout(id, "PAUSED", r -> r.get("state").asText().equals("PAUSED"));
        assertThat(paused.get("pauseReason").asText()).isEqualTo("ERROR_THRESHOLD");
        assertThat(paused.get("pauseDetail").asText()).contains("2 of 2 deployments failed").contains(a1.agentId())
                .contains(a2.agentId()).doesNotContain(a3.agentId()).contains("INSTALL_FAILED").contains("exit code 3");
        assertThat(paused.at("/waves/0/state").asText()).isEqualTo("FAILED");
        assertThat(paused.at("/waves/1/state").asText()).as("the wave after the failed one").isEqualTo("PENDING");
        assertThat(nonZero(paused.get("counts"))).isEqualTo(Map.of("FAILED", 2L, "NOT_DEPLOYED", 1L));
        assertWavesAddUpToTotals(paused);
        JsonNode failed = api.get("/rollouts/" + id + "/agents?state=FAILED");
        assertThat(failed).hasSize(2);
        for (JsonNode agent : failed) {
            assertThat(agent.get("exitCode").asInt()).isEqualTo(3);
            assertThat(agent.get("output").toString()).contains("boom");
        }
        assertThat(Files.readSymbolicLink(a1.installRoot().resolve(PRODUCT + "/current")).toString()).isEqualTo("1.0");

        JsonNode cancelled = api.post("/rollouts/" + id + "/cancel", Map.of(), 200);
        assertThat(cancelled.get("state").asText()).isEqualTo("CANCELLED");
        assertThat(cancelled.at("/waves/1/state").asText()).isEqualTo("CANCELLED");
        JsonNode refusal = api.refusedPost("/rollouts/" + id + "/resume", 409);
        assertThat(refusal.get("status").asInt()).isEqualTo(409);
        assertThat(refusal.get("detail").asText()).contains("'a broken release'").contains("is cancelled");
        assertThat(api.get("/rollouts/" + id).get("state").asText()).isEqualTo("CANCELLED");
        assertThat(api.get("/deployments?product=" + PRODUCT + "&version=1.1")).as("deployments of 1.1").hasSize(2);
    }

    @Test
    @Order(3)
    void aControlPlaneKilledMidRolloutCarriesOnWithoutSkippingAWaveOrDeployingTwice() throws Exception {
        publish("1.2", "echo 1.2 > version.txt");
        JsonNode created = api.post("/rollouts", canaryThenRest("through two crashes", "1.2", "MANUAL", Map.of()), 201);
        String id = created.get("id").asText();
        JsonNode gate = awaitRollout(id, "waiting at the gate after the canary",
                r -> r.get("waitingForAdvance").asBoolean());
        assertThat(gate.at("/waves/0/state").asText()).isEqualTo("SUCCEEDED");
        String canaryDeployment = api.deploymentOf(PRODUCT, "1.2", a1.agentId()).get("id").asText();

        // Killed at the gate: after the restart the rollout still waits there, with nothing started.
        controlPlane.kill();
        controlPlane.start(CONTROL_PLANE_SETTINGS);
        JsonNode restarted = api.get("/rollouts/" + id);
        assertThat(restarted.get("state").asText()).isEqualTo("RUNNING");
        assertThat(restarted.get("waitingForAdvance").asBoolean()).isTrue();
        assertThat(List.of(restarted.at("/waves/0/state").asText(), restarted.at("/waves/1/state").asText()))
                .containsExactly("SUCCEEDED", "PENDING");
        assertThat(nonZero(restarted.get("counts"))).isEqualTo(Map.of("INSTALLED", 1L, "NOT_DEPLOYED", 2L));

        JsonNode advanced = api.post("/rollouts/" + id + "/advance", Map.of(), 200);
        assertThat(advanced.at("/waves/1/state").asText()).isEqualTo("RUNNING");
        // Killed again with the second wave handed out and not installed: its agents wait for the
        // control plane (no tracker, no origin), then report to the restarted one.
        controlPlane.kill();
        controlPlane.start(CONTROL_PLANE_SETTINGS);

        JsonNode done = awaitRollout(id, "FINISHED", r -> r.get("state").asText().equals("FINISHED"));
        assertThat(List.of(done.at("/waves/0/state").asText(), done.at("/waves/1/state").asText()))
                .containsExactly("SUCCEEDED", "SUCCEEDED");
        assertThat(nonZero(done.at("/waves/0/counts"))).isEqualTo(Map.of("INSTALLED", 1L));
        assertThat(nonZero(done.at("/waves/1/counts"))).isEqualTo(Map.of("INSTALLED", 2L));
        assertWavesAddUpToTotals(done);
        Map<String, Integer> deploymentsPerAgent = new HashMap<>();
        JsonNode deployments = api.get("/deployments?product=" + PRODUCT + "&version=1.2");
        deployments.forEach(d -> deploymentsPerAgent.merge(d.get("agentId").asText(), 1, Integer::sum));
        assertThat(deploymentsPerAgent).as("deployments of 1.2 per agent: %s", deployments)
                .isEqualTo(Map.of(a1.agentId(), 1, a2.agentId(), 1, a3.agentId(), 1));
        assertThat(api.deploymentOf(PRODUCT, "1.2", a1.agentId()).get("id").asText()).isEqualTo(canaryDeployment);
        for (AgentProcess agent : agents) {
            assertThat(Files.readString(agent.installRoot().resolve(PRODUCT + "/current/version.txt")).strip())
                    .isEqualTo("1.2");
        }
    }

    @Test
    @Order(4)
    void agentsOutsideTheirMaintenanceWindowDownloadThenWaitInDownloadedSayingWhenItOpens() throws Exception {
        // The next minute at least 45 s away (45 to 105 s from now), as a daily cron on the wall
        // clock of a zone half an hour off UTC: the control plane must place it right.
        ZoneId zone = ZoneId.of("Asia/Kolkata");
        windowOpensAt = Instant.now().plusSeconds(45 + 59).truncatedTo(ChronoUnit.MINUTES);
        ZonedDateTime wall = windowOpensAt.atZone(zone);
        publish(WINDOW_PRODUCT, "1.0", "date -u +%s > installed-at.txt");
        JsonNode created = api.post("/rollouts", Map.of("name", "in tonight's window", "product", WINDOW_PRODUCT,
                "version", "1.0", "target", Map.of("agentIds", List.of(a1.agentId(), a2.agentId(), a3.agentId())),
                "waves", List.of(Map.of("name", "everyone")),
                "maintenanceWindow", Map.of("cron", wall.getMinute() + " " + wall.getHour() + " * * *",
                        "duration", "PT10M", "timezone", zone.getId())), 201);
        windowRollout = created.get("id").asText();

        String waiting = "waiting for the maintenance window opening at " + windowOpensAt;
        try {
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500)).until(
                    () -> detailByAgent(windowRollout),
                    d -> d.size() == 3 && d.values().stream().allMatch(("DOWNLOADED " + waiting)::equals));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("agents not waiting for the window at " + windowOpensAt + ": "
                    + api.get("/rollouts/" + windowRollout + "/agents"), e);
        }
        assertThat(Instant.now()).as("all three waited before the opening").isBefore(windowOpensAt);
        assertThat(api.get("/rollouts/" + windowRollout).get("state").asText()).isEqualTo("RUNNING");
        for (AgentProcess agent : agents) {
            assertThat(agent.installRoot().resolve(WINDOW_PRODUCT)).doesNotExist();
        }
        // Test 6 sees them install once it opens; the rollouts in between run meanwhile.
    }

    @Test
    @Order(5)
    void aDownloadOnlyRolloutPreStagesEveryAgentInstallsNothingUntilToldAndTheLiveFeedReplaysFromAnyEvent()
            throws Exception {
        byte[] payload = publish("1.3", "echo 1.3 > version.txt");
        Map<String, Object> request = new LinkedHashMap<>(canaryThenRest("pre-stage 1.3", "1.3", "AUTO", Map.of()));
        request.put("mode", "DOWNLOAD_ONLY");
        JsonNode created = api.post("/rollouts", request, 201);
        String id = created.get("id").asText();
        assertThat(created.get("mode").asText()).isEqualTo("DOWNLOAD_ONLY");
        String feed = api.url() + "/api/v1/rollouts/" + id + "/events";

        try (SseStream live = SseStream.open(feed + "?after=0", api.token(), null)) {
            JsonNode staged = awaitRollout(id, "FINISHED", r -> r.get("state").asText().equals("FINISHED"));
            assertThat(nonZero(staged.get("counts"))).isEqualTo(Map.of("DOWNLOADED", 3L));
            // Pre-staged: they stay so, check-in after check-in, with the bytes in their state folder.
            Thread.sleep(Duration.ofSeconds(5).toMillis());
            assertThat(detailByAgent(id)).isEqualTo(Map.of(a1.agentId(), "DOWNLOADED download only: waiting for install",
                    a2.agentId(), "DOWNLOADED download only: waiting for install",
                    a3.agentId(), "DOWNLOADED download only: waiting for install"));
            for (AgentProcess agent : agents) {
                assertThat(agent.stateDir().resolve("downloads/" + PRODUCT + "/1.3/app.bin")).hasBinaryContent(payload);
                assertThat(agent.installRoot().resolve(PRODUCT + "/1.3")).doesNotExist();
                assertThat(Files.readSymbolicLink(agent.installRoot().resolve(PRODUCT + "/current")).toString())
                        .isEqualTo("1.2");
            }

            JsonNode install = api.post("/rollouts/" + id + "/install", Map.of(), 200);
            assertThat(install.get("mode").asText()).isEqualTo("INSTALL");
            assertThat(install.get("state").asText()).as("a finished rollout stays finished").isEqualTo("FINISHED");
            JsonNode installed = await().atMost(ROLLOUT_TIMEOUT).pollInterval(Duration.ofMillis(500))
                    .until(() -> api.get("/rollouts/" + id), r -> nonZero(r.get("counts")).equals(Map.of("INSTALLED", 3L)));
            assertThat(installed.get("state").asText()).isEqualTo("FINISHED");
            for (AgentProcess agent : agents) {
                assertThat(Files.readString(agent.installRoot().resolve(PRODUCT + "/current/version.txt")).strip())
                        .isEqualTo("1.3");
            }

            // The feed, live from the start: every change in order, each once.
            int[] installs = {0};
            List<SseStream.Event> events = live.until(e -> isDeploymentTo(e, "INSTALLED") && ++installs[0] == 3,
                    Duration.ofSeconds(4), Duration.ofSeconds(30));
            assertThat(events).extracting(SseStream.Event::id).doesNotHaveDuplicates().isSorted();
            assertThat(milestones(events)).containsExactly("rollout RUNNING", "wave canary RUNNING",
                    "wave canary SUCCEEDED", "wave everyone else RUNNING", "wave everyone else SUCCEEDED",
                    "rollout FINISHED");
            Map<String, List<String>> perAgent = new HashMap<>();
            for (SseStream.Event e : events) {
                if (e.type().equals("deployment")) {
                    JsonNode p = payload(e);
                    perAgent.computeIfAbsent(p.get("agentId").asText(), k -> new ArrayList<>()).add(p.get("to").asText());
                }
            }
            for (AgentProcess agent : agents) {
                assertThat(perAgent.get(agent.agentId())).as("deployment events of %s", agent.agentId())
                        .endsWith("DOWNLOADED", "INSTALLING", "INSTALLED").doesNotHaveDuplicates();
            }
            assertThat(events.get(events.size() - 1).type()).as("the last word").isEqualTo("summary");

            // Reconnecting after the canary succeeded replays exactly what came after it.
            long canaryDone = events.stream().filter(e -> milestone(e).equals("wave canary SUCCEEDED")).findFirst()
                    .orElseThrow().id();
            List<SseStream.Event> after = events.subList(events.indexOf(events.stream()
                    .filter(e -> e.id() == canaryDone).findFirst().orElseThrow()) + 1, events.size());
            try (SseStream resumed = SseStream.open(feed, api.token(), canaryDone)) {
                long lastId = events.get(events.size() - 1).id();
                assertThat(resumed.until(e -> e.id() == lastId, Duration.ofSeconds(3), Duration.ofSeconds(30)))
                        .isEqualTo(after);
            }
        }
    }

    @Test
    @Order(6)
    void agentsWaitingForTheirMaintenanceWindowInstallOnceItOpensAndNotBefore() throws Exception {
        assertThat(windowRollout).as("the rollout test 4 created").isNotNull();
        while (Instant.now().isBefore(windowOpensAt.minusSeconds(1))) {
            assertThat(nonZero(api.get("/rollouts/" + windowRollout).get("counts")))
                    .as("before the window opens at %s", windowOpensAt).isEqualTo(Map.of("DOWNLOADED", 3L));
            Thread.sleep(1000);
        }
        JsonNode done = awaitRollout(windowRollout, "FINISHED", r -> r.get("state").asText().equals("FINISHED"));
        assertThat(nonZero(done.get("counts"))).isEqualTo(Map.of("INSTALLED", 3L));
        for (AgentProcess agent : agents) {
            long installedAt = Long.parseLong(Files.readString(
                    agent.installRoot().resolve(WINDOW_PRODUCT + "/current/installed-at.txt")).strip());
            assertThat(Instant.ofEpochSecond(installedAt)).as("install of %s", agent.agentId())
                    .isAfterOrEqualTo(windowOpensAt).isBefore(windowOpensAt.plus(ROLLOUT_TIMEOUT));
        }
    }

    @Test
    @Order(7)
    void theReadmeRolloutToThreeAgentsWorksAsWritten() throws Exception {
        Processes.Result walkthrough = Processes.exec(REPO, Map.of("STARLING_URL", controlPlane.url(),
                "KEYCLOAK_URL", Keycloak.URL, "SIZE", "1M"), ROLLOUT_TIMEOUT,
                List.of(REPO.resolve("e2e/rollout-walkthrough.sh").toString()));
        assertThat(walkthrough.exitCode()).as(walkthrough.output()).isZero();
        String out = walkthrough.output();
        assertThat(out).as(out).contains("event:wave").contains("\"to\":\"FINISHED\"").contains(
                "{\"state\":\"FINISHED\",\"counts\":{\"INSTALLED\":3},\"waves\":[{\"name\":\"canary\",\"agents\":1,"
                        + "\"state\":\"SUCCEEDED\"},{\"name\":\"the rest\",\"agents\":2,\"state\":\"SUCCEEDED\"}]}");
        for (AgentProcess agent : agents) {
            assertThat(Files.readString(agent.installRoot().resolve("team-chat/current/version.txt")).strip())
                    .isEqualTo("3.2.0");
        }
    }

    // --- helpers -----------------------------------------------------------------------------

    private static byte[] publish(String version, String script) {
        return publish(PRODUCT, version, script);
    }

    /** A release of one 300 KiB artifact, {@code app.bin}, whose install runs {@code script}; returns its bytes. */
    private static byte[] publish(String product, String version, String script) {
        byte[] payload = TestBytes.random(300 * 1024);
        api.publish(product, version, "app.bin", payload,
                Map.of("command", List.of("sh", "-c", script), "timeoutSeconds", 30));
        return payload;
    }

    /** The three agents: a canary wave ({@code a1} unless overridden), then everyone else. */
    private static Map<String, Object> canaryThenRest(String name, String version, String advance,
            Map<String, Object> canaryOverrides) throws Exception {
        Map<String, Object> canary = new LinkedHashMap<>(Map.of("name", "canary", "agentIds", List.of(a1.agentId())));
        canary.putAll(canaryOverrides);
        return Map.of("name", name, "product", PRODUCT, "version", version,
                "target", Map.of("agentIds", List.of(a1.agentId(), a2.agentId(), a3.agentId())),
                "waves", List.of(canary, Map.of("name", "everyone else")), "advance", advance);
    }

    /** Polls the rollout until {@code done}; fails early when it ends (or pauses) otherwise. */
    private static JsonNode awaitRollout(String id, String what, Predicate<JsonNode> done) throws Exception {
        try {
            return await().atMost(ROLLOUT_TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
                JsonNode r = api.get("/rollouts/" + id);
                if (!done.test(r) && List.of("PAUSED", "FINISHED", "CANCELLED").contains(r.get("state").asText())) {
                    throw new AssertionError("rollout not " + what + ", but " + r.get("state").asText() + ": " + r);
                }
                return r;
            }, done);
        } catch (ConditionTimeoutException e) {
            StringBuilder logs = new StringBuilder("\ncontrol plane log:\n").append(ControlPlaneApi.tail(controlPlane.log()));
            for (AgentProcess agent : agents) {
                logs.append("\nagent ").append(agent.agentId()).append(" log:\n").append(ControlPlaneApi.tail(agent.logText()));
            }
            throw new AssertionError("rollout not " + what + " within " + ROLLOUT_TIMEOUT + ": "
                    + api.get("/rollouts/" + id) + logs, e);
        }
    }

    /** Every agent of the rollout counted once: the waves' counts add up to the totals, state by state. */
    private static void assertWavesAddUpToTotals(JsonNode rollout) {
        Map<String, Long> sum = new HashMap<>();
        rollout.get("waves").forEach(w -> nonZero(w.get("counts")).forEach((state, n) -> sum.merge(state, n, Long::sum)));
        assertThat(sum).as("per-wave counts added up").isEqualTo(nonZero(rollout.get("counts")));
        long waveAgents = 0;
        for (JsonNode w : rollout.get("waves")) {
            waveAgents += w.get("agents").asLong();
        }
        assertThat(waveAgents).isEqualTo(rollout.get("agents").asLong());
    }

    private static Map<String, Long> nonZero(JsonNode counts) {
        Map<String, Long> out = new HashMap<>();
        counts.fields().forEachRemaining(e -> {
            if (e.getValue().asLong() != 0) {
                out.put(e.getKey(), e.getValue().asLong());
            }
        });
        return out;
    }

    private static Map<String, String> waveAndStateByAgent(String rolloutId) {
        Map<String, String> out = new HashMap<>();
        api.get("/rollouts/" + rolloutId + "/agents").forEach(a -> out.put(a.get("agentId").asText(),
                a.get("wave").asText() + " " + a.get("state").asText()));
        return out;
    }

    /** Each agent of the rollout as "STATE detail" (its deployment's state and why it waits). */
    private static Map<String, String> detailByAgent(String rolloutId) {
        Map<String, String> out = new HashMap<>();
        api.get("/rollouts/" + rolloutId + "/agents").forEach(a -> out.put(a.get("agentId").asText(),
                a.get("state").asText() + " " + a.path("detail").asText("")));
        return out;
    }

    private static JsonNode payload(SseStream.Event e) {
        try {
            return JSON.readTree(e.data()).get("payload");
        } catch (java.io.IOException x) {
            throw new AssertionError("not JSON: " + e.data(), x);
        }
    }

    private static boolean isDeploymentTo(SseStream.Event e, String state) {
        return e.type().equals("deployment") && payload(e).get("to").asText().equals(state);
    }

    /** "rollout RUNNING", "wave canary SUCCEEDED"; "" for deployment and summary events. */
    private static String milestone(SseStream.Event e) {
        return switch (e.type()) {
            case "rollout" -> "rollout " + payload(e).get("to").asText();
            case "wave" -> "wave " + payload(e).get("wave").asText() + " " + payload(e).get("to").asText();
            default -> "";
        };
    }

    private static List<String> milestones(List<SseStream.Event> events) {
        return events.stream().map(RolloutsIT::milestone).filter(m -> !m.isEmpty()).toList();
    }
}
