// The same build served without the isolation headers, with the service worker's own isolation
// turned off (`coi=0`; e2e/deploy.spec.mjs tests it on): the page says so, explains the fix,
// starts no pool and disables the parallel runs; the async batch still works.
import { PLAIN } from '../playwright.config.mjs';
import { test, expect } from './lab-page.mjs';

test('without the two headers the page explains the fix and keeps async working', async ({ lab, page }) => {
  await lab.open(PLAIN, '?coi=0');
  await expect(lab.isolated).toHaveAttribute('data-value', 'false');
  const warning = lab.isolationWarning;
  await expect(warning).toBeVisible();
  await expect(warning).toContainText('Cross-Origin-Opener-Policy: same-origin');
  await expect(warning).toContainText('Cross-Origin-Embedder-Policy: require-corp');
  await expect(lab.pool).toHaveAttribute('data-state', 'not-isolated');
  await expect(lab.pool).toHaveAttribute('data-threads', '0');
  await expect(lab.runCpuButton).toBeDisabled();
  await expect(lab.parallelDisabled).toBeVisible();
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);

  await page.waitForTimeout(500);
  expect(await lab.workersStarted(), 'no worker may start without isolation').toBe(0);

  await lab.runIo();
  const results = await lab.exportJson();
  expect(results.environment.cross_origin_isolated).toBe(false);
  expect(results.environment.pool_threads).toBe(0);
  expect(results.runs.map((r) => r.kind)).toEqual(['io', 'io']);
  expect(results.runs.map((r) => r.summary.completed)).toEqual([20, 20]);
});
