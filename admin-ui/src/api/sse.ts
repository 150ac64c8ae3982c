import { bearerToken } from './http';

// Server-Sent Events over fetch: the control plane's feeds need the bearer token, which the
// browser's EventSource cannot send. About a hundred lines, so no dependency: the parser follows
// the WHATWG "event stream interpretation" rules, the loop resumes with Last-Event-ID as
// EventSource would.

export interface SseEvent {
  /** The id of the last event that had one, as EventSource reports it; undefined before any. */
  id?: string;
  /** The `event:` field, "message" when absent. */
  type: string;
  data: string;
}

/**
 * Reads an event stream into events, in order; comments (`: keep-alive`) and retry fields are
 * skipped. Ends with the stream, or when `signal` aborts (also for a body fetch does not tie to it).
 */
export async function* readEvents(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<SseEvent> {
  const reader = body.getReader();
  const stop = () => void reader.cancel().catch(() => {});
  signal?.addEventListener('abort', stop, { once: true });
  const decoder = new TextDecoder();
  let buffer = '';
  let lastId: string | undefined;
  let type = '';
  let data: string[] = [];
  let hasData = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return; // an event without its blank line is incomplete: dropped, as the spec says
      buffer += decoder.decode(value, { stream: true }); // a character split between chunks waits for its rest
      // Lines end with \r\n, \n or \r; a lone \r at the end may be the start of \r\n: wait for more.
      let match: RegExpExecArray | null;
      while ((match = /\r\n|\n|\r(?!$)/.exec(buffer)) !== null) {
        const line = buffer.slice(0, match.index);
        buffer = buffer.slice(match.index + match[0].length);
        if (line === '') {
          if (hasData) yield { id: lastId, type: type || 'message', data: data.join('\n') };
          type = '';
          data = [];
          hasData = false;
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'data') {
          data.push(value);
          hasData = true;
        } else if (field === 'event') type = value;
        else if (field === 'id' && !value.includes('\0')) lastId = value;
      }
    }
  } finally {
    signal?.removeEventListener('abort', stop);
    reader.releaseLock();
  }
}

export type StreamStatus = 'connecting' | 'live' | 'reconnecting' | 'failed';

export interface FollowOptions {
  url: string;
  onEvent: (event: SseEvent) => void;
  onStatus: (status: StreamStatus) => void;
  signal: AbortSignal;
  /** Pause before reconnecting; doubled after each failed attempt, up to 8 times it. */
  retryMs?: number;
  /** Consecutive attempts that do not open a stream before giving up ('failed'). */
  maxAttempts?: number;
  /** Where to resume, as a Last-Event-ID; later ids come from the stream. */
  lastEventId?: string;
}

/**
 * Follows a stream until aborted: reports 'live' once open, 'reconnecting' when it breaks and
 * reconnects with the last event id seen, 'failed' (and returns) after maxAttempts attempts in a
 * row that did not open, or at once on a refusal (4xx: asking again will not help).
 */
export async function followEvents(options: FollowOptions): Promise<void> {
  const { url, onEvent, onStatus, signal, retryMs = 1000, maxAttempts = 4 } = options;
  let lastEventId = options.lastEventId;
  let failures = 0;
  onStatus('connecting');
  while (!signal.aborted) {
    try {
      const headers = new Headers({ Accept: 'text/event-stream' });
      const token = await bearerToken();
      if (token) headers.set('Authorization', `Bearer ${token}`);
      if (lastEventId !== undefined) headers.set('Last-Event-ID', lastEventId);
      const response = await fetch(url, { headers, signal, cache: 'no-store' });
      if (response.status >= 400 && response.status < 500) {
        onStatus('failed');
        return;
      }
      if (!response.ok || !response.body || !response.headers.get('Content-Type')?.startsWith('text/event-stream')) {
        throw new Error(`HTTP ${response.status}`);
      }
      failures = 0;
      onStatus('live');
      for await (const event of readEvents(response.body, signal)) {
        if (event.id !== undefined) lastEventId = event.id;
        onEvent(event);
      }
    } catch {
      if (signal.aborted) return;
      failures++;
    }
    if (signal.aborted) return;
    if (failures >= maxAttempts) {
      onStatus('failed');
      return;
    }
    onStatus('reconnecting');
    await sleep(retryMs * 2 ** Math.min(failures, 3), signal);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
