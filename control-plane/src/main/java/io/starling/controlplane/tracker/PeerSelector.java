package io.starling.controlplane.tracker;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Nearest peers first. A leecher gets the seeds of its own site, then its site's leechers. Only
 * while its site holds fewer than K complete copies does it get more, and only if it is one of
 * its site's G <em>gateways</em> (the first leechers to announce): other sites' seeds and
 * gateways and, last, the origin seeder. So each office pulls a release across its WAN link
 * about once, through a few agents, and trades it over its LAN; if every leecher reached across,
 * each would fetch its own pieces over the WAN and the link would carry one copy per agent.
 * A site that has stalled (its gateways died, say) lets every leecher reach everything.
 *
 * <p>While the origin super-seeds a swarm (BEP 16; {@link SuperSeedingPolicy} says when), every leecher of a site short of copies gets the
 * origin too, gateway or not: a super-seed hands each piece out once, to one peer, so it sends no
 * duplicates over any WAN, and it is only quick with many downloaders to hand pieces to; through
 * one gateway per office it crawled. Other sites are still reached through gateways only.
 *
 * <p>A seed gets leechers: its own site's, then the gateways of sites that may reach across
 * (every leecher of a stalled site), since those may connect to it anyway.
 */
final class PeerSelector {

    private final int crossSiteMinSeeds;
    private final long stallMillis;
    private final int siteGateways;
    private final Supplier<List<PeerAddress>> origins;
    private final SuperSeedingPolicy superSeeding;

    /** Every leecher may reach across (no gateways). */
    PeerSelector(int crossSiteMinSeeds, long stallMillis, PeerAddress origin) {
        this(crossSiteMinSeeds, stallMillis, 0, () -> listOf(origin), SuperSeedingPolicy.NEVER);
    }

    PeerSelector(int crossSiteMinSeeds, long stallMillis, int siteGateways, PeerAddress origin) {
        this(crossSiteMinSeeds, stallMillis, siteGateways, () -> listOf(origin), SuperSeedingPolicy.NEVER);
    }

    private static List<PeerAddress> listOf(PeerAddress origin) {
        return origin == null ? List.of() : List.of(origin);
    }

    /**
     * @param siteGateways     G, leechers per site that reach across; 0: all of them
     * @param origins          asked for at each announce: every live replica's origin seeder (the
     *                         seeder's port is known only once it listens, replicas come and go)
     * @param superSeeding     asked at each announce: whether the origin super-seeds the swarm, so that every
     *                         leecher may have it
     */
    PeerSelector(int crossSiteMinSeeds, long stallMillis, int siteGateways, Supplier<List<PeerAddress>> origins,
            SuperSeedingPolicy superSeeding) {
        this.crossSiteMinSeeds = crossSiteMinSeeds;
        this.stallMillis = stallMillis;
        this.siteGateways = siteGateways;
        this.origins = origins;
        this.superSeeding = superSeeding;
    }

    int siteGateways() {
        return siteGateways;
    }

    /** Whether the origin should super-seed a swarm with these sites; {@code now}: whether it does. */
    boolean superSeeds(Collection<SiteGroup> sites, boolean now) {
        return superSeeding.wants(sites, now);
    }

    /** @param originSuperSeeds whether the origin super-seeds this swarm: every leecher short of copies gets it */
    List<PeerAddress> select(Peer self, SiteGroup own, Collection<SiteGroup> all, int numwant, long now,
            boolean originSuperSeeds) {
        List<PeerAddress> out = new ArrayList<>(Math.min(numwant, 64));
        if (numwant <= 0) {
            return out;
        }
        if (!self.isSeed()) {
            take(own.seeds, self, out, numwant);
            take(own.leechers, self, out, numwant);
            boolean stalled = own.stalled(now, stallMillis);
            boolean shortOfCopies = own.seeds.size() < crossSiteMinSeeds;
            boolean across = stalled || (shortOfCopies && own.reachesAcross(self, siteGateways));
            if (across) {
                for (SiteGroup g : all) {
                    if (g != own) {
                        take(g.seeds, self, out, numwant);
                    }
                }
                for (SiteGroup g : all) {
                    if (g != own) {
                        takeGateways(g, stalled, self, out, numwant);
                    }
                }
            }
            if (across || (shortOfCopies && originSuperSeeds)) {
                takeOrigins(out, numwant);
            }
        } else {
            take(own.leechers, self, out, numwant);
            for (SiteGroup g : all) {
                if (g != own && mayReachAcross(g, now)) {
                    takeGateways(g, g.stalled(now, stallMillis), self, out, numwant);
                }
            }
        }
        return out;
    }

    /**
     * Every replica's origin seeder, from a random one on: each holds every published artifact, and
     * leechers that start at different ones spread the load over the replicas.
     */
    private void takeOrigins(List<PeerAddress> out, int numwant) {
        List<PeerAddress> all = origins.get();
        int n = all.size();
        int start = n > 1 ? ThreadLocalRandom.current().nextInt(n) : 0;
        for (int i = 0; i < n && out.size() < numwant; i++) {
            out.add(all.get((start + i) % n));
        }
    }

    boolean mayReachAcross(SiteGroup g, long now) {
        return g.seeds.size() < crossSiteMinSeeds || g.stalled(now, stallMillis);
    }

    /** The site's gateways; all its leechers when there are no gateways or {@code everyone} (a stalled site). */
    private void takeGateways(SiteGroup g, boolean everyone, Peer self, List<PeerAddress> out, int numwant) {
        if (siteGateways == 0 || everyone) {
            take(g.leechers, self, out, numwant);
            return;
        }
        for (Peer p : g.gateways) {
            if (out.size() >= numwant) {
                return;
            }
            if (p != self) {
                out.add(new PeerAddress(p.ip, p.port, p.peerId));
            }
        }
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
