package io.starling.controlplane.rollout;

import io.starling.controlplane.common.DomainException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A rollout's lifecycle. It waits for its start time, runs its waves one after another, may be
 * paused (by an operator, or by itself at a threshold, a wave timeout or a revoked release) and
 * resumed, and ends FINISHED when its last wave succeeded or CANCELLED. With
 * {@code starling.rollouts.approval-required} on it starts in WAITING_FOR_APPROVAL, and an admin
 * other than its creator approves it (SCHEDULED, then RUNNING as soon as its start time has come)
 * or denies it (DENIED). DENIED is a state of its own rather than CANCELLED with a reason: a
 * refused request is not an operator's stop, and lists, filters and the console tell them apart
 * by state alone. A dynamic rollout ({@link Rollout#dynamic}) never finishes by itself.
 */
public enum RolloutState {
    WAITING_FOR_APPROVAL,
    SCHEDULED,
    RUNNING,
    PAUSED,
    FINISHED,
    CANCELLED,
    DENIED;

    private static final Map<RolloutState, Set<RolloutState>> ALLOWED = Map.of(
            // The creator may withdraw (cancel) a request nobody has decided on yet.
            WAITING_FOR_APPROVAL, EnumSet.of(SCHEDULED, DENIED, CANCELLED),
            SCHEDULED, EnumSet.of(RUNNING, CANCELLED),
            RUNNING, EnumSet.of(PAUSED, FINISHED, CANCELLED),
            // A paused rollout never finishes by itself: finishing is a decision taken while running.
            PAUSED, EnumSet.of(RUNNING, CANCELLED),
            FINISHED, EnumSet.noneOf(RolloutState.class),
            CANCELLED, EnumSet.noneOf(RolloutState.class),
            DENIED, EnumSet.noneOf(RolloutState.class));

    public boolean mayBecome(RolloutState next) {
        return ALLOWED.get(this).contains(next);
    }

    public boolean isFinal() {
        return ALLOWED.get(this).isEmpty();
    }

    /** @throws DomainException.Conflict naming both states when the move is not in the table */
    public RolloutState transitionTo(RolloutState next) {
        if (!mayBecome(next)) {
            throw new DomainException.Conflict("A " + label() + " rollout cannot become " + next.label() + ".");
        }
        return next;
    }

    String label() {
        return name().toLowerCase().replace('_', ' ');
    }
}
