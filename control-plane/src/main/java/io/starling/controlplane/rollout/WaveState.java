package io.starling.controlplane.rollout;

import io.starling.controlplane.common.DomainException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * One wave of a rollout. It starts when the rollout gets to it (its deployments are created
 * then), and ends SUCCEEDED at its success threshold or FAILED at its error threshold; waves a
 * cancelled rollout had not finished end CANCELLED. A final wave never runs again: going on
 * after a failed wave means starting the next one.
 */
public enum WaveState {
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    private static final Map<WaveState, Set<WaveState>> ALLOWED = Map.of(
            PENDING, EnumSet.of(RUNNING, CANCELLED),
            RUNNING, EnumSet.of(SUCCEEDED, FAILED, CANCELLED),
            SUCCEEDED, EnumSet.noneOf(WaveState.class),
            FAILED, EnumSet.noneOf(WaveState.class),
            CANCELLED, EnumSet.noneOf(WaveState.class));

    public boolean mayBecome(WaveState next) {
        return ALLOWED.get(this).contains(next);
    }

    public boolean isFinal() {
        return ALLOWED.get(this).isEmpty();
    }

    /** @throws DomainException.Conflict naming both states when the move is not in the table */
    public WaveState transitionTo(WaveState next) {
        if (!mayBecome(next)) {
            throw new DomainException.Conflict("A " + name().toLowerCase() + " wave cannot become "
                    + next.name().toLowerCase() + ".");
        }
        return next;
    }
}
