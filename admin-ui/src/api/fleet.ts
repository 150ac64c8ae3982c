import { API, getJson, getPage, query, sendJson, seg } from './http';
import type { BytesBySource } from './rollouts';
import type { Agent, AgentState, Deployment, EnrollmentToken, EnrollmentTokenRequest, SiteAgentCounts } from './types';

export interface AgentFilter {
  site?: string;
  labels?: string[];
  state?: AgentState | '';
  /** Part of the hostname (any case), or the start of the id. */
  q?: string;
  /** product@version, or product: agents that reported it installed. */
  installed?: string;
  offset: number;
  limit: number;
}

/** The bytes of deployments whose last report fell on this UTC day (YYYY-MM-DD). */
export interface DailyBytes {
  day: string;
  deployments: number;
  bytes: BytesBySource;
}

export const fleet = {
  /** One entry per day of the last `days`, oldest first, zeros included. */
  bytesByDay: (days: number) => getJson<DailyBytes[]>(`${API}/deployments/bytes-by-day${query({ days })}`),
  /** Agents by site and state, counted by the control plane: the fleet itself is never read whole. */
  agentCounts: () => getJson<SiteAgentCounts[]>(`${API}/agents/counts`),
  /** One page of agents, with the number matching in all. */
  agentPage: (f: AgentFilter) =>
    getPage<Agent>(
      `${API}/agents${query({ q: f.q, site: f.site, label: f.labels, state: f.state || undefined, installed: f.installed, offset: f.offset, limit: f.limit })}`,
    ),
  agent: (id: string) => getJson<Agent>(`${API}/agents/${seg(id)}`),
  agentDeployments: (id: string) => getJson<Deployment[]>(`${API}/agents/${seg(id)}/deployments`),
  revokeAgent: (id: string) => sendJson<Agent>('POST', `${API}/agents/${seg(id)}/revoke`),

  tokens: () => getJson<EnrollmentToken[]>(`${API}/enrollment-tokens`),
  createToken: (body: EnrollmentTokenRequest) => sendJson<EnrollmentToken>('POST', `${API}/enrollment-tokens`, body),
  revokeToken: (id: string) => sendJson<EnrollmentToken>('POST', `${API}/enrollment-tokens/${seg(id)}/revoke`),
};
