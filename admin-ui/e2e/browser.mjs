// What every browser script here shares: Debian's chromium driven by playwright-core (never a
// downloaded browser), signing in through Keycloak's own login page, and named steps.
import { chromium } from 'playwright-core';

export const base = (process.env.CONSOLE_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
export const timeout = Number(process.env.E2E_TIMEOUT_MS ?? process.env.SMOKE_TIMEOUT_MS ?? 30000);

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

export function stepper(name) {
  const started = Date.now();
  return (text) => console.log(`${name}: ${((Date.now() - started) / 1000).toFixed(1)} s ${text}`);
}

/**
 * A fresh browser context (no Keycloak session cookie from another user) signed in as `user`,
 * starting at `path`; resolves once the console shows `heading` there. `prepare` gets the context
 * before any page opens (e.g. to install a controllable clock).
 */
export async function signIn(browser, user, password, path, heading, prepare = async () => undefined) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await prepare(context);
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  await page.goto(`${base}${path}`);
  await page.locator('#username').waitFor();
  await page.locator('#username').fill(user);
  await page.locator('#password').fill(password);
  await page.locator('#kc-login').click();
  await page.getByRole('heading', { name: heading, exact: true }).waitFor();
  await page.waitForURL(`${base}${path}`);
  return page;
}

/** Runs `scenario`, printing FAILED with the reason and exiting 1 when it throws. */
export async function run(name, scenario) {
  const browser = await launch();
  try {
    await scenario(browser);
    console.log(`${name}: passed`);
  } catch (e) {
    console.error(`${name}: FAILED: ${e instanceof Error ? e.stack ?? e.message : e}`);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}
