// An automated accessibility scan (axe-core's WCAG 2 A and AA rules) of each lab after a run, in
// the light and the dark colour scheme: contrast, names, roles, text alternatives for charts.
import AxeBuilder from '@axe-core/playwright';
import { ISOLATED } from '../playwright.config.mjs';
import { test, expect } from './lab-page.mjs';

const RUNS = {
  start: 'lab=start&n=8&latency_ms=10&tasks=8&size=2000',
  io: 'lab=io&n=20&c=8&latency_ms=10&capacity=2&sweep=c',
  cpu: 'lab=cpu&kernel=mandelbrot&size=200&mode=lanes&sweep=threads',
  hybrid: 'lab=hybrid&strategy=all&n=8&c=4&latency_ms=20&kernel=sha256',
  wrong: 'lab=wrong&case=blocking-io',
  tradeoff: 'lab=tradeoff&sweep=slice_ms&size=1000',
};

/** One line per violation: its rule, and the first few elements it found, for the report. */
function describe(violations) {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

for (const scheme of ['light', 'dark']) {
  for (const [name, query] of Object.entries(RUNS)) {
    test(`the ${name} page after a run, ${scheme}: no WCAG 2 A or AA violation`, async ({ lab, page }) => {
      test.setTimeout(120_000);
      await page.emulateMedia({ colorScheme: scheme });
      await lab.open(ISOLATED, `?${query}&autorun=1`);
      await lab.waitForAutorun(query);
      const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
      expect(describe(results.violations)).toEqual([]);
      // The scan looked at the charts: each drawn chart has a text alternative saying what it shows.
      const charts = await lab.chartDescriptions();
      expect(charts.length).toBeGreaterThan(0);
      for (const label of charts) expect(label.length, label).toBeGreaterThan(20);
    });
  }
}
