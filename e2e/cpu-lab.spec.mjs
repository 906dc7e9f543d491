// The CPU lab on real web workers: two threads beat one, the lane limiter holds, every mode
// agrees on the checksum, and only the main-thread mode freezes the page.
import { ISOLATED, PLAIN } from '../playwright.config.mjs';
import { test, expect, maxConcurrent, expectMainThreadFree } from './lab-page.mjs';

async function runCpu(lab, query) {
  await lab.open(ISOLATED, `?lab=cpu&${query}&autorun=1`);
  await lab.waitForState('done');
  return lab.exportJson();
}

for (const kernel of ['sha256', 'mandelbrot']) {
  test(`two threads give a clear speedup over one: ${kernel}`, async ({ lab, page }) => {
    test.skip((await page.evaluate(() => navigator.hardwareConcurrency)) < 2, 'needs two hardware threads');
    const results = await runCpu(lab, `kernel=${kernel}&mode=lanes&threads=2&sweep=threads`);
    const [one, two] = results.runs;
    expect(one.params.level).toBe(1);
    expect(two.params.level).toBe(2);
    expect(one.cpu.repetitions).toHaveLength(3);
    // Ideal is 2; the machine also runs the browser's main thread and the test runner.
    expect(two.cpu.speedup).toBeGreaterThan(1.2);
    expect(two.cpu.efficiency).toBeCloseTo(two.cpu.speedup / 2, 5);
    expect(one.cpu.checksum).toBe(two.cpu.checksum);
    // The lane limiter: never more worker lanes busy at once than T.
    expect(maxConcurrent(one.spans)).toBe(1);
    expect(maxConcurrent(two.spans)).toBeLessThanOrEqual(2);
    expect(two.cpu.amdahl.kind).toBe('single');
    // Noise is visible: each speedup carries its repetitions' range, and the page says the machine
    // was busy exactly when some level's repetitions lay more than 25% of their median apart.
    await expect(lab.speedupErrorBars).toHaveCount(3 * results.runs.length);
    const busy = results.runs.some(({ cpu: { repetitions: reps } }) => {
      const sorted = [...reps].sort((a, b) => a - b);
      return (sorted[2] - sorted[0]) / sorted[1] > 0.25;
    });
    await expect(lab.noiseWarning).toHaveCount(busy ? 1 : 0);
    await expect(lab.speedupChart).toContainText('cannot be extrapolated');
    if (kernel === 'mandelbrot') {
      // The sweep draws its image once the timing is over, whole.
      const { width, height } = await lab.canvasPaint();
      expect(width * height).toBe(two.cpu.items);
      await expect.poll(async () => (await lab.canvasPaint()).opaque).toBe(two.cpu.items);
    }
  });
}

test('every mode returns the same checksum; only the main thread mode freezes the page', async ({ lab }) => {
  const checksums = {};
  for (const mode of ['main', 'worker', 'lanes', 'rayon']) {
    const first = (await runCpu(lab, `kernel=mandelbrot&mode=${mode}&tasks=32`)).runs[0];
    // The first run after a page load also shares the cores with the page's start-up work (most
    // likely V8 optimising the freshly compiled module on background threads): in a clean-clone
    // CI run, lanes mode then saw two long tasks of about 100 ms, on a 2-core machine whose two
    // workers held both cores. The second run on the same page measures the modes themselves.
    expect(await lab.runAgain(lab.runCpuLabButton)).toBe('done');
    const [run] = (await lab.exportJson()).runs;
    expect(run.cpu.checksum).toBe(first.cpu.checksum);
    checksums[mode] = run.cpu.checksum;
    expect(run.summary.completed).toBe(32);
    if (mode === 'main') {
      expect(run.main_thread.blocks, 'main mode blocks the page').toBeGreaterThanOrEqual(1);
      // One deliberate block, about as long as the job: the job is one task of its own.
      expect(run.main_thread.blocked_ms).toBeGreaterThan(0.6 * run.summary.wall_ms);
      expect(run.main_thread.long_tasks, 'Chromium reports the block as a long task too').toBeGreaterThanOrEqual(1);
      await lab.expectVerdictMatches(run.main_thread);
      expect(new Set(run.spans.map((s) => s.lane))).toEqual(new Set(['main']));
    } else {
      expectMainThreadFree(run.main_thread, run.summary.wall_ms, `mode=${mode}`);
      expect(run.spans.every((s) => /^worker-\d+$/.test(s.lane))).toBe(true);
      await lab.expectVerdictMatches(run.main_thread);
    }
  }
  expect(new Set(Object.values(checksums)).size).toBe(1);
});

test('without scheduler.postTask the main mode blocks in a MessageChannel task, still counted', async ({ lab, page }) => {
  await page.addInitScript(() => Object.defineProperty(window, 'scheduler', { value: undefined }));
  const [run] = (await runCpu(lab, 'kernel=mandelbrot&mode=main&tasks=32')).runs;
  expect(await page.evaluate(() => window.scheduler)).toBeUndefined();
  expect(run.summary.completed).toBe(32);
  expect(run.main_thread.blocks).toBeGreaterThanOrEqual(1);
  expect(new Set(run.spans.map((s) => s.lane))).toEqual(new Set(['main']));
});

test('the image is drawn on the canvas and throughput counts pixels', async ({ lab }) => {
  const [run] = (await runCpu(lab, 'kernel=mandelbrot&size=300&tasks=16')).runs;
  expect(run.cpu.unit).toBe('pixels');
  expect(run.cpu.items).toBe(300 * 200);
  expect(run.summary.throughput_per_s).toBeCloseTo(run.cpu.items / (run.summary.wall_ms / 1000), 3);
  await expect.poll(() => lab.canvasPaint()).toEqual({ width: 300, height: 200, opaque: 300 * 200 });
});

test('a sweep over the task count shows per-task overhead winning', async ({ lab }) => {
  const results = await runCpu(lab, 'kernel=stats&size=200000&tasks=65536&sweep=tasks');
  const levels = results.runs.map((r) => r.params.level);
  expect(levels).toEqual([1, 4, 16, 64, 256, 1024, 4096, 16384, 65536]);
  const throughput = results.runs.map((r) => r.summary.throughput_per_s);
  const best = Math.max(...throughput);
  expect(throughput[throughput.length - 1]).toBeLessThan(best * 0.7);
  expect(new Set(results.runs.map((r) => r.cpu.checksum)).size).toBe(1);
  await expect(lab.cpuCurve).toContainText('overhead wins');
});

test('bad CPU settings name the field and its range, and nothing runs', async ({ lab, page }) => {
  await lab.open(ISOLATED, '?lab=cpu&kernel=fft&tasks=0&mode=gpu&autorun=1');
  await expect(lab.configError).toContainText('kernel must be one of mandelbrot, blur, stats, sha256');
  await expect(lab.configError).toContainText('tasks must be a whole number from 1 to 1048576');
  await expect(lab.configError).toContainText('mode must be one of');
  await page.waitForTimeout(800);
  await expect(lab.status).toHaveAttribute('data-state', 'idle');
  await lab.open(ISOLATED, '?lab=cpu&kernel=mandelbrot&size=5');
  await expect(lab.configError).toContainText('size must be a whole number from 16 to 4000 pixels wide for mandelbrot');
});

test('without isolation the CPU lab refuses parallel modes in words', async ({ lab }) => {
  await lab.open(PLAIN, '?lab=cpu&kernel=sha256&mode=rayon&autorun=1&coi=0');
  await lab.waitForState('error');
  await expect(lab.status).toContainText('worker pool');
});
