package io.starling.protocol.agent;

import java.util.List;

/**
 * What the agent needs to tell where its bytes came from (for {@link BytesBySource}).
 *
 * @param siteCidrs   the agent's own site's address ranges: a peer inside one is a same-site peer
 * @param originPeers {@code host:port} of the control plane's origin seeders
 */
public record PeerSources(List<String> siteCidrs, List<String> originPeers) {
    public PeerSources {
        siteCidrs = siteCidrs == null ? List.of() : List.copyOf(siteCidrs);
        originPeers = originPeers == null ? List.of() : List.copyOf(originPeers);
    }
}
