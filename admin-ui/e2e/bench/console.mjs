// The console's browser half of e2e/bench/console.sh (which starts Keycloak, a control plane with
// 10,000 agents, and reads this script's answer): Debian's chromium driven by playwright-core.
//   1. Interactive after the login redirect: RUNS fresh browser contexts (cold cache, no Keycloak
//      session) open /agents, sign in on Keycloak's own page, and time the console document that
//      Keycloak redirects back to (?code=… in the fragment): from the start of its fetch until the
//      agents table has rows and the main thread runs its next task. The same document's own HTML
//      (responseEnd) is the baseline. The first run warms the server and is not counted.
//   2. Every main page is opened once; each answer of GET /api/v1/agents is counted, so that a
//      page that reads the whole fleet shows up.
//   3. Uploads: UPLOADS times a FILE upload through the release page's file input (the console's
//      own upload code: parts of the file, PARTS_IN_FLIGHT XMLHttpRequests at a time) and `curl -T` of the
//      same file to the single-request endpoint, in
//      turns; each upload goes to a new draft release of PRODUCT and its first bytes are made
//      unique (a blob the store already has is not what this measures). A third contender, a bare
//      XMLHttpRequest.send(File) from the same page, shows what chromium itself costs.
// Prints one JSON object on stdout; progress goes to stderr. Exit 1 with the failing step otherwise.
//
//   CONSOLE_URL=http://127.0.0.1:PORT RUNS=5 UPLOADS=3 FILE=/tmp/x.bin PRODUCT=bench node e2e/bench/console.mjs
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { base, launch } from '../browser.mjs';
import { adminToken as token, rewriteFirstBytes } from './bench-api.mjs';
import { median, percentile } from './stats.mjs';

const RUNS = Number(process.env.RUNS ?? 5);
const UPLOADS = Number(process.env.UPLOADS ?? 3);
const FILE = process.env.FILE;
const PRODUCT = process.env.PRODUCT ?? 'bench';
const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS ?? 120000);
const log = (text) => process.stderr.write(`console.mjs: ${text}\n`);

/** Watches for the agents table's first row; `__interactive` is the next task the main thread then runs. */
function watchAgentsTable() {
  const found = () => document.querySelector('table[aria-label="Agents"] tbody tr td');
  const observer = new MutationObserver(() => {
    if (window.__rendered || !found()) return;
    window.__rendered = performance.now();
    observer.disconnect();
    setTimeout(() => (window.__interactive = performance.now()), 0);
  });
  observer.observe(document, { childList: true, subtree: true });
}

async function login(page) {
  await page.locator('#username').waitFor();
  await page.locator('#username').fill('admin');
  await page.locator('#password').fill('admin');
  await page.locator('#kc-login').click();
}

/** One cold sign-in at /agents; times in ms from the start of the redirected document's fetch. */
async function interactiveAfterLogin(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await context.addInitScript(watchAgentsTable);
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    await page.goto(`${base}/agents`);
    await login(page);
    await page.waitForFunction(() => window.__interactive !== undefined && location.pathname === '/agents');
    return await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const from = nav.fetchStart;
      const ended = (pattern) => {
        const entry = performance.getEntriesByType('resource').find((e) => pattern.test(e.name));
        return entry ? entry.responseEnd - from : null;
      };
      return {
        html: nav.responseEnd - from,
        pageChunk: ended(/\/assets\/AgentsPage-.*\.js$/),
        scripts: Math.max(...performance.getEntriesByType('resource').filter((e) => /\/assets\/index-.*\.js$/.test(e.name)).map((e) => e.responseEnd - from)),
        uiConfig: ended(/\/api\/v1\/ui-config$/),
        token: ended(/\/protocol\/openid-connect\/token$/),
        agents: ended(/\/api\/v1\/agents\?/),
        rendered: window.__rendered - from,
        interactive: window.__interactive - from,
      };
    });
  } finally {
    await context.close();
  }
}

const PAGES = [
  ['/overview', 'Overview'],
  ['/products', 'Products and releases'],
  ['/rollouts', 'Rollouts'],
  ['/rollouts/new', 'Create rollout'],
  ['/agents', 'Agents'],
  ['/sites', 'Sites'],
  ['/tokens', 'Enrollment tokens'],
  ['/audit', 'Audit log'],
];

/** Agents each main page received from GET /api/v1/agents (listings), and the largest page asked for. */
async function agentsReadPerPage(page) {
  const result = [];
  for (const [path, heading] of PAGES) {
    const seen = { path, requests: 0, agents: 0, largestLimit: 0 };
    const onResponse = async (response) => {
      const url = new URL(response.url());
      if (url.pathname !== '/api/v1/agents' || response.request().method() !== 'GET') return;
      seen.requests++;
      seen.largestLimit = Math.max(seen.largestLimit, Number(url.searchParams.get('limit') ?? 100));
      try {
        seen.agents += (await response.json()).length;
      } catch {
        // An answer cut off by the next navigation: counted as a request only.
      }
    };
    page.on('response', onResponse);
    await page.goto(`${base}${path}`);
    await page.getByRole('heading', { name: heading, exact: true }).waitFor();
    await page.waitForLoadState('networkidle');
    await page.waitForFunction(() => document.querySelector('.pf-v6-c-spinner') === null);
    page.off('response', onResponse);
    result.push(seen);
    log(`${path}: ${seen.requests} agent listing requests, ${seen.agents} agents received, largest limit ${seen.largestLimit}`);
  }
  return result;
}

async function createRelease(version) {
  const response = await fetch(`${base}/api/v1/products/${PRODUCT}/releases`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${await token()}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ version }),
  });
  if (!response.ok) throw new Error(`creating release ${version} answered ${response.status}: ${await response.text()}`);
}

const run = promisify(execFile);
const makeUnique = (tag) => rewriteFirstBytes(FILE, tag);

/** Seconds `curl -T` took from the request's start to the answer's end. */
async function curlUpload(version) {
  const url = `${base}/api/v1/products/${PRODUCT}/releases/${version}/artifacts/${basename(FILE)}`;
  // No "Expect: 100-continue": curl would wait up to a second for a 100 before sending the body.
  const { stdout } = await run('curl', ['-fsS', '-o', '/dev/null', '-w', '%{time_total}', '-H', 'Expect:',
    '-H', `Authorization: Bearer ${await token()}`, '-T', FILE, url]);
  return Number(stdout);
}

/**
 * Seconds the console's upload took, in parts (its resource
 * timing: from the start of the request that starts the upload to the end of the answer that
 * completes it).
 */
async function browserUpload(page, version) {
  await page.goto(`${base}/products/${PRODUCT}/releases/${version}`);
  await page.getByRole('heading', { name: `${PRODUCT} ${version} draft` }).waitFor();
  await page.getByLabel('Files to upload').setInputFiles(FILE);
  const name = basename(FILE);
  await page.getByRole('grid', { name: 'Artifacts' }).locator('td', { hasText: name }).waitFor({ timeout: 600000 });
  const seconds = await page.evaluate((file) => {
    const entries = performance.getEntriesByType('resource');
    const started = entries.find((e) => e.name.endsWith(`/artifacts/${file}/uploads`));
    const completed = entries.find((e) => e.name.includes(`/artifacts/${file}/uploads/`) && e.name.endsWith('/complete'));
    const parts = entries.filter((e) => e.name.includes(`/artifacts/${file}/uploads/`) && /\/parts\/\d+$/.test(e.name));
    // The most part requests that were under way at one moment.
    const inFlight = Math.max(0, ...parts.map((p) => parts.filter((q) => q.startTime <= p.startTime && p.startTime < q.responseEnd).length));
    window.__partsInFlight = inFlight;
    return started && completed ? (completed.responseEnd - started.startTime) / 1000 : null;
  }, name);
  if (seconds === null) throw new Error('the browser recorded no timing for its upload');
  partsInFlight = Math.max(partsInFlight, await page.evaluate(() => window.__partsInFlight));
  return seconds;
}

/**
 * Seconds a bare XMLHttpRequest.send(File) took from the same page, with no progress handler and
 * no React: what the browser itself costs, to tell the console's share from chromium's.
 */
async function bareXhrUpload(page, version) {
  await page.goto(`${base}/products/${PRODUCT}/releases/${version}`);
  await page.getByRole('heading', { name: `${PRODUCT} ${version} draft` }).waitFor();
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.id = 'bench-bare-upload';
    document.body.append(input);
  });
  await page.locator('#bench-bare-upload').setInputFiles(FILE);
  const url = `/api/v1/products/${PRODUCT}/releases/${version}/artifacts/${basename(FILE)}`;
  return page.evaluate(
    ([path, bearer]) =>
      new Promise((resolve, reject) => {
        const file = document.getElementById('bench-bare-upload').files[0];
        const xhr = new XMLHttpRequest();
        xhr.open('PUT', path);
        xhr.setRequestHeader('Authorization', `Bearer ${bearer}`);
        xhr.setRequestHeader('Content-Type', 'application/octet-stream');
        const started = performance.now();
        xhr.onload = () => (xhr.status < 300 ? resolve((performance.now() - started) / 1000) : reject(new Error(`PUT answered ${xhr.status}`)));
        xhr.onerror = () => reject(new Error('the bare upload was cut off'));
        xhr.send(file);
      }),
    [url, await token()],
  );
}

/** The most part requests the console had under way at once, over all its uploads. */
let partsInFlight = 0;

async function uploads(browser) {
  const bytes = statSync(FILE).size;
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  await page.goto(`${base}/products/${PRODUCT}`);
  await login(page);
  await page.getByRole('heading', { name: PRODUCT, exact: true }).waitFor();
  const curl = [];
  const browserTimes = [];
  const bare = [];
  for (let i = 1; i <= UPLOADS; i++) {
    for (const [who, times, upload] of [
      ['curl', curl, curlUpload],
      ['console', browserTimes, (v) => browserUpload(page, v)],
      ['bare-xhr', bare, (v) => bareXhrUpload(page, v)],
    ]) {
      const version = `${who}-${i}`;
      await createRelease(version);
      makeUnique(version);
      const seconds = await upload(version);
      times.push(seconds);
      log(`upload ${i}/${UPLOADS} by ${who}: ${seconds.toFixed(2)} s, ${(bytes / seconds / 1e6).toFixed(0)} MB/s`);
    }
  }
  await context.close();
  return { bytes, curl, console: browserTimes, bareXhr: bare, partsInFlight };
}

async function main() {
  const browser = await launch();
  try {
    const result = {};
    log('warm-up sign-in (not counted)');
    await interactiveAfterLogin(browser);
    const runs = [];
    for (let i = 1; i <= RUNS; i++) {
      const r = await interactiveAfterLogin(browser);
      runs.push(r);
      log(`sign-in ${i}/${RUNS}: HTML ${r.html.toFixed(0)} ms, scripts ${r.scripts.toFixed(0)} ms, ui-config ${r.uiConfig?.toFixed(0)} ms, `
        + `token ${r.token?.toFixed(0)} ms, page chunk ${r.pageChunk?.toFixed(0)} ms, agents answered ${r.agents?.toFixed(0)} ms, table ${r.rendered.toFixed(0)} ms, interactive ${r.interactive.toFixed(0)} ms`);
    }
    result.login = Object.fromEntries(Object.keys(runs[0]).map((k) => [k, { median: median(runs.map((r) => r[k])), max: percentile(runs.map((r) => r[k]), 100) }]));

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    await page.goto(`${base}/overview`);
    await login(page);
    await page.getByRole('heading', { name: 'Overview', exact: true }).waitFor();
    result.pages = await agentsReadPerPage(page);
    await context.close();

    if (FILE && UPLOADS > 0) result.upload = await uploads(browser);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(`console.mjs: FAILED: ${e instanceof Error ? e.stack ?? e.message : e}`);
  process.exit(1);
});
