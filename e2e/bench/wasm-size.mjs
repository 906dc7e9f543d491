// What the release WebAssembly weighs and what takes the space, twiggy-style, with Node's own
// modules only. Reports the shipped dist/*_bg.wasm (raw, gzip -9, brotli; the JS glue alongside)
// and its sections; then, from the same code before wasm-opt with its name section (wasm-bindgen's
// output in target/wasm-bindgen/release/, else rustc's in target/wasm32-unknown-unknown/release/),
// the largest functions, the crates by code size, and the largest runs of text in the data.
//   node e2e/bench/wasm-size.mjs [--top 5] [--json target/bench/wasm-size.json] [--wasm PATH] [--named PATH]
// --wasm picks the shipped file, --named the file with names; --json writes the report there
// instead of printing tables. Run from the repository root after a release build (scripts/bench).
// Brotli at its best quality takes a few seconds of CPU.
import { readdirSync, readFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, word, i, all) => (word.startsWith('--') ? [...pairs, [word.slice(2), all[i + 1]]] : pairs), []),
);
const TOP = Number(args.top ?? 5);
const JSON_OUT = args.json;
const DIST = 'dist';
const NAMED_DIRS = ['target/wasm-bindgen/release', 'target/wasm32-unknown-unknown/release'];
// Runs of text at least this long count as "long" in the data summary (embedded files, not messages).
const LONG_TEXT = 1024;
const PREVIEW_CHARS = 60;

const SECTION_NAMES = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'datacount', 'tag'];
const SECTION = { import: 2, code: 10, data: 11 };

function fail(message) {
  console.error(`wasm-size: ${message}`);
  process.exit(1);
}

const wasmFiles = (dir) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.wasm')).map((f) => path.join(dir, f)) : []);

/** The shipped wasm: --wasm, else the one dist/*_bg.wasm. */
function shippedWasm() {
  if (args.wasm) return existsSync(args.wasm) ? args.wasm : fail(`no such file: ${args.wasm}`);
  const found = wasmFiles(DIST).filter((f) => f.endsWith('_bg.wasm'));
  if (found.length === 0) fail(`no ${DIST}/*_bg.wasm: build the release first (scripts/bench, or trunk build --release)`);
  if (found.length > 1) fail(`several wasm files in ${DIST}/ (${found.join(', ')}): pick one with --wasm`);
  return found[0];
}

/** The app's JS glue next to the wasm: same stem, its own hash (`app-<hash>_bg.wasm`, `app-<hash>.js`). */
function glueJs(wasmFile) {
  const stem = path.basename(wasmFile).replace(/(-[0-9a-f]+)?_bg\.wasm$/, '');
  const dir = path.dirname(wasmFile);
  const glue = readdirSync(dir).find((f) => f === `${stem}.js` || (f.startsWith(`${stem}-`) && /^-[0-9a-f]+\.js$/.test(f.slice(stem.length))));
  return glue ? path.join(dir, glue) : null;
}

function compressedSizes(bytes) {
  return {
    raw: bytes.length,
    gzip: zlib.gzipSync(bytes, { level: 9 }).length,
    brotli: zlib.brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }).length,
  };
}

/** Reads LEB128 numbers, bytes and names from a buffer. */
class Reader {
  constructor(bytes, pos = 0) {
    this.bytes = bytes;
    this.pos = pos;
  }
  byte() {
    return this.bytes[this.pos++];
  }
  u32() {
    let value = 0;
    let scale = 1;
    let b;
    do {
      b = this.byte();
      value += (b & 0x7f) * scale;
      scale *= 128;
    } while (b & 0x80);
    return value;
  }
  take(n) {
    const slice = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return slice;
  }
  name() {
    return this.take(this.u32()).toString('utf8');
  }
  /** Skips a constant expression (a data segment's offset) up to its `end`. */
  skipConstExpr() {
    for (let op = this.byte(); op !== 0x0b; op = this.byte()) {
      if (op === 0x41 || op === 0x42 || op === 0x23) this.u32(); // i32.const, i64.const, global.get
    }
  }
}

/** The module's sections: id, label ("code", "custom: name"), payload, and total bytes with the header. */
function readSections(bytes, file) {
  if (bytes.length < 8 || bytes.readUInt32LE(0) !== 0x6d736100) fail(`${file} is not a WebAssembly module`);
  const r = new Reader(bytes, 8);
  const sections = [];
  while (r.pos < bytes.length) {
    const start = r.pos;
    const id = r.byte();
    const payload = r.take(r.u32());
    const label = id === 0 ? `custom: ${new Reader(payload).name()}` : SECTION_NAMES[id] ?? `unknown ${id}`;
    sections.push({ id, label, payload, bytes: r.pos - start });
  }
  return sections;
}

const sectionOf = (sections, id) => sections.find((s) => s.id === id);

/** Imported functions come first in the function index space. */
function importedFunctionCount(payload) {
  const r = new Reader(payload);
  let functions = 0;
  for (let n = r.u32(); n > 0; n--) {
    r.name();
    r.name();
    const kind = r.byte();
    if (kind === 0) {
      functions++;
      r.u32();
    } else if (kind === 1) {
      r.byte();
      skipLimits(r);
    } else if (kind === 2) skipLimits(r);
    else if (kind === 3) r.take(2); // value type, mutability
    else if (kind === 4) {
      r.byte();
      r.u32();
    }
  }
  return functions;
}

function skipLimits(r) {
  const flags = r.byte();
  r.u32();
  if (flags & 0x01) r.u32(); // maximum
  if (flags & 0x08) r.u32(); // custom page size
}

/** Each function body's size, counting its own size prefix, so that they sum to the section. */
function bodySizes(payload) {
  const r = new Reader(payload);
  const sizes = [];
  for (let n = r.u32(); n > 0; n--) {
    const start = r.pos;
    r.take(r.u32());
    sizes.push(r.pos - start);
  }
  return sizes;
}

/** Function index → name, from subsection 1 of the "name" section. */
function functionNames(sections) {
  const section = sections.find((s) => s.label === 'custom: name');
  const names = new Map();
  if (!section) return names;
  const r = new Reader(section.payload);
  r.name();
  while (r.pos < section.payload.length) {
    const id = r.byte();
    const sub = new Reader(r.take(r.u32()));
    if (id !== 1) continue;
    for (let n = sub.u32(); n > 0; n--) names.set(sub.u32(), sub.name());
  }
  return names;
}

/** The bytes of each data segment (active or passive). */
function dataSegments(payload) {
  const r = new Reader(payload);
  const segments = [];
  for (let n = r.u32(); n > 0; n--) {
    const flags = r.u32();
    if (flags === 2) r.u32(); // memory index
    if (flags !== 1) r.skipConstExpr();
    segments.push(r.take(r.u32()));
  }
  return segments;
}

const LEGACY_ESCAPES = { SP: '@', BP: '*', RF: '&', LT: '<', GT: '>', LP: '(', RP: ')', C: ',' };

/** `_ZN4core3fmt5write17h0123456789abcdefE` → `core::fmt::write`. */
function demangleLegacy(symbol) {
  const parts = [];
  let rest = symbol.slice(3);
  while (rest && rest[0] !== 'E') {
    const digits = /^\d+/.exec(rest)?.[0];
    if (!digits) return symbol;
    parts.push(rest.slice(digits.length, digits.length + Number(digits)));
    rest = rest.slice(digits.length + Number(digits));
  }
  if (/^h[0-9a-f]{16}$/.test(parts.at(-1))) parts.pop();
  return parts
    .map((ident) =>
      ident
        .replace(/^_\$/, '$')
        .replace(/\$(u[0-9a-f]+|[A-Z]+)\$/g, (whole, code) => (code[0] === 'u' ? String.fromCodePoint(parseInt(code.slice(1), 16)) : LEGACY_ESCAPES[code] ?? whole))
        .replaceAll('..', '::'),
    )
    .join('::');
}

/** A readable name: legacy symbols demangled, hashes and crate disambiguators (`core[9f2a…]`) dropped.
 *  v0 symbols (`_R…`) stay as they are. */
function readable(name) {
  const plain = name.startsWith('_ZN') ? demangleLegacy(name) : name;
  return plain.replace(/::h[0-9a-f]{16}$/, '').replace(/(?<=\w)\[[0-9a-f]+\]/g, '');
}

/** The crate a function belongs to: the first path segment, or for `<T as Trait>::f` the first
 *  path inside the brackets (none for a primitive's own method, `<str>::replace`); for a raw v0
 *  symbol, its first crate root (`C[s<hash>_]<len><name>`). Otherwise "(unnamed)". */
function crateOf(name) {
  if (!name) return '(unnamed)';
  if (name.startsWith('_R')) {
    const root = /C(?:s[0-9A-Za-z]*_)?(\d+)_?/.exec(name);
    return root ? name.substr(root.index + root[0].length, Number(root[1])) : '(unnamed)';
  }
  const scope = name.startsWith('<') ? bracketed(name) : name;
  return /[A-Za-z_]\w*(?=::)/.exec(scope)?.[0] ?? '(unnamed)';
}

/** What the leading `<` of a name encloses, up to its matching `>` (an arrow `->` is no bracket). */
function bracketed(name) {
  let depth = 0;
  for (let i = 0; i < name.length; i++) {
    if (name[i] === '<') depth++;
    else if (name[i] === '>' && name[i - 1] !== '-' && --depth === 0) return name.slice(1, i);
  }
  return name;
}

/** Bytes of the printable UTF-8 character (or tab, newline) at `i`, 0 if there is none. */
function printableLength(bytes, i) {
  const b = bytes[i];
  if ((b >= 0x20 && b < 0x7f) || b === 0x09 || b === 0x0a || b === 0x0d) return 1;
  const continuation = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
  if (continuation < 0 || i + continuation >= bytes.length) return 0;
  for (let k = 1; k <= continuation; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return 0;
  return continuation + 1;
}

/** Maximal runs of printable UTF-8 in each segment, longest first. */
function textRuns(segments) {
  const runs = [];
  segments.forEach((bytes, segment) => {
    let i = 0;
    while (i < bytes.length) {
      const start = i;
      for (let n = printableLength(bytes, i); n > 0; n = printableLength(bytes, i)) i += n;
      if (i > start) runs.push({ segment, offset: start, bytes: i - start });
      else i++;
    }
  });
  return runs.sort((a, b) => b.bytes - a.bytes);
}

const share = (part, whole) => Math.round((part / whole) * 10000) / 10000;

/** The wasm with function names: --named, else the first in NAMED_DIRS whose name section has them. */
function namedWasm() {
  if (args.named) return existsSync(args.named) ? args.named : fail(`no such file: ${args.named}`);
  return NAMED_DIRS.flatMap(wasmFiles).find((file) => functionNames(readSections(readFileSync(file), file)).size > 0) ?? null;
}

function shippedReport(wasmFile) {
  const bytes = readFileSync(wasmFile);
  const wasm = compressedSizes(bytes);
  const jsFile = glueJs(wasmFile);
  const js = jsFile ? compressedSizes(readFileSync(jsFile)) : { raw: null, gzip: null, brotli: null };
  const sections = [{ name: 'header', bytes: 8 }, ...readSections(bytes, wasmFile).map((s) => ({ name: s.label, bytes: s.bytes }))];
  return {
    wasm_file: wasmFile,
    js_file: jsFile,
    wasm_raw: wasm.raw,
    wasm_gzip: wasm.gzip,
    wasm_brotli: wasm.brotli,
    js_raw: js.raw,
    js_gzip: js.gzip,
    js_brotli: js.brotli,
    sections: sections.map((s) => ({ ...s, share: share(s.bytes, bytes.length) })),
  };
}

function namedReport(file, shippedCodeBytes) {
  const sections = readSections(readFileSync(file), file);
  const code = sectionOf(sections, SECTION.code);
  const data = sectionOf(sections, SECTION.data);
  const imports = sectionOf(sections, SECTION.import);
  const firstDefined = imports ? importedFunctionCount(imports.payload) : 0;
  const names = functionNames(sections);
  const functions = bodySizes(code.payload).map((bytes, i) => {
    const raw = names.get(firstDefined + i);
    const name = raw === undefined ? null : readable(raw);
    return { name: name ?? `(unnamed #${firstDefined + i})`, crate: crateOf(name), bytes };
  });
  const crates = new Map();
  for (const f of functions) {
    const c = crates.get(f.crate) ?? { crate: f.crate, bytes: 0, functions: 0 };
    c.bytes += f.bytes;
    c.functions++;
    crates.set(f.crate, c);
  }
  const segments = data ? dataSegments(data.payload) : [];
  const runs = textRuns(segments);
  const decode = (run) => segments[run.segment].subarray(run.offset, run.offset + run.bytes).toString('utf8');
  return {
    file,
    pre_wasm_opt: true,
    code_bytes: code.bytes,
    shipped_code_bytes: shippedCodeBytes,
    functions: functions.length,
    function_bytes: functions.reduce((sum, f) => sum + f.bytes, 0),
    top_functions: [...functions]
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, TOP)
      .map((f) => ({ name: f.name, bytes: f.bytes, share: share(f.bytes, code.bytes) })),
    top_crates: [...crates.values()]
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, TOP)
      .map((c) => ({ ...c, share: share(c.bytes, code.bytes) })),
    data_bytes: data?.bytes ?? 0,
    data_segments: segments.map((s) => s.length),
    long_text_bytes: runs.filter((r) => r.bytes >= LONG_TEXT).reduce((sum, r) => sum + r.bytes, 0),
    top_text: runs.slice(0, TOP).map((r) => ({ ...r, preview: [...decode(r)].slice(0, PREVIEW_CHARS).join('') })),
  };
}

const kib = (n) => (n === null ? '—' : `${(n / 1024).toFixed(1)} KiB`);
const pct = (x) => `${(100 * x).toFixed(1)}%`;
const num = (n) => (n === null ? '—' : n.toLocaleString('en-US'));
const row = (label, bytes, part, width = 28) => `  ${label.padEnd(width)} ${num(bytes).padStart(11)}  ${kib(bytes).padStart(12)}  ${pct(part).padStart(6)}`;
const shorten = (s, width) => (s.length > width ? `${s.slice(0, width - 1)}…` : s);

function print({ shipped, named }) {
  console.log(`Shipped: ${shipped.wasm_file}`);
  console.log('                    raw        gzip -9      brotli');
  for (const [label, raw, gzip, brotli] of [
    ['wasm', shipped.wasm_raw, shipped.wasm_gzip, shipped.wasm_brotli],
    [`JS glue`, shipped.js_raw, shipped.js_gzip, shipped.js_brotli],
  ]) {
    console.log(`  ${label.padEnd(8)} ${kib(raw).padStart(12)} ${kib(gzip).padStart(12)} ${kib(brotli).padStart(12)}   (${num(raw)} / ${num(gzip)} / ${num(brotli)} B)`);
  }
  console.log(`  (JS glue: ${shipped.js_file ?? 'not found'})`);
  console.log('\nSections of the shipped wasm:               bytes                share');
  for (const s of [...shipped.sections].sort((a, b) => b.bytes - a.bytes)) console.log(row(s.name, s.bytes, s.share));
  if (!named) {
    console.log(`\nNo wasm with a name section in ${NAMED_DIRS.join(' or ')} (or give one with --named): no breakdown by function.`);
    return;
  }
  console.log(`\nBy function, from ${named.file}: before wasm-opt, so the sizes are proportions of the`);
  console.log(`unoptimised code: ${num(named.code_bytes)} B of code there against ${num(named.shipped_code_bytes)} B shipped.`);
  console.log(`${num(named.functions)} function bodies, ${num(named.function_bytes)} B together.`);
  console.log(`\nLargest functions (share of the code section):`);
  for (const f of named.top_functions) console.log(`  ${num(f.bytes).padStart(9)}  ${pct(f.share).padStart(6)}  ${shorten(f.name, 110)}`);
  console.log(`\nLargest crates by code (functions):`);
  for (const c of named.top_crates) console.log(row(`${c.crate} (${c.functions})`, c.bytes, c.share, 34));
  console.log(`\nData section: ${num(named.data_bytes)} B (${kib(named.data_bytes)}) in ${named.data_segments.length} segment(s): ${named.data_segments.map(num).join(', ')} B.`);
  console.log(`Printable UTF-8 in runs of ${LONG_TEXT} B or more (embedded files, e.g. include_str!): ${num(named.long_text_bytes)} B. Longest runs:`);
  for (const t of named.top_text) console.log(`  ${num(t.bytes).padStart(9)}  ${JSON.stringify(t.preview)}`);
}

const wasmFile = shippedWasm();
const shipped = shippedReport(wasmFile);
const namedFile = namedWasm();
const shippedCode = shipped.sections.find((s) => s.name === 'code')?.bytes ?? null;
const report = { shipped, named: namedFile ? namedReport(namedFile, shippedCode) : null };
if (JSON_OUT) {
  mkdirSync(path.dirname(JSON_OUT), { recursive: true });
  writeFileSync(JSON_OUT, JSON.stringify(report, null, 2));
  console.log(`wrote ${JSON_OUT}`);
} else print(report);
