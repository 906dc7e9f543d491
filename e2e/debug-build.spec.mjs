// The debug build says what it is: kernels run far slower in it, so its numbers must not pass
// for the release build's.
import { DEBUG } from '../playwright.config.mjs';
import { test, expect } from './lab-page.mjs';

test('a debug build shows its badge and exports build: debug', async ({ lab }) => {
  await lab.open(DEBUG);
  await lab.waitForPool();
  const badge = lab.debugBadge;
  await expect(badge).toBeVisible();
  await expect(badge).toHaveText('debug build');
  const results = await lab.exportJson();
  expect(results.environment.build).toBe('debug');
});
