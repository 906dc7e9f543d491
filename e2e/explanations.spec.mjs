// Every lab explains itself in the kitchen picture and shows the Rust that ran (cut from the
// real source at build time) beside the C# shape; a first visit gets a guided start.
import { ISOLATED } from '../playwright.config.mjs';
import { test, expect } from './lab-page.mjs';

const labs = {
  'lab=start': ['JsFuture::from(fetch_body', 'fetch(url, init)', 'rayon::spawn'],
  'lab=io': ['async fn closed_loop', 'async fn open_loop', 'JsFuture::from(fetch_body', 'fetch(url, init)'],
  'lab=cpu': ['rayon::spawn', 'in_next_task', 'pool::run', 'rayon::scope', 'into_par_iter'],
  'lab=hybrid': ['async fn pipelined', 'rayon::spawn'],
  'lab=wrong&case=cpu-on-main': ['async fn async_on_main', 'rayon::spawn'],
  'lab=wrong&case=blocking-io': ['answer.wait()', 'rayon::spawn'],
  'lab=tradeoff': ['pub async fn run_sliced', 'fn in_next_task', '"postTask"'],
};

for (const [query, identifiers] of Object.entries(labs)) {
  test(`${query} explains itself and shows the code that runs`, async ({ lab }) => {
    await lab.open(ISOLATED, `?${query}`);
    await expect(lab.codePanel).toHaveCount(1);
    const rust = (await lab.rustCode.allTextContents()).join('\n');
    for (const identifier of identifiers) expect(rust).toContain(identifier);
    expect(rust).not.toContain('// snippet:');
    // The shape first: the C# comes before the Rust, and what the panel shows of the Rust is a
    // few lines; a longer function is folded behind "show the whole function".
    const blocks = await lab.rustBlocks();
    expect(blocks.some((b) => b.shown)).toBe(true);
    for (const block of blocks.filter((b) => b.shown)) expect(block.lines).toBeLessThanOrEqual(20);
    expect(await lab.csharpComesFirst()).toBe(true);
    await expect(lab.csharpCode).toContainText(/await|Parallel/);
    for (const lesson of await lab.lessons.allTextContents()) {
      expect(lesson.trim().length).toBeGreaterThan(40);
    }
    expect(await lab.lessons.filter({ hasText: /cook/ }).count()).toBeGreaterThanOrEqual(1);
  });
}

test('a first visit gets a guided start that runs and says what to look at', async ({ lab }) => {
  await lab.open(ISOLATED);
  const guide = lab.guide;
  await expect(guide).toContainText('New here?');
  await lab.waitForPool();
  await lab.guideGo.click();
  await lab.waitForState('done');
  await expect(guide).toContainText('Look at the timelines', { timeout: 60_000 });
  // The guide words its lesson from this run's numbers.
  const [one, all] = (await lab.exportJson()).runs.map((r) => r.summary.wall_ms);
  await expect(guide).toContainText(`${(one / all).toFixed(1)}×`);
  expect((await lab.exportJson()).runs.map((r) => r.kind)).toEqual(['io', 'io', 'cpu', 'cpu', 'cpu']);
  await lab.open(ISOLATED);
  await expect(lab.guide).toHaveCount(0);
});

test('an autorun link skips the guided start', async ({ lab }) => {
  await lab.open(ISOLATED, '?lab=start&autorun=1');
  await expect(lab.guide).toHaveCount(0);
  await lab.waitForState('done');
});

test('every term links to its glossary entry, and every entry is linked from a lab', async ({ lab }) => {
  const linked = new Set();
  let entries = [];
  for (const query of [
    'lab=io&n=20&c=4&latency_ms=10',
    'lab=io&n=20&rate=50&latency_ms=10',
    'lab=cpu&kernel=sha256&size=600&mode=lanes&sweep=threads',
  ]) {
    await lab.open(ISOLATED, `?${query}&autorun=1`);
    await lab.waitForState('done');
    const found = await lab.glossaryLinks();
    entries = found.entries;
    for (const link of found.links) {
      expect(link.resolves, `"${link.text}" links to term-${link.term}`).toBe(true);
      linked.add(link.term);
    }
  }
  expect(entries.length).toBeGreaterThanOrEqual(18);
  for (const entry of entries) expect(entry.meaning.length, entry.id).toBeGreaterThan(60);
  expect([...linked].sort()).toEqual(entries.map((e) => e.id).sort());
  // Following a link shows its entry.
  await lab.page.locator('a.term[data-term=speedup]').first().click();
  await expect(lab.page.locator('#term-speedup')).toBeInViewport();
});

test('only the shown lines ship: the wasm holds the snippets, not the files they are cut from', async ({ lab, page }) => {
  await lab.open(ISOLATED);
  const wasm = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).find((name) => name.endsWith('_bg.wasm')));
  const bytes = (await (await page.request.get(wasm)).body()).toString('latin1');
  // In a snippet (src/runtime/fetch.rs, `fetch-js`) ...
  expect(bytes).toContain('return response.arrayBuffer().then((body) =>');
  // ... and outside every snippet of the same file: its module comment and a private function.
  expect(bytes).not.toContain('One GET through the browser');
  expect(bytes).not.toContain("fn classify(error: wasm_bindgen::JsValue)");
});
