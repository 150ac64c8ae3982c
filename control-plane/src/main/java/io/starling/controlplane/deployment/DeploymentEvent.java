package io.starling.controlplane.deployment;

import io.starling.protocol.agent.DeploymentState;
import java.util.UUID;

/**
 * Fired inside the transaction that changes a deployment's state (an agent's report, a cancel,
 * the cancels that follow a revoked release or agent), once per deployment and change. Features
 * above {@code deployment} (rollouts) learn of progress through this, never by being called from
 * here. Observers that decide something use {@code @Observes(during = TransactionPhase.AFTER_SUCCESS)}
 * and a transaction of their own, so they see the change committed and never act on a rollback.
 *
 * @param from the state before; an agent back from an outage may have passed several states since
 */
public record DeploymentEvent(UUID deploymentId, UUID agentId, long releaseId, DeploymentState from,
        DeploymentState to) {
}
