import type { Advance, RolloutMode, RolloutRequest } from '../../api/rollouts';
import { browserTimeZone, cronError, isTimeZone } from './cron';

/** The wizard as typed; numbers stay strings until they are checked. */
export interface RolloutFormValues {
  name: string;
  product: string;
  version: string;
  sites: string[];
  /** Comma- or space-separated. */
  labels: string;
  /** One per line. */
  agentIds: string;
  waves: { name: string; percent: string }[];
  successThreshold: string;
  errorThreshold: string;
  waveTimeoutMinutes: string;
  advance: Advance;
  mode: RolloutMode;
  /** A datetime-local value (the browser's time zone); empty: start at once. */
  startAt: string;
  /** A datetime-local value; empty: no deadline. */
  deadline: string;
  /** Off: installs may start at any time. */
  window: boolean;
  windowCron: string;
  /** Hours the window stays open; decimals allowed (0.5 is 30 minutes). */
  windowHours: string;
  windowTimezone: string;
  /** Agents that match the target later join the last wave. */
  dynamic: boolean;
}

export const EMPTY_ROLLOUT: RolloutFormValues = {
  name: '',
  product: '',
  version: '',
  sites: [],
  labels: '',
  agentIds: '',
  waves: [
    { name: 'canary', percent: '10' },
    { name: 'everyone else', percent: '' },
  ],
  successThreshold: '',
  errorThreshold: '',
  waveTimeoutMinutes: '',
  advance: 'AUTO',
  mode: 'INSTALL',
  startAt: '',
  deadline: '',
  window: false,
  windowCron: '0 22 * * 1-5',
  windowHours: '4',
  windowTimezone: browserTimeZone(),
  dynamic: false,
};

/** Whole minutes of a window, or undefined when the hours are not a length the API takes (PT1M to P7D). */
export function windowMinutes(hours: string): number | undefined {
  const h = Number(hours);
  if (hours.trim() === '' || !Number.isFinite(h)) return undefined;
  const m = Math.round(h * 60);
  return m >= 1 && m <= 7 * 24 * 60 ? m : undefined;
}

export type RolloutStep = 'release' | 'targets' | 'waves' | 'rules';
export type RolloutFormErrors = Partial<Record<string, string>>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_NAME = 128;
const MAX_WAVES = 100;

export const words = (text: string) => text.split(/[\s,]+/).filter((w) => w.length > 0);
export const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);

function percentError(text: string, what: string): string | undefined {
  if (text === '') return undefined;
  const n = Number(text);
  return Number.isInteger(n) && n >= 0 && n <= 100 ? undefined : `${what}: a whole number from 0 to 100`;
}

/**
 * The checks of the control plane's RolloutRequestCheck that need no database, per wizard step,
 * so each step answers before the API does. Keys are field ids (waves by index: `wave-0-name`).
 */
export function validateRollout(v: RolloutFormValues, step: RolloutStep): RolloutFormErrors {
  const e: RolloutFormErrors = {};
  if (step === 'release') {
    if (!v.name.trim()) e.name = 'Name the rollout';
    else if (v.name.length > MAX_NAME) e.name = `At most ${MAX_NAME} characters`;
    if (!v.product) e.product = 'Pick a product';
    if (!v.version) e.version = 'Pick a published release';
  }
  if (step === 'targets') {
    const bad = lines(v.agentIds).filter((id) => !UUID.test(id));
    if (bad.length) e.agentIds = `Not agent ids: ${bad.slice(0, 3).join(', ')}${bad.length > 3 ? ', …' : ''}`;
  }
  if (step === 'waves') {
    if (v.waves.length < 1 || v.waves.length > MAX_WAVES) e.waves = `Between 1 and ${MAX_WAVES} waves`;
    const seen = new Set<string>();
    v.waves.forEach((w, i) => {
      const name = w.name.trim();
      if (!name) e[`wave-${i}-name`] = 'Name the wave';
      else if (seen.has(name)) e[`wave-${i}-name`] = 'Wave names must differ';
      seen.add(name);
      const last = i === v.waves.length - 1;
      if (!last && w.percent === '') e[`wave-${i}-percent`] = 'Give a percent (only the last wave takes the rest)';
      else if (!last) {
        const err = percentError(w.percent, 'Percent');
        if (err) e[`wave-${i}-percent`] = err;
      }
    });
  }
  if (step === 'rules') {
    const s = percentError(v.successThreshold, 'Success threshold');
    if (s) e.successThreshold = s;
    const f = percentError(v.errorThreshold, 'Error threshold');
    if (f) e.errorThreshold = f;
    if (v.waveTimeoutMinutes !== '') {
      const m = Number(v.waveTimeoutMinutes);
      if (!Number.isInteger(m) || m < 1) e.waveTimeoutMinutes = 'A whole number of minutes, at least 1';
    }
    const start = v.startAt ? new Date(v.startAt).getTime() : undefined;
    if (start !== undefined && Number.isNaN(start)) e.startAt = 'Not a date and time';
    if (v.deadline) {
      const deadline = new Date(v.deadline).getTime();
      if (Number.isNaN(deadline)) e.deadline = 'Not a date and time';
      else if (start !== undefined && !Number.isNaN(start) && deadline < start) e.deadline = 'Not before the start';
      else if (start === undefined && deadline < Date.now()) e.deadline = 'Not in the past';
    }
    if (v.window) {
      const c = cronError(v.windowCron);
      if (c) e.windowCron = c;
      if (windowMinutes(v.windowHours) === undefined) e.windowHours = 'From 1 minute (0.02) to 7 days (168 hours)';
      if (!isTimeZone(v.windowTimezone.trim())) e.windowTimezone = 'Not a time zone id such as Europe/Berlin or UTC';
    }
  }
  return e;
}

export const STEPS: RolloutStep[] = ['release', 'targets', 'waves', 'rules'];

export function validateAll(v: RolloutFormValues): RolloutFormErrors {
  return Object.assign({}, ...STEPS.map((s) => validateRollout(v, s)));
}

const list = (items: string[]) => (items.length ? items : undefined);
const num = (text: string) => (text === '' ? undefined : Number(text));

/** The request the API takes; empty fields are left out so the API's defaults apply. */
export function toRolloutRequest(v: RolloutFormValues): RolloutRequest {
  const sites = list(v.sites);
  const labels = list(words(v.labels));
  const agentIds = list(lines(v.agentIds));
  return {
    name: v.name.trim(),
    product: v.product,
    version: v.version,
    target: sites || labels || agentIds ? { sites, labels, agentIds } : undefined,
    waves: v.waves.map((w, i) => (i === v.waves.length - 1 ? { name: w.name.trim() } : { name: w.name.trim(), percent: Number(w.percent) })),
    successThreshold: num(v.successThreshold),
    errorThreshold: num(v.errorThreshold),
    waveTimeout: v.waveTimeoutMinutes ? `PT${Number(v.waveTimeoutMinutes)}M` : undefined,
    advance: v.advance,
    mode: v.mode,
    startAt: v.startAt ? new Date(v.startAt).toISOString() : undefined,
    deadline: v.deadline ? new Date(v.deadline).toISOString() : undefined,
    maintenanceWindow: v.window ? { cron: v.windowCron.trim().split(/\s+/).join(' '), duration: `PT${windowMinutes(v.windowHours)}M`, timezone: v.windowTimezone.trim() } : undefined,
    dynamic: v.dynamic || undefined,
  };
}

/**
 * The part of the request the live agent count needs: the target and, once the waves step is
 * valid, the waves (else one wave taking everyone). Rules and schedule stay out, so a half-typed
 * cron never turns the count into an error.
 */
export function toPreviewRequest(v: RolloutFormValues): RolloutRequest {
  const full = toRolloutRequest(v);
  const wavesOk = Object.keys(validateRollout(v, 'waves')).length === 0;
  return {
    name: full.name || 'preview',
    product: full.product,
    version: full.version,
    target: full.target,
    waves: wavesOk ? full.waves : [{ name: 'everyone' }],
  };
}
