import { API, getJson, query } from './http';
import type { AuditEntry } from './types';

export const audit = {
  recent: (f: { limit: number; actor?: string }) => getJson<AuditEntry[]>(`${API}/audit${query({ limit: f.limit, actor: f.actor })}`),
};
