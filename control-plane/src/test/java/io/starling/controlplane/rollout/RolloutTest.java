package io.starling.controlplane.rollout;

import static io.starling.controlplane.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.starling.controlplane.fleet.Agents;
import io.starling.controlplane.testing.Api;
import io.starling.controlplane.testing.Fleet;
import io.starling.controlplane.testing.PublishedArtifact;
import io.starling.controlplane.testing.Tokens;
import io.starling.protocol.agent.BytesBySource;
import io.starling.protocol.agent.DeploymentState;
import io.starling.protocol.agent.DeploymentStatusReport;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Rollouts from an operator's request to the last agent's report. Each test targets agents by a label of its own. */
@QuarkusTest
class RolloutTest {

    @Inject
    Agents agents;

    private static final String ROLLOUTS = "/api/v1/rollouts";

    static String label() {
        return "r-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Map<String, Object> wave(String name, String key, Object value) {
        Map<String, Object> w = new HashMap<>();
        w.put("name", name);
        if (key != null) {
            w.put(key, value);
        }
        return w;
    }

    static Map<String, Object> rollout(String product, String label, List<Map<String, Object>> waves) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "test " + product);
        body.put("product", product);
        body.put("version", "1.0");
        body.put("target", Map.of("labels", List.of(label)));
        body.put("waves", waves);
        return body;
    }

    static JsonPath create(Map<String, Object> body) {
        return as(Tokens.operator()).contentType(ContentType.JSON).body(body).post(ROLLOUTS)
                .then().statusCode(201).extract().jsonPath();
    }

    private static JsonPath status(String id) {
        return as(Tokens.viewer()).get(ROLLOUTS + "/{id}", id).then().statusCode(200).extract().jsonPath();
    }

    static Response control(String id, String action) {
        return as(Tokens.operator()).post(ROLLOUTS + "/{id}/" + action, id);
    }

    /** The agent's deployment in this rollout, as the rollout's agent list shows it. */
    private static String deploymentOf(String rolloutId, Fleet.Enrolled agent) {
        List<Map<String, Object>> agents = as(Tokens.viewer()).get(ROLLOUTS + "/{id}/agents", rolloutId).then()
                .statusCode(200).extract().jsonPath().getList("$");
        return agents.stream().filter(a -> a.get("agentId").equals(agent.agentId())).map(a -> (String) a.get("deploymentId"))
                .findFirst().orElseThrow();
    }

    private static void install(String rolloutId, Fleet.Enrolled agent) {
        Fleet.report(agent, deploymentOf(rolloutId, agent), DeploymentState.INSTALLED, 20_000, 20_000,
                new BytesBySource(15_000, 0, 4_000, 1_000)).then().statusCode(200);
    }

    private static void awaitState(String id, String state) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> status(id).getString("state").equals(state));
    }

    @Test
    void aTwoWaveRolloutAdvancesByItselfAsAgentsInstallAndEndsFinished() {
        PublishedArtifact release = PublishedArtifact.publish("rollout-auto", 20_000);
        String label = label();
        as(Tokens.operator()).contentType(ContentType.JSON).body(Map.of("name", label, "cidrs",
                List.of("fd00:" + label.substring(2, 6) + ":" + label.substring(6) + "::/48")))
                .post("/api/v1/sites").then().statusCode(201);
        Fleet.Enrolled first = Fleet.enroll(null, label);
        Fleet.Enrolled second = Fleet.enroll(label, label);
        Fleet.Enrolled third = Fleet.enroll(label, label);

        JsonPath created = create(rollout(release.product(), label, List.of(
                wave("canary", "agentIds", List.of(first.agentId())), wave("everyone else", null, null))));
        String id = created.getString("id");
        assertThat(created.getString("state")).isEqualTo("RUNNING");
        assertThat(created.getList("waves.agents", Integer.class)).containsExactly(1, 2);
        assertThat(created.getList("waves.state", String.class)).containsExactly("RUNNING", "PENDING");
        assertThat(created.getInt("counts.PENDING")).isEqualTo(1);
        assertThat(created.getInt("counts.NOT_DEPLOYED")).isEqualTo(2);
        assertThat(created.getLong("releaseSize")).isEqualTo(20_000);
        assertThat(created.getString("estimatedCompletion")).as("no agent has finished yet").isNull();
        assertThat(Fleet.checkIn(second).then().statusCode(200).extract().jsonPath().getList("deployments"))
                .as("the second wave has not started").isEmpty();

        install(id, first);
        awaitState(id, "RUNNING");
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> status(id).getList("waves.state", String.class).equals(List.of("SUCCEEDED", "RUNNING")));
        install(id, second);
        install(id, third);

        awaitState(id, "FINISHED");
        JsonPath done = status(id);
        assertThat(done.getInt("counts.INSTALLED")).isEqualTo(3);
        assertThat(done.getList("waves.state", String.class)).containsExactly("SUCCEEDED", "SUCCEEDED");
        assertThat(done.getString("startedAt")).isNotNull();
        assertThat(done.getString("finishedAt")).isNotNull();
        assertThat(done.getLong("bytes.sameSitePeers")).isEqualTo(45_000);
        assertThat(done.getString("estimatedCompletion")).as("a finished rollout has nothing to estimate").isNull();
        assertThat(done.getDouble("originRatio")).as("3 agents × 5,000 of 20,000 bytes from origin and web seed")
                .isEqualTo(0.75);
        assertThat(done.getString("sites[0].site")).isEqualTo(label);
        assertThat(done.getLong("sites[0].bytes.originSeeder")).isEqualTo(8_000);
        assertThat(done.getDouble("sites[0].wanRatio")).isEqualTo(0.5);
        assertThat(done.getDouble("sites[0].originRatio")).isEqualTo(0.5);
        assertThat(done.getString("sites[1].site")).as("agents on no site come last").isNull();
        assertThat(done.getString("sites[1].wanRatio")).as("no site, no WAN to speak of").isNull();
        as(Tokens.viewer()).get(ROLLOUTS + "?state=FINISHED").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.counts.INSTALLED", equalTo(3));
    }

    @Test
    void failuresPauseTheRolloutAtTheErrorThresholdNamingTheFailingAgents() {
        PublishedArtifact release = PublishedArtifact.publish("rollout-fail", 20_000);
        String label = label();
        Fleet.Enrolled failing = Fleet.enroll(null, label);
        Fleet.Enrolled fine = Fleet.enroll(null, label);
        Fleet.Enrolled later = Fleet.enroll(null, label);
        Map<String, Object> body = rollout(release.product(), label, List.of(
                wave("first", "agentIds", List.of(failing.agentId(), fine.agentId())), wave("rest", null, null)));
        body.put("errorThreshold", 50);
        String id = create(body).getString("id");

        as(failing.token()).contentType(ContentType.JSON)
                .body(new DeploymentStatusReport(DeploymentState.FAILED, 0, 20_000, BytesBySource.NONE, "INSTALL_FAILED",
                        "The install command exited with 3.", 3, List.of("copying", "error: disk full")))
                .post("/api/agent/v1/deployments/{id}/status", deploymentOf(id, failing)).then().statusCode(200);

        awaitState(id, "PAUSED");
        JsonPath paused = status(id);
        assertThat(paused.getString("pauseReason")).isEqualTo("ERROR_THRESHOLD");
        assertThat(paused.getString("pauseDetail")).contains(failing.hostname(), failing.agentId(), "INSTALL_FAILED",
                "exit code 3").doesNotContain(fine.hostname());
        assertThat(paused.getList("waves.state", String.class)).containsExactly("FAILED", "PENDING");
        as(Tokens.viewer()).get(ROLLOUTS + "/{id}/agents?state=FAILED", id).then().statusCode(200)
                .body("agentId", equalTo(List.of(failing.agentId())))
                .body("[0].reason", equalTo("INSTALL_FAILED"))
                .body("[0].exitCode", equalTo(3))
                .body("[0].output", equalTo(List.of("copying", "error: disk full")));
        assertThat(Fleet.checkIn(later).then().statusCode(200).extract().jsonPath().getList("deployments"))
                .as("a paused rollout starts no wave").isEmpty();

        // Resuming accepts the failed wave: the next one starts.
        control(id, "resume").then().statusCode(200).body("state", equalTo("RUNNING"))
                .body("waves.state", equalTo(List.of("FAILED", "RUNNING")));
    }

    @Test
    void resumeAfterCancelIsAConflictNamingTheStateAndTheDeploymentsAreCancelled() {
        PublishedArtifact release = PublishedArtifact.publish("rollout-cancel", 20_000);
        String label = label();
        Fleet.Enrolled agent = Fleet.enroll(null, label);
        String id = create(rollout(release.product(), label, List.of(wave("all", "percent", 100)))).getString("id");

        control(id, "cancel").then().statusCode(200).body("state", equalTo("CANCELLED"))
                .body("waves[0].state", equalTo("CANCELLED"));

        control(id, "resume").then().statusCode(409).contentType(startsWith("application/problem+json"))
                .body("detail", containsString("is cancelled"));
        control(id, "pause").then().statusCode(409).body("detail", containsString("is cancelled"));
        control(id, "cancel").then().statusCode(409);
        as(Tokens.viewer()).get(ROLLOUTS + "/{id}/agents", id).then().statusCode(200)
                .body("[0].state", equalTo("CANCELLED"))
                .body("[0].detail", containsString("cancelled by operator"));
        assertThat(Fleet.checkIn(agent).then().extract().jsonPath().getString("deployments[0].state"))
                .isEqualTo("CANCELLED");
    }

    @Test
    void underManualAdvanceTheRolloutWaitsAfterEachWaveUntilAnOperatorAdvancesIt() {
        PublishedArtifact release = PublishedArtifact.publish("rollout-manual", 20_000);
        String label = label();
        Fleet.Enrolled first = Fleet.enroll(null, label);
        Fleet.Enrolled second = Fleet.enroll(null, label);
        Map<String, Object> body = rollout(release.product(), label, List.of(
                wave("one", "agentIds", List.of(first.agentId())), wave("two", null, null)));
        body.put("advance", "MANUAL");
        String id = create(body).getString("id");

        install(id, first);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> status(id).getBoolean("waitingForAdvance"));
        JsonPath waiting = status(id);
        assertThat(waiting.getString("state")).isEqualTo("RUNNING");
        assertThat(waiting.getList("waves.state", String.class)).containsExactly("SUCCEEDED", "PENDING");

        control(id, "advance").then().statusCode(200).body("waves.state", equalTo(List.of("SUCCEEDED", "RUNNING")))
                .body("waitingForAdvance", equalTo(false));
        control(id, "advance").then().statusCode(409).body("detail", containsString("every wave has started"));
        install(id, second);
        awaitState(id, "FINISHED");
    }

    @Test
    void aRevokedReleasePausesItsRolloutAndOnlyCancelIsLeft() {
        PublishedArtifact release = PublishedArtifact.publish("rollout-revoked", 20_000);
        String label = label();
        Fleet.enroll(null, label);
        Fleet.enroll(null, label);
        String id = create(rollout(release.product(), label, List.of(wave("all", "percent", 100)))).getString("id");

        as(Tokens.publisher()).post("/api/v1/products/{p}/releases/1.0/revoke", release.product()).then().statusCode(200);

        awaitState(id, "PAUSED");
        JsonPath paused = status(id);
        assertThat(paused.getString("pauseReason")).isEqualTo("RELEASE_REVOKED");
        assertThat(paused.getInt("counts.CANCELLED")).isEqualTo(2);
        control(id, "resume").then().statusCode(409).body("detail", containsString("revoked"));
        control(id, "cancel").then().statusCode(200).body("state", equalTo("CANCELLED"));
    }

    @Test
    void aRolloutThatStartsLaterCreatesNoDeploymentsYet() {
        PublishedArtifact release = PublishedArtifact.publish("rollout-later", 20_000);
        String label = label();
        Fleet.Enrolled agent = Fleet.enroll(null, label);
        Map<String, Object> body = rollout(release.product(), label, List.of(wave("all", "percent", 100)));
        body.put("startAt", Instant.now().plus(Duration.ofDays(1)).toString());

        JsonPath created = create(body);
        assertThat(created.getString("state")).isEqualTo("SCHEDULED");
        assertThat(created.getString("waves[0].state")).isEqualTo("PENDING");
        assertThat(Fleet.checkIn(agent).then().extract().jsonPath().getList("deployments")).isEmpty();
        control(created.getString("id"), "pause").then().statusCode(409).body("detail", containsString("is scheduled"));
    }

    @Test
    void withApprovalsOffARolloutStartsAtOnceAndApprovingItIsAConflict() {
        PublishedArtifact release = PublishedArtifact.publish("rollout-no-approval", 20_000);
        String label = label();
        Fleet.enroll(null, label);
        String id = create(rollout(release.product(), label, List.of(wave("all", "percent", 100)))).getString("id");

        as(Tokens.admin()).post(ROLLOUTS + "/{id}/approve", id).then().statusCode(409)
                .contentType(startsWith("application/problem+json"))
                .body("detail", containsString("is running; only a rollout waiting for approval can be approved"))
                .body("detail", containsString("starling.rollouts.approval-required is false"));
        as(Tokens.admin()).post(ROLLOUTS + "/{id}/deny", id).then().statusCode(409);
    }

    /** Two rollouts to one label, one dynamic: an agent enrolled afterwards joins only the dynamic one's last wave. */
    @Test
    void anAgentEnrolledAfterADynamicRolloutStartedJoinsItsLastWaveAndAStaticRolloutStaysAsItWas() {
        String label = label();
        Fleet.Enrolled first = Fleet.enroll(null, label);
        Fleet.Enrolled second = Fleet.enroll(null, label);
        PublishedArtifact dynamicRelease = PublishedArtifact.publish("rollout-dynamic", 20_000);
        PublishedArtifact staticRelease = PublishedArtifact.publish("rollout-static", 20_000);
        Map<String, Object> dynamicBody = rollout(dynamicRelease.product(), label, List.of(
                wave("canary", "agentIds", List.of(first.agentId())), wave("rest", null, null)));
        dynamicBody.put("dynamic", true);
        String dynamicId = create(dynamicBody).getString("id");
        String staticId = create(rollout(staticRelease.product(), label, List.of(wave("all", "percent", 100))))
                .getString("id");

        Fleet.Enrolled late = Fleet.enroll(null, label);

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> status(dynamicId).getLong("agents") == 3);
        JsonPath grown = status(dynamicId);
        assertThat(grown.getList("waves.agents", Integer.class)).containsExactly(1, 2);
        assertThat(grown.getList("waves.state", String.class)).as("the last wave waits for the canary")
                .containsExactly("RUNNING", "PENDING");
        assertThat(status(staticId).getLong("agents")).as("a static rollout keeps its agents").isEqualTo(2);
        assertThat(Fleet.checkIn(late).then().statusCode(200).extract().jsonPath().getList("deployments.product"))
                .as("nothing yet: the static rollout does not take it, the dynamic one's last wave has not started")
                .isEmpty();

        install(dynamicId, first);
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> status(dynamicId).getList("waves.state", String.class).equals(List.of("SUCCEEDED", "RUNNING")));
        assertThat(Fleet.checkIn(late).then().extract().jsonPath().getList("deployments.product"))
                .containsExactly(dynamicRelease.product());

        // Once the last wave runs, an agent that matches later gets its deployment at once.
        Fleet.Enrolled later = Fleet.enroll(null, label);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Fleet.checkIn(later).then().extract().jsonPath()
                .getList("deployments.product").contains(dynamicRelease.product()));
        install(dynamicId, second);
        install(dynamicId, late);
        install(dynamicId, later);
        JsonPath open = status(dynamicId);
        assertThat(open.getInt("counts.INSTALLED")).isEqualTo(4);
        assertThat(open.getString("state")).as("a dynamic rollout stays open until cancelled").isEqualTo("RUNNING");
        assertThat(open.getList("waves.state", String.class)).containsExactly("SUCCEEDED", "RUNNING");
        assertThat(open.getList("waves.agents", Integer.class)).containsExactly(1, 3);
        assertThat(status(staticId).getLong("agents")).isEqualTo(2);

        control(dynamicId, "cancel").then().statusCode(200).body("state", equalTo("CANCELLED"));
        Fleet.Enrolled afterCancel = Fleet.enroll(null, label);
        assertThat(Fleet.checkIn(afterCancel).then().extract().jsonPath().getList("deployments")).isEmpty();
        assertThat(status(dynamicId).getLong("agents")).as("an ended rollout does not grow").isEqualTo(4);
    }

    /** A check-in from another address moves an agent to a site a dynamic rollout targets: it joins. */
    @Test
    void anAgentThatMovesToATargetedSiteJoinsADynamicRolloutThatIsRunningItsLastWave() {
        String site = Api.newSite("dyn", "10.87.0.0/16");
        Fleet.Enrolled there = Fleet.enroll(site);
        Fleet.Enrolled moving = Fleet.enroll(null);
        PublishedArtifact release = PublishedArtifact.publish("rollout-dynamic-site", 20_000);
        Map<String, Object> body = rollout(release.product(), "unused", List.of(wave("all", "percent", 100)));
        body.put("target", Map.of("sites", List.of(site)));
        body.put("dynamic", true);
        String id = create(body).getString("id");
        assertThat(status(id).getLong("agents")).isEqualTo(1);

        QuarkusTransaction.requiringNew().run(() -> agents.recordCheckIn(moving.clientId(), Fleet.inventory(), "10.87.4.2",
                Instant.now()));

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> status(id).getLong("agents") == 2);
        assertThat(Fleet.checkIn(there).then().extract().jsonPath().getList("deployments.product"))
                .containsExactly(release.product());
        as(Tokens.viewer()).get(ROLLOUTS + "/{id}/agents", id).then().statusCode(200)
                .body("find { it.agentId == '" + moving.agentId() + "' }.site", equalTo(site))
                .body("find { it.agentId == '" + moving.agentId() + "' }.state", equalTo("PENDING"));
    }

    @Test
    void aBadRequestNamesEveryBadFieldAtOnce() {
        Map<String, Object> body = new HashMap<>();
        body.put("name", " ");
        body.put("product", "office");
        body.put("version", "1.0");
        body.put("successThreshold", 150);
        body.put("waveTimeout", "2 hours");
        body.put("startAt", "tomorrow");
        body.put("target", Map.of("agentIds", List.of("not-an-id")));
        body.put("maintenanceWindow", Map.of("cron", "every night", "duration", "PT4H", "timezone", "Mars/Olympus"));
        body.put("waves", List.of(wave("a", "percent", 120), Map.of("name", "b", "percent", 10, "sites", List.of("berlin")),
                wave("c", null, null)));

        String detail = as(Tokens.operator()).contentType(ContentType.JSON).body(body).post(ROLLOUTS).then()
                .statusCode(400).contentType(startsWith("application/problem+json")).extract().path("detail");
        assertThat(detail).contains("name: must name the rollout", "successThreshold: must be 0 to 100",
                "waveTimeout: must be an ISO-8601 duration", "startAt: must be an ISO-8601 time",
                "target: agentIds: 1 of 1 are not agent ids", "maintenanceWindow: cron:", "maintenanceWindow: timezone:",
                "waves[0]: percent: must be 0 to 100", "waves[1]: give either percent or sites/labels/agentIds");
    }

    @Test
    void anUnpublishedReleaseIsAConflictAndAnEmptyTargetIsRefusedWithTheReason() {
        String product = Api.newProduct("rollout-draft");
        Api.newRelease(product, "1.0");
        String label = label();
        Fleet.enroll(null, label);
        as(Tokens.operator()).contentType(ContentType.JSON).body(rollout(product, label, List.of(wave("all", "percent", 100))))
                .post(ROLLOUTS).then().statusCode(409).body("detail", containsString("is draft"));

        PublishedArtifact release = PublishedArtifact.publish("rollout-empty", 20_000);
        as(Tokens.operator()).contentType(ContentType.JSON)
                .body(rollout(release.product(), label(), List.of(wave("all", "percent", 100))))
                .post(ROLLOUTS).then().statusCode(400).body("detail", containsString("matches no active agent"));
        as(Tokens.viewer()).get(ROLLOUTS + "/{id}", UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void aPreviewCountsTheTargetWaveByWaveAndCreatesNothing() {
        String label = label();
        for (int i = 0; i < 4; i++) {
            Fleet.enroll(null, label);
        }
        int rolloutsBefore = as(Tokens.viewer()).get(ROLLOUTS + "?limit=1000").then().statusCode(200).extract()
                .jsonPath().getList("$").size();
        // The release does not exist: the preview does not look at it.
        JsonPath preview = as(Tokens.operator()).contentType(ContentType.JSON)
                .body(rollout("never-published", label, List.of(wave("canary", "percent", 25), wave("rest", null, null))))
                .post(ROLLOUTS + "/preview").then().statusCode(200).extract().jsonPath();
        assertThat(preview.getInt("agents")).isEqualTo(4);
        assertThat(preview.getList("waves.name", String.class)).containsExactly("canary", "rest");
        assertThat(preview.getList("waves.agents", Integer.class)).containsExactly(1, 3);
        assertThat(as(Tokens.viewer()).get(ROLLOUTS + "?limit=1000").then().extract().jsonPath().getList("$"))
                .as("nothing was created").hasSize(rolloutsBefore);

        as(Tokens.operator()).contentType(ContentType.JSON)
                .body(rollout("never-published", label(), List.of(wave("all", null, null))))
                .post(ROLLOUTS + "/preview").then().statusCode(200).body("agents", equalTo(0))
                .body("waves[0].agents", equalTo(0));
        Map<String, Object> unknownSite = rollout("never-published", label, List.of(wave("all", null, null)));
        unknownSite.put("target", Map.of("sites", List.of("atlantis")));
        as(Tokens.operator()).contentType(ContentType.JSON).body(unknownSite).post(ROLLOUTS + "/preview").then()
                .statusCode(400).contentType(startsWith("application/problem+json"))
                .body("detail", containsString("no such sites: atlantis"));
    }
}
