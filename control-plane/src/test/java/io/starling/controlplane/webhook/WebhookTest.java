package io.starling.controlplane.webhook;

import static io.starling.controlplane.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.starling.controlplane.testing.Fleet;
import io.starling.controlplane.testing.PublishedArtifact;
import io.starling.controlplane.testing.Tokens;
import io.starling.protocol.agent.BytesBySource;
import io.starling.protocol.agent.DeploymentState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A team's channel hears about rollouts through a webhook, as its receiver sees it. */
@QuarkusTest
class WebhookTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final String SECRET = "s3cret-shared-with-the-receiver";

    private final List<String> hooks = new ArrayList<>();

    @AfterEach
    void deleteHooks() {
        hooks.forEach(id -> as(Tokens.admin()).delete("/api/v1/webhooks/{id}", id));
    }

    private String hook(String url, List<String> events, String secret) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("url", url, "events", events));
        if (secret != null) {
            body.put("secret", secret);
        }
        String id = as(Tokens.admin()).contentType(ContentType.JSON).body(body).post("/api/v1/webhooks").then()
                .statusCode(201).extract().path("id");
        hooks.add(id);
        return id;
    }

    /** A running rollout of a fresh release to one fresh agent. */
    private record Running(String id, Fleet.Enrolled agent) {

        String deployment() {
            return as(Tokens.viewer()).get("/api/v1/rollouts/{id}/agents", id).then().statusCode(200).extract()
                    .path("[0].deploymentId");
        }
    }

    private static Running running(String prefix) {
        PublishedArtifact release = PublishedArtifact.publish(prefix, 20_000);
        String label = "wh-" + UUID.randomUUID().toString().substring(0, 8);
        Fleet.Enrolled agent = Fleet.enroll(null, label);
        Map<String, Object> body = Map.of("name", "webhook " + prefix, "product", release.product(), "version", "1.0",
                "target", Map.of("agentIds", List.of(agent.agentId())), "waves", List.of(Map.of("name", "all")));
        String id = as(Tokens.operator()).contentType(ContentType.JSON).body(body).post("/api/v1/rollouts").then()
                .statusCode(201).extract().path("id");
        return new Running(id, agent);
    }

    private static String rollout(String prefix) {
        return running(prefix).id();
    }

    private static void control(String rolloutId, String action) {
        as(Tokens.operator()).post("/api/v1/rollouts/{id}/" + action, rolloutId).then().statusCode(200);
    }

    private static String hmac(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    private static Receiver.Request stateChange(Receiver receiver, String rolloutId, String to) {
        return receiver.about(rolloutId).stream()
                .filter(r -> r.json().getString("event.type").equals("rollout") && to.equals(r.json().getString("event.payload.to")))
                .findFirst().orElse(null);
    }

    @Test
    void aPausedAndThenCancelledRolloutReachesTheHookSignedWithItsSecret() throws Exception {
        try (Receiver receiver = Receiver.answering(204)) {
            String hookId = hook(receiver.url(), List.of("rollout"), SECRET);
            String rolloutId = rollout("wh-pause");
            control(rolloutId, "pause");
            control(rolloutId, "cancel");
            Awaitility.await().atMost(PATIENCE).until(() -> stateChange(receiver, rolloutId, "CANCELLED") != null);

            Receiver.Request paused = stateChange(receiver, rolloutId, "PAUSED");
            assertThat(paused).as("the pause arrived").isNotNull();
            assertThat(paused.signature()).isEqualTo(hmac(SECRET, paused.body()));
            assertThat(paused.event()).isEqualTo("rollout");
            assertThat(paused.json().getString("deliveryId")).isEqualTo(paused.delivery());
            assertThat(paused.json().getString("hookId")).isEqualTo(hookId);
            assertThat(paused.json().getString("event.payload.from")).isEqualTo("RUNNING");
            assertThat(paused.json().getLong("event.id")).isPositive();
            assertThat(Duration.between(Instant.parse(paused.json().getString("timestamp")), Instant.now()))
                    .isLessThan(PATIENCE);
            // Only rollout state changes were asked for: no wave or deployment events.
            assertThat(receiver.about(rolloutId)).extracting(Receiver.Request::event).containsOnly("rollout");
            Receiver.Request cancelled = stateChange(receiver, rolloutId, "CANCELLED");
            assertThat(cancelled.signature()).isEqualTo(hmac(SECRET, cancelled.body()));
            assertThat(cancelled.json().getLong("event.id")).isGreaterThan(paused.json().getLong("event.id"));

            // A signature made with another key is not this one: the receiver can tell a forgery.
            assertThat(paused.signature()).isNotEqualTo(hmac("another-secret-of-16+", paused.body()));
        }
    }

    @Test
    void aReceiverThatFailsFirstGetsTheEventOnRetryAndTheLogShowsBothAttempts() throws Exception {
        try (Receiver receiver = Receiver.failingFirst()) {
            String hookId = hook(receiver.url(), List.of("rollout"), SECRET);
            String rolloutId = rollout("wh-retry");
            control(rolloutId, "pause");
            Awaitility.await().atMost(PATIENCE).until(() -> receiver.about(rolloutId).stream()
                    .filter(r -> "PAUSED".equals(r.json().getString("event.payload.to"))).count() == 2);
            List<Receiver.Request> tries = receiver.about(rolloutId).stream()
                    .filter(r -> "PAUSED".equals(r.json().getString("event.payload.to"))).toList();
            assertThat(tries).extracting(Receiver.Request::delivery).containsOnly(tries.get(0).delivery());
            assertThat(tries).extracting(r -> r.json().getInt("attempt")).containsExactly(1, 2);
            long eventId = tries.get(0).json().getLong("event.id");

            Awaitility.await().atMost(PATIENCE).untilAsserted(() -> as(Tokens.admin())
                    .get("/api/v1/webhooks/{id}/deliveries", hookId).then().statusCode(200)
                    .body("find { it.eventId == " + eventId + " }.state", equalTo("DELIVERED"))
                    .body("find { it.eventId == " + eventId + " }.attempts", equalTo(2))
                    .body("find { it.eventId == " + eventId + " }.lastStatus", equalTo(200))
                    .body("find { it.eventId == " + eventId + " }.eventType", equalTo("rollout"))
                    .body("find { it.eventId == " + eventId + " }.id", equalTo(tries.get(0).delivery())));
        }
    }

    @Test
    void aReceiverThatNeverAnswersWellIsMarkedFailedAfterTheLastAttempt() throws Exception {
        try (Receiver receiver = Receiver.answering(503)) {
            String hookId = hook(receiver.url(), List.of("rollout"), null);
            String rolloutId = rollout("wh-fail");
            control(rolloutId, "pause");
            Awaitility.await().atMost(PATIENCE).untilAsserted(() -> as(Tokens.admin())
                    .get("/api/v1/webhooks/{id}/deliveries", hookId).then().statusCode(200)
                    .body("findAll { it.state == 'FAILED' }.size()", org.hamcrest.Matchers.greaterThan(0)));
            List<Map<String, Object>> failed = as(Tokens.admin()).get("/api/v1/webhooks/{id}/deliveries", hookId).then()
                    .extract().jsonPath().getList("findAll { it.state == 'FAILED' }");
            // starling.webhooks.attempts=3 in the test profile
            assertThat(failed.get(0)).containsEntry("attempts", 3).containsEntry("lastStatus", 503)
                    .containsEntry("lastError", "HTTP 503");
            assertThat(failed.get(0).get("nextAttemptAt")).isNull();
            // Without a secret, deliveries go unsigned.
            assertThat(receiver.requests()).isNotEmpty().allSatisfy(r -> assertThat(r.signature()).isNull());
        }
    }

    @Test
    void aHookForDeploymentEventsHearsNothingOfAPause() throws Exception {
        try (Receiver deployments = Receiver.answering(200); Receiver rollouts = Receiver.answering(200)) {
            String deploymentHook = hook(deployments.url(), List.of("deployment"), SECRET);
            hook(rollouts.url(), List.of("rollout"), SECRET);
            Running r = running("wh-filter");
            String rolloutId = r.id();
            Fleet.report(r.agent(), r.deployment(), DeploymentState.DOWNLOADING, 0, 20_000, BytesBySource.NONE).then()
                    .statusCode(200);
            Awaitility.await().atMost(PATIENCE).until(() -> deployments.about(rolloutId).stream()
                    .anyMatch(q -> "DOWNLOADING".equals(q.json().getString("event.payload.to"))));
            control(rolloutId, "pause");
            Awaitility.await().atMost(PATIENCE).until(() -> stateChange(rollouts, rolloutId, "PAUSED") != null);
            // Whatever the deployment hook was sent by now is all it will get of that time.
            Awaitility.await().atMost(PATIENCE).untilAsserted(() -> as(Tokens.admin())
                    .get("/api/v1/webhooks/{id}/deliveries", deploymentHook).then().statusCode(200)
                    .body("findAll { it.state == 'PENDING' }.size()", equalTo(0)));

            assertThat(deployments.requests()).extracting(Receiver.Request::event).containsOnly("deployment");
            assertThat(stateChange(deployments, rolloutId, "PAUSED")).isNull();
            List<String> logged = as(Tokens.admin()).get("/api/v1/webhooks/{id}/deliveries", deploymentHook).then()
                    .extract().jsonPath().getList("eventType");
            assertThat(logged).containsOnly("deployment");
        }
    }

    @Test
    void aPingChecksTheReceiver() throws Exception {
        try (Receiver receiver = Receiver.answering(200)) {
            String hookId = hook(receiver.url(), List.of("summary"), SECRET);
            String delivery = as(Tokens.admin()).post("/api/v1/webhooks/{id}/test", hookId).then().statusCode(202)
                    .body("eventType", equalTo("ping")).body("state", equalTo("PENDING")).extract().path("id");
            Awaitility.await().atMost(PATIENCE).until(() -> receiver.requests().stream()
                    .anyMatch(r -> delivery.equals(r.delivery())));
            Receiver.Request ping = receiver.requests().stream().filter(r -> delivery.equals(r.delivery())).findFirst()
                    .orElseThrow();
            assertThat(ping.event()).isEqualTo("ping");
            assertThat(ping.signature()).isEqualTo(hmac(SECRET, ping.body()));
            assertThat(ping.json().getString("hookId")).isEqualTo(hookId);
        }
    }

    @Test
    void aBadRequestNamesEveryBadFieldAtOnce() {
        as(Tokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("url", "ftp://files.example.com/x", "events", List.of("rollout", "rollout.paused"),
                        "secret", "short"))
                .post("/api/v1/webhooks").then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("detail", containsString("url: must be an absolute http:// or https:// URL"))
                .body("detail", containsString("events: 1 of 2 are not event types; known: rollout, wave, deployment,"
                        + " summary"))
                .body("detail", containsString("secret: must be 16 to 256 characters"))
                .body("detail", org.hamcrest.Matchers.not(containsString("short")));
        as(Tokens.admin()).contentType(ContentType.JSON).body(Map.of("url", "/relative/path", "events", List.of()))
                .post("/api/v1/webhooks").then().statusCode(400)
                .body("detail", containsString("url: must be an absolute"))
                .body("detail", containsString("events: must list at least one of rollout, wave, deployment, summary"));
        as(Tokens.admin()).contentType(ContentType.JSON).body("null").post("/api/v1/webhooks").then().statusCode(400)
                .contentType(startsWith("application/problem+json"));
    }

    @Test
    void theSecretIsNeverShownOnlyWhetherThereIsOne() {
        String signed = hook("https://chat.example.com/hooks/a", List.of("rollout", "wave"), SECRET);
        String unsigned = hook("https://chat.example.com/hooks/b", List.of("summary"), null);
        String list = as(Tokens.admin()).get("/api/v1/webhooks").then().statusCode(200)
                .body("find { it.id == '" + signed + "' }.secretSet", equalTo(true))
                .body("find { it.id == '" + signed + "' }.events", equalTo(List.of("rollout", "wave")))
                .body("find { it.id == '" + unsigned + "' }.secretSet", equalTo(false))
                .extract().asString();
        String one = as(Tokens.admin()).get("/api/v1/webhooks/{id}", signed).then().statusCode(200)
                .body("url", equalTo("https://chat.example.com/hooks/a")).extract().asString();
        assertThat(list).doesNotContain(SECRET).doesNotContain("\"secret\"");
        assertThat(one).doesNotContain(SECRET).doesNotContain("\"secret\"");
    }

    @Test
    void aDeletedHookIsGoneAndItsCreationAndDeletionAreAudited() {
        String id = hook("https://chat.example.com/hooks/gone", List.of("rollout"), SECRET);
        as(Tokens.admin()).delete("/api/v1/webhooks/{id}", id).then().statusCode(204);
        as(Tokens.admin()).get("/api/v1/webhooks/{id}", id).then().statusCode(404)
                .contentType(startsWith("application/problem+json")).body("detail", equalTo("No webhook " + id + "."));
        as(Tokens.admin()).get("/api/v1/webhooks/{id}/deliveries", id).then().statusCode(404);
        as(Tokens.admin()).get("/api/v1/webhooks/not-an-id").then().statusCode(404);
        Awaitility.await().atMost(PATIENCE).untilAsserted(() -> as(Tokens.admin()).get("/api/v1/audit?limit=50").then()
                .body("findAll { it.target == '/api/v1/webhooks/" + id + "' && it.action == 'DELETE' }.size()", equalTo(1))
                .body("findAll { it.target == '/api/v1/webhooks' && it.action == 'POST' }.size()",
                        org.hamcrest.Matchers.greaterThan(0)));
    }
}
