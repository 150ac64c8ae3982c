// Smoke test of the console in a real browser against a running control plane and Keycloak:
// sign in through Keycloak's own login page as admin/admin, land on the products page, deep-link
// to another page and reload it. Exit 0 on success, 1 with the reason otherwise. Changes nothing.
//
//   CONSOLE_URL=http://127.0.0.1:8080 node e2e/smoke.mjs      (after deploy/quickstart.sh up)
//
// Drives Debian's chromium (apt-get install chromium) through playwright-core; no browser download.
import { base, run, signIn, stepper } from './browser.mjs';

const user = process.env.CONSOLE_USER ?? 'admin';
const password = process.env.CONSOLE_PASSWORD ?? 'admin';
const step = stepper('smoke');

await run('smoke', async (browser) => {
  const page = await signIn(browser, user, password, '/products', 'Products and releases');
  step(`signed in as ${user} through ${base}`);
  await page.getByRole('button', { name: 'Create product' }).waitFor();
  step('an admin is offered "Create product"');

  await page.goto(`${base}/sites`);
  await page.getByRole('heading', { name: 'Sites', exact: true }).waitFor();
  await page.reload();
  await page.getByRole('heading', { name: 'Sites', exact: true }).waitFor();
  step('a deep link survives a reload');
});
