import { afterEach, describe, expect, it, vi } from 'vitest';
import { setTokenSource } from './http';
import { followEvents, readEvents, type SseEvent, type StreamStatus } from './sse';

/** A body that arrives in these chunks, then ends (or stays open when `open`). */
function body(chunks: string[], open = false): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      chunks.forEach((c) => controller.enqueue(encoder.encode(c)));
      if (!open) controller.close();
    },
  });
}

async function all(stream: ReadableStream<Uint8Array>): Promise<SseEvent[]> {
  const out: SseEvent[] = [];
  for await (const e of readEvents(stream)) out.push(e);
  return out;
}

const sse = (chunks: string[], open = false) => new Response(body(chunks, open), { status: 200, headers: { 'Content-Type': 'text/event-stream' } });

describe('readEvents', () => {
  it('gives the events in order with their type, id and data, whatever the chunking', async () => {
    const events = await all(
      body([
        ': connected\n\n',
        'id: 4711\nevent: deployment\nda',
        'ta: {"to":"FAILED"}\n\n',
        ': keep-alive\n\n',
        'id: 4712\r\nevent: summary\r\ndata: {"state":"RUNNING"}\r\n\r\n',
        'data: first line\ndata: second line\n\n',
      ]),
    );
    expect(events).toEqual([
      { id: '4711', type: 'deployment', data: '{"to":"FAILED"}' },
      { id: '4712', type: 'summary', data: '{"state":"RUNNING"}' },
      // no id of its own: the last one seen, as EventSource reports it; no event field: "message"
      { id: '4712', type: 'message', data: 'first line\nsecond line' },
    ]);
  });

  it('keeps a character split between chunks whole and drops an event cut off by the end', async () => {
    const bytes = new TextEncoder().encode('data: größer\n\ndata: cut off');
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes.slice(0, 10)); // inside "ö"
        c.enqueue(bytes.slice(10));
        c.close();
      },
    });
    expect(await all(stream)).toEqual([{ id: undefined, type: 'message', data: 'größer' }]);
  });

  it('handles a CR line end split from its LF', async () => {
    expect(await all(body(['data: a\r', '\n\r', '\n']))).toEqual([{ id: undefined, type: 'message', data: 'a' }]);
  });
});

describe('followEvents', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    setTokenSource(async () => '');
  });

  it('sends the bearer token and, on reconnecting, the id of the last event it got', async () => {
    setTokenSource(async () => 'tok');
    const abort = new AbortController();
    const seen: string[] = [];
    const statuses: StreamStatus[] = [];
    const fetchMock = vi
      .fn()
      .mockResolvedValueOnce(sse(['id: 7\nevent: wave\ndata: {}\n\n', 'id: 8\nevent: summary\ndata: {}\n\n'])) // then the server closes
      .mockRejectedValueOnce(new TypeError('network down'))
      .mockResolvedValueOnce(sse(['id: 9\nevent: deployment\ndata: {}\n\n'], true)); // stays open until the page leaves
    vi.stubGlobal('fetch', fetchMock);

    await followEvents({
      url: '/api/v1/rollouts/r1/events',
      onEvent: (e) => {
        seen.push(`${e.id} ${e.type}`);
        if (e.id === '9') abort.abort();
      },
      onStatus: (s) => statuses.push(s),
      signal: abort.signal,
      retryMs: 1,
    });

    const headers = fetchMock.mock.calls.map((c) => (c[1] as RequestInit).headers as Headers);
    expect(headers[0].get('Authorization')).toBe('Bearer tok');
    expect(headers[0].get('Last-Event-ID')).toBeNull();
    expect(headers[1].get('Last-Event-ID')).toBe('8');
    expect(headers[2].get('Last-Event-ID')).toBe('8');
    expect(seen).toEqual(['7 wave', '8 summary', '9 deployment']);
    expect(statuses).toEqual(['connecting', 'live', 'reconnecting', 'reconnecting', 'live']);
  });

  it('gives up at once when the stream is refused, so that the page polls', async () => {
    const statuses: StreamStatus[] = [];
    const fetchMock = vi.fn().mockResolvedValue(new Response('{"status":404}', { status: 404 }));
    vi.stubGlobal('fetch', fetchMock);
    await followEvents({ url: '/x', onEvent: () => {}, onStatus: (s) => statuses.push(s), signal: new AbortController().signal, retryMs: 1 });
    expect(statuses).toEqual(['connecting', 'failed']);
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('gives up after the attempts in a row that did not open a stream', async () => {
    const statuses: StreamStatus[] = [];
    const fetchMock = vi.fn().mockImplementation(async () => new Response('bad gateway', { status: 502 }));
    vi.stubGlobal('fetch', fetchMock);
    await followEvents({ url: '/x', onEvent: () => {}, onStatus: (s) => statuses.push(s), signal: new AbortController().signal, retryMs: 1, maxAttempts: 3 });
    expect(fetchMock).toHaveBeenCalledTimes(3);
    expect(statuses.at(-1)).toBe('failed');
  });
});
