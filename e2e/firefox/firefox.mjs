// Firefox (Debian's firefox-esr) driven by puppeteer-core over WebDriver BiDi: Playwright 1.65
// cannot open a context in Firefox ESR ("emulation.setMediaFeaturesOverride: unknown command").
// Never a downloaded browser. The release build in dist/ is served with the isolation headers by
// the same plain static server the Chromium specs use.
import assert from 'node:assert/strict';
import puppeteer from 'puppeteer-core';
import { clickAndAwaitRun } from '../in-page.mjs';
import { startServer } from '../start-server.mjs';

const TIMEOUT = 60_000;

/** Starts the static server and Firefox; `close()` stops both. By default the server sends the
 *  isolation headers; `startFirefox('plain', '/lab/')` serves without them under a sub-path. */
export async function startFirefox(mode = 'isolated', path = '/') {
  const server = await startServer('dist', mode, path);
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr',
    headless: true,
  });
  return {
    browser,
    base: server.base,
    async close() {
      await browser.close();
      server.close();
    },
  };
}

/** A fresh context and page that collects page errors and keeps every export the page saves. */
export async function openLab({ browser, base }, query = '') {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  // The export button saves a blob through a download link: keep the blob's text instead.
  await page.evaluateOnNewDocument(() => {
    // Every breach of the page's Content-Security-Policy, which close() asserts there was none of.
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    window.__exports = [];
    const createObjectURL = URL.createObjectURL;
    URL.createObjectURL = (blob) => {
      if (blob instanceof Blob && blob.type === 'application/json') {
        blob.text().then((text) => window.__exports.push(text));
      }
      return createObjectURL(blob);
    };
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function () {
      if (!this.hasAttribute('download')) click.call(this);
    };
  });
  await page.goto(`${base}/${query}`);
  const lab = {
    page,
    problems,
    async close() {
      problems.push(...(await page.evaluate(() => window.__violations ?? []).catch(() => [])).map((v) => `CSP violation: ${v}`));
      await context.close();
      assert.deepEqual(problems, [], 'the page logged errors');
    },
    /** Waits until `[data-testid=<id>]` has `data-state=<state>`. */
    async waitForState(id, state, timeout = TIMEOUT) {
      await lab.described(
        page.waitForFunction(
          (id, state) => document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-state') === state,
          { timeout, polling: 100 },
          id,
          state,
        ),
      );
    },
    async waitForReady() {
      await lab.waitForState('env-pool', 'ready');
      await lab.waitForState('env-sim', 'ready');
    },
    async waitForDone() {
      await lab.described(
        page.waitForFunction(
          () => ['done', 'error', 'cancelled'].includes(document.querySelector('[data-testid=run-status]')?.getAttribute('data-state')),
          { timeout: TIMEOUT, polling: 100 },
        ),
      );
      assert.equal(await lab.attribute('run-status', 'data-state'), 'done');
    },
    /** `waiting`, failing with what the page said about its run, its pool and its simulated
     *  server when the wait gave up. */
    async described(waiting) {
      await waiting.catch(async (error) => {
        const said = await page
          .evaluate(() =>
            JSON.stringify(
              Object.fromEntries(
                ['run-status', 'env-pool', 'env-sim', 'pool-error', 'sim-error'].map((id) => {
                  const el = document.querySelector(`[data-testid="${id}"]`);
                  return [id, el && { state: el.getAttribute('data-state'), text: el.textContent.trim().slice(0, 300) }];
                }),
              ),
            ),
          )
          .catch((failure) => `(could not read it: ${failure.message})`);
        throw new Error(`${error.message}; the page then: ${said}`);
      });
    },
    async attribute(id, name) {
      return page.$eval(`[data-testid="${id}"]`, (el, name) => el.getAttribute(name), name);
    },
    async click(id) {
      await page.$eval(`[data-testid="${id}"]`, (el) => el.click());
    },
    /** Clicks a run button again and waits for that run to end; returns the state it ended in. */
    async runAgain(buttonTestId) {
      return page.evaluate(clickAndAwaitRun, buttonTestId);
    },
    /** Clicks Export JSON and returns the results, parsed. */
    async exportJson() {
      const before = await page.evaluate(() => window.__exports.length);
      await lab.click('export-json');
      await page.waitForFunction((n) => window.__exports.length > n, { timeout: TIMEOUT }, before);
      return JSON.parse(await page.evaluate(() => window.__exports.at(-1)));
    },
    /** The last main-thread verdict on the page: its tone and text. */
    async verdict() {
      return page.$$eval('[data-testid=main-thread-verdict]', (all) => {
        const last = all.at(-1);
        return { tone: last?.getAttribute('data-tone'), text: last?.textContent ?? '' };
      });
    },
  };
  return lab;
}

/**
 * The main thread stayed free: no block of 100 ms or more, and under a tenth of the run blocked
 * (see `expectMainThreadFree` in ../lab-page.mjs for why a short block is allowed).
 */
export function assertMainThreadFree(mainThread, wallMs) {
  const detail = JSON.stringify(mainThread.block_spans);
  assert.ok(mainThread.block_spans.every((b) => b.duration_ms < 100), detail);
  assert.ok(mainThread.blocked_ms < Math.max(100, 0.1 * wallMs), detail);
}

/** The verdict says what the record says: "blocked" exactly when a block was counted. */
export function assertVerdictMatches(verdict, mainThread) {
  if (mainThread.blocks > 0) {
    assert.equal(verdict.tone, 'bad', verdict.text);
    assert.match(verdict.text, mainThread.blocks === 1 ? /blocked once/ : new RegExp(`blocked ${mainThread.blocks} times`));
  } else {
    assert.doesNotMatch(verdict.text, /blocked/);
    assert.notEqual(verdict.tone, 'bad', verdict.text);
  }
  // Firefox reports no long tasks: the page must say so, never count them as zero.
  assert.equal(mainThread.long_tasks, null);
  assert.match(verdict.text, /does not report long tasks/);
}
