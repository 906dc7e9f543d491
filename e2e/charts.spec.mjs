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

test('dragging across a timeline zooms into that stretch of time, and a click shows the whole run again', async ({ lab, page }) => {
  await lab.open(ISOLATED, '?lab=io&n=40&c=4&latency_ms=30&autorun=1');
  await lab.waitForState('done');
  const figure = page.getByTestId('timeline').first();
  const bars = figure.locator('rect.span');
  const whole = await lab.timelineWindow(figure);
  expect(whole.from).toBe(0);
  await expect(bars).toHaveCount(40);
  const { spans } = (await lab.exportJson()).runs.at(-1);
  // Pointing at a bar says which request it is and when it ran, as the export has it.
  const pointed = figure.getByTestId('timeline-pointed');
  await bars.nth(5).hover();
  await expect(pointed).toContainText(/#\d+: /);
  const [, lane, id, start, end] = (await pointed.textContent()).match(/^(\S+) #(\d+): ([\d.]+) → ([\d.]+) ms/);
  const span = spans.find((s) => s.id === Number(id));
  expect(await bars.nth(5).getAttribute('data-lane')).toBe(lane);
  expect(span.lane).toBe(lane);
  expect(Math.abs(span.start_ms - Number(start))).toBeLessThanOrEqual(0.005);
  expect(Math.abs(span.end_ms - Number(end))).toBeLessThanOrEqual(0.005);

  // The lanes are drawn from x = 78 to 588 of the drawing's 600 units.
  const shown = await lab.dragTimeline(figure, 200, 300);
  const near = (a, b) => Math.abs(a - b) < whole.to / 100;
  expect(near(shown.from, (whole.to * (200 - 78)) / 510), JSON.stringify(shown)).toBe(true);
  expect(near(shown.to, (whole.to * (300 - 78)) / 510), JSON.stringify(shown)).toBe(true);
  // Only the requests in flight during that stretch are drawn, each inside the lanes.
  const inWindow = spans.filter((s) => s.end_ms >= shown.from && s.start_ms <= shown.to).length;
  expect(inWindow).toBeLessThan(40);
  await expect(bars).toHaveCount(inWindow);
  const edges = await bars.evaluateAll((rects) => rects.map((r) => [Number(r.getAttribute('x')), Number(r.getAttribute('x')) + Number(r.getAttribute('width'))]));
  for (const [x0, x1] of edges) {
    expect(x0).toBeGreaterThanOrEqual(77.9);
    expect(x1).toBeLessThanOrEqual(588.1);
  }
  await expect(figure.getByTestId('timeline-window')).toContainText('Showing');
  expect(await lab.chartTextProblems()).toEqual([]);

  // A click is not a drag: the window stays.
  await lab.dragTimeline(figure, 400, 401);
  expect(await lab.timelineWindow(figure)).toEqual(shown);

  await figure.getByTestId('timeline-zoom-out').click();
  expect(await lab.timelineWindow(figure)).toEqual(whole);
  await expect(bars).toHaveCount(40);
  // Without a mouse: the button zooms into the middle half.
  await figure.getByTestId('timeline-zoom-in').click();
  expect(await lab.timelineWindow(figure)).toEqual({ from: whole.to / 4, to: (whole.to * 3) / 4 });
});
