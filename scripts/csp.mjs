// Trunk's post-build hook (Trunk.toml): writes the page's Content-Security-Policy into the
// built index.html, as a <meta> tag, so that it holds on any static host, headers or none.
//
// Only the page's own scripts run: files from its origin, and the inline scripts trunk writes
// (its loader, and under `trunk serve` its reload script), each allowed by its SHA-256 hash,
// computed here because they name the build's hashed files. WebAssembly may compile
// ('wasm-unsafe-eval'); nothing may eval. Requests may go to any http(s) address, because the
// I/O lab fetches the URL a visitor types (without credentials). Styles come from the page's
// stylesheet, plus inline `style` attributes, which the charts set.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('scripts/csp.mjs runs as a trunk post_build hook (TRUNK_STAGING_DIR is not set)');
const file = path.join(dir, 'index.html');
const html = readFileSync(file, 'utf8');

const hashes = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)]
  .filter(([, body]) => body.trim() !== '')
  .map(([, body]) => `'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`);

const policy = [
  "default-src 'self'",
  `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(' ')}`,
  // The pool's and the meter's workers start from blob: URLs.
  "worker-src 'self' blob:",
  "connect-src 'self' http: https:",
  "style-src 'self'",
  "style-src-attr 'unsafe-inline'",
  // Chart exports draw through data: and blob: images.
  "img-src 'self' data: blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const meta = `<meta http-equiv="Content-Security-Policy" content="${policy}" />`;
if (html.includes('http-equiv="Content-Security-Policy"')) throw new Error(`${file} already has a policy`);
// Before anything the policy governs: right after the charset.
const withPolicy = html.replace(/(<meta charset="utf-8" \/>)/, `$1\n    ${meta}`);
if (withPolicy === html) throw new Error(`${file} has no <meta charset="utf-8" /> to put the policy after`);
writeFileSync(file, withPolicy);
