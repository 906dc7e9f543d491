// The reference: what the browser itself does against the simulated server, with nothing of
// the lab in the way. C slots, each awaiting `fetch` and then `arrayBuffer`, as the lab's closed
// loop does. Runs in the page (it needs the page's service worker), as a plain function:
//   plainClient({ base, n, c }) -> { wall_ms, throughput_per_s, latencies_ms }
// `base` is a simulated-server URL without `id` (e.g. "io/req?run=x&latency_ms=40").
async function plainClient({ base, n, c }) {
  const latencies = new Array(n);
  let next = 0;
  const start = performance.now();
  async function slot() {
    while (next < n) {
      const id = next++;
      const began = performance.now();
      const response = await fetch(`${base}&id=${id}`, { cache: 'no-store', credentials: 'omit' });
      await response.arrayBuffer();
      latencies[id] = performance.now() - began;
    }
  }
  await Promise.all(Array.from({ length: Math.min(c, n) }, slot));
  const wall = performance.now() - start;
  return { wall_ms: wall, throughput_per_s: n / (wall / 1000), latencies_ms: latencies };
}
