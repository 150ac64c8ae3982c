import type { Counts, PauseReason, Rollout, RolloutControl, RolloutMode } from '../../api/rollouts';
import { when } from '../../components/format';

/** The controls the API accepts in the rollout's current state (docs/api.md "Rollouts"); the API still decides. */
export function controlsFor(r: Pick<Rollout, 'state' | 'pauseReason' | 'waves'>): RolloutControl[] {
  const waveLeft = r.waves.some((w) => w.state === 'PENDING');
  switch (r.state) {
    case 'RUNNING':
      return waveLeft ? ['pause', 'advance', 'cancel'] : ['pause', 'cancel'];
    case 'PAUSED':
      // A revoked release can only be cancelled.
      if (r.pauseReason === 'RELEASE_REVOKED') return ['cancel'];
      return waveLeft ? ['resume', 'advance', 'cancel'] : ['resume', 'cancel'];
    case 'SCHEDULED':
    case 'WAITING_FOR_APPROVAL':
      return ['cancel'];
    default:
      return [];
  }
}

/** Agents whose deployment counts as done: installed, or (download-only) downloaded or beyond. */
export function succeeded(counts: Counts, mode: RolloutMode = 'INSTALL'): number {
  const installed = counts.INSTALLED ?? 0;
  return mode === 'DOWNLOAD_ONLY' ? installed + (counts.DOWNLOADED ?? 0) + (counts.INSTALLING ?? 0) : installed;
}

export function failed(counts: Counts): number {
  return counts.FAILED ?? 0;
}

export function percentOf(part: number, whole: number): number {
  return whole > 0 ? Math.floor((part / whole) * 100) : 0;
}

const PAUSES: Record<PauseReason, string> = {
  OPERATOR: 'Paused by an operator: no wave starts until it is resumed; deployments already handed out go on.',
  ERROR_THRESHOLD: 'Paused: a wave reached its error threshold. Look at the failing agents below, then resume or cancel.',
  WAVE_TIMEOUT: 'Paused: a wave did not reach its success threshold in time. Resume to give it the wave timeout again, or advance.',
  RELEASE_REVOKED: 'Paused: the release was revoked. This rollout can only be cancelled.',
};

export function pauseExplanation(reason: PauseReason | null | undefined): string | undefined {
  return reason ? PAUSES[reason] : undefined;
}

/** Counts worth showing, largest first, states with none left out. */
export function nonZero(counts: Counts): [string, number][] {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
}

/** The rollout's window opening is under way at `now`. */
export function windowOpen(r: Pick<Rollout, 'windowOpening'>, now = Date.now()): boolean {
  const o = r.windowOpening;
  return !!o && new Date(o.opensAt).getTime() <= now && now < new Date(o.closesAt).getTime();
}

const downloadedAndWait = (n: number) => (n === 1 ? '1 agent has downloaded the release and waits' : `${n} agents have downloaded the release and wait`);

/**
 * What the rollout, or some of its agents, wait for, in words: an approval, the start time, the
 * maintenance window (or the deadline), the Install of a download-only rollout. Empty when
 * nothing waits; Advance under MANUAL is said apart (waitingForAdvance).
 */
export function waitsOf(r: Rollout, now = Date.now()): string[] {
  const waits: string[] = [];
  if (r.state === 'WAITING_FOR_APPROVAL') {
    waits.push(`Waiting for approval: an admin other than ${r.createdBy} must approve it. Nothing is deployed until then.`);
  }
  if (r.state === 'SCHEDULED' && r.startAt) {
    waits.push(
      new Date(r.startAt).getTime() > now ? `Scheduled: the first wave starts at ${when(r.startAt)}.` : 'Scheduled: the first wave starts within seconds.',
    );
  }
  const downloaded = r.counts.DOWNLOADED ?? 0;
  if (downloaded > 0 && r.state !== 'CANCELLED' && r.state !== 'DENIED') {
    const deadlinePassed = !!r.deadline && new Date(r.deadline).getTime() <= now;
    if (r.mode === 'DOWNLOAD_ONLY') {
      waits.push(`${downloadedAndWait(downloaded)} for Install (download only).`);
    } else if (r.maintenanceWindow && !deadlinePassed && !windowOpen(r, now)) {
      const opening = r.windowOpening
        ? `the maintenance window opening at ${when(r.windowOpening.opensAt)} (until ${when(r.windowOpening.closesAt)})`
        : 'the maintenance window, which opens no more';
      const deadline = r.deadline ? ` or the deadline at ${when(r.deadline)}, whichever comes first` : '';
      waits.push(`${downloadedAndWait(downloaded)} for ${opening}${deadline} to install.`);
    }
  }
  return waits;
}
