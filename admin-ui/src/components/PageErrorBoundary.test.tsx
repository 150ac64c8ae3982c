import { render, screen } from '@testing-library/react';
import { lazy, Suspense } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PageErrorBoundary } from './PageErrorBoundary';

describe('PageErrorBoundary', () => {
  afterEach(() => vi.restoreAllMocks());

  it('asks for a reload when a page of an older build can no longer be loaded', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const Gone = lazy(() => Promise.reject(new TypeError('Failed to fetch dynamically imported module: /assets/AgentsPage-old.js')));
    render(
      <PageErrorBoundary>
        <Suspense fallback="loading">
          <Gone />
        </Suspense>
      </PageErrorBoundary>,
    );
    expect(await screen.findByText('The console was updated: reload to get the new version')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Reload' })).toBeInTheDocument();
  });

  it('shows the error of a page that fails to render instead of a blank page', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const Broken = () => {
      throw new Error('agents is undefined');
    };
    render(
      <PageErrorBoundary>
        <Broken />
      </PageErrorBoundary>,
    );
    expect(await screen.findByText('This page failed')).toBeInTheDocument();
    expect(screen.getByText('agents is undefined')).toBeInTheDocument();
  });
});
