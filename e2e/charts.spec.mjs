// Charts a newcomer can read: after a run of each lab, no chart's or timeline's text leaves its
// chart or lies on another's (measured with the browser's own boxes), and none is drawn under
// 11 px at 1280 px.
import { ISOLATED } from '../playwright.config.mjs';
import { test, expect } from './lab-page.mjs';

const RUNS = {
  'the I/O sweep': 'lab=io&n=20&c=8&latency_ms=30&capacity=2&sweep=c',
  'an I/O run': 'lab=io&n=20&c=4&latency_ms=10',
  'the CPU thread sweep': 'lab=cpu&kernel=sha256&size=600&mode=lanes&sweep=threads',
  'the CPU task sweep': 'lab=cpu&kernel=stats&size=200000&tasks=4096&sweep=tasks',
  'the trade-off sweep': 'lab=tradeoff&sweep=slice_ms&size=2000',
};

for (const [name, query] of Object.entries(RUNS)) {
  test(`${name}: no chart text is clipped or overlaps another`, async ({ lab }) => {
    await lab.open(ISOLATED, `?${query}&autorun=1`);
    await lab.waitForState('done');
    expect(await lab.chartTextProblems()).toEqual([]);
    // Readable on a 1280 px screen: no chart text drawn smaller than 11 px.
    const { count, smallest } = await lab.chartTextSizes();
    expect(count, 'the page draws charts').toBeGreaterThan(10);
    expect(smallest).toBeGreaterThanOrEqual(11);
  });
}

// The quick comparison and the pipeline draw timelines only: their text must not collide either.
for (const [name, query] of Object.entries({
  'the quick comparison': 'lab=start&n=12&tasks=8&size=2000',
  'the pipeline': 'lab=hybrid&strategy=all&n=8&c=4&latency_ms=20&kernel=sha256',
})) {
  test(`${name}: no timeline text is clipped or overlaps another`, async ({ lab }) => {
    await lab.open(ISOLATED, `?${query}&autorun=1`);
    await lab.waitForAutorun(query);
    expect(await lab.page.locator('figure.timeline svg text').count()).toBeGreaterThan(5);
    expect(await lab.chartTextProblems()).toEqual([]);
    const { smallest } = await lab.chartTextSizes();
    expect(smallest).toBeGreaterThanOrEqual(11);
  });
}

test("a timeline's legend lists only the kinds of span it draws", async ({ lab }) => {
  await lab.open(ISOLATED, '?lab=io&n=20&c=4&latency_ms=10&autorun=1');
  await lab.waitForState('done');
  await expect(lab.timelineLegend).toContainText('request in flight');
  await expect(lab.timelineLegend).not.toContainText('task on a worker');
  await lab.open(ISOLATED, '?lab=cpu&kernel=sha256&size=600&tasks=8&autorun=1');
  await lab.waitForState('done');
  await expect(lab.timelineLegend).toContainText('task on a worker');
  await expect(lab.timelineLegend).not.toContainText('request in flight');
});
