import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { createCharlaServer, type CharlaServer } from '../../server/src/app.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const DEMO_ROUTES = ['/demo/config.json', '/demo/simulator.json', '/demo/graph-outbox', '/demo/identity?id=cliente-42'];

/** An address of this machine other than loopback: a request to it comes from a non-local peer address. */
const externalAddress = Object.values(networkInterfaces()).flat().find((entry) => entry && entry.family === 'IPv4' && !entry.internal)?.address;

describe('the demo routes answer only clients on the same machine', { skip: externalAddress ? false : 'no non-loopback interface' }, () => {
  let dir: string;
  let server: CharlaServer;
  let port: number;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'charla-demo-'));
    server = await createCharlaServer({ dbPath: join(dir, 'charla.db'), demo: true, staticDir: dir, logger: { info() {}, warn() {}, error: console.error } });
    ({ port } = await server.listen(0, '0.0.0.0'));
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('from another address: 403 without the admin token, app secrets, outbox or identity signatures', async () => {
    for (const path of DEMO_ROUTES) {
      const response = await fetch(`http://${externalAddress}:${port}${path}`);
      const text = await response.text();
      assert.equal(response.status, 403, path);
      assert.equal(JSON.parse(text).error.code, 'forbidden', path);
      assert.ok(!text.includes(server.adminToken!), path);
      assert.doesNotMatch(text, /appSecret|hash/, path);
    }
    const link = await fetch(`http://${externalAddress}:${port}/demo/payment-link`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ amount: 10, currency: 'MXN' }),
    });
    assert.equal(link.status, 403, 'payment links are asked for from this machine only');
    // The rest of the server is not demo-only.
    assert.equal((await fetch(`http://${externalAddress}:${port}/healthz`)).status, 200);
  });

  test('from this machine the admin page and the simulator still get what they need', async () => {
    const config = await (await fetch(`http://127.0.0.1:${port}/demo/config.json`)).json();
    assert.deepEqual(config, { token: server.adminToken, widgetKey: 'demo', paymentsUrl: config.paymentsUrl });
    assert.match(config.paymentsUrl, /^http:\/\/127\.0\.0\.1:\d+$/, 'the fake payment API listens on loopback only');
    const refused = await fetch(`http://127.0.0.1:${port}/demo/payment-link`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ amount: -5, currency: 'MXN' }),
    });
    assert.equal(refused.status, 400);
    assert.match((await refused.json()).error.message, /amount: Give an amount above zero/);
    const made = await fetch(`http://127.0.0.1:${port}/demo/payment-link`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ amount: 1500, currency: 'MXN', description: 'Pedido 77' }),
    });
    const link = await made.json();
    assert.equal(made.status, 200, JSON.stringify(link));
    assert.equal(link.title, 'Pagar $1,500.00 MXN');
    assert.ok(link.url.startsWith(`${config.paymentsUrl}/pay/pl_`), link.url);
    const simulator = await (await fetch(`http://127.0.0.1:${port}/demo/simulator.json`)).json();
    assert.equal(typeof simulator.whatsapp.appSecret, 'string');
    assert.equal((await fetch(`http://127.0.0.1:${port}/demo/identity?id=cliente-42`)).status, 200);
  });
});

/** Runs the CLI to its end or until `ready` matches its output. */
function runCli(args: string[], ready?: RegExp): Promise<{ code: number | null; output: string; stop(): Promise<number | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/cli.ts', ...args], { cwd: repo, env: { ...process.env, CHARLA_ADMIN_TOKEN: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready?.test(output)) resolve({ code: null, output, stop: () => (child.kill('SIGTERM'), exited) });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => resolve({ code, output, stop: () => exited }));
    setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The CLI did not finish in time:\n${output}`));
    }, 30_000).unref();
  });
}

test('the demo refuses --host 0.0.0.0 with one clear line unless --demo-public, and warns when it runs', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'charla-demo-cli-'));
  try {
    const db = join(dir, 'charla.db');
    const refused = await runCli(['--demo', '--host', '0.0.0.0', '--port', '0', '--db', db]);
    assert.equal(refused.code, 2);
    assert.equal(refused.output.trim().split('\n').length, 1, refused.output);
    assert.match(refused.output, /--demo-public/);

    const local = await runCli(['--demo', '--port', '0', '--db', db], /Warning: demo mode/);
    assert.match(local.output, /Warning: demo mode is for trying Charla on this machine/);
    const port = /localhost:(\d+)\/admin/.exec(local.output)?.[1];
    assert.ok(port, local.output);
    assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
    if (externalAddress) {
      // Bound to 127.0.0.1 by default: other addresses of the machine do not answer at all.
      await assert.rejects(fetch(`http://${externalAddress}:${port}/healthz`));
    }
    assert.equal(await local.stop(), 0);

    const published = await runCli(['--demo', '--demo-public', '--host', '0.0.0.0', '--port', '0', '--db', db], /Warning: demo mode/);
    assert.match(published.output, /anyone who reaches this server can read the admin token/);
    assert.equal(await published.stop(), 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
