import type { AgentCounts, FleetCounts } from '../../api/types';

const zero = (): AgentCounts => ({ agents: 0, active: 0, silent: 0, frozen: 0, revoked: 0 });

/**
 * The server's counts with the sites that have no agent added as zeros, sites in name order and
 * the agents on no site last: the server counts agents, and a site without any has none to count.
 */
export function withEmptySites(counts: FleetCounts, sites: string[]): FleetCounts {
  const bySite = new Map(counts.bySite.map((s) => [s.site, s.counts]));
  for (const site of sites) if (!bySite.has(site)) bySite.set(site, zero());
  const named = [...bySite.keys()].filter((s): s is string => s !== null).sort((a, b) => a.localeCompare(b));
  const none = bySite.get(null);
  return {
    ...counts,
    bySite: [...named.map((site) => ({ site, counts: bySite.get(site)! })), ...(none ? [{ site: null, counts: none }] : [])],
  };
}

/** "10 minutes", "90 seconds", "2 hours": the silent threshold as the server set it, in words. */
export function inWords(seconds: number): string {
  const [n, unit] = seconds % 3600 === 0 ? [seconds / 3600, 'hour'] : seconds % 60 === 0 ? [seconds / 60, 'minute'] : [seconds, 'second'];
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}
