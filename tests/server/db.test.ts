import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Database } from '../../server/src/db.js';

test('the same statement used concurrently for the first time is prepared once and the database closes cleanly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'charla-db-'));
  const db = await Database.open(join(dir, 'x.db'));
  try {
    await db.transaction(async (tx) => {
      await tx.run('CREATE TABLE t (n INTEGER)');
      await Promise.all([1, 2, 3].map((n) => tx.run('INSERT INTO t (n) VALUES (?)', [n])));
      const counts = await Promise.all([1, 2].map(() => tx.all<{ c: number }>('SELECT COUNT(*) AS c FROM t')));
      assert.deepEqual(counts.map((rows) => rows[0]!.c), [3, 3]);
    });
    const bad = db.all('SELECT * FROM missing_table');
    await assert.rejects(bad, /no such table/);
    await assert.rejects(db.all('SELECT * FROM missing_table'), /no such table/, 'a failed preparation is not cached');
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
