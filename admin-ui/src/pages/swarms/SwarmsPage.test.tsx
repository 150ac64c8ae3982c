import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Swarm } from '../../api/types';
import { renderPage, stubApi } from '../../testing/render';
import SwarmsPage from './SwarmsPage';

const swarm = (product: string, version: string, file: string, seeds: number, leechers: number, sites: Swarm['sites'] = []): Swarm => ({
  product,
  version,
  file,
  infoHashV1: `${product}${version}${file}`.replace(/[^a-f0-9]/g, '').padEnd(40, '0'),
  infoHashV2: 'b'.repeat(64),
  seeds,
  leechers,
  completed: seeds,
  reportedUploadedBytes: 0,
  reportedDownloadedBytes: 0,
  originSeedBytes: 80_000_000,
  webSeedBytes: 20_000_000,
  sites,
});

const LIST = [
  swarm('office-suite', '2.4.1', 'setup.bin', 41, 9, [
    { site: 'berlin', seeds: 30, leechers: 2 },
    { site: '', seeds: 11, leechers: 7 },
  ]),
  swarm('office-suite', '2.4.1', 'fonts.zip', 0, 0),
  swarm('office-suite', '2.5.0', 'setup.bin', 3, 1),
  swarm('browser', '130.0', 'browser.deb', 0, 0),
];

const rowTexts = () => within(screen.getByRole('grid', { name: 'Swarms' })).getAllByRole('row').slice(1);

describe('SwarmsPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows every swarm with its seeders, leechers, completions, peers by site and a link to its release', async () => {
    const fetchMock = stubApi({ '/api/v1/swarms': LIST });
    renderPage(<SwarmsPage />, { roles: ['starling-viewer'], path: '/swarms', route: '/swarms' });
    expect(screen.getByRole('progressbar', { name: 'Loading swarms' })).toBeInTheDocument();

    await screen.findByRole('grid', { name: 'Swarms' });
    expect(rowTexts()).toHaveLength(4);
    const first = rowTexts()[0];
    expect(within(first).getByRole('link', { name: 'office-suite 2.4.1' })).toHaveAttribute('href', '/products/office-suite/releases/2.4.1');
    const cells = within(first).getAllByRole('cell');
    expect(cells.map((c) => c.getAttribute('data-label'))).toEqual(['Release', 'File', 'Info-hash', 'Seeders', 'Leechers', 'Completed', 'Peers by site', 'From the origin']);
    expect(cells.slice(3, 6).map((c) => c.textContent)).toEqual(['41', '9', '41']);
    expect(within(first).getByText('berlin: 30 seeding, 2 downloading')).toBeInTheDocument();
    expect(within(first).getByText('no site: 11 seeding, 7 downloading')).toBeInTheDocument();
    expect(cells[7]).toHaveTextContent('100 MB');
    expect(screen.getByTestId('swarm-total')).toHaveTextContent('4 swarms: 44 seeding, 10 downloading, 44 completed');
    expect(fetchMock.mock.calls.map((c) => String(c[0]))).toContain('/api/v1/swarms');
  });

  it('shows one release\'s swarms from the address the release page links to, and every swarm once that filter is closed', async () => {
    stubApi({ '/api/v1/swarms': LIST });
    renderPage(<SwarmsPage />, { roles: ['starling-operator'], path: '/swarms', route: '/swarms?product=office-suite&version=2.4.1' });
    await screen.findByRole('grid', { name: 'Swarms' });
    expect(rowTexts().map((r) => within(r).getAllByRole('cell')[1].textContent)).toEqual(['setup.bin', 'fonts.zip']);

    fireEvent.click(screen.getByRole('button', { name: 'Show every release' }));
    await waitFor(() => expect(rowTexts()).toHaveLength(4));
  });

  it('filters by text and by having peers, and says so when nothing matches', async () => {
    stubApi({ '/api/v1/swarms': LIST });
    renderPage(<SwarmsPage />, { roles: ['starling-viewer'], path: '/swarms', route: '/swarms?peers=yes' });
    await screen.findByRole('grid', { name: 'Swarms' });
    expect(rowTexts()).toHaveLength(2);
    expect(screen.getByRole('switch', { name: 'Only swarms with peers' })).toBeChecked();

    const search = screen.getByRole('textbox', { name: 'Filter swarms' });
    fireEvent.change(search, { target: { value: 'BROWSER' } });
    fireEvent.keyDown(search, { key: 'Enter' });
    expect(await screen.findByText('No swarm matches')).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Clear all filters' }));
    await waitFor(() => expect(rowTexts()).toHaveLength(4));
    expect(search).toHaveValue('');
  });

  it('says there are no swarms before anything is published', async () => {
    stubApi({ '/api/v1/swarms': [] });
    renderPage(<SwarmsPage />, { roles: ['starling-viewer'], path: '/swarms', route: '/swarms' });
    expect(await screen.findByText('No swarms yet')).toBeInTheDocument();
  });

  it('shows the problem when the swarms cannot be read', async () => {
    stubApi({});
    renderPage(<SwarmsPage />, { roles: ['starling-viewer'], path: '/swarms', route: '/swarms' });
    expect(await screen.findByText('Could not load swarms')).toBeInTheDocument();
    expect(screen.getByText(/no stub for \/api\/v1\/swarms/)).toBeInTheDocument();
  });
});
