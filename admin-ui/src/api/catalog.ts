import { API, getJson, request, sendJson, seg } from './http';
import type { KeySetSummary, Product, Release, ReleaseRequest, SigningKey } from './types';

const product = (name: string) => `${API}/products/${seg(name)}`;
export const releasePath = (p: string, v: string) => `${product(p)}/releases/${seg(v)}`;
export const artifactPath = (p: string, v: string, file: string) => `${releasePath(p, v)}/artifacts/${seg(file)}`;

export const catalog = {
  products: () => getJson<Product[]>(`${API}/products`),
  product: (name: string) => getJson<Product>(product(name)),
  createProduct: (body: { name: string; description?: string }) => sendJson<Product>('POST', `${API}/products`, body),
  releases: (p: string) => getJson<Release[]>(`${product(p)}/releases`),
  release: (p: string, v: string) => getJson<Release>(releasePath(p, v)),
  createRelease: (p: string, body: ReleaseRequest) => sendJson<Release>('POST', `${product(p)}/releases`, body),
  publish: (p: string, v: string) => sendJson<Release>('POST', `${releasePath(p, v)}/publish`),
  revoke: (p: string, v: string) => sendJson<Release>('POST', `${releasePath(p, v)}/revoke`),
  manifest: async (p: string, v: string) => (await request(`${releasePath(p, v)}/manifest`)).text(),
  signature: async (p: string, v: string) => (await request(`${releasePath(p, v)}/manifest.sig`)).text(),
  signingKeys: () => getJson<SigningKey[]>(`${API}/signing-keys`),
  /** The key set in force, or null when no offline root has signed one (the API answers 404). */
  keySet: async () => {
    try {
      return await getJson<KeySetSummary>(`${API}/signing-keys/key-set/summary`);
    } catch (e) {
      if ((e as { status?: number }).status === 404) return null;
      throw e;
    }
  },
  /** The caller's personal .torrent (it needs the bearer token, so a plain link cannot fetch it). */
  torrent: async (p: string, v: string, file: string) => (await request(`${artifactPath(p, v, file)}/torrent`)).blob(),
};
