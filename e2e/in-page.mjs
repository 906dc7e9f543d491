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
