import { ApiError, bearerToken, problemOf, remove, sendJson, type Problem } from './http';
import type { Artifact } from './types';

export interface UploadProgressEvent {
  loaded: number;
  total: number;
}

export interface UploadHandle {
  done: Promise<Artifact>;
  cancel: () => void;
}

export class UploadCancelled extends Error {
  constructor() {
    super('Upload cancelled');
  }
}

/** What the control plane answers to the start of an upload in parts. */
export interface PartPlan {
  uploadId: string;
  partSize: number;
  parts: number;
}

/** One request in flight: its answer's body, and a way to stop it. */
export interface Sending {
  done: Promise<string>;
  cancel: () => void;
}

/** The requests of an upload in parts; a fake one in tests. */
export interface PartTransport {
  start(size: number): Promise<PartPlan>;
  /** Sends part `part` (from 1); `onProgress` gets the part's bytes sent so far. */
  part(uploadId: string, part: number, body: Blob, onProgress: (loaded: number) => void): Sending;
  complete(uploadId: string): Promise<Artifact>;
  abort(uploadId: string): Promise<void>;
}

/**
 * Parts in flight at once. One: on the benchmark machine (2 cores, docs/benchmarks.md "Console")
 * more requests at once did not upload faster (chromium spends the same CPU per byte however
 * many requests carry them, and competes with the control plane's hashing for the same cores),
 * while the server must read back and digest the parts that arrive ahead of the first missing
 * one; one at a time, every part is digested on its way in and completing answers at once.
 */
export const PARTS_IN_FLIGHT = 1;

/**
 * Uploads the file in parts, `inFlight` requests at a time, each part a File.slice the browser
 * streams from disk (the file is never read into memory). Progress is the sum over the parts.
 * A part that fails is sent once more; if it fails again, the other parts are stopped, the upload
 * is cancelled on the server and the part's problem is the error. Cancelling stops every request
 * in flight and cancels the upload on the server, which frees what it received.
 */
export function uploadInParts(
  file: Blob,
  transport: PartTransport,
  onProgress: (e: UploadProgressEvent) => void,
  inFlight = PARTS_IN_FLIGHT,
): UploadHandle {
  const inFlightNow = new Set<Sending>();
  let cancelled = false;
  let uploadId: string | undefined;
  let failed: unknown;
  let wake: (() => void) | undefined;
  const stopped = new Promise<void>((resolve) => (wake = resolve));

  /** Frees what the server received; best effort, the server drops abandoned uploads itself. */
  const abortQuietly = () => {
    if (uploadId) void transport.abort(uploadId).catch(() => undefined);
  };

  const stopAll = () => {
    inFlightNow.forEach((s) => s.cancel());
    inFlightNow.clear();
    wake?.();
  };

  const sendOnce = (id: string, part: number, body: Blob, loaded: number[]) => {
    const sending = transport.part(id, part, body, (n) => {
      loaded[part - 1] = n;
      onProgress({ loaded: loaded.reduce((a, b) => a + b, 0), total: file.size });
    });
    inFlightNow.add(sending);
    return sending.done.finally(() => inFlightNow.delete(sending));
  };

  const sendPart = async (id: string, part: number, plan: PartPlan, loaded: number[]) => {
    // A part that is the whole file goes as the file itself: chromium sends a File straight from
    // disk, a slice of one through more copies (about twice its CPU per byte, docs/benchmarks.md).
    const body = plan.parts === 1 ? file : file.slice((part - 1) * plan.partSize, Math.min(file.size, part * plan.partSize));
    try {
      await sendOnce(id, part, body, loaded);
    } catch (e) {
      if (cancelled || failed !== undefined || e instanceof UploadCancelled) throw e;
      loaded[part - 1] = 0;
      await sendOnce(id, part, body, loaded); // once more: a dropped connection should not cost the whole upload
    }
    loaded[part - 1] = body.size;
  };

  const run = async (): Promise<Artifact> => {
    const plan = await transport.start(file.size);
    uploadId = plan.uploadId;
    if (cancelled) {
      abortQuietly();
      throw new UploadCancelled();
    }
    const loaded = new Array<number>(plan.parts).fill(0);
    let next = 1;
    const worker = async () => {
      while (next <= plan.parts && !cancelled && failed === undefined) {
        const part = next++;
        try {
          await sendPart(plan.uploadId, part, plan, loaded);
        } catch (e) {
          if (!cancelled && failed === undefined) {
            failed = e;
            stopAll();
          }
        }
      }
    };
    // A cancel settles the race at once; the requests it stopped finish on their own.
    await Promise.race([Promise.all(Array.from({ length: Math.min(inFlight, plan.parts) }, worker)), stopped]);
    if (cancelled) throw new UploadCancelled();
    if (failed !== undefined) {
      abortQuietly();
      throw failed;
    }
    onProgress({ loaded: file.size, total: file.size });
    return transport.complete(plan.uploadId);
  };

  const done = run();
  return {
    done,
    cancel: () => {
      if (cancelled) return;
      cancelled = true;
      stopAll();
      abortQuietly(); // before the server answered the start: run() does it once it has
    },
  };
}

/** The control plane's upload in parts for the artifact at `url` (…/artifacts/{file}). */
export function partsTo(url: string): PartTransport {
  return {
    start: (size) => sendJson<PartPlan>('POST', `${url}/uploads`, { size }),
    part: (uploadId, part, body, onProgress) => {
      let sending: Sending | undefined;
      let cancelledEarly = false;
      const done = bearerToken().then((token) => {
        if (cancelledEarly) throw new UploadCancelled();
        sending = send('PUT', `${url}/uploads/${encodeURIComponent(uploadId)}/parts/${part}`, body, token, onProgress);
        return sending.done;
      });
      return {
        done,
        cancel: () => {
          cancelledEarly = true;
          sending?.cancel();
        },
      };
    },
    complete: (uploadId) => sendJson<Artifact>('POST', `${url}/uploads/${encodeURIComponent(uploadId)}/complete`),
    abort: (uploadId) => remove(`${url}/uploads/${encodeURIComponent(uploadId)}`),
  };
}

/**
 * Sends the body with XMLHttpRequest.send(Blob): the browser streams it from disk (fetch() has
 * no upload progress). The browser sets Content-Length, which the control plane requires.
 */
export function send(method: string, url: string, body: Blob, token: string, onProgress: (loaded: number) => void): Sending {
  const xhr = new XMLHttpRequest();
  const done = new Promise<string>((resolve, reject) => {
    xhr.open(method, url);
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(body.size);
        resolve(xhr.responseText);
      } else {
        problemOf(new Response(xhr.responseText, { status: xhr.status, statusText: xhr.statusText }))
          .then((p: Problem) => reject(new ApiError(p)))
          .catch(() => reject(new ApiError({ status: xhr.status })));
      }
    };
    xhr.onerror = () => reject(new ApiError({ status: 0, title: 'Network error', detail: 'The upload was cut off before the control plane answered.' }));
    xhr.onabort = () => reject(new UploadCancelled());
    xhr.send(body);
  });
  return { done, cancel: () => xhr.abort() };
}

/** Bytes per second over the last few seconds, so the time left follows the current rate. */
export class RateMeter {
  private samples: { at: number; loaded: number }[] = [];

  constructor(private readonly windowMs = 3000) {}

  add(at: number, loaded: number): number {
    this.samples.push({ at, loaded });
    while (this.samples.length > 2 && at - this.samples[0].at > this.windowMs) this.samples.shift();
    const first = this.samples[0];
    const seconds = (at - first.at) / 1000;
    return seconds > 0 ? (loaded - first.loaded) / seconds : 0;
  }
}
