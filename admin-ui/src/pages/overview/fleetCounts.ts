import type { SiteAgentCounts } from '../../api/types';

export interface AgentCounts {
  active: number;
  silent: number;
  revoked: number;
}

export interface FleetCounts {
  total: AgentCounts;
  /** By site name, sites in name order; agents on no site under null, last. */
  bySite: { site: string | null; counts: AgentCounts }[];
}

const zero = (): AgentCounts => ({ active: 0, silent: 0, revoked: 0 });

/**
 * The control plane's counts by site (GET /agents/counts), with the sites that have no agents
 * added and the totals summed; `silent` is among the active (no check-in for 10 minutes, or never).
 */
export function countFleet(rows: SiteAgentCounts[], sites: string[]): FleetCounts {
  const total = zero();
  const bySite = new Map<string | null, AgentCounts>(sites.map((s) => [s, zero()]));
  for (const row of rows) {
    const key = row.site ?? null;
    const c = bySite.get(key) ?? zero();
    bySite.set(key, c);
    for (const into of [total, c]) {
      into.active += row.active;
      into.silent += row.silent;
      into.revoked += row.revoked;
    }
  }
  const named = [...bySite.entries()].filter(([s]) => s !== null).sort(([a], [b]) => (a as string).localeCompare(b as string));
  const none = bySite.get(null);
  return {
    total,
    bySite: [...named.map(([site, counts]) => ({ site, counts })), ...(none ? [{ site: null, counts: none }] : [])],
  };
}
