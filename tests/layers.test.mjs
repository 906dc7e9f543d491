// The app's layers call downwards only. Each folder of src/ is a layer; a file may use
// `crate::<layer>` only for layers below its own, and layers side by side (components and labs)
// not at all (README, "How it works", draws the picture).
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

/** The layers `file` uses, from its code (comments left out). */
function uses(file) {
  const code = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => !line.trim().startsWith('//'))
    .join('\n');
  return new Set([...code.matchAll(/crate::(\w+)/g)].map((m) => m[1]).filter((name) => LAYERS.includes(name)));
}

test('every layer of src/ uses only the layers below it', () => {
  const upward = [];
  for (const layer of LAYERS) {
    for (const file of [...files(`${layer}.rs`), ...files(layer)]) {
      for (const used of uses(file)) {
        if (rank(used) >= rank(layer) && used !== layer) upward.push(`${path.relative(SRC, file)} uses crate::${used}`);
      }
    }
  }
  assert.deepEqual(upward, []);
});

test('the check sees the layers it names', () => {
  // A layer that moved or was renamed would make the test above pass for nothing.
  for (const layer of LAYERS) assert.ok(files(`${layer}.rs`).length + files(layer).length > 0, `no src/${layer}`);
  assert.ok(uses(path.join(SRC, 'pages/start.rs')).has('labs'));
});
