// No user-supplied text is ever inserted as HTML: markup fed through every input (each lab's
// URL parameters, the typed URL, a reopen key, each field of the settings form, an imported
// file's name and contents) comes back as text, and none of it runs.
import { ISOLATED } from '../playwright.config.mjs';
import { test, expect } from './lab-page.mjs';

const MARKUP = '<img src=x onerror=window.__hacked=1>';
const LABS = ['start', 'io', 'cpu', 'hybrid', 'wrong', 'tradeoff'];

/** Nothing ran and no element came from the markup. */
async function expectInert(page) {
  expect(await page.evaluate(() => window.__hacked ?? false), 'the markup ran').toBe(false);
  expect(await page.locator('img[src=x]').count(), 'the markup became an element').toBe(0);
}

for (const name of LABS) {
  test(`markup in every URL parameter of the ${name} lab is shown as text`, async ({ lab, page }) => {
    // The lab's own keys, from its form (the wrong-tool lab picks its one setting by buttons).
    await lab.open(ISOLATED, `?lab=${name}`);
    const keys = await page.locator('[data-testid^="setting-"]').evaluateAll((fields) => fields.map((f) => f.dataset.testid.slice('setting-'.length)));
    if (name === 'wrong') keys.push('case');
    expect(keys.length).toBeGreaterThan(0);
    const query = keys.map((key) => `${key}=${encodeURIComponent(MARKUP)}`).join('&');
    await lab.open(ISOLATED, `?lab=${name}&${query}&autorun=1`);
    await expect(lab.configError).toContainText('"<img src=x onerror=window.__hacked=1>"');
    await page.waitForTimeout(300);
    await expectInert(page);
  });
}

test('markup typed into every field of the form is refused as text', async ({ lab, page }) => {
  await lab.open(ISOLATED, '?lab=io');
  const fields = page.locator('input[data-testid^="setting-"]');
  const count = await fields.count();
  expect(count).toBeGreaterThan(5);
  for (let i = 0; i < count; i++) {
    await fields.nth(i).fill(MARKUP);
    await fields.nth(i).press('Enter');
  }
  await expectInert(page);
  await expect(page.locator('body')).toContainText(MARKUP.slice(0, 20));
});

test('a typed URL and a reopen key made of markup are shown as text', async ({ lab, page }) => {
  await lab.open(ISOLATED, `?lab=io&target=url&url=${encodeURIComponent(`https://example.com/${MARKUP}`)}&n=2&c=1&autorun=1`);
  await expect(lab.status).toContainText('https://example.com/<img');
  await expectInert(page);
  await lab.open(ISOLATED, `?lab=io&reopen=${encodeURIComponent(MARKUP)}`);
  await expect(page.locator('body')).toContainText('<img src=x');
  await expectInert(page);
});

test('an imported file whose name and contents are markup is refused as text', async ({ lab, page }) => {
  await lab.open(ISOLATED, '?lab=io');
  await page.getByTestId('import-files').setInputFiles({ name: `${MARKUP}.json`, mimeType: 'application/json', buffer: Buffer.from(MARKUP) });
  await expect(page.getByTestId('import-error')).toContainText(`${MARKUP}.json: the file is not JSON`);
  await expectInert(page);
});
