package io.starling.controlplane.tracker;

import java.util.LinkedHashSet;
import java.util.Set;

/** The peers of one swarm at one site, split so that seeds can be offered first. */
final class SiteGroup {

    final String site;
    final PeerList seeds = new PeerList();
    final PeerList leechers = new PeerList();
    /**
     * The leechers that reach across for the whole site (other sites and the origin) while it may:
     * a few per site, so that about one copy crosses the site's WAN link instead of one per agent.
     * In election order; one that completes or leaves frees its slot for the next leecher to announce.
     */
    final Set<Peer> gateways = new LinkedHashSet<>();
    /** Last time a leecher here reported more bytes downloaded; a site that stops moving is stalled. */
    long lastProgressMillis;

    SiteGroup(String site, long now) {
        this.site = site;
        this.lastProgressMillis = now;
    }

    boolean isEmpty() {
        return seeds.size() == 0 && leechers.size() == 0;
    }

    boolean stalled(long now, long stallMillis) {
        return leechers.size() > 0 && now - lastProgressMillis > stallMillis;
    }

    /** A leecher takes a free gateway slot when it announces ({@code max} 0: every leecher may reach across). */
    void elect(Peer p, int max) {
        if (p.isSeed()) {
            gateways.remove(p);
        } else if (max > 0 && gateways.size() < max) {
            gateways.add(p);
        }
    }

    boolean reachesAcross(Peer p, int max) {
        return max == 0 || gateways.contains(p);
    }

    PeerList listFor(Peer p) {
        return p.isSeed() ? seeds : leechers;
    }
}
