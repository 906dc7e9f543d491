// The I/O benchmark: the lab's closed loop against the plain JavaScript client
// (plain-client.js) on the same page, the same simulated server and the same browser, alternated
// so that a busy moment of the machine hits both alike. Reports medians and spread, and the
// simulated server's own ceiling (requests per second at 0 ms of service), and what a request costs
// each browser thread in CPU time (from Chromium's trace), the lab's against the plain client's.
//   node e2e/bench/io.mjs [--reps 5] [--latency 40] [--levels 1,16,64] [--payload 1] [--out target/bench/io.json] [--profile]
// --profile also traces what the main thread did (trace event names and their total ms).
// Needs the release build in dist/ (scripts/bench builds it).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright';
import { startServer } from '../start-server.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, word, i, all) => (word.startsWith('--') ? [...pairs, [word.slice(2), all[i + 1]]] : pairs), []),
);
const REPS = Number(args.reps ?? 5);
const LATENCY = Number(args.latency ?? 40);
// Both clients ask for the same body: the lab's default, 1 KiB.
const PAYLOAD = Number(args.payload ?? 1);
const LEVELS = (args.levels ?? '1,16,64').split(',').map(Number);
const OUT = args.out ?? 'target/bench/io.json';
const PROFILE = 'profile' in args;

const plainSource = (await readFile(new URL('./plain-client.js', import.meta.url), 'utf8')).replace(/^\/\/.*$/gm, '');
const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.ceil(sorted.length / 2) - 1] : null;
};
const percentile = (xs, q) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((q / 100) * sorted.length) - 1)] : null;
};
const spread = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });
const requests = (c) => Math.max(40, 8 * c);

async function plain(page, { c, n, latency }) {
  const base = `io/req?run=plain-${Date.now()}-${Math.random()}&latency_ms=${latency}&payload_kb=${PAYLOAD}`;
  const r = await page.evaluate(`(${plainSource})(${JSON.stringify({ base, n, c })})`);
  return {
    throughput_per_s: r.throughput_per_s,
    p50_ms: median(r.latencies_ms),
    end_gap_p50_ms: percentile(r.end_gaps_ms, 50),
    end_gap_p99_ms: percentile(r.end_gaps_ms, 99),
    long_tasks: r.long_tasks_ms.length,
    long_task_max_ms: Math.max(0, ...r.long_tasks_ms),
    frame_max_ms: r.frame_max_ms,
  };
}

/** How busy the page's main thread was while the requests of `work` were out: the time its
 *  tasks ran between the first request's start and the last response's end (Resource Timing),
 *  over that window; the tasks in it; and (with --profile) the time per kind of trace event. */
async function busy(browser, page, work, n) {
  const categories = ['toplevel', 'blink.user_timing', '__metadata', ...(PROFILE ? ['devtools.timeline', 'v8.execute'] : [])];
  await browser.startTracing(page, { categories });
  const markAt = await page.evaluate(() => performance.mark('bench-start').startTime);
  const result = await work();
  const window = await page.evaluate(() => {
    const entries = performance.getEntriesByType('resource').filter((e) => e.name.includes('/io/req?'));
    return [Math.min(...entries.map((e) => e.startTime)), Math.max(...entries.map((e) => e.responseEnd))];
  });
  const events = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
  const mark = events.find((e) => e.name === 'bench-start');
  const [from, to] = window.map((t) => mark.ts + (t - markAt) * 1000);
  const overlap = (e) => Math.max(0, Math.min(e.ts + e.dur, to) - Math.max(e.ts, from));
  const inside = events.filter((e) => e.pid === mark.pid && e.tid === mark.tid && e.dur > 0 && overlap(e) > 0);
  const tasks = inside.filter((e) => e.name === 'ThreadControllerImpl::RunTask');
  const kinds = {};
  for (const e of inside) if (e.name !== 'ThreadControllerImpl::RunTask') kinds[e.name] = (kinds[e.name] ?? 0) + overlap(e) / 1000;
  const top = Object.entries(kinds).sort((a, b) => b[1] - a[1]).slice(0, 12).map(([name, ms]) => ({ name, ms: Math.round(ms) }));
  // The CPU time (not wall time) of every browser thread's top-level tasks that began in the
  // window, per request: what a request costs the whole browser, whoever sends it.
  const threadNames = new Map(events.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => [`${e.pid}:${e.tid}`, e.args.name]));
  const cpu = {};
  for (const e of events) {
    if (e.ph !== 'X' || !e.tdur || e.ts < from || e.ts > to) continue;
    if (e.name !== 'ThreadControllerImpl::RunTask' && e.name !== 'ThreadPool_RunTask') continue;
    const thread = (threadNames.get(`${e.pid}:${e.tid}`) ?? 'unnamed').replace(/\d+$/, '#');
    const name = `${e.pid === mark.pid ? 'page' : 'other'}: ${thread}`;
    cpu[name] = (cpu[name] ?? 0) + e.tdur / n;
  }
  const cpuPerRequest = Object.fromEntries(Object.entries(cpu).sort((a, b) => b[1] - a[1]).map(([name, us]) => [name, Math.round(us)]));
  return { result, busy_fraction: tasks.reduce((sum, t) => sum + overlap(t), 0) / (to - from), tasks: tasks.length, window_ms: (to - from) / 1000, top, cpu_us_per_request: cpuPerRequest };
}

async function lab(page) {
  await page.getByTestId('run-io-lab').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=run-status]')?.getAttribute('data-state') === 'done', null, { timeout: 120_000, polling: 200 });
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  const run = JSON.parse(await readFile(await download.path(), 'utf8')).runs.at(-1);
  return {
    throughput_per_s: run.summary.throughput_per_s,
    p50_ms: run.summary.latency_ms.p50,
    end_gap_p50_ms: run.io.resume_delay.p50_ms,
    end_gap_p99_ms: run.io.resume_delay.p99_ms,
    resumed_p50_ms: run.io.resume_delay.resumed_p50_ms,
    long_tasks: run.main_thread.long_tasks ?? 0,
    frame_max_ms: run.main_thread.frame_max_ms ?? 0,
  };
}

const server = await startServer('dist', 'isolated');
const BASE = server.base;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
const report = { latency_ms: LATENCY, payload_kb: PAYLOAD, reps: REPS, levels: [], ceiling: null, browser: browser.version() };
try {
  for (const c of LEVELS) {
    const n = requests(c);
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${BASE}/?lab=io&n=${n}&c=${c}&latency_ms=${LATENCY}&payload_kb=${PAYLOAD}`);
    await page.waitForFunction(() => ['env-sim', 'env-pool'].every((id) => document.querySelector(`[data-testid=${id}]`)?.getAttribute('data-state') === 'ready'));
    await plain(page, { c, n: Math.min(n, 64), latency: 0 }); // warm-up, unmeasured
    const runs = { plain: [], lab: [] };
    for (let rep = 0; rep < REPS; rep++) {
      // Alternate which goes first, so neither always meets the machine fresher.
      const order = rep % 2 ? ['lab', 'plain'] : ['plain', 'lab'];
      for (const who of order) runs[who].push(who === 'lab' ? await lab(page) : await plain(page, { c, n, latency: LATENCY }));
    }
    const level = {
      c,
      n,
      bound_per_s: (c * 1000) / LATENCY,
      plain: {
        throughput_per_s: spread(runs.plain.map((r) => r.throughput_per_s)),
        p50_ms: spread(runs.plain.map((r) => r.p50_ms)),
        end_gap_p50_ms: spread(runs.plain.map((r) => r.end_gap_p50_ms)),
        end_gap_p99_ms: spread(runs.plain.map((r) => r.end_gap_p99_ms)),
        // The worst of the runs, as for the lab: what the browser's own path did to the thread.
        long_tasks: Math.max(...runs.plain.map((r) => r.long_tasks)),
        long_task_max_ms: Math.max(...runs.plain.map((r) => r.long_task_max_ms)),
        frame_max_ms: Math.max(...runs.plain.map((r) => r.frame_max_ms)),
      },
      lab: {
        throughput_per_s: spread(runs.lab.map((r) => r.throughput_per_s)),
        p50_ms: spread(runs.lab.map((r) => r.p50_ms)),
        end_gap_p50_ms: spread(runs.lab.map((r) => r.end_gap_p50_ms)),
        end_gap_p99_ms: spread(runs.lab.map((r) => r.end_gap_p99_ms)),
        resumed_p50_ms: spread(runs.lab.map((r) => r.resumed_p50_ms)),
        // The worst of the runs: what the main thread went through while the requests were out.
        long_tasks: Math.max(...runs.lab.map((r) => r.long_tasks)),
        frame_max_ms: Math.max(...runs.lab.map((r) => r.frame_max_ms)),
      },
    };
    // Paired ratios: each lab run against the plain run next to it.
    level.throughput_ratio = spread(runs.lab.map((r, i) => r.throughput_per_s / runs.plain[i].throughput_per_s));
    // Main-thread busy time, from Chromium's trace (one traced run each; tracing costs a little).
    for (const [who, work] of [['lab', () => lab(page)], ['plain', () => plain(page, { c, n, latency: LATENCY })]]) {
      const traced = await busy(browser, page, work, n);
      level[who].main_busy_fraction = traced.busy_fraction;
      level[who].main_tasks = traced.tasks;
      level[who].cpu_us_per_request = traced.cpu_us_per_request;
      if (PROFILE) level[who].profile = traced.top;
    }
    report.levels.push(level);
    await context.close();
  }
  // The first run on a fresh page against the second (C = 16).
  {
    const firsts = [];
    const seconds = [];
    for (let rep = 0; rep < REPS; rep++) {
      const context = await browser.newContext({ acceptDownloads: true });
      const page = await context.newPage();
      await page.goto(`${BASE}/?lab=io&n=128&c=16&latency_ms=${LATENCY}&payload_kb=${PAYLOAD}`);
      await page.waitForFunction(() => ['env-sim', 'env-pool'].every((id) => document.querySelector(`[data-testid=${id}]`)?.getAttribute('data-state') === 'ready'));
      firsts.push(await lab(page));
      seconds.push(await lab(page));
      await context.close();
    }
    report.first_run = {
      c: 16,
      first: { throughput_per_s: spread(firsts.map((r) => r.throughput_per_s)), p50_ms: spread(firsts.map((r) => r.p50_ms)) },
      second: { throughput_per_s: spread(seconds.map((r) => r.throughput_per_s)), p50_ms: spread(seconds.map((r) => r.p50_ms)) },
    };
  }
  // The ceiling: the service-worker path alone, 0 ms of service, many in flight.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${BASE}/?lab=io`);
  await page.waitForFunction(() => document.querySelector('[data-testid=env-sim]')?.getAttribute('data-state') === 'ready');
  const ceilings = [];
  for (let rep = 0; rep < REPS; rep++) ceilings.push((await plain(page, { c: 256, n: 1024, latency: 0 })).throughput_per_s);
  report.ceiling = { c: 256, n: 1024, throughput_per_s: spread(ceilings) };
  await context.close();
} finally {
  await browser.close();
  server.close();
}

const f = (x, digits = 1) => (x === null || x === undefined ? '—' : x.toFixed(digits));
const range = (s, digits = 1) => `${f(s.median, digits)} (${f(s.min, digits)}–${f(s.max, digits)})`;
console.log(`I/O: the lab against a plain JavaScript client, ${LATENCY} ms of simulated service, ${PAYLOAD} KiB bodies, medians of ${REPS} (min–max)`);
console.log('   C     n   bound/s   plain req/s          lab req/s            lab/plain         plain p50 ms       lab p50 ms         end−responseEnd p50 / p99: lab | plain   lab resumed p50 (ms)');
for (const l of report.levels) {
  console.log(
    `${String(l.c).padStart(4)} ${String(l.n).padStart(5)} ${f(l.bound_per_s, 0).padStart(9)}   ${range(l.plain.throughput_per_s, 0).padEnd(20)} ${range(l.lab.throughput_per_s, 0).padEnd(20)} ${range(l.throughput_ratio, 2).padEnd(17)} ${range(l.plain.p50_ms).padEnd(18)} ${range(l.lab.p50_ms).padEnd(18)} ${(f(l.lab.end_gap_p50_ms.median) + ' / ' + f(l.lab.end_gap_p99_ms.median) + ' | ' + f(l.plain.end_gap_p50_ms.median) + ' / ' + f(l.plain.end_gap_p99_ms.median)).padEnd(38)} ${f(l.lab.resumed_p50_ms.median)}`,
  );
}
console.log('Long tasks in the worst run (longest, ms): ' + report.levels.map((l) => `C = ${l.c}: lab ${l.lab.long_tasks} (${l.lab.frame_max_ms.toFixed(0)} ms frame), plain ${l.plain.long_tasks} (${l.plain.long_task_max_ms.toFixed(0)} ms, ${l.plain.frame_max_ms.toFixed(0)} ms frame)`).join('; '));
console.log('Main thread busy during a run (Chromium trace): ' + report.levels.map((l) => `C = ${l.c}: lab ${(100 * l.lab.main_busy_fraction).toFixed(0)}% in ${l.lab.main_tasks} tasks, plain ${(100 * l.plain.main_busy_fraction).toFixed(0)}% in ${l.plain.main_tasks}`).join('; '));
const cpuLine = (cpu) => {
  const total = Object.values(cpu).reduce((a, b) => a + b, 0);
  return `${total} µs (` + Object.entries(cpu).slice(0, 4).map(([name, us]) => `${name} ${us}`).join(', ') + ')';
};
console.log('CPU time per request, all browser threads, over the requests\' window (Chromium trace):');
for (const l of report.levels) console.log(`  C = ${l.c}: lab ${cpuLine(l.lab.cpu_us_per_request)}; plain ${cpuLine(l.plain.cpu_us_per_request)}`);
if (PROFILE) {
  for (const l of report.levels) {
    for (const who of ['lab', 'plain']) console.log(`  C = ${l.c} ${who}: ` + l[who].profile.map((k) => `${k.name} ${k.ms}`).join(', '));
  }
}
const fr = report.first_run;
console.log(`First run on a fresh page against the second (C = 16): ${range(fr.first.throughput_per_s, 0)} against ${range(fr.second.throughput_per_s, 0)} req/s; p50 ${range(fr.first.p50_ms)} against ${range(fr.second.p50_ms)} ms`);
console.log(`Ceiling of the simulated server in this browser (0 ms service, C = 256): ${range(report.ceiling.throughput_per_s, 0)} req/s`);
await mkdir(path.dirname(OUT), { recursive: true });
await writeFile(OUT, JSON.stringify(report, null, 2));
console.log(`wrote ${OUT}`);
