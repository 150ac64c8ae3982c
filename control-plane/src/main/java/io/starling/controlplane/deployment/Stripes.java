package io.starling.controlplane.deployment;

import io.agroal.api.AgroalDataSource;
import io.starling.protocol.agent.Stripe;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Each release's {@link StripePlan}, read from its deployments at most once per
 * {@code starling.distribution.stripes-refresh} (and again, at most once a second, for an agent
 * whose deployment came after the last read): one query per release, not one per check-in.
 */
@ApplicationScoped
class Stripes {

    private static final Logger LOG = Logger.getLogger(Stripes.class);
    private static final String TARGETS = "select d.agent_id, a.site from deployment d join agent a on a.id = d.agent_id"
            + " where d.release_id = ? and d.state <> 'CANCELLED'";
    private static final long RETRY_MILLIS = 1000;

    private record Loaded(StripePlan plan, Instant at) {
    }

    private final AgroalDataSource db;
    private final DistributionConfig config;
    private final Map<Long, Loaded> byRelease = new ConcurrentHashMap<>();

    Stripes(AgroalDataSource db, DistributionConfig config) {
        this.db = db;
        this.config = config;
    }

    /** The agent's stripe in a release's swarm; null when stripes are off or it cannot be had now. */
    Stripe of(long releaseId, UUID agent, Instant now) {
        if (!config.stripes()) {
            return null;
        }
        Loaded l = byRelease.get(releaseId);
        boolean stale = l == null || l.at().isBefore(now.minus(config.stripesRefresh()))
                || (!l.plan().knows(agent) && l.at().isBefore(now.minusMillis(RETRY_MILLIS)));
        if (stale) {
            l = new Loaded(load(releaseId), now);
            byRelease.put(releaseId, l);
            // Plans of releases nobody checks in for any more (finished, superseded) are dropped
            // here rather than kept for the life of the process.
            Instant unused = now.minus(config.stripesRefresh().multipliedBy(2));
            byRelease.values().removeIf(other -> other.at().isBefore(unused));
        }
        return l.plan().of(agent);
    }

    private StripePlan load(long releaseId) {
        List<StripePlan.Target> targets = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(TARGETS)) {
            s.setLong(1, releaseId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    targets.add(new StripePlan.Target(rs.getObject(1, UUID.class), rs.getString(2)));
                }
            }
        } catch (SQLException e) {
            // A hint only: without it agents pick pieces alone.
            LOG.warnf("Reading the deployments of release %d for stripes failed: %s", releaseId, e.getMessage());
            return StripePlan.NONE;
        }
        return StripePlan.of(targets);
    }
}
