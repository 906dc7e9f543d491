// Starts e2e/serve.mjs on a free port, for the harnesses that run outside Playwright (the Firefox
// tests, the benchmark): `const { base, close } = await startServer('dist', 'isolated')`.
import { spawn } from 'node:child_process';
import { once } from 'node:events';

export async function startServer(dir, mode) {
  const server = spawn(process.execPath, ['e2e/serve.mjs', dir, '0', mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await once(server.stdout, 'data');
  const port = /127\.0\.0\.1:(\d+)/.exec(String(line))?.[1];
  if (!port) {
    server.kill();
    throw new Error(`the static server did not say its port: ${line}`);
  }
  return { base: `http://127.0.0.1:${port}`, close: () => server.kill() };
}
