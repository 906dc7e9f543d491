// The reference: what the browser itself does against the simulated server, with nothing of
// the lab in the way. C slots, each awaiting `fetch` and then `arrayBuffer`, as the lab's closed
// loop does. Runs in the page (it needs the page's service worker), as a plain function:
//   plainClient({ base, n, c }) -> { wall_ms, throughput_per_s, latencies_ms, end_gaps_ms, long_tasks_ms, frame_max_ms }
// `base` is a simulated-server URL without `id` (e.g. "io/req?run=x&latency_ms=40").
// `end_gaps_ms`: for each request, when its body reached this code less the browser's own
// Resource Timing `responseEnd`: the event loop's delay, as the lab reports it for itself.
// `long_tasks_ms`: the durations of the main thread's long tasks (Chromium's `longtask`) during
// the run, so that a long task in the lab's run can be set against the browser's own.
// `frame_max_ms`: the longest interval between two animation frames during the run, as the lab's
// meter reports it for its own runs.
async function plainClient({ base, n, c }) {
  performance.setResourceTimingBufferSize(20000);
  performance.clearResourceTimings();
  const latencies = new Array(n);
  const bodyAt = new Array(n);
  const url = (id) => new URL(`${base}&id=${id}`, document.baseURI).href;
  const longTasks = [];
  const observer = new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((e) => e.duration)));
  observer.observe({ type: 'longtask' });
  // Start in a task of the page's own, as the lab's run does: a long task in a script the
  // test harness evaluated is not reported as one.
  await new Promise((resolve) => setTimeout(resolve, 0));
  let frameMax = 0;
  let running = true;
  let lastFrame = null;
  const onFrame = (t) => {
    if (lastFrame !== null) frameMax = Math.max(frameMax, t - lastFrame);
    lastFrame = t;
    if (running) requestAnimationFrame(onFrame);
  };
  requestAnimationFrame(onFrame);
  let next = 0;
  const start = performance.now();
  async function slot() {
    while (next < n) {
      const id = next++;
      const began = performance.now();
      const response = await fetch(url(id), { cache: 'no-store', credentials: 'omit' });
      await response.arrayBuffer();
      bodyAt[id] = performance.now();
      latencies[id] = bodyAt[id] - began;
    }
  }
  await Promise.all(Array.from({ length: Math.min(c, n) }, slot));
  const wall = performance.now() - start;
  running = false;
  longTasks.push(...observer.takeRecords().map((e) => e.duration));
  observer.disconnect();
  const gaps = [];
  for (let id = 0; id < n; id++) {
    const entry = performance.getEntriesByName(url(id), 'resource')[0];
    if (entry) gaps.push(bodyAt[id] - entry.responseEnd);
  }
  return { wall_ms: wall, throughput_per_s: n / (wall / 1000), latencies_ms: latencies, end_gaps_ms: gaps, long_tasks_ms: longTasks, frame_max_ms: frameMax };
}
