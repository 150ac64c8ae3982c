import { API, getJson, query, sendJson, seg } from './http';
import type { BytesBySource } from './rollouts';
import type { Agent, AgentState, Deployment, EnrollmentToken, EnrollmentTokenRequest } from './types';

export interface AgentFilter {
  site?: string;
  labels?: string[];
  state?: AgentState | '';
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
  agents: (f: AgentFilter) =>
    getJson<Agent[]>(`${API}/agents${query({ site: f.site, label: f.labels, state: f.state || undefined, offset: f.offset, limit: f.limit })}`),
  agent: (id: string) => getJson<Agent>(`${API}/agents/${seg(id)}`),
  agentDeployments: (id: string) => getJson<Deployment[]>(`${API}/agents/${seg(id)}/deployments`),
  revokeAgent: (id: string) => sendJson<Agent>('POST', `${API}/agents/${seg(id)}/revoke`),

  tokens: () => getJson<EnrollmentToken[]>(`${API}/enrollment-tokens`),
  createToken: (body: EnrollmentTokenRequest) => sendJson<EnrollmentToken>('POST', `${API}/enrollment-tokens`, body),
  revokeToken: (id: string) => sendJson<EnrollmentToken>('POST', `${API}/enrollment-tokens/${seg(id)}/revoke`),
};
