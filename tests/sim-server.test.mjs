// The service worker against the simulated server's known values. Run: node --test tests/
//
// tests/sim-known.json holds what the Rust model (lab_core::sim) gives;
// crates/lab-core/tests/sim_known.rs checks the model against it, and this file checks
// static/sim-server.js, loaded unchanged into a node:vm context that stands in for a service
// worker. Time there is virtual: `performance` reads a clock the test sets, and `setTimeout`
// only queues the callback until the test moves the clock to its due time, so a run of requests
// takes no real time and every timer fires exactly when it is due.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';

const known = JSON.parse(readFileSync(new URL('./sim-known.json', import.meta.url), 'utf8'));
const source = readFileSync(new URL('../static/sim-server.js', import.meta.url), 'utf8');

const SCOPE = 'https://lab.test/';
// An epoch origin like a browser's, on a whole millisecond, so whole-ms arrivals stay whole.
const TIME_ORIGIN = 1_700_000_000_000;
// The worker's timers end a service on the next whole millisecond (`until` rounds its due time
// up), so an answer may come out later than the model's departure, by under 1 ms. Its queue and
// service times are its own schedule (the next in line starts when the one ahead was due), so
// that lateness never adds up over a busy spell.
const TIMER_MS = 1;

/** A fresh worker in its own context, with a virtual clock and timers the test fires. */
function loadWorker() {
  const clock = { now: 0, timers: [], queued: 0 };
  const listeners = new Map();
  const context = vm.createContext({
    self: {
      addEventListener: (type, listener) => listeners.set(type, listener),
      registration: { scope: SCOPE },
    },
    URL,
    Response,
    ReadableStream,
    BigInt,
    Math,
    performance: { timeOrigin: TIME_ORIGIN, now: () => clock.now },
    setTimeout: (callback, delay = 0) => {
      const timer = { at: clock.now + Math.max(0, delay), order: clock.queued++, callback };
      clock.timers.push(timer);
      return timer;
    },
    clearTimeout: (timer) => {
      clock.timers = clock.timers.filter((t) => t !== timer);
    },
  });
  vm.runInContext(source, context, { filename: 'static/sim-server.js' });
  // Top-level classes, functions and consts of the script are globals of its context.
  const [Rng, serviceTime, serve] = ['Rng', 'serviceTime', 'serve'].map((name) => vm.runInContext(name, context));
  return { clock, listeners, Rng, serviceTime, serve };
}

/** The generator of request `id` in a run with `seed`, as `serve` seeds it. */
function requestRng(worker, seed, id) {
  return new worker.Rng((BigInt(seed) << 32n) | BigInt(id));
}

/** Within `tolerance` of `expected`, relative; an expected 0 must be exactly 0. */
function assertClose(actual, expected, tolerance, what) {
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.abs(expected), `${what}: got ${actual}, known ${expected}`);
}

/** One turn of the event loop: the context shares this process's microtask queue, so every
 * promise continuation the worker has queued runs before it ends. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Serves a scenario's requests, each at its arrival time on the virtual clock, and fires the
 * worker's timers at their due times. A timer due at the same time as an arrival fires first, so
 * a slot freed then is free for it (the model's `max(arrival, free)` either way).
 * Returns, per request, the response and the clock when it came.
 */
async function serveScenario(worker, scenario) {
  const { clock, serve } = worker;
  const order = scenario.ids.map((_, i) => i).sort((a, b) => scenario.arrival_ms[a] - scenario.arrival_ms[b]);
  const answers = [];
  let next = 0;
  while (next < order.length || clock.timers.length > 0) {
    clock.timers.sort((a, b) => a.at - b.at || a.order - b.order);
    const arrival = next < order.length ? scenario.arrival_ms[order[next]] : Infinity;
    if (clock.timers.length > 0 && clock.timers[0].at <= arrival) {
      const timer = clock.timers.shift();
      clock.now = timer.at;
      timer.callback();
    } else {
      const i = order[next++];
      clock.now = arrival;
      const params = new URLSearchParams({
        run: `known-${scenario.seed}-${scenario.dist}`,
        id: scenario.ids[i],
        latency_ms: scenario.mean_ms,
        dist: scenario.dist,
        spread_ms: scenario.spread_ms,
        capacity: scenario.capacity,
        payload_kb: 0,
        error_rate: scenario.error_rate,
        seed: scenario.seed,
      });
      worker.serve(new URL(`io/req?${params}`, SCOPE)).then((response) => {
        answers[i] = { response, at: clock.now };
      });
    }
    await settle();
  }
  return answers;
}

test('the script loads as a service worker', () => {
  const worker = loadWorker();
  assert.ok(worker.listeners.has('fetch'), 'it listens for fetch');
  assert.equal(typeof worker.serve, 'function');
});

test('Rng draws are the known ones', () => {
  const worker = loadWorker();
  for (const { seed, id, next_u64, next_f64 } of known.rng) {
    let rng = requestRng(worker, seed, id);
    next_u64.forEach((expected, i) => {
      assert.equal(rng.nextU64().toString(), expected, `seed ${seed} id ${id}: nextU64 #${i}`);
    });
    // A fresh generator: the f64 draws are the u64 draws above, scaled. Exact.
    rng = requestRng(worker, seed, id);
    next_f64.forEach((expected, i) => {
      assert.equal(rng.nextF64(), expected, `seed ${seed} id ${id}: nextF64 #${i}`);
    });
  }
});

test('serviceTime gives the known service times, after the error draw', () => {
  const worker = loadWorker();
  for (const request of known.service) {
    const { seed, id, dist, mean_ms, spread_ms, error_rate } = request;
    const what = `seed ${seed} id ${id} ${dist} mean ${mean_ms} spread ${spread_ms}`;
    const rng = requestRng(worker, seed, id);
    const errorDraw = rng.nextF64();
    assert.equal(errorDraw, request.error_draw, `${what}: error draw`);
    assert.equal(errorDraw <= error_rate, request.error, `${what}: injected error at error_rate ${error_rate}`);
    // Math.log, cos and exp may round their last bit differently from Rust's.
    assertClose(worker.serviceTime(rng, dist, mean_ms, spread_ms), request.service_ms, 1e-9, `${what}: service`);
  }
});

for (const scenario of known.fifo) {
  const name = `seed ${scenario.seed} ${scenario.dist} mean ${scenario.mean_ms}, capacity ${scenario.capacity}`;
  test(`serve queues first come first served as the model does (${name})`, async () => {
    const worker = loadWorker();
    const answers = await serveScenario(worker, scenario);
    // Every mismatch at once, so a failure shows the whole run.
    const mismatches = [];
    const compare = (id, what, actual, expected) => {
      if (!(Math.abs(actual - expected) <= TIMER_MS)) {
        mismatches.push(`request ${id}: ${what} ${actual.toFixed(3)}, known ${expected.toFixed(3)}`);
      }
    };
    scenario.ids.forEach((id, i) => {
      assert.ok(answers[i], `request ${id} was answered`);
      const { response, at } = answers[i];
      assert.equal(response.headers.get('x-lab-sim'), '1');
      assert.equal(response.status, scenario.error[i] ? 500 : 200, `request ${id}: status`);
      assert.equal(response.headers.get('x-lab-error'), scenario.error[i] ? 'injected' : null);
      compare(id, 'queue', Number(response.headers.get('x-lab-queue-ms')), scenario.queue_ms[i]);
      compare(id, 'service', Number(response.headers.get('x-lab-service-ms')), scenario.service_ms[i]);
      compare(id, 'departure', at, scenario.departure_ms[i]);
    });
    assert.deepEqual(mismatches, [], `${name}: more than ${TIMER_MS} ms off the model`);
  });
}

/** Fires the worker's timers in order until none is left or `until` ms is reached. */
async function runTimers(worker, until = Infinity) {
  const { clock } = worker;
  for (;;) {
    await settle();
    clock.timers.sort((a, b) => a.at - b.at || a.order - b.order);
    if (!clock.timers.length || clock.timers[0].at > until) return;
    const timer = clock.timers.shift();
    clock.now = timer.at;
    timer.callback();
  }
}

/** Request `id` of a run with `fault` at `error_rate`, 10 ms of service and 1 KiB of body. */
function faultUrl(fault, errorRate, id) {
  const params = new URLSearchParams({ run: `fault-${fault}`, id, latency_ms: 10, payload_kb: 1, error_rate: errorRate, fault });
  return new URL(`io/req?${params}`, SCOPE);
}

test('fault=http answers 500, marked injected, after the service time', async () => {
  const worker = loadWorker();
  let answer;
  worker.serve(faultUrl('http', 1, 0)).then((r) => (answer = { response: r, at: worker.clock.now }));
  await runTimers(worker);
  assert.equal(answer.response.status, 500);
  assert.equal(answer.response.headers.get('x-lab-error'), 'injected');
  assert.equal(answer.at, 10);
});

test('fault=drop drops the connection: a network error, not an answer', async () => {
  const worker = loadWorker();
  let response;
  worker.serve(faultUrl('drop', 1, 0)).then((r) => (response = r));
  await runTimers(worker);
  assert.equal(response.type, 'error', 'Response.error() makes the page\'s fetch reject');
});

test('fault=hang answers nothing until the page aborts, and gives up by itself later', async () => {
  const worker = loadWorker();
  const abort = new AbortController();
  let aborted;
  worker.serve(faultUrl('hang', 1, 0), abort.signal).then((r) => (aborted = r));
  await runTimers(worker, 60_000);
  assert.equal(aborted, undefined, 'still hanging after a minute');
  abort.abort();
  await settle();
  assert.equal(aborted.type, 'error');
  assert.equal(worker.clock.timers.length, 0, 'an aborted hang leaves no timer behind');

  let late;
  worker.serve(faultUrl('hang', 1, 1)).then((r) => (late = { response: r, at: worker.clock.now }));
  const from = worker.clock.now;
  await runTimers(worker);
  assert.equal(late.response.status, 504);
  assert.ok(late.at - from >= 130_000, `gave up after ${late.at - from} ms`);
});

test('fault=slow answers 200 at once and trickles the body over a second', async () => {
  const worker = loadWorker();
  let answer;
  worker.serve(faultUrl('slow', 1, 0)).then((r) => (answer = { response: r, at: worker.clock.now }));
  await runTimers(worker, 10);
  assert.equal(answer.response.status, 200);
  assert.equal(answer.response.headers.get('x-lab-fault'), 'slow');
  const reader = answer.response.body.getReader();
  const pieces = [];
  for (;;) {
    const read = reader.read();
    await runTimers(worker, worker.clock.now + 100);
    const { done, value } = await read;
    if (done) break;
    pieces.push({ bytes: value.length, at: worker.clock.now });
  }
  assert.equal(pieces.reduce((sum, p) => sum + p.bytes, 0), 1024);
  assert.equal(pieces.length, 10);
  assert.equal(pieces.at(-1).at - answer.at, 1000, 'the last piece a second after the headers');
});

test('fault=burst fails runs of consecutive ids with 503, the same share of every hundred', async () => {
  const worker = loadWorker();
  const statuses = [];
  for (let id = 0; id < 200; id++) worker.serve(faultUrl('burst', 0.25, id)).then((r) => (statuses[id] = r.status));
  await runTimers(worker);
  const failed = statuses.flatMap((status, id) => (status === 503 ? [id] : []));
  const expected = [...Array(25).keys(), ...Array.from({ length: 25 }, (_, i) => 100 + i)];
  assert.deepEqual(failed, expected);
  assert.ok(statuses.every((s) => s === 503 || s === 200));
});
