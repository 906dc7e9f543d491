// The results in the formats people's tools read: a Chrome trace (Perfetto, chrome://tracing)
// with a complete event for every span and a track per lane, and CSV with a row per span and a
// row per run, each agreeing with the JSON export of the same runs.
import { readFile } from 'node:fs/promises';
import { ISOLATED } from '../playwright.config.mjs';
import { test, expect } from './lab-page.mjs';

/** CSV text as rows of fields, quotes undone (RFC 4180). */
function parseCsv(text) {
  const rows = [[]];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), (i += 1);
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') rows.at(-1).push(field), (field = '');
    else if (c === '\n') rows.at(-1).push(field), (field = ''), rows.push([]);
    else field += c;
  }
  if (rows.at(-1).length === 0) rows.pop();
  return rows;
}

const QUERIES = {
  cpu: '?lab=cpu&kernel=sha256&size=1200&tasks=12&mode=lanes&threads=2&autorun=1',
  io: '?lab=io&n=40&c=8&latency_ms=10&autorun=1',
  hybrid: '?lab=hybrid&strategy=all&n=6&c=3&latency_ms=10&kernel=sha256&size=100&autorun=1',
};

for (const [name, query] of Object.entries(QUERIES)) {
  test(`the ${name} lab's runs export as a Chrome trace and as CSV that agree with the JSON`, async ({ lab }) => {
    await lab.open(ISOLATED, query);
    await lab.waitForState('done');
    const { runs } = await lab.exportJson();
    expect(runs.length).toBeGreaterThan(0);

    const trace = await lab.exportFormat('export-trace');
    expect(trace.name).toBe(`async-vs-parallel-lab-${name}-trace.json`);
    const { traceEvents } = JSON.parse(trace.text);
    runs.forEach((run, index) => {
      const pid = index + 1;
      const tracks = traceEvents.filter((e) => e.pid === pid && e.name === 'thread_name');
      const lanes = [...new Set(run.spans.map((s) => s.lane))];
      // One track per lane, plus the main thread's frames and blocks.
      expect(tracks.map((t) => t.args.name).sort()).toEqual(['main thread: frames and blocks', ...lanes].sort());
      const tid = Object.fromEntries(tracks.map((t) => [t.args.name, t.tid]));
      const complete = traceEvents.filter((e) => e.pid === pid && e.ph === 'X' && e.cat !== 'block');
      expect(complete.length).toBe(run.spans.length);
      run.spans.forEach((span, i) => {
        const event = complete[i];
        for (const key of ['ph', 'ts', 'dur', 'pid', 'tid']) expect(event, key).toHaveProperty(key);
        expect(event.tid).toBe(tid[span.lane]);
        expect(event.ts).toBeCloseTo(span.start_ms * 1000, 2);
        expect(event.dur).toBeCloseTo((span.end_ms - span.start_ms) * 1000, 2);
      });
      const blocks = traceEvents.filter((e) => e.pid === pid && e.cat === 'block');
      expect(blocks.length).toBe(run.main_thread.block_spans.length);
    });

    const spans = await lab.exportFormat('export-spans-csv');
    expect(spans.name).toBe(`async-vs-parallel-lab-${name}-spans.csv`);
    const spanRows = parseCsv(spans.text);
    expect(spanRows[0]).toEqual(['run', 'label', 'kind', 'lane', 'id', 'start_ms', 'end_ms', 'duration_ms', 'ok']);
    const allSpans = runs.flatMap((run, index) => run.spans.map((span) => ({ run: index + 1, label: run.label, span })));
    expect(spanRows.length).toBe(1 + allSpans.length);
    allSpans.forEach(({ run, label, span }, i) => {
      const row = spanRows[i + 1];
      expect(row.length).toBe(9);
      expect([Number(row[0]), row[1], row[3], Number(row[4])]).toEqual([run, label, span.lane, span.id]);
      expect(Number(row[5])).toBe(span.start_ms);
      expect(Number(row[6])).toBe(span.end_ms);
      expect(row[8]).toBe(String(span.ok));
    });

    const table = parseCsv((await lab.exportFormat('export-runs-csv')).text);
    expect(table.length).toBe(1 + runs.length);
    const column = (key) => table[0].indexOf(key);
    runs.forEach((run, i) => {
      const row = table[i + 1];
      expect(row.length).toBe(table[0].length);
      expect(row[column('label')]).toBe(run.label);
      expect(Number(row[column('completed')])).toBe(run.summary.completed);
      expect(Number(row[column('wall_ms')])).toBe(run.summary.wall_ms);
      expect(Number(row[column('throughput_per_s')])).toBe(run.summary.throughput_per_s);
    });
  });
}

test('copy link gives a link that runs the same settings again, and says what it cannot carry', async ({ lab, page }) => {
  const query = 'lab=cpu&kernel=stats&size=200000&tasks=4&threads=2&mode=lanes';
  await lab.open(ISOLATED, `?${query}&autorun=1`);
  await lab.waitForState('done');
  await page.getByTestId('copy-link').click();
  const note = page.getByTestId('run-link');
  await expect(note).toContainText(/Copied: |Copy this link: /);
  await expect(note).toContainText('one-thread run made earlier');
  const link = await note.locator('a').getAttribute('href');
  expect(link).toBe(`${ISOLATED}/?${query}&autorun=1`);
  const before = await lab.exportJson();
  expect(before.exported_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  expect(before.app_version).toMatch(/^\d+\.\d+\.\d+$/);
  await page.goto(link);
  await lab.waitForState('done');
  const after = await lab.exportJson();
  expect(after.config).toEqual(before.config);
  expect(after.runs[0].cpu.checksum).toBe(before.runs[0].cpu.checksum);
});

test('a chart downloads as a standalone SVG and as a PNG twice its size', async ({ lab, page }) => {
  await lab.open(ISOLATED, '?lab=io&n=40&c=8&latency_ms=10&autorun=1');
  await lab.waitForState('done');
  const histogram = page.getByTestId('io-histogram');
  const [svgDownload] = await Promise.all([page.waitForEvent('download'), histogram.getByTestId('chart-svg').click()]);
  expect(svgDownload.suggestedFilename()).toBe('async-vs-parallel-lab-io-histogram.svg');
  const svg = await readFile(await svgDownload.path(), 'utf8');
  expect(svg.startsWith('<svg')).toBe(true);
  expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
  expect(svg).toContain('request latency (ms)');
  // Styles are written in, so the file looks as drawn away from the page.
  expect(svg).toMatch(/<text[^>]*style="[^"]*font-size:\s*\d/);
  const viewBox = await histogram.locator('svg').evaluate((s) => [s.viewBox.baseVal.width, s.viewBox.baseVal.height]);

  const [pngDownload] = await Promise.all([page.waitForEvent('download'), histogram.getByTestId('chart-png').click()]);
  expect(pngDownload.suggestedFilename()).toBe('async-vs-parallel-lab-io-histogram.png');
  const png = await readFile(await pngDownload.path());
  expect(png.subarray(1, 4).toString()).toBe('PNG');
  // Width and height sit at bytes 16 and 20 of a PNG's header.
  expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual(viewBox.map((v) => Math.round(v * 2)));
});
