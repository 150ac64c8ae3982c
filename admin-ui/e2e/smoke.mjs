// Smoke test of the console in a real browser against a running control plane and Keycloak:
// sign in through Keycloak's own login page as admin/admin, land on the products page, deep-link
// to another page and reload it. Exit 0 on success, 1 with the reason otherwise.
//
//   CONSOLE_URL=http://127.0.0.1:8080 node e2e/smoke.mjs      (after deploy/quickstart.sh up)
//
// Drives Debian's chromium (apt-get install chromium) through playwright-core; no browser download.
import { chromium } from 'playwright-core';

const base = (process.env.CONSOLE_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
const user = process.env.CONSOLE_USER ?? 'admin';
const password = process.env.CONSOLE_PASSWORD ?? 'admin';
const timeout = Number(process.env.SMOKE_TIMEOUT_MS ?? 30000);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const step = (text) => console.log(`smoke: ${text}`);
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(timeout);
  const started = Date.now();
  await page.goto(`${base}/products`);
  await page.locator('#username').waitFor();
  step(`sent to ${new URL(page.url()).host} to sign in`);
  await page.locator('#username').fill(user);
  await page.locator('#password').fill(password);
  await page.locator('#kc-login').click();
  await page.getByRole('heading', { name: 'Products and releases', exact: true }).waitFor();
  await page.waitForURL(`${base}/products`);
  step(`signed in as ${user}, products page shown ${Date.now() - started} ms after the first request`);
  await page.getByRole('button', { name: 'Create product' }).waitFor();
  step('an admin is offered "Create product"');

  await page.goto(`${base}/sites`);
  await page.getByRole('heading', { name: 'Sites', exact: true }).waitFor();
  await page.reload();
  await page.getByRole('heading', { name: 'Sites', exact: true }).waitFor();
  step('a deep link survives a reload');
  step('passed');
} catch (e) {
  console.error(`smoke: FAILED: ${e instanceof Error ? e.message : e}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
