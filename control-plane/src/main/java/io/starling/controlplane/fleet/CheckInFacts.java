package io.starling.controlplane.fleet;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * What agents said of themselves at check-in (last seen, address, site, version, inventory),
 * written to the agent table behind the check-ins, in one batch every
 * {@code starling.fleet.check-in-flush-every} (1 s by default), as the tracker writes its peers:
 * one statement per agent per check-in was most of a check-in's cost. Only the latest facts of
 * each agent are kept, so a batch has at most one row per agent.
 * <p>
 * A crash loses at most the facts of the last interval (the next check-in brings them again);
 * nothing else is written here: deployments and revocations are written at once. Admin reads on
 * this replica flush first ({@link #flush}), so what an agent just said is what they see; other
 * replicas see it after the next flush.
 */
@ApplicationScoped
public class CheckInFacts {

    private static final Logger LOG = Logger.getLogger(CheckInFacts.class);
    // Only the columns a check-in owns: a revoke committed meanwhile keeps its state (see Agent's @DynamicUpdate).
    private static final String UPDATE = "update agent set hostname = coalesce(?, hostname), agent_version = coalesce(?, agent_version),"
            + " free_disk_bytes = ?, installed_json = ?, last_check_in = ?, last_address = ?, site = ?,"
            + " assignment_valid_until = ?, frozen_since = ?, assignment_problem = ? where id = ?"
            // Replicas flush on their own beat: an older check-in written late must not overwrite a newer one.
            + " and (last_check_in is null or last_check_in <= ?)";

    /**
     * @param hostname   and {@code agentVersion}: null keeps what the agent said before
     * @param assignment what the agent said of its signed assignment (all null from an agent that predates it)
     */
    public record Facts(UUID agentId, String hostname, String agentVersion, long freeDiskBytes, String installedJson,
            Instant at, String address, String site, AssignmentFacts assignment) {
    }

    /** The agent's signed assignment as it reported it: its expiry, a freeze, the last refusal. */
    public record AssignmentFacts(Instant validUntil, Instant frozenSince, String problem) {
        static final AssignmentFacts NONE = new AssignmentFacts(null, null, null);
    }

    private final AgroalDataSource db;
    private final Map<UUID, Facts> pending = new ConcurrentHashMap<>();

    CheckInFacts(AgroalDataSource db) {
        this.db = db;
    }

    void record(Facts facts) {
        pending.put(facts.agentId(), facts);
    }

    @Scheduled(every = "${starling.fleet.check-in-flush-every:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledFlush() {
        flush();
    }

    /**
     * Writes what is pending now. Call outside any transaction: the batch commits on its own.
     *
     * @return how many agents' facts were written
     */
    public synchronized int flush() {
        if (pending.isEmpty()) {
            return 0;
        }
        List<Facts> batch = new ArrayList<>(pending.size());
        for (UUID id : List.copyOf(pending.keySet())) {
            Facts f = pending.remove(id);
            if (f != null) {
                batch.add(f);
            }
        }
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement(UPDATE)) {
                for (Facts f : batch) {
                    s.setString(1, f.hostname());
                    s.setString(2, f.agentVersion());
                    s.setLong(3, f.freeDiskBytes());
                    s.setString(4, f.installedJson());
                    s.setTimestamp(5, Timestamp.from(f.at()));
                    s.setString(6, f.address());
                    s.setString(7, f.site());
                    s.setTimestamp(8, timestamp(f.assignment().validUntil()));
                    s.setTimestamp(9, timestamp(f.assignment().frozenSince()));
                    s.setString(10, f.assignment().problem());
                    s.setObject(11, f.agentId());
                    s.setTimestamp(12, Timestamp.from(f.at()));
                    s.addBatch();
                }
                s.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            // Put back what no newer check-in replaced, for the next flush.
            batch.forEach(f -> pending.putIfAbsent(f.agentId(), f));
            LOG.warnf("Writing %d agents' check-ins failed; retrying at the next flush: %s", batch.size(), e.getMessage());
            return 0;
        }
        return batch.size();
    }

    private static Timestamp timestamp(Instant at) {
        return at == null ? null : Timestamp.from(at);
    }

    void onStop(@Observes ShutdownEvent e) {
        flush();
    }
}
