// Where the cores went: the CPU time each of the browser's threads used while the lab ran a
// kernel on T web workers, read from the operating system (/proc/<pid>/task/<tid>/stat, Linux
// only) before and after each run. A wasm worker runs its rayon thread inside one task that never
// ends, so Chromium's trace cannot show its CPU time; the kernel's scheduler can. Prints each
// thread kind's share of the run's wall time (100 % = one core) and writes target/bench/cores.json.
// With --io C, also an I/O run at C in flight (40 ms of service), the lab's closed loop against
// the plain JavaScript client (plain-client.js), alternated: CPU time per request, per thread,
// over a whole run (for the lab, from the click until its results are drawn).
//   node e2e/bench/cores.mjs [--kernels sha256,mandelbrot] [--io 64] [--reps 5] [--out target/bench/cores.json]
// Needs the release build in dist/ (scripts/bench builds it).
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright';
import { startServer } from '../start-server.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, word, i, all) => (word.startsWith('--') ? [...pairs, [word.slice(2), all[i + 1]]] : pairs), []),
);
const KERNELS = (args.kernels ?? 'sha256,mandelbrot').split(',').filter(Boolean);
const IO_C = args.io ? Number(args.io) : null;
const REPS = Number(args.reps ?? 5);
const OUT = args.out ?? 'target/bench/cores.json';
const TICK_MS = 10; // USER_HZ = 100 on Linux: /proc counts CPU time in 10 ms ticks

/** Every thread of every Chromium process: `${pid}/${tid}` -> { process, thread, ticks }. */
async function threads() {
  const found = new Map();
  for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
    try {
      // Chromium rewrites its children's command lines into one string: match, do not split.
      const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ');
      if (!/^\S*chrom/.test(cmdline)) continue;
      const process = /--type=(\S+)/.exec(cmdline)?.[1] ?? 'browser';
      for (const tid of await readdir(`/proc/${pid}/task`)) {
        const stat = await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        // The name sits in parentheses and may hold spaces; the fields after it are fixed.
        const thread = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        found.set(`${pid}/${tid}`, { process, thread, ticks: Number(fields[11]) + Number(fields[12]) });
      }
    } catch {
      // A process or thread that ended while it was read.
    }
  }
  return found;
}

/** A thread's kind: its process type and its name (15 characters at most, as Linux keeps it;
 *  a renderer's main thread bears the program's name), numbered names folded together. */
const kind = ({ process, thread }) => `${process}: ${thread.replace(/\d+$/, '#')}`;

const cpuMs = (ticks) => ticks * TICK_MS;

/** Runs `work`, adding each thread kind's CPU ticks to `used`; returns the wall time in ms. */
async function measure(used, work) {
  const before = await threads();
  const started = Date.now();
  await work();
  const wall = Date.now() - started;
  for (const [key, after] of await threads()) {
    const ticks = after.ticks - (before.get(key)?.ticks ?? 0);
    const name = kind(after);
    if (ticks > 0) used.set(name, (used.get(name) ?? 0) + ticks);
  }
  return wall;
}

/** Clicks the lab's run button (`run-cpu-lab`, `run-io-lab`) and waits for the run to end. */
async function runLab(page, button) {
  await page.getByTestId(button).click();
  await page.waitForFunction(() => document.querySelector('[data-testid=run-status]')?.getAttribute('data-state') === 'done', null, { timeout: 600_000, polling: 50 });
}

const server = await startServer('dist', 'isolated');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
const report = { browser: browser.version(), reps: REPS, tick_ms: TICK_MS, kernels: [] };
try {
  for (const kernel of KERNELS) {
    const page = await browser.newPage();
    await page.goto(`${server.base}/?lab=cpu&kernel=${kernel}&tasks=64&mode=lanes`);
    await page.waitForFunction(() => document.querySelector('[data-testid=env-pool]')?.getAttribute('data-state') === 'ready', null, { timeout: 60_000 });
    const pool = Number(await page.getByTestId('env-pool').getAttribute('data-threads'));
    const used = new Map();
    let wall = 0;
    for (let rep = 0; rep < REPS; rep++) wall += await measure(used, () => runLab(page, 'run-cpu-lab'));
    await page.close();
    const total = [...used.values()].reduce((a, b) => a + b, 0);
    report.kernels.push({
      kernel,
      threads: pool,
      wall_ms: wall,
      cpu_ms: cpuMs(total),
      // Of the machine's cores over the runs' wall time: 1 = every core busy all the time.
      of_machine: cpuMs(total) / (wall * availableParallelism()),
      by_thread: [...used.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([name, ticks]) => ({ name, cpu_ms: cpuMs(ticks), of_wall: cpuMs(ticks) / wall })),
    });
  }
  if (IO_C) {
    const n = 8 * IO_C;
    const page = await browser.newPage();
    await page.goto(`${server.base}/?lab=io&n=${n}&c=${IO_C}&latency_ms=40`);
    await page.waitForFunction(() => ['env-sim', 'env-pool'].every((id) => document.querySelector(`[data-testid=${id}]`)?.getAttribute('data-state') === 'ready'), null, { timeout: 60_000 });
    const plainSource = (await readFile(new URL('./plain-client.js', import.meta.url), 'utf8')).replace(/^\/\/.*$/gm, '');
    const clients = {
      lab: () => runLab(page, 'run-io-lab'),
      plain: () => page.evaluate(`(${plainSource})(${JSON.stringify({ base: `io/req?run=plain-${Date.now()}-${Math.random()}&latency_ms=40`, n, c: IO_C })})`),
    };
    await clients.plain(); // warm-up, unmeasured
    await clients.lab();
    const used = { lab: new Map(), plain: new Map() };
    const walls = { lab: 0, plain: 0 };
    for (let rep = 0; rep < REPS; rep++) {
      for (const who of rep % 2 ? ['lab', 'plain'] : ['plain', 'lab']) walls[who] += await measure(used[who], clients[who]);
    }
    await page.close();
    const perRequest = (ticks) => (cpuMs(ticks) * 1000) / (n * REPS);
    report.io = { c: IO_C, n, latency_ms: 40 };
    for (const who of ['lab', 'plain']) {
      report.io[who] = {
        wall_ms: walls[who],
        cpu_us_per_request: perRequest([...used[who].values()].reduce((a, b) => a + b, 0)),
        by_thread: [...used[who].entries()].sort((a, b) => b[1] - a[1]).map(([name, ticks]) => ({ name, cpu_us_per_request: perRequest(ticks) })),
      };
    }
  }
} finally {
  await browser.close();
  server.close();
}

await mkdir(path.dirname(OUT), { recursive: true });
await writeFile(OUT, JSON.stringify(report, null, 2));
console.log(`Where the cores went (CPU time per thread from /proc, ${REPS} runs each; 100 % = one core for the whole run)`);
for (const k of report.kernels) {
  const top = k.by_thread.slice(0, 8).map((t) => `${t.name} ${(100 * t.of_wall).toFixed(0)} %`).join(', ');
  console.log(`${k.kernel}, T = ${k.threads}: ${(100 * k.of_machine).toFixed(0)} % of the machine over ${k.wall_ms} ms; ${top}`);
}
if (report.io) {
  console.log(`I/O at C = ${report.io.c}, ${report.io.n} requests of 40 ms, ${REPS} runs each, click to results drawn: CPU time per request (µs), per thread`);
  for (const who of ['lab', 'plain']) {
    const r = report.io[who];
    const top = r.by_thread.slice(0, 8).map((t) => `${t.name} ${t.cpu_us_per_request.toFixed(0)}`).join(', ');
    console.log(`  ${who}: ${r.cpu_us_per_request.toFixed(0)} in all over ${r.wall_ms} ms; ${top}`);
  }
}
console.log(`wrote ${OUT}`);
