import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { io } from 'socket.io-client';
import {
  api, clientId, connectAgent, connectError, connectVisitor, emitAck, request, settle, startServer, visitorWrites, type TestServer,
} from '../server/helpers.js';
import { redisUnavailable, startRedis } from '../support/redis.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));

/** Asserts a 429 in the error shape with a whole number of seconds in Retry-After. */
function assertRateLimited(response: { status: number; headers: Headers; body: any }, what: string): void {
  assert.equal(response.status, 429, what);
  assert.equal(response.body.error.code, 'rate_limited', what);
  assert.match(response.headers.get('retry-after') ?? '', /^[1-9]\d*$/, what);
}

describe('visitors', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer({ server: { limits: { visitorSessionsPerMinute: 5, visitorMessagesPerMinute: 3, typingIntervalMs: 60_000 } } });
  });
  after(() => t.close());

  test('one address opens a few anonymous sessions a minute; the next is refused, returning visitors still connect', async () => {
    const key = t.acme.workspace.widgetKey;
    const sessions = [];
    for (let i = 0; i < 5; i += 1) {
      const visitor = await connectVisitor(t.url, key);
      sessions.push(await request(visitor, 'session.get', {}));
    }
    const refused = await connectError(t.url, '/visitor', { workspace: key });
    assert.equal(refused.code, 'rate_limited');
    // A made-up token is a new session too.
    assert.equal((await connectError(t.url, '/visitor', { workspace: key, token: 'x'.repeat(32) })).code, 'rate_limited');
    const returning = await connectVisitor(t.url, key, sessions[0].token);
    assert.equal((await request(returning, 'session.get', {})).contactId, sessions[0].contactId);
    const { body } = await api(t.url, '/api/v1/contacts?limit=100', { token: t.acme.admin.token });
    assert.equal(body.contacts.length, 5, 'no contact for the refused sessions');
  });

  test('a visitor sends a few messages a minute; the next is refused with rate_limited and not stored', async () => {
    const returning = await startServer({ server: { limits: { visitorMessagesPerMinute: 3 } } });
    try {
      const visitor = await connectVisitor(returning.url, returning.acme.workspace.widgetKey);
      for (let i = 0; i < 3; i += 1) await request(visitor, 'message.send', { clientId: clientId(), body: `Mensaje ${i}` });
      const refused = await emitAck(visitor, 'message.send', { clientId: clientId(), body: 'Uno más' });
      assert.equal(refused.ok, false);
      assert.equal(!refused.ok && refused.error.code, 'rate_limited');
      assert.equal((await request(visitor, 'messages.list', {})).messages.length, 3);
    } finally {
      await returning.close();
    }
  });

  test('typing signals reach the agents at most once per interval', async () => {
    const typing = await startServer({ server: { limits: { typingIntervalMs: 60_000 } } });
    try {
      const agent = await connectAgent(typing.url, typing.acme.agent.token);
      const signals: unknown[] = [];
      agent.on('typing', (signal: unknown) => signals.push(signal));
      const { visitor } = await visitorWrites(typing, typing.acme);
      for (let i = 0; i < 20; i += 1) assert.equal((await emitAck(visitor, 'typing', {})).ok, true);
      await settle();
      assert.equal(signals.length, 1);
    } finally {
      await typing.close();
    }
  });
});

describe('the API', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer({ server: { limits: { authFailuresPer15Minutes: 5, apiRequestsPerMinute: 20, importBytes: 2000, importRows: 3 } } });
  });
  after(() => t.close());

  test('after a few refused tokens an address waits: 429 with Retry-After, even for a right token, and no agent socket', async () => {
    const guesser = await startServer({ server: { limits: { authFailuresPer15Minutes: 5 } } });
    try {
      for (let i = 0; i < 5; i += 1) assert.equal((await api(guesser.url, '/api/v1/contacts', { token: `guess-${i}-${'x'.repeat(24)}` })).status, 401);
      assertRateLimited(await api(guesser.url, '/api/v1/contacts', { token: 'guess-6-xxxxxxxxxxxxxxxxxxxxxxxx' }), 'another guess');
      assertRateLimited(await api(guesser.url, '/api/v1/contacts', { token: guesser.acme.agent.token }), 'the right token');
      assert.equal((await connectError(guesser.url, '/agent', { token: guesser.acme.agent.token })).code, 'rate_limited');
    } finally {
      await guesser.close();
    }
  });

  test('each token has its share of requests a minute, then 429 with Retry-After; other tokens go on', async () => {
    let answered = 0;
    let refused: Awaited<ReturnType<typeof api>> | undefined;
    for (let i = 0; i < 25 && !refused; i += 1) {
      const response = await api(t.url, '/api/v1/conversations?status=all', { token: t.acme.viewer.token });
      if (response.status === 429) refused = response;
      else answered += 1;
    }
    assert.ok(refused, 'a request was refused');
    assertRateLimited(refused, 'over the share');
    assert.ok(answered <= 20, 'answered <= 20');
    assert.equal((await api(t.url, '/api/v1/conversations?status=all', { token: t.globex.viewer.token })).status, 200);
  });

  test('a CSV import over its size limit is refused with 413; past the row limit the report says so once', async () => {
    const csv = (rows: number) => `name,email\n${Array.from({ length: rows }, (_, i) => `Person ${i},person${i}@limits.test`).join('\n')}\n`;
    const big = await api(t.url, '/api/v1/contacts/import', { token: t.acme.admin.token, method: 'POST', body: csv(200), headers: { 'content-type': 'text/csv' } });
    assert.equal(big.status, 413);
    assert.equal(big.body.error.code, 'invalid_payload');

    const long = await api(t.url, '/api/v1/contacts/import', { token: t.acme.admin.token, method: 'POST', body: csv(40), headers: { 'content-type': 'text/csv' } });
    assert.equal(long.status, 200);
    assert.equal(long.body.created, 3);
    assert.equal(long.body.rows.length, 4);
    const rejected = long.body.rows.filter((row: { outcome: string }) => row.outcome === 'rejected');
    assert.equal(rejected.length, 1);
    assert.equal(rejected[0].row, 4);
    assert.match(rejected[0].reason, /over the limit of 3 rows/);
  });

  test('a chunked CSV import over its size limit is refused too, in the error shape', async () => {
    // Rows long enough that the byte limit (2000) is passed before the row limit (3) is reached.
    const rows = Array.from({ length: 200 }, (_, i) => `Chunked ${i} ${'o'.repeat(700)},chunked${i}@limits.test\n`);
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('name,email\n'));
        for (const row of rows) controller.enqueue(new TextEncoder().encode(row));
        controller.close();
      },
    });
    const response = await fetch(`${t.url}/api/v1/contacts/import`, {
      method: 'POST', body, duplex: 'half', headers: { authorization: `Bearer ${t.globex.admin.token}`, 'content-type': 'text/csv' },
    } as RequestInit);
    assert.equal(response.status, 413);
    assert.equal((await response.json()).error.code, 'invalid_payload');
  });
});

test('a limit that is not a whole number stops the CLI with one line', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/cli.ts', '--port', '0'], {
    cwd: repo, env: { ...process.env, CHARLA_LIMIT_API_REQUESTS_PER_MINUTE: 'lots' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(code, 2);
  assert.equal(output.trim(), 'Invalid CHARLA_LIMIT_API_REQUESTS_PER_MINUTE: lots (use a whole number of 1 or more)');
});

describe('several server processes on one Redis', () => {
  test('share one budget: refused tokens counted on one process hold on the other', async (context) => {
    const unavailable = redisUnavailable();
    if (unavailable) return context.skip(unavailable);
    const redis = await startRedis();
    const limits = { authFailuresPer15Minutes: 4 };
    const [a, b] = await Promise.all([1, 2].map(() => startServer({ server: { limits, redisUrl: redis.url } })));
    try {
      for (const [i, server] of [a!, b!, a!, b!].entries()) {
        assert.equal((await api(server.url, '/api/v1/contacts', { token: `guess-${i}-${'x'.repeat(24)}` })).status, 401);
      }
      assertRateLimited(await api(a!.url, '/api/v1/contacts', { token: a!.acme.agent.token }), 'the right token, on the first process');
      assertRateLimited(await api(b!.url, '/api/v1/contacts', { token: b!.acme.agent.token }), 'the right token, on the second process');
    } finally {
      await Promise.all([a!.close(), b!.close()]);
      redis.stop();
    }
  });
});

describe('behind a proxy (CHARLA_TRUST_PROXY)', () => {
  /** A visitor handshake as the proxy forwards it: X-Forwarded-For carries the client's address. */
  async function visitorFrom(url: string, key: string, forwardedFor: string): Promise<string | null> {
    const socket = io(`${url}/visitor`, { auth: { workspace: key }, transports: ['websocket'], extraHeaders: { 'x-forwarded-for': forwardedFor }, reconnection: false, forceNew: true });
    try {
      return await new Promise((resolve) => {
        socket.once('connect', () => resolve(null));
        socket.once('connect_error', (error: Error & { data?: { code?: string } }) => resolve(error.data?.code ?? error.message));
      });
    } finally {
      socket.disconnect();
    }
  }

  test('with one trusted hop, each client address has its own allowance; a forged entry before it changes nothing', async () => {
    const t = await startServer({ server: { trustProxy: 1, limits: { visitorSessionsPerMinute: 2 } } });
    try {
      const key = t.acme.workspace.widgetKey;
      assert.equal(await visitorFrom(t.url, key, '203.0.113.7'), null, 'first visitor of one address');
      assert.equal(await visitorFrom(t.url, key, '198.51.100.1, 203.0.113.7'), null, 'the proxy appended the same address: a forged entry before it is not read');
      assert.equal(await visitorFrom(t.url, key, '203.0.113.7'), 'rate_limited', 'that address used its allowance');
      assert.equal(await visitorFrom(t.url, key, '203.0.113.8'), null, 'another client behind the same proxy still connects');
    } finally {
      await t.close();
    }
  });

  test('without it, X-Forwarded-For is not believed: the connection\'s address counts', async () => {
    const t = await startServer({ server: { limits: { visitorSessionsPerMinute: 2 } } });
    try {
      const key = t.acme.workspace.widgetKey;
      assert.equal(await visitorFrom(t.url, key, '203.0.113.1'), null, 'first');
      assert.equal(await visitorFrom(t.url, key, '203.0.113.2'), null, 'second');
      assert.equal(await visitorFrom(t.url, key, '203.0.113.3'), 'rate_limited', 'a made-up address does not get around the limit');
    } finally {
      await t.close();
    }
  });
});
