package io.starling.controlplane.tracker;

import java.util.Collection;
import java.util.function.BooleanSupplier;

/**
 * Whether the origin super-seeds a swarm (BEP 16), chosen per swarm from what the tracker sees.
 *
 * <p>Why per swarm: in the office benchmark (docs/benchmarks.md) super-seeding let one office of 10 or 20 agents
 * finish a quarter to a half sooner, because the origin hands each agent different pieces and they trade from the
 * first second instead of all asking one gateway for the same fresh ones; with three offices it sent more copies
 * over the WANs (1.51 against 1.05) in the same time, and a lone downloader crawled (0.5 s became 30 s). So a swarm
 * is super-seeded while all its leechers are in one site and there are at least {@code minLeechers} of them, and
 * stops once they fall below half that (the last few finish faster without it, and the gap keeps the flag from
 * flapping as peers come and go).
 *
 * @param always      super-seed every swarm whatever it looks like ({@code starling.seed.super-seeding})
 * @param minLeechers leechers in one site that turn it on; 0: never on by itself
 */
record SuperSeedingPolicy(BooleanSupplier always, int minLeechers) {

    static final SuperSeedingPolicy NEVER = new SuperSeedingPolicy(() -> false, 0);

    /** @param now whether the swarm is super-seeded now */
    boolean wants(Collection<SiteGroup> sites, boolean now) {
        if (always.getAsBoolean()) {
            return true;
        }
        if (minLeechers <= 0) {
            return false;
        }
        int leechers = 0;
        boolean seen = false;
        for (SiteGroup g : sites) {
            if (g.leechers.size() > 0) {
                if (seen) {
                    return false; // a second site downloads: one copy per office beats a quicker office
                }
                seen = true;
                leechers = g.leechers.size();
            }
        }
        return leechers >= (now ? Math.max(1, minLeechers / 2) : minLeechers);
    }
}
