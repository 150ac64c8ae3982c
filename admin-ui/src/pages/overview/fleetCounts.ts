import type { Agent } from '../../api/types';

/** An active agent not heard from for this long is "silent" (agents check in every minute by default). */
export const SILENT_AFTER_MS = 10 * 60 * 1000;

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
 * Agents by state and by site. `active` counts every active agent, `silent` those of them not
 * heard from in SILENT_AFTER_MS (or never); `sites` lists sites without agents too.
 */
export function countFleet(agents: Agent[], sites: string[], now: number): FleetCounts {
  const total = zero();
  const bySite = new Map<string | null, AgentCounts>(sites.map((s) => [s, zero()]));
  for (const a of agents) {
    const key = a.site ?? null;
    const c = bySite.get(key) ?? zero();
    bySite.set(key, c);
    for (const into of [total, c]) {
      if (a.state === 'REVOKED') into.revoked++;
      else {
        into.active++;
        if (!a.lastCheckIn || now - new Date(a.lastCheckIn).getTime() > SILENT_AFTER_MS) into.silent++;
      }
    }
  }
  const named = [...bySite.entries()].filter(([s]) => s !== null).sort(([a], [b]) => (a as string).localeCompare(b as string));
  const none = bySite.get(null);
  return {
    total,
    bySite: [...named.map(([site, counts]) => ({ site, counts })), ...(none ? [{ site: null, counts: none }] : [])],
  };
}
