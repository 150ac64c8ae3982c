import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bearerToken } from '../api/http';

/** A stand-in for keycloak-js that behaves like it: the token timer is armed only if onTokenExpired is set when a token arrives. */
const fake = vi.hoisted(() => ({
  refreshFails: false,
  instance: undefined as undefined | Record<string, unknown>,
  login: vi.fn(async () => undefined),
  updateToken: vi.fn<(minValidity: number) => Promise<boolean>>(async () => true),
}));

vi.mock('keycloak-js', () => ({
  default: class {
    token?: string;
    tokenParsed?: Record<string, unknown>;
    realmAccess = { roles: ['starling-viewer'] };
    onTokenExpired?: () => void;
    login = fake.login;
    logout = vi.fn();
    constructor() {
      fake.instance = this as unknown as Record<string, unknown>;
    }
    async init() {
      this.token = 'first';
      this.tokenParsed = { preferred_username: 'viewer' };
      // keycloak-js: setToken() arms a timer for the token's expiry only for a handler set by now.
      if (this.onTokenExpired) setTimeout(this.onTokenExpired, 300_000);
      return true;
    }
    async updateToken(minValidity: number) {
      await fake.updateToken(minValidity);
      if (fake.refreshFails) throw new Error('Session not active');
      this.token = 'refreshed';
      return true;
    }
  },
}));

const { signIn } = await import('./keycloak');

describe('the Keycloak session', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    fake.refreshFails = false;
    fake.login.mockClear();
    fake.updateToken.mockClear();
    vi.stubGlobal('fetch', vi.fn(async () => Response.json({ keycloakUrl: 'http://kc', realm: 'starling', clientId: 'starling-console' })));
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('a page left open refreshes its first token when it expires, without a click', async () => {
    const session = await signIn();
    expect(session.username).toBe('viewer');
    expect(fake.updateToken).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(300_000);
    expect(fake.updateToken).toHaveBeenCalledTimes(1);
    expect(fake.login).not.toHaveBeenCalled();
    expect(await bearerToken()).toBe('refreshed');
  });

  it('a page left open after the session ended at Keycloak goes back to the login', async () => {
    await signIn();
    fake.refreshFails = true;
    await vi.advanceTimersByTimeAsync(300_000);
    expect(fake.login).toHaveBeenCalledTimes(1);
    expect(fake.login).toHaveBeenCalledWith(); // keycloak-js then returns to the current URL
  });

  it('a call after the session ended at Keycloak goes back to the login instead of failing', async () => {
    await signIn();
    fake.refreshFails = true;
    await bearerToken();
    expect(fake.login).toHaveBeenCalledTimes(1);
  });
});
