import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryRouter } from 'react-router-dom';
import { SessionProvider } from '../auth/session';
import { AppShell } from './AppShell';
import { DARK_CLASS, THEME_KEY } from './theme';

/** A controllable prefers-color-scheme: `set` flips it as an operating system would. */
function systemPrefers(dark: boolean) {
  const listeners = new Set<(e: MediaQueryListEvent) => void>();
  const query = {
    matches: dark,
    media: '(prefers-color-scheme: dark)',
    addEventListener: (_: string, l: (e: MediaQueryListEvent) => void) => listeners.add(l),
    removeEventListener: (_: string, l: (e: MediaQueryListEvent) => void) => listeners.delete(l),
  };
  vi.stubGlobal('matchMedia', vi.fn(() => query));
  return {
    set(next: boolean) {
      query.matches = next;
      act(() => listeners.forEach((l) => l({ matches: next } as MediaQueryListEvent)));
    },
  };
}

function shell() {
  return render(
    <SessionProvider session={{ username: 'tester', roles: ['starling-viewer'], logout: vi.fn() }}>
      <MemoryRouter>
        <AppShell>page</AppShell>
      </MemoryRouter>
    </SessionProvider>,
  );
}

const isDark = () => document.documentElement.classList.contains(DARK_CLASS);

describe('the theme switch', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => {
    vi.unstubAllGlobals();
    document.documentElement.classList.remove(DARK_CLASS);
  });

  it('follows the system preference until the user chooses, also when the system changes', () => {
    const system = systemPrefers(true);
    shell();
    expect(screen.getByRole('switch', { name: 'Dark theme' })).toBeChecked();
    expect(isDark()).toBe(true);
    system.set(false);
    expect(screen.getByRole('switch', { name: 'Dark theme' })).not.toBeChecked();
    expect(isDark()).toBe(false);
    expect(localStorage.getItem(THEME_KEY)).toBeNull();
  });

  it('is flipped from the keyboard, and the choice is remembered over the system preference', async () => {
    const system = systemPrefers(false);
    const user = userEvent.setup();
    const { unmount } = shell();
    const toggle = screen.getByRole('switch', { name: 'Dark theme' });
    expect(isDark()).toBe(false);

    toggle.focus();
    await user.keyboard(' ');
    expect(toggle).toBeChecked();
    expect(isDark()).toBe(true);
    expect(localStorage.getItem(THEME_KEY)).toBe('dark');

    system.set(false); // the user's choice wins from now on
    expect(isDark()).toBe(true);
    unmount();
    document.documentElement.classList.remove(DARK_CLASS);
    shell();
    expect(screen.getByRole('switch', { name: 'Dark theme' })).toBeChecked();
    expect(isDark()).toBe(true);

    await user.click(screen.getByRole('switch', { name: 'Dark theme' }));
    expect(isDark()).toBe(false);
    expect(localStorage.getItem(THEME_KEY)).toBe('light');
  });

  it('is light without a preference or where matchMedia is missing', () => {
    vi.stubGlobal('matchMedia', undefined);
    shell();
    expect(screen.getByRole('switch', { name: 'Dark theme' })).not.toBeChecked();
    expect(isDark()).toBe(false);
  });
});
