// How often starting the worker pool fails, over many page loads under a background CPU load
// (RReverser/wasm-bindgen-rayon#36: starting the pool from the main thread can trap, rarely,
// with "Atomics.wait cannot be called in this context"). Each load opens the page afresh and
// waits until the pool is ready or failed; every page error and console error is kept.
//   node e2e/bench/pool-start.mjs [--loads 500] [--busy 1] [--dir dist] [--out target/bench/pool-start.json]
// --busy N runs N busy loops in other processes for the whole measurement (0: none).
// Needs the release build in dist/ (scripts/bench builds it).
import { fork } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright';
import { startServer } from '../start-server.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, word, i, all) => (word.startsWith('--') ? [...pairs, [word.slice(2), all[i + 1]]] : pairs), []),
);
const LOADS = Number(args.loads ?? 500);
const BUSY = Number(args.busy ?? 1);
const OUT = args.out ?? 'target/bench/pool-start.json';
const DIR = args.dir ?? 'dist';

if (process.argv[2] === '--spin') {
  for (;;) Math.sqrt(Math.random());
}

const spinners = Array.from({ length: BUSY }, () => fork(new URL(import.meta.url).pathname, ['--spin'], { stdio: 'ignore' }));
const { base, close } = await startServer(DIR, 'isolated');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium' });
const context = await browser.newContext();
const outcomes = { ready: 0, failed: 0, timeout: 0 };
const problems = [];
let traps = 0;
try {
  for (let load = 1; load <= LOADS; load++) {
    const page = await context.newPage();
    const heard = [];
    page.on('pageerror', (error) => heard.push(`page error: ${error.message}`));
    page.on('console', (message) => message.type() === 'error' && heard.push(`console error: ${message.text()}`));
    await page.goto(`${base}/?lab=io`);
    const state = await page
      .waitForFunction(() => {
        const s = document.querySelector('[data-testid=env-pool]')?.getAttribute('data-state');
        return s === 'ready' || s === 'failed' ? s : null;
      }, null, { timeout: 20_000, polling: 50 })
      .then((handle) => handle.jsonValue())
      .catch(() => 'timeout');
    outcomes[state] += 1;
    if (state !== 'ready') {
      heard.push(`pool ${state}: ${await page.getByTestId('env-pool').textContent().catch(() => '')}`);
    }
    if (heard.some((text) => text.includes('Atomics.wait'))) traps += 1;
    if (heard.length) problems.push({ load, state, heard });
    await page.close();
    if (load % 50 === 0) console.error(`${load} loads: ${JSON.stringify(outcomes)}, ${traps} traps`);
  }
} finally {
  await browser.close();
  close();
  for (const spinner of spinners) spinner.kill();
}
const report = {
  loads: LOADS,
  busy_loops: BUSY,
  outcomes,
  atomics_wait_traps: traps,
  problems,
};
await mkdir(path.dirname(OUT), { recursive: true });
await writeFile(OUT, JSON.stringify(report, null, 2));
console.log(JSON.stringify({ ...report, problems: report.problems.length }, null, 2));
