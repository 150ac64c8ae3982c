import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderPage, stubApi } from '../../testing/render';
import { inWords, withEmptySites } from './fleetCounts';
import OverviewPage from './OverviewPage';

const counts = (agents: number, active: number, silent: number, revoked: number, frozen = 0) => ({ agents, active, silent, frozen, revoked });

describe('withEmptySites', () => {
  it('adds the sites without agents as zeros, sites in name order, no site last', () => {
    const fleet = {
      total: counts(4, 3, 2, 1),
      bySite: [
        { site: 'amsterdam', counts: counts(1, 0, 0, 1) },
        { site: 'berlin', counts: counts(2, 2, 1, 0) },
        { site: null, counts: counts(1, 1, 1, 0) },
      ],
      silentAfterSeconds: 600,
    };
    expect(withEmptySites(fleet, ['berlin', 'zurich', 'amsterdam', 'aachen']).bySite).toEqual([
      { site: 'aachen', counts: counts(0, 0, 0, 0) },
      { site: 'amsterdam', counts: counts(1, 0, 0, 1) },
      { site: 'berlin', counts: counts(2, 2, 1, 0) },
      { site: 'zurich', counts: counts(0, 0, 0, 0) },
      { site: null, counts: counts(1, 1, 1, 0) },
    ]);
  });

  it('says the silent threshold in words', () => {
    expect([600, 90, 7200, 60].map(inWords)).toEqual(['10 minutes', '90 seconds', '2 hours', '1 minute']);
  });
});

describe('OverviewPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows the running and paused rollouts with progress linking to them, and the agents by site', async () => {
    const summary = (id: string, name: string, state: string, installed: number, failedCount: number) => ({
      id,
      name,
      product: 'suite',
      version: '1.0',
      state,
      agents: 10,
      counts: { INSTALLED: installed, FAILED: failedCount, NOT_DEPLOYED: 10 - installed - failedCount },
      createdAt: '2026-11-27T10:06:00Z',
      createdBy: 'operator',
    });
    const fetchMock = stubApi({
      '/api/v1/agents/counts': {
        total: counts(3, 2, 0, 1, 1),
        bySite: [
          { site: 'berlin', counts: counts(2, 1, 0, 1, 1) },
          { site: null, counts: counts(1, 1, 0, 0) },
        ],
        silentAfterSeconds: 300,
      },
      '/api/v1/sites': [
        { name: 'berlin', cidrs: [], createdAt: '2026-11-01T10:00:00Z', createdBy: 'admin' },
        { name: 'zurich', cidrs: [], createdAt: '2026-11-01T10:00:00Z', createdBy: 'admin' },
      ],
      '/api/v1/deployments/bytes-by-day': [
        { day: '2026-11-30', deployments: 0, bytes: { sameSitePeers: 0, otherSitePeers: 0, originSeeder: 0, webSeed: 0 } },
        { day: '2026-12-01', deployments: 10, bytes: { sameSitePeers: 900_000_000, otherSitePeers: 0, originSeeder: 80_000_000, webSeed: 20_000_000 } },
      ],
    });
    const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
    const fallback = fetchMock.getMockImplementation()!;
    fetchMock.mockImplementation(async (input, init) => {
      const url = String(input);
      if (url === '/api/v1/rollouts?state=RUNNING') return json([summary('r1', 'suite to Berlin', 'RUNNING', 4, 0)]);
      if (url === '/api/v1/rollouts?state=PAUSED') return json([summary('r2', 'suite to Zurich', 'PAUSED', 1, 2)]);
      return fallback(input, init);
    });
    renderPage(<OverviewPage />, { roles: ['starling-viewer'], path: '/overview', route: '/overview' });

    const rollouts = await screen.findByRole('grid', { name: 'Rollouts in progress' });
    expect(within(rollouts).getByRole('link', { name: 'suite to Berlin' })).toHaveAttribute('href', '/rollouts/r1');
    expect(within(rollouts).getByRole('progressbar', { name: 'suite to Berlin: 4 of 10 agents done' })).toBeInTheDocument();
    expect(within(rollouts).getByText('1 of 10 agents, 2 failed')).toBeInTheDocument();

    const bySite = await screen.findByRole('grid', { name: 'Agents by site' });
    expect(within(bySite).getAllByRole('row').map((r) => r.textContent)).toEqual([expect.stringContaining('Site'), 'berlin1011', 'zurich0000', 'no site1000']);
    expect(screen.getByText('agents: 3')).toBeInTheDocument();
    expect(screen.getByText('active: 2')).toBeInTheDocument();
    expect(screen.getByText('revoked: 1')).toBeInTheDocument();
    expect(screen.getByText('frozen: 1')).toBeInTheDocument();
    expect(screen.getByText('silent: 0').closest('[title]')).toHaveAttribute('title', 'Active, but no check-in for 5 minutes');
    // The server counts: the page lists no agent, however large the fleet.
    expect(fetchMock.mock.calls.some((c) => /^\/api\/v1\/agents(\?|$)/.test(String(c[0])))).toBe(false);

    expect(await screen.findByText(/^Last 2 days: 900 MB from peers, 100 MB from the origin and web seed \(90 % from peers\)/)).toBeInTheDocument();
    expect(screen.getByRole('img', { name: '2026-12-01: 900 MB from same-site peers, 0 B from other sites, 100 MB from the origin' })).toBeInTheDocument();
    expect(fetchMock.mock.calls.some((c) => String(c[0]) === '/api/v1/deployments/bytes-by-day?days=30')).toBe(true);
  });
});
