package io.starling.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.starling.protocol.testing.TestBytes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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

    @BeforeAll
    static void start() throws Exception {
        keycloak = Keycloak.ensureRunning(REPO);
        work = Files.createTempDirectory("starling-rollouts");
        controlPlane = new ControlPlaneProcess(REPO, Files.createDirectories(work.resolve("control-plane")));
        controlPlane.start(CONTROL_PLANE_SETTINGS);
        api = new ControlPlaneApi(controlPlane::url, keycloak);
        String enrollment = api.enrollmentToken(3);
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

    // --- helpers -----------------------------------------------------------------------------

    private static void publish(String version, String script) {
        api.publish(PRODUCT, version, "app.bin", TestBytes.random(300 * 1024),
                Map.of("command", List.of("sh", "-c", script), "timeoutSeconds", 30));
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
}
