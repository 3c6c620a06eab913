/**
 * The deployment `compose.yaml` describes, run without Docker: the same pieces from this machine's
 * binaries, configured from the files an operator deploys. PostgreSQL is prepared as the postgres
 * image prepares it (its `POSTGRES_USER` owns the database) and `deploy/postgres-roles.sh` runs
 * against it; the three server processes get the environment of compose's `x-charla` block (the
 * `${…}` settings filled in as compose fills them; only the service host names are replaced by
 * loopback ports), the first started alone as compose orders them; nginx runs `deploy/nginx.conf`
 * (upstream host names and the listening port replaced). Through nginx: readiness, an agent's
 * WebSocket, signed webhooks spread over the processes, and a process killed while the rest go on.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { parse } from 'yaml';
import type { ChangeEvent } from '@charla/protocol';
import { SecretBox } from '../../server/src/secrets.js';
import { createWorkspace } from '../../server/src/services/workspaces.js';
import { Store } from '../../server/src/store/index.js';
import { postWebhook, WA, waText } from '../support/channels.js';
import { startFakeGraph, type FakeGraph } from '../support/fake-graph.js';
import { freePort, postgresUnavailable, startPostgres } from '../support/postgres.js';
import { redisUnavailable, startRedis, type TestRedis } from '../support/redis.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { api, eventually } from '../server/helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NGINX = process.env.CHARLA_NGINX ?? '/usr/sbin/nginx';

const unavailable = postgresUnavailable() ?? redisUnavailable() ?? (existsSync(NGINX) ? null : `nginx is not installed (no ${NGINX}): install it (Debian: apt-get install nginx-light)`);
// CI installs all three: there the suite must run, never be skipped.
if (unavailable && process.env.CHARLA_REQUIRE_POSTGRES) throw new Error(`The compose suite cannot run: ${unavailable}`);

/**
 * Compose's interpolation of `${NAME}`, `${NAME:-default}` (nested) and `${NAME:?message}` from
 * `env`: unset or empty counts as missing, as compose's `:-` and `:?` have it.
 */
function interpolate(text: string, env: Record<string, string>): string {
  let out = '';
  let index = 0;
  while (index < text.length) {
    const start = text.indexOf('${', index);
    if (start < 0) return out + text.slice(index);
    out += text.slice(index, start);
    // The matching brace, nested `${…}` included.
    let depth = 0;
    let end = start;
    for (; end < text.length; end += 1) {
      if (text.startsWith('${', end)) depth += 1;
      else if (text[end] === '}' && --depth === 0) break;
    }
    const body = text.slice(start + 2, end);
    const [, name, operator, rest] = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:-|:\?)([\s\S]*))?$/.exec(body) ?? [];
    if (!name) throw new Error(`compose.yaml: cannot read \${${body}}`);
    const value = env[name] ?? '';
    if (value) out += value;
    else if (operator === ':-') out += interpolate(rest ?? '', env);
    else if (operator === ':?') throw new Error(`compose.yaml: ${name} is required: ${rest}`);
    index = end + 1;
  }
  return out;
}

interface Compose {
  'x-charla': { environment: Record<string, string> };
  services: Record<string, { environment?: Record<string, string>; depends_on?: Record<string, { condition: string }> }>;
}

/** nginx in the foreground, one process, its files in `dir`; resolves once it answers. */
async function startNginx(dir: string, site: string, port: number): Promise<ChildProcess> {
  writeFileSync(join(dir, 'site.conf'), site);
  writeFileSync(join(dir, 'nginx.conf'), [
    'daemon off;', 'master_process off;', `pid ${join(dir, 'nginx.pid')};`, `error_log ${join(dir, 'error.log')} warn;`,
    'events { worker_connections 1024; }',
    'http {', '  access_log off;',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${join(dir, `${kind}-temp`)};`),
    `  include ${join(dir, 'site.conf')};`, '}', '',
  ].join('\n'));
  const child = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => void (errors += String(chunk)));
  await eventually(async () => {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${errors}${readFileSync(join(dir, 'error.log'), 'utf8')}`);
    return fetch(`http://127.0.0.1:${port}/healthz`).then((response) => response.ok, () => false);
  }, 10_000, 'nginx');
  return child;
}

describe('compose.yaml without Docker: three servers behind deploy/nginx.conf', { skip: unavailable ?? false }, () => {
  const compose = parse(readFileSync(join(ROOT, 'compose.yaml'), 'utf8')) as Compose;
  const SECRET_KEY = 'cd'.repeat(32);
  /** What an operator exports before `docker compose up`, as its header says. */
  const operator = { POSTGRES_PASSWORD: 'compose-test-password', CHARLA_SECRET_KEY: SECRET_KEY };
  const cleanups: Array<() => unknown> = [];
  const servers = new Map<string, ServerProcess>();
  let proxy: string;
  let token: string;
  let graph: FakeGraph;
  let agent: Socket;
  const seen: string[] = [];

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'charla-compose-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const postgres = await startPostgres();
    cleanups.push(postgres.stop);
    const redis: TestRedis = await startRedis();
    cleanups.push(() => redis.stop());
    graph = await startFakeGraph();
    cleanups.push(() => graph.close());
    graph.grant(WA.accessToken, WA.phoneNumberId);

    // The postgres image: POSTGRES_USER owns POSTGRES_DB (created with POSTGRES_INITDB_ARGS's
    // encoding and collation), then runs the init scripts mounted into it.
    const image = Object.fromEntries(Object.entries(compose.services['postgres']!.environment!).map(([name, value]) => [name, interpolate(String(value), operator)]));
    assert.equal(image['POSTGRES_INITDB_ARGS'], '--encoding=UTF8 --lc-collate=C --lc-ctype=C');
    const superuser = new pg.Client({ connectionString: postgres.url });
    await superuser.connect();
    await superuser.query(`CREATE ROLE ${image['POSTGRES_USER']} LOGIN SUPERUSER PASSWORD '${image['POSTGRES_PASSWORD']}'`);
    await superuser.query(`CREATE DATABASE ${image['POSTGRES_DB']} OWNER ${image['POSTGRES_USER']} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
    await superuser.end();
    const pgPort = new URL(postgres.url).port;
    const roles = spawnSync('sh', [join(ROOT, 'deploy/postgres-roles.sh')], {
      encoding: 'utf8',
      env: { ...process.env, ...image, PGHOST: '127.0.0.1', PGPORT: pgPort },
    });
    assert.equal(roles.status, 0, `deploy/postgres-roles.sh failed: ${roles.stderr}`);

    // The servers' environment as compose gives it, the services' host names aside.
    const redisUrl = new URL(redis.url);
    const env = Object.fromEntries(Object.entries(compose['x-charla'].environment).map(([name, value]) => [
      name,
      interpolate(String(value), operator).replace('@postgres:5432/', `@127.0.0.1:${pgPort}/`).replace('redis://redis:6379', `redis://127.0.0.1:${redisUrl.port}`),
    ]));
    assert.match(env['CHARLA_DATABASE_URL']!, /^postgres:\/\/charla_server:compose-test-password@127\.0\.0\.1:\d+\/charla$/);
    // Behind nginx, per-address limits must read the client from X-Forwarded-For.
    assert.equal(env['CHARLA_TRUST_PROXY'], '1');
    // Media go next to CHARLA_DB (the image's /data volume): here the test's folder.
    const processEnv = { ...env, CHARLA_GRAPH_URL: graph.url, CHARLA_DB: join(dir, 'charla.db') };
    // charla-a first (it migrates); the others once it is healthy, as their depends_on say.
    assert.deepEqual(compose.services['charla-b']!.depends_on?.['charla-a'], { condition: 'service_healthy' });
    for (const name of ['charla-a', 'charla-b', 'charla-c']) {
      const server = await startServerProcess(name, processEnv);
      cleanups.push(() => server.child.kill('SIGKILL'));
      servers.set(name, server);
      const ready = await fetch(`${server.url}/readyz`);
      assert.equal(ready.status, 200, `${name} is not ready: ${await ready.text()}`);
    }

    const port = await freePort();
    const upstreamPort = (name: string) => new URL(servers.get(name)!.url).port;
    const site = readFileSync(join(ROOT, 'deploy/nginx.conf'), 'utf8')
      .replace(/server (charla-[abc]):3000/g, (_all, name: string) => `server 127.0.0.1:${upstreamPort(name)}`)
      .replace('listen 80;', `listen 127.0.0.1:${port};`);
    assert.equal((site.match(/server 127\.0\.0\.1:\d+ /g) ?? []).length, 3, 'the three upstreams were found in deploy/nginx.conf');
    const nginx = await startNginx(dir, site, port);
    cleanups.push(() => nginx.kill('SIGKILL'));
    proxy = `http://127.0.0.1:${port}`;

    // A workspace, made as an operator's platform script would make it (the owner's connection).
    const store = await Store.connect(env['CHARLA_DATABASE_ADMIN_URL']!, SecretBox.fromKeys(SECRET_KEY));
    try {
      const { agents } = await createWorkspace(store, { name: 'Compose', widgetKey: 'compose-test', agents: [{ name: 'Ana Admin', email: 'ana@compose.test', role: 'admin' }] });
      token = agents[0]!.token;
    } finally {
      await store.close();
    }
  });

  after(async () => {
    agent?.disconnect();
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  test('through nginx: readiness, the API, an agent on WebSocket, and webhooks over the three processes', async () => {
    const ready = await fetch(`${proxy}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(((await ready.json()) as { checks: Record<string, string> }).checks, { store: 'ok', redis: 'ok' });

    const configured = await api(proxy, '/api/v1/channels/whatsapp', { token, method: 'PUT', body: WA });
    assert.equal(configured.status, 200, JSON.stringify(configured.body));

    agent = io(`${proxy}/agent`, { auth: { token }, transports: ['websocket'], reconnection: true, reconnectionDelay: 100 });
    agent.on('events', (events: ChangeEvent[]) => {
      for (const event of events) if (event.type === 'message.upserted' && event.data.message.direction === 'in') seen.push(event.data.message.body);
    });
    await new Promise<void>((resolve, reject) => {
      agent.once('connect', () => resolve());
      agent.once('connect_error', reject);
    });

    // nginx spreads the deliveries over the processes; every one reaches the agent, once.
    const bodies = Array.from({ length: 12 }, (_, i) => `Pedido ${i + 1} por el proxy`);
    for (const [i, body] of bodies.entries()) {
      const answer = await postWebhook(proxy, 'whatsapp', waText(`52155${String(20_000_000 + (i % 3))}`, `Cliente ${i % 3}`, body));
      assert.equal(answer.status, 200, answer.text);
    }
    await eventually(() => seen.length >= bodies.length, 15_000, 'the messages on the agent socket');
    assert.deepEqual([...seen].sort(), [...bodies].sort());
    const handled = await Promise.all([...servers.values()].map(async ({ url }) => (await fetch(`${url}/readyz`)).status));
    assert.deepEqual(handled, [200, 200, 200]);
  });

  test('a process killed: nginx sends requests to the others and the agent keeps receiving', async () => {
    const victim = servers.get('charla-b')!;
    victim.child.kill('SIGKILL');
    await new Promise((resolve) => victim.child.once('exit', resolve));
    for (let i = 0; i < 6; i += 1) {
      const answer = await api(proxy, '/api/v1/conversations', { token });
      assert.equal(answer.status, 200, `request ${i + 1} after the kill: ${JSON.stringify(answer.body)}`);
    }
    // The agent's socket may have been on the killed process: it reconnects through nginx. A
    // request it gets an answer to shows it is on a live one.
    await eventually(() => agent.timeout(1000).emitWithAck('session.get', {}).then(() => true, () => false), 15_000, 'the agent on a live process');
    const after = 'Después de la caída';
    // The dead process refuses connections, so nginx passes even a POST on to the next one.
    for (let i = 0; i < 3; i += 1) {
      const answer = await postWebhook(proxy, 'whatsapp', waText('5215520000009', 'Cliente 9', `${after} ${i + 1}`));
      assert.equal(answer.status, 200, `webhook ${i + 1} after the kill: ${answer.text}`);
    }
    const afterKill = () => seen.filter((body) => body.startsWith(after));
    await eventually(() => afterKill().length >= 3, 15_000, 'the messages sent after the kill');
    assert.deepEqual(afterKill(), [`${after} 1`, `${after} 2`, `${after} 3`]);
  });
});
