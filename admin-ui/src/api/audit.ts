import { API, getJson, query } from './http';
import type { AuditEntry } from './types';

export interface AuditFilter {
  limit: number;
  actor?: string;
  /** The HTTP method: POST, PUT, DELETE, PATCH. */
  action?: string;
  /** ISO-8601 instants: entries at or after `from`, before `to`. */
  from?: string;
  to?: string;
  /** Entries older than the entry with this id (the last one of the previous page). */
  before?: number;
}

export const audit = {
  recent: (f: AuditFilter) =>
    getJson<AuditEntry[]>(`${API}/audit${query({ limit: f.limit, actor: f.actor, action: f.action, from: f.from, to: f.to, before: f.before })}`),
};
