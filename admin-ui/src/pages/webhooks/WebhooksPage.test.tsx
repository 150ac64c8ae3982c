import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Delivery, Webhook } from '../../api/webhooks';
import { visibleSections } from '../../components/AppShell';
import { renderPage, stubApi } from '../../testing/render';
import WebhooksPage from './WebhooksPage';

const hook: Webhook = {
  id: '3f0c2a51-9d4e-4b7a-8e21-6c5d4f3b2a10',
  url: 'https://chat.example.com/hooks/rollouts',
  events: ['rollout', 'wave'],
  secretSet: true,
  createdAt: '2026-12-06T09:00:00Z',
  createdBy: 'admin',
};
const deliveries: Delivery[] = [
  { id: 'd2', eventType: 'ping', eventId: null, state: 'PENDING', attempts: 2, lastStatus: 502, lastError: 'HTTP 502', nextAttemptAt: '2099-12-06T09:00:30Z', createdAt: '2026-12-06T09:00:20Z' },
  { id: 'd1', eventType: 'rollout', eventId: 4711, state: 'DELIVERED', attempts: 1, lastStatus: 204, deliveredAt: '2026-12-06T09:00:01Z', createdAt: '2026-12-06T09:00:00Z' },
  { id: 'd0', eventType: 'wave', eventId: 4700, state: 'FAILED', attempts: 8, lastError: 'connect timed out', createdAt: '2026-12-05T09:00:00Z' },
];
const HOOKS = '/api/v1/webhooks';
const json = (body: unknown, status = 200) => new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
/** Pastes instead of typing key by key: the same change events, a fraction of the time. */
async function fill(field: HTMLElement, text: string) {
  await userEvent.clear(field);
  await userEvent.click(field);
  await userEvent.paste(text);
}
const calls = (fetchMock: ReturnType<typeof stubApi>, method: string, suffix = '') =>
  fetchMock.mock.calls.filter((c) => (c[1] as RequestInit | undefined)?.method === method && String(c[0]).endsWith(suffix));

describe('WebhooksPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('flags a bad URL and a short secret as they are typed, and asks the API nothing', async () => {
    const fetchMock = stubApi({ [HOOKS]: [] });
    renderPage(<WebhooksPage />, { roles: ['starling-admin'], path: '/webhooks', route: '/webhooks' });
    await userEvent.click(await screen.findByRole('button', { name: 'Create webhook' }));
    await fill(screen.getByLabelText(/^URL/), 'chat.example.com');
    expect(screen.getByText(/^An absolute http/)).toBeInTheDocument();
    await fill(screen.getByLabelText(/^URL/), hook.url);
    await fill(screen.getByLabelText('Secret'), 'too short');
    expect(screen.getByText(/^16 to 256 characters/)).toBeInTheDocument();
    await userEvent.click(screen.getByText('Create', { selector: 'button[type=submit] *, button[type=submit]' }));
    expect(calls(fetchMock, 'POST')).toHaveLength(0);
  });

  it('creates a hook with a generated secret and shows the secret once to copy', async () => {
    const fetchMock = stubApi({ [HOOKS]: [] });
    fetchMock.mockImplementation(async (_input: RequestInfo | URL, init?: RequestInit) => (init?.method === 'POST' ? json(hook, 201) : json([])));
    renderPage(<WebhooksPage />, { roles: ['starling-admin'], path: '/webhooks', route: '/webhooks' });
    expect(await screen.findByText('No webhooks')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Create webhook' }));
    await fill(screen.getByLabelText(/^URL/), hook.url);
    await userEvent.click(screen.getByLabelText('wave'));
    await userEvent.click(screen.getByText('Generate'));
    const secret = (screen.getByLabelText('Secret') as HTMLInputElement).value;
    expect(secret).toMatch(/^[0-9a-f]{48}$/);
    await userEvent.click(screen.getByText('Create', { selector: 'button[type=submit] *, button[type=submit]' }));

    expect(await screen.findByText('Copy the secret now: it is shown only this once.')).toBeInTheDocument();
    expect(screen.getByDisplayValue(secret)).toBeInTheDocument();
    expect(JSON.parse((calls(fetchMock, 'POST')[0][1] as RequestInit).body as string)).toEqual({ url: hook.url, events: ['rollout', 'wave'], secret });
    await userEvent.click(screen.getByText('Done'));
    await waitFor(() => expect(screen.queryByDisplayValue(secret)).not.toBeInTheDocument());
  });

  it('asks for at least one event type and keeps the form filled when the API refuses', async () => {
    const fetchMock = stubApi({ [HOOKS]: [] });
    fetchMock.mockImplementation(async (_input: RequestInfo | URL, init?: RequestInit) =>
      init?.method === 'POST' ? json({ status: 400, title: 'Bad Request', detail: 'url: must be an absolute http:// or https:// URL with a host' }, 400) : json([]),
    );
    renderPage(<WebhooksPage />, { roles: ['starling-admin'], path: '/webhooks', route: '/webhooks' });
    await userEvent.click(await screen.findByRole('button', { name: 'Create webhook' }));
    const dialog = screen.getByRole('dialog');
    await fill(within(dialog).getByLabelText(/^URL/), 'http://hooks.internal/x');
    await userEvent.click(within(dialog).getByLabelText('rollout'));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create' }));
    expect(within(dialog).getByText('Pick at least one event type')).toBeInTheDocument();
    expect(calls(fetchMock, 'POST')).toHaveLength(0);

    await userEvent.click(within(dialog).getByLabelText('summary'));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create' }));
    expect(await within(dialog).findByText(/must be an absolute http/)).toBeInTheDocument();
    expect(within(dialog).getByLabelText(/^URL/)).toHaveValue('http://hooks.internal/x');
    expect(JSON.parse((calls(fetchMock, 'POST')[0][1] as RequestInit).body as string)).toEqual({ url: 'http://hooks.internal/x', events: ['summary'] });
  });

  it('shows a hook’s delivery log with status, attempts, next attempt and last error, and sends a test', async () => {
    const fetchMock = stubApi({ [HOOKS]: [hook], [`${HOOKS}/${hook.id}/deliveries`]: deliveries, [`${HOOKS}/${hook.id}/test`]: deliveries[0] });
    renderPage(<WebhooksPage />, { roles: ['starling-admin'], path: '/webhooks', route: '/webhooks' });
    expect(await screen.findByText(hook.url)).toBeInTheDocument();
    expect(screen.getByText('rollout, wave')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: `Deliveries to ${hook.url}` }));

    const rows = within(await screen.findByRole('grid', { name: 'Deliveries' })).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toHaveTextContent(/^ping \(test\)pending2HTTP 502/);
    expect(rows[0]).toHaveTextContent(new Date('2099-12-06T09:00:30Z').toLocaleString());
    expect(rows[1]).toHaveTextContent(/^rollout #4711delivered1delivered .+ \(HTTP 204\)—/);
    expect(rows[2]).toHaveTextContent(/^wave #4700failed8connect timed out—/);

    await userEvent.click(screen.getByRole('button', { name: `Send test to ${hook.url}` }));
    expect(await screen.findByText(/^Test delivery queued/)).toBeInTheDocument();
    expect(calls(fetchMock, 'POST', '/test')).toHaveLength(1);
  });

  it('says when a hook has delivered nothing yet', async () => {
    stubApi({ [HOOKS]: [hook], [`${HOOKS}/${hook.id}/deliveries`]: [] });
    renderPage(<WebhooksPage />, { roles: ['starling-admin'], path: '/webhooks', route: '/webhooks' });
    await userEvent.click(await screen.findByRole('button', { name: `Deliveries to ${hook.url}` }));
    expect(await screen.findByText('Nothing delivered yet')).toBeInTheDocument();
  });

  it('asks before deleting a hook', async () => {
    const fetchMock = stubApi({ [HOOKS]: [hook] });
    renderPage(<WebhooksPage />, { roles: ['starling-admin'], path: '/webhooks', route: '/webhooks' });
    await userEvent.click(await screen.findByRole('button', { name: `Delete ${hook.url}` }));
    expect(screen.getByRole('dialog')).toHaveTextContent('its delivery log is deleted with it');
    expect(calls(fetchMock, 'DELETE')).toHaveLength(0);
    fetchMock.mockImplementation(async (_input: RequestInfo | URL, init?: RequestInit) => (init?.method === 'DELETE' ? new Response(null, { status: 204 }) : json([])));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(calls(fetchMock, 'DELETE', `/webhooks/${hook.id}`)).toHaveLength(1);
    expect(await screen.findByText('No webhooks')).toBeInTheDocument();
  });

  it('shows why the hooks could not be loaded', async () => {
    stubApi({});
    renderPage(<WebhooksPage />, { roles: ['starling-admin'], path: '/webhooks', route: '/webhooks' });
    expect(await screen.findByText('Could not load webhooks')).toBeInTheDocument();
  });

  it('tells an operator or viewer who opens it that their role may not, and asks the API nothing', async () => {
    const fetchMock = stubApi({ [HOOKS]: [hook] });
    renderPage(<WebhooksPage />, { roles: ['starling-operator', 'starling-viewer'], path: '/webhooks', route: '/webhooks' });
    expect(await screen.findByText('Your role may not manage webhooks')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Webhooks' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Create webhook' })).not.toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('is in the navigation of admins only', () => {
    const paths = (roles: string[]) => visibleSections(roles).map((s) => s.path);
    expect(paths(['starling-admin'])).toContain('/webhooks');
    for (const role of ['starling-operator', 'starling-viewer', 'starling-publisher']) expect(paths([role])).not.toContain('/webhooks');
  });
});
