package io.starling.controlplane.fleet;

import java.util.UUID;

/**
 * Fired inside the transaction that changes an agent. Synchronous observers act in that same
 * transaction (a revoked agent's unfinished deployments are cancelled with it); observers of
 * what the agent now matches (dynamic rollouts) observe after it commits.
 */
public record AgentEvent(Kind kind, UUID agentId, String actor) {

    public enum Kind {
        REVOKED,
        /** A new agent, with its site and labels. */
        ENROLLED,
        /** Its effective site changed at a check-in (it moved, or the site ranges did). Labels change only at enrollment. */
        SITE_CHANGED
    }
}
