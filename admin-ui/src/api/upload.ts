import { ApiError, problemOf, type Problem } from './http';
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

/**
 * PUTs the file with XMLHttpRequest.send(File): the browser streams it from disk, so a 10 GB
 * artifact never sits in memory (fetch() has no upload progress, and a Blob read into an
 * ArrayBuffer would). The browser sets Content-Length, which the endpoint requires.
 */
export function uploadFile(url: string, file: File, token: string, onProgress: (e: UploadProgressEvent) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<Artifact>((resolve, reject) => {
    xhr.open('PUT', url);
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress({ loaded: file.size, total: file.size });
        resolve(JSON.parse(xhr.responseText) as Artifact);
      } else {
        problemOf(new Response(xhr.responseText, { status: xhr.status, statusText: xhr.statusText }))
          .then((p: Problem) => reject(new ApiError(p)))
          .catch(() => reject(new ApiError({ status: xhr.status })));
      }
    };
    xhr.onerror = () => reject(new ApiError({ status: 0, title: 'Network error', detail: 'The upload was cut off before the control plane answered.' }));
    xhr.onabort = () => reject(new UploadCancelled());
    xhr.send(file);
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
