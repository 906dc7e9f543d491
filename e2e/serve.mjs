// A plain static server for the release build in dist/, as a deployment would be: an unknown
// path is a 404 (never index.html), so a missing file fails the tests.
//   node e2e/serve.mjs <dir> <port> isolated|plain [base]   (port 0: any free port, printed)
// `isolated` sends the two cross-origin isolation headers; `plain` sends neither, as GitHub
// Pages and most shared hosts do. `base` serves the files under a sub-path (`/lab/`), as a
// project page is served; anything outside it is a 404. One path is the tests' own: a GET of
// `<base>__status/<code>` answers with that HTTP status, so a typed URL can meet a 503.
import http from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

const [dir = 'dist', port = '4173', mode = 'isolated', base = '/'] = process.argv.slice(2);
const root = path.resolve(dir);
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json',
};

async function resolveFile(urlPath) {
  const decoded = decodeURIComponent(urlPath);
  const file = path.resolve(root, '.' + decoded);
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  const info = await stat(file).catch(() => null);
  if (info?.isDirectory()) return resolveFile(path.posix.join(decoded, 'index.html'));
  return info?.isFile() ? file : null;
}

http
  .createServer(async (request, response) => {
    const headers = { 'Cache-Control': 'no-store' };
    if (mode === 'isolated') {
      headers['Cross-Origin-Opener-Policy'] = 'same-origin';
      headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
    }
    const { pathname } = new URL(request.url, 'http://localhost');
    const inside = pathname.startsWith(base) ? '/' + pathname.slice(base.length) : null;
    const status = /^\/__status\/([1-5]\d\d)$/.exec(inside ?? '')?.[1];
    if (status) {
      response.writeHead(Number(status), { ...headers, 'Content-Type': 'text/plain' });
      response.end(`status ${status}\n`);
      return;
    }
    const file = inside === null ? null : await resolveFile(inside).catch(() => null);
    if (!file) {
      response.writeHead(404, { ...headers, 'Content-Type': 'text/plain' });
      response.end(`not found: ${pathname}\n`);
      return;
    }
    const body = await readFile(file);
    const type = types[path.extname(file)] ?? 'application/octet-stream';
    response.writeHead(200, { ...headers, 'Content-Type': type });
    response.end(request.method === 'HEAD' ? undefined : body);
  })
  .listen(Number(port), '127.0.0.1', function () {
    // Port 0 takes a free port: the line says which.
    console.log(`serving ${root} on http://127.0.0.1:${this.address().port}${base} (${mode})`);
  });
