import { API, getJson, remove, sendJson, seg } from './http';
import type { Instant } from './types';

// Hand-written from the control plane's webhook/ records (WebhookRequest, WebhookView,
// DeliveryView) and docs/api.md "Webhooks". Admins only.

/** The live feed's event types a hook may receive. */
export const EVENT_TYPES = ['rollout', 'wave', 'deployment', 'summary'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const SECRET_MIN = 16;
export const SECRET_MAX = 256;

export interface WebhookRequest {
  url: string;
  events: EventType[];
  /** Key of the HMAC-SHA256 signature; absent: deliveries are not signed. */
  secret?: string;
}

/** A hook as the API shows it: whether it has a secret, never the secret. */
export interface Webhook {
  id: string;
  url: string;
  events: string[];
  secretSet: boolean;
  createdAt: Instant;
  createdBy: string;
}

export type DeliveryState = 'PENDING' | 'DELIVERED' | 'FAILED';

export interface Delivery {
  id: string;
  /** null for a test delivery (ping). */
  eventId?: number | null;
  eventType: string;
  state: DeliveryState;
  attempts: number;
  /** The receiver's HTTP status at the last attempt. */
  lastStatus?: number | null;
  lastError?: string | null;
  /** While PENDING: when the next attempt is due. */
  nextAttemptAt?: Instant | null;
  deliveredAt?: Instant | null;
  createdAt: Instant;
}

const hook = (id: string) => `${API}/webhooks/${seg(id)}`;

export const webhooks = {
  list: () => getJson<Webhook[]>(`${API}/webhooks`),
  create: (body: WebhookRequest) => sendJson<Webhook>('POST', `${API}/webhooks`, body),
  remove: (id: string) => remove(hook(id)),
  /** Newest first. */
  deliveries: (id: string) => getJson<Delivery[]>(`${hook(id)}/deliveries?limit=100`),
  /** Queues a signed ping, retried like an event; it shows in the delivery log. */
  test: (id: string) => sendJson<Delivery>('POST', `${hook(id)}/test`),
};
