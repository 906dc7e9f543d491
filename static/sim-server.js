// The lab's simulated server: a service worker that answers the page's `io/` requests after a
// service time drawn from a chosen distribution, with an optional capacity.
//
// Protocol (the only place it is written down; src/runtime/sim_server.rs and, for the headers,
// src/runtime/fetch.rs speak it):
//
//   GET <scope>io/req?run=R&id=I&latency_ms=&dist=&spread_ms=&capacity=&payload_kb=&error_rate=&fault=&seed=
//     run         a run id: requests of one run share one server (queue, occupancy)
//     id          the request's number in the run; with `seed` it fixes its random draws
//     latency_ms  mean service time in ms            dist  fixed | uniform | exp | lognormal
//     spread_ms   uniform: half-width; lognormal: standard deviation (ms)
//     capacity    at most this many in service at once, the rest wait first-in first-out
//                 (absent: unlimited)
//     payload_kb  body size in KiB                   error_rate  fraction of requests failed
//     fault       what a failed request meets, after its service time:
//                   http   status 500 (the default)
//                   hang   no answer: the page's own time limit ends it (a hung request gives
//                          up when the page aborts it, or after HANG_LIMIT_MS with a 504)
//                   drop   a dropped connection: the page's fetch rejects with a network error
//                   slow   status 200, the body trickled out in SLOW_PIECES over SLOW_BODY_MS
//                   burst  status 503 to runs of consecutive ids: the first error_rate share
//                          of every hundred (not drawn, so the failures come together)
//   Every answer carries (and nothing else, to keep the path short):
//     x-lab-sim: 1                     it came from here (anything else is not simulated)
//     x-lab-queue-ms, x-lab-service-ms time waiting for a free slot, time in service, on the
//                                      server's own schedule (a late timer's delay is not in
//                                      them: the page sees it as the browser's overhead)
//     x-lab-error: injected            on a failed request that has an answer (http, burst)
//     x-lab-fault: slow                on a body trickled out slowly
//
//   GET <scope>io/stats?run=R   {"mean_occupancy", "window_ms", "served"}: the server's own
//                               time-average of requests inside it (queue + service), from the
//                               first arrival to the last departure; forgets the run
//   GET <scope>io/ping          {"ok": true}, to check that this worker controls the page
//   message {type: "claim"}     take control of open pages (after a hard reload)
//
// Cross-origin isolation on any host (the approach of coi-serviceworker): a host that cannot
// send the two isolation headers (GitHub Pages, most shared hosting) still gets a page that can
// share memory with its workers. This worker adds `Cross-Origin-Opener-Policy: same-origin` and
// `Cross-Origin-Embedder-Policy: require-corp` to the page's own document and to its workers'
// scripts, so the page is isolated from its next load on (src/runtime/sim_server.rs reloads it
// once). Only those two kinds of response: every fetch the lab measures passes through untouched.
// `coi=0` in the page's address turns it off.
//
// Random draws use SplitMix64 seeded with (seed << 32) | id, exactly as lab_core::sim::Rng:
// the first draw decides an injected error, the next ones the service time.

const MASK = (1n << 64n) - 1n;

class Rng {
  constructor(seed) {
    this.state = BigInt.asUintN(64, seed);
  }
  nextU64() {
    this.state = (this.state + 0x9e3779b97f4a7c15n) & MASK;
    let z = this.state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
    return z ^ (z >> 31n);
  }
  /** Uniform in (0, 1]. */
  nextF64() {
    return Number((this.nextU64() >> 11n) + 1n) / 2 ** 53;
  }
}

function serviceTime(rng, dist, mean, spread) {
  switch (dist) {
    case 'uniform':
      return Math.max(0, mean + spread * (2 * rng.nextF64() - 1));
    case 'exp':
      return -mean * Math.log(rng.nextF64());
    case 'lognormal': {
      if (mean <= 0) return 0;
      const sigma2 = Math.log(1 + (spread / mean) ** 2);
      const mu = Math.log(mean) - sigma2 / 2;
      const z = Math.sqrt(-2 * Math.log(rng.nextF64())) * Math.cos(2 * Math.PI * rng.nextF64());
      return Math.exp(mu + Math.sqrt(sigma2) * z);
    }
    default:
      return mean;
  }
}

const now = () => performance.timeOrigin + performance.now();

/** One server per run: who is in service, who waits, and the occupancy integral. */
class Server {
  constructor(capacity) {
    this.capacity = capacity;
    this.inService = 0;
    this.waiting = [];
    this.inside = 0;
    this.area = 0;
    this.lastChange = null;
    this.firstArrival = null;
    this.lastDeparture = null;
    this.served = 0;
  }
  count(delta) {
    const t = now();
    if (this.lastChange !== null) this.area += this.inside * (t - this.lastChange);
    this.lastChange = t;
    this.inside += delta;
    return t;
  }
  /** Resolves when a service slot is free, first come first served, with the time service
   *  starts: `arrived` when a slot is free at once, otherwise the moment the request ahead was
   *  due to finish. Handing over the due time rather than the timer's firing keeps a late timer
   *  from delaying everyone queued behind it: lateness stays within one timer instead of adding
   *  up over a busy spell, as `lab_core::sim::simulate_fifo` assumes. */
  admit(arrived) {
    if (this.capacity === null || this.inService < this.capacity) {
      this.inService += 1;
      return Promise.resolve(arrived);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  /** Frees the slot of a service that was due to end at `dueAt`. */
  release(dueAt) {
    const next = this.waiting.shift();
    if (next) next(dueAt);
    else this.inService -= 1;
  }
  stats() {
    const window = (this.lastDeparture ?? now()) - (this.firstArrival ?? now());
    return {
      mean_occupancy: window > 0 ? this.area / window : 0,
      window_ms: window,
      served: this.served,
    };
  }
}

// Timers: one per distinct due time (to the millisecond), however many requests share it. With
// a fixed service time, a burst of arrivals shares a handful of timers instead of one each.
const due = new Map();

/** Resolves at `at` (page clock, ms) or just after. */
function until(at) {
  const key = Math.ceil(at);
  let waiting = due.get(key);
  if (!waiting) {
    waiting = [];
    due.set(key, waiting);
    setTimeout(() => {
      due.delete(key);
      for (const resolve of waiting) resolve();
    }, Math.max(0, key - now()));
  }
  return new Promise((resolve) => waiting.push(resolve));
}

/** How long a hung request waits for the page to give up on it before answering 504. */
const HANG_LIMIT_MS = 130_000;
/** A slow body comes out in this many pieces, spread over this long. */
const SLOW_PIECES = 10;
const SLOW_BODY_MS = 1000;

const servers = new Map();
const payloads = new Map();

function payload(kib) {
  if (!payloads.has(kib)) payloads.set(kib, new Uint8Array(kib * 1024).fill(97));
  return payloads.get(kib);
}

function number(params, name, fallback) {
  const value = Number(params.get(name));
  return params.has(name) && params.get(name) !== '' && Number.isFinite(value) ? value : fallback;
}

/** Whether request `id` fails: drawn (`draw` is its first random number) or, for a burst, the
 *  first `rate` share of every hundred ids. */
function failed(fault, rate, id, draw) {
  return fault === 'burst' ? Number(id % 100n) < Math.round(rate * 100) : draw <= rate;
}

/** A hung request: answers only when the page aborts it (`signal`, where the browser passes it
 *  on) or after HANG_LIMIT_MS. */
function hang(signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(new Response('gave up waiting\n', { status: 504 })), HANG_LIMIT_MS);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve(Response.error());
    });
  });
}

/** `bytes` as a stream that sends a piece every SLOW_BODY_MS / SLOW_PIECES. */
function trickle(bytes) {
  const piece = Math.ceil(bytes.length / SLOW_PIECES);
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      return new Promise((resolve) => setTimeout(resolve, SLOW_BODY_MS / SLOW_PIECES)).then(() => {
        controller.enqueue(bytes.subarray(sent, sent + piece));
        sent += piece;
        if (sent >= bytes.length) controller.close();
      });
    },
  });
}

async function serve(url, signal) {
  const p = url.searchParams;
  const run = p.get('run') ?? '';
  const capacity = p.has('capacity') && p.get('capacity') !== '' ? Math.max(1, number(p, 'capacity', 1)) : null;
  if (!servers.has(run)) servers.set(run, new Server(capacity));
  const server = servers.get(run);

  const id = BigInt(Math.max(0, Math.floor(number(p, 'id', 0))) % 2 ** 32);
  const seed = BigInt(Math.max(0, Math.floor(number(p, 'seed', 1))) % 2 ** 32);
  const rng = new Rng((seed << 32n) | id);
  const fault = p.get('fault') ?? 'http';
  const fails = failed(fault, number(p, 'error_rate', 0), id, rng.nextF64());
  const service = serviceTime(rng, p.get('dist') ?? 'fixed', number(p, 'latency_ms', 0), number(p, 'spread_ms', 0));

  const arrived = server.count(+1);
  server.firstArrival ??= arrived;
  const started = await server.admit(arrived);
  const ended = started + service;
  if (ended > now()) await until(ended);
  server.release(ended);
  server.lastDeparture = server.count(-1);
  server.served += 1;

  const headers = {
    'x-lab-sim': '1',
    'x-lab-queue-ms': (started - arrived).toFixed(3),
    'x-lab-service-ms': (ended - started).toFixed(3),
  };
  const body = payload(Math.max(0, Math.floor(number(p, 'payload_kb', 0))));
  if (!fails) return new Response(body, { status: 200, headers });
  switch (fault) {
    case 'hang':
      return hang(signal);
    case 'drop':
      return Response.error();
    case 'slow':
      return new Response(trickle(body.length ? body : new Uint8Array(SLOW_PIECES).fill(97)), {
        status: 200,
        headers: { ...headers, 'x-lab-fault': 'slow' },
      });
    case 'burst':
      return new Response('unavailable\n', { status: 503, headers: { ...headers, 'x-lab-error': 'injected' } });
    default:
      return new Response('injected failure\n', { status: 500, headers: { ...headers, 'x-lab-error': 'injected' } });
  }
}

function json(body) {
  return new Response(JSON.stringify(body), {
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'x-lab-sim': '1' },
  });
}

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('message', (event) => {
  if (event.data?.type === 'claim') event.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  const base = new URL('io/', self.registration.scope);
  if (url.origin !== base.origin) return;
  if (url.pathname.startsWith(base.pathname)) {
    const route = url.pathname.slice(base.pathname.length);
    if (route === 'ping') {
      event.respondWith(json({ ok: true }));
    } else if (route === 'stats') {
      const run = url.searchParams.get('run') ?? '';
      const stats = servers.get(run)?.stats() ?? { mean_occupancy: 0, window_ms: 0, served: 0 };
      servers.delete(run);
      event.respondWith(json(stats));
    } else {
      event.respondWith(serve(url, request.signal));
    }
    return;
  }
  const isolate =
    request.mode === 'navigate' ? url.searchParams.get('coi') !== '0' : request.destination === 'worker';
  if (isolate) event.respondWith(withIsolation(request));
});

/** The response to `request` with the two isolation headers added (an opaque one as it is). */
async function withIsolation(request) {
  const response = await fetch(request);
  if (response.status === 0) return response;
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
