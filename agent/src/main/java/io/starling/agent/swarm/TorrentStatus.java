package io.starling.agent.swarm;

import io.starling.protocol.agent.BytesBySource;

/**
 * One line of {@code starling-agent status}: a torrent of the agent's swarm.
 *
 * @param progress 0 to 1, verified bytes over total
 * @param error    null unless {@code state} is {@link SwarmState#ERROR}
 */
public record TorrentStatus(String name, String infoHash, SwarmState state, double progress, int peers,
                            int downloadRate, int uploadRate, BytesBySource bytesBySource, String error) {

    static TorrentStatus of(SwarmDownload d, SwarmProgress p) {
        return new TorrentStatus(d.name(), d.infoHash(), p.state(), p.fraction(), p.peers(), p.downloadRate(),
                p.uploadRate(), p.bytesBySource(), p.error());
    }
}
