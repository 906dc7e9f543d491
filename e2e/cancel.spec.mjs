// Cancel ends every kind of run within 100 ms of the click, and keeps what finished before it:
// an open loop with arrivals seconds apart, a closed loop (also by Escape), a CPU sweep between
// its levels, a hybrid run between its strategies, the quick comparison between its strategies
// and a wrong-tool case between its sides.
import { ISOLATED } from '../playwright.config.mjs';
import { test, expect } from './lab-page.mjs';

const PROMPT_MS = 100;

test('an open loop at 0.5 requests per second stops at once, keeping the requests that finished', async ({ lab }) => {
  await lab.open(ISOLATED, '?lab=io&n=30&rate=0.5&latency_ms=10&autorun=1');
  await lab.waitForProgress(1);
  const took = await lab.cancelTimed();
  expect(took, 'ms from the click to cancelled').toBeLessThan(PROMPT_MS);
  await expect(lab.status).toContainText('had finished; what finished is kept and drawn');
  const { runs } = await lab.exportJson();
  expect(runs).toHaveLength(1);
  expect(runs[0].label).toContain('cancelled');
  expect(runs[0].summary.completed).toBeGreaterThanOrEqual(1);
  expect(runs[0].summary.completed).toBeLessThan(30);
  // Nothing the cancel aborted is counted: every kept request finished.
  expect(runs[0].io.requests.every((r) => r.error === null)).toBe(true);
});

test('a closed loop stops at once, by the button or by Escape, and its finished requests are drawn', async ({ lab, page }) => {
  await lab.open(ISOLATED, '?lab=io&n=3000&c=8&latency_ms=50&autorun=1');
  await lab.waitForProgress(40);
  expect(await lab.cancelTimed()).toBeLessThan(PROMPT_MS);
  const { runs } = await lab.exportJson();
  const done = runs[0].summary.completed;
  expect(done).toBeGreaterThanOrEqual(40);
  expect(done).toBeLessThan(3000);
  await expect(lab.status).toContainText(`Cancelled: ${done} of 3000 requests had finished`);
  await expect(page.getByTestId('timeline').first()).toBeVisible();

  await lab.runIoLabButton.click();
  await expect(lab.status).toHaveAttribute('data-state', 'running');
  await lab.waitForProgress(40);
  expect(await lab.cancelTimed('Escape')).toBeLessThan(PROMPT_MS);
});

test('a CPU sweep stops inside a level and keeps the levels measured before it', async ({ lab }) => {
  await lab.open(ISOLATED, '?lab=cpu&kernel=sha256&size=16000&tasks=8&mode=lanes&threads=2&sweep=threads&autorun=1');
  await expect(lab.status).toContainText('Sweep level 2 of 2', { timeout: 60_000 });
  expect(await lab.cancelTimed()).toBeLessThan(PROMPT_MS);
  const { runs } = await lab.exportJson();
  expect(runs.map((r) => r.params.threads)).toEqual([1]);
  expect(runs[0].summary.completed).toBe(8);
});

test('a hybrid run stops inside a strategy and keeps the strategies run before it', async ({ lab }) => {
  await lab.open(ISOLATED, '?lab=hybrid&strategy=all&n=40&c=4&latency_ms=60&autorun=1');
  await expect(lab.status).toContainText('Pipeline: phased', { timeout: 60_000 });
  expect(await lab.cancelTimed()).toBeLessThan(PROMPT_MS);
  const { runs } = await lab.exportJson();
  expect(runs.map((r) => r.hybrid.strategy)).toEqual(['sequential']);
});

test("the quick comparison's parallel batch keeps the strategies that ended before the cancel", async ({ lab, page }) => {
  await lab.open(ISOLATED, '?lab=start&n=10&latency_ms=20&tasks=16&size=20000');
  await lab.runBothButton.click();
  await lab.cancelWhen('tasks on 1 worker');
  await expect(lab.status).toContainText('the one run that ended before the cancel is kept and drawn');
  const { runs } = await lab.exportJson();
  expect(runs.map((r) => [r.kind, r.params.mode ?? null])).toEqual([
    ['io', null],
    ['io', null],
    ['cpu', 'main'],
  ]);
  expect(runs[2].summary.completed).toBe(16);
  // A cut-short batch teaches nothing about computing: only the waiting lesson is drawn.
  await expect(lab.lesson.locator('li')).toHaveCount(1);
  await expect(lab.batch('cpu').getByTestId('timeline')).toBeVisible();
  await lab.waitForKept();
  await expect(page.getByTestId('history-note')).not.toHaveAttribute('data-error', 'true');
});

test('a wrong-tool case cancelled during its right way keeps the wrong way, without a verdict', async ({ lab, page }) => {
  await lab.open(ISOLATED, '?lab=wrong&case=cpu-on-main&autorun=1');
  await lab.cancelWhen('the right way');
  await expect(lab.status).toContainText('the wrong way is kept and drawn, without a verdict');
  const { runs } = await lab.exportJson();
  expect(runs.map((r) => r.wrong.role)).toEqual(['wrong']);
  await expect(page.locator('[data-role=wrong]').getByTestId('timeline')).toBeVisible();
  await expect(page.locator('[data-role=right]')).toHaveCount(0);
  await expect(lab.verdict).toHaveCount(0);
});

test('main mode says before it runs that it cannot hear Cancel', async ({ lab }) => {
  await lab.open(ISOLATED, '?lab=cpu&mode=main');
  await expect(lab.page.getByTestId('main-mode-note')).toContainText('answers no click until it ends');
  await lab.open(ISOLATED, '?lab=cpu&mode=rayon');
  await expect(lab.status).toBeVisible();
  await expect(lab.page.getByTestId('main-mode-note')).toHaveCount(0);
});
