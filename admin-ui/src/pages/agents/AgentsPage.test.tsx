import { screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderPage, stubApi } from '../../testing/render';
import AgentsPage from './AgentsPage';

const agent = (i: number) => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  clientId: `c${i}`,
  hostname: `ws-${i}`,
  labels: [],
  state: 'ACTIVE',
  enrolledAt: '2026-11-27T10:00:00Z',
  installed: [],
});

describe('AgentsPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('asks the server for one page with the filters of the URL, one more to know there is a next', async () => {
    const fetchMock = stubApi({ '/api/v1/sites': [], '/api/v1/agents': Array.from({ length: 21 }, (_, i) => agent(i)) });
    renderPage(<AgentsPage />, { roles: ['starling-viewer'], path: '/agents', route: '/agents?site=berlin&label=finance&label=floor-3&state=ACTIVE&page=3&perPage=20' });
    expect(await screen.findByText('ws-0')).toBeInTheDocument();
    expect(screen.queryByText('ws-20')).not.toBeInTheDocument();
    const agentsCall = fetchMock.mock.calls.map((c) => String(c[0])).find((u) => u.startsWith('/api/v1/agents'));
    expect(agentsCall).toBe('/api/v1/agents?site=berlin&label=finance&label=floor-3&state=ACTIVE&offset=40&limit=21');
    await waitFor(() => expect(screen.getAllByText('many').length).toBeGreaterThan(0));
  });

  it('says when nothing matches the filters', async () => {
    stubApi({ '/api/v1/sites': [], '/api/v1/agents': [] });
    renderPage(<AgentsPage />, { roles: ['starling-viewer'], path: '/agents', route: '/agents?state=REVOKED' });
    expect(await screen.findByText('No agents match')).toBeInTheDocument();
  });
});
