import { EVENT_TYPES, SECRET_MAX, SECRET_MIN, type EventType, type WebhookRequest } from '../../api/webhooks';

export interface WebhookFormValues {
  url: string;
  events: EventType[];
  secret: string;
}

export const EMPTY_WEBHOOK: WebhookFormValues = { url: '', events: ['rollout'], secret: '' };

/** What each event type brings the receiver (docs/api.md "Webhooks"). */
export const EVENT_HELP: Record<EventType, string> = {
  rollout: 'state changes; a pause carries its reason',
  wave: 'a wave starts, succeeds or fails',
  deployment: 'every agent’s deployment state: many',
  summary: 'counts and bytes, every few seconds while running',
};

/**
 * The browser's check of the URL, the control plane's rule in WebhookRequestCheck: absolute http
 * or https with a host, no user name or #fragment, at most 2048 characters.
 */
export function urlError(url: string): string | undefined {
  const text = url.trim();
  if (!text) return 'Required: the address the events are POSTed to';
  if (text.length > 2048) return 'At most 2,048 characters';
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return 'An absolute http:// or https:// address, e.g. https://chat.example.com/hooks/rollouts';
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || !u.hostname) return 'Only http:// or https:// with a host';
  if (u.username || u.password) return 'No user name in the address: the secret signs the deliveries';
  if (text.includes('#')) return 'No #fragment: a receiver never sees it';
  return undefined;
}

export function eventsError(events: EventType[]): string | undefined {
  return events.length === 0 ? 'Pick at least one event type' : undefined;
}

export function secretError(secret: string): string | undefined {
  if (secret === '') return undefined;
  // eslint-disable-next-line no-control-regex
  if (secret.length < SECRET_MIN || secret.length > SECRET_MAX || /[\u0000-\u001f\u007f-\u009f]/.test(secret))
    return `${SECRET_MIN} to ${SECRET_MAX} characters, or none to send unsigned deliveries`;
  return undefined;
}

export function webhookFormValid(v: WebhookFormValues): boolean {
  return !urlError(v.url) && !eventsError(v.events) && !secretError(v.secret);
}

export function toWebhookRequest(v: WebhookFormValues): WebhookRequest {
  // The feed's order, whatever order they were ticked in.
  const events = EVENT_TYPES.filter((e) => v.events.includes(e));
  return { url: v.url.trim(), events, ...(v.secret ? { secret: v.secret } : {}) };
}

/** 48 hex digits from the browser's cryptographic generator: 192 bits, as `openssl rand -hex 24`. */
export function newSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
