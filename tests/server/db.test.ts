import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Database } from '../../server/src/db.js';

/** Runs `use` on a new database file in a folder of its own, then closes and removes both. */
async function withDatabase(use: (db: Database, file: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'charla-db-'));
  const file = join(dir, 'x.db');
  const db = await Database.open(file);
  try {
    await use(db, file);
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the same statement used concurrently for the first time is prepared once and the database closes cleanly', async () => {
  await withDatabase(async (db) => {
    await db.transaction(async (tx) => {
      await tx.run('CREATE TABLE t (n INTEGER)');
      await Promise.all([1, 2, 3].map((n) => tx.run('INSERT INTO t (n) VALUES (?)', [n])));
      const counts = await Promise.all([1, 2].map(() => tx.all<{ c: number }>('SELECT COUNT(*) AS c FROM t')));
      assert.deepEqual(counts.map((rows) => rows[0]!.c), [3, 3]);
    });
    const bad = db.all('SELECT * FROM missing_table');
    await assert.rejects(bad, /no such table/);
    await assert.rejects(db.all('SELECT * FROM missing_table'), /no such table/, 'a failed preparation is not cached');
  });
});

test('numbered parameters are bound by number, and whole numbers as integers', async () => {
  await withDatabase(async (db) => {
    await db.exec('CREATE TABLE t (a INTEGER, b TEXT)');
    await db.run('INSERT INTO t (a, b) VALUES (?1, ?2), (?1, ?3)', [5, 'x', 'y']);
    const rows = await db.all<{ a: number; b: string; kind: string; label: string }>(
      "SELECT a, b, typeof(?2) AS kind, '#' || ?2 AS label FROM t WHERE a = ?1 AND b <> '?3' ORDER BY b LIMIT ?2",
      [5, 2],
    );
    assert.deepEqual(rows, [{ a: 5, b: 'x', kind: 'integer', label: '#2' }, { a: 5, b: 'y', kind: 'integer', label: '#2' }]);
    assert.equal((await db.get<{ half: number }>('SELECT ? / 2 AS half', [3.5]))!.half, 1.75, 'fractions stay real');
  });
});

test('the write-ahead log is copied back by its own thread and does not grow past its limit', async () => {
  await withDatabase(async (db, file) => {
    await db.exec('CREATE TABLE t (n INTEGER, body TEXT)');
    // About 60 MB written in small commits, with the short pauses a server has between them.
    for (let round = 0; round < 30; round += 1) {
      for (let i = 0; i < 500; i += 1) await db.transaction(async (tx) => void (await tx.run('INSERT INTO t VALUES (?, ?)', [i, 'x'.repeat(3000)])));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise((resolve) => setTimeout(resolve, 600));
    // The rows reached the database file itself, and the log started over near its 16 MB limit
    // instead of holding all 60 MB.
    assert.ok(statSync(file).size > 40e6, `database file ${statSync(file).size} bytes`);
    assert.ok(statSync(`${file}-wal`).size <= 36e6, `log ${statSync(`${file}-wal`).size} bytes`);
  });
});

test('long reads run on a read-only connection of their own: the server keeps writing and answering while they run', async () => {
  await withDatabase(async (db) => {
    await db.exec('CREATE TABLE t (a INTEGER, b TEXT)');
    await db.run('INSERT INTO t (a, b) VALUES (?1, ?2), (?1, ?3)', [5, 'x', 'y']);
    const reads = db.reader();
    // What is committed is seen, with the same parameter binding as the writing connection.
    assert.deepEqual(
      await reads.all("SELECT a, b, typeof(?2) AS kind, '#' || ?2 AS label FROM t WHERE a = ?1 ORDER BY b LIMIT ?2", [5, 2]),
      [{ a: 5, b: 'x', kind: 'integer', label: '#2' }, { a: 5, b: 'y', kind: 'integer', label: '#2' }],
    );
    await assert.rejects(reads.all('SELECT * FROM missing_table'), /no such table/);
    await assert.rejects(reads.run('DELETE FROM t'), /does not write/);
    await assert.rejects(reads.all('DELETE FROM t RETURNING a'), /readonly|read-only/i, 'the connection itself refuses writes');

    // A read that takes a while (counting to three million) holds neither the thread nor the writes.
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 1);
    let readDone = false;
    const long = reads
      .get<{ n: number }>('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) SELECT COUNT(*) AS n FROM c')
      .then((row) => ((readDone = true), row));
    await db.run('INSERT INTO t (a, b) VALUES (?, ?)', [6, 'z']);
    assert.equal(readDone, false, 'the write was committed while the read ran');
    const ticksWhileReading = ticks;
    assert.deepEqual(await long, { n: 3000000 });
    clearInterval(timer);
    assert.ok(ticks > ticksWhileReading, 'timers ran while the read did');
    assert.equal((await reads.get<{ rows: number }>('SELECT COUNT(*) AS rows FROM t'))!.rows, 3, 'the next read sees the new row');
  });
});

test('an in-memory database reads on its one connection', async () => {
  const db = await Database.open(':memory:');
  try {
    await db.exec('CREATE TABLE t (a INTEGER)');
    await db.run('INSERT INTO t VALUES (1)');
    assert.equal(db.reader(), db);
    assert.deepEqual(await db.reader().all('SELECT a FROM t'), [{ a: 1 }]);
  } finally {
    await db.close();
  }
});
