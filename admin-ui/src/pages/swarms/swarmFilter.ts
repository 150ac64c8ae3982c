import type { Swarm } from '../../api/types';

export interface SwarmFilter {
  /** Part of the product, version or file name (any case), or the start of an info-hash. */
  q: string;
  product: string;
  version: string;
  /** Only swarms with a seeder or leecher now. */
  withPeers: boolean;
}

export function matches(s: Swarm, f: SwarmFilter): boolean {
  const q = f.q.trim().toLowerCase();
  return (
    (!f.product || s.product === f.product) &&
    (!f.version || s.version === f.version) &&
    (!f.withPeers || s.seeds + s.leechers > 0) &&
    (!q ||
      [s.product, s.version, s.file].some((t) => t.toLowerCase().includes(q)) ||
      s.infoHashV1.startsWith(q) ||
      s.infoHashV2.startsWith(q))
  );
}

/** The peers of the listed swarms in all: what the summary line says. */
export function totals(list: Swarm[]) {
  return list.reduce((t, s) => ({ seeds: t.seeds + s.seeds, leechers: t.leechers + s.leechers, completed: t.completed + s.completed }), {
    seeds: 0,
    leechers: 0,
    completed: 0,
  });
}
