package io.starling.controlplane.checkin;

import io.quarkus.scheduler.Scheduled;
import io.starling.controlplane.signing.SigningConfig;
import io.starling.controlplane.signing.SigningKey;
import io.starling.protocol.agent.SignedAssignment;
import io.starling.protocol.assignment.AssignedDeployment;
import io.starling.protocol.assignment.Assignment;
import io.starling.protocol.assignment.AssignmentSigner;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Each agent's signed assignment, held in memory and signed again only when what it names changes
 * or half its validity has passed: a fleet checking in thousands of times a second must not cost a
 * signature each time, while an agent must never go long without a fresh one.
 *
 * <p>Sequences are this replica's clock in milliseconds, kept strictly growing: a statement signed
 * after a change outranks the one before it on any replica whose clock agrees to within the time
 * between two changes (replicas run NTP). Two replicas holding statements of the same unchanged
 * assignment are both accepted by agents ({@link io.starling.protocol.assignment.AssignmentVerifier}).
 */
@ApplicationScoped
public class AssignmentStatements {

    /** {@code keyId}: after a rotation the next check-in gets a statement from the new key, not one a key set may revoke. */
    record Issued(List<AssignedDeployment> deployments, String keyId, SignedAssignment signed, Instant renewAt,
            Instant expiresAt) {
    }

    private final SigningKey key;
    private final Duration validity;
    private final Map<UUID, Issued> byAgent = new ConcurrentHashMap<>();
    private final AtomicLong lastSequence = new AtomicLong();

    AssignmentStatements(SigningKey key, SigningConfig config) {
        this.key = key;
        this.validity = config.statementValidity();
    }

    /** The statement naming exactly {@code deployments} for this agent, valid for a while yet. */
    public SignedAssignment statementFor(UUID agentId, List<AssignedDeployment> deployments, Instant now) {
        return byAgent.compute(agentId, (id, held) -> held != null && now.isBefore(held.renewAt())
                && held.deployments().equals(deployments) && held.keyId().equals(key.keyId()) ? held
                        : issue(id, deployments, now)).signed();
    }

    private Issued issue(UUID agentId, List<AssignedDeployment> deployments, Instant now) {
        long sequence = lastSequence.updateAndGet(last -> Math.max(last + 1, now.toEpochMilli()));
        Instant issued = now.truncatedTo(ChronoUnit.SECONDS);
        Instant expires = issued.plus(validity);
        AssignmentSigner signer = key.assignmentSigner();
        SignedAssignment signed = signer.sign(new Assignment(Assignment.FORMAT, agentId.toString(), sequence,
                issued, expires, null, deployments));
        return new Issued(List.copyOf(deployments), signer.keyId(), signed, issued.plus(validity.dividedBy(2)), expires);
    }

    /** Agents that stopped checking in (revoked, retired) do not keep their statements for ever. */
    @Scheduled(every = "10m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void forgetExpired() {
        Instant now = Instant.now();
        byAgent.values().removeIf(i -> !now.isBefore(i.expiresAt()));
    }
}
