// End-to-end tests in Debian's headless Chromium (never a downloaded browser) against the
// release build in dist/, served three times: with the isolation headers, without them, and
// without them under a sub-path (as GitHub Pages serves a project); and the debug build in
// target/dist-debug, for its badge.
import { defineConfig } from '@playwright/test';

export const ISOLATED = 'http://127.0.0.1:4173';
export const PLAIN = 'http://127.0.0.1:4174';
export const DEBUG = 'http://127.0.0.1:4175';
export const SUBPATH = 'http://127.0.0.1:4176/lab';

export default defineConfig({
  testDir: 'e2e',
  // Only the Chromium specs: e2e/firefox/*.test.mjs run under node's own test runner.
  testMatch: '*.spec.mjs',
  testIgnore: 'firefox/**',
  timeout: 90_000,
  expect: { timeout: 30_000 },
  workers: 1,
  retries: 0,
  // The HTML report (playwright-report/) keeps the screenshots the screen-size specs attach.
  reporter: [['list'], ['html', { open: 'never' }]],
  use: {
    browserName: 'chromium',
    acceptDownloads: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: [
    { command: 'node e2e/serve.mjs dist 4173 isolated', url: `${ISOLATED}/index.html`, reuseExistingServer: false },
    { command: 'node e2e/serve.mjs dist 4174 plain', url: `${PLAIN}/index.html`, reuseExistingServer: false },
    { command: 'node e2e/serve.mjs target/dist-debug 4175 isolated', url: `${DEBUG}/index.html`, reuseExistingServer: false },
    { command: 'node e2e/serve.mjs dist 4176 plain /lab/', url: `${SUBPATH}/index.html`, reuseExistingServer: false },
  ],
});
