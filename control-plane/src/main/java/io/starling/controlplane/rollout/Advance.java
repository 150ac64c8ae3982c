package io.starling.controlplane.rollout;

/** What happens when a wave reaches its success threshold. */
public enum Advance {
    /** The next wave starts at once. */
    AUTO,
    /** The rollout waits for {@code POST /rollouts/{id}/advance}. */
    MANUAL
}
