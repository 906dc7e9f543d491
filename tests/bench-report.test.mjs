// The benchmark's report (e2e/bench/report.mjs) on made-up measurements: each figure is the
// ratio it claims to be, set against its target, and --compare fails on what got worse beyond
// its noise allowance and only on that.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const REPORT = new URL('../e2e/bench/report.mjs', import.meta.url).pathname;
const spread = (median) => ({ median, min: median, max: median });

/** A benchmark run's four files, with the wasm single-thread SHA-256 time and the gzip size given. */
async function measurements({ sha256Ms = 400, gzipBytes = 900_000 } = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-'));
  const files = {
    'native.json': {
      machine: { threads: 2, os: 'linux', arch: 'x86_64' },
      kernels: [{ kernel: 'sha256', single_ms: spread(320), efficiency: 0.9 }],
    },
    'cpu.json': {
      browser: '156',
      kernels: [{ kernel: 'sha256', threads: 2, single_ms: spread(sha256Ms), efficiency: 0.9, main_thread: { long_tasks: 0, frame_max_ms: 17 } }],
      empty_job_round_trip_us: spread(30),
      per_task_overhead_us: 1.1,
      startup: { to_pool_ready_ms: spread(440), to_sim_ready_ms: spread(380) },
      largest_job: { tasks: 65536, main_thread: { long_tasks: 0, frame_max_ms: 17 }, timeline_zoom_long_tasks: [] },
    },
    'io.json': {
      latency_ms: 40,
      levels: [{ c: 8, bound_per_s: 200, plain: { throughput_per_s: spread(196) }, lab: { throughput_per_s: spread(194), p50_ms: spread(41), long_tasks: 0, frame_max_ms: 17 } }],
      ceiling: { throughput_per_s: spread(450) },
    },
    'wasm-size.json': { shipped: { wasm_raw: 3_000_000, wasm_gzip: gzipBytes }, named: null },
  };
  for (const [name, body] of Object.entries(files)) await writeFile(path.join(dir, name), JSON.stringify(body));
  return dir;
}

const value = (report, key) => report.figures.find((f) => f.key === key);

test('each figure is its ratio, judged against its target', async () => {
  const dir = await measurements();
  await run('node', [REPORT, '--dir', dir]);
  const report = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8'));
  assert.equal(value(report, 'sha256.wasm_over_native').value, 400 / 320);
  assert.equal(value(report, 'sha256.wasm_over_native').met, false, '1.25 is over the 1.2 target');
  assert.equal(value(report, 'sha256.efficiency_ratio').value, 1);
  assert.equal(value(report, 'io.c8.lab_over_plain').value, 194 / 196);
  assert.equal(value(report, 'io.c8.p50_over_latency_ms').value, 1);
  assert.equal(value(report, 'io.c8.of_bound').met, true);
  assert.equal(value(report, 'wasm_gzip_kb').met, false);
  assert.equal(value(report, 'long_tasks').value, 0);
});

test('--compare fails on a figure worse than the baseline beyond its noise, and only then', async () => {
  const baselineDir = await measurements();
  await run('node', [REPORT, '--dir', baselineDir, '--save', path.join(baselineDir, 'baseline.json')]);
  const baseline = path.join(baselineDir, 'baseline.json');

  // 5 % slower is noise on these machines.
  const noisy = await measurements({ sha256Ms: 420 });
  const { stdout } = await run('node', [REPORT, '--dir', noisy, '--compare', baseline]);
  assert.match(stdout, /Nothing worse/);

  // 40 % slower, and a wasm 10 % bigger, are not.
  const slower = await measurements({ sha256Ms: 560, gzipBytes: 990_000 });
  await assert.rejects(run('node', [REPORT, '--dir', slower, '--compare', baseline]), (error) => {
    assert.equal(error.code, 1);
    assert.match(error.stdout, /sha256: wasm \/ native, one thread: 1\.250 → 1\.750/);
    assert.match(error.stdout, /release wasm, gzipped/);
    return true;
  });
});

test('where the cores went: the workers over T cores, the main thread over one, and the plain client\'s long tasks', async () => {
  const dir = await measurements();
  const io = JSON.parse(await readFile(path.join(dir, 'io.json'), 'utf8'));
  io.levels[0].plain.long_tasks = 2;
  io.levels[0].plain.frame_max_ms = 83.3;
  await writeFile(path.join(dir, 'io.json'), JSON.stringify(io));
  const byThread = [
    { name: 'renderer: DedicatedWorker', of_wall: 1.5 },
    { name: 'renderer: chromium', of_wall: 0.25 },
    { name: 'gpu-process: VizCompositorTh', of_wall: 0.05 },
  ];
  await writeFile(path.join(dir, 'cores.json'), JSON.stringify({ kernels: [{ kernel: 'sha256', threads: 2, by_thread: byThread }] }));
  await run('node', [REPORT, '--dir', dir]);
  const report = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8'));
  assert.equal(value(report, 'cores.sha256.workers').value, 0.75);
  assert.equal(value(report, 'cores.sha256.main').value, 0.25);
  assert.equal(value(report, 'plain_long_tasks').value, 2);
  assert.equal(value(report, 'plain_worst_frame_ms').value, 83.3);

  // A run from before cores.mjs existed still reports, without those figures.
  const older = await measurements();
  await run('node', [REPORT, '--dir', older]);
  const plain = JSON.parse(await readFile(path.join(older, 'report.json'), 'utf8'));
  assert.equal(value(plain, 'cores.sha256.workers'), undefined);
  assert.equal(value(plain, 'plain_long_tasks'), undefined);
  assert.equal(value(plain, 'plain_worst_frame_ms'), undefined);
});
