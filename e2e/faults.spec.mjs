// Every network fault a run can meet, each recorded per request with its kind, the run
// completing and reporting them: the simulated server's fault modes (a 500, a hang until the
// page's timeout, a dropped connection, a slow body, a burst of 503s) and typed URLs that refuse
// the connection or answer 404 or 503. The fixture fails any test whose page logs an uncaught
// error or an unhandled promise rejection.
import { ISOLATED } from '../playwright.config.mjs';
import { test, expect } from './lab-page.mjs';

async function runIo(lab, query) {
  await lab.open(ISOLATED, `?lab=io&${query}&autorun=1`);
  await lab.waitForState('done');
  const [run] = (await lab.exportJson()).runs;
  return run;
}

const kinds = (run) => run.io.requests.map((r) => r.error);
const count = (run, kind) => kinds(run).filter((k) => k === kind).length;

test('fault=hang: the hung requests end at the page\'s timeout, as timeouts, and the rest complete', async ({ lab }) => {
  lab.allowFailedResponses(/\/io\/req/);
  const run = await runIo(lab, 'n=30&c=10&latency_ms=10&error_rate=0.3&fault=hang&timeout_ms=600&seed=3');
  expect(run.params.fault).toBe('hang');
  const hung = run.io.requests.filter((r) => r.error === 'timeout');
  expect(hung.length).toBeGreaterThan(3);
  expect(hung.length).toBeLessThan(20);
  expect(run.summary.errors).toBe(hung.length);
  expect(run.summary.completed).toBe(30 - hung.length);
  for (const r of hung) {
    expect(r.end_ms - r.start_ms, `request ${r.id} gave up at its timeout`).toBeGreaterThanOrEqual(590);
    expect(r.end_ms - r.start_ms).toBeLessThan(1500);
    expect(r.status).toBeNull();
  }
  await expect(lab.status).toContainText(`${hung.length} requests failed`);
  await expect(lab.errorKinds.locator('[data-kind=Timeout]')).toContainText(`${hung.length} ×`);
});

test('fault=drop: a dropped connection is a network error with the browser\'s words', async ({ lab }) => {
  lab.allowFailedResponses(/\/io\/req|network error/);
  const run = await runIo(lab, 'n=30&c=10&latency_ms=10&error_rate=0.3&fault=drop&seed=3');
  const dropped = count(run, 'network');
  expect(dropped).toBeGreaterThan(3);
  expect(dropped).toBe(run.summary.errors);
  expect(run.summary.completed).toBe(30 - dropped);
  await expect(lab.errorKinds.locator('[data-kind=Network]')).toContainText(`${dropped} ×`);
});

test('fault=slow: a trickled body arrives whole, a second after its headers, or times out', async ({ lab }) => {
  lab.allowFailedResponses(/\/io\/req/);
  const run = await runIo(lab, 'n=20&c=10&latency_ms=10&error_rate=0.3&fault=slow&seed=3');
  expect(run.summary.errors).toBe(0);
  const slow = run.io.requests.filter((r) => r.end_ms - r.headers_ms > 800);
  expect(slow.length).toBeGreaterThan(1);
  expect(slow.length).toBeLessThan(20);
  for (const r of slow) expect(r.end_ms - r.headers_ms).toBeLessThan(3000);
  // The fast ones are unaffected.
  expect(run.summary.latency_ms.p50).toBeLessThan(500);

  const cut = await runIo(lab, 'n=20&c=10&latency_ms=10&error_rate=0.3&fault=slow&seed=3&timeout_ms=500');
  expect(count(cut, 'timeout')).toBe(slow.length);
});

test('fault=burst: consecutive requests get 503, recorded as failed on purpose with their status', async ({ lab }) => {
  lab.allowFailedResponses(/\/io\/req/);
  // The first quarter of every hundred ids.
  const run = await runIo(lab, 'n=100&c=10&latency_ms=5&error_rate=0.25&fault=burst');
  const failed = run.io.requests.filter((r) => r.error !== null);
  expect(failed.map((r) => r.id)).toEqual([...Array(25).keys()]);
  expect(failed.every((r) => r.error === 'injected' && r.status === 503)).toBe(true);
  expect(run.summary.completed).toBe(75);
  await expect(lab.page.getByTestId('errors-caveat')).toContainText('25 of 100 requests failed');
});

test('fault=http, every request: the run ends in error and says why', async ({ lab }) => {
  lab.allowFailedResponses(/\/io\/req/);
  await lab.open(ISOLATED, '?lab=io&n=8&c=4&latency_ms=5&error_rate=1&autorun=1');
  await lab.waitForState('error');
  await expect(lab.status).toContainText('Every request failed: the simulated server failed it on purpose');
  const [run] = (await lab.exportJson()).runs;
  expect(run.io.requests.map((r) => r.status)).toEqual(Array(8).fill(500));
});

test('a typed URL that refuses the connection: each request a network error', async ({ lab }) => {
  lab.allowFailedResponses(/127\.0\.0\.1:9|ERR_CONNECTION_REFUSED|Failed to fetch/);
  await lab.openTypedUrl(ISOLATED, 'target=url&url=http%3A%2F%2F127.0.0.1%3A9%2Frefused&n=4&c=2', 4, 'http://127.0.0.1:9/refused');
  await lab.runIoLabButton.click();
  await lab.waitForState('error');
  await expect(lab.status).toContainText('The browser said');
  const [run] = (await lab.exportJson()).runs;
  expect(kinds(run)).toEqual(Array(4).fill('network'));
});

for (const status of [404, 503]) {
  test(`a typed URL that answers ${status}: each request an HTTP error with its status`, async ({ lab }) => {
    lab.allowFailedResponses(/__status|nope/);
    const path = status === 404 ? '/static/nope.txt' : `/__status/${status}`;
    await lab.openTypedUrl(ISOLATED, `target=url&url=${encodeURIComponent(path)}&n=4&c=2`, 4, path);
    await lab.runIoLabButton.click();
    await lab.waitForState('error');
    await expect(lab.status).toContainText('error status');
    const [run] = (await lab.exportJson()).runs;
    expect(kinds(run)).toEqual(Array(4).fill('http'));
    expect(run.io.requests.map((r) => r.status)).toEqual(Array(4).fill(status));
    await expect(lab.errorKinds.locator('[data-kind=Http]')).toContainText('4 ×');
  });
}

/** Sends request `id` of every run to the simulated server with `fault=drop`, so its fetch
 *  fails for real (a dropped connection), whatever lab sends it. */
async function dropRequest(page, id) {
  await page.addInitScript((id) => {
    const fetch = window.fetch;
    window.fetch = (url, init) => {
      const drop = String(url).includes('io/req?') && new URL(url, location.href).searchParams.get('id') === String(id);
      return fetch(drop ? `${url}&error_rate=1&fault=drop` : url, init);
    };
  }, id);
}

test('the quick comparison: one failed fetch is a failed span, and the batch goes on', async ({ lab, page }) => {
  lab.allowFailedResponses(/\/io\/req|network error/);
  await dropRequest(page, 3);
  await lab.open(ISOLATED, '?lab=start&n=10&latency_ms=20&tasks=8&size=2000&autorun=1');
  await lab.waitForAutorun('lab=start');
  const { runs } = await lab.exportJson();
  const io = runs.filter((r) => r.kind === 'io');
  expect(io).toHaveLength(2);
  for (const run of io) {
    expect(run.summary.errors).toBe(1);
    expect(run.summary.completed).toBe(9);
    expect(run.spans.filter((s) => !s.ok).map((s) => s.id)).toEqual([3]);
  }
  // The parallel batch ran after it.
  expect(runs.filter((r) => r.kind === 'cpu')).toHaveLength(3);
  await expect(lab.page.locator('.timeline .failed').first()).toBeAttached();
  await expect(lab.page.getByTestId('key-failed').first()).toBeVisible();
});

test('the hybrid lab: one failed fetch is a failed span, not processed, and the run completes', async ({ lab, page }) => {
  lab.allowFailedResponses(/\/io\/req|network error/);
  await dropRequest(page, 3);
  await lab.open(ISOLATED, '?lab=hybrid&strategy=pipelined&n=10&c=4&latency_ms=20&autorun=1');
  await lab.waitForState('done');
  await expect(lab.status).toContainText('pipelined: 1 of 10 fetches failed');
  const [run] = (await lab.exportJson()).runs;
  expect(run.summary.errors).toBe(1);
  expect(run.summary.completed).toBe(9);
  const failed = run.spans.filter((s) => !s.ok);
  expect(failed.map((s) => [s.id, s.lane.startsWith('io')])).toEqual([[3, true]]);
  // Nine items were processed on the workers, none of them item 3.
  const processed = run.spans.filter((s) => s.lane.startsWith('worker'));
  expect(processed.map((s) => s.id).sort((a, b) => a - b)).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9]);
});
