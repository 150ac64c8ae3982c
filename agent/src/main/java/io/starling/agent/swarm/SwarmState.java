package io.starling.agent.swarm;

/** Where a torrent of the agent's swarm is, as a user would name it. */
public enum SwarmState {
    /** libtorrent is hashing the files on disk (first add of existing files, or after a crash). */
    CHECKING,
    DOWNLOADING,
    /** Every piece verified; uploading to whoever asks. */
    SEEDING,
    /** Paused by {@link SwarmDownload#pause()}; stays paused across restarts. */
    PAUSED,
    /** No longer in the session (seed time over, or {@link AgentSwarm#stopSeeding}); the files are kept. */
    STOPPED,
    /** libtorrent stopped the torrent on an error, such as a full disk; see the status's error. */
    ERROR
}
