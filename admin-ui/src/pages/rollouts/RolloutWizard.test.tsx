import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { seriousViolations } from '../../testing/axe';
import { renderPage, stubApi } from '../../testing/render';
import RolloutWizard from './RolloutWizard';

const release = (version: string, state: string) => ({ product: 'suite', version, state, createdAt: '2026-11-27T10:00:00Z', createdBy: 'admin', artifacts: [] });

const API = {
  '/api/v1/products': [{ name: 'suite', lastSequence: 1, createdAt: '2026-11-27T10:00:00Z', createdBy: 'admin' }],
  '/api/v1/products/suite/releases': [release('1.0', 'PUBLISHED'), release('1.1', 'DRAFT')],
  '/api/v1/sites': [{ name: 'berlin' }],
  '/api/v1/rollouts/preview': { agents: 42, waves: [{ name: 'canary', agents: 5 }, { name: 'everyone else', agents: 37 }] },
  '/api/v1/rollouts': { id: 'r1' },
};

type FetchMock = ReturnType<typeof stubApi>;
const bodiesTo = (fetchMock: FetchMock, path: string) =>
  fetchMock.mock.calls.filter(([input, init]) => String(input) === path && init?.method === 'POST').map(([, init]) => JSON.parse(String(init?.body)));

async function pickRelease() {
  await userEvent.selectOptions(await screen.findByLabelText(/Product/), (await screen.findByRole('option', { name: 'suite' })) as HTMLOptionElement);
  await screen.findByRole('option', { name: '1.0' });
  await userEvent.selectOptions(screen.getByLabelText(/Published release/), '1.0');
  await userEvent.click(screen.getByRole('button', { name: 'Next' }));
}

describe('RolloutWizard', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('a viewer who opens the wizard by its address is told their role may not create rollouts, with no step to walk', async () => {
    stubApi(API);
    renderPage(<RolloutWizard />, { roles: ['starling-viewer'], path: '/rollouts/new', route: '/rollouts/new' });
    expect(await screen.findByText('Your role may not create rollouts')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Next' })).not.toBeInTheDocument();
    expect(screen.queryByLabelText(/Product/)).not.toBeInTheDocument();
  });

  it('offers only published releases and moves on once one is picked', async () => {
    stubApi(API);
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

  it('counts the matching agents live as the target is typed, asking once typing pauses', async () => {
    const fetchMock = stubApi(API);
    renderPage(<RolloutWizard />, { roles: ['starling-operator'], path: '/rollouts/new', route: '/rollouts/new' });
    await pickRelease();
    expect(await screen.findByText('42 active agents match now.')).toBeInTheDocument();
    expect(screen.getByText('Waves: canary 5, everyone else 37')).toBeInTheDocument();
    const before = bodiesTo(fetchMock, '/api/v1/rollouts/preview').length;

    await userEvent.click(screen.getByLabelText('berlin'));
    await userEvent.type(screen.getByLabelText('Labels'), 'desktop floor-3');
    await waitFor(() => expect(bodiesTo(fetchMock, '/api/v1/rollouts/preview').at(-1)?.target).toEqual({ sites: ['berlin'], labels: ['desktop', 'floor-3'] }));
    const asked = bodiesTo(fetchMock, '/api/v1/rollouts/preview').length - before;
    expect(asked, 'one request per pause, not one per key (16 changes)').toBeLessThanOrEqual(3);
    expect(bodiesTo(fetchMock, '/api/v1/rollouts/preview').at(-1)?.waves).toEqual([{ name: 'canary', percent: 10 }, { name: 'everyone else' }]);
  });

  it('says so when no active agent matches the target', async () => {
    stubApi({ ...API, '/api/v1/rollouts/preview': { agents: 0, waves: [{ name: 'canary', agents: 0 }, { name: 'everyone else', agents: 0 }] } });
    renderPage(<RolloutWizard />, { roles: ['starling-operator'], path: '/rollouts/new', route: '/rollouts/new' });
    await pickRelease();
    expect(await screen.findByText('No active agent matches this target; a rollout needs at least one.')).toBeInTheDocument();
  });

  it('shows a bad cron inline, keeps Next off, and sends the window, deadline and download-only mode', async () => {
    const fetchMock = stubApi(API);
    renderPage(<RolloutWizard />, { roles: ['starling-operator'], path: '/rollouts/new', route: '/rollouts/new' });
    await pickRelease();
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Next' }));

    await userEvent.click(await screen.findByRole('switch', { name: /maintenance window/ }));
    const cron = screen.getByLabelText(/Window opens \(cron\)/);
    await userEvent.clear(cron);
    await userEvent.type(cron, '0 0 22 * * 1-5');
    expect(screen.getByText(/Give 5 fields \(minute hour day-of-month month day-of-week\), not 6/)).toBeInTheDocument();
    expect(cron).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('button', { name: 'Next' })).toBeDisabled();
    await userEvent.clear(cron);
    await userEvent.type(cron, '0 25 * * 1-5');
    expect(screen.getByText(/hour: "25" is not 0–23/)).toBeInTheDocument();
    await userEvent.clear(cron);
    await userEvent.type(cron, '0 22 * * 1-5');
    expect(screen.queryByText(/hour: /)).not.toBeInTheDocument();

    const zone = screen.getByLabelText(/Time zone of the cron/);
    await userEvent.clear(zone);
    await userEvent.type(zone, 'Europe/Berlin');
    const hours = screen.getByLabelText(/Window stays open \(hours\)/);
    await userEvent.clear(hours);
    await userEvent.type(hours, '4');
    await userEvent.click(screen.getByLabelText('Download only'));
    fireEvent.change(screen.getByLabelText('Start at'), { target: { value: '2030-12-24T18:00' } });
    fireEvent.change(screen.getByLabelText('Deadline'), { target: { value: '2030-12-23T18:00' } });
    expect(screen.getByText('Not before the start')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Deadline'), { target: { value: '2030-12-31T18:00' } });

    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Start rollout' }));
    await waitFor(() => expect(bodiesTo(fetchMock, '/api/v1/rollouts')).toHaveLength(1));
    const sent = bodiesTo(fetchMock, '/api/v1/rollouts')[0];
    expect(sent.maintenanceWindow).toEqual({ cron: '0 22 * * 1-5', duration: 'PT240M', timezone: 'Europe/Berlin' });
    expect(sent.mode).toBe('DOWNLOAD_ONLY');
    expect(sent.startAt).toBe(new Date('2030-12-24T18:00').toISOString());
    expect(sent.deadline).toBe(new Date('2030-12-31T18:00').toISOString());
  });

  it('has no serious accessibility violation on the targets step or on the rules step with a bad cron', async () => {
    stubApi(API);
    renderPage(<RolloutWizard />, { roles: ['starling-operator'], path: '/rollouts/new', route: '/rollouts/new' });
    await pickRelease();
    await screen.findByText('42 active agents match now.');
    expect(await seriousViolations()).toEqual([]);
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Next' }));
    await userEvent.click(await screen.findByRole('switch', { name: /maintenance window/ }));
    await userEvent.type(screen.getByLabelText(/Window opens \(cron\)/), ' 1');
    await screen.findByText(/^Give 5 fields/);
    expect(await seriousViolations()).toEqual([]);
  });
});
