import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Rollout } from '../../api/rollouts';
import { renderPage, stubApi } from '../../testing/render';
import RolloutPage from './RolloutPage';
import { controlsFor } from './rolloutState';

const counts = (c: Record<string, number>) => ({ PENDING: 0, DOWNLOADING: 0, DOWNLOADED: 0, INSTALLING: 0, INSTALLED: 0, FAILED: 0, CANCELLED: 0, NOT_DEPLOYED: 0, ...c });
const wave = (position: number, name: string, state: Rollout['waves'][number]['state'], agents: number, c: Record<string, number>) => ({
  position,
  name,
  selector: { percent: position === 0 ? 10 : null },
  state,
  agents,
  successThreshold: 100,
  errorThreshold: 0,
  counts: counts(c),
});

const paused: Rollout = {
  id: '5b0c7e1a-2f3d-4c5b-8a6e-7f8091a2b3c4',
  name: 'suite 1.0 to Berlin',
  product: 'suite',
  version: '1.0',
  state: 'PAUSED',
  pauseReason: 'ERROR_THRESHOLD',
  pauseDetail: 'ws-berlin-042 (7d1e…): INSTALL_FAILED, exit code 3',
  waitingForAdvance: false,
  successThreshold: 100,
  errorThreshold: 0,
  advance: 'AUTO',
  mode: 'INSTALL',
  agents: 10,
  counts: counts({ INSTALLED: 1, FAILED: 1, NOT_DEPLOYED: 8 }),
  bytes: { sameSitePeers: 0, otherSitePeers: 0, originSeeder: 4_000_000, webSeed: 0 },
  waves: [wave(0, 'canary', 'FAILED', 2, { INSTALLED: 1, FAILED: 1 }), wave(1, 'everyone else', 'PENDING', 8, { NOT_DEPLOYED: 8 })],
  sites: [{ site: 'berlin', agents: 10, counts: counts({ INSTALLED: 1, FAILED: 1 }), bytes: { sameSitePeers: 3_000_000, otherSitePeers: 0, originSeeder: 4_000_000, webSeed: 0 } }],
  createdAt: '2026-11-27T10:06:00Z',
  createdBy: 'operator',
  startedAt: '2026-11-27T10:06:00Z',
};
const failing = [
  { agentId: '7d1e2c3b-4a59-4f60-8e71-92a3b4c5d6e7', hostname: 'ws-berlin-042', site: 'berlin', wave: 'canary', state: 'FAILED', reason: 'INSTALL_FAILED', detail: 'The install command exited with 3.', exitCode: 3, output: ['copying files', 'error: disk full'] },
];
const path = `/api/v1/rollouts/${paused.id}`;

describe('RolloutPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('explains an error-threshold pause and shows the failing agent with its reason and output', async () => {
    stubApi({ [path]: paused, [`${path}/agents`]: failing });
    renderPage(<RolloutPage />, { roles: ['starling-operator'], path: '/rollouts/:id', route: `/rollouts/${paused.id}` });

    expect(await screen.findByText(/a wave reached its error threshold/)).toBeInTheDocument();
    expect(screen.getByText(paused.pauseDetail!)).toBeInTheDocument();
    expect(screen.getByRole('listitem', { name: 'canary: failed, 1 of 2 done, 1 failed' })).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: 'ws-berlin-042' })).toBeInTheDocument();
    expect(screen.getByText('The install command exited with 3.')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: '2 lines' }));
    expect(screen.getByText(/error: disk full/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Resume' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Advance to next wave' })).toBeInTheDocument();
  });

  it('asks before cancelling, then shows the cancelled rollout without controls', async () => {
    const fetchMock = stubApi({ [path]: paused, [`${path}/agents`]: failing });
    renderPage(<RolloutPage />, { roles: ['starling-admin'], path: '/rollouts/:id', route: `/rollouts/${paused.id}` });
    await userEvent.click(await screen.findByRole('button', { name: 'Cancel rollout' }));
    expect(screen.getByRole('dialog')).toHaveTextContent('This cannot be undone.');
    expect(fetchMock.mock.calls.some((c) => (c[1] as RequestInit | undefined)?.method === 'POST')).toBe(false);

    fetchMock.mockImplementation(async (input: RequestInfo | URL) =>
      new Response(JSON.stringify(String(input).endsWith('/agents') ? failing : { ...paused, state: 'CANCELLED', pauseReason: null }), { status: 200 }),
    );
    const dialog = screen.getByRole('dialog');
    await userEvent.click(dialog.querySelector('button.pf-m-danger') as HTMLElement);
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(fetchMock.mock.calls.some((c) => String(c[0]).endsWith('/cancel') && (c[1] as RequestInit).method === 'POST')).toBe(true);
    expect(screen.queryByRole('button', { name: 'Resume' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Cancel rollout' })).not.toBeInTheDocument();
  });

  it('offers a viewer no controls', async () => {
    stubApi({ [path]: paused, [`${path}/agents`]: failing });
    renderPage(<RolloutPage />, { roles: ['starling-viewer'], path: '/rollouts/:id', route: `/rollouts/${paused.id}` });
    expect(await screen.findByText(/a wave reached its error threshold/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Pause|Resume|Advance|Cancel/ })).not.toBeInTheDocument();
  });

  it('shows why a rollout could not be loaded', async () => {
    stubApi({});
    renderPage(<RolloutPage />, { roles: ['starling-viewer'], path: '/rollouts/:id', route: `/rollouts/${paused.id}` });
    expect(await screen.findByText(`no stub for ${path}`)).toBeInTheDocument();
  });
});

describe('approvals', () => {
  afterEach(() => vi.unstubAllGlobals());
  const waiting: Rollout = {
    ...paused,
    state: 'WAITING_FOR_APPROVAL',
    pauseReason: null,
    pauseDetail: null,
    counts: counts({ NOT_DEPLOYED: 10 }),
    waves: [wave(0, 'canary', 'PENDING', 2, { NOT_DEPLOYED: 2 }), wave(1, 'everyone else', 'PENDING', 8, { NOT_DEPLOYED: 8 })],
    startedAt: null,
  };
  const posts = (fetchMock: ReturnType<typeof stubApi>, what: string) =>
    fetchMock.mock.calls.filter((c) => String(c[0]).endsWith(`/${what}`) && (c[1] as RequestInit | undefined)?.method === 'POST');

  it('lets another admin approve a waiting rollout', async () => {
    const fetchMock = stubApi({ [path]: waiting, [`${path}/approve`]: { ...waiting, state: 'RUNNING', decidedBy: 'tester' } });
    renderPage(<RolloutPage />, { roles: ['starling-admin'], path: '/rollouts/:id', route: `/rollouts/${paused.id}` });
    await userEvent.click(await screen.findByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(posts(fetchMock, 'approve')).toHaveLength(1));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Approve' })).not.toBeInTheDocument());
    expect(screen.getByRole('button', { name: 'Pause' })).toBeInTheDocument();
  });

  it('asks before denying and sends the comment', async () => {
    const fetchMock = stubApi({ [path]: waiting, [`${path}/deny`]: { ...waiting, state: 'DENIED' } });
    renderPage(<RolloutPage />, { roles: ['starling-admin'], path: '/rollouts/:id', route: `/rollouts/${paused.id}` });
    await userEvent.click(await screen.findByRole('button', { name: 'Deny' }));
    const dialog = screen.getByRole('dialog');
    expect(dialog).toHaveTextContent('no agent gets anything');
    expect(posts(fetchMock, 'deny')).toHaveLength(0);
    await userEvent.type(screen.getByLabelText(/Comment/), 'Not this week');
    await userEvent.click(screen.getByRole('button', { name: 'Deny rollout' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(JSON.parse((posts(fetchMock, 'deny')[0][1] as RequestInit).body as string)).toEqual({ comment: 'Not this week' });
    expect(screen.queryByRole('button', { name: 'Approve' })).not.toBeInTheDocument();
  });

  it('tells the creator another admin must decide, and offers operators nothing to decide', async () => {
    stubApi({ [path]: { ...waiting, createdBy: 'tester' } });
    const { unmount } = renderPage(<RolloutPage />, { roles: ['starling-admin'], path: '/rollouts/:id', route: `/rollouts/${paused.id}` });
    expect(await screen.findByText(/another admin must approve or deny it/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Approve' })).not.toBeInTheDocument();
    unmount();

    stubApi({ [path]: waiting });
    renderPage(<RolloutPage />, { roles: ['starling-operator'], path: '/rollouts/:id', route: `/rollouts/${paused.id}` });
    expect(await screen.findByRole('button', { name: 'Cancel rollout' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Approve|Deny/ })).not.toBeInTheDocument();
  });
});

const running: Rollout = {
  ...paused,
  state: 'RUNNING',
  pauseReason: null,
  pauseDetail: null,
  counts: counts({ INSTALLED: 6, DOWNLOADING: 2, NOT_DEPLOYED: 2 }),
  bytes: { sameSitePeers: 500_000_000, otherSitePeers: 100_000_000, originSeeder: 250_000_000, webSeed: 50_000_000 },
  releaseSize: 100_000_000,
  wanRatio: 4,
  originRatio: 3,
  estimatedCompletion: '2099-01-01T00:00:00Z',
  waves: [wave(0, 'canary', 'SUCCEEDED', 2, { INSTALLED: 2 }), wave(1, 'everyone else', 'RUNNING', 8, { INSTALLED: 4, DOWNLOADING: 2, NOT_DEPLOYED: 2 })],
  sites: [
    {
      site: 'berlin',
      agents: 8,
      counts: counts({ INSTALLED: 6, DOWNLOADING: 2 }),
      bytes: { sameSitePeers: 500_000_000, otherSitePeers: 0, originSeeder: 75_000_000, webSeed: 0 },
      wanRatio: 0.75,
      originRatio: 0.75,
    },
    { site: null, agents: 2, counts: counts({ NOT_DEPLOYED: 2 }), bytes: { sameSitePeers: 0, otherSitePeers: 100_000_000, originSeeder: 175_000_000, webSeed: 50_000_000 }, wanRatio: null, originRatio: null },
  ],
};

describe('RolloutPage while running', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows per site the bytes by source and the WAN and origin ratios, the whole rollout last', async () => {
    stubApi({ [path]: running });
    renderPage(<RolloutPage />, { roles: ['starling-viewer'], path: '/rollouts/:id', route: `/rollouts/${running.id}` });
    const table = await screen.findByRole('grid', { name: 'Sites' });
    const rows = within(table).getAllByRole('row');
    expect(rows.map((r) => r.textContent)).toEqual([
      expect.stringContaining('WAN ratio'),
      // site, agents, done, failed, same site, other sites, origin, web seed, WAN ratio, origin ratio
      'berlin860500 MB0 B75 MB0 B0.75 ×0.75 ×',
      'no site2000 B100 MB175 MB50 MB——',
      'All sites1060500 MB100 MB250 MB50 MB4.00 ×3.00 ×',
    ]);
    expect(screen.getByText(/Sites and where the bytes came from · release 100 MB/)).toBeInTheDocument();
    expect(screen.getByText(/^Estimated completion: .+ \(in \d+ h \d+ min\)$/)).toBeInTheDocument();
  });

  it('falls back to polling when the live feed is refused, and says so', async () => {
    stubApi({ [path]: running });
    renderPage(<RolloutPage />, { roles: ['starling-viewer'], path: '/rollouts/:id', route: `/rollouts/${running.id}` });
    expect(await screen.findByLabelText('Updates: polling')).toBeInTheDocument();
  });

  it('is live over the event stream and rereads the status when a summary arrives', async () => {
    let sendSummary: () => void = () => {};
    let reads = 0;
    const fetchMock = vi.fn(async (input: RequestInfo | URL) => {
      const url = String(input);
      if (url.endsWith('/events')) {
        const stream = new ReadableStream<Uint8Array>({
          start(c) {
            c.enqueue(new TextEncoder().encode(': connected\n\n'));
            sendSummary = () => c.enqueue(new TextEncoder().encode('id: 5\nevent: summary\ndata: {}\n\n'));
          },
        });
        return new Response(stream, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
      }
      if (url.includes('/agents')) return new Response('[]', { status: 200, headers: { 'Content-Type': 'application/json' } });
      reads++;
      const body = reads < 3 ? running : { ...running, counts: counts({ INSTALLED: 10 }) };
      return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
    });
    vi.stubGlobal('fetch', fetchMock);
    renderPage(<RolloutPage />, { roles: ['starling-viewer'], path: '/rollouts/:id', route: `/rollouts/${running.id}` });

    expect(await screen.findByLabelText('Updates: live')).toBeInTheDocument();
    await waitFor(() => expect(reads).toBe(2)); // the first read, and one when the stream opened
    expect(screen.getByText(/^Waves · 6 of 10 agents done/)).toBeInTheDocument();
    sendSummary();
    expect(await screen.findByText(/^Waves · 10 of 10 agents done/)).toBeInTheDocument();
  });
});

describe('the rollout controls', () => {
  const waves = paused.waves;
  it('follow the state table', () => {
    expect(controlsFor({ state: 'RUNNING', waves })).toEqual(['pause', 'advance', 'cancel']);
    expect(controlsFor({ state: 'RUNNING', waves: [waves[0]] })).toEqual(['pause', 'cancel']);
    expect(controlsFor({ state: 'PAUSED', pauseReason: 'OPERATOR', waves })).toEqual(['resume', 'advance', 'cancel']);
    expect(controlsFor({ state: 'PAUSED', pauseReason: 'RELEASE_REVOKED', waves })).toEqual(['cancel']);
    expect(controlsFor({ state: 'SCHEDULED', waves })).toEqual(['cancel']);
    expect(controlsFor({ state: 'FINISHED', waves })).toEqual([]);
    expect(controlsFor({ state: 'CANCELLED', waves })).toEqual([]);
  });
});

describe('the schedule, window, deadline, mode and decision', () => {
  afterEach(() => vi.unstubAllGlobals());
  const inHours = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();
  const settings = async () => within((await screen.findByText('Maintenance window')).closest('dl') as HTMLElement);

  it('says which agents wait for the next window opening or the deadline, and shows the window, deadline and decision', async () => {
    const windowed: Rollout = {
      ...running,
      counts: counts({ INSTALLED: 6, DOWNLOADED: 4 }),
      startAt: '2026-11-27T10:00:00Z',
      deadline: inHours(72),
      maintenanceWindow: { cron: '0 22 * * 1-5', duration: 'PT4H', timezone: 'Europe/Berlin' },
      windowOpening: { opensAt: inHours(5), closesAt: inHours(9) },
      decidedBy: 'bob',
      decidedAt: '2026-11-27T09:58:00Z',
      decisionComment: 'Change 4711',
    };
    stubApi({ [path]: windowed });
    renderPage(<RolloutPage />, { roles: ['starling-viewer'], path: '/rollouts/:id', route: `/rollouts/${running.id}` });

    expect(
      await screen.findByText(
        `4 agents have downloaded the release and wait for the maintenance window opening at ${new Date(windowed.windowOpening!.opensAt).toLocaleString()} (until ${new Date(windowed.windowOpening!.closesAt).toLocaleString()}) or the deadline at ${new Date(windowed.deadline!).toLocaleString()}, whichever comes first to install.`,
      ),
    ).toBeInTheDocument();
    const dl = await settings();
    expect(dl.getByText('0 22 * * 1-5')).toBeInTheDocument();
    expect(dl.getByText(/\(Europe\/Berlin\) for 4 h/)).toBeInTheDocument();
    expect(dl.getByText(/^next opens .+, until .+$/)).toBeInTheDocument();
    expect(dl.getByText(/from then on agents install outside the window too$/)).toBeInTheDocument();
    expect(dl.getByText(/^starts at /)).toBeInTheDocument();
    expect(dl.getByText(/^approved by bob at /)).toBeInTheDocument();
    expect(dl.getByText('“Change 4711”')).toBeInTheDocument();
    expect(dl.getByText('install')).toBeInTheDocument();
  });

  it('says nothing waits while the window is open, and shows it open until it closes', async () => {
    stubApi({
      [path]: {
        ...running,
        counts: counts({ DOWNLOADED: 2, INSTALLING: 8 }),
        maintenanceWindow: { cron: '0 22 * * *', duration: 'P1DT30M', timezone: 'UTC' },
        windowOpening: { opensAt: inHours(-1), closesAt: inHours(3) },
      },
    });
    renderPage(<RolloutPage />, { roles: ['starling-viewer'], path: '/rollouts/:id', route: `/rollouts/${running.id}` });
    const dl = await settings();
    expect(dl.getByText(/\(UTC\) for 1 d 30 min/)).toBeInTheDocument();
    expect(dl.getByText(/^open now, until /)).toBeInTheDocument();
    expect(screen.queryByText(/wait for the maintenance window/)).not.toBeInTheDocument();
  });

  it('says what a scheduled, a download-only and a waiting-for-approval rollout wait for', async () => {
    const startAt = inHours(2);
    stubApi({ [path]: { ...running, state: 'SCHEDULED', startAt, startedAt: null, counts: counts({ NOT_DEPLOYED: 10 }) } });
    const first = renderPage(<RolloutPage />, { roles: ['starling-viewer'], path: '/rollouts/:id', route: `/rollouts/${running.id}` });
    expect(await screen.findByText(`Scheduled: the first wave starts at ${new Date(startAt).toLocaleString()}.`)).toBeInTheDocument();
    expect((await settings()).getByText('not yet')).toBeInTheDocument();
    first.unmount();

    stubApi({ [path]: { ...running, mode: 'DOWNLOAD_ONLY', counts: counts({ DOWNLOADED: 1, NOT_DEPLOYED: 9 }) } });
    const second = renderPage(<RolloutPage />, { roles: ['starling-viewer'], path: '/rollouts/:id', route: `/rollouts/${running.id}` });
    expect(await screen.findByText('1 agent has downloaded the release and waits for Install (download only).')).toBeInTheDocument();
    expect((await settings()).getByText(/^download only: /)).toBeInTheDocument();
    second.unmount();

    stubApi({ [path]: { ...running, state: 'WAITING_FOR_APPROVAL', startedAt: null, counts: counts({ NOT_DEPLOYED: 10 }) } });
    renderPage(<RolloutPage />, { roles: ['starling-viewer'], path: '/rollouts/:id', route: `/rollouts/${running.id}` });
    expect(await screen.findByText('Waiting for approval: an admin other than operator must approve it. Nothing is deployed until then.')).toBeInTheDocument();
    expect((await settings()).getByText('waiting: an admin other than operator must approve or deny it')).toBeInTheDocument();
    expect(screen.getByText('none: agents install as soon as they have downloaded')).toBeInTheDocument();
  });

  it('shows who denied a rollout and why', async () => {
    stubApi({ [path]: { ...running, state: 'DENIED', decidedBy: 'bob', decidedAt: '2026-11-27T10:00:00Z', decisionComment: 'Not during the quarter close' } });
    renderPage(<RolloutPage />, { roles: ['starling-viewer'], path: '/rollouts/:id', route: `/rollouts/${running.id}` });
    expect(await screen.findByText('Denied by bob: no agent got anything.')).toBeInTheDocument();
    expect((await settings()).getByText(/^denied by bob at /)).toBeInTheDocument();
    expect(screen.getAllByText(/Not during the quarter close/)).toHaveLength(2);
  });
});
