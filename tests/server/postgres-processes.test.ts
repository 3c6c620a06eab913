/**
 * Several server processes on one PostgreSQL database: they migrate once when started together,
 * and their concurrent writes keep each workspace's event seq gap-free and ordered. Real Node
 * processes (tests/support/pg-process.ts), each with its own pool.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, test } from 'node:test';
import { MIGRATIONS } from '../../server/src/migrations.js';
import { enqueueJob } from '../../server/src/jobs/queue.js';
import { createWorkspace } from '../../server/src/services/workspaces.js';
import { Store } from '../../server/src/store/index.js';
import { createTestDatabase, postgresUnavailable } from '../support/postgres.js';

const skip = postgresUnavailable() ?? false;
if (skip) console.log(`# PostgreSQL tests skipped: ${skip}`);

/** Runs tests/support/pg-process.ts with `args` and resolves with the JSON line it printed. */
function runProcess<T>(args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/pg-process.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`pg-process ${args[0]} exited with ${code}: ${err}`));
      else resolve(JSON.parse(out.trim().split('\n').at(-1)!) as T);
    });
  });
}

describe('three server processes on one PostgreSQL database', { skip }, () => {
  test('started at once, they apply every migration exactly once between them', async () => {
    const url = await createTestDatabase();
    const results = await Promise.all([1, 2, 3].map(() => runProcess<{ applied: number[] }>(['migrate', url])));
    const applied = results.flatMap((result) => result.applied).sort((a, b) => a - b);
    assert.deepEqual(applied, MIGRATIONS.map((m) => m.version).sort((a, b) => a - b), 'each migration applied by exactly one process');
  });

  test('writing at once, they give the workspace consecutive seqs, each heard in order', async () => {
    const url = await createTestDatabase();
    const store = await Store.connect(url);
    try {
      const { workspace } = await createWorkspace(store, { name: 'Acme', widgetKey: 'acme-processes', agents: [] });
      const before = (await store.events.since(workspace.id, 0, 1)).seq;
      const perProcess = 60;
      const results = await Promise.all([1, 2, 3].map(() => runProcess<{ heard: number[] }>(['write', url, workspace.id, String(perProcess)])));
      const log = (await store.events.since(workspace.id, before, 10_000)).events;
      const total = 3 * perProcess * 2;
      assert.deepEqual(log.map((e) => e.seq), Array.from({ length: total }, (_, i) => before + 1 + i), 'no gap, no duplicate');
      for (let i = 0; i < log.length; i += 2) {
        assert.equal((log[i]!.data as unknown as { writer: string }).writer, (log[i + 1]!.data as unknown as { writer: string }).writer, "a transaction's events are adjacent");
      }
      for (const { heard } of results) {
        assert.equal(heard.length, perProcess * 2, 'each process hears its own events');
        assert.deepEqual(heard, [...heard].sort((a, b) => a - b), 'each process hears its events in seq order');
      }
      const everyHeard = results.flatMap((result) => result.heard).sort((a, b) => a - b);
      assert.deepEqual(everyHeard, log.map((e) => e.seq), 'together they heard every event once');
    } finally {
      await store.close();
    }
  });

  test('working one queue at once, they run every job exactly once', async () => {
    const url = await createTestDatabase();
    const store = await Store.connect(url);
    const count = 300;
    try {
      await store.transaction(async (scope) => {
        for (let n = 0; n < count; n += 1) await enqueueJob(scope, { kind: 'test.count', payload: { n } });
      });
    } finally {
      await store.close();
    }
    const results = await Promise.all([1, 2, 3].map(() => runProcess<{ ran: number[] }>(['work', url])));
    const ran = results.flatMap((result) => result.ran).sort((a, b) => a - b);
    assert.deepEqual(ran, Array.from({ length: count }, (_, n) => n), 'every job ran once, none twice');
    assert.ok(results.filter((result) => result.ran.length > 0).length >= 2, `the processes shared the work (${results.map((r) => r.ran.length).join(', ')})`);
  });
});
