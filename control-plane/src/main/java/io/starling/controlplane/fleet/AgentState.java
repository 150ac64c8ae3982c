package io.starling.controlplane.fleet;

import io.starling.controlplane.common.DomainException;
import io.starling.controlplane.common.Names;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * An enrolled agent's lifecycle. Revoking is final: the machine enrolls again, as a new agent,
 * with a new token, so that what an old identity did is never confused with the new one.
 */
public enum AgentState {
    ACTIVE,
    REVOKED;

    private static final Map<AgentState, Set<AgentState>> ALLOWED = Map.of(
            ACTIVE, EnumSet.of(REVOKED),
            REVOKED, EnumSet.noneOf(AgentState.class));

    /** @throws DomainException.Invalid listing the states there are */
    public static AgentState parse(String text) {
        for (AgentState s : values()) {
            if (s.name().equalsIgnoreCase(text)) {
                return s;
            }
        }
        throw new DomainException.Invalid("state: '" + Names.printable(text)
                + "' is not one of " + Arrays.toString(values()) + ".");
    }

    public boolean mayBecome(AgentState next) {
        return ALLOWED.get(this).contains(next);
    }

    /** @throws DomainException.Conflict naming both states when the move is not in the table */
    public AgentState transitionTo(AgentState next) {
        if (!mayBecome(next)) {
            throw new DomainException.Conflict("A " + name().toLowerCase() + " agent cannot become "
                    + next.name().toLowerCase() + ".");
        }
        return next;
    }
}
