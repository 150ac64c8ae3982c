package io.starling.controlplane.rollout;

/** Why a rollout is paused, for machines (the console, webhooks) as much as for people. */
public enum PauseReason {
    /** Someone called {@code /pause}. */
    OPERATOR,
    /** A wave's failures reached its error threshold. */
    ERROR_THRESHOLD,
    /** A wave ran longer than the wave timeout without reaching its success threshold. */
    WAVE_TIMEOUT,
    /** The release was revoked: its deployments are cancelled, and nothing can resume it. */
    RELEASE_REVOKED
}
