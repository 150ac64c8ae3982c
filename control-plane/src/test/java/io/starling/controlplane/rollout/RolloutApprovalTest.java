package io.starling.controlplane.rollout;

import static io.starling.controlplane.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.starling.controlplane.testing.Fleet;
import io.starling.controlplane.testing.PublishedArtifact;
import io.starling.controlplane.testing.SseClient;
import io.starling.controlplane.testing.Tokens;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Four eyes: with approvals on, a rollout waits until an admin other than its creator decides. */
@QuarkusTest
@TestProfile(RolloutApprovalTest.ApprovalsOn.class)
class RolloutApprovalTest {

    public static class ApprovalsOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("starling.rollouts.approval-required", "true");
        }
    }

    private static final String ROLLOUTS = "/api/v1/rollouts";

    private record Waiting(String id, Fleet.Enrolled agent) {
    }

    private static Waiting create(String prefix, String creatorToken, Map<String, Object> extra) {
        PublishedArtifact release = PublishedArtifact.publish(prefix, 20_000);
        String label = RolloutTest.label();
        Fleet.Enrolled agent = Fleet.enroll(null, label);
        Map<String, Object> body = RolloutTest.rollout(release.product(), label, List.of(RolloutTest.wave("all", "percent", 100)));
        body.putAll(extra);
        JsonPath created = as(creatorToken).contentType(ContentType.JSON).body(body).post(ROLLOUTS).then().statusCode(201)
                .extract().jsonPath();
        assertThat(created.getString("state")).isEqualTo("WAITING_FOR_APPROVAL");
        assertThat(created.getString("waves[0].state")).isEqualTo("PENDING");
        return new Waiting(created.getString("id"), agent);
    }

    private static io.restassured.response.Response decide(String token, String id, String action, String comment) {
        var spec = as(token).contentType(ContentType.JSON);
        if (comment != null) {
            spec = spec.body(Map.of("comment", comment));
        }
        return spec.post(ROLLOUTS + "/{id}/" + action, id);
    }

    @Test
    void theCreatorCannotApproveTheirOwnRolloutAnotherAdminCanAndItStarts() {
        Waiting w = create("approval-self", Tokens.admin(), Map.of());
        assertThat(Fleet.checkIn(w.agent()).then().statusCode(200).extract().jsonPath().getList("deployments"))
                .as("nothing is deployed before the approval").isEmpty();

        try (SseClient feed = SseClient.open(ROLLOUTS + "/" + w.id() + "/events?after=0", Tokens.viewer(), null)) {
            decide(Tokens.admin(), w.id(), "approve", null).then().statusCode(403)
                    .contentType(startsWith("application/problem+json"))
                    .body("detail", containsString("was created by admin; its creator cannot approve it"));
            decide(Tokens.admin(), w.id(), "deny", null).then().statusCode(403)
                    .body("detail", containsString("its creator cannot deny it"));
            as(Tokens.viewer()).get(ROLLOUTS + "/{id}", w.id()).then().body("state", equalTo("WAITING_FOR_APPROVAL"));

            decide(Tokens.admin("admin-2"), w.id(), "approve", "Change ticket 4711.").then().statusCode(200)
                    .body("state", equalTo("RUNNING"))
                    .body("waves[0].state", equalTo("RUNNING"))
                    .body("decidedBy", equalTo("admin-2"))
                    .body("decisionComment", equalTo("Change ticket 4711."));
            assertThat(Fleet.checkIn(w.agent()).then().extract().jsonPath().getList("deployments")).hasSize(1);

            Awaitility.await().atMost(SseClient.PATIENCE).until(() -> feed.changes().stream()
                    .anyMatch(e -> e.type().equals("rollout") && "SCHEDULED".equals(e.payload("to"))));
            SseClient.Event approved = feed.changes().stream()
                    .filter(e -> e.type().equals("rollout") && "SCHEDULED".equals(e.payload("to"))).findFirst().orElseThrow();
            assertThat(approved.payload("from")).isEqualTo("WAITING_FOR_APPROVAL");
            assertThat(approved.payload("by")).isEqualTo("admin-2");
            assertThat(approved.payload("comment")).isEqualTo("Change ticket 4711.");
        }

        decide(Tokens.admin("admin-2"), w.id(), "approve", null).then().statusCode(409)
                .contentType(startsWith("application/problem+json"))
                .body("detail", containsString("is running; only a rollout waiting for approval can be approved"));
        // Every decision, refused or not, is in the audit trail.
        List<Map<String, Object>> audit = as(Tokens.admin()).get("/api/v1/audit?limit=50").then().statusCode(200)
                .extract().jsonPath().getList("findAll { it.target.contains('" + w.id() + "') }");
        assertThat(audit).extracting(e -> e.get("actor") + " " + e.get("target").toString().replaceAll(".*/", "") + " "
                + e.get("status")).contains("admin approve 403", "admin deny 403", "admin-2 approve 200",
                "admin-2 approve 409");
    }

    @Test
    void anOperatorCanAskButNotApprove() {
        Waiting w = create("approval-operator", Tokens.operator(), Map.of());
        decide(Tokens.operator(), w.id(), "approve", null).then().statusCode(403);
        decide(Tokens.viewer(), w.id(), "deny", null).then().statusCode(403);
        decide(Tokens.admin(), w.id(), "approve", null).then().statusCode(200).body("decidedBy", equalTo("admin"));
    }

    @Test
    void aDeniedRolloutEndsDeniedWithTheCommentAndNoAgentGetsAnything() {
        Waiting w = create("approval-deny", Tokens.operator(), Map.of());

        decide(Tokens.admin(), w.id(), "deny", "Not during the quarter close.").then().statusCode(200)
                .body("state", equalTo("DENIED"))
                .body("waves[0].state", equalTo("CANCELLED"))
                .body("decidedBy", equalTo("admin"))
                .body("decisionComment", equalTo("Not during the quarter close."))
                .body("finishedAt", org.hamcrest.Matchers.notNullValue());

        decide(Tokens.admin("admin-2"), w.id(), "approve", null).then().statusCode(409)
                .body("detail", containsString("is denied"));
        RolloutTest.control(w.id(), "cancel").then().statusCode(409).body("detail", containsString("is denied"));
        assertThat(Fleet.checkIn(w.agent()).then().extract().jsonPath().getList("deployments")).isEmpty();
        as(Tokens.viewer()).get(ROLLOUTS + "?state=DENIED").then().statusCode(200)
                .body("find { it.id == '" + w.id() + "' }.state", equalTo("DENIED"));
    }

    @Test
    void anApprovedRolloutWithAFutureStartIsScheduledAndTheCreatorMayWithdrawOne() {
        Waiting later = create("approval-later", Tokens.operator(),
                Map.of("startAt", Instant.now().plus(Duration.ofDays(1)).toString()));
        decide(Tokens.admin(), later.id(), "approve", null).then().statusCode(200).body("state", equalTo("SCHEDULED"));
        assertThat(Fleet.checkIn(later.agent()).then().extract().jsonPath().getList("deployments")).isEmpty();

        Waiting withdrawn = create("approval-withdrawn", Tokens.operator(), Map.of());
        RolloutTest.control(withdrawn.id(), "pause").then().statusCode(409)
                .body("detail", containsString("is waiting for approval"));
        RolloutTest.control(withdrawn.id(), "cancel").then().statusCode(200).body("state", equalTo("CANCELLED"));
    }

    @Test
    void aLongCommentIsRefusedNamingTheField() {
        Waiting w = create("approval-comment", Tokens.operator(), Map.of());
        decide(Tokens.admin(), w.id(), "deny", "x".repeat(1001)).then().statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("detail", containsString("comment"));
    }
}
