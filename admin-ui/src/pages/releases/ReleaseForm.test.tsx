import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderPage, stubApi } from '../../testing/render';
import { ReleaseForm } from './ReleaseForm';
import { EMPTY_RELEASE, toRequest, validateRelease } from './releaseForm';

describe('release form rules', () => {
  it('needs a version in the API rule', () => {
    expect(validateRelease(EMPTY_RELEASE).version).toBe('A version is required');
    expect(validateRelease({ ...EMPTY_RELEASE, version: '-2.4' }).version).toMatch(/starting with a letter or digit/);
    expect(validateRelease({ ...EMPTY_RELEASE, version: '2.4.1+build.7' })).toEqual({});
  });

  it('takes only archives it can unpack and timeouts from 1 s to a day', () => {
    const v = { ...EMPTY_RELEASE, version: '1.0' };
    expect(validateRelease({ ...v, archive: 'setup.exe' }).archive).toBe('Must end in .zip, .tar.gz or .tgz');
    expect(validateRelease({ ...v, archive: 'app.tar.gz' }).archive).toBeUndefined();
    expect(validateRelease({ ...v, timeoutSeconds: '0' }).timeoutSeconds).toBeDefined();
    expect(validateRelease({ ...v, timeoutSeconds: '86401' }).timeoutSeconds).toBeDefined();
    expect(validateRelease({ ...v, timeoutSeconds: '1.5' }).timeoutSeconds).toBeDefined();
    expect(validateRelease({ ...v, timeoutSeconds: '600' }).timeoutSeconds).toBeUndefined();
    expect(validateRelease({ ...v, command: Array(65).fill('x').join('\n') }).command).toBe('At most 64 arguments');
  });

  it('sends one argv entry per line and no install section when it is empty', () => {
    expect(toRequest({ ...EMPTY_RELEASE, version: '1.0' })).toEqual({ version: '1.0', notes: undefined, install: undefined });
    expect(toRequest({ ...EMPTY_RELEASE, version: '1.0', command: './install.sh\n --quiet \n\n', timeoutSeconds: '600' }).install).toEqual({
      archive: undefined,
      command: ['./install.sh', '--quiet'],
      timeoutSeconds: 600,
      healthCheck: undefined,
    });
  });
});

describe('ReleaseForm', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('marks a bad field while typing and creates only a valid release', async () => {
    const fetchMock = stubApi({});
    fetchMock.mockImplementationOnce(async () => new Response(JSON.stringify({ version: '2.4.1', state: 'DRAFT', artifacts: [] }), { status: 201 }));
    const onCreated = vi.fn();
    renderPage(<ReleaseForm product="office-suite" onCreated={onCreated} onClose={vi.fn()} />, { roles: ['starling-publisher'] });
    const create = screen.getByRole('button', { name: 'Create draft' });
    expect(create).toBeDisabled();

    await userEvent.type(screen.getByLabelText(/Version/), '2.4.1');
    await userEvent.type(screen.getByLabelText(/Archive/), 'setup.exe');
    expect(screen.getByText('Must end in .zip, .tar.gz or .tgz')).toBeInTheDocument();
    expect(create).toBeDisabled();

    await userEvent.clear(screen.getByLabelText(/Archive/));
    await userEvent.type(screen.getByLabelText(/Archive/), 'office.tar.gz');
    await userEvent.type(screen.getByLabelText(/Install command/), './install.sh{enter}--quiet');
    expect(create).toBeEnabled();
    await userEvent.click(create);

    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/products/office-suite/releases');
    expect(JSON.parse(init.body as string)).toEqual({ version: '2.4.1', install: { archive: 'office.tar.gz', command: ['./install.sh', '--quiet'] } });
  });

  it('keeps the form and shows the API refusal', async () => {
    const fetchMock = stubApi({});
    fetchMock.mockImplementationOnce(
      async () => new Response(JSON.stringify({ status: 409, title: 'Conflict', detail: 'Release office-suite 2.4.1 exists.' }), { status: 409 }),
    );
    renderPage(<ReleaseForm product="office-suite" onCreated={vi.fn()} onClose={vi.fn()} />, { roles: ['starling-admin'] });
    await userEvent.type(screen.getByLabelText(/Version/), '2.4.1');
    await userEvent.click(screen.getByRole('button', { name: 'Create draft' }));
    expect(await screen.findByText('Release office-suite 2.4.1 exists.')).toBeInTheDocument();
    expect(screen.getByLabelText(/Version/)).toHaveValue('2.4.1');
  });
});
