// The CPU benchmark, in the browser: the lab's kernels as the release wasm runs them on web
// workers, driven through the URL contract and read back from the JSON export, so every figure
// is one the page itself shows. For each kernel at its default size and 64 tasks, a thread sweep
// in lanes (each level the median of three runs) gives the one-worker time and the speedup at
// T = the pool's size. Then: the round trip of a job of one value (main thread to a worker and
// back), the per-task overhead of 65,536 tasks against one, start-up (navigation to the pool
// ready and to the simulated server in control), the main thread during the largest runs, and
// how long zooming redraws the timeline of the 65,536-task run.
//   node e2e/bench/cpu.mjs [--reps 3] [--kernels mandelbrot,blur,stats,sha256] [--trips 20] [--out target/bench/cpu.json]
// Needs the release build in dist/ (scripts/bench builds it).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright';
import { startServer } from '../start-server.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, word, i, all) => (word.startsWith('--') ? [...pairs, [word.slice(2), all[i + 1]]] : pairs), []),
);
const REPS = Number(args.reps ?? 3);
const KERNELS = (args.kernels ?? 'mandelbrot,blur,stats,sha256').split(',');
const TRIPS = Number(args.trips ?? 20);
const OUT = args.out ?? 'target/bench/cpu.json';

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.ceil(sorted.length / 2) - 1] : null;
};
const spread = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });

// Records, on the page's own clock, when the pool and the simulated server became ready, and
// every long task from the start.
function watchPage() {
  window.__ready = {};
  window.__longTasks = [];
  let bothReady;
  window.__bothReady = new Promise((resolve) => (bothReady = resolve));
  new MutationObserver(() => {
    for (const id of ['env-pool', 'env-sim']) {
      if (!window.__ready[id] && document.querySelector(`[data-testid=${id}]`)?.getAttribute('data-state') === 'ready') window.__ready[id] = performance.now();
    }
    if (window.__ready['env-pool'] && window.__ready['env-sim']) bothReady();
  }).observe(document, { subtree: true, attributes: true, childList: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
}

const server = await startServer('dist', 'isolated');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});

/** A fresh page at `query`, once its pool and simulated server are ready. */
async function open(query) {
  const context = await browser.newContext({ acceptDownloads: true });
  await context.addInitScript(watchPage);
  const page = await context.newPage();
  await page.goto(`${server.base}/?${query}`);
  // Awaited through the page's own promise: Playwright's waitForFunction would first inject its
  // helper script (about 30 ms of main-thread work) into the start-up being measured.
  await page.evaluate(() =>
    Promise.race([window.__bothReady, new Promise((_, fail) => setTimeout(() => fail(new Error('the pool or the simulated server was not ready within 60 s')), 60_000))]),
  );
  return page;
}

async function done(page) {
  await page.waitForFunction(() => document.querySelector('[data-testid=run-status]')?.getAttribute('data-state') === 'done', null, { timeout: 600_000, polling: 100 });
}

async function runs(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  return JSON.parse(await readFile(await download.path(), 'utf8')).runs;
}

const worst = (mainThreads) => ({
  long_tasks: Math.max(...mainThreads.map((m) => m.long_tasks ?? 0)),
  frame_max_ms: Math.max(...mainThreads.map((m) => m.frame_max_ms ?? 0)),
});

const report = { browser: browser.version(), reps: REPS, kernels: [] };
try {
  const startups = [];
  for (const kernel of KERNELS) {
    const measured = [];
    for (let rep = 0; rep < REPS; rep++) {
      const page = await open(`lab=cpu&kernel=${kernel}&tasks=64&mode=lanes&sweep=threads&autorun=1`);
      startups.push(await page.evaluate(() => ({ pool_ms: window.__ready['env-pool'], sim_ms: window.__ready['env-sim'] })));
      await done(page);
      const levels = await runs(page);
      const [one, all] = [levels[0], levels.at(-1)];
      measured.push({ size: all.cpu.size, threads: all.cpu.threads, single_ms: one.summary.wall_ms, lanes_ms: all.summary.wall_ms, main: all.main_thread });
      await page.context().close();
    }
    const single = spread(measured.map((m) => m.single_ms));
    const lanes = spread(measured.map((m) => m.lanes_ms));
    const threads = measured[0].threads;
    report.kernels.push({
      kernel,
      size: measured[0].size,
      tasks: 64,
      threads,
      single_ms: single,
      lanes_ms: lanes,
      speedup: single.median / lanes.median,
      efficiency: single.median / lanes.median / threads,
      main_thread: worst(measured.map((m) => m.main)),
    });
  }
  report.startup = {
    to_pool_ready_ms: spread(startups.map((s) => s.pool_ms)),
    to_sim_ready_ms: spread(startups.map((s) => s.sim_ms)),
  };

  // The round trip of a job of one value on one worker: each run is that job, sent and awaited.
  {
    const page = await open('lab=cpu&kernel=stats&size=1&tasks=1&mode=worker');
    const trips = [];
    for (let trip = 0; trip < TRIPS; trip++) {
      await page.getByTestId('run-cpu-lab').click();
      await done(page);
      // The export holds the page's latest result.
      trips.push((await runs(page)).at(-1).summary.wall_ms * 1000);
    }
    report.empty_job_round_trip_us = spread(trips);
    await page.context().close();
  }

  // Per-task overhead: the same 65,536 values in 65,536 tasks against one task, on one lane.
  {
    const page = await open('lab=cpu&kernel=stats&size=65536&tasks=65536&mode=lanes&threads=1&sweep=tasks&autorun=1');
    await done(page);
    const levels = await runs(page);
    const [one, many] = [levels[0], levels.at(-1)];
    report.per_task_overhead_us = ((many.summary.wall_ms - one.summary.wall_ms) * 1000) / 65535;
    report.per_task_levels = levels.map((l) => ({ label: l.label, wall_ms: l.summary.wall_ms }));
    await page.context().close();
  }

  // The main thread during the largest job (65,536 tasks over the whole pool), and zooming into
  // its timeline: the time from the drag's end to the next frame, and the long tasks meanwhile.
  {
    const page = await open('lab=cpu&kernel=sha256&size=65536&tasks=65536&mode=rayon&autorun=1');
    await done(page);
    const [run] = await runs(page);
    const figure = page.getByTestId('timeline').first();
    const svg = figure.locator('svg');
    await svg.scrollIntoViewIfNeeded();
    const box = await svg.boundingBox();
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.5, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, y, { steps: 4 });
    const before = await page.evaluate(() => performance.now());
    await page.mouse.up();
    await page.waitForFunction(() => document.querySelector('[data-testid=timeline]').getAttribute('data-from-ms') !== '0');
    const redraw = await page.evaluate(
      (from) => new Promise((resolve) => requestAnimationFrame(() => resolve({ ms: performance.now() - from, long: window.__longTasks.filter((t) => t.start >= from) }))),
      before,
    );
    report.largest_job = {
      tasks: run.spans.length,
      wall_ms: run.summary.wall_ms,
      main_thread: worst([run.main_thread]),
      timeline_zoom_ms: redraw.ms,
      timeline_zoom_long_tasks: redraw.long.map((t) => Math.round(t.duration)),
    };
    await page.context().close();
  }
} finally {
  await browser.close();
  server.close();
}

const f = (x, digits = 1) => (x === null || x === undefined ? '—' : x.toFixed(digits));
const range = (s, digits = 1) => `${f(s.median, digits)} (${f(s.min, digits)}–${f(s.max, digits)})`;
console.log(`CPU in the browser (${report.browser}), medians of ${REPS} page loads (min–max); each sweep level is itself a median of 3`);
console.log('kernel         size  T   one worker ms            T lanes ms               speedup  efficiency  long tasks  worst frame ms');
for (const k of report.kernels) {
  console.log(
    `${k.kernel.padEnd(10)} ${String(k.size).padStart(9)} ${String(k.threads).padStart(2)}   ${range(k.single_ms).padEnd(24)} ${range(k.lanes_ms).padEnd(24)} ${f(k.speedup, 2).padStart(7)} ${f(k.efficiency, 2).padStart(11)} ${String(k.main_thread.long_tasks).padStart(11)} ${f(k.main_thread.frame_max_ms).padStart(15)}`,
  );
}
console.log(`Start-up: navigation to pool ready ${range(report.startup.to_pool_ready_ms, 0)} ms; to the simulated server in control ${range(report.startup.to_sim_ready_ms, 0)} ms`);
console.log(`Round trip of a one-value job on a worker: ${range(report.empty_job_round_trip_us, 0)} µs over ${TRIPS} runs`);
console.log(`Per-task overhead, 65,536 tasks against 1 on one lane: ${f(report.per_task_overhead_us, 2)} µs`);
const lj = report.largest_job;
console.log(`Largest job (${lj.tasks} tasks): ${f(lj.wall_ms, 0)} ms, ${lj.main_thread.long_tasks} long tasks, worst frame ${f(lj.main_thread.frame_max_ms)} ms; zooming its timeline took ${f(lj.timeline_zoom_ms)} ms to the next frame, long tasks [${lj.timeline_zoom_long_tasks.join(', ')}]`);
await mkdir(path.dirname(OUT), { recursive: true });
await writeFile(OUT, JSON.stringify(report, null, 2));
console.log(`wrote ${OUT}`);
