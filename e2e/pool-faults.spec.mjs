// The pool never leaves the page waiting forever: when its workers never answer, the page gives
// up on it after its time limit, says why, and an autorun that needs no pool still runs; when
// its workers stop without a word after it started, a job's watchdog ends the run in error.
import { ISOLATED } from '../playwright.config.mjs';
import { test, expect } from './lab-page.mjs';

test('a pool whose workers never answer fails after its limit, and the async lab still autoruns', async ({ lab, page }) => {
  test.setTimeout(60_000);
  // Every worker the page starts runs an empty script: a real worker that never answers, as a
  // worker hung while loading would be.
  await page.addInitScript(() => {
    const Native = globalThis.Worker;
    const silent = URL.createObjectURL(new Blob([''], { type: 'text/javascript' }));
    globalThis.Worker = class extends Native {
      constructor(_url, options) {
        super(silent, options);
      }
    };
  });
  const began = Date.now();
  await lab.open(ISOLATED, '?lab=io&n=10&c=5&latency_ms=20&autorun=1');
  await expect(lab.pool).toHaveAttribute('data-state', 'starting');
  await expect(lab.pool).toHaveAttribute('data-state', 'failed', { timeout: 20_000 });
  const waited = Date.now() - began;
  expect(waited).toBeGreaterThan(9_000);
  await expect(page.getByTestId('pool-error')).toContainText('did not start within 10 s (a worker never answered); the async labs still work');
  await lab.waitForState('done');
  expect((await lab.exportJson()).runs[0].summary.completed).toBe(10);
});

test('a job whose workers stopped without a word ends in error at its watchdog limit', async ({ lab, page }) => {
  test.setTimeout(60_000);
  // Keeps the pool's workers, so the test can stop them the way a hung or killed worker stops:
  // no error event, no answer.
  await page.addInitScript(() => {
    const Native = globalThis.Worker;
    window.__poolWorkers = [];
    globalThis.Worker = class extends Native {
      constructor(...args) {
        super(...args);
        if (args[1]?.name !== 'heartbeat') window.__poolWorkers.push(this);
      }
    };
  });
  await lab.open(ISOLATED, '?lab=cpu&kernel=sha256&size=10&tasks=4&mode=worker');
  await lab.waitForPool();
  await lab.runCpuLabButton.click();
  await lab.waitForState('done');
  expect(await page.evaluate(() => window.__poolWorkers.length)).toBeGreaterThan(0);
  await page.evaluate(() => window.__poolWorkers.forEach((worker) => worker.terminate()));
  // Chromium stops a worker blocked in Atomics.wait some time after terminate(): a job sent at
  // once can still be run by it (measured: done in 153 ms). After 2 s it is gone.
  await page.waitForTimeout(2_000);
  const began = Date.now();
  await lab.runCpuLabButton.click();
  await lab.waitForState('error');
  const waited = Date.now() - began;
  // A job of under a millisecond gets the floor of 10 s.
  expect(waited).toBeGreaterThan(9_500);
  expect(waited).toBeLessThan(30_000);
  await expect(lab.status).toContainText('gave no answer within 10 s');
  await expect(lab.pool).toHaveAttribute('data-state', 'failed');
  // Later jobs fail at once rather than wait again.
  const again = Date.now();
  await lab.runCpuLabButton.click();
  await lab.waitForState('error');
  expect(Date.now() - again).toBeLessThan(3_000);
});
