package io.starling.controlplane.fleet;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which agent clients are enrolled and active, in memory, for the check every agent-role request
 * passes ({@link ActiveAgentFilter}): one map lookup, no database query on the hot paths.
 * <ul>
 * <li>A revocation on this replica counts at once ({@link Agents#revoke} tells this map after its
 *     commit); one on another replica counts here from the next refresh,
 *     {@code starling.fleet.agent-refresh} (10 s by default). Until then a revoked agent's still
 *     valid token may read catalogue endpoints here, but not check in or report: those read the
 *     agent row anyway and refuse it. Its passkeys are refused from the passkey directory's own
 *     refresh on.</li>
 * <li>A client this map does not know (enrolled on another replica a moment ago, or no agent at
 *     all) is looked up in the database once; only enrolled ones are remembered.</li>
 * </ul>
 */
@ApplicationScoped
public class ActiveAgents {

    private final Map<String, Boolean> activeByClientId = new ConcurrentHashMap<>();
    /** Revoked here since the last refresh started: a refresh that read the row before the revoke committed must not undo it. */
    private final Set<String> revokedHere = ConcurrentHashMap.newKeySet();

    /** What the agent API makes of a client with the agent role. */
    public enum Standing {
        ACTIVE, REVOKED, NOT_ENROLLED
    }

    public Standing standing(String clientId) {
        if (clientId == null || clientId.isEmpty()) {
            return Standing.NOT_ENROLLED;
        }
        Boolean known = activeByClientId.get(clientId);
        if (known == null) {
            Optional<Boolean> read = QuarkusTransaction.joiningExisting()
                    .call(() -> Agent.byClientId(clientId).map(Agent::active));
            if (read.isEmpty()) {
                return Standing.NOT_ENROLLED;
            }
            known = read.get();
            activeByClientId.put(clientId, known);
            // A revoke committing while we read: whichever of us writes last, the map ends up false.
            if (revokedHere.contains(clientId)) {
                activeByClientId.put(clientId, false);
                known = false;
            }
        }
        return known ? Standing.ACTIVE : Standing.REVOKED;
    }

    /** Called after the revoking transaction committed. */
    void revoked(String clientId) {
        revokedHere.add(clientId);
        activeByClientId.put(clientId, false);
    }

    @Scheduled(every = "${starling.fleet.agent-refresh:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public synchronized void refresh() {
        Set<String> revokedBefore = Set.copyOf(revokedHere);
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> Agent.getEntityManager()
                .createQuery("select a.clientId, a.state from Agent a", Object[].class).getResultList());
        Map<String, Boolean> fresh = new ConcurrentHashMap<>(rows.size() * 2);
        for (Object[] r : rows) {
            fresh.put((String) r[0], r[1] == AgentState.ACTIVE);
        }
        // Revocations made here before the read are in it; those made during it are not yet.
        revokedHere.removeAll(revokedBefore);
        activeByClientId.keySet().retainAll(fresh.keySet());
        activeByClientId.putAll(fresh);
        // After the put, so that a revoke during it is not overwritten by the older read.
        revokedHere.forEach(c -> activeByClientId.put(c, false));
    }
}
