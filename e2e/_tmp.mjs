import { chromium } from 'playwright';
import { startServer } from './start-server.mjs';
const { base, close } = await startServer('dist', 'isolated');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
const page = await browser.newPage();
await page.addInitScript(() => {
  window.__long = [];
  new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__long.push([Math.round(e.startTime), Math.round(e.duration)]))).observe({ type: 'longtask', buffered: true });
});
for (const q of process.argv.slice(2)) {
  await page.goto(`${base}/?${q}&autorun=1`);
  await page.waitForFunction(() => ['done', 'error'].includes(document.querySelector('[data-testid=run-status]')?.getAttribute('data-state')), null, { timeout: 600000, polling: 500 });
  await page.waitForTimeout(3000);
  const after = await page.evaluate(() => {
    const lastEnd = Math.max(...performance.getEntriesByType('resource').filter((e) => e.name.includes('/io/req?')).map((e) => e.responseEnd));
    return window.__long.filter(([s]) => s > lastEnd);
  });
  console.log(q, await page.getByTestId('run-status').textContent(), JSON.stringify(after), await page.getByTestId('history-note').textContent().catch(() => '?'));
}
await browser.close(); close();
