// A phone's width (390 px): after a run of each lab, nothing makes the page scroll sideways, and
// every tab can be seen and tapped.
import { ISOLATED } from '../playwright.config.mjs';
import { test, expect } from './lab-page.mjs';

const LABS = {
  start: 'lab=start&n=12&tasks=8&size=2000',
  io: 'lab=io&n=20&c=4&latency_ms=20&sweep=c',
  cpu: 'lab=cpu&kernel=mandelbrot&size=200&tasks=16',
  hybrid: 'lab=hybrid&strategy=all&n=8&c=4&latency_ms=20&kernel=sha256',
  wrong: 'lab=wrong&case=await-in-loop',
  tradeoff: 'lab=tradeoff&size=400',
  overview: 'lab=overview',
};

test.use({ viewport: { width: 390, height: 844 } });

for (const [name, query] of Object.entries(LABS)) {
  test(`at 390 px the ${name} page has no sideways scroll and every tab in reach`, async ({ lab }) => {
    const autorun = name === 'overview' ? '' : '&autorun=1';
    await lab.open(ISOLATED, `?${query}${autorun}`);
    if (autorun) await lab.waitForAutorun(query);
    const overflow = await lab.horizontalOverflow();
    expect(overflow.wide, 'elements past the right edge').toEqual([]);
    expect(overflow.scroll).toBeLessThanOrEqual(overflow.width);
    // The responsiveness strip keeps its caption.
    await expect(lab.liveMeterCaption).toBeVisible();
    for (const tab of await lab.tabs.all()) {
      const box = await tab.boundingBox();
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
  });
}
