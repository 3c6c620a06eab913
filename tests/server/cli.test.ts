import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { api, connectAgent, connectVisitor, request } from './helpers.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));

/** Runs the CLI until it prints its admin token line; returns the output so far and the process. */
async function startCli(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/cli.ts', ...args], {
    cwd: repo,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 20_000;
  while (!/Admin token\s+\S+\n/.test(output)) {
    if (child.exitCode !== null) throw new Error(`The CLI exited early:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`The CLI did not start in time:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { child, exited, output: () => output };
}

test('the CLI starts the demo on a fresh database, prints where to go, serves, and stops cleanly on SIGTERM', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'charla-cli-'));
  // A failed assertion must not leave a CLI running: its open pipes would keep this file's runner alive.
  const started: Array<{ child: ReturnType<typeof spawn> }> = [];
  t.after(() => {
    for (const { child } of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  try {
    const dbPath = join(dir, 'nested', 'charla.db');
    const adminToken = 'demo-admin-token-for-tests';
    const cli = await startCli(['--demo', '--port', '0', '--host', '127.0.0.1', '--db', dbPath], { CHARLA_ADMIN_TOKEN: adminToken });
    started.push(cli);
    const port = /http:\/\/127\.0\.0\.1:(\d+)\/admin/.exec(cli.output())?.[1];
    assert.ok(port, cli.output());
    const base = `http://127.0.0.1:${port}`;
    assert.match(
      cli.output(),
      new RegExp(
        `Charla is running\\n  Admin panel   ${base}/admin\\n  Sample shop   ${base}/shop\\n` +
          `  API           ${base}/api/v1\\n  Admin token   ${adminToken}\\n`,
      ),
    );

    assert.deepEqual((await api(base, '/healthz')).body, { ok: true });
    const config = (await api(base, '/demo/config.json')).body;
    assert.deepEqual({ token: config.token, widgetKey: config.widgetKey }, { token: adminToken, widgetKey: 'demo' });
    assert.match(config.paymentsUrl, /^http:\/\/127\.0\.0\.1:\d+$/, 'the demo shop\'s payment API is announced');

    const admin = await connectAgent(base, adminToken);
    const session = await request(admin, 'session.get', {});
    assert.equal(session.workspace.name, 'Tienda Aurora');
    assert.deepEqual(session.agents.map((a: { name: string; role: string }) => `${a.name} (${a.role})`), [
      'Ana García (admin)', 'Bruno Costa (agent)', 'Carla Méndez (viewer)',
    ]);
    const inbox = await request(admin, 'conversations.list', { status: 'all', limit: 100 });
    assert.ok(inbox.conversations.length >= 12, 'a populated inbox');
    for (const status of ['open', 'pending', 'snoozed', 'resolved']) assert.ok(inbox.counts[status] > 0, status);
    const channels = new Set(inbox.conversations.map((c: { channel: string }) => c.channel));
    assert.deepEqual([...channels].sort(), ['email', 'instagram', 'webchat', 'whatsapp']);

    const visitor = await connectVisitor(base, 'demo');
    const visitorSession = await request(visitor, 'session.get', {});
    assert.equal(visitorSession.workspace.greeting, '¡Hola! ¿En qué podemos ayudarte?');
    visitor.disconnect();
    admin.disconnect();

    cli.child.kill('SIGTERM');
    assert.equal(await cli.exited, 0, cli.output());

    // Second start on the same database: no second seed, a fresh random token.
    const again = await startCli(['--demo', '--port', '0', '--host', '127.0.0.1', '--db', dbPath], { CHARLA_ADMIN_TOKEN: '' });
    started.push(again);
    const token = /Admin token\s+(\S+)/.exec(again.output())?.[1];
    assert.ok(token && token !== adminToken, 'token && token !== adminToken');
    const againPort = /127\.0\.0\.1:(\d+)\/api/.exec(again.output())?.[1];
    const list = await api(`http://127.0.0.1:${againPort}`, '/api/v1/conversations?status=all&limit=100', { token });
    assert.equal(list.body.conversations.length, inbox.conversations.length);
    assert.equal((await api(`http://127.0.0.1:${againPort}`, '/api/v1/contacts', { token: adminToken })).status, 401, 'the old token is revoked');
    again.child.kill('SIGINT');
    assert.equal(await again.exited, 0, again.output());
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
