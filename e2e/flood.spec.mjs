// Floods: thousands of fetches and up to a million tiny tasks complete, every request is
// paired with the browser's own timing, and what the page does with them once they are done
// (pairing, summaries, drawing the timeline, keeping the run) takes no long task over the bound.
// A flood of 100,000 fetches is a command (see the README): `?lab=io&n=100000&c=256&latency_ms=0`.
import { ISOLATED } from '../playwright.config.mjs';
import { test, expect } from './lab-page.mjs';

// Pairing the requests with Resource Timing, summarising them and making their spans run on the
// pool, and the timeline is drawn one task after the numbers: after 5,000 fetches nothing took
// 50 ms here (one task of up to 80 ms before). Twice that is room for a loaded machine; a
// quadratic step would be far above it (the pairing of 5,000 requests once took 830 ms).
const POST_RUN_TASK_MS = 100;
// Drawing a million tasks' run took one task of 114 to 129 ms while the page copied its spans
// and merged them all; shared spans and the overview made on the pool take no long task at all
// here (none of 50 ms), so twice that is room for a loaded machine.
const CPU_FLOOD_TASK_MS = 100;

test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
});

test('5,000 fetches at C = 256 complete, all paired with Resource Timing, with no long task after', async ({ lab, page }) => {
  test.setTimeout(120_000);
  await lab.open(ISOLATED, '?lab=io&n=5000&c=256&latency_ms=0&autorun=1');
  await lab.waitForState('done');
  await expect(page.getByTestId('timeline').first()).toBeVisible();
  await page.waitForTimeout(1000);
  const [run] = (await lab.exportJson()).runs;
  expect(run.summary.completed).toBe(5000);
  expect(run.io.resume_delay.matched).toBe(5000);
  // A flood keeps the main thread late with many short tasks: the verdict says so when it
  // blocked, and agrees with the numbers either way.
  await lab.expectVerdictMatches(run.main_thread);
  // Frames closer than 3 px in the main thread's row are bands, never a line each: at most a
  // mark every 3 px of the 510 px plot. (A loaded machine may draw only 10 frames a second
  // during the flood: then they are few enough for a tick each.)
  const timeline = page.getByTestId('timeline').first();
  // They are one path either way; `data-marks` counts its marks.
  const frames = timeline.locator('path.frame-bands, path.frame-ticks');
  await expect(frames).toHaveCount(1);
  const [kind, marks, d] = await frames.evaluate((p) => [p.getAttribute('class'), Number(p.dataset.marks), p.getAttribute('d')]);
  expect(d.split('M').length - 1).toBe(marks);
  expect(marks).toBeGreaterThan(0);
  expect(marks).toBeLessThanOrEqual(170);
  if (run.main_thread.frame_times_ms.length > 170) expect(kind).toBe('frame-bands');
  const after = await page.evaluate(() => {
    const lastEnd = Math.max(...performance.getEntriesByType('resource').filter((e) => e.name.includes('/io/req?')).map((e) => e.responseEnd));
    return window.__longTasks.filter((t) => t.start > lastEnd);
  });
  expect(after.filter((t) => t.duration >= POST_RUN_TASK_MS), JSON.stringify(after)).toEqual([]);
});

/** Runs SHA-256 in rayon mode with `query` (size and tasks) by a click; resolves with the
 *  click's time once the results and their timeline are drawn and a second has passed. */
async function runTinyTasks(lab, page, query) {
  await lab.open(ISOLATED, `?lab=cpu&kernel=sha256&${query}&mode=rayon`);
  await lab.waitForPool();
  const clicked = await page.evaluate(() => performance.now());
  await lab.runCpuLabButton.click();
  await lab.waitForState('done');
  await expect(page.getByTestId('timeline').first()).toBeVisible();
  await page.waitForTimeout(1000);
  return clicked;
}

test('65,536 tiny tasks complete on the pool, and the page takes no long task meanwhile, after, exporting or zooming in', async ({ lab, page }) => {
  test.setTimeout(120_000);
  const clicked = await runTinyTasks(lab, page, 'size=65536&tasks=65536');
  const [run] = (await lab.exportJson()).runs;
  expect(run.spans).toHaveLength(65536);
  expect(run.summary.completed).toBe(65536);
  // The export above is written on the pool (on the page it took 140 ms at once). Zooming into a
  // tenth of the run redraws it from all 65,536 spans, without a long task either.
  const figure = page.getByTestId('timeline').first();
  const shown = await lab.dragTimeline(figure, 300, 351);
  expect(shown.to - shown.from).toBeLessThan(run.summary.wall_ms / 5);
  await expect(figure.locator('rect.span').first()).toBeVisible();
  await page.waitForTimeout(500);
  const tasks = await page.evaluate((from) => window.__longTasks.filter((t) => t.start > from), clicked);
  expect(tasks.filter((t) => t.duration >= CPU_FLOOD_TASK_MS), JSON.stringify(tasks)).toEqual([]);
});

test('a million tiny tasks complete on the pool, and what follows takes no long task over the bound', async ({ lab, page }) => {
  test.setTimeout(180_000);
  // SHA-256 of 1,000 blocks in 1,048,576 tasks: all but a thousand of them have nothing to do.
  const clicked = await runTinyTasks(lab, page, 'size=1000&tasks=1048576');
  expect(await lab.metric('cpu-results', 'completed')).toBe(1048576);
  await expect(page.getByTestId('result-detail')).toContainText('1048576 tasks');
  const checksum = await page.getByTestId('checksum').textContent();
  // Far fewer bars than spans: the timeline merged what is closer than a pixel.
  const timeline = page.getByTestId('timeline').first();
  expect(await timeline.locator('rect.span').count()).toBeLessThan(2000);
  // A merged bar says so when pointed at: it is many tasks, not one long one.
  await timeline.locator('rect.span').nth(1).hover();
  await expect(timeline.getByTestId('timeline-pointed')).toContainText(/^worker-\d+: \d+ spans from #\d+, .* merged because/);
  const tasks = await page.evaluate((from) => window.__longTasks.filter((t) => t.start > from), clicked);
  expect(tasks.filter((t) => t.duration >= CPU_FLOOD_TASK_MS), JSON.stringify(tasks)).toEqual([]);
  // The same job in one task has the same checksum: every task came back, once.
  await lab.open(ISOLATED, '?lab=cpu&kernel=sha256&size=1000&tasks=1&mode=rayon&autorun=1');
  await lab.waitForState('done');
  await expect(page.getByTestId('checksum')).toHaveText(checksum);
});
