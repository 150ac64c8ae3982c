import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderPage, stubApi } from '../../testing/render';
import RolloutWizard from './RolloutWizard';

const release = (version: string, state: string) => ({ product: 'suite', version, state, createdAt: '2026-11-27T10:00:00Z', createdBy: 'admin', artifacts: [] });

describe('RolloutWizard', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('offers only published releases and moves on once one is picked', async () => {
    stubApi({
      '/api/v1/products': [{ name: 'suite', lastSequence: 1, createdAt: '2026-11-27T10:00:00Z', createdBy: 'admin' }],
      '/api/v1/products/suite/releases': [release('1.0', 'PUBLISHED'), release('1.1', 'DRAFT')],
      '/api/v1/sites': [],
    });
    renderPage(<RolloutWizard />, { roles: ['starling-operator'], path: '/rollouts/new', route: '/rollouts/new' });
    const next = screen.getByRole('button', { name: 'Next' });
    expect(next).toBeDisabled();

    await userEvent.selectOptions(await screen.findByLabelText(/Product/), (await screen.findByRole('option', { name: 'suite' })) as HTMLOptionElement);
    await screen.findByRole('option', { name: '1.0' });
    expect(screen.queryByRole('option', { name: '1.1' })).not.toBeInTheDocument();
    await userEvent.selectOptions(screen.getByLabelText(/Published release/), '1.0');
    expect(screen.getByLabelText(/Name/)).toHaveValue('suite 1.0');
    expect(next).toBeEnabled();
    await userEvent.click(next);
    expect(await screen.findByLabelText('Labels')).toBeInTheDocument();
    const dynamic = screen.getByRole('switch', { name: /Dynamic: add agents that match later/ });
    expect(dynamic).not.toBeChecked();
    await userEvent.click(dynamic);
    expect(dynamic).toBeChecked();
  });
});
