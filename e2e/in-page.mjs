// Functions that run inside the page (handed to `page.evaluate`), shared by the Playwright specs
// and the Firefox tests.

/**
 * Clicks the run button `button` (a data-testid) on a page that may already have run, and
 * resolves with the state this run ended in, once the status has gone to running and back.
 */
export function clickAndAwaitRun(button) {
  return new Promise((resolve) => {
    const status = document.querySelector('[data-testid=run-status]');
    let started = false;
    new MutationObserver((_, observer) => {
      const state = status.getAttribute('data-state');
      if (state === 'running') started = true;
      else if (started) {
        observer.disconnect();
        resolve(state);
      }
    }).observe(status, { attributes: true, attributeFilter: ['data-state'] });
    document.querySelector(`[data-testid="${button}"]`).click();
  });
}

/**
 * What is wrong with the text of every chart, timeline and meter on the page: a label outside its
 * SVG's box, or two labels of one SVG overlapping (by more than a pixel each way), texts named.
 * Runs in the page, in Chromium (Playwright) and Firefox (puppeteer) alike.
 */
export function chartTextProblems() {
  const problems = [];
  for (const svg of document.querySelectorAll('figure svg[viewBox]')) {
    const box = svg.getBoundingClientRect();
    const chart = svg.closest('figure').dataset.testid ?? 'a chart';
    const scale = box.width / svg.viewBox.baseVal.width;
    // A text's box as wide as the browser measures it and one em high about its middle: browsers
    // differ in the line box they report (Firefox's is half as tall again as Chromium's for the
    // same font), not in where the glyphs are.
    const texts = [...svg.querySelectorAll('text')]
      .filter((t) => t.textContent.trim() !== '')
      .map((t) => {
        const b = t.getBoundingClientRect();
        const [middle, em] = [(b.top + b.bottom) / 2, parseFloat(getComputedStyle(t).fontSize) * scale];
        return { text: t.textContent.trim(), r: { left: b.left, right: b.right, top: middle - em / 2, bottom: middle + em / 2 } };
      });
    for (const { text, r } of texts) {
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) {
        problems.push(`${chart}: "${text}" leaves the chart`);
      }
    }
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        const [a, b] = [texts[i].r, texts[j].r];
        const wide = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const high = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (wide > 1 && high > 1) problems.push(`${chart}: "${texts[i].text}" overlaps "${texts[j].text}"`);
      }
    }
  }
  return problems;
}
