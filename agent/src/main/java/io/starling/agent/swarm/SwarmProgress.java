package io.starling.agent.swarm;

import io.starling.protocol.agent.BytesBySource;

/**
 * One torrent's progress, read from libtorrent when asked.
 *
 * @param bytesDone     bytes of pieces that passed their hash check
 * @param bytesTotal    the size of the torrent's files
 * @param finished      every piece verified
 * @param peers         connected peers, web seeds included
 * @param downloadRate  payload bytes per second, now
 * @param uploadRate    payload bytes per second, now
 * @param bytesBySource payload bytes downloaded, by where they came from, over every run that was
 *                      handed in with {@link AgentSwarm#download(byte[], java.nio.file.Path, BytesBySource)}
 * @param error         what libtorrent reported when {@code state} is {@link SwarmState#ERROR}, else null
 */
public record SwarmProgress(long bytesDone, long bytesTotal, boolean finished, int peers, int downloadRate,
                            int uploadRate, BytesBySource bytesBySource, SwarmState state, String error) {

    /** 0 to 1. */
    public double fraction() {
        return bytesTotal == 0 ? (finished ? 1 : 0) : (double) bytesDone / bytesTotal;
    }
}
