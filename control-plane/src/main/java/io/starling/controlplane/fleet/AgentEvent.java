package io.starling.controlplane.fleet;

import java.util.UUID;

/**
 * Fired inside the transaction that revokes an agent. Synchronous observers act in that same
 * transaction (its unfinished deployments are cancelled with it).
 */
public record AgentEvent(Kind kind, UUID agentId, String actor) {

    public enum Kind {
        REVOKED
    }
}
