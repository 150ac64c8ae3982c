package io.starling.controlplane.catalog;

import io.starling.controlplane.common.DomainException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A release's lifecycle. A draft collects artifacts; publishing freezes it and signs its
 * manifest; revoking withdraws it from swarms and agents. Nothing goes back to draft: a fix is
 * a new release.
 */
public enum ReleaseState {
    DRAFT,
    PUBLISHED,
    REVOKED;

    private static final Map<ReleaseState, Set<ReleaseState>> ALLOWED = Map.of(
            DRAFT, EnumSet.of(PUBLISHED),
            PUBLISHED, EnumSet.of(REVOKED),
            REVOKED, EnumSet.noneOf(ReleaseState.class));

    public boolean mayBecome(ReleaseState next) {
        return ALLOWED.get(this).contains(next);
    }

    /** @throws DomainException.Conflict naming both states when the move is not in the table */
    public ReleaseState transitionTo(ReleaseState next) {
        if (!mayBecome(next)) {
            throw new DomainException.Conflict("A " + name().toLowerCase() + " release cannot become "
                    + next.name().toLowerCase() + ".");
        }
        return next;
    }
}
