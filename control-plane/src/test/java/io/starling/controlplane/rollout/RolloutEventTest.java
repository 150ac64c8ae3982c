package io.starling.controlplane.rollout;

import static io.starling.controlplane.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.starling.controlplane.testing.Fleet;
import io.starling.controlplane.testing.PublishedArtifact;
import io.starling.controlplane.testing.SseClient;
import io.starling.controlplane.testing.SseClient.Event;
import io.starling.controlplane.testing.Tokens;
import io.starling.protocol.agent.BytesBySource;
import io.starling.protocol.agent.DeploymentState;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The live feed as a console or {@code curl -N} sees it. */
@QuarkusTest
class RolloutEventTest {

    @Inject
    AgroalDataSource db;

    @Inject
    RolloutEngine engine;

    @Inject
    RolloutEventRecorder recorder;

    /** A rollout of a fresh release to two fresh agents: the first alone in "canary", the second in "rest". */
    private record TwoWaves(String id, Fleet.Enrolled first, Fleet.Enrolled second) {

        static TwoWaves create(String prefix) {
            PublishedArtifact release = PublishedArtifact.publish(prefix, 20_000);
            String label = "ev-" + UUID.randomUUID().toString().substring(0, 8);
            Fleet.Enrolled first = Fleet.enroll(null, label);
            Fleet.Enrolled second = Fleet.enroll(null, label);
            Map<String, Object> body = Map.of("name", "events " + prefix, "product", release.product(), "version", "1.0",
                    "target", Map.of("labels", List.of(label)), "errorThreshold", 50,
                    "waves", List.of(Map.of("name", "canary", "agentIds", List.of(first.agentId())), Map.of("name", "rest")));
            String id = as(Tokens.operator()).contentType(ContentType.JSON).body(body).post("/api/v1/rollouts")
                    .then().statusCode(201).extract().path("id");
            return new TwoWaves(id, first, second);
        }

        String events() {
            return "/api/v1/rollouts/" + id + "/events";
        }

        String deploymentOf(Fleet.Enrolled agent) {
            List<Map<String, Object>> agents = as(Tokens.viewer()).get("/api/v1/rollouts/{id}/agents", id).then()
                    .statusCode(200).extract().jsonPath().getList("$");
            return agents.stream().filter(a -> a.get("agentId").equals(agent.agentId()))
                    .map(a -> (String) a.get("deploymentId")).findFirst().orElseThrow();
        }

        void report(Fleet.Enrolled agent, DeploymentState state) {
            Fleet.report(agent, deploymentOf(agent), state, 20_000, 20_000, BytesBySource.NONE).then().statusCode(200);
        }
    }

    /** "rollout RUNNING", "wave canary SUCCEEDED", "deployment host-… INSTALLED": what changed, in a line. */
    private static String describe(Event e) {
        return switch (e.type()) {
            case "rollout" -> "rollout " + e.payload("to");
            case "wave" -> "wave " + e.payload("wave") + " " + e.payload("to");
            case "deployment" -> "deployment " + e.payload("hostname") + " " + e.payload("to");
            default -> e.type();
        };
    }

    private static boolean finished(SseClient client) {
        return client.changes().stream().anyMatch(e -> describe(e).equals("rollout FINISHED"));
    }

    @Test
    void aClientSeesTheRolloutItsWavesAndItsDeploymentsChangeInOrderAsAgentsReport() {
        TwoWaves r = TwoWaves.create("events-order");
        try (SseClient client = SseClient.open(r.events() + "?after=0", Tokens.viewer(), null)) {
            r.report(r.first(), DeploymentState.DOWNLOADING);
            r.report(r.first(), DeploymentState.INSTALLED);
            Awaitility.await().atMost(SseClient.PATIENCE).until(() -> client.changes().stream()
                    .anyMatch(e -> describe(e).equals("wave rest RUNNING")));
            r.report(r.second(), DeploymentState.INSTALLED);
            Awaitility.await().atMost(SseClient.PATIENCE).until(() -> finished(client));

            assertThat(client.changes()).extracting(RolloutEventTest::describe).containsExactly(
                    "rollout RUNNING", "wave canary RUNNING",
                    "deployment " + r.first().hostname() + " DOWNLOADING",
                    "deployment " + r.first().hostname() + " INSTALLED",
                    "wave canary SUCCEEDED", "wave rest RUNNING",
                    "deployment " + r.second().hostname() + " INSTALLED",
                    "wave rest SUCCEEDED", "rollout FINISHED");
            List<Event> all = client.events();
            assertThat(all).extracting(Event::id).isSorted().doesNotHaveDuplicates();
            Event installed = client.changes().get(3);
            assertThat(installed.data().getString("rolloutId")).isEqualTo(r.id());
            assertThat(installed.payload("agentId")).isEqualTo(r.first().agentId());
            assertThat(installed.payload("from")).isEqualTo("DOWNLOADING");
            assertThat(installed.payload("wave")).isEqualTo("canary");
            // The last summary comes after the last change, and counts what the status answers.
            Awaitility.await().atMost(SseClient.PATIENCE).until(() -> {
                List<Event> now = client.events();
                return now.get(now.size() - 1).type().equals("summary")
                        && now.get(now.size() - 1).data().getInt("payload.counts.INSTALLED") == 2;
            });
            Event summary = client.events().get(client.events().size() - 1);
            assertThat(summary.payload("state")).isEqualTo("FINISHED");
            assertThat(summary.data().getInt("payload.agents")).isEqualTo(2);
        }
    }

    @Test
    void eachEventIsOneLineOfCompactJsonSoThatGrepAndSedFindWhatChanged() throws Exception {
        TwoWaves r = TwoWaves.create("events-compact");
        try (SseClient client = SseClient.open(r.events() + "?after=0", Tokens.viewer(), null)) {
            r.report(r.first(), DeploymentState.DOWNLOADING);
            Awaitility.await().atMost(SseClient.PATIENCE).until(() -> client.changes().size() >= 3);
            ObjectMapper json = new ObjectMapper();
            for (Event e : client.events()) {
                // The payload is stored as jsonb, whose text has a space after every colon and comma.
                assertThat(e.json()).as(e.type()).isEqualTo(json.readTree(e.json()).toString()).doesNotContain("\n");
            }
            assertThat(client.changes().get(0).json()).contains("\"to\":\"RUNNING\"");
        }
    }

    @Test
    void aFailureNamesItsReasonAndThePauseItsCause() {
        TwoWaves r = TwoWaves.create("events-fail");
        try (SseClient client = SseClient.open(r.events() + "?after=0", Tokens.operator(), null)) {
            as(r.first().token()).contentType(ContentType.JSON)
                    .body(new io.starling.protocol.agent.DeploymentStatusReport(DeploymentState.FAILED, 0, 20_000,
                            BytesBySource.NONE, "INSTALL_FAILED", "The install command exited with 3.", 3, List.of()))
                    .post("/api/agent/v1/deployments/{id}/status", r.deploymentOf(r.first())).then().statusCode(200);
            Awaitility.await().atMost(SseClient.PATIENCE).until(() -> client.changes().stream()
                    .anyMatch(e -> describe(e).equals("rollout PAUSED")));
            List<Event> changes = client.changes();
            Event failed = changes.stream().filter(e -> describe(e).endsWith("FAILED") && e.type().equals("deployment"))
                    .findFirst().orElseThrow();
            assertThat(failed.payload("reason")).isEqualTo("INSTALL_FAILED");
            assertThat(failed.data().getInt("payload.exitCode")).isEqualTo(3);
            Event paused = changes.get(changes.size() - 1);
            assertThat(paused.payload("reason")).isEqualTo("ERROR_THRESHOLD");
            assertThat(paused.payload("detail")).contains(r.first().hostname());
        }
    }

    @Test
    void reconnectingWithLastEventIdGetsExactlyWhatCameAfter() {
        TwoWaves r = TwoWaves.create("events-resume");
        long last;
        try (SseClient first = SseClient.open(r.events() + "?after=0", Tokens.viewer(), null)) {
            Awaitility.await().atMost(SseClient.PATIENCE).until(() -> first.changes().size() >= 2);
            List<Event> seen = first.events();
            last = seen.get(seen.size() - 1).id();
        }
        r.report(r.first(), DeploymentState.INSTALLED);
        r.report(r.second(), DeploymentState.INSTALLED);
        try (SseClient resumed = SseClient.open(r.events(), Tokens.viewer(), Long.toString(last));
                SseClient everything = SseClient.open(r.events() + "?after=0", Tokens.viewer(), null)) {
            Awaitility.await().atMost(SseClient.PATIENCE).until(() -> finished(resumed) && finished(everything));
            long end = resumed.changes().get(resumed.changes().size() - 1).id();
            assertThat(resumed.events()).extracting(Event::id).filteredOn(id -> id <= end)
                    .containsExactlyElementsOf(everything.events().stream().map(Event::id)
                            .filter(id -> id > last && id <= end).toList());
            assertThat(resumed.changes()).extracting(RolloutEventTest::describe).startsWith(
                    "deployment " + r.first().hostname() + " INSTALLED", "wave canary SUCCEEDED", "wave rest RUNNING");
        }
    }

    @Test
    void theFeedOfAllRolloutsCarriesEachOfThem() {
        TwoWaves one = TwoWaves.create("events-all-1");
        TwoWaves two = TwoWaves.create("events-all-2");
        try (SseClient client = SseClient.open("/api/v1/events?after=0", Tokens.admin(), null)) {
            Awaitility.await().atMost(SseClient.PATIENCE).until(() -> client.changes().stream()
                    .map(e -> e.data().getString("rolloutId")).toList().containsAll(List.of(one.id(), two.id())));
        }
    }

    @Test
    void aClientWithoutACursorGetsOnlyWhatHappensAfterItConnected() {
        TwoWaves r = TwoWaves.create("events-live");
        try (SseClient client = SseClient.open(r.events(), Tokens.viewer(), null)) {
            r.report(r.first(), DeploymentState.INSTALLED);
            Awaitility.await().atMost(SseClient.PATIENCE).until(() -> client.changes().size() >= 3);
            assertThat(client.changes()).extracting(RolloutEventTest::describe).startsWith(
                    "deployment " + r.first().hostname() + " INSTALLED", "wave canary SUCCEEDED", "wave rest RUNNING");
        }
    }

    /**
     * Event ids are taken at insert and transactions commit in another order: the feed waits for
     * the earlier id's transaction rather than hand out the later one first and lose the earlier.
     */
    @Test
    void anEventCommittedAfterALaterOneStillArrivesFirst() throws SQLException {
        UUID rollout = UUID.randomUUID();
        try (SseClient client = SseClient.open("/api/v1/events", Tokens.viewer(), null);
                Connection slow = db.getConnection(); Connection fast = db.getConnection()) {
            slow.setAutoCommit(false);
            // As every writer of events does: a transaction id first (a row lock gives one), then the event.
            slow.createStatement().execute("select pg_current_xact_id()");
            long earlier = insert(slow, rollout, "earlier");
            long later = insert(fast, rollout, "later");
            assertThat(later).isGreaterThan(earlier);
            Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> client.events().stream().noneMatch(e -> e.data().getString("rolloutId").equals(rollout.toString())));
            slow.commit();
            Awaitility.await().atMost(SseClient.PATIENCE).until(() -> client.events().stream()
                    .filter(e -> e.data().getString("rolloutId").equals(rollout.toString())).count() == 2);
            assertThat(client.events()).filteredOn(e -> e.data().getString("rolloutId").equals(rollout.toString()))
                    .extracting(e -> e.payload("step")).containsExactly("earlier", "later");
        }
    }

    private static long insert(Connection c, UUID rollout, String step) throws SQLException {
        return insert(c, rollout, step, "0 days");
    }

    private static long insert(Connection c, UUID rollout, String step, String age) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("insert into rollout_event (rollout_id, type, payload, created_at)"
                + " values (?, 'rollout', cast(? as jsonb), now() - cast(? as interval)) returning id")) {
            s.setObject(1, rollout);
            s.setString(2, "{\"step\":\"" + step + "\"}");
            s.setString(3, age);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void aChangeRolledBackLeavesNoEventBehind() throws SQLException {
        TwoWaves r = TwoWaves.create("events-rollback");
        UUID id = UUID.fromString(r.id());
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            engine.pause(Rollout.lock(id).orElseThrow(), PauseReason.OPERATOR, "Paused, then failed.", Instant.now());
            throw new IllegalStateException("something after the pause failed");
        })).hasMessageContaining("something after the pause failed");
        assertThat(rolloutEvents(id, "PAUSED")).isZero();
        as(Tokens.operator()).post("/api/v1/rollouts/{id}/pause", r.id()).then().statusCode(200);
        assertThat(rolloutEvents(id, "PAUSED")).isOne();
    }

    @Test
    void eventsOlderThanTheRetentionAreDeleted() throws SQLException {
        UUID rollout = UUID.randomUUID();
        long old;
        long recent;
        try (Connection c = db.getConnection()) {
            old = insert(c, rollout, "old", "31 days");
            recent = insert(c, rollout, "recent", "29 days");
        }
        recorder.deleteOld();
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select id from rollout_event where rollout_id = ?")) {
            s.setObject(1, rollout);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(recent).isNotEqualTo(old);
                assertThat(rs.next()).isFalse();
            }
        }
    }

    private long rolloutEvents(UUID rollout, String to) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("select count(*) from rollout_event"
                + " where rollout_id = ? and type = 'rollout' and payload ->> 'to' = ?")) {
            s.setObject(1, rollout);
            s.setString(2, to);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void aQuietStreamSaysAtOnceThatItIsConnectedAndThenKeepsAlive() {
        try (SseClient client = SseClient.open("/api/v1/events", Tokens.viewer(), null)) {
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> client.comments().contains("connected"));
            // starling.events.heartbeat-every is 1 s in tests
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> client.comments().contains("keep-alive"));
        }
    }

    @Test
    void anUnknownRolloutIsNotFound() {
        as(Tokens.viewer()).accept("text/event-stream").get("/api/v1/rollouts/{id}/events", UUID.randomUUID())
                .then().statusCode(404).contentType(startsWith("application/problem+json"));
        as(Tokens.viewer()).accept("text/event-stream").get("/api/v1/rollouts/not-an-id/events")
                .then().statusCode(404).contentType(startsWith("application/problem+json"));
    }

    @Test
    void aCursorThatIsNotAnEventIdIsRefused() {
        as(Tokens.viewer()).accept("text/event-stream").header("Last-Event-ID", "yesterday").get("/api/v1/events")
                .then().statusCode(400).contentType(startsWith("application/problem+json"));
    }
}
