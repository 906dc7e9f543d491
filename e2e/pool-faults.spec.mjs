// The pool never leaves the page waiting forever: when its workers never answer, the page gives
// up on it after its time limit, says why, and an autorun that needs no pool still runs.
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
