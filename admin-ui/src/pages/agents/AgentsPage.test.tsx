import { fireEvent, screen, waitFor } from '@testing-library/react';
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

const agentCalls = (fetchMock: ReturnType<typeof stubApi>) =>
  fetchMock.mock.calls.map((c) => String(c[0])).filter((u) => u.startsWith('/api/v1/agents'));

describe('AgentsPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('asks the server for one page with the search and filters of the URL and shows the total it answers', async () => {
    const fetchMock = stubApi(
      { '/api/v1/sites': [], '/api/v1/agents': Array.from({ length: 20 }, (_, i) => agent(i)) },
      { '/api/v1/agents': { 'X-Total-Count': '1234' } },
    );
    renderPage(<AgentsPage />, {
      roles: ['starling-viewer'],
      path: '/agents',
      route: '/agents?q=berlin&site=berlin&label=finance&label=floor-3&state=ACTIVE&installed=office%402.4.1&page=3&perPage=20',
    });
    expect(await screen.findByText('ws-0')).toBeInTheDocument();
    expect(agentCalls(fetchMock)[0]).toBe(
      '/api/v1/agents?q=berlin&site=berlin&label=finance&label=floor-3&state=ACTIVE&installed=office%402.4.1&offset=40&limit=20',
    );
    expect(await screen.findByText('1234 agents match')).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Search agents' })).toHaveValue('berlin');
    expect(screen.getByRole('textbox', { name: 'Installed release' })).toHaveValue('office@2.4.1');
  });

  it('searches once typing pauses, from the first page', async () => {
    const fetchMock = stubApi({ '/api/v1/sites': [], '/api/v1/agents': [agent(1)] }, { '/api/v1/agents': { 'X-Total-Count': '1' } });
    renderPage(<AgentsPage />, { roles: ['starling-viewer'], path: '/agents', route: '/agents?page=2' });
    expect(await screen.findByText('1 agent')).toBeInTheDocument();
    const search = screen.getByRole('textbox', { name: 'Search agents' });
    fireEvent.change(search, { target: { value: 'ws-' } });
    fireEvent.change(search, { target: { value: 'ws-4' } });
    await waitFor(() => expect(agentCalls(fetchMock)).toContain('/api/v1/agents?q=ws-4&offset=0&limit=50'));
    // One request for the pause, none for the keystroke before it.
    expect(agentCalls(fetchMock).filter((u) => u.includes('q=ws-&'))).toHaveLength(0);
  });

  it('clearing the filters lists every agent again', async () => {
    const fetchMock = stubApi({ '/api/v1/sites': [], '/api/v1/agents': [] }, { '/api/v1/agents': { 'X-Total-Count': '0' } });
    renderPage(<AgentsPage />, { roles: ['starling-viewer'], path: '/agents', route: '/agents?state=REVOKED&q=nobody&installed=office' });
    expect(await screen.findByText('No agents match')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Clear all filters' }));
    await waitFor(() => expect(agentCalls(fetchMock)).toContain('/api/v1/agents?offset=0&limit=50'));
    expect(screen.getByRole('textbox', { name: 'Search agents' })).toHaveValue('');
    expect(await screen.findByText('No agents enrolled yet')).toBeInTheDocument();
  });
});
