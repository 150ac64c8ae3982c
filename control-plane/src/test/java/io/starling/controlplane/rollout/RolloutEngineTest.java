package io.starling.controlplane.rollout;

import static io.starling.controlplane.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.starling.controlplane.testing.Fleet;
import io.starling.controlplane.testing.PublishedArtifact;
import io.starling.controlplane.testing.Tokens;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * What the engine decides without a status report to set it off: progress it never heard of
 * (a crash between an agent's report and its event), wave timeouts, and several evaluations of
 * one rollout at once (replicas, concurrent reports).
 */
@QuarkusTest
class RolloutEngineTest {

    @Inject
    RolloutEngine engine;

    private static String label() {
        return "e-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Two waves: the first agent, then the other. */
    private static String twoWaves(String product, String label, Fleet.Enrolled first, String waveTimeout) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", "engine " + product, "product", product,
                "version", "1.0", "target", Map.of("labels", List.of(label)),
                "waves", List.of(Map.of("name", "one", "agentIds", List.of(first.agentId())), Map.of("name", "two"))));
        if (waveTimeout != null) {
            body.put("waveTimeout", waveTimeout);
        }
        return as(Tokens.operator()).contentType(ContentType.JSON).body(body).post("/api/v1/rollouts").then()
                .statusCode(201).extract().path("id");
    }

    private static JsonPath status(String id) {
        return as(Tokens.viewer()).get("/api/v1/rollouts/{id}", id).then().statusCode(200).extract().jsonPath();
    }

    /** The deployment moves as an agent's report would, but no event is fired: as if the control plane died after the commit. */
    private static void installedUnheard(String rolloutId) {
        int n = QuarkusTransaction.requiringNew().call(() -> Panache.getEntityManager().createNativeQuery(
                "update deployment set state = 'INSTALLED' where id in (select deployment_id from rollout_agent"
                        + " where rollout_id = :r and deployment_id is not null)")
                .setParameter("r", UUID.fromString(rolloutId)).executeUpdate());
        assertThat(n).as("deployments of the first wave").isEqualTo(1);
    }

    @Test
    void progressNobodyHeardOfIsCaughtUpByTheScheduledPass() {
        PublishedArtifact release = PublishedArtifact.publish("engine-missed", 20_000);
        String label = label();
        Fleet.Enrolled first = Fleet.enroll(null, label);
        Fleet.enroll(null, label);
        String id = twoWaves(release.product(), label, first, null);

        installedUnheard(id);

        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> status(id).getList("waves.state", String.class).equals(List.of("SUCCEEDED", "RUNNING")));
    }

    @Test
    void severalEvaluationsAtOnceStartTheNextWaveOnce() {
        PublishedArtifact release = PublishedArtifact.publish("engine-race", 20_000);
        String label = label();
        Fleet.Enrolled first = Fleet.enroll(null, label);
        Fleet.enroll(null, label);
        Fleet.enroll(null, label);
        String id = twoWaves(release.product(), label, first, null);
        installedUnheard(id);

        List<CompletableFuture<Void>> evaluations = IntStream.range(0, 4)
                .mapToObj(i -> CompletableFuture.runAsync(() -> engine.evaluate(UUID.fromString(id)))).toList();
        evaluations.forEach(CompletableFuture::join);

        JsonPath after = status(id);
        assertThat(after.getList("waves.state", String.class)).containsExactly("SUCCEEDED", "RUNNING");
        assertThat(after.getInt("counts.PENDING")).isEqualTo(2);
        long deployments = QuarkusTransaction.requiringNew().call(() -> ((Number) Panache.getEntityManager()
                .createNativeQuery("select count(*) from deployment d join release r on r.id = d.release_id"
                        + " join product p on p.id = r.product_id where p.name = :p")
                .setParameter("p", release.product()).getSingleResult()).longValue());
        assertThat(deployments).isEqualTo(3);
    }

    @Test
    void aWaveThatRunsPastItsTimeoutPausesTheRolloutAndResumingGivesItTheTimeoutAgain() {
        PublishedArtifact release = PublishedArtifact.publish("engine-timeout", 20_000);
        String label = label();
        Fleet.Enrolled first = Fleet.enroll(null, label);
        Fleet.enroll(null, label);
        String id = twoWaves(release.product(), label, first, "PT1H");
        assertThat(Instant.parse(status(id).getString("waves[0].timesOutAt"))).isAfter(Instant.now().plusSeconds(3500));

        QuarkusTransaction.requiringNew().run(() -> Panache.getEntityManager().createNativeQuery(
                "update rollout_wave set times_out_at = now() - interval '1 second' where rollout_id = :r and position = 0")
                .setParameter("r", UUID.fromString(id)).executeUpdate());

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> status(id).getString("state").equals("PAUSED"));
        JsonPath paused = status(id);
        assertThat(paused.getString("pauseReason")).isEqualTo("WAVE_TIMEOUT");
        assertThat(paused.getString("pauseDetail")).contains("Wave 'one'", "0 of 1", "PT1H");
        assertThat(paused.getString("waves[0].state")).isEqualTo("RUNNING");

        JsonPath resumed = as(Tokens.operator()).post("/api/v1/rollouts/{id}/resume", id).then().statusCode(200)
                .extract().jsonPath();
        assertThat(resumed.getString("state")).isEqualTo("RUNNING");
        assertThat(resumed.getString("pauseReason")).isNull();
        assertThat(Instant.parse(resumed.getString("waves[0].timesOutAt"))).isAfter(Instant.now().plusSeconds(3500));
    }
}
