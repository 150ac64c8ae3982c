import { API, getJson, remove, sendJson, seg } from './http';
import type { Site, SiteRequest } from './types';

export const sites = {
  list: () => getJson<Site[]>(`${API}/sites`),
  create: (body: SiteRequest) => sendJson<Site>('POST', `${API}/sites`, body),
  update: (name: string, body: SiteRequest) => sendJson<Site>('PUT', `${API}/sites/${seg(name)}`, body),
  delete: (name: string) => remove(`${API}/sites/${seg(name)}`),
};
