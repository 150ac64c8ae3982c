import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import AgentPage from '../pages/agents/AgentPage';
import ProductsPage from '../pages/products/ProductsPage';
import ReleasePage from '../pages/releases/ReleasePage';
import { renderPage, stubApi } from '../testing/render';
import { ADMIN, OPERATOR, PUBLISHER, VIEWER } from './roles';

const draft = {
  product: 'office-suite',
  version: '2.4.1',
  state: 'DRAFT',
  createdAt: '2026-11-27T10:00:00Z',
  createdBy: 'admin',
  artifacts: [{ name: 'a.zip', size: 10, sha256: 'ab'.repeat(32), pieceLength: 1, uploadedAt: '2026-11-27T10:00:00Z' }],
};
const agent = {
  id: '7d1e2c3b-4a59-4f60-8e71-92a3b4c5d6e7',
  clientId: 'c',
  hostname: 'ws-berlin-042',
  labels: [],
  state: 'ACTIVE',
  enrolledAt: '2026-11-27T10:00:00Z',
  installed: [],
};

describe('role-aware buttons', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('a viewer sees the products but no button to create one', async () => {
    stubApi({ '/api/v1/products': [] });
    renderPage(<ProductsPage />, { roles: [VIEWER] });
    expect(await screen.findByText('No products yet')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Create product' })).not.toBeInTheDocument();
  });

  it('a publisher may create products', async () => {
    stubApi({ '/api/v1/products': [] });
    renderPage(<ProductsPage />, { roles: [PUBLISHER] });
    expect(await screen.findByRole('button', { name: 'Create product' })).toBeInTheDocument();
  });

  it('publishing and uploading are offered to publishers, not to operators', async () => {
    stubApi({ '/api/v1/products/office-suite/releases/2.4.1': draft });
    const path = '/products/:product/releases/:version';
    const route = '/products/office-suite/releases/2.4.1';
    const first = renderPage(<ReleasePage />, { roles: [PUBLISHER], route, path });
    expect(await screen.findByRole('button', { name: 'Publish' })).toBeInTheDocument();
    expect(screen.getByTestId('drop-zone')).toBeInTheDocument();
    first.unmount();

    renderPage(<ReleasePage />, { roles: [OPERATOR], route, path });
    expect(await screen.findByText('a.zip')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Publish' })).not.toBeInTheDocument();
    expect(screen.queryByTestId('drop-zone')).not.toBeInTheDocument();
  });

  it('only an admin may revoke an agent', async () => {
    stubApi({ [`/api/v1/agents/${agent.id}`]: agent, [`/api/v1/agents/${agent.id}/deployments`]: [] });
    const route = `/agents/${agent.id}`;
    const operator = renderPage(<AgentPage />, { roles: [OPERATOR], route, path: '/agents/:id' });
    expect(await screen.findByText('No deployments')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Revoke' })).not.toBeInTheDocument();
    operator.unmount();

    renderPage(<AgentPage />, { roles: [ADMIN], route, path: '/agents/:id' });
    expect(await screen.findByRole('button', { name: 'Revoke' })).toBeInTheDocument();
  });

  it('a page the API refuses shows its reason, not a blank page', async () => {
    stubApi({});
    renderPage(<ProductsPage />, { roles: [VIEWER] });
    expect(await screen.findByText('no stub for /api/v1/products')).toBeInTheDocument();
  });
});
