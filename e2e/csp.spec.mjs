// The Content-Security-Policy (written into index.html by scripts/csp.mjs): every lab runs
// under it without a single violation, and it bites: no eval, no injected inline script.
import { ISOLATED } from '../playwright.config.mjs';
import { test, expect } from './lab-page.mjs';

test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
});

const violations = (page) => page.evaluate(() => window.__violations);

const LABS = [
  ['start', 'n=10&latency_ms=10&tasks=8&size=2000'],
  ['io', 'n=20&c=5&latency_ms=10'],
  ['cpu', 'kernel=mandelbrot&size=200&tasks=8&mode=rayon'],
  ['hybrid', 'n=8&c=4&latency_ms=10&strategy=pipelined'],
  ['wrong', 'case=cpu-on-main'],
  ['tradeoff', ''],
];

for (const [name, query] of LABS) {
  test(`the ${name} lab runs under the policy without a violation`, async ({ lab, page }) => {
    await lab.open(ISOLATED, `?lab=${name}&${query}&autorun=1`);
    await lab.waitForAutorun(`lab=${name}`);
    expect(await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content)).toContain("script-src 'self' 'wasm-unsafe-eval' 'sha256-");
    expect(await violations(page)).toEqual([]);
  });
}

// Chart exports (data: and blob: images) run under it in exports.spec.mjs, whose fixture fails on
// the console error a violation logs.
test('the overview runs under the policy without a violation', async ({ lab, page }) => {
  await lab.open(ISOLATED, '?lab=io&n=10&c=5&latency_ms=10&autorun=1');
  await lab.waitForState('done');
  await lab.open(ISOLATED, '?lab=overview');
  await expect(page.getByTestId('overview')).toBeVisible();
  expect(await violations(page)).toEqual([]);
});

test('the policy bites: eval and an injected inline script are refused', async ({ lab, page }) => {
  lab.allowFailedResponses(/Content Security Policy|unsafe-eval|unsafe-inline/);
  await lab.open(ISOLATED, '?lab=io');
  await lab.waitForReady();
  // Code the test itself evaluates is exempt (the DevTools protocol bypasses the policy), so
  // the page is made to compile text the way a page would: a string timer is an eval.
  await page.evaluate(() => setTimeout('window.__evaluated = true', 0));
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__injected = true';
    document.head.append(script);
  });
  await expect.poll(() => violations(page)).toHaveLength(2);
  expect(await page.evaluate(() => [window.__evaluated ?? false, window.__injected ?? false])).toEqual([false, false]);
  expect((await violations(page)).map((v) => v.split(' ')[0])).toEqual(['script-src', 'script-src-elem']);
});
