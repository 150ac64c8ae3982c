package io.starling.controlplane.deployment;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import io.starling.protocol.agent.DeploymentState;
import io.starling.protocol.agent.DesiredArtifact;
import io.starling.protocol.agent.DesiredDeployment;
import io.starling.protocol.assignment.AssignedDeployment;
import io.starling.protocol.assignment.AssignmentSigner;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Each agent's unfinished (and lately cancelled) deployments, kept in memory for check-ins, with
 * the signed manifests of their releases: a fleet checking in every minute would otherwise read
 * them, manifests included, thousands of times a second, where they change a few times per
 * deployment.
 * <p>
 * How fresh: a change made on this replica (create, cancel, report, allow install, a revoked
 * release or agent) drops the agents it touched once it commits, so their next check-in reads
 * them again. Every {@code starling.fleet.check-in-sync-every} (1 s by default) the deployments
 * changed in the last minute, on any replica, are compared by row version with what is held, and
 * so are the releases' (a manifest signed again bumps it). An agent's next check-in therefore
 * sees any change made on another replica more than about a second before; an entry is never
 * older than {@link #MAX_AGE}, which also lets cancelled deployments age out of answers.
 */
@ApplicationScoped
public class PendingDeployments {

    private static final Logger LOG = Logger.getLogger(PendingDeployments.class);
    /** Writers stamp updated_at before they commit; rows this much older than the last read are read again. */
    static final Duration OVERLAP = Duration.ofSeconds(60);
    static final Duration MAX_AGE = Duration.ofMinutes(5);

    private static final String OF_AGENT = "select id, row_version, release_id, state, download_only, window_cron,"
            + " window_duration_seconds, window_timezone, install_deadline from deployment"
            + " where agent_id = ? and (state in ('PENDING', 'DOWNLOADING', 'DOWNLOADED', 'INSTALLING')"
            + " or (state = 'CANCELLED' and updated_at > ?)) order by created_at, id";
    private static final String RELEASE = "select r.row_version, p.name, r.version, r.manifest, r.manifest_sig, r.sequence"
            + " from release r join product p on p.id = r.product_id where r.id = ?";
    private static final String ARTIFACTS = "select name from artifact where release_id = ? order by name";

    record Row(UUID id, long rowVersion, long releaseId, DeploymentState state, DeploymentPolicy policy) {
    }

    record Entry(List<Row> rows, Instant loadedAt) {

        boolean holds(UUID deployment, long rowVersion) {
            return rows.stream().anyMatch(r -> r.id().equals(deployment) && r.rowVersion() == rowVersion);
        }
    }

    /** What every answer carrying a deployment of this release repeats, encoded (and its manifest hashed) once. */
    record ReleaseData(long rowVersion, String product, String version, String manifest, String signature,
            List<String> artifacts, long sequence, String manifestSha256) {
    }

    /**
     * An agent's deployments twice over: as the answer lists them, and as its signed assignment
     * names them (same order).
     */
    public record Pending(List<DesiredDeployment> desired, List<AssignedDeployment> assigned) {
    }

    private final AgroalDataSource db;
    private final TransactionSynchronizationRegistry transactions;
    private final Map<UUID, Entry> byAgent = new ConcurrentHashMap<>();
    private final Map<Long, ReleaseData> releases = new ConcurrentHashMap<>();
    private final Stripes stripes;
    private volatile Instant syncedFrom = Instant.now();

    PendingDeployments(AgroalDataSource db, TransactionSynchronizationRegistry transactions, Stripes stripes) {
        this.db = db;
        this.transactions = transactions;
        this.stripes = stripes;
    }

    /** What an agent should be working on: every unfinished deployment, and those cancelled lately. */
    public Pending pendingFor(UUID agentId, Instant now) {
        Entry e = byAgent.get(agentId);
        if (e == null || e.loadedAt().isBefore(now.minus(MAX_AGE))) {
            e = load(agentId, now);
            byAgent.put(agentId, e);
        }
        if (e.rows().isEmpty()) {
            return new Pending(List.of(), List.of());
        }
        List<DesiredDeployment> out = new ArrayList<>(e.rows().size());
        List<AssignedDeployment> assigned = new ArrayList<>(e.rows().size());
        for (Row d : e.rows()) {
            ReleaseData r = release(d.releaseId());
            String prefix = "/api/agent/v1/deployments/" + d.id() + "/artifacts/";
            List<DesiredArtifact> artifacts = r.artifacts().stream()
                    .map(name -> new DesiredArtifact(name, prefix + name + "/torrent")).toList();
            out.add(new DesiredDeployment(d.id().toString(), r.product(), r.version(), d.state(), r.manifest(),
                    r.signature(), artifacts, Deployments.installPolicy(d.policy(), now),
                    d.state() == DeploymentState.CANCELLED ? null : stripes.of(d.releaseId(), agentId, now)));
            assigned.add(new AssignedDeployment(d.id().toString(), r.product(), r.version(), r.sequence(),
                    r.manifestSha256(), d.policy().downloadOnly(), d.state() == DeploymentState.CANCELLED));
        }
        return new Pending(out, assigned);
    }

    /**
     * These agents' deployments change in the current transaction: they are read again at their
     * next check-in once it commits (at once when there is no transaction).
     */
    void changed(Collection<UUID> agentIds) {
        Set<UUID> ids = Set.copyOf(agentIds);
        if (transactions.getTransactionKey() == null) {
            ids.forEach(byAgent::remove);
            return;
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    ids.forEach(byAgent::remove);
                }
            }
        });
    }

    /** Drops what changed on any replica since the last sync: deployments and re-signed releases. */
    @Scheduled(every = "${starling.fleet.check-in-sync-every:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sync() {
        Instant started = Instant.now();
        if (byAgent.isEmpty() && releases.isEmpty()) {
            syncedFrom = started;
            return;
        }
        try (Connection c = db.getConnection()) {
            try (PreparedStatement s = c.prepareStatement(
                    "select id, agent_id, row_version from deployment where updated_at >= ?")) {
                s.setTimestamp(1, Timestamp.from(syncedFrom.minus(OVERLAP)));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        UUID agent = rs.getObject(2, UUID.class);
                        Entry e = byAgent.get(agent);
                        if (e != null && !e.holds(rs.getObject(1, UUID.class), rs.getLong(3))) {
                            byAgent.remove(agent, e);
                        }
                    }
                }
            }
            if (!releases.isEmpty()) {
                try (PreparedStatement s = c.prepareStatement("select id, row_version from release where id = any (?)")) {
                    s.setArray(1, c.createArrayOf("bigint", releases.keySet().toArray()));
                    Map<Long, Long> versions = new HashMap<>();
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            versions.put(rs.getLong(1), rs.getLong(2));
                        }
                    }
                    releases.forEach((id, r) -> {
                        Long v = versions.get(id);
                        if (v == null || v != r.rowVersion()) {
                            releases.remove(id, r);
                        }
                    });
                }
            }
            syncedFrom = started;
        } catch (SQLException e) {
            // Nothing is missed: the next sync reads from the same point.
            LOG.warnf("Reading changed deployments failed: %s", e.getMessage());
        }
    }

    private Entry load(UUID agentId, Instant now) {
        List<Row> rows = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(OF_AGENT)) {
            s.setObject(1, agentId);
            s.setTimestamp(2, Timestamp.from(now.minus(Deployments.CANCELLED_VISIBLE)));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String cron = rs.getString(6);
                    MaintenanceWindow window = cron == null ? null
                            : new MaintenanceWindow(cron, Duration.ofSeconds(rs.getLong(7)), ZoneId.of(rs.getString(8)));
                    Timestamp deadline = rs.getTimestamp(9);
                    rows.add(new Row(rs.getObject(1, UUID.class), rs.getLong(2), rs.getLong(3),
                            DeploymentState.valueOf(rs.getString(4)), new DeploymentPolicy(rs.getBoolean(5), window,
                                    deadline == null ? null : deadline.toInstant())));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the deployments of agent " + agentId, e);
        }
        return new Entry(List.copyOf(rows), now);
    }

    private ReleaseData release(long id) {
        ReleaseData r = releases.get(id);
        if (r != null) {
            return r;
        }
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(RELEASE);
                PreparedStatement a = c.prepareStatement(ARTIFACTS)) {
            s.setLong(1, id);
            a.setLong(1, id);
            List<String> names = new ArrayList<>();
            try (ResultSet rs = a.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("No release " + id);
                }
                Base64.Encoder base64 = Base64.getEncoder();
                byte[] manifest = rs.getBytes(4);
                r = new ReleaseData(rs.getLong(1), rs.getString(2), rs.getString(3), base64.encodeToString(manifest),
                        base64.encodeToString(rs.getBytes(5)), List.copyOf(names), rs.getLong(6),
                        AssignmentSigner.manifestDigest(manifest));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read release " + id, e);
        }
        releases.put(id, r);
        return r;
    }
}
