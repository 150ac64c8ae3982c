// Experiment: where a browser upload's time goes. Uploads FILE from Debian's chromium in parts
// (the console's way: XMLHttpRequest.send(File.slice) per part, IN_FLIGHT requests at a time, the
// part size being the control plane's starling.catalog.part-size), as one bare XMLHttpRequest, and
// with `curl -T`; prints one line a run with the wall time and the CPU seconds spent by chromium's
// processes, by the control plane (CP_PID) and by curl.
//
//   CONSOLE_URL=http://127.0.0.1:PORT CP_PID=... FILE=/tmp/app.bin IN_FLIGHT="1 2 4" REPEAT=2 \
//     node e2e/bench/upload-cpu.mjs
// MODES="parts-1 bare-xhr bare-xhr-progress bare-xhr-slice curl" picks the runs instead.
// (e2e/bench/upload-cpu.sh starts the control plane for each part size.)
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { promisify } from 'node:util';
import { base, launch } from '../browser.mjs';
import { adminToken as token, rewriteFirstBytes } from './bench-api.mjs';

const FILE = process.env.FILE;
const PRODUCT = process.env.PRODUCT ?? 'bench';
const CP_PID = Number(process.env.CP_PID);
const IN_FLIGHT = (process.env.IN_FLIGHT ?? '1 2 4').split(/\s+/).filter(Boolean).map(Number);
const REPEAT = Number(process.env.REPEAT ?? 2);
const TICKS = 100; // USER_HZ
const run = promisify(execFile);
const makeUnique = (tag) => rewriteFirstBytes(FILE, tag);

async function api(method, path, body) {
  const response = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${await token()}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok && response.status !== 409) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
}

/** utime + stime of a process in seconds, and its parent. */
function stat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) / TICKS };
  } catch {
    return null;
  }
}

/** CPU seconds of `root` and every process below it. */
function treeCpu(root) {
  const all = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = stat(name);
    if (s) all.set(Number(name), s);
  }
  const inTree = (pid) => {
    for (let p = pid, hops = 0; p > 1 && hops < 20; p = all.get(p)?.ppid ?? 0, hops++) if (p === root) return true;
    return false;
  };
  let cpu = 0;
  for (const [pid, s] of all) if (pid !== root && inTree(pid)) cpu += s.cpu;
  return cpu;
}

/** Parts of the file `inFlight` at a time, as admin-ui/src/api/upload.ts sends them (no React, no progress sums). */
function partedInPage(page, url, bearer, inFlight) {
  return page.evaluate(
    async ([url, bearer, inFlight]) => {
      const file = document.getElementById('bench-file').files[0];
      const started = performance.now();
      const headers = { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' };
      const startAnswer = await fetch(`${url}/uploads`, { method: 'POST', headers, body: JSON.stringify({ size: file.size }) });
      if (!startAnswer.ok) throw new Error(`start: ${startAnswer.status} ${await startAnswer.text()}`);
      const plan = await startAnswer.json();
      let next = 1;
      const sendPart = (n) =>
        new Promise((resolve, reject) => {
          const xhr = new XMLHttpRequest();
          xhr.open('PUT', `${url}/uploads/${plan.uploadId}/parts/${n}`);
          xhr.setRequestHeader('Authorization', `Bearer ${bearer}`);
          xhr.setRequestHeader('Content-Type', 'application/octet-stream');
          xhr.upload.onprogress = () => undefined;
          xhr.onload = () => (xhr.status < 300 ? resolve() : reject(new Error(`part ${n}: ${xhr.status} ${xhr.responseText}`)));
          xhr.onerror = () => reject(new Error(`part ${n} cut off`));
          xhr.send(file.slice((n - 1) * plan.partSize, Math.min(file.size, n * plan.partSize)));
        });
      const worker = async () => {
        while (next <= plan.parts) await sendPart(next++);
      };
      await Promise.all(Array.from({ length: Math.min(inFlight, plan.parts) }, worker));
      const partsDone = performance.now();
      const done = await fetch(`${url}/uploads/${plan.uploadId}/complete`, { method: 'POST', headers: { Authorization: `Bearer ${bearer}` } });
      if (!done.ok) throw new Error(`complete: ${done.status} ${await done.text()}`);
      const end = performance.now();
      return { seconds: (end - started) / 1000, complete: (end - partsDone) / 1000, partSize: plan.partSize };
    },
    [url, bearer, inFlight],
  );
}

/** One XMLHttpRequest for the whole file; `variant` 'progress' listens to upload progress, 'slice' sends File.slice(0, size). */
function bareInPage(page, url, bearer, variant) {
  return page.evaluate(
    ([url, bearer, variant]) =>
      new Promise((resolve, reject) => {
        const chosen = document.getElementById('bench-file').files[0];
        const file = variant === 'slice' ? chosen.slice(0, chosen.size) : chosen;
        const xhr = new XMLHttpRequest();
        if (variant === 'progress') xhr.upload.onprogress = () => undefined;
        xhr.open('PUT', url);
        xhr.setRequestHeader('Authorization', `Bearer ${bearer}`);
        xhr.setRequestHeader('Content-Type', 'application/octet-stream');
        const started = performance.now();
        xhr.onload = () => (xhr.status < 300 ? resolve({ seconds: (performance.now() - started) / 1000 }) : reject(new Error(`PUT ${xhr.status}`)));
        xhr.onerror = () => reject(new Error('cut off'));
        xhr.send(file);
      }),
    [url, bearer, variant],
  );
}

async function curlInShell(url) {
  // `times` prints the shell's children's CPU: curl's.
  const { stdout } = await run('bash', ['-c', `curl -fsS -o /dev/null -w '%{time_total}\\n' -H Expect: -H "Authorization: Bearer $T" -T "$F" "$U"; times`],
    { env: { ...process.env, T: await token(), F: FILE, U: url } });
  const lines = stdout.trim().split('\n');
  const secs = (s) => { const m = /(\d+)m([\d.]+)s/.exec(s); return Number(m[1]) * 60 + Number(m[2]); };
  const [user, sys] = lines[2].split(/\s+/);
  return { seconds: Number(lines[0]), clientCpu: secs(user) + secs(sys) };
}

async function main() {
  const bytes = statSync(FILE).size;
  await api('POST', '/products', { name: PRODUCT });
  const browser = await launch();
  // Chromium runs below this node process (playwright's pipe); node's own CPU is left out.
  const chromiumPid = process.pid;
  try {
    const page = await browser.newPage();
    await page.goto(`${base}/api/v1/ui-config`);
    await page.evaluate(() => {
      const input = document.createElement('input');
      input.type = 'file';
      input.id = 'bench-file';
      document.body.append(input);
    });
    const modes = process.env.MODES?.split(/\s+/) ?? [...IN_FLIGHT.map((n) => `parts-${n}`), 'bare-xhr', 'curl'];
    // Round 0 warms up the JIT of both sides (the first upload after a start costs more) and is not counted.
    for (let r = 0; r <= REPEAT; r++) {
      for (const mode of r === 0 ? [modes[0]] : modes) {
        const version = `${mode}-${r}-${Date.now()}`;
        await api('POST', `/products/${PRODUCT}/releases`, { version });
        makeUnique(version);
        // Chosen again after the change: chromium refuses to read a file changed since it was chosen.
        if (mode !== 'curl') await page.locator('#bench-file').setInputFiles(FILE);
        const url = `/api/v1/products/${PRODUCT}/releases/${version}/artifacts/app.bin`;
        const c0 = treeCpu(chromiumPid);
        const s0 = stat(CP_PID).cpu;
        let result;
        if (mode === 'curl') result = await curlInShell(`${base}${url}`);
        else if (mode.startsWith('bare-xhr')) result = await bareInPage(page, url, await token(), mode.slice(9));
        else result = await partedInPage(page, url, await token(), Number(mode.slice(6)));
        const browserCpu = mode === 'curl' ? result.clientCpu : treeCpu(chromiumPid) - c0;
        const serverCpu = stat(CP_PID).cpu - s0;
        console.log(JSON.stringify({ mode: r === 0 ? `warm-up ${mode}` : mode, partSize: result.partSize, seconds: +result.seconds.toFixed(2),
          mbs: Math.round(bytes / result.seconds / 1e6), complete: result.complete === undefined ? undefined : +result.complete.toFixed(2),
          clientCpu: +browserCpu.toFixed(2), serverCpu: +serverCpu.toFixed(2), load: readFileSync('/proc/loadavg', 'utf8').split(' ')[0] }));
      }
    }
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(`upload-cpu.mjs: FAILED: ${e instanceof Error ? e.stack ?? e.message : e}`);
  process.exit(1);
});
