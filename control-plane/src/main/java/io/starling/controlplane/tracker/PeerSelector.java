package io.starling.controlplane.tracker;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Nearest peers first. A leecher gets the seeds of its own site, then its site's leechers; only
 * while its site holds fewer than K complete copies, or has stalled, does it also get peers of
 * other sites (seeds first) and, last, the origin seeder. So each office pulls a release across
 * its WAN link about once and then trades over its LAN.
 *
 * <p>A seed gets leechers: its own site's, then those of sites that may reach across (fewer than
 * K copies or stalled), since those leechers are allowed to connect to it anyway.
 */
final class PeerSelector {

    private final int crossSiteMinSeeds;
    private final long stallMillis;
    private final Supplier<PeerAddress> origin;

    PeerSelector(int crossSiteMinSeeds, long stallMillis, PeerAddress origin) {
        this(crossSiteMinSeeds, stallMillis, () -> origin);
    }

    /** The origin is asked for at each announce: the seeder's port is known only once it listens. */
    PeerSelector(int crossSiteMinSeeds, long stallMillis, Supplier<PeerAddress> origin) {
        this.crossSiteMinSeeds = crossSiteMinSeeds;
        this.stallMillis = stallMillis;
        this.origin = origin;
    }

    List<PeerAddress> select(Peer self, SiteGroup own, Collection<SiteGroup> all, int numwant, long now) {
        List<PeerAddress> out = new ArrayList<>(Math.min(numwant, 64));
        if (numwant <= 0) {
            return out;
        }
        if (!self.isSeed()) {
            take(own.seeds, self, out, numwant);
            take(own.leechers, self, out, numwant);
            if (mayReachAcross(own, now)) {
                for (SiteGroup g : all) {
                    if (g != own) {
                        take(g.seeds, self, out, numwant);
                    }
                }
                for (SiteGroup g : all) {
                    if (g != own) {
                        take(g.leechers, self, out, numwant);
                    }
                }
                PeerAddress o = origin.get();
                if (o != null && out.size() < numwant) {
                    out.add(o);
                }
            }
        } else {
            take(own.leechers, self, out, numwant);
            for (SiteGroup g : all) {
                if (g != own && mayReachAcross(g, now)) {
                    take(g.leechers, self, out, numwant);
                }
            }
        }
        return out;
    }

    boolean mayReachAcross(SiteGroup g, long now) {
        return g.seeds.size() < crossSiteMinSeeds || g.stalled(now, stallMillis);
    }

    /** A random window of the list: cheap, and different peers hear of different neighbours. */
    private static void take(PeerList list, Peer self, List<PeerAddress> out, int numwant) {
        int n = list.size();
        if (n == 0 || out.size() >= numwant) {
            return;
        }
        int start = ThreadLocalRandom.current().nextInt(n);
        for (int i = 0; i < n && out.size() < numwant; i++) {
            Peer p = list.get((start + i) % n);
            if (p != self) {
                out.add(new PeerAddress(p.ip, p.port, p.peerId));
            }
        }
    }
}
