import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ArtifactUploader } from './ArtifactUploader';

/** Stands in for XMLHttpRequest: the test decides when bytes move and how the server answers. */
class FakeXhr {
  static last: FakeXhr;
  static all: FakeXhr[] = [];
  method = '';
  url = '';
  headers: Record<string, string> = {};
  sent: unknown;
  status = 0;
  statusText = '';
  responseText = '';
  aborted = false;
  upload: { onprogress?: (e: { loaded: number; total: number; lengthComputable: boolean }) => void } = {};
  onload?: () => void;
  onerror?: () => void;
  onabort?: () => void;

  constructor() {
    FakeXhr.last = this;
    FakeXhr.all.push(this);
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: unknown) {
    this.sent = body;
  }
  abort() {
    this.aborted = true;
    this.onabort?.();
  }
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ loaded, total, lengthComputable: true });
  }
  answer(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}

const MB = 1_000_000;

function bigFile(name: string, size: number): File {
  const file = new File(['x'], name);
  Object.defineProperty(file, 'size', { value: size });
  return file;
}

const PART = 64 * 1024 * 1024;

/** The control plane's JSON answers around the parts: start, complete, cancel. */
function fakeApi(completeAnswer: () => Response = () => Response.json({ name: 'small.zip', size: 2 * MB }, { status: 201 })) {
  const calls: string[] = [];
  const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    calls.push(`${method} ${url}`);
    if (method === 'POST' && url.endsWith('/uploads')) {
      const { size } = JSON.parse(String(init?.body)) as { size: number };
      return Response.json({ uploadId: 'u1', partSize: PART, parts: Math.ceil(size / PART) }, { status: 201 });
    }
    if (method === 'POST' && url.endsWith('/complete')) return completeAnswer();
    return new Response(null, { status: 204 });
  });
  vi.stubGlobal('fetch', fetchMock);
  return calls;
}

describe('ArtifactUploader', () => {
  beforeEach(() => {
    FakeXhr.all = [];
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
  });
  afterEach(() => vi.unstubAllGlobals());

  async function drop(file: File, parts = 1) {
    const onUploaded = vi.fn();
    render(<ArtifactUploader product="office-suite" version="2.4.1" onUploaded={onUploaded} />);
    fireEvent.drop(screen.getByTestId('drop-zone'), { dataTransfer: { files: [file] } });
    await waitFor(() => expect(FakeXhr.all).toHaveLength(parts));
    return onUploaded;
  }

  const ARTIFACT = '/api/v1/products/office-suite/releases/2.4.1/artifacts/office-suite-2.4.1.tar.gz';

  it('streams the dropped file in parts, one after the other, and shows how far they got together', async () => {
    const calls = fakeApi();
    const file = bigFile('office-suite-2.4.1.tar.gz', 300 * MB);
    await drop(file, 1);
    expect(calls).toEqual([`POST ${ARTIFACT}/uploads`]);
    expect(FakeXhr.all.map((x) => `${x.method} ${x.url}`)).toEqual([`PUT ${ARTIFACT}/uploads/u1/parts/1`]);
    expect(FakeXhr.all[0].sent).toBeInstanceOf(Blob);

    FakeXhr.all[0].progress(75 * MB, PART);
    expect(await screen.findByText(/75 MB of 300 MB/)).toBeInTheDocument();
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '25');
    FakeXhr.all[0].answer(200, { part: 1, offset: 0, size: PART });
    await waitFor(() => expect(FakeXhr.all).toHaveLength(2));
    expect(FakeXhr.all[1].url).toBe(`${ARTIFACT}/uploads/u1/parts/2`);
  });

  it('cancels: the part in flight is aborted, the upload is cancelled on the server and the row says so', async () => {
    const calls = fakeApi();
    const onUploaded = await drop(bigFile('big.iso', 300 * MB), 1);
    FakeXhr.all[0].progress(10 * MB, PART);
    await userEvent.click(await screen.findByRole('button', { name: 'Cancel upload of big.iso' }));
    expect(FakeXhr.all.every((x) => x.aborted)).toBe(true);
    expect(await screen.findByText('Cancelled')).toBeInTheDocument();
    await waitFor(() => expect(calls).toContain('DELETE /api/v1/products/office-suite/releases/2.4.1/artifacts/big.iso/uploads/u1'));
    expect(screen.queryByRole('button', { name: /Cancel upload/ })).not.toBeInTheDocument();
    expect(onUploaded).not.toHaveBeenCalled();
  });

  it('tells the page when the file is stored', async () => {
    const calls = fakeApi();
    const onUploaded = await drop(bigFile('small.zip', 2 * MB));
    FakeXhr.last.answer(200, { part: 1, offset: 0, size: 2 * MB });
    await waitFor(() => expect(onUploaded).toHaveBeenCalled());
    expect(calls).toContain('POST /api/v1/products/office-suite/releases/2.4.1/artifacts/small.zip/uploads/u1/complete');
    expect(screen.getByText('2.0 MB uploaded')).toBeInTheDocument();
  });

  it('sends a failed part once more, then shows why the server refused it', async () => {
    fakeApi();
    await drop(bigFile('late.zip', 2 * MB));
    const problem = { status: 409, title: 'Conflict', detail: 'Release office-suite 2.4.1 is published: its files cannot change.' };
    FakeXhr.all[0].answer(409, problem);
    await waitFor(() => expect(FakeXhr.all).toHaveLength(2));
    FakeXhr.all[1].answer(409, problem);
    expect(await screen.findByText('Release office-suite 2.4.1 is published: its files cannot change.')).toBeInTheDocument();
  });

  it('shows why the server refused to complete the upload', async () => {
    fakeApi(() =>
      Response.json({ status: 400, detail: 'The artifact is not what was declared; nothing was stored.' }, { status: 400, headers: { 'Content-Type': 'application/problem+json' } }),
    );
    await drop(bigFile('bad.zip', 2 * MB));
    FakeXhr.last.answer(200, { part: 1, offset: 0, size: 2 * MB });
    expect(await screen.findByText('The artifact is not what was declared; nothing was stored.')).toBeInTheDocument();
  });
});
