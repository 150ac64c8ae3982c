import { describe, expect, it, vi } from 'vitest';
import { ApiError } from './http';
import type { Artifact } from './types';
import { UploadCancelled, uploadInParts, type PartTransport, type UploadProgressEvent } from './upload';

/** One part request the test answers. */
interface FakePart {
  part: number;
  body: Blob;
  progress: (loaded: number) => void;
  succeed: () => void;
  fail: (e: unknown) => void;
  cancelled: boolean;
}

/** The control plane's side of an upload in parts, answered by the test. */
function fakeServer(partSize: number, parts: number) {
  const sent: FakePart[] = [];
  const aborted: string[] = [];
  const artifact = { name: 'app.bin' } as Artifact;
  const transport: PartTransport = {
    start: vi.fn(async () => ({ uploadId: 'u1', partSize, parts })),
    part: (_id, part, body, progress) => {
      let succeed!: () => void;
      let fail!: (e: unknown) => void;
      const done = new Promise<string>((resolve, reject) => {
        succeed = () => resolve('{}');
        fail = reject;
      });
      const entry: FakePart = { part, body, progress, succeed, fail, cancelled: false };
      sent.push(entry);
      return {
        done,
        cancel: () => {
          entry.cancelled = true;
          fail(new UploadCancelled());
        },
      };
    },
    complete: vi.fn(async () => artifact),
    abort: vi.fn(async (id: string) => {
      aborted.push(id);
    }),
  };
  return { transport, sent, aborted, artifact };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

function file(size: number): Blob {
  return new Blob([new Uint8Array(size)]);
}

describe('uploadInParts', () => {
  it('sends every part as a slice of the file, at most as many at a time as asked, then completes', async () => {
    const server = fakeServer(10, 6);
    const progress: UploadProgressEvent[] = [];
    const handle = uploadInParts(file(55), server.transport, (e) => progress.push(e), 4);
    await tick();
    expect(server.sent.map((p) => p.part)).toEqual([1, 2, 3, 4]);
    expect(server.sent.map((p) => p.body.size)).toEqual([10, 10, 10, 10]);

    server.sent[0].progress(4);
    server.sent[2].progress(6);
    expect(progress.at(-1)).toEqual({ loaded: 10, total: 55 });

    for (const p of server.sent.slice(0, 4)) p.succeed();
    await tick();
    expect(server.sent.map((p) => p.part)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(server.sent[5].body.size).toBe(5);
    expect(server.transport.complete).not.toHaveBeenCalled();

    server.sent[4].succeed();
    server.sent[5].succeed();
    await expect(handle.done).resolves.toBe(server.artifact);
    expect(server.transport.complete).toHaveBeenCalledWith('u1');
    expect(progress.at(-1)).toEqual({ loaded: 55, total: 55 });
    expect(server.aborted).toEqual([]);
  });

  it('sends one part at a time by default, and a file of one part as the file itself', async () => {
    const server = fakeServer(10, 3);
    const handle = uploadInParts(file(25), server.transport, () => undefined);
    await tick();
    expect(server.sent.map((p) => p.part)).toEqual([1]);
    server.sent[0].succeed();
    await tick();
    expect(server.sent.map((p) => p.part)).toEqual([1, 2]);
    server.sent[1].succeed();
    await tick();
    server.sent[2].succeed();
    await expect(handle.done).resolves.toBe(server.artifact);

    const small = fakeServer(10, 1);
    const whole = file(7);
    const one = uploadInParts(whole, small.transport, () => undefined);
    await tick();
    expect(small.sent[0].body).toBe(whole);
    small.sent[0].succeed();
    await expect(one.done).resolves.toBe(small.artifact);
  });

  it('sends a failed part once more, and its progress starts again', async () => {
    const server = fakeServer(10, 2);
    const progress: UploadProgressEvent[] = [];
    const handle = uploadInParts(file(20), server.transport, (e) => progress.push(e), 4);
    await tick();
    server.sent[0].progress(8);
    server.sent[0].fail(new ApiError({ status: 0, detail: 'cut off' }));
    await tick();
    expect(server.sent.map((p) => p.part)).toEqual([1, 2, 1]);
    server.sent[2].progress(1);
    expect(progress.at(-1)).toEqual({ loaded: 1, total: 20 });
    server.sent[1].succeed();
    server.sent[2].succeed();
    await expect(handle.done).resolves.toBe(server.artifact);
  });

  it('gives up when a part fails twice: the other parts stop, the upload is cancelled and the problem shown', async () => {
    const server = fakeServer(10, 3);
    const handle = uploadInParts(file(30), server.transport, () => undefined, 4);
    await tick();
    server.sent[1].fail(new ApiError({ status: 500, detail: 'first' }));
    await tick();
    server.sent[3].fail(new ApiError({ status: 409, detail: 'Release office-suite 2.4.1 is published.' }));
    await expect(handle.done).rejects.toThrow('Release office-suite 2.4.1 is published.');
    expect(server.sent[0].cancelled).toBe(true);
    expect(server.sent[2].cancelled).toBe(true);
    expect(server.aborted).toEqual(['u1']);
    expect(server.transport.complete).not.toHaveBeenCalled();
  });

  it('cancels: every request in flight is stopped and the upload is cancelled on the server', async () => {
    const server = fakeServer(10, 8);
    const handle = uploadInParts(file(80), server.transport, () => undefined, 4);
    await tick();
    handle.cancel();
    await expect(handle.done).rejects.toBeInstanceOf(UploadCancelled);
    expect(server.sent).toHaveLength(4);
    expect(server.sent.every((p) => p.cancelled)).toBe(true);
    expect(server.aborted).toEqual(['u1']);
    await tick();
    expect(server.sent).toHaveLength(4); // no part starts after the cancel
    expect(server.transport.complete).not.toHaveBeenCalled();
  });

  it('cancelled before the server answered the start: the upload it then creates is cancelled too', async () => {
    const server = fakeServer(10, 2);
    const handle = uploadInParts(file(20), server.transport, () => undefined, 4);
    handle.cancel();
    await expect(handle.done).rejects.toBeInstanceOf(UploadCancelled);
    expect(server.sent).toHaveLength(0);
    expect(server.aborted).toEqual(['u1']);
  });
});
