package io.starling.controlplane.rollout;

import static io.starling.controlplane.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.starling.controlplane.testing.Fleet;
import io.starling.controlplane.testing.PublishedArtifact;
import io.starling.controlplane.testing.Tokens;
import io.starling.protocol.agent.BytesBySource;
import io.starling.protocol.agent.DeploymentState;
import io.starling.protocol.agent.DeploymentStatusReport;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** What a rollout's mode, maintenance window and deadline tell its agents at check-in, and /install. */
@QuarkusTest
class RolloutInstallPolicyTest {

    private static final String ROLLOUTS = "/api/v1/rollouts";

    private static String create(String product, String label, List<Map<String, Object>> waves,
            Map<String, Object> extra) {
        Map<String, Object> body = RolloutTest.rollout(product, label, waves);
        body.putAll(extra);
        return RolloutTest.create(body).getString("id");
    }

    /** The agent's one deployment, as its check-in answer lists it. */
    private static JsonPath desired(Fleet.Enrolled agent) {
        JsonPath answer = Fleet.checkIn(agent).then().statusCode(200).extract().jsonPath();
        assertThat(answer.getList("deployments")).hasSize(1);
        return answer.setRootPath("deployments[0]");
    }

    private static void report(Fleet.Enrolled agent, String deployment, DeploymentState state, String detail) {
        as(agent.token()).contentType(ContentType.JSON)
                .body(new DeploymentStatusReport(state, 20_000, 20_000, BytesBySource.NONE, null, detail, null, List.of()))
                .post("/api/agent/v1/deployments/{id}/status", deployment).then().statusCode(200);
    }

    /** The detail of the rollout's first agent, as operators see it. */
    private static String agentDetail(String rolloutId) {
        return as(Tokens.viewer()).get(ROLLOUTS + "/{id}/agents", rolloutId).then().statusCode(200).extract()
                .jsonPath().getString("[0].detail");
    }

    @Test
    void aDownloadOnlyRolloutSaysSoAtCheckInUntilInstallClearsItForEveryWave() {
        PublishedArtifact release = PublishedArtifact.publish("policy-prestage", 20_000);
        String label = RolloutTest.label();
        Fleet.Enrolled first = Fleet.enroll(null, label);
        Fleet.Enrolled second = Fleet.enroll(null, label);
        String id = create(release.product(), label, List.of(
                Map.of("name", "one", "agentIds", List.of(first.agentId())), Map.of("name", "two")),
                Map.of("mode", "DOWNLOAD_ONLY", "advance", "MANUAL"));

        JsonPath before = desired(first);
        assertThat(before.getBoolean("install.downloadOnly")).isTrue();
        assertThat(before.getString("install.windowOpensAt")).isNull();
        String deployment = before.getString("id");
        report(first, deployment, DeploymentState.DOWNLOADED, "download only: waiting for install");
        assertThat(agentDetail(id)).isEqualTo("download only: waiting for install");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> as(Tokens.viewer()).get(ROLLOUTS + "/{id}", id)
                .then().extract().jsonPath().getBoolean("waitingForAdvance"));

        RolloutTest.control(id, "install").then().statusCode(200).body("mode", equalTo("INSTALL"));

        assertThat(desired(first).getBoolean("install.downloadOnly")).as("the downloaded deployment may install").isFalse();
        report(first, deployment, DeploymentState.INSTALLING, null);
        assertThat(agentDetail(id)).as("why it waited is over").isNull();
        RolloutTest.control(id, "advance").then().statusCode(200);
        assertThat(desired(second).getBoolean("install.downloadOnly")).as("a wave started after /install").isFalse();
        RolloutTest.control(id, "install").then().statusCode(409).body("detail", containsString("mode is INSTALL"));
    }

    @Test
    void aMaintenanceWindowReachesTheAgentAsItsNextOpeningAndClosingTimesWithTheDeadline() {
        PublishedArtifact release = PublishedArtifact.publish("policy-window", 20_000);
        String label = RolloutTest.label();
        Fleet.Enrolled agent = Fleet.enroll(null, label);
        Instant deadline = Instant.now().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS);
        String id = create(release.product(), label, List.of(Map.of("name", "all")), Map.of(
                "maintenanceWindow", Map.of("cron", "0 22 * * *", "duration", "PT4H", "timezone", "Europe/Berlin"),
                "deadline", deadline.toString()));

        JsonPath d = desired(agent);
        Instant opens = Instant.parse(d.getString("install.windowOpensAt"));
        Instant closes = Instant.parse(d.getString("install.windowClosesAt"));
        assertThat(d.getBoolean("install.downloadOnly")).isFalse();
        assertThat(Duration.between(opens, closes)).isEqualTo(Duration.ofHours(4));
        assertThat(closes).as("open now, or the next one").isAfter(Instant.now().minusSeconds(5));
        assertThat(opens).isBefore(Instant.now().plus(Duration.ofDays(1)));
        assertThat(opens.atZone(java.time.ZoneId.of("Europe/Berlin")).getHour()).isEqualTo(22);
        assertThat(Instant.parse(d.getString("install.deadline"))).isEqualTo(deadline);
        JsonPath view = as(Tokens.viewer()).get(ROLLOUTS + "/{id}", id).then().statusCode(200).extract().jsonPath();
        assertThat(Instant.parse(view.getString("windowOpening.opensAt"))).as("operators see what agents wait for")
                .isEqualTo(opens);
        assertThat(Instant.parse(view.getString("windowOpening.closesAt"))).isEqualTo(closes);
        assertThat(view.getString("maintenanceWindow.cron")).isEqualTo("0 22 * * *");
    }

    @Test
    void installIsRefusedAndAuditedForARolloutThatInstallsAlreadyOrWasCancelled() {
        PublishedArtifact release = PublishedArtifact.publish("policy-refused", 20_000);
        String label = RolloutTest.label();
        Fleet.enroll(null, label);
        String installing = create(release.product(), label, List.of(Map.of("name", "all")), Map.of());
        RolloutTest.control(installing, "install").then().statusCode(409)
                .body("detail", containsString("is running; its mode is INSTALL already"));
        RolloutTest.control(installing, "cancel").then().statusCode(200);

        String label2 = RolloutTest.label();
        Fleet.enroll(null, label2);
        String prestage = create(release.product(), label2, List.of(Map.of("name", "all")),
                Map.of("mode", "DOWNLOAD_ONLY"));
        RolloutTest.control(prestage, "cancel").then().statusCode(200);
        RolloutTest.control(prestage, "install").then().statusCode(409).body("detail", containsString("is cancelled"));

        // Audit rows are written a moment after the response.
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(as(Tokens.admin())
                .get("/api/v1/audit?limit=1000").then().statusCode(200).extract().jsonPath().getList("$", Map.class))
                .anySatisfy(e -> assertThat(e).containsEntry("actor", "operator").containsEntry("action", "POST")
                        .containsEntry("target", ROLLOUTS + "/" + prestage + "/install").containsEntry("status", 409)
                        .containsEntry("outcome", "FAILURE")));
    }

    @Test
    void aCronThatIsNotAFiveFieldUnixExpressionOrNeverOpensIsRefused() {
        Map<String, Object> body = RolloutTest.rollout("nothing", RolloutTest.label(), List.of(Map.of("name", "all")));
        body.put("maintenanceWindow", Map.of("cron", "0 0 22 * * ?", "duration", "PT4H", "timezone", "UTC"));
        as(Tokens.operator()).contentType(ContentType.JSON).body(body).post(ROLLOUTS).then().statusCode(400)
                .body("detail", containsString("not a 5-field Unix cron expression"));
        body.put("maintenanceWindow", Map.of("cron", "0 0 31 2 *", "duration", "PT4H", "timezone", "UTC"));
        as(Tokens.operator()).contentType(ContentType.JSON).body(body).post(ROLLOUTS).then().statusCode(400)
                .body("detail", containsString("never matches"));
    }
}
