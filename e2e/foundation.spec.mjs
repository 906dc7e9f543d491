// The foundation on a cross-origin isolated page: the pool starts, the async batch overlaps
// its requests, the parallel batch spreads over the workers, the main thread stays free, and
// the export says what the page shows.
import { ISOLATED } from '../playwright.config.mjs';
import { test, expect, expectedChecksum, maxConcurrent, expectMainThreadFree } from './lab-page.mjs';

test('the page is isolated and starts one worker per hardware thread', async ({ lab, page }) => {
  await lab.open(ISOLATED);
  await expect(lab.isolated).toHaveAttribute('data-value', 'true');
  await lab.waitForPool();
  const threads = await page.evaluate(() => navigator.hardwareConcurrency);
  await expect(lab.pool).toHaveAttribute('data-threads', String(threads));
  expect(await lab.workersStarted()).toBe(threads);
  await expect(lab.isolationWarning).toHaveCount(0);
});

test('the loading note goes once the app starts, and stays to explain a browser that cannot start it', async ({ lab, page }) => {
  await lab.open(ISOLATED);
  await expect(lab.status).toBeVisible();
  await expect(page.locator('#loading')).toHaveCount(0);

  // A browser that cannot compile the module (no WebAssembly SIMD) is one where it never runs.
  lab.allowFailedResponses(/WebAssembly\.instantiate/);
  await page.route('**/*_bg.wasm', (route) => route.fulfill({ status: 200, contentType: 'application/wasm', body: Buffer.from('not wasm') }));
  await page.reload();
  await expect(page.locator('#loading')).toContainText('could not start it: the lab needs WebAssembly with SIMD');
  await expect(lab.status).toHaveCount(0);
});

test('a page with no query has exactly one status and one export, idle', async ({ lab }) => {
  await lab.open(ISOLATED);
  await expect(lab.visibleStatus).toHaveCount(1);
  await expect(lab.visibleExportButton).toHaveCount(1);
  await expect(lab.status).toHaveAttribute('data-state', 'idle');
  await expect(lab.configError).toHaveCount(0);
});

test('the async batch keeps 20 requests in flight on one thread, after the same fetches one at a time', async ({ lab }) => {
  await lab.open(ISOLATED, '?latency_ms=40');
  await lab.waitForReady();
  await lab.runIo();
  const results = await lab.exportJson();
  expect(results.runs.map((r) => r.label)).toEqual(['20 fetches, one at a time', '20 fetches, all at once']);
  const [one, run] = results.runs;
  // The baseline: one request in flight at a time, each at least the simulated wait.
  expect(one.kind).toBe('io');
  expect(one.params).toMatchObject({ n: 20, concurrency: 1, target: 'sim', latency_ms: 40 });
  expect(one.spans).toHaveLength(20);
  expect(maxConcurrent(one.spans)).toBe(1);
  expect(one.summary.latency_ms.p50).toBeGreaterThanOrEqual(40);
  expect(one.summary.wall_ms).toBeGreaterThanOrEqual(20 * 40);
  // All at once: the waits overlap, so the whole batch takes a few waits, not twenty.
  expect(run.kind).toBe('io');
  expect(run.params).toMatchObject({ concurrency: 20, target: 'sim', latency_ms: 40 });
  expect(run.summary.wall_ms).toBeLessThan(one.summary.wall_ms / 3);
  expect(run.spans).toHaveLength(20);
  expect(run.spans.every((s) => s.ok)).toBe(true);
  expect(run.spans.every((s) => /^io-\d+$/.test(s.lane))).toBe(true);
  expect(maxConcurrent(run.spans)).toBeGreaterThanOrEqual(2);
  expect(run.summary.completed).toBe(20);
  expect(run.summary.errors).toBe(0);
  expect(run.summary.mean_in_flight).toBeGreaterThan(1);
  expectMainThreadFree(run.main_thread, run.summary.wall_ms);
  expect(run.params.n).toBe(20);
});

test('the parallel batch uses every worker and leaves the main thread free, after the same job froze it', async ({ lab, page }) => {
  // Three times the default work, so a page that stopped drawing could not hide in a short run.
  await lab.open(ISOLATED, '?tasks=64&size=60000');
  await lab.waitForReady();
  await lab.runCpu();
  const results = await lab.exportJson();
  const [onMain, onOne, run] = results.runs;
  // The baseline: every task on the main thread, which the meter sees blocked for about the
  // whole job, and the same checksum.
  expect(onMain.kind).toBe('cpu');
  expect(onMain.params).toMatchObject({ mode: 'main', threads: 1, tasks: 64 });
  expect(onMain.spans.every((s) => s.lane === 'main')).toBe(true);
  expect(onMain.main_thread.blocks).toBeGreaterThanOrEqual(1);
  expect(onMain.main_thread.blocked_ms).toBeGreaterThan(0.5 * onMain.summary.wall_ms);
  // Node's own SHA-256 of the same chains (about ten seconds here): computed once.
  const expected = expectedChecksum(64, 60000);
  expect(onMain.cpu.checksum).toBe(expected);
  // On one worker, awaited: one worker lane, the page free, the same checksum.
  expect(onOne.params).toMatchObject({ mode: 'worker', threads: 1 });
  expect(new Set(onOne.spans.map((s) => s.lane)).size).toBe(1);
  expect(onOne.spans[0].lane).toMatch(/^worker-\d+$/);
  expectMainThreadFree(onOne.main_thread, onOne.summary.wall_ms);
  expect(onOne.cpu.checksum).toBe(onMain.cpu.checksum);
  expect(run.kind).toBe('cpu');
  expect(run.params).toMatchObject({ mode: 'rayon' });
  expect(run.spans).toHaveLength(64);
  const lanes = new Set(run.spans.map((s) => s.lane));
  expect([...lanes].every((lane) => /^worker-\d+$/.test(lane))).toBe(true);
  const threads = await page.evaluate(() => navigator.hardwareConcurrency);
  if (threads >= 2) expect(lanes.size).toBeGreaterThanOrEqual(2);
  expect(lanes.size).toBeLessThanOrEqual(results.environment.pool_threads);
  expectMainThreadFree(run.main_thread, run.summary.wall_ms);
  // A free main thread draws a frame every 16.7 ms; ask for one per 100 ms on average. Had the
  // work run on the main thread, there would be almost none.
  expect(run.main_thread.frames).toBeGreaterThan(run.summary.wall_ms / 100);
  expect(run.cpu.checksum).toBe(expected);
  await expect(lab.checksum).toHaveText(run.cpu.checksum);
});

test('autorun runs both batches and the export agrees with the page', async ({ lab, page }) => {
  await lab.open(ISOLATED, '?lab=start&n=20&tasks=64&size=20000&autorun=1');
  await lab.waitForState('done');
  await expect(lab.batchResult('cpu')).toBeVisible();
  const results = await lab.exportJson();
  expect(results.schema).toBe(2);
  expect(results.config).toMatchObject({ lab: 'start', n: 20, tasks: 64, size: 20000 });
  const env = results.environment;
  expect(env.cross_origin_isolated).toBe(true);
  expect(env.build).toBe('release');
  await expect(lab.debugBadge).toHaveCount(0);
  expect(env.hardware_threads).toBe(await page.evaluate(() => navigator.hardwareConcurrency));
  expect(env.pool_threads).toBe(env.hardware_threads);
  expect(env.user_agent).toBe(await page.evaluate(() => navigator.userAgent));
  expect(results.runs.map((r) => r.kind)).toEqual(['io', 'io', 'cpu', 'cpu', 'cpu']);
  // Each card's numbers are its last run's (the others are the baselines beside it).
  for (const run of [results.runs[1], results.runs[4]]) {
    const batch = run.kind;
    for (const key of ['wall_ms', 'completed', 'errors', 'throughput_per_s', 'mean_in_flight']) {
      expect(await lab.metric(`batch-${batch}`, key), `${batch} ${key}`).toBe(run.summary[key]);
    }
    for (const p of ['p50', 'p90', 'p99', 'max', 'mean']) {
      expect(await lab.metric(`batch-${batch}`, `latency_${p}`), `${batch} ${p}`).toBe(run.summary.latency_ms[p]);
    }
    expect(await lab.metric(`batch-${batch}`, 'long_tasks')).toBe(run.main_thread.long_tasks);
    expect(await lab.metric(`batch-${batch}`, 'blocks')).toBe(run.main_thread.blocks);
    expect(run.main_thread.sources).toEqual(['longtask', 'long-animation-frame', 'frames', 'heartbeat']);
    await lab.expectVerdictMatches(run.main_thread, lab.batchVerdict(batch));
    expect(await lab.metric(`batch-${batch}`, 'frame_p99_ms')).toBe(run.main_thread.frame_p99_ms);
    expectMainThreadFree(run.main_thread, run.summary.wall_ms);
    expect(run.summary.latency_ms.p50).toBeLessThanOrEqual(run.summary.latency_ms.p99);
  }
  // The lesson states the ratios of the exported wall times, to the decimal it prints.
  const [one, all, onMain, onOne, onWorkers] = results.runs.map((r) => r.summary.wall_ms);
  await expect(lab.lesson).toContainText(`${(one / all).toFixed(1)}× faster by overlapping the waits`);
  const speedup = onMain / onWorkers;
  await expect(lab.lesson).toContainText(speedup >= 1.1 ? `${speedup.toFixed(1)}× faster` : `no faster here (${speedup.toFixed(1)}×)`);
  await expect(lab.lesson).toContainText('Both → a pipeline');
  // All five timelines share one time axis: the same last tick on each.
  expect(new Set(await lab.startTimelineLastTicks())).toHaveProperty('size', 1);
  expect(await lab.startTimelineLastTicks()).toHaveLength(5);
  // The slogan chart: one job three ways, its caption worded from the exported throughputs.
  const perS = results.runs.slice(2).map((r) => r.summary.throughput_per_s);
  const [workers, gain] = [env.pool_threads, perS[2] / perS[1]];
  await expect(lab.sloganChart).toContainText(
    gain >= 1.1
      ? `Parallel got more done: on ${workers} workers, ${perS[2].toFixed(0)} tasks/s, ${gain.toFixed(1)}× one worker's`
      : `Parallel gained little here: ${perS[2].toFixed(0)} tasks/s on ${workers} workers, ${gain.toFixed(1)}× one worker's`,
  );
  // Two or more workers finish the job sooner than one (a ratio near 2 on two cores: a wide margin).
  if (env.pool_threads >= 2) expect(onOne).toBeGreaterThan(onWorkers);
});

test('invalid settings name each field and its range, and nothing runs', async ({ lab, page }) => {
  await lab.open(ISOLATED, '?n=abc&tasks=0&size=99999999&autorun=1');
  await expect(lab.configError).toBeVisible();
  await expect(lab.configError).toContainText('n must be a whole number from 1 to 200');
  await expect(lab.configError).toContainText('tasks must be a whole number from 1 to 1024');
  await expect(lab.configError).toContainText('size must be a whole number from 1 to 1000000');
  await lab.waitForPool();
  await expect(lab.runIoButton).toBeDisabled();
  await expect(lab.runCpuButton).toBeDisabled();
  await page.waitForTimeout(1000);
  await expect(lab.status).toHaveAttribute('data-state', 'idle');
  expect((await lab.exportJson()).runs).toEqual([]);

  // Fixing the field in the form clears the message and lets the run go.
  await lab.setSetting('n', 5);
  await lab.setSetting('tasks', 8);
  await lab.setSetting('size', 100);
  await expect(lab.configError).toHaveCount(0);
  await expect(page).toHaveURL(/n=5/);
  await lab.runIo();
  expect((await lab.exportJson()).runs[1].spans).toHaveLength(5);
});
