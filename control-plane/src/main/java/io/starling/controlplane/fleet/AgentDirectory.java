package io.starling.controlplane.fleet;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import io.starling.controlplane.common.DomainException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Which client ids are enrolled, active agents, kept in memory for check-ins and for the check
 * every agent-role endpoint makes ({@link ActiveAgentFilter}): a fleet checking in
 * every minute would otherwise read the agent table thousands of times a second to learn what
 * rarely changes. An agent is read from the database once, the first time it calls.
 * <p>
 * Revocation is the one change that must not wait. A revoke on this replica takes the agent out
 * of the directory as soon as it commits ({@link #revoked}); revokes committed by other replicas
 * are read every {@code starling.fleet.check-in-sync-every} (1 s by default), so another replica
 * may still accept a revoked agent's check-in for about that long. The other agent API calls
 * (status reports, torrents) still read the agent table and refuse it at once everywhere.
 */
@ApplicationScoped
public class AgentDirectory {

    private static final Logger LOG = Logger.getLogger(AgentDirectory.class);
    /** A revoke stamps revoked_at before it commits; rows this much older than the last read are read again. */
    static final Duration OVERLAP = Duration.ofSeconds(60);

    /** An active agent as a check-in needs it; {@code site} as last stored, to notice a move. */
    public record Known(UUID id, String pinnedSite, String site) {
    }

    private final AgroalDataSource db;
    private final Map<String, Known> active = new ConcurrentHashMap<>();
    private volatile Instant syncedFrom = Instant.now();

    AgentDirectory(AgroalDataSource db) {
        this.db = db;
    }

    /**
     * @throws DomainException.Unauthenticated for a client that is no agent, or a revoked one
     */
    public Known requireActive(String clientId) {
        if (clientId == null || clientId.isEmpty()) {
            throw new DomainException.Unauthenticated(Agents.NOT_ENROLLED);
        }
        Known k = active.get(clientId);
        if (k != null) {
            return k;
        }
        Known loaded = load(clientId);
        active.put(clientId, loaded);
        return loaded;
    }

    /** Called once a changed site has been stored, so that the move is noticed once. */
    public void siteChanged(String clientId, String site) {
        active.computeIfPresent(clientId, (k, v) -> new Known(v.id(), v.pinnedSite(), site));
    }

    /** Called once a revoke has committed: from now on this replica refuses the agent's check-ins. */
    public void revoked(String clientId) {
        active.remove(clientId);
    }

    /** Drops agents revoked on any replica since the last sync. */
    @Scheduled(every = "${starling.fleet.check-in-sync-every:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sync() {
        if (active.isEmpty()) {
            syncedFrom = Instant.now();
            return;
        }
        Instant started = Instant.now();
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "select client_id from agent where state <> 'ACTIVE' and revoked_at >= ?")) {
            s.setTimestamp(1, Timestamp.from(syncedFrom.minus(OVERLAP)));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    active.remove(rs.getString(1));
                }
            }
            syncedFrom = started;
        } catch (SQLException e) {
            // Nothing is forgotten: the next sync reads from the same point.
            LOG.warnf("Reading revoked agents failed: %s", e.getMessage());
        }
    }

    private Known load(String clientId) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select id, state, pinned_site, site from agent where client_id = ?")) {
            s.setString(1, clientId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new DomainException.Unauthenticated(Agents.NOT_ENROLLED);
                }
                if (!AgentState.ACTIVE.name().equals(rs.getString(2))) {
                    throw new DomainException.Unauthenticated(Agents.REVOKED);
                }
                return new Known(rs.getObject(1, UUID.class), rs.getString(3), rs.getString(4));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read agent " + clientId, e);
        }
    }
}
