import { API, getJson, seg } from './http';
import type { Swarm } from './types';

export const swarms = {
  /** Every tracked swarm, by product, version and file. */
  all: () => getJson<Swarm[]>(`${API}/swarms`),
  ofRelease: (product: string, version: string) => getJson<Swarm[]>(`${API}/products/${seg(product)}/releases/${seg(version)}/swarms`),
};
