import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createCharlaServer } from '../../server/src/app.js';
import { redisUnavailable, startRedis } from '../support/redis.js';
import { CharlaClient, MemoryStorage } from '@charla/client';
import { api, databaseOption, eventually, recordingLogger, startServer } from './helpers.js';

test('GET /readyz: 200 when the store answers (no Redis configured, none checked)', async () => {
  const server = await startServer();
  try {
    const response = await api(server.url, '/readyz');
    assert.equal(response.status, 200);
    assert.deepEqual(response.body, { ready: true, checks: { store: 'ok' } });
  } finally {
    await server.close();
  }
});

test('GET /readyz checks Redis too: 503 naming Redis while it is down, 200 again once it is back', { skip: redisUnavailable() ?? false }, async () => {
  const redis = await startRedis();
  const dir = await mkdtemp(join(tmpdir(), 'charla-ready-'));
  const logger = recordingLogger();
  const dbPath = join(dir, 'charla.db');
  const server = await createCharlaServer({ dbPath, ...(await databaseOption(dbPath)), staticDir: join(dir, 'none'), logger, redisUrl: redis.url });
  try {
    const { port } = await server.listen(0, '127.0.0.1');
    const url = `http://127.0.0.1:${port}`;
    const ready = await api(url, '/readyz');
    assert.equal(ready.status, 200, JSON.stringify(ready.body));
    assert.deepEqual(ready.body, { ready: true, checks: { store: 'ok', redis: 'ok' } });
    assert.equal((await api(url, '/healthz')).status, 200, 'alive either way');

    redis.stop();
    const down = await api(url, '/readyz');
    assert.equal(down.status, 503);
    assert.equal(down.body.ready, false, 'not ready');
    assert.equal(down.body.checks.store, 'ok', 'the store still answers');
    assert.notEqual(down.body.checks.redis, 'ok', 'Redis is the one failing');
    assert.equal(down.body.error.code, 'not_ready', 'a JSON error code');
    assert.match(down.body.error.message, /redis/, 'the message names Redis');
    assert.doesNotMatch(JSON.stringify(down.body), /127\.0\.0\.1/, 'no address is published');
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
  assert.ok(logger.errors.some((args) => /Redis connection failed \(127\.0\.0\.1:\d+\)/.test(String(args[0]))), 'the outage is logged with the address');
});

test('with Redis, sockets speak WebSocket only: the client with its default transports connects, a long-polling handshake is refused', { skip: redisUnavailable() ?? false }, async () => {
  const redis = await startRedis();
  const server = await startServer({ server: { redisUrl: redis.url } });
  const client = new CharlaClient({ url: server.url, token: server.acme.agent.token, storage: new MemoryStorage() });
  try {
    await eventually(() => client.state === 'online', 10_000, 'the client online');
    assert.equal(client.socket.io.engine.transport.name, 'websocket', 'over WebSocket');
    const polling = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`);
    assert.equal(polling.status, 400, 'long-polling refused');
  } finally {
    client.close();
    await server.close();
    redis.stop();
  }
});
