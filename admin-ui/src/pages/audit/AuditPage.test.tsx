import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderPage, stubApi } from '../../testing/render';
import AuditPage, { instantOf } from './AuditPage';

const entry = (id: number) => ({
  id,
  at: '2026-11-27T10:06:00Z',
  actor: 'admin',
  action: 'POST',
  target: `/api/v1/products/p${id}`,
  status: 200,
  outcome: 'SUCCESS',
});

const auditCalls = (fetchMock: ReturnType<typeof stubApi>) =>
  fetchMock.mock.calls.map((c) => String(c[0])).filter((u) => u.startsWith('/api/v1/audit'));

describe('AuditPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('asks the server for the actor, action and time range of the URL', async () => {
    const fetchMock = stubApi({ '/api/v1/audit': [entry(7)] });
    renderPage(<AuditPage />, {
      roles: ['starling-viewer'],
      path: '/audit',
      route: '/audit?actor=alice&action=DELETE&from=2026-11-01T00:00&to=2026-11-02T00:00',
    });
    expect(await screen.findByText('/api/v1/products/p7')).toBeInTheDocument();
    const params = new URLSearchParams(auditCalls(fetchMock)[0].split('?')[1]);
    expect(params.get('actor')).toBe('alice');
    expect(params.get('action')).toBe('DELETE');
    expect(params.get('from')).toBe(instantOf('2026-11-01T00:00'));
    expect(params.get('to')).toBe(instantOf('2026-11-02T00:00'));
    expect(params.get('limit')).toBe('100');
  });

  it('pages back in time from the last entry shown', async () => {
    const fetchMock = stubApi({ '/api/v1/audit': Array.from({ length: 100 }, (_, i) => entry(500 - i)) });
    renderPage(<AuditPage />, { roles: ['starling-viewer'], path: '/audit', route: '/audit' });
    expect(await screen.findByText('/api/v1/products/p500')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Older entries' }));
    await waitFor(() => expect(auditCalls(fetchMock)).toContain('/api/v1/audit?limit=100&before=401'));
  });

  it('clearing the filters asks for the newest entries of everyone', async () => {
    const fetchMock = stubApi({ '/api/v1/audit': [] });
    renderPage(<AuditPage />, { roles: ['starling-viewer'], path: '/audit', route: '/audit?actor=alice&action=PUT' });
    expect(await screen.findByText('Nothing matches the filters.')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Clear all filters' }));
    await waitFor(() => expect(auditCalls(fetchMock)).toContain('/api/v1/audit?limit=100'));
    expect(await screen.findByText('Nothing has been changed yet.')).toBeInTheDocument();
  });
});
