package io.starling.controlplane.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.starling.controlplane.deployment.Deployment;
import io.starling.controlplane.deployment.DeploymentEvent;
import io.starling.protocol.agent.DeploymentState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.Session;
import org.jboss.logging.Logger;

/**
 * Writes the rows of the rollouts' live feed, each in the transaction of the change it describes
 * and as one statement: a rollback leaves no event behind, a crash loses none. The statements go
 * straight to the transaction's connection, so they neither flush Hibernate's session early nor
 * wait for it. Every caller already holds a row lock (the rollout's, or the deployment's), which
 * the feed relies on to deliver events in id order ({@link RolloutEventFeed}).
 */
@ApplicationScoped
public class RolloutEventRecorder {

    static final String ROLLOUT = "rollout";
    static final String WAVE = "wave";
    static final String DEPLOYMENT = "deployment";
    static final String SUMMARY = "summary";
    /** Every event type the feed carries, for those who subscribe to some of them (webhooks). */
    public static final List<String> TYPES = List.of(ROLLOUT, WAVE, DEPLOYMENT, SUMMARY);

    private static final Logger LOG = Logger.getLogger(RolloutEventRecorder.class);
    private static final String INSERT = "insert into rollout_event (rollout_id, type, payload, created_at)"
            + " values (?, ?, cast(? as jsonb), ?)";
    /** One row per rollout the deployment belongs to, none for a deployment outside rollouts. */
    private static final String INSERT_DEPLOYMENT = "insert into rollout_event (rollout_id, type, payload, created_at)"
            + " select ra.rollout_id, '" + DEPLOYMENT + "', jsonb_strip_nulls(jsonb_build_object("
            + "'deploymentId', ra.deployment_id, 'agentId', a.id, 'hostname', a.hostname, 'site', a.site,"
            + " 'wave', w.name, 'from', cast(? as text), 'to', cast(? as text), 'reason', cast(? as text),"
            + " 'detail', cast(? as text), 'exitCode', cast(? as integer))), ?"
            + " from rollout_agent ra join agent a on a.id = ra.agent_id join rollout_wave w on w.id = ra.wave_id"
            + " where ra.deployment_id = ?";
    /** The latest event of a rollout, and whether its latest summary is younger than a given time. */
    private static final String LAST = "select (select type from rollout_event where rollout_id = ? order by id desc"
            + " limit 1), (select created_at > ? from rollout_event where rollout_id = ? and type = '" + SUMMARY + "'"
            + " order by id desc limit 1)";

    private final ObjectMapper json;
    private final RolloutEventsConfig config;

    RolloutEventRecorder(ObjectMapper json, RolloutEventsConfig config) {
        this.json = json;
        this.config = config;
    }

    /** From {@link Rollout#moveTo}: every state change of a rollout goes through there. */
    static void rolloutMoved(Rollout r, RolloutState from, Instant now) {
        ObjectNode p = JsonNodeFactory.instance.objectNode().put("name", r.name).put("from", from.name())
                .put("to", r.state().name());
        if (r.state() == RolloutState.PAUSED && r.pauseReason != null) {
            p.put("reason", r.pauseReason.name()).put("detail", r.pauseDetail);
        }
        if (from == RolloutState.WAITING_FOR_APPROVAL && r.decidedBy != null) {
            p.put("by", r.decidedBy);
            if (r.decisionComment != null) {
                p.put("comment", r.decisionComment);
            }
        }
        insert(r.id, ROLLOUT, p.toString(), now);
    }

    /** From {@link Wave#moveTo}: every state change of a wave goes through there. */
    static void waveMoved(Wave w, WaveState from, Instant now) {
        insert(w.rollout.id, WAVE, JsonNodeFactory.instance.objectNode().put("wave", w.name).put("position", w.position)
                .put("from", from.name()).put("to", w.state().name()).put("agents", w.agentCount).toString(), now);
    }

    /** In the deployment's transaction: the change is recorded exactly when it commits. */
    void onDeployment(@Observes DeploymentEvent event) {
        // Only a failure's reason is worth the feed's bytes; the report has the entity in hand then.
        Deployment failed = event.to() == DeploymentState.FAILED
                ? Deployment.getEntityManager().find(Deployment.class, event.deploymentId()) : null;
        Instant now = Instant.now();
        work(c -> {
            try (PreparedStatement s = c.prepareStatement(INSERT_DEPLOYMENT)) {
                s.setString(1, event.from() == null ? null : event.from().name());
                s.setString(2, event.to().name());
                s.setString(3, failed == null ? null : failed.reason);
                s.setString(4, failed == null ? null : failed.detail);
                if (failed == null || failed.exitCode == null) {
                    s.setNull(5, Types.INTEGER);
                } else {
                    s.setInt(5, failed.exitCode);
                }
                s.setObject(6, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                s.setObject(7, event.deploymentId());
                s.executeUpdate();
            }
        });
    }

    /**
     * Writes the rollout's summary if something moved since its last one and that one is older
     * than {@code starling.events.summary-every}; decided under the rollout's lock, so replicas
     * write one summary between them.
     *
     * @return false while a summary is still due (too soon after the last one)
     */
    boolean summarise(UUID rolloutId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Rollout r = Rollout.lock(rolloutId).orElse(null);
            if (r == null) {
                return true;
            }
            Instant now = Instant.now();
            Object[] last = new Object[2];
            work(c -> {
                try (PreparedStatement s = c.prepareStatement(LAST)) {
                    s.setObject(1, rolloutId);
                    s.setObject(2, OffsetDateTime.ofInstant(now.minus(config.summaryEvery()), ZoneOffset.UTC));
                    s.setObject(3, rolloutId);
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        last[0] = rs.getString(1);
                        last[1] = rs.getObject(2);
                    }
                }
            });
            if (last[0] == null || SUMMARY.equals(last[0])) {
                return true;
            }
            if (Boolean.TRUE.equals(last[1])) {
                return false;
            }
            Map<String, Long> counts = RolloutStatus.totals(List.of(r.id)).getOrDefault(r.id, RolloutStatus.emptyCounts());
            RolloutSummary summary = new RolloutSummary(r.id, r.name, r.release.product.name, r.release.version, r.state(),
                    r.pauseReason, counts.values().stream().mapToLong(Long::longValue).sum(), counts, r.createdAt,
                    r.createdBy, r.startedAt, r.finishedAt);
            insert(r.id, SUMMARY, write(summary), now);
            return true;
        });
    }

    /** Old events go; a client resuming from before then starts at the oldest kept. */
    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void deleteOld() {
        int n = QuarkusTransaction.requiringNew().call(() -> Rollout.getEntityManager()
                .createNativeQuery("delete from rollout_event where created_at < :before")
                .setParameter("before", OffsetDateTime.ofInstant(Instant.now().minus(config.retention()), ZoneOffset.UTC))
                .executeUpdate());
        if (n > 0) {
            LOG.infof("Deleted %d rollout events older than %s", n, config.retention());
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @param payload a JSON object */
    private static void insert(UUID rolloutId, String type, String payload, Instant now) {
        work(c -> {
            try (PreparedStatement s = c.prepareStatement(INSERT)) {
                s.setObject(1, rolloutId);
                s.setString(2, type);
                s.setString(3, payload);
                s.setObject(4, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                s.executeUpdate();
            }
        });
    }

    private interface Work {
        void on(Connection c) throws SQLException;
    }

    private static void work(Work w) {
        Rollout.getEntityManager().unwrap(Session.class).doWork(w::on);
    }
}
