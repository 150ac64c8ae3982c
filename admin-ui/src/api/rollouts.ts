import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { API, getJson, sendJson, seg } from './http';
import { followEvents, type SseEvent, type StreamStatus } from './sse';
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

/** Installs start only while a window is open: `cron` (5 fields) opens it by the wall clock of `timezone`, for `duration`. */
export interface MaintenanceWindow {
  cron: string;
  /** ISO-8601, PT1M to P7D. */
  duration: string;
  timezone: string;
}

/** What a rollout request would target now, wave by wave (POST /rollouts/preview creates nothing). */
export interface RolloutPreview {
  agents: number;
  waves: { name: string; agents: number }[];
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
  /** From then on agents install even outside the maintenance window. */
  deadline?: string;
  mode?: RolloutMode;
  maintenanceWindow?: MaintenanceWindow;
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
  /** (other-site peers + origin + web seed) ÷ release size: copies that came in over the WAN; null without a site or size. */
  wanRatio?: number | null;
  /** (origin + web seed) ÷ release size: copies the control plane served. */
  originRatio?: number | null;
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
  /** The release's payload bytes; null for a release without artifacts. */
  releaseSize?: number | null;
  wanRatio?: number | null;
  originRatio?: number | null;
  /** At the running waves' pace over the last 10 minutes; null when not running or nothing finished yet. */
  estimatedCompletion?: Instant | null;
  waves: WaveView[];
  sites: SiteStatus[];
  updatedAt?: Instant | null;
  dynamic?: boolean;
  maintenanceWindow?: MaintenanceWindow | null;
  /** The window's opening under way now, or else the next one (the control plane's clock); null without a window. */
  windowOpening?: { opensAt: Instant; closesAt: Instant } | null;
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
  preview: (body: RolloutRequest) => sendJson<RolloutPreview>('POST', `${API}/rollouts/preview`, body),
  control: (id: string, what: RolloutControl) => sendJson<Rollout>('POST', `${rollout(id)}/${what}`),
  /** Only an admin other than the creator (403 otherwise); the comment is optional. */
  decide: (id: string, what: 'approve' | 'deny', comment?: string) =>
    sendJson<Rollout>('POST', `${rollout(id)}/${what}`, comment ? { comment } : undefined),
};

export const ENDED: readonly RolloutState[] = ['FINISHED', 'CANCELLED', 'DENIED'];

/** How often an open rollout page asks again when the live feed cannot be had. */
export const POLL_MS = 2500;

/** At most one full status read per this, however many events arrive. */
export const REFETCH_MS = 1000;

/** How the page hears of changes: the event stream, or polling when the stream failed. */
export type Connection = Exclude<StreamStatus, 'failed'> | 'polling' | 'ended';

/**
 * The rollout, kept current by its Server-Sent Events feed: a summary, rollout or wave event
 * rereads the full status (at most once per REFETCH_MS), a deployment that fails rereads the
 * failing agents. Whenever the stream is not open (connecting, reconnecting, or given up after a
 * refusal or four failed attempts in a row) the page polls every POLL_MS instead. Nothing is followed once the rollout has ended.
 */
export function useLiveRollout(id: string) {
  const [stream, setStream] = useState<StreamStatus>('connecting');
  const query = useQuery({
    queryKey: ['rollout', id],
    queryFn: () => rollouts.get(id),
    // Polls whenever the stream is not open: also while (re)connecting, which a proxy may hold up.
    refetchInterval: (q) => (q.state.data && ENDED.includes(q.state.data.state) ? false : stream === 'live' ? false : POLL_MS),
  });
  const client = useQueryClient();
  const ended = query.data ? ENDED.includes(query.data.state) : undefined;
  useEffect(() => {
    // Wait for the first read: an unknown rollout needs no stream, an ended one has nothing to say.
    if (ended !== false) return;
    const abort = new AbortController();
    const onEvent = rolloutEventHandler(client, id);
    const onStatus = (status: StreamStatus) => {
      setStream(status);
      if (status === 'live') onEvent.connected();
    };
    void followEvents({ url: `${rollout(id)}/events`, onEvent, onStatus, signal: abort.signal });
    return () => {
      abort.abort();
      onEvent.cancel();
    };
  }, [client, id, ended]);
  const connection: Connection = ended ? 'ended' : stream === 'failed' ? 'polling' : stream;
  return { ...query, connection };
}

/** What an event of the rollout's feed makes the page reread; throttled, leading and trailing edge. */
export function rolloutEventHandler(client: QueryClient, id: string, waitMs = REFETCH_MS) {
  const refetch = throttle(() => void client.invalidateQueries({ queryKey: ['rollout', id], exact: true }), waitMs);
  const refetchAgents = throttle(() => void client.invalidateQueries({ queryKey: ['rollout', id, 'agents'] }), waitMs);
  const handler = (event: SseEvent) => {
    if (event.type === 'summary' || event.type === 'rollout' || event.type === 'wave') refetch();
    else if (event.type === 'deployment') {
      refetchAgents();
      // Counts and bytes come with the next summary; a failure matters at once (thresholds, the table).
      if (payloadOf(event)?.to === 'FAILED') refetch();
    }
  };
  return Object.assign(handler, {
    /** After (re)connecting: what happened while no stream was open is read in full. */
    connected: () => {
      refetch();
      refetchAgents();
    },
    cancel: () => {
      refetch.cancel();
      refetchAgents.cancel();
    },
  });
}

function payloadOf(event: SseEvent): { to?: string } | undefined {
  try {
    return (JSON.parse(event.data) as { payload?: { to?: string } }).payload;
  } catch {
    return undefined;
  }
}

/** Calls at once, then at most once per waitMs, the last call of a burst included. */
export function throttle(fn: () => void, waitMs: number) {
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const call = () => {
    const now = Date.now();
    if (now - last >= waitMs && timer === undefined) {
      last = now;
      fn();
    } else if (timer === undefined) {
      timer = setTimeout(
        () => {
          timer = undefined;
          last = Date.now();
          fn();
        },
        Math.max(0, waitMs - (now - last)),
      );
    }
  };
  return Object.assign(call, { cancel: () => clearTimeout(timer) });
}

/** @param poll ask again every POLL_MS: the live feed is not there to say when to */
export function useLiveRolloutAgents(id: string, state: string, poll: boolean) {
  return useQuery({
    queryKey: ['rollout', id, 'agents', state],
    queryFn: () => rollouts.agents(id, state),
    refetchInterval: poll ? POLL_MS : false,
  });
}
