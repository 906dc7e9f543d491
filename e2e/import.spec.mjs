// Exported files laid beside this page's runs: an export read back gives the same figures,
// and every kind of bad file is refused with its message, leaving the page as it was.
import { ISOLATED } from '../playwright.config.mjs';
import { test, expect } from './lab-page.mjs';

const QUERY = '?lab=cpu&kernel=stats&size=400000&tasks=4&mode=lanes&threads=2&autorun=1';

test('an export read back shows the same figures, beside the page run of its label', async ({ lab, page }) => {
  await lab.open(ISOLATED, QUERY);
  await lab.waitForState('done');
  const text = await lab.exportText();
  const exported = JSON.parse(text);
  await page.getByTestId('import-files').setInputFiles({ name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  const table = page.getByTestId('compare-table');
  await expect(table).toBeVisible();
  const fromFile = table.locator('tr[data-source="mine.json"]');
  await expect(fromFile).toHaveCount(exported.runs.length);
  const summary = exported.runs[0].summary;
  await expect(fromFile.first().locator('[data-key=wall_ms]')).toHaveAttribute('data-value', String(summary.wall_ms));
  await expect(fromFile.first().locator('[data-key=throughput_per_s]')).toHaveAttribute('data-value', String(summary.throughput_per_s));
  // The same run against itself.
  await expect(fromFile.first().locator('[data-key=ratio]')).toHaveText('1.00×');
  await expect(page.getByTestId('import-error')).toHaveCount(0);
});

test('every kind of bad file is refused with its message, and the page keeps its results', async ({ lab, page }) => {
  await lab.open(ISOLATED, QUERY);
  await lab.waitForState('done');
  const good = JSON.parse(await lab.exportText());
  const variant = (change) => {
    const file = structuredClone(good);
    change(file);
    return JSON.stringify(file);
  };
  const span = good.runs[0].spans[0];
  const cases = [
    ['broken.json', '{ "schema": 2, ', 'the file is not JSON'],
    ['future.json', variant((f) => (f.schema = 3)), 'schema 3, newer than this page reads (2)'],
    ['older.json', variant((f) => (f.schema = 1)), 'schema 1, from an older version of the lab'],
    ['huge.json', ' '.repeat(20 * 1024 * 1024 + 1), 'the most this page reads is 20 MB'],
    ['spans.json', variant((f) => (f.runs[0].spans = Array(200_001).fill(span))), 'the file holds 200001 spans'],
    ['negative.json', variant((f) => (f.runs[0].summary.wall_ms = -5)), 'runs[0].summary.wall_ms is -5'],
    ['absurd.json', variant((f) => (f.runs[0].summary.throughput_per_s = 1e300)), 'runs[0].summary.throughput_per_s is 1e+300'],
    ['nan.json', variant((f) => (f.runs[0].summary.wall_ms = 'NaN')), 'not a results file of this lab'],
    ['markup.json', variant((f) => (f.runs[0].label = '<img src=x onerror="window.__hacked=1">')), 'runs[0].label holds markup'],
    ['control.json', variant((f) => (f.runs[0].label = 'bell\u0007')), 'runs[0].label holds markup, control characters'],
  ];
  for (const [name, text, message] of cases) {
    await page.getByTestId('import-files').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
    await expect(page.getByTestId('import-error'), name).toContainText(`${name}: `);
    await expect(page.getByTestId('import-error'), name).toContainText(message);
  }
  await expect(page.getByTestId('compare-table')).toHaveCount(0);
  expect(await page.evaluate(() => window.__hacked)).toBeUndefined();
  await expect(lab.status).toHaveAttribute('data-state', 'done');
  expect((await lab.exportJson()).runs).toEqual(good.runs);
});

test('files dropped on the compare strip are read as if picked', async ({ lab, page }) => {
  await lab.open(ISOLATED, QUERY);
  await lab.waitForState('done');
  const text = await lab.exportText();
  await page.getByTestId('compare').evaluate((section, text) => {
    const data = new DataTransfer();
    data.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
    section.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, text);
  await expect(page.getByTestId('compare-table').locator('tr[data-source="dropped.json"]')).toHaveCount(JSON.parse(text).runs.length);
});

test("an imported sweep is drawn over the page's own, named by browser, threads and day", async ({ lab, page }) => {
  for (const [query, chart, kind] of [
    ['?lab=io&n=20&c=8&latency_ms=30&capacity=2&sweep=c&autorun=1', 'io-curve', 'io'],
    ['?lab=cpu&kernel=sha256&size=600&mode=lanes&sweep=threads&autorun=1', 'speedup-chart', 'cpu'],
  ]) {
    await lab.open(ISOLATED, query);
    await lab.waitForState('done');
    const text = await lab.exportText();
    const exported = JSON.parse(text);
    const overlays = page.getByTestId(chart).getByTestId('overlay');
    await expect(overlays).toHaveCount(0);
    await page.getByTestId('import-files').setInputFiles({ name: `${kind}.json`, mimeType: 'application/json', buffer: Buffer.from(text) });
    await expect(overlays).toHaveCount(1);
    const day = exported.exported_at.slice(0, 10);
    const name = new RegExp(`^Chrome \\d+ · ${exported.environment.hardware_threads} threads · ${day} \\(${kind}\\.json\\)$`);
    await expect(overlays).toHaveAttribute('data-name', name);
    const drawn = exported.runs.filter((r) => r.kind === kind && (kind === 'io' || r.cpu?.speedup != null)).length;
    expect(drawn).toBeGreaterThan(1);
    await expect(overlays).toHaveAttribute('data-points', String(drawn));
    await expect(overlays.locator('circle.overlay-point')).toHaveCount(drawn);
    await expect(page.getByTestId(chart).locator('.key.overlay')).toContainText(`(${kind}.json)`);
    await page.getByTestId('clear-imports').click();
    await expect(overlays).toHaveCount(0);
  }
});
