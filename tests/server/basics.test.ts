import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '../../server/src/db.js';
import { idAt, newId } from '../../server/src/ids.js';
import { migrate, MIGRATIONS } from '../../server/src/migrations.js';
import { api, clientId, connectAgent, openDatabase, request, startServer, visitorWrites } from './helpers.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'charla-basics-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('GET /healthz answers 200 {"ok":true}', async () => {
  const test = await startServer();
  try {
    const response = await api(test.url, '/healthz');
    assert.equal(response.status, 200);
    assert.deepEqual(response.body, { ok: true });
  } finally {
    await test.close();
  }
});

test('restarting on the same database file keeps the data and applies no migration twice', async () => {
  const dbPath = join(dir, 'restart.db');
  const first = await startServer({ dbPath, dir });
  const { conversationId } = await visitorWrites(first, first.acme, 'Do you deliver on Sundays?');
  const agentToken = first.acme.agent.token;
  await first.close();

  const second = await startServer({ dbPath, dir });
  try {
    const agent = await connectAgent(second.url, agentToken);
    const page = await request(agent, 'messages.list', { conversationId });
    assert.deepEqual(page.messages.map((m: { body: string }) => m.body), ['Do you deliver on Sundays?']);
    const reply = await request(agent, 'message.send', { conversationId, clientId: clientId(), body: 'Yes, we do.' });
    assert.equal(reply.body, 'Yes, we do.');
  } finally {
    await second.close();
  }

  const db = await openDatabase(dbPath);
  try {
    assert.deepEqual(await migrate(db), [], 'nothing left to apply');
    const rows = await db.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    // Issues own version ranges and append in any order; they apply in version order.
    assert.deepEqual(rows.map((row) => row.version), MIGRATIONS.map((m) => m.version).sort((a, b) => a - b));
  } finally {
    await db.close();
  }
});

describe('database', () => {
  let db: Database;
  before(async () => {
    db = await Database.open(join(dir, 'db.db'));
    await db.exec('CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)');
    await db.run('INSERT INTO counter (id, value) VALUES (1, 0)');
  });
  after(() => db.close());

  test('concurrent transactions never interleave (no lost updates)', async () => {
    const increment = () =>
      db.transaction(async (tx) => {
        const row = await tx.get<{ value: number }>('SELECT value FROM counter WHERE id = 1');
        await new Promise((resolve) => setTimeout(resolve, 1));
        await tx.run('UPDATE counter SET value = ? WHERE id = 1', [row!.value + 1]);
      });
    await Promise.all(Array.from({ length: 25 }, increment));
    assert.equal((await db.get<{ value: number }>('SELECT value FROM counter WHERE id = 1'))!.value, 25);
  });

  test('a failed transaction leaves nothing behind and fires no commit hook', async () => {
    let hooked = false;
    await assert.rejects(
      db.transaction(async (tx) => {
        tx.afterCommit(() => (hooked = true));
        await tx.run('UPDATE counter SET value = 1000 WHERE id = 1');
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(hooked, false);
    assert.equal((await db.get<{ value: number }>('SELECT value FROM counter WHERE id = 1'))!.value, 25);
  });

  test('a nested transaction is a savepoint of the outer one', async () => {
    await db.transaction(async (tx) => {
      await tx.run('UPDATE counter SET value = 30 WHERE id = 1');
      await assert.rejects(
        db.transaction(async (inner) => {
          await inner.run('UPDATE counter SET value = 99 WHERE id = 1');
          throw new Error('inner failure');
        }),
      );
      // Plain statements inside the transaction join it instead of waiting behind it.
      assert.equal((await db.get<{ value: number }>('SELECT value FROM counter WHERE id = 1'))!.value, 30);
    });
    assert.equal((await db.get<{ value: number }>('SELECT value FROM counter WHERE id = 1'))!.value, 30);
  });
});

test('ids sort in creation order, also within one millisecond', () => {
  const ids = Array.from({ length: 2000 }, () => newId('msg'));
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids).size, ids.length);
  assert.match(ids[0]!, /^msg_[0-9a-z]{20}$/);
  assert.ok(idAt('msg', Date.now() - 60_000) < newId('msg'), 'an id dated earlier sorts earlier');
});
