import Keycloak from 'keycloak-js';
import { setTokenSource } from '../api/http';
import type { UiConfig } from '../api/types';
import type { Session } from './session';

/** Seconds of validity left below which a call first refreshes the token. */
const MIN_VALIDITY = 30;

/**
 * Signs in with the authorization code flow and PKCE (S256) against the Keycloak that
 * /api/v1/ui-config names, so one build works against any Keycloak. `login-required` sends the
 * browser to Keycloak's login page with the current URL as redirect, so deep links survive it.
 */
export async function signIn(): Promise<Session> {
  const response = await fetch('/api/v1/ui-config');
  if (!response.ok) throw new Error(`GET /api/v1/ui-config answered ${response.status}`);
  const config = (await response.json()) as UiConfig;
  const keycloak = new Keycloak({ url: config.keycloakUrl, realm: config.realm, clientId: config.clientId });

  const fresh = async () => {
    try {
      await keycloak.updateToken(MIN_VALIDITY);
    } catch {
      // The session ended at Keycloak (expired, logged out elsewhere): sign in again, back to this page.
      await keycloak.login();
    }
    return keycloak.token ?? '';
  };
  // Refresh in the background as well, so a page left open keeps a live session, or, once the
  // session has ended, goes back to the login instead of failing at the next click. Set before
  // init: keycloak-js schedules this for a token only if it is set when the token arrives.
  keycloak.onTokenExpired = () => void fresh();
  await keycloak.init({ onLoad: 'login-required', pkceMethod: 'S256', checkLoginIframe: false });
  setTokenSource(fresh);

  const parsed = keycloak.tokenParsed ?? {};
  return {
    username: (parsed.preferred_username as string | undefined) ?? parsed.sub ?? 'unknown',
    roles: keycloak.realmAccess?.roles ?? [],
    logout: () => void keycloak.logout({ redirectUri: window.location.origin + '/' }),
  };
}
