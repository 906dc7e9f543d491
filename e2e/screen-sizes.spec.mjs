// A phone's width (390 px) and a laptop's (1280 px): after a run of each lab, nothing makes the
// page scroll sideways, every tab can be seen and tapped, and no chart text is drawn smaller than
// 11 px (on a phone a chart keeps its size and scrolls in its own box, with a hint saying so).
// A screenshot of each page is attached to the report, to be looked at.
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

for (const width of [390, 1280]) {
  test.describe(`${width} px wide`, () => {
    test.use({ viewport: { width, height: 844 } });
    for (const [name, query] of Object.entries(LABS)) {
      test(`at ${width} px the ${name} page has no sideways scroll, every tab in reach, chart text readable`, async ({ lab }, testInfo) => {
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
          expect(box.x + box.width).toBeLessThanOrEqual(width);
        }
        const { count, smallest } = await lab.chartTextSizes();
        if (name !== 'overview') expect(count).toBeGreaterThan(0);
        if (count > 0) expect(smallest, 'smallest chart text (px)').toBeGreaterThanOrEqual(11);
        // A chart wider than its box says it scrolls; one that fits does not.
        for (const box of await lab.chartScrollBoxes()) {
          expect(box.hint, `scroll hint of a box ${box.client} px wide holding ${box.scroll} px`).toBe(box.scroll > box.client + 1);
        }
        await testInfo.attach(`${name}-${width}.png`, {
          body: await lab.page.screenshot({ fullPage: true }),
          contentType: 'image/png',
        });
      });
    }
  });
}
