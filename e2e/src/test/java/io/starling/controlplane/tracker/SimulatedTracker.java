package io.starling.controlplane.tracker;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The control plane's own tracker logic ({@link Swarm}, {@link SiteGroup}, {@link PeerSelector})
 * driven by the flow-level simulator with simulated agents and a simulated clock. It lives in the
 * e2e test tree under the tracker's package because those classes are package-private: the
 * simulator runs the real peer selection, not a copy of it, and the control plane keeps no
 * public surface for a benchmark. The e2e module has the control-plane jar on its test class path
 * (without its dependencies: none of these classes needs one).
 *
 * <p>A simulated peer is named by an int: its address carries that int as its four IPv4 bytes,
 * and the origin seeder is {@link #ORIGIN}.
 */
public final class SimulatedTracker {

    public static final int ORIGIN = -1;
    private static final byte[] INFO_HASH = new byte[20];

    private final Swarm swarm = new Swarm(new TrackedTorrent("sim", "1", "sim.bin", INFO_HASH, new byte[32]));
    private final PeerSelector selector;

    /**
     * @param crossSiteMinSeeds the tracker's {@code cross-site-min-seeds}
     * @param stallMillis       its {@code stall-timeout}
     * @param siteGateways      its {@code site-gateways}
     */
    public SimulatedTracker(int crossSiteMinSeeds, long stallMillis, int siteGateways) {
        this.selector = new PeerSelector(crossSiteMinSeeds, stallMillis, siteGateways, () -> List.of(address(ORIGIN)), SuperSeedingPolicy.NEVER);
    }

    public enum Event {
        NONE, STARTED, COMPLETED, STOPPED
    }

    /**
     * One announce, as libtorrent sends it.
     *
     * @param peer       the simulated peer (its address)
     * @param session    which run of the agent: a restarted agent is a new libtorrent session with a new peer id
     * @param site       the site the control plane resolves its address to
     * @return the peers handed back, as simulated peer numbers ({@link #ORIGIN} for the origin seeder)
     */
    public List<Integer> announce(int peer, int session, String site, long downloaded, long left, Event event,
            int numwant, long nowMillis) {
        byte[] peerId = ByteBuffer.allocate(20).putInt(peer).putInt(session).array();
        AnnounceRequest r = new AnnounceRequest(INFO_HASH, peerId, address(peer).ip(), 6881, 0, downloaded, left,
                AnnounceRequest.Event.valueOf(event.name()), numwant, true);
        List<PeerAddress> got = swarm.announce(r, peer, site, nowMillis, selector).peers();
        List<Integer> out = new ArrayList<>(got.size());
        for (PeerAddress a : got) {
            out.add(ByteBuffer.wrap(a.ip()).getInt());
        }
        return out;
    }

    /** Drops peers not heard from since {@code olderThanMillis}, as the tracker's TTL sweep does. */
    public int expire(long olderThanMillis) {
        return swarm.expire(olderThanMillis);
    }

    private static PeerAddress address(int peer) {
        return new PeerAddress(ByteBuffer.allocate(4).putInt(peer).array(), 6881, null);
    }
}
