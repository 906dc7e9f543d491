// The results format, pinned: one exported file per lab under tests/golden/ (kept in version
// control; crates/lab-core/tests/golden.rs checks that the schema reads and writes each of them
// unchanged). Here a fresh run of each lab must export the same keys, with values of the same
// types, as its golden file. To record the golden files again after a deliberate change to the
// format: UPDATE_GOLDEN=1 npx playwright test e2e/golden.spec.mjs
import { readFile, writeFile } from 'node:fs/promises';
import { ISOLATED } from '../playwright.config.mjs';
import { test, expect } from './lab-page.mjs';

/** Each lab with small, quick settings. */
const CASES = {
  start: 'lab=start&n=12&tasks=8&size=2000',
  io: 'lab=io&n=20&c=4&latency_ms=20',
  'io-open': 'lab=io&n=20&rate=100&arrivals=poisson&dist=exp&latency_ms=20&capacity=2',
  cpu: 'lab=cpu&kernel=sha256&size=600&tasks=16',
  hybrid: 'lab=hybrid&strategy=all&n=8&c=4&latency_ms=20&kernel=sha256',
  wrong: 'lab=wrong&case=await-in-loop',
  tradeoff: 'lab=tradeoff&size=400',
};

/**
 * Every path in `value` with the types found there: `runs[].summary.wall_ms number`. Array
 * elements share the path `[]`; an empty array is noted, since its elements' paths are unknown.
 */
function shape(value, path = '', found = new Map(), empty = new Set()) {
  const type = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  if (!found.has(path)) found.set(path, new Set());
  found.get(path).add(type);
  if (type === 'array') {
    if (value.length === 0) empty.add(`${path}[]`);
    for (const item of value) shape(item, `${path}[]`, found, empty);
  } else if (type === 'object') {
    for (const [key, item] of Object.entries(value)) shape(item, `${path}.${key}`, found, empty);
  }
  return { found, empty };
}

/** Paths of `a` that `b` lacks, unless they lie under an array that was empty in `b`. */
function missing(a, b) {
  return [...a.found.keys()].filter((path) => !b.found.has(path) && ![...b.empty].some((prefix) => path.startsWith(prefix)));
}

/** Paths whose non-null types differ: a value that may be absent is null in one and set in the other. */
function retyped(a, b) {
  const nonNull = (types) => [...types].filter((t) => t !== 'null').sort().join('|');
  return [...a.found.keys()]
    .filter((path) => b.found.has(path))
    .filter((path) => nonNull(a.found.get(path)) && nonNull(b.found.get(path)) && nonNull(a.found.get(path)) !== nonNull(b.found.get(path)))
    .map((path) => `${path}: ${nonNull(a.found.get(path))} against ${nonNull(b.found.get(path))}`);
}

for (const [name, query] of Object.entries(CASES)) {
  test(`the ${name} export has the golden file's keys and types`, async ({ lab }) => {
    test.setTimeout(120_000);
    await lab.open(ISOLATED, `?${query}&autorun=1`);
    await lab.waitForAutorun(query);
    const text = await lab.exportText();
    const fresh = JSON.parse(text);
    const file = new URL(`../tests/golden/${name}.json`, import.meta.url);
    // The file exactly as downloaded: the Rust test compares numbers as written (0.0 is not 0).
    if (process.env.UPDATE_GOLDEN) await writeFile(file, text);
    const golden = JSON.parse(await readFile(file, 'utf8'));
    expect(fresh.schema).toBe(golden.schema);
    expect(fresh.runs.map((r) => r.kind)).toEqual(golden.runs.map((r) => r.kind));
    const [now, then] = [shape(fresh), shape(golden)];
    expect(missing(now, then), 'keys the golden file lacks').toEqual([]);
    expect(missing(then, now), 'keys the fresh export lacks').toEqual([]);
    expect(retyped(now, then), 'values of another type').toEqual([]);
  });
}
