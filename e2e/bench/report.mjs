// The benchmark's report: joins what the native kernels (crates/lab-core/benches/kernels.rs), the
// browser (cpu.mjs, io.mjs, cores.mjs) and the wasm file (wasm-size.mjs) measured in one run, sets each
// figure against its target (issue 12), prints the table and writes target/bench/report.json.
//   node e2e/bench/report.mjs [--dir target/bench] [--compare docs/benchmarks.json] [--save FILE] [--chart FILE.svg]
// --compare flags every figure that got worse than in a saved report by more than its noise
// allowance, and exits 1 if one did; --save writes this report there as the next baseline;
// --chart draws wasm against native per kernel as an SVG.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, word, i, all) => (word.startsWith('--') ? [...pairs, [word.slice(2), all[i + 1]]] : pairs), []),
);
const DIR = args.dir ?? 'target/bench';
const read = async (name) => JSON.parse(await readFile(path.join(DIR, name), 'utf8'));
const [native, cpu, io, size] = await Promise.all(['native.json', 'cpu.json', 'io.json', 'wasm-size.json'].map(read));
// Where the cores went (cores.mjs); a directory from before it existed has none.
const cores = await read('cores.json').catch(() => null);

// Each figure: its value, which way is better, the target it must meet, and (for --compare) how
// much worse than the baseline still counts as noise on these shared machines.
const figures = [];
const figure = (key, label, value, { better, target = null, unit = '', noise = 0.15 }) =>
  figures.push({ key, label, value, better, target, unit, noise, met: target === null || value === null ? null : better === 'lower' ? value <= target : value >= target });

for (const k of cpu.kernels) {
  const n = native.kernels.find((x) => x.kernel === k.kernel);
  if (!n) continue;
  figure(`${k.kernel}.wasm_over_native`, `${k.kernel}: wasm / native, one thread`, k.single_ms.median / n.single_ms.median, { better: 'lower', target: 1.2 });
  const paired = ['sha256', 'mandelbrot'].includes(k.kernel) ? 0.97 : null;
  figure(`${k.kernel}.efficiency_ratio`, `${k.kernel}: efficiency at T = ${k.threads}, wasm / native (${k.efficiency.toFixed(2)} / ${n.efficiency.toFixed(2)})`, k.efficiency / n.efficiency, {
    better: 'higher',
    target: paired,
  });
}
figure('round_trip_us', 'empty job round trip, p50 (µs)', cpu.empty_job_round_trip_us.median, { better: 'lower', target: 1000, unit: 'µs', noise: 1 });
figure('per_task_us', 'per-task overhead (µs)', cpu.per_task_overhead_us, { better: 'lower', target: 10, unit: 'µs', noise: 0.5 });
figure('startup_pool_ms', 'start-up: navigation to pool ready (ms)', cpu.startup.to_pool_ready_ms.median, { better: 'lower', target: 500, unit: 'ms', noise: 0.3 });
figure('startup_sim_ms', 'start-up: navigation to simulated server (ms)', cpu.startup.to_sim_ready_ms.median, { better: 'lower', unit: 'ms', noise: 0.3 });
for (const l of io.levels) {
  const ratio = l.lab.throughput_per_s.median / l.plain.throughput_per_s.median;
  figure(`io.c${l.c}.lab_over_plain`, `C = ${l.c}: lab / plain client throughput`, ratio, { better: 'higher', target: 0.95 });
  figure(`io.c${l.c}.p50_over_latency_ms`, `C = ${l.c}: lab p50 − ${io.latency_ms} ms (ms)`, l.lab.p50_ms.median - io.latency_ms, {
    better: 'lower',
    target: l.c <= 8 ? 2 : null,
    unit: 'ms',
    noise: 1,
  });
  figure(`io.c${l.c}.of_bound`, `C = ${l.c}: lab throughput / (C / L)`, l.lab.throughput_per_s.median / l.bound_per_s, { better: 'higher', target: l.c <= 8 ? 0.95 : null });
}
figure('io.ceiling', 'simulated server ceiling, 0 ms service (req/s)', io.ceiling.throughput_per_s.median, { better: 'higher', unit: 'req/s', noise: 0.25 });
const asyncLongTasks = Math.max(...io.levels.map((l) => l.lab.long_tasks ?? 0));
const workerLongTasks = Math.max(...cpu.kernels.map((k) => k.main_thread.long_tasks), cpu.largest_job.main_thread.long_tasks);
figure('long_tasks', 'long tasks during worker and async runs', asyncLongTasks + workerLongTasks, { better: 'lower', target: 0, noise: 0 });
// Attribution: of the T cores a worker run could use, what the workers got, and what the page's
// main thread took meanwhile (CPU time from the operating system, per thread).
for (const k of cores?.kernels ?? []) {
  const share = (name) => k.by_thread.filter((t) => t.name === name).reduce((sum, t) => sum + t.of_wall, 0);
  figure(`cores.${k.kernel}.workers`, `${k.kernel}: the workers' CPU, of T = ${k.threads} cores`, share('renderer: DedicatedWorker') / k.threads, { better: 'higher' });
  figure(`cores.${k.kernel}.main`, `${k.kernel}: the page's main thread meanwhile, of one core`, share('renderer: chromium'), { better: 'lower', noise: 0.5 });
}
// Attribution of an I/O run: the CPU time a request costs the whole browser, the lab's against the
// plain client's on the same page (older cores.json files lack it).
if (cores?.io) {
  const { c, lab, plain } = cores.io;
  figure('cores.io.cpu_ratio', `CPU time per request at C = ${c}, all threads, a whole run (the lab's drawing its results), lab / plain client`, lab.cpu_us_per_request / plain.cpu_us_per_request, { better: 'lower' });
}
// Attribution: the plain client's runs, on the same page and at the same C, show what the
// browser's own request path does to the main thread (older io.json files lack it).
const plainLongTasks = io.levels.map((l) => l.plain.long_tasks).filter((x) => x !== undefined);
if (plainLongTasks.length) {
  figure('plain_long_tasks', 'long tasks during the plain client\'s runs (the browser\'s own path)', Math.max(...plainLongTasks), { better: 'lower', noise: 0 });
}
const plainFrames = io.levels.map((l) => l.plain.frame_max_ms).filter((x) => x !== undefined);
if (plainFrames.length) {
  figure('plain_worst_frame_ms', 'worst frame during the plain client\'s runs (the browser\'s own path, ms)', Math.max(...plainFrames), { better: 'lower', unit: 'ms', noise: 0.5 });
}
const worstFrame = Math.max(...io.levels.map((l) => l.lab.frame_max_ms ?? 0), ...cpu.kernels.map((k) => k.main_thread.frame_max_ms), cpu.largest_job.main_thread.frame_max_ms);
figure('worst_frame_ms', 'worst frame during worker and async runs (ms)', worstFrame, { better: 'lower', target: 50, unit: 'ms', noise: 0.5 });
figure('timeline_zoom_long_tasks', `long tasks zooming a ${cpu.largest_job.tasks}-span timeline`, cpu.largest_job.timeline_zoom_long_tasks.length, { better: 'lower', target: 0, noise: 0 });
figure('wasm_gzip_kb', 'release wasm, gzipped (KB)', size.shipped.wasm_gzip / 1000, { better: 'lower', target: 250, unit: 'KB', noise: 0.02 });
figure('wasm_raw_kb', 'release wasm, raw (KB)', size.shipped.wasm_raw / 1000, { better: 'lower', unit: 'KB', noise: 0.02 });

const report = {
  browser: cpu.browser,
  machine: native.machine,
  figures,
  native,
  cpu,
  io,
  wasm_size: { shipped: size.shipped, top_functions: size.named?.top_functions, top_crates: size.named?.top_crates },
};

const show = (x) => (x === null ? '—' : Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(3));
console.log(`Benchmark report (${report.machine.threads} threads, ${report.machine.os}/${report.machine.arch}, Chromium ${report.browser})`);
for (const f of figures) {
  const target = f.target === null ? '' : `${f.better === 'lower' ? '≤' : '≥'} ${f.target}`;
  const verdict = f.met === null ? '' : f.met ? 'met' : 'MISSED';
  console.log(`  ${f.label.padEnd(66)} ${show(f.value).padStart(9)}  ${target.padEnd(8)} ${verdict}`);
}
if (size.named) console.log(`  largest contributors to the wasm: ${size.named.top_crates.map((c) => `${c.crate} ${(c.bytes / 1000).toFixed(0)} KB`).join(', ')}`);

const worse = [];
if (args.compare) {
  const baseline = JSON.parse(await readFile(args.compare, 'utf8'));
  for (const f of figures) {
    const was = baseline.figures.find((b) => b.key === f.key);
    if (!was || was.value === null || f.value === null) continue;
    const allowance = Math.max(Math.abs(was.value) * f.noise, f.noise === 0 ? 0 : 1e-9);
    const regressed = f.better === 'lower' ? f.value > was.value + allowance : f.value < was.value - allowance;
    if (regressed) worse.push(`${f.label}: ${show(was.value)} → ${show(f.value)}`);
  }
  console.log(worse.length ? `Worse than ${args.compare}:\n  ${worse.join('\n  ')}` : `Nothing worse than ${args.compare} beyond noise.`);
}

/** Wasm against native, one thread, per kernel: horizontal bars in ms, labelled. */
function chart() {
  const rows = cpu.kernels.map((k) => ({ kernel: k.kernel, wasm: k.single_ms.median, native: native.kernels.find((n) => n.kernel === k.kernel)?.single_ms.median ?? 0 }));
  const max = Math.max(...rows.flatMap((r) => [r.wasm, r.native]));
  const [left, width, row] = [100, 420, 46];
  const x = (ms) => (ms / max) * width;
  const bars = rows
    .map((r, i) => {
      const y = 30 + i * row;
      return `<text x="${left - 8}" y="${y + 17}" text-anchor="end">${r.kernel}</text>
  <rect x="${left}" y="${y}" width="${x(r.wasm).toFixed(1)}" height="14" fill="#4361ee"/><text x="${left + x(r.wasm) + 4}" y="${y + 11}">wasm ${r.wasm.toFixed(0)} ms</text>
  <rect x="${left}" y="${y + 16}" width="${x(r.native).toFixed(1)}" height="14" fill="#8d99ae"/><text x="${left + x(r.native) + 4}" y="${y + 27}">native ${r.native.toFixed(0)} ms</text>`;
    })
    .join('\n  ');
  const height = 40 + rows.length * row;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 ${height}" font-family="system-ui, sans-serif" font-size="12" role="img" aria-label="One thread, each kernel at its default size: wasm in Chromium against native Rust, in ms">
  <rect width="640" height="${height}" fill="#fff"/>
  <text x="8" y="16" font-size="12" font-weight="600">One thread, default size: wasm in Chromium and native Rust, ms (shorter is faster)</text>
  ${bars}
</svg>
`;
}

await mkdir(DIR, { recursive: true });
await writeFile(path.join(DIR, 'report.json'), JSON.stringify(report, null, 2));
if (args.save) await writeFile(args.save, JSON.stringify(report, null, 2));
if (args.chart) await writeFile(args.chart, chart());
console.log(`wrote ${path.join(DIR, 'report.json')}${args.save ? ` and ${args.save}` : ''}${args.chart ? ` and ${args.chart}` : ''}`);
if (worse.length) process.exit(1);
