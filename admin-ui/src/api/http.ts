/** An RFC 9457 problem as the control plane sends it (application/problem+json). */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  instance?: string;
  errorId?: string;
}

/** A refused or failed call; `problem.detail` is what the user reads. */
export class ApiError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }
}

/** Supplies a fresh bearer token before every call (keycloak-js refreshes it when it is about to expire). */
export type TokenSource = () => Promise<string>;

let tokenSource: TokenSource = async () => '';

export function setTokenSource(source: TokenSource): void {
  tokenSource = source;
}

export function bearerToken(): Promise<string> {
  return tokenSource();
}

/** Turns any failed response into a Problem, also when a proxy answered with HTML or nothing. */
export async function problemOf(response: Response): Promise<Problem> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as Partial<Problem>;
    if (body && typeof body === 'object') {
      return { ...body, status: body.status ?? response.status } as Problem;
    }
  } catch {
    // not JSON: fall through
  }
  return { status: response.status, title: response.statusText || `HTTP ${response.status}`, detail: text.slice(0, 300) || undefined };
}

export const API = '/api/v1';

export async function request(path: string, init: RequestInit = {}): Promise<Response> {
  const token = await bearerToken();
  const headers = new Headers(init.headers);
  if (token) headers.set('Authorization', `Bearer ${token}`);
  if (init.body !== undefined && typeof init.body === 'string') headers.set('Content-Type', 'application/json');
  let response: Response;
  try {
    response = await fetch(path.startsWith('/') ? path : `${API}/${path}`, { ...init, headers });
  } catch (e) {
    throw new ApiError({ status: 0, title: 'Network error', detail: `The control plane could not be reached (${String(e)}).` });
  }
  if (!response.ok) throw new ApiError(await problemOf(response));
  return response;
}

export async function getJson<T>(path: string): Promise<T> {
  return (await request(path)).json() as Promise<T>;
}

/** One page of a listing and how many items match in all (the X-Total-Count header). */
export interface Page<T> {
  items: T[];
  total: number;
}

export async function getPage<T>(path: string): Promise<Page<T>> {
  const response = await request(path);
  const items = (await response.json()) as T[];
  const header = Number(response.headers.get('X-Total-Count'));
  return { items, total: response.headers.has('X-Total-Count') && Number.isFinite(header) ? header : items.length };
}

export async function sendJson<T>(method: 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
  const response = await request(path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  return (response.status === 204 ? undefined : response.json()) as Promise<T>;
}

export async function remove(path: string): Promise<void> {
  await request(path, { method: 'DELETE' });
}

/** Query string of the set values; arrays become repeated parameters. */
export function query(params: Record<string, string | number | string[] | undefined>): string {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (Array.isArray(value)) value.forEach((v) => q.append(key, v));
    else if (value !== undefined && value !== '') q.set(key, String(value));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

export const seg = encodeURIComponent;
