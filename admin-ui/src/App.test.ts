import { describe, expect, it } from 'vitest';
import { pageFor } from './App';

describe('pageFor (which chunk to load while signing in)', () => {
  it('finds the page of a list, of one item, and of a nested item', () => {
    expect(pageFor('/agents')).toBe('/agents');
    expect(pageFor('/agents/7d1e2c3b-4a59-4f60-8e71-92a3b4c5d6e7')).toBe('/agents/:id');
    expect(pageFor('/products/office-suite/releases/2.4.1')).toBe('/products/:product/releases/:version');
  });

  it('takes the rollout wizard for /rollouts/new, not a rollout named "new"', () => {
    expect(pageFor('/rollouts/new')).toBe('/rollouts/new');
    expect(pageFor('/rollouts/4a59')).toBe('/rollouts/:id');
  });

  it('preloads nothing for the home redirect or an unknown address', () => {
    expect(pageFor('/')).toBeUndefined();
    expect(pageFor('/no/such/page')).toBeUndefined();
  });
});
