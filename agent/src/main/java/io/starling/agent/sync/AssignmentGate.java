package io.starling.agent.sync;

import io.starling.agent.state.AssignmentStore;
import io.starling.agent.verify.AssignmentKeys;
import io.starling.protocol.agent.AssignmentReport;
import io.starling.protocol.agent.SignedAssignment;
import io.starling.protocol.assignment.Assignment;
import io.starling.protocol.assignment.AssignmentRejectedException;
import io.starling.protocol.assignment.AssignmentVerifier;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Whether a check-in answer's deployments may be acted on at all: only under a signed assignment
 * for this agent that is unexpired and not older than the newest one accepted (kept in the state
 * folder, so a restart does not forget it). And the freeze alarm: an agent that has held no valid
 * assignment past the last one's expiry says so, in the log and in {@code status}, rather than
 * running its old releases in silence while someone withholds or replays answers.
 *
 * <p>Expiry is judged by the control plane's time as far as the agent knows it for certain: the
 * latest signed issue time it accepted, advanced by its own monotonic clock since. Never the
 * workstation's wall clock (it may be hours off, and jump) nor the answer's unsigned
 * {@code serverTime} (a replayed answer brings its old time along). After a restart the elapsed
 * time is unknown, so the floor restarts at the stored assignment's issue time: a restart can give
 * a replayed assignment at most one more validity.
 */
final class AssignmentGate {

    private static final Logger LOG = Logger.getLogger(AssignmentGate.class);
    /** Before its first assignment, an agent waits this long for one before it calls itself frozen. */
    static final Duration FIRST_ASSIGNMENT_WAIT = Duration.ofHours(1);

    private final AssignmentKeys verifier;
    private final String agentId;
    private final AssignmentStore store;
    private final Clock clock;
    private final LongSupplier nanos;
    private final long startedNanos;
    private Assignment newest;
    /** The control plane's clock had reached {@code floor} when the monotonic clock read {@code floorNanos}. */
    private Instant floor;
    private long floorNanos;
    private Instant validUntil;
    private Instant lastAcceptedAt;
    private AssignmentRejectedException lastRefusal;
    private boolean frozen;
    /** When the freeze began: the last assignment's expiry, or when the wait for a first one ran out. */
    private Instant frozenSince;

    AssignmentGate(AssignmentKeys verifier, String agentId, AssignmentStore store, Clock clock) throws IOException {
        this(verifier, agentId, store, clock, System::nanoTime);
    }

    AssignmentGate(AssignmentKeys verifier, String agentId, AssignmentStore store, Clock clock, LongSupplier nanos)
            throws IOException {
        this.verifier = verifier;
        this.agentId = agentId;
        this.store = store;
        this.clock = clock;
        this.nanos = nanos;
        this.startedNanos = nanos.getAsLong();
        Optional<SignedAssignment> stored = store.load();
        try {
            this.newest = stored.map(AssignmentVerifier::read).orElse(null);
        } catch (IllegalArgumentException e) {
            throw new IOException("the stored assignment is not one: " + e.getMessage(), e);
        }
        if (newest != null) {
            floor = newest.issuedAt();
            floorNanos = startedNanos;
            validUntil = newest.expiresAt();
        }
    }

    /** The answer's statement if the agent may act on it; empty (and logged) if not. */
    synchronized Optional<Assignment> accept(SignedAssignment signed) {
        Assignment a;
        try {
            a = verifier.verifyAssignment(signed, agentId, serverTimeFloor(), newest);
        } catch (AssignmentRejectedException e) {
            if (lastRefusal == null || lastRefusal.reason() != e.reason()) {
                LOG.warnf("Not acting on the deployments of this check-in answer: its signed assignment is refused (%s): %s",
                        e.reason(), e.getMessage());
            }
            lastRefusal = e;
            checkFreeze();
            return Optional.empty();
        }
        Instant known = serverTimeFloor();
        if (known == null || a.issuedAt().isAfter(known)) {
            floor = a.issuedAt();
            floorNanos = nanos.getAsLong();
        }
        if (newest == null || a.sequence() > newest.sequence()) {
            try {
                store.save(signed);
            } catch (IOException e) {
                LOG.warnf("Cannot keep the accepted assignment in the state folder: %s", e.getMessage());
            }
            newest = a;
        }
        if (validUntil == null || a.expiresAt().isAfter(validUntil)) {
            validUntil = a.expiresAt();
        }
        lastAcceptedAt = clock.instant();
        lastRefusal = null;
        checkFreeze();
        return Optional.of(a);
    }

    /** A time the control plane's clock has certainly reached, or null before the first assignment. */
    private Instant serverTimeFloor() {
        return floor == null ? null : floor.plusNanos(nanos.getAsLong() - floorNanos);
    }

    /** Logs the start and the end of a freeze; called at every check-in and every status write. */
    synchronized void checkFreeze() {
        Instant known = serverTimeFloor();
        boolean isFrozen = validUntil == null
                ? nanos.getAsLong() - startedNanos >= FIRST_ASSIGNMENT_WAIT.toNanos()
                : !known.isBefore(validUntil);
        if (isFrozen && !frozen) {
            frozenSince = validUntil != null ? validUntil : clock.instant();
            LOG.errorf("Frozen: no valid signed assignment since %s%s. Deployments the control plane may have sent since "
                    + "are not reaching this agent (check-ins failing, or answers withheld or replayed on the way)%s",
                    lastAcceptedAt == null ? "this agent started" : lastAcceptedAt,
                    validUntil == null ? "" : ", and the last one expired at " + validUntil,
                    lastRefusal == null ? "." : "; last refusal: " + lastRefusal.getMessage());
        } else if (!isFrozen && frozen) {
            LOG.infof("A valid signed assignment arrived (valid until %s): no longer frozen", validUntil);
        }
        frozen = isFrozen;
        if (!frozen) {
            frozenSince = null;
        }
    }

    /**
     * What the next check-in tells the control plane: a freeze is learnt there at the first
     * check-in that gets through, not only in this machine's log.
     *
     * @param lastFailure why the previous check-in attempt failed, or null if it did not
     */
    synchronized AssignmentReport report(String lastFailure) {
        checkFreeze();
        return new AssignmentReport(newest == null ? null : newest.sequence(), validUntil, frozenSince,
                lastRefusal == null ? null : lastRefusal.reason() + ": " + lastRefusal.getMessage(), lastFailure);
    }

    synchronized StatusFile.AssignmentStatus status() {
        return new StatusFile.AssignmentStatus(newest == null ? null : newest.sequence(),
                newest == null ? null : newest.issuedAt(), validUntil, lastAcceptedAt, frozen,
                lastRefusal == null ? null : lastRefusal.reason() + ": " + lastRefusal.getMessage());
    }
}
