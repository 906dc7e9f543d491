// The browser's history of runs (IndexedDB): a finished run is kept, survives a reload, reopens
// drawn exactly as it was, can be laid beside the page's run, deleted or cleared; a bad or
// unknown key says why and draws nothing.
import { ISOLATED } from '../playwright.config.mjs';
import { test, expect } from './lab-page.mjs';

const IO = '?lab=io&n=20&c=5&latency_ms=20&autorun=1';

/** The drawn results of the I/O lab: the timeline and the histogram, as markup. */
async function drawn(page) {
  return page.evaluate(() =>
    ['timeline', 'io-histogram'].map((id) => document.querySelector(`[data-testid=${id}] svg`)?.outerHTML ?? `no ${id}`),
  );
}

test('a finished run is kept, survives a reload and reopens drawn as it was', async ({ lab, page }) => {
  await lab.open(ISOLATED, IO);
  await lab.waitForState('done');
  const key = await lab.waitForKept();
  const original = await lab.exportJson();
  const originalDrawing = await drawn(page);
  expect(originalDrawing.every((svg) => svg.startsWith('<svg'))).toBe(true);

  await lab.open(ISOLATED, '?lab=overview');
  await expect(lab.historyRows).toHaveCount(1);
  await page.reload();
  const row = lab.historyRows.first();
  await expect(row).toHaveAttribute('data-key', key);
  await expect(row).toHaveAttribute('data-lab', 'io');
  await expect(row).toHaveAttribute('data-hidden', 'false');
  await expect(row).toContainText(original.runs[0].label);
  await expect(lab.overviewChart).toHaveAttribute('data-points', '1');
  await expect(lab.historyUsage).toHaveText(/^1 run, \d+ kB of 50 MB$/);

  await row.getByTestId('history-open').click();
  await expect(page).toHaveURL(new RegExp(`reopen=${key}`));
  await lab.waitForState('done');
  await expect(lab.status).toContainText('Reopened from this browser\'s history');
  // Nothing ran: no request reached the simulated server.
  expect(await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.includes('/sim/')).length)).toBe(0);
  const reopened = await lab.exportJson();
  expect(reopened.runs).toEqual(original.runs);
  expect(reopened.config).toEqual(original.config);
  expect(await drawn(page)).toEqual(originalDrawing);
});

test('a run is kept as bytes, and a run an earlier build kept as a string still reopens', async ({ lab, page }) => {
  await lab.open(ISOLATED, IO);
  await lab.waitForState('done');
  const key = Number(await lab.waitForKept());
  const original = await lab.exportJson();
  // Bytes: a string of a flood's run was decoded and cloned on the main thread.
  const stored = await page.evaluate(
    (k) =>
      new Promise((resolve) => {
        indexedDB.open('async-vs-parallel-lab').onsuccess = (e) => {
          const r = e.target.result.transaction('runs').objectStore('runs').get(k);
          r.onsuccess = () => resolve(Object.prototype.toString.call(r.result));
        };
      }),
    key,
  );
  expect(stored).toBe('[object Uint8Array]');
  // The same run as an earlier build kept it: a string.
  await page.evaluate(
    (k) =>
      new Promise((resolve, reject) => {
        indexedDB.open('async-vs-parallel-lab').onsuccess = (e) => {
          const store = e.target.result.transaction('runs', 'readwrite').objectStore('runs');
          const read = store.get(k);
          read.onsuccess = () => {
            const put = store.put(new TextDecoder().decode(read.result), k);
            put.onsuccess = resolve;
            put.onerror = () => reject(put.error);
          };
        };
      }),
    key,
  );
  await lab.open(ISOLATED, `?lab=io&reopen=${key}`);
  await lab.waitForState('done');
  expect((await lab.exportJson()).runs).toEqual(original.runs);
});

test('a reopened image run says its image is not kept, and draws its numbers', async ({ lab, page }) => {
  await lab.open(ISOLATED, '?lab=cpu&kernel=mandelbrot&size=200&tasks=8&mode=rayon&autorun=1');
  await lab.waitForState('done');
  const key = await lab.waitForKept();
  const original = await lab.exportJson();
  await expect(page.getByTestId('image-not-kept')).toHaveCount(0);
  await lab.open(ISOLATED, `?lab=cpu&reopen=${key}`);
  await lab.waitForState('done');
  await expect(page.getByTestId('image-not-kept')).toBeVisible();
  await expect(page.getByTestId('cpu-image')).toBeHidden();
  expect((await lab.exportJson()).runs).toEqual(original.runs);
  await expect(page.getByTestId('timeline')).toBeVisible();
});

test('a kept run can be laid beside the page run, deleted, or the history cleared', async ({ lab, page }) => {
  await lab.open(ISOLATED, IO);
  await lab.waitForState('done');
  const first = await lab.waitForKept();
  await lab.runIoLabButton.click();
  await lab.waitForState('done');
  await expect(lab.historyNote).not.toHaveAttribute('data-key', first);
  const second = await lab.waitForKept();

  // The first run, beside the page's (the second): a row of its own, against the page's run.
  await lab.compareHistory.selectOption(first);
  const kept = page.getByTestId('compare-table').locator('tr[data-source^="kept "]');
  await expect(kept).toHaveCount(1);
  await expect(kept.locator('[data-key=ratio]')).toHaveText(/^\d+\.\d\d×$/);

  await lab.open(ISOLATED, '?lab=overview');
  await expect(lab.historyRows).toHaveCount(2);
  // Newest first.
  await expect(lab.historyRows.first()).toHaveAttribute('data-key', second);
  await lab.historyRows.first().getByTestId('history-delete').click();
  await expect(lab.historyRows).toHaveCount(1);
  await expect(lab.historyRows.first()).toHaveAttribute('data-key', first);

  await lab.clearHistoryButton.click();
  await expect(lab.historyRows).toHaveCount(1);
  await lab.clearHistoryConfirm.click();
  await expect(lab.historyRows).toHaveCount(0);
  await expect(lab.overview).toContainText('No runs yet');
  await page.reload();
  await expect(lab.overview).toContainText('No runs yet');
});

test('a bad or unknown reopen key says why, runs nothing and draws nothing', async ({ lab, page }) => {
  const cases = [
    ['%3Cb%3Ex%3C%2Fb%3E', 'reopen must be the key of a kept run (a whole number of 0 or more); got "<b>x</b>"'],
    ['12345', 'no run with key 12345 is kept in this browser'],
  ];
  for (const [key, message] of cases) {
    await lab.open(ISOLATED, `?lab=io&autorun=1&reopen=${key}`);
    await lab.waitForState('error');
    await expect(lab.status).toContainText(message);
    await expect(page.locator('b')).toHaveCount(0);
    await expect(page.getByTestId('timeline')).toHaveCount(0);
  }
});
