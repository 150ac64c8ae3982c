// The console's end-to-end scenarios in a real browser against the packaged control plane and a
// real Keycloak; e2e/src/test/java/io/starling/e2e/ConsoleIT.java starts those and runs this.
//   1. An admin signs in through Keycloak's own page, creates a product and a release, uploads a
//      50 MB file and watches its progress bar move (upload throttled to 20 MB/s) and finish, and
//      publishes the release.
//      It walks the rollout wizard to its end, where the API refuses (a label nobody carries);
//      with CONSOLE_AGENTS=n (n enrolled, running agents) it then rolls the release out to them
//      in two waves, watching the canary finish live, pausing, resuming and advancing to the end.
//   2. A viewer signs in and finds no button that would change anything, on every page.
//   3. A viewer's session ends at Keycloak (logged out in another tab) while a release page is
//      open; once the access token expires (the browser's clock skips ahead) the console goes
//      back to Keycloak's login, and signing in again lands on the same release page.
//   4. The admin and the viewer read the Overview (the agents counted by site) and the release's
//      swarm on the Swarms page, in the light theme and then the dark one: the admin turns it on
//      in the masthead with the keyboard, the viewer's browser prefers it.
//   5. Webhooks: an admin creates one (a receiver this script runs on loopback) with a generated
//      secret shown once, sends a test that arrives signed with it and shows as delivered in the
//      hook's log, and deletes it after confirming; a viewer has no Webhooks entry, and the page's
//      address tells them their role may not.
//   On every main page (and the wizard's steps) axe-core checks accessibility: a serious or
//   critical violation fails the run, printed with its rule, impact and elements.
// Exit 0 on success, 1 with the failing step otherwise.
//
//   CONSOLE_URL=http://127.0.0.1:8080 node e2e/console.mjs     (creates a product named e2e-…)
//   CONSOLE_SCREENSHOTS=docs/console …     (also saves PNGs of the main pages; relative to the repository)
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkAccessibility } from './axe.mjs';
import { base, run, signIn, stepper } from './browser.mjs';

const step = stepper('console');
const product = `e2e-${Date.now().toString(36)}`;
const version = '1.0';
// Playwright passes at most 50 MB as a buffer: the file is written to a temporary folder instead.
const scratch = mkdtempSync(join(tmpdir(), 'starling-console-'));
const file = { name: 'app.bin', path: join(scratch, 'app.bin'), size: 50_000_000 };
writeFileSync(file.path, Buffer.alloc(file.size, 7));
const releasePath = `/products/${product}/releases/${version}`;
const repo = fileURLToPath(new URL('../..', import.meta.url));
const agents = Number(process.env.CONSOLE_AGENTS ?? 0);
const screenshots = process.env.CONSOLE_SCREENSHOTS && resolve(repo, process.env.CONSOLE_SCREENSHOTS);
// Anything a viewer must not be offered: the API would refuse it.
const MUTATING = /^(create|publish|revoke|delete|remove|edit|choose files|upload|pause|resume|advance|cancel|start|new|approve|deny)\b/i;

async function screenshot(page, name) {
  if (!screenshots) return;
  mkdirSync(screenshots, { recursive: true });
  await idle(page);
  await page.screenshot({ path: join(screenshots, `${name}.png`) });
  step(`saved ${name}.png`);
}

const inaccessible = [];

/** Once the page has settled: axe on it; a serious or critical violation fails the run at its end. */
async function accessible(page, name) {
  await idle(page);
  const problems = await checkAccessibility(page, name, step);
  if (problems) inaccessible.push(problems);
}

/** Waits until no part of the page is still loading (PatternFly spinners gone). */
async function idle(page) {
  await page.waitForFunction(() => document.querySelector('.pf-v6-c-spinner') === null);
}

async function adminPublishesARelease(browser) {
  const page = await signIn(browser, 'admin', 'admin', '/products', 'Products and releases');
  step('admin signed in through Keycloak\'s login page');

  await page.getByRole('button', { name: 'Create product' }).click();
  await page.locator('#product-name').fill(product);
  await page.getByRole('dialog').getByRole('button', { name: 'Create', exact: true }).click();
  await page.waitForURL(`${base}/products/${product}`);
  await page.getByRole('heading', { name: product, exact: true }).waitFor();
  step(`created product ${product}`);

  await page.getByRole('button', { name: 'Create release' }).click();
  await page.locator('#release-version').fill(version);
  await page.getByRole('dialog').getByRole('button', { name: 'Create draft' }).click();
  await page.waitForURL(`${base}${releasePath}`);
  await page.getByRole('heading', { name: `${product} ${version} draft` }).waitFor();
  step(`created draft release ${version}`);

  const seen = await uploadWatchingProgress(page);
  step(`uploaded ${file.name} (50 MB): the progress bar showed ${seen.join(', ')} % and the artifact is listed`);

  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Publish', exact: true }).click();
  await page.getByRole('heading', { name: `${product} ${version} published` }).waitFor();
  await page.getByText(/^Signed manifest \(key /).waitFor();
  step('published after confirming; the page shows the signed release');
  await accessible(page, 'release (admin)');
  await screenshot(page, 'release');

  await page.goto(`${base}/products`);
  await page.getByRole('link', { name: product }).waitFor();
  await screenshot(page, 'products');
  await accessible(page, 'products (admin)');
  await page.goto(`${base}/agents`);
  await page.getByRole('heading', { name: 'Agents', exact: true }).waitFor();
  await screenshot(page, 'agents');
  await accessible(page, 'agents (admin)');

  // No agent carries the label e2e-nobody, so the API refuses the rollout: the wizard must say why.
  await page.goto(`${base}/rollouts`);
  await page.getByRole('heading', { name: 'Rollouts', exact: true }).waitFor();
  await page.getByRole('button', { name: 'Create rollout' }).click();
  await page.locator('#rollout-product').selectOption(product);
  await page.locator('#rollout-version').selectOption(version);
  const next = page.getByRole('button', { name: 'Next', exact: true });
  await next.click();
  await page.getByLabel('Labels').fill('e2e-nobody');
  await page.getByText('No active agent matches this target; a rollout needs at least one.').waitFor();
  step('the wizard counts the agents the target matches as it is typed: none carry e2e-nobody');
  await accessible(page, 'rollout wizard: targets');
  await next.click();
  await page.locator('#wave-0-percent').fill('25');
  await screenshot(page, 'rollout-wizard');
  await next.click();
  await page.locator('#rollout-error').fill('5');
  // PatternFly's switch track covers its input: a user clicks the label, and so does this.
  const windowSwitch = page.getByRole('switch', { name: 'Install only in a maintenance window' });
  await page.getByText('Install only in a maintenance window', { exact: true }).click();
  if (!(await windowSwitch.isChecked())) throw new Error('the maintenance window switch did not turn on');
  await page.getByLabel('Window opens (cron)').fill('0 22 * *');
  await page.getByText(/^Give 5 fields/).waitFor();
  await accessible(page, 'rollout wizard: rules with a bad cron');
  await page.getByText('Install only in a maintenance window', { exact: true }).click();
  await page.getByLabel('Window opens (cron)').waitFor({ state: 'detached' });
  await next.click();
  await page.getByText(`${product} ${version} to labels e2e-nobody`).waitFor();
  await page.getByRole('button', { name: 'Start rollout' }).click();
  await page.getByText('target: matches no active agent').waitFor();
  step('the rollout wizard walks release, targets, waves and rules, and shows the API\'s refusal');
  if (agents > 0) await rollOutToEveryAgent(page);
  if (screenshots) {
    await page.goto(`${base}/rollouts`);
    await page.getByRole('heading', { name: 'Rollouts', exact: true }).waitFor();
    await screenshot(page, 'rollouts');
    const first = page.getByRole('grid', { name: 'Rollouts' }).getByRole('link').first();
    if (await first.count()) {
      await first.click();
      await page.getByText(/^Waves · /).waitFor();
      await screenshot(page, 'rollout');
    }
  }
  await page.context().close();
}

/**
 * Uploads the 50 MB file with the page's upload throttled to 20 MB/s (loopback would finish
 * before a second render), recording every value the progress bar shows. Returns them; throws
 * unless one lies strictly between 0 and 100 before 100 is reached.
 */
async function uploadWatchingProgress(page) {
  await page.evaluate((name) => {
    const seen = (window.__uploadProgress = []);
    new MutationObserver(() => {
      for (const bar of document.querySelectorAll('[role="progressbar"]')) {
        if (!bar.closest('.pf-v6-c-progress')?.textContent?.includes(name)) continue;
        const value = Number(bar.getAttribute('aria-valuenow'));
        if (seen.at(-1) !== value) seen.push(value);
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
  }, file.name);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const throttle = (uploadThroughput) =>
    cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput });
  await throttle(20_000_000);
  try {
    await page.getByLabel('Files to upload').setInputFiles(file.path);
    const progress = page.locator('.pf-v6-c-progress', { hasText: file.name });
    await progress.getByText('50 MB uploaded').waitFor({ timeout: 60000 });
    await progress.getByText('100%').waitFor();
  } finally {
    await throttle(-1);
    await cdp.detach();
  }
  await page.getByRole('grid', { name: 'Artifacts' }).locator('td', { hasText: file.name }).waitFor();
  const seen = await page.evaluate(() => window.__uploadProgress);
  const finished = seen.indexOf(100);
  if (finished < 0 || !seen.slice(0, finished).some((v) => v > 0 && v < 100)) {
    throw new Error(`the progress bar did not move between 0 and 100 % before finishing: it showed ${JSON.stringify(seen)}`);
  }
  return seen;
}

/**
 * Back in the wizard after the refusal: every agent, canary then the rest, each wave waiting for
 * Advance. The page shows the canary succeed live, then pause, resume, advance and the finish.
 */
async function rollOutToEveryAgent(page) {
  const back = page.getByRole('button', { name: 'Back', exact: true });
  for (let i = 0; i < 3; i++) await back.click();
  await page.getByLabel('Labels').fill('');
  const next = page.getByRole('button', { name: 'Next', exact: true });
  await next.click();
  await next.click();
  await page.getByLabel('Waits for Advance').check();
  await next.click();
  await page.getByText(`${product} ${version} to every active agent`).waitFor();
  await page.getByRole('button', { name: 'Start rollout' }).click();
  await page.waitForURL(/\/rollouts\/[0-9a-f-]{36}$/);
  const stateIs = (state) => page.getByRole('heading', { name: `${product} ${version} ${state}` }).waitFor({ timeout: 60000 });
  await page.getByText('Waiting for you: a wave succeeded').waitFor({ timeout: 60000 });
  step(`rollout created; its canary installed on its own (${agents} agents) and it waits for Advance`);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await stateIs('paused');
  await page.getByText('Paused by an operator').waitFor();
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await stateIs('running');
  step('paused and resumed');
  await page.getByRole('button', { name: 'Advance to next wave' }).click();
  await stateIs('finished');
  await page.getByText(`Waves · ${agents} of ${agents} agents done`).waitFor();
  step('advanced; the rollout finished with every agent installed');
  await accessible(page, 'rollout detail (admin)');
}

async function viewerFindsNoMutatingButtons(browser) {
  const page = await signIn(browser, 'viewer', 'viewer', '/products', 'Products and releases');
  step('viewer signed in');
  const pages = [
    ['/', 'Overview'],
    ['/products', 'Products and releases'],
    [`/products/${product}`, product],
    [releasePath, `${product} ${version} published`],
    ['/rollouts', 'Rollouts'],
    ['/rollouts/new', 'Create rollout'], // by its address: the wizard says the role may not
    ['/agents', 'Agents'],
    ['/sites', 'Sites'],
    ['/tokens', 'Enrollment tokens'],
    ['/audit', 'Audit log'],
  ];
  for (const [path, heading] of pages) {
    await page.goto(`${base}${path}`);
    await page.getByRole('heading', { name: heading, exact: true }).waitFor();
    await idle(page);
    await page.getByRole('button', { name: 'Log out' }).waitFor(); // the page is there and has buttons
    await offeredNothing(page, path);
    await accessible(page, path);
  }
  step(`no mutating buttons on ${pages.length} pages`);
  await page.goto(`${base}/rollouts`);
  await page.getByRole('heading', { name: 'Rollouts', exact: true }).waitFor();
  await idle(page);
  const rollout = page.getByRole('grid', { name: 'Rollouts' }).getByRole('link').first();
  if (await rollout.count()) {
    await rollout.click();
    await page.getByText(/^Waves · /).waitFor();
    await offeredNothing(page, page.url());
    await accessible(page, 'rollout detail (viewer)');
    step('and none on a rollout\'s page');
  }
  await page.context().close();
}

async function offeredNothing(page, where) {
  const offered = await page.getByRole('button', { name: MUTATING }).allTextContents();
  if (offered.length > 0) throw new Error(`a viewer is offered ${JSON.stringify(offered)} on ${where}`);
}

/**
 * The viewer has the release page open when their session ends at Keycloak: logged out in another
 * tab through Keycloak's end-session endpoint. Access tokens live 5 minutes, so the browser's
 * clock skips 6 minutes ahead: the console's refresh is refused, and it must go back to Keycloak's
 * login, not fail or show a blank page; signing in again returns to the release page.
 */
async function anEndedSessionSignsInAgainOnTheSamePage(browser) {
  const installClock = (context) => context.clock.install();
  const page = await signIn(browser, 'viewer', 'viewer', releasePath, `${product} ${version} published`, installClock);
  const config = await page.evaluate(() => fetch('/api/v1/ui-config').then((r) => r.json()));
  const other = await page.context().newPage();
  await other.goto(`${config.keycloakUrl.replace(/\/$/, '')}/realms/${config.realm}/protocol/openid-connect/logout`);
  await other.locator('#kc-logout').click();
  await other.getByRole('heading', { name: 'You are logged out' }).waitFor();
  await other.close();
  step('the viewer\'s session ended at Keycloak (logged out in another tab) with the release page open');
  await page.bringToFront();
  await page.clock.fastForward('06:00');
  await page.locator('#username').waitFor();
  step('once the token expired, the console went back to Keycloak\'s login page');
  await page.locator('#username').fill('viewer');
  await page.locator('#password').fill('viewer');
  await page.locator('#kc-login').click();
  await page.waitForURL(`${base}${releasePath}`);
  await page.getByRole('heading', { name: `${product} ${version} published`, exact: true }).waitFor();
  step('signed in again: back on the same release page');
  await page.context().close();
}

// --- The Overview and the Swarms page, in both themes -----------------------------------------

/** Waits until `locator`'s text, read as a number, is at least `min`; answers it. */
async function atLeast(locator, min, timeoutMs = 45000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const n = Number((await locator.textContent())?.trim());
    if (n >= min) return n;
    if (Date.now() > until) throw new Error(`expected at least ${min}, the page shows ${n}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

const darkTheme = (page) => page.evaluate(() => document.documentElement.classList.contains('pf-v6-theme-dark'));

/**
 * `user` reads the Overview (the enrolled agents counted by the server, by site) and the Swarms
 * page (the published file's swarm, reached from the release page's link), each checked by axe in
 * the light theme and again in the dark one. The admin turns dark on with the keyboard in the
 * masthead and finds it remembered after a reload; the viewer, who never chose, gets dark as soon
 * as the browser prefers it (prefers-color-scheme).
 */
async function overviewAndSwarmsInBothThemes(browser, user) {
  const page = await signIn(browser, user, user, '/overview', 'Overview');
  if (await darkTheme(page)) throw new Error('the console is dark, but neither the browser nor the user asked for it');
  const overview = async () => {
    await page.goto(`${base}/overview`);
    await page.getByRole('heading', { name: 'Overview', exact: true }).waitFor();
    await page.getByText(`agents: ${agents}`, { exact: true }).waitFor();
    await page.getByText(`active: ${agents}`, { exact: true }).waitFor();
    if (agents > 0) {
      // ConsoleIT's agents run on loopback, which it made a site.
      const loopback = page.getByRole('grid', { name: 'Agents by site' }).getByRole('row').filter({ has: page.getByRole('link', { name: 'loopback', exact: true }) });
      const active = await loopback.locator('td[data-label="Active"]').textContent();
      if (active !== String(agents)) throw new Error(`the overview shows ${active} active agents on site loopback, not ${agents}`);
    }
    await idle(page);
  };
  const swarmRow = () => page.getByRole('grid', { name: 'Swarms' }).getByRole('row').filter({ hasText: file.name });
  const swarmsOfTheRelease = async () => {
    await page.goto(`${base}${releasePath}`);
    await page.getByRole('link', { name: 'Swarms of these files' }).click();
    await page.waitForURL(`${base}/swarms?product=${product}&version=${version}`);
    await page.getByRole('heading', { name: 'Swarms', exact: true }).waitFor();
    await swarmRow().getByRole('link', { name: `${product} ${version}` }).waitFor();
    await idle(page);
  };

  await overview();
  step(`${user}: the overview counts ${agents} active agents, on site loopback`);
  await accessible(page, `overview (${user}, light)`);
  await swarmsOfTheRelease();
  if (agents > 0) {
    // Each agent that installed the release downloaded it and announced so: the page polls every 10 s.
    const completed = await atLeast(swarmRow().locator('td[data-label="Completed"]'), agents);
    step(`${user}: the release page links to its swarm, which shows ${completed} completed downloads`);
  } else {
    step(`${user}: the release page links to its swarm`);
  }
  await accessible(page, `swarms (${user}, light)`);
  if (user === 'viewer') await offeredNothing(page, '/swarms');

  if (user === 'admin') {
    const toggle = page.getByRole('switch', { name: 'Dark theme' });
    await toggle.focus();
    await page.keyboard.press('Space');
    if (!(await toggle.isChecked()) || !(await darkTheme(page))) throw new Error('Space on the masthead\'s Dark theme switch did not turn the console dark');
    await page.reload();
    await page.getByRole('heading', { name: 'Swarms', exact: true }).waitFor();
    if (!(await darkTheme(page))) throw new Error('the dark theme was not remembered over a reload');
    step('admin: Space on the masthead switch turned the console dark, and it stayed dark after a reload');
  } else {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForFunction(() => document.documentElement.classList.contains('pf-v6-theme-dark'));
    step('viewer: the console turned dark as soon as the browser preferred dark');
  }
  await swarmRow().waitFor();
  await idle(page);
  await accessible(page, `swarms (${user}, dark)`);
  await screenshot(page, `swarms-dark-${user}`);
  await overview();
  await accessible(page, `overview (${user}, dark)`);
  await page.context().close();
}

// ------------------------------------------------------------------------------------------------

// ---- Webhooks (kept apart from the other scenarios) ----

/** An HTTP receiver on loopback that keeps what it was sent; answers 204. */
async function webhookReceiver() {
  const received = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(204).end();
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}/starling-e2e`, received, close: () => new Promise((ok) => server.close(ok)) };
}

async function adminManagesAWebhook(browser) {
  const receiver = await webhookReceiver();
  try {
    const page = await signIn(browser, 'admin', 'admin', '/products', 'Products and releases');
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Webhooks', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Create webhook' }).click();
    const form = page.getByRole('dialog');
    await form.getByLabel('URL').fill(receiver.url);
    await form.getByRole('button', { name: 'Generate' }).click();
    const secret = await form.locator('#webhook-secret').inputValue();
    await accessible(page, 'webhooks: create');
    await form.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByText('Copy the secret now: it is shown only this once.').waitFor();
    if ((await page.getByRole('dialog').getByRole('textbox').inputValue()) !== secret) throw new Error('the one-time dialog does not show the secret the hook was created with');
    await page.getByRole('button', { name: 'Done' }).click();
    step('admin created a webhook from the Webhooks entry; its generated secret was shown once to copy');

    await page.getByRole('button', { name: `Send test to ${receiver.url}` }).click();
    await page.getByText('Test delivery queued').waitFor();
    const log = page.getByRole('grid', { name: 'Deliveries' });
    try {
      await log.getByRole('row', { name: /ping \(test\).*delivered/ }).waitFor({ timeout: 30000 });
    } catch (e) {
      const rows = await log.getByRole('row').allTextContents().catch(() => []);
      throw new Error(`the test delivery did not show as delivered: the log shows ${JSON.stringify(rows)}, the receiver got ${receiver.received.length} requests`, { cause: e });
    }
    const ping = receiver.received.find((r) => r.headers['x-starling-event'] === 'ping');
    if (!ping) throw new Error(`the receiver got no ping: ${JSON.stringify(receiver.received.map((r) => r.headers))}`);
    const expected = `sha256=${createHmac('sha256', secret).update(ping.body).digest('hex')}`;
    if (ping.headers['x-starling-signature'] !== expected) throw new Error(`the ping's signature ${ping.headers['x-starling-signature']} is not ${expected}`);
    step('a test delivery arrived signed with that secret, and the delivery log shows it delivered');
    await accessible(page, 'webhooks with a delivery log (admin)');
    await screenshot(page, 'webhooks');

    await page.getByRole('button', { name: `Delete ${receiver.url}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByText('No webhooks').waitFor();
    step('deleted the webhook after confirming');
    await page.context().close();
  } finally {
    await receiver.close();
  }
}

async function viewerMayNotManageWebhooks(browser) {
  const page = await signIn(browser, 'viewer', 'viewer', '/webhooks', 'Webhooks');
  await page.getByText('Your role may not manage webhooks').waitFor();
  const entries = await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Webhooks' }).count();
  if (entries > 0) throw new Error('a viewer is offered the Webhooks entry');
  await offeredNothing(page, '/webhooks');
  await accessible(page, '/webhooks (viewer)');
  step('a viewer has no Webhooks entry, and its address says their role may not');
  await page.context().close();
}

await run('console', async (browser) => {
  try {
    await adminPublishesARelease(browser);
    await viewerFindsNoMutatingButtons(browser);
    await anEndedSessionSignsInAgainOnTheSamePage(browser);
    await overviewAndSwarmsInBothThemes(browser, 'admin');
    await overviewAndSwarmsInBothThemes(browser, 'viewer');
    await adminManagesAWebhook(browser);
    await viewerMayNotManageWebhooks(browser);
    if (inaccessible.length > 0) throw new Error(inaccessible.join('\n'));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});
