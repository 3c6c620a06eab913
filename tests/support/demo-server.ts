import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCharlaServer, type CharlaServer } from '../../server/src/app.js';

export interface DemoServer {
  /** The server itself, for what a test sets up behind the demo (another agent's token). */
  server: CharlaServer;
  url: string;
  /** The demo admin's token. */
  token: string;
  widgetKey: string;
  close(): Promise<void>;
}

/** A real Charla server with the seeded demo workspace, on an ephemeral loopback port and a temp DB. */
export async function startDemoServer(options: { staticDir?: string; allowedOrigins?: string[] } = {}): Promise<DemoServer> {
  const dir = mkdtempSync(join(tmpdir(), 'charla-test-'));
  const server = await createCharlaServer({
    dbPath: join(dir, 'charla.db'),
    demo: true,
    ...(options.staticDir ? { staticDir: options.staticDir } : {}),
    ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}),
    logger: { info() {}, warn() {}, error: console.error },
  });
  const { port } = await server.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  const config = (await (await fetch(`${url}/demo/config.json`)).json()) as { token: string; widgetKey: string };
  return {
    server,
    url,
    token: config.token,
    widgetKey: config.widgetKey,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The demo admin's REST API (`/api/v1` + `path`) as JSON, whatever the status. */
export async function demoApi(server: DemoServer, path: string, init: { method?: string; body?: unknown } = {}): Promise<any> {
  const response = await fetch(`${server.url}/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  return response.json();
}

/**
 * Resolves once `check` passes, retrying until the deadline (events arrive asynchronously).
 * Give `assert.ok` a message in `check`: without one, Node rebuilds the message by re-parsing the
 * transpiled test file on every failed try, which takes seconds and eats the deadline.
 */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}
