package io.starling.controlplane.tracker;

/** The peers of one swarm at one site, split so that seeds can be offered first. */
final class SiteGroup {

    final String site;
    final PeerList seeds = new PeerList();
    final PeerList leechers = new PeerList();
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

    PeerList listFor(Peer p) {
        return p.isSeed() ? seeds : leechers;
    }
}
