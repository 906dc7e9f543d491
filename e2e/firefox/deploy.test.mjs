// Firefox on a host that sends no isolation headers, at a sub-path: the page's service worker
// adds them, and after one reload the page is isolated and runs on its workers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openLab, startFirefox } from './firefox.mjs';

let firefox;
before(async () => {
  firefox = await startFirefox('plain', '/lab/');
});
after(async () => {
  await firefox?.close();
});

test('without the headers, at a sub-path, one reload isolates the page and the workers run', async () => {
  const lab = await openLab(firefox, '?lab=cpu&kernel=sha256&size=600&tasks=8&mode=rayon&autorun=1');
  // The page reloads once: poll across the reload rather than inside one document.
  const deadline = Date.now() + 30_000;
  let isolated = false;
  while (!isolated && Date.now() < deadline) {
    isolated = await lab.page.evaluate(() => crossOriginIsolated).catch(() => false);
    if (!isolated) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.ok(isolated, 'the page became cross-origin isolated');
  await lab.waitForDone();
  const { environment, runs } = await lab.exportJson();
  assert.equal(environment.cross_origin_isolated, true);
  assert.ok(environment.pool_threads > 0);
  assert.equal(runs[0].spans.length, 8);
  assert.ok(runs[0].spans.every((span) => span.lane.startsWith('worker-')));
  await lab.close();
});
