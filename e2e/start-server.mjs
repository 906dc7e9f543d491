// Starts e2e/serve.mjs on a free port, for the harnesses that run outside Playwright (the Firefox
// tests, the benchmark): `const { base, close } = await startServer('dist', 'isolated')`; a
// third argument serves it under a sub-path (`'/lab/'`), which `base` then ends with (no slash).
import { spawn } from 'node:child_process';
import { once } from 'node:events';

export async function startServer(dir, mode, path = '/') {
  const server = spawn(process.execPath, ['e2e/serve.mjs', dir, '0', mode, path], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await once(server.stdout, 'data');
  const port = /127\.0\.0\.1:(\d+)/.exec(String(line))?.[1];
  if (!port) {
    server.kill();
    throw new Error(`the static server did not say its port: ${line}`);
  }
  return { base: `http://127.0.0.1:${port}${path.replace(/\/$/, '')}`, close: () => server.kill() };
}
