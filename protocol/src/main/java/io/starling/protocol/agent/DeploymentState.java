package io.starling.protocol.agent;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One agent's progress on one release. The control plane creates a deployment PENDING; the
 * agent moves it forward as it downloads, verifies and installs; an operator may cancel it until
 * the agent starts installing. INSTALLED, FAILED and CANCELLED are final: a retry is a new
 * deployment, so that the history of what happened on a machine is never rewritten.
 *
 * <p>The table lives here, in the contract, because both sides enforce it: the agent never
 * reports a move the control plane would refuse.
 */
public enum DeploymentState {
    PENDING,
    DOWNLOADING,
    DOWNLOADED,
    INSTALLING,
    INSTALLED,
    FAILED,
    CANCELLED;

    private static final Map<DeploymentState, Set<DeploymentState>> ALLOWED = Map.of(
            // An agent that already holds every verified byte (say, from an earlier deployment of
            // the same release) may skip DOWNLOADING; one that refuses the manifest fails at once.
            PENDING, EnumSet.of(DOWNLOADING, DOWNLOADED, FAILED, CANCELLED),
            DOWNLOADING, EnumSet.of(DOWNLOADED, FAILED, CANCELLED),
            DOWNLOADED, EnumSet.of(INSTALLING, FAILED, CANCELLED),
            // Once an install command runs, stopping it halfway would leave the machine in a state
            // nobody chose: installing ends in INSTALLED or FAILED, never CANCELLED.
            INSTALLING, EnumSet.of(INSTALLED, FAILED),
            INSTALLED, EnumSet.noneOf(DeploymentState.class),
            FAILED, EnumSet.noneOf(DeploymentState.class),
            CANCELLED, EnumSet.noneOf(DeploymentState.class));

    public boolean mayBecome(DeploymentState next) {
        return ALLOWED.get(this).contains(next);
    }

    /**
     * The moves from here to {@code target}, shortest first, each allowed by the table; empty
     * when {@code target} is this state, {@code Optional.empty()} when it cannot be reached.
     * An agent that was cut off from the control plane reports only where it is now
     * (say INSTALLED); the control plane walks the states it missed instead of refusing it.
     */
    public java.util.Optional<java.util.List<DeploymentState>> pathTo(DeploymentState target) {
        Map<DeploymentState, DeploymentState> cameFrom = new java.util.EnumMap<>(DeploymentState.class);
        java.util.ArrayDeque<DeploymentState> queue = new java.util.ArrayDeque<>(List.of(this));
        Set<DeploymentState> seen = EnumSet.of(this);
        while (!queue.isEmpty()) {
            DeploymentState at = queue.poll();
            if (at == target) {
                java.util.LinkedList<DeploymentState> path = new java.util.LinkedList<>();
                for (DeploymentState s = target; s != this; s = cameFrom.get(s)) {
                    path.addFirst(s);
                }
                return java.util.Optional.of(List.copyOf(path));
            }
            for (DeploymentState next : ALLOWED.get(at)) {
                if (seen.add(next)) {
                    cameFrom.put(next, at);
                    queue.add(next);
                }
            }
        }
        return java.util.Optional.empty();
    }

    public boolean isFinal() {
        return ALLOWED.get(this).isEmpty();
    }

    /** @throws IllegalStateTransitionException naming both states when the move is not in the table */
    public DeploymentState transitionTo(DeploymentState next) {
        if (!mayBecome(next)) {
            throw new IllegalStateTransitionException(this, next);
        }
        return next;
    }

    /** A move the table does not allow. The control plane maps it to 409 Conflict. */
    public static final class IllegalStateTransitionException extends RuntimeException {
        private final DeploymentState from;
        private final DeploymentState to;

        IllegalStateTransitionException(DeploymentState from, DeploymentState to) {
            super("A " + from.name().toLowerCase() + " deployment cannot become " + to.name().toLowerCase() + ".");
            this.from = from;
            this.to = to;
        }

        public DeploymentState from() {
            return from;
        }

        public DeploymentState to() {
            return to;
        }
    }
}
