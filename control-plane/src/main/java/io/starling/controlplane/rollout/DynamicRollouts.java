package io.starling.controlplane.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.starling.controlplane.catalog.Catalog;
import io.starling.controlplane.catalog.Release;
import io.starling.controlplane.catalog.ReleaseState;
import io.starling.controlplane.deployment.Deployments;
import io.starling.controlplane.fleet.Agent;
import io.starling.controlplane.fleet.AgentState;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Grows dynamic rollouts: active agents that match the target but are not in the rollout yet
 * (enrolled later, or moved to a targeted site) join its last wave. While that wave is pending
 * they simply wait with it; once it runs (and the rollout runs) they get their deployment at once.
 * Each agent joins a rollout at most once (the rows' unique key), and nothing joins a rollout that
 * has ended or whose last wave ended. Asked by the engine holding the rollout's lock, from the
 * 5 s pass and whenever an agent enrolls or changes site: never per check-in.
 */
@ApplicationScoped
class DynamicRollouts {

    private static final Logger LOG = Logger.getLogger(DynamicRollouts.class);

    private final Deployments deployments;
    private final ObjectMapper json;

    DynamicRollouts(Deployments deployments, ObjectMapper json) {
        this.deployments = deployments;
        this.json = json;
    }

    /** Call holding the rollout's lock. @return how many agents joined */
    int grow(Rollout r, Instant now) {
        if (!r.dynamic || r.state().isFinal()) {
            return 0;
        }
        List<Wave> waves = Wave.of(r);
        Wave last = waves.get(waves.size() - 1);
        // A paused rollout keeps newcomers out of a wave under way until it is resumed (the next pass).
        boolean deployNow = last.state() == WaveState.RUNNING && r.state() == RolloutState.RUNNING;
        if (last.state() != WaveState.PENDING && !deployNow) {
            return 0;
        }
        Release release = null;
        if (deployNow) {
            // Under the release's lock, as every deployment request; the engine handles a revoked one.
            release = Catalog.lockRelease(r.release.product.name, r.release.version);
            if (release.state() != ReleaseState.PUBLISHED) {
                return 0;
            }
        }
        List<UUID> joining = newcomers(r);
        if (joining.isEmpty()) {
            return 0;
        }
        var em = Rollout.getEntityManager();
        for (UUID agentId : joining) {
            RolloutAgent ra = new RolloutAgent();
            ra.rolloutId = r.id;
            ra.wave = last;
            ra.agent = em.getReference(Agent.class, agentId);
            ra.persist();
        }
        last.agentCount += joining.size();
        r.updatedAt = now;
        if (deployNow) {
            deployments.createFor(release, joining, "rollout " + r.name, RolloutInstallPolicy.of(r));
            em.flush();
            em.createNativeQuery("update rollout_agent ra set deployment_id = d.id from deployment d"
                            + " where ra.wave_id = :w and ra.deployment_id is null and d.agent_id = ra.agent_id"
                            + " and d.release_id = :r")
                    .setParameter("w", last.id).setParameter("r", release.id).executeUpdate();
        }
        LOG.infof("Rollout %s: %d agents joined wave '%s'%s", r.id, joining.size(), last.name,
                deployNow ? " and got their deployments" : "");
        return joining.size();
    }

    /** Active agents matching the target that are not in the rollout: one indexed query. */
    private List<UUID> newcomers(Rollout r) {
        RolloutRequest.Target t = read(r.targetJson);
        StringBuilder q = new StringBuilder("select a.id from Agent a where a.state = :active"
                + " and not exists (select 1 from RolloutAgent ra where ra.rolloutId = :rollout and ra.agent = a)");
        Map<String, Object> params = new HashMap<>();
        params.put("active", AgentState.ACTIVE);
        params.put("rollout", r.id);
        if (t.sites() != null && !t.sites().isEmpty()) {
            q.append(" and a.site in :sites");
            params.put("sites", t.sites());
        }
        if (t.labels() != null && !t.labels().isEmpty()) {
            // Served by the GIN index on agent.labels, as the fleet's own label queries.
            q.append(" and array_includes(a.labels, :labels)");
            params.put("labels", t.labels().toArray(String[]::new));
        }
        if (t.agentIds() != null && !t.agentIds().isEmpty()) {
            q.append(" and a.id in :ids");
            params.put("ids", t.agentIds().stream().map(UUID::fromString).toList());
        }
        var query = Rollout.getEntityManager().createQuery(q.append(" order by a.id").toString(), UUID.class);
        params.forEach(query::setParameter);
        return query.getResultList();
    }

    private RolloutRequest.Target read(String target) {
        try {
            return json.readValue(target, RolloutRequest.Target.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("rollout target as stored cannot be read", e);
        }
    }
}
