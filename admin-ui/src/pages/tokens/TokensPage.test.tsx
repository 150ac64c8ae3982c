import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderPage, stubApi } from '../../testing/render';
import TokensPage from './TokensPage';

const created = {
  id: '0b6c7f7e-5d1a-4a47-9a43-0f3e2c1d9b21',
  token: 'q0N8b1d9mXo6T2yJ4rVw3kPz7sLh5GfE1cAa9uYiQeR',
  usesTotal: 5,
  usesLeft: 5,
  expiresAt: '2026-12-04T10:00:00Z',
  labels: ['floor-3'],
  status: 'ACTIVE',
  createdAt: '2026-11-27T10:00:00Z',
  createdBy: 'admin',
};

const key = {
  keyId: '4be7c1a0d2e3f456',
  algorithm: 'Ed25519',
  active: true,
  fingerprint: '4be7c1a0d2e3f4561f0c9a7b3d2e8f10a4b6c8d0e2f4a6b8c0d2e4f6a8b0c2d4',
  publicKeyPem: '-----BEGIN PUBLIC KEY-----\n…\n-----END PUBLIC KEY-----\n',
};

const keySet = {
  version: 1733480000,
  rootKeyId: '9f2c4e6a8b0d1f3e',
  rootFingerprint: '5d0c2b7e9a41f36c8e2d1b0a9f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6',
  expiresAt: '2027-12-06T10:00:00Z',
  trusted: [key.keyId],
  revoked: [],
  signingKeyId: key.keyId,
};

describe('TokensPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  /**
   * Creates a token for 5 machines labelled floor-3 in the dialog, against a control plane whose
   * key-set summary answers `keySetAnswer` (a 404 problem: no offline root has signed a key set).
   */
  async function createToken(keySetAnswer: Response) {
    const fetchMock = stubApi({ '/api/v1/enrollment-tokens': [], '/api/v1/sites': [] });
    fetchMock.mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) =>
      init?.method === 'POST'
        ? new Response(JSON.stringify(created), { status: 201 })
        : String(input).includes('key-set/summary')
          ? keySetAnswer.clone()
          : String(input).includes('signing-keys')
            ? new Response(JSON.stringify([key]), { status: 200 })
            : new Response(JSON.stringify(String(input).includes('sites') ? [] : [{ ...created, token: undefined }]), { status: 200 }),
    );
    renderPage(<TokensPage />, { roles: ['starling-admin'], path: '/tokens', route: '/tokens' });
    await userEvent.click(await screen.findByRole('button', { name: 'Create token' }));
    await userEvent.clear(screen.getByLabelText(/Machines that may enroll/));
    await userEvent.type(screen.getByLabelText(/Machines that may enroll/), '5');
    await userEvent.type(screen.getByLabelText('Labels'), 'floor-3');
    await userEvent.click(screen.getByRole('button', { name: 'Create' }));
    expect(await screen.findByText('Copy it now: it is shown only this once.')).toBeInTheDocument();
    expect(screen.getByDisplayValue(created.token)).toBeInTheDocument();
    return fetchMock;
  }

  const enroll = `java -jar starling-agent-runner.jar enroll --server ${window.location.origin} --token ${created.token}`;

  it('shows a new token once, with the enroll command ready to paste and the signing key pinned', async () => {
    const noKeySet = new Response(JSON.stringify({ status: 404, title: 'Not Found', detail: 'No key set yet' }), {
      status: 404,
      headers: { 'Content-Type': 'application/problem+json' },
    });
    const fetchMock = await createToken(noKeySet);
    expect(await screen.findByDisplayValue(`${enroll} --manifest-key-fingerprint ${key.fingerprint}`)).toBeInTheDocument();
    expect(screen.getByText(key.fingerprint)).toBeInTheDocument();
    const post = fetchMock.mock.calls.find((c) => (c[1] as RequestInit | undefined)?.method === 'POST');
    expect(JSON.parse((post![1] as RequestInit).body as string)).toEqual({ uses: 5, expiresInSeconds: 86400, labels: ['floor-3'] });

    await userEvent.click(screen.getByRole('button', { name: 'Done' }));
    await waitFor(() => expect(screen.queryByDisplayValue(created.token)).not.toBeInTheDocument());
  });

  it('pins the offline root instead of the manifest keys when a key set signed by it is in force', async () => {
    await createToken(new Response(JSON.stringify(keySet), { status: 200 }));
    expect(await screen.findByDisplayValue(`${enroll} --root-key-fingerprint ${keySet.rootFingerprint}`)).toBeInTheDocument();
    expect(screen.getByText(keySet.rootFingerprint)).toBeInTheDocument();
    expect(screen.queryByText(key.fingerprint)).not.toBeInTheDocument();
  });

  it('a viewer sees the tokens but cannot create or revoke them', async () => {
    stubApi({ '/api/v1/enrollment-tokens': [{ ...created, token: undefined }] });
    renderPage(<TokensPage />, { roles: ['starling-viewer'], path: '/tokens', route: '/tokens' });
    expect(await screen.findByText('5 of 5')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Create token' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Revoke' })).not.toBeInTheDocument();
  });
});
