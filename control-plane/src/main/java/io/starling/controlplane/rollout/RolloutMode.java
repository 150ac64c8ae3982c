package io.starling.controlplane.rollout;

/** What a rollout asks of its agents, and so what counts as success in a wave. */
public enum RolloutMode {
    INSTALL,
    /** Pre-staging: a deployment counts as done once its bytes are downloaded and verified. */
    DOWNLOAD_ONLY
}
