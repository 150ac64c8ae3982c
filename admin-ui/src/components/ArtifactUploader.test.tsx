import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ArtifactUploader } from './ArtifactUploader';

/** Stands in for XMLHttpRequest: the test decides when bytes move and how the server answers. */
class FakeXhr {
  static last: FakeXhr;
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

describe('ArtifactUploader', () => {
  beforeEach(() => vi.stubGlobal('XMLHttpRequest', FakeXhr));
  afterEach(() => vi.unstubAllGlobals());

  async function drop(file: File) {
    const onUploaded = vi.fn();
    render(<ArtifactUploader product="office-suite" version="2.4.1" onUploaded={onUploaded} />);
    fireEvent.drop(screen.getByTestId('drop-zone'), { dataTransfer: { files: [file] } });
    await waitFor(() => expect(FakeXhr.last?.sent).toBe(file));
    return onUploaded;
  }

  it('streams the dropped file itself to the release, and shows how far it got', async () => {
    const file = bigFile('office-suite-2.4.1.tar.gz', 100 * MB);
    await drop(file);
    expect(FakeXhr.last.method).toBe('PUT');
    expect(FakeXhr.last.url).toBe('/api/v1/products/office-suite/releases/2.4.1/artifacts/office-suite-2.4.1.tar.gz');

    FakeXhr.last.progress(25 * MB, 100 * MB);
    expect(await screen.findByText(/25 MB of 100 MB/)).toBeInTheDocument();
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '25');
  });

  it('cancels: the request is aborted and the row says so', async () => {
    const onUploaded = await drop(bigFile('big.iso', 100 * MB));
    FakeXhr.last.progress(10 * MB, 100 * MB);
    await userEvent.click(await screen.findByRole('button', { name: 'Cancel upload of big.iso' }));
    expect(FakeXhr.last.aborted).toBe(true);
    expect(await screen.findByText('Cancelled')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Cancel upload/ })).not.toBeInTheDocument();
    expect(onUploaded).not.toHaveBeenCalled();
  });

  it('tells the page when the file is stored', async () => {
    const onUploaded = await drop(bigFile('small.zip', 2 * MB));
    FakeXhr.last.answer(201, { name: 'small.zip', size: 2 * MB });
    await waitFor(() => expect(onUploaded).toHaveBeenCalled());
    expect(screen.getByText('2.0 MB uploaded')).toBeInTheDocument();
  });

  it('shows why the server refused the upload', async () => {
    await drop(bigFile('late.zip', 2 * MB));
    FakeXhr.last.answer(409, { status: 409, title: 'Conflict', detail: 'Release office-suite 2.4.1 is published: its files cannot change.' });
    expect(await screen.findByText('Release office-suite 2.4.1 is published: its files cannot change.')).toBeInTheDocument();
  });
});
