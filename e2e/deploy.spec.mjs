// Deployed on a host that sends no isolation headers (GitHub Pages, most shared hosting), at a
// sub-path as a project page is: the page's own service worker adds the headers, and after one
// reload the page is cross-origin isolated and runs parallel work. `coi=0` turns that off, so
// the not-isolated message can still be seen.
import { PLAIN, SUBPATH } from '../playwright.config.mjs';
import { test, expect } from './lab-page.mjs';

const CPU = '?lab=cpu&kernel=sha256&size=600&tasks=8&mode=rayon';

for (const [where, base] of [
  ['at a sub-path', SUBPATH],
  ['at the root', PLAIN],
]) {
  test(`without the headers, ${where}, the page isolates itself with one reload and runs on workers`, async ({ lab, page }) => {
    const navigations = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations.push(frame.url());
    });
    await lab.open(base, `${CPU}&autorun=1`);
    await lab.waitForState('done');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await expect(lab.isolated).toHaveAttribute('data-value', 'true');
    await expect(lab.isolationWarning).toBeHidden();
    // One load, one reload: the service worker's headers isolate the second.
    expect(navigations.length, navigations.join('\n')).toBe(2);
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${base}/sim-server.js`);
    const results = await lab.exportJson();
    expect(results.environment.cross_origin_isolated).toBe(true);
    expect(results.environment.pool_threads).toBeGreaterThan(0);
    const run = results.runs.find((r) => r.kind === 'cpu');
    expect(run.cpu.checksum).toMatch(/^[0-9a-f]{16}$/);
    expect(run.spans.length).toBe(8);
    expect(run.spans.every((s) => s.lane.startsWith('worker-')), 'every task ran on a worker').toBe(true);
  });
}

test('with coi=0 the page stays as the host sent it and says why', async ({ lab, page }) => {
  await lab.open(SUBPATH, '?lab=start&coi=0');
  await expect(lab.sim).toHaveAttribute('data-state', 'ready');
  await expect(lab.isolated).toHaveAttribute('data-value', 'false');
  await expect(lab.isolationWarning).toContainText('coi=0 in the address turns that off');
  await page.waitForTimeout(500);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  expect(await lab.workersStarted(), 'no worker may start without isolation').toBe(0);
});
