import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { when } from '../../components/format';
import { renderPage, stubApi } from '../../testing/render';
import AgentPage from './AgentPage';

const ID = '00000000-0000-4000-8000-000000000001';
const agent = {
  id: ID,
  clientId: 'c1',
  hostname: 'ws-1',
  labels: [],
  state: 'ACTIVE',
  enrolledAt: '2026-11-27T10:00:00Z',
  installed: [],
};

const show = (a: object) => {
  stubApi({ [`/api/v1/agents/${ID}`]: a, [`/api/v1/agents/${ID}/deployments`]: [] });
  renderPage(<AgentPage />, { roles: ['starling-viewer'], path: '/agents/:id', route: `/agents/${ID}` });
};

describe('AgentPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows an agent whose signed assignment expired as frozen since then, and why it refused the last answer', async () => {
    show({
      ...agent,
      assignmentValidUntil: '2026-12-06T10:00:00Z',
      frozenSince: '2026-12-06T10:00:00Z',
      assignmentProblem: 'EXPIRED: issued at 2026-12-06T09:00:00Z',
    });
    expect(await screen.findByText(`Frozen since ${when('2026-12-06T10:00:00Z')} (assignment expired)`)).toBeInTheDocument();
    expect(screen.getByText('frozen')).toBeInTheDocument();
    expect(screen.getByText('EXPIRED: issued at 2026-12-06T09:00:00Z')).toBeInTheDocument();
  });

  it('shows until when the assignment of an agent that is not frozen is valid', async () => {
    show({ ...agent, assignmentValidUntil: '2026-12-06T12:00:00Z' });
    expect(await screen.findByText(`Valid until ${when('2026-12-06T12:00:00Z')}`)).toBeInTheDocument();
    expect(screen.queryByText('frozen')).not.toBeInTheDocument();
  });
});
