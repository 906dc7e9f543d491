// A soak: many consecutive runs in one page, without a reload, alternating the async batch and
// the parallel batch of the quick comparison. Memory stays within a bound, no worker leaks, and
// the runs do not slow down. CI runs a short version (40 runs); the full one is
//   SOAK_RUNS=200 npx playwright test e2e/soak.spec.mjs
import { ISOLATED } from '../playwright.config.mjs';
import { test, expect } from './lab-page.mjs';

const RUNS = Number(process.env.SOAK_RUNS ?? 40);
// Runs before the baseline: the engine compiles, caches fill, the history's database opens.
const WARM_UP = 10;
// Growth allowed over the whole soak, after the warm-up: the JS heap after a forced garbage
// collection, the wasm memory (which only grows), and the page's DOM nodes.
const HEAP_BOUND_MB = 16;
const WASM_BOUND_MB = 64;

/** What the page holds, after a garbage collection. */
async function footprint(page, cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const { nodes } = await cdp.send('Memory.getDOMCounters');
  const wasm = await page.evaluate(() => window.__wasm.memory.buffer.byteLength);
  const workers = await page.evaluate(() => window.__workersStarted);
  return { heap_mb: usedSize / 2 ** 20, wasm_mb: wasm / 2 ** 20, nodes, workers };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

test(`${RUNS} runs in one page stay within their memory bound, leak no worker and do not slow down`, async ({ lab, page }, testInfo) => {
  test.setTimeout(60_000 + RUNS * 4_000);
  await page.addInitScript(() => addEventListener('TrunkApplicationStarted', (e) => (window.__wasm = e.detail.wasm)));
  await lab.open(ISOLATED, '?lab=start&n=10&latency_ms=5&tasks=8&size=4000');
  await lab.waitForReady();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  const buttons = ['run-io', 'run-cpu'];
  const took = { 'run-io': [], 'run-cpu': [] };
  let baseline = null;
  for (let run = 0; run < RUNS; run++) {
    if (run === WARM_UP) baseline = await footprint(page, cdp);
    const button = buttons[run % 2];
    const began = Date.now();
    expect(await lab.runAgain(lab.page.getByTestId(button)), `run ${run} (${button})`).toBe('done');
    if (run >= WARM_UP) took[button].push(Date.now() - began);
  }
  const end = await footprint(page, cdp);
  testInfo.annotations.push({ type: 'soak', description: JSON.stringify({ runs: RUNS, baseline, end, took }) });
  expect(end.workers, 'no worker started after the pool').toBe(baseline.workers);
  expect(end.heap_mb - baseline.heap_mb, 'JS heap growth, MB').toBeLessThan(HEAP_BOUND_MB);
  expect(end.wasm_mb - baseline.wasm_mb, 'wasm memory growth, MB').toBeLessThan(WASM_BOUND_MB);
  expect(end.nodes, 'DOM nodes').toBeLessThan(2 * baseline.nodes + 2000);
  // No slowdown beyond noise: the last fifth of each kind of run against the first fifth.
  for (const [button, times] of Object.entries(took)) {
    const fifth = Math.max(3, Math.floor(times.length / 5));
    const [first, last] = [median(times.slice(0, fifth)), median(times.slice(-fifth))];
    expect(last, `${button}: the last runs took ${last} ms, the first ${first} ms`).toBeLessThan(2 * first + 200);
  }
});
