package io.starling.controlplane.deployment;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.starling.controlplane.seed.ReleaseEntitlement;
import io.starling.controlplane.seed.SeedConfig;
import io.starling.protocol.agent.DeploymentState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.util.UUID;

/**
 * An agent may fetch a release from the web seed while it has a deployment of it that is not
 * cancelled: downloading, installing, and also installed or failed, since an agent that has the
 * bytes keeps seeding them to its site and may be asked to retry.
 * <p>
 * Only a yes is cached ({@code starling.seed.entitlement-cache}): a new deployment counts at
 * once, and a cancel evicts its entry here after it commits (other replicas: when it expires).
 */
@ApplicationScoped
public class DeploymentEntitlement implements ReleaseEntitlement {

    record Key(UUID agentId, long releaseId) {
    }

    private final Cache<Key, Boolean> entitled;

    DeploymentEntitlement(SeedConfig config) {
        this.entitled = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(config.entitlementCache()).build();
    }

    @Override
    public boolean agentMayFetch(UUID agentId, long releaseId) {
        Key key = new Key(agentId, releaseId);
        if (entitled.getIfPresent(key) != null) {
            return true;
        }
        boolean yes = Deployment.count("agent.id = ?1 and release.id = ?2 and state <> ?3", agentId, releaseId,
                DeploymentState.CANCELLED) > 0;
        if (yes) {
            entitled.put(key, Boolean.TRUE);
        }
        return yes;
    }

    void cancelled(@Observes(during = TransactionPhase.AFTER_SUCCESS) DeploymentEvent e) {
        if (e.to() == DeploymentState.CANCELLED) {
            entitled.invalidate(new Key(e.agentId(), e.releaseId()));
        }
    }
}
