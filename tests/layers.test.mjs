// The app's layers call downwards only. Each folder of src/ is a layer; a file may use
// `crate::<layer>` only for layers below its own, and layers side by side (components and labs)
// not at all (README, "How it works", draws the picture). A lab's folder holds two layers: its
// run (`src/labs/<lab>/run.rs`, the labs layer) and its page (`src/labs/<lab>/page.rs`, the
// pages layer), so a lab is one place and a run still never reaches up into a page.
// Run: node --test tests/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const SRC = new URL('../src/', import.meta.url).pathname;
// Bottom to top; layers in one rank may not use each other.
const RANKS = [['runtime'], ['experiments'], ['state'], ['components', 'labs'], ['pages'], ['app']];
const LAYERS = RANKS.flat();
const rank = (layer) => RANKS.findIndex((r) => r.includes(layer));

function files(entry) {
  const full = path.join(SRC, entry);
  if (!statSync(full, { throwIfNoEntry: false })) return [];
  if (statSync(full).isFile()) return [full];
  return readdirSync(full).flatMap((name) => files(path.join(entry, name)));
}

/** The layer a file of src/ belongs to: its folder's, or `pages` for a lab's page. */
function layerOf(file) {
  const relative = path.relative(SRC, file);
  if (/^labs\/\w+\/page\.rs$/.test(relative)) return 'pages';
  return relative.split(/[/.]/)[0];
}

/** The layers `file` uses, from its code (comments left out); a lab's page counts as `pages`. */
function uses(file) {
  const code = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => !line.trim().startsWith('//'))
    .join('\n');
  const paths = [...code.matchAll(/crate::(\w+)(::\w+::page\b)?/g)];
  return new Set(paths.map((m) => (m[1] === 'labs' && m[2] ? 'pages' : m[1])).filter((name) => LAYERS.includes(name)));
}

test('every layer of src/ uses only the layers below it', () => {
  const upward = [];
  for (const file of LAYERS.flatMap((layer) => [...files(`${layer}.rs`), ...files(layer)])) {
    const layer = layerOf(file);
    for (const used of uses(file)) {
      if (rank(used) >= rank(layer) && used !== layer) upward.push(`${path.relative(SRC, file)} uses crate::${used}`);
    }
  }
  assert.deepEqual(upward, []);
});

test('the check sees the layers it names', () => {
  // A layer that moved or was renamed would make the test above pass for nothing.
  for (const layer of LAYERS) assert.ok(files(`${layer}.rs`).length + files(layer).length > 0, `no src/${layer}`);
  assert.ok(uses(path.join(SRC, 'labs/start/page.rs')).has('labs'));
  assert.equal(layerOf(path.join(SRC, 'labs/start/page.rs')), 'pages');
  assert.equal(layerOf(path.join(SRC, 'labs/start/run.rs')), 'labs');
  assert.ok(uses(path.join(SRC, 'app.rs')).has('pages'), 'the app uses the labs\' pages');
});
