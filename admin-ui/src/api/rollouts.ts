import { useQuery } from '@tanstack/react-query';
import { API, getJson, sendJson, seg } from './http';
import type { Instant } from './types';

// Hand-written from the control plane's rollout/ records (RolloutRequest, RolloutView,
// RolloutSummary, RolloutAgentView) and docs/api.md "Rollouts".

export type RolloutState = 'SCHEDULED' | 'WAITING_FOR_APPROVAL' | 'RUNNING' | 'PAUSED' | 'FINISHED' | 'CANCELLED' | 'DENIED';
export type WaveState = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
export type PauseReason = 'OPERATOR' | 'ERROR_THRESHOLD' | 'WAVE_TIMEOUT' | 'RELEASE_REVOKED';
export type Advance = 'AUTO' | 'MANUAL';
export type RolloutMode = 'INSTALL' | 'DOWNLOAD_ONLY';

/** Agents by deployment state (every state listed) plus NOT_DEPLOYED before their wave starts. */
export type Counts = Record<string, number>;

export interface BytesBySource {
  sameSitePeers: number;
  otherSitePeers: number;
  originSeeder: number;
  webSeed: number;
}

export interface Target {
  sites?: string[];
  labels?: string[];
  agentIds?: string[];
}

export interface WaveRequest {
  name: string;
  percent?: number;
  sites?: string[];
  labels?: string[];
  agentIds?: string[];
  successThreshold?: number;
  errorThreshold?: number;
}

export interface RolloutRequest {
  name: string;
  product: string;
  version: string;
  target?: Target;
  waves: WaveRequest[];
  successThreshold?: number;
  errorThreshold?: number;
  waveTimeout?: string;
  advance?: Advance;
  startAt?: string;
  mode?: RolloutMode;
  /** Agents that match the target later join the last wave; the rollout then runs until cancelled. */
  dynamic?: boolean;
}

export interface RolloutSummary {
  id: string;
  name: string;
  product: string;
  version: string;
  state: RolloutState;
  pauseReason?: PauseReason | null;
  agents: number;
  counts: Counts;
  createdAt: Instant;
  createdBy: string;
  startedAt?: Instant | null;
  finishedAt?: Instant | null;
}

export interface WaveView {
  position: number;
  name: string;
  selector: { percent?: number | null; sites?: string[] | null; labels?: string[] | null; agentIds?: string[] | null };
  state: WaveState;
  agents: number;
  successThreshold: number;
  errorThreshold: number;
  counts: Counts;
  startedAt?: Instant | null;
  timesOutAt?: Instant | null;
  finishedAt?: Instant | null;
}

export interface SiteStatus {
  site: string | null;
  agents: number;
  counts: Counts;
  bytes: BytesBySource;
}

export interface Rollout extends RolloutSummary {
  pauseDetail?: string | null;
  waitingForAdvance: boolean;
  target?: Target | null;
  successThreshold: number;
  errorThreshold: number;
  waveTimeout?: string | null;
  advance: Advance;
  mode: RolloutMode;
  startAt?: Instant | null;
  deadline?: Instant | null;
  bytes: BytesBySource;
  waves: WaveView[];
  sites: SiteStatus[];
  updatedAt?: Instant | null;
  dynamic?: boolean;
  /** Who approved or denied it (approvals on), when and why. */
  decidedBy?: string | null;
  decidedAt?: Instant | null;
  decisionComment?: string | null;
}

export interface RolloutAgent {
  agentId: string;
  hostname: string;
  site?: string | null;
  wave: string;
  deploymentId?: string | null;
  state: string;
  reason?: string | null;
  detail?: string | null;
  exitCode?: number | null;
  output?: string[] | null;
  updatedAt?: Instant | null;
}

export type RolloutControl = 'pause' | 'resume' | 'advance' | 'cancel';

const rollout = (id: string) => `${API}/rollouts/${seg(id)}`;

export const rollouts = {
  list: (state?: string) => getJson<RolloutSummary[]>(`${API}/rollouts${state ? `?state=${encodeURIComponent(state)}` : ''}`),
  get: (id: string) => getJson<Rollout>(rollout(id)),
  agents: (id: string, state?: string) => getJson<RolloutAgent[]>(`${rollout(id)}/agents${state ? `?state=${encodeURIComponent(state)}` : ''}`),
  create: (body: RolloutRequest) => sendJson<Rollout>('POST', `${API}/rollouts`, body),
  control: (id: string, what: RolloutControl) => sendJson<Rollout>('POST', `${rollout(id)}/${what}`),
  /** Only an admin other than the creator (403 otherwise); the comment is optional. */
  decide: (id: string, what: 'approve' | 'deny', comment?: string) =>
    sendJson<Rollout>('POST', `${rollout(id)}/${what}`, comment ? { comment } : undefined),
};

export const ENDED: readonly RolloutState[] = ['FINISHED', 'CANCELLED', 'DENIED'];

/** How often an open rollout page asks again while the rollout has not ended. */
export const POLL_MS = 2500;

/**
 * The seam for live updates: the rollout detail reads a rollout only through this hook and
 * useLiveRolloutAgents. Today they poll; the rollout's Server-Sent Events feed, when it lands,
 * replaces their bodies (an EventSource that writes into the same query keys) and no page changes.
 */
export function useLiveRollout(id: string) {
  return useQuery({
    queryKey: ['rollout', id],
    queryFn: () => rollouts.get(id),
    refetchInterval: (q) => (q.state.data && ENDED.includes(q.state.data.state) ? false : POLL_MS),
  });
}

export function useLiveRolloutAgents(id: string, state: string, live: boolean) {
  return useQuery({
    queryKey: ['rollout', id, 'agents', state],
    queryFn: () => rollouts.agents(id, state),
    refetchInterval: live ? POLL_MS : false,
  });
}
