/**
 * Background jobs and periodic work on PostgreSQL: a job exists only if the transaction that
 * queued it commits, a failing job is retried with backoff and then kept as failed (its dead
 * letter), stopping finishes the job in progress, and with two servers on one database the periodic sweep runs in one of them, the
 * other taking over when it stops.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { JobQueue, RetryLater } from '../../server/src/jobs/queue.js';
import type { Logger } from '../../server/src/logger.js';
import { Store, type Job } from '../../server/src/store/index.js';
import { createTestDatabase, postgresUnavailable } from '../support/postgres.js';
import { eventually, recordingLogger, settle, startServer, type TestServer } from './helpers.js';

process.env.CHARLA_TEST_DATABASE = 'postgres';
const skip = postgresUnavailable() ?? false;
if (skip) console.log(`# PostgreSQL tests skipped: ${skip}`);

describe('jobs on PostgreSQL', { skip }, () => {
  let store: Store;
  let queue: JobQueue;
  const ran: string[] = [];
  const gaveUp: Array<{ job: Job; error: Error }> = [];

  before(async () => {
    store = await Store.connect(await createTestDatabase());
    queue = new JobQueue(store, { logger: recordingLogger(), baseDelayMs: 20, idlePollMs: 50 });
    queue.register('test.record', { handle: async (job) => void ran.push((job.payload as { name: string }).name) });
    queue.register('test.fail', {
      maxAttempts: 3,
      handle: async (job) => {
        ran.push(`attempt ${job.attempts} of ${(job.payload as { name: string }).name}`);
        throw new RetryLater('the provider is down');
      },
      onGiveUp: async (job, error) => void gaveUp.push({ job, error }),
    });
    queue.start();
  });
  after(async () => {
    await queue?.stop();
    await store?.close();
  });

  test('a job queued in a transaction that rolls back never runs; one that commits does', async () => {
    await assert.rejects(
      store.transaction(async (scope) => {
        await queue.enqueue(scope, { kind: 'test.record', payload: { name: 'rolled back' } });
        throw new Error('the change failed');
      }),
      /the change failed/,
    );
    await store.transaction((scope) => queue.enqueue(scope, { kind: 'test.record', payload: { name: 'committed' } }));
    await eventually(() => ran.includes('committed'), 5000, 'the committed job to run');
    await settle(300);
    assert.deepEqual(ran.filter((name) => name === 'rolled back' || name === 'committed'), ['committed'], 'only the committed job ran');
    const stored = (await store.jobs.list({ kind: 'test.record' })).map((job) => (job.payload as { name: string }).name);
    assert.deepEqual(stored, ['committed'], 'the rolled-back job was never stored');
  });

  test('a job that keeps failing is retried with backoff, then kept as failed with its reason', async () => {
    const id = await store.transaction((scope) => queue.enqueue(scope, { kind: 'test.fail', payload: { name: 'sync' } }));
    const failed = await eventually(async () => (await store.jobs.get(id))?.state === 'failed' && store.jobs.get(id), 10_000, 'the job to fail');
    assert.equal(failed!.attempts, 3, 'three attempts');
    assert.equal(failed!.lastError, 'the provider is down');
    assert.deepEqual(ran.filter((line) => line.endsWith('of sync')), ['attempt 1 of sync', 'attempt 2 of sync', 'attempt 3 of sync']);
    assert.equal(gaveUp.length, 1, 'given up once');
    assert.equal(gaveUp[0]!.job.id, id);
    await settle(200);
    assert.equal(ran.filter((line) => line.endsWith('of sync')).length, 3, 'not run again once failed');
  });

  test('stopping (as SIGTERM does) lets the job in progress finish, and starts no other', async () => {
    const worker = new JobQueue(store, { logger: recordingLogger(), idlePollMs: 50 });
    let release!: () => void;
    const started: string[] = [];
    worker.register('test.slow', {
      handle: async (job) => {
        started.push((job.payload as { name: string }).name);
        await new Promise<void>((resolve) => (release = resolve));
      },
    });
    worker.start();
    const first = await store.transaction((scope) => worker.enqueue(scope, { kind: 'test.slow', payload: { name: 'first' } }));
    await eventually(() => started.includes('first'), 5000, 'the first job to start');
    const second = await store.transaction((scope) => worker.enqueue(scope, { kind: 'test.slow', payload: { name: 'second' } }));
    const stopped = worker.stop();
    await settle(100);
    release();
    await stopped;
    assert.equal((await store.jobs.get(first))?.state, 'done', 'the job in progress finished');
    assert.deepEqual(started, ['first'], 'nothing else started while stopping');
    assert.equal((await store.jobs.get(second))?.state, 'queued', 'the next job waits for a worker');
  });
});

describe('periodic work with two servers on one PostgreSQL database', { skip }, () => {
  let dir: string;
  const servers: TestServer[] = [];
  const said: string[][] = [[], []];
  const loggerFor = (index: number): Logger => ({ ...recordingLogger(), info: (message: unknown) => void said[index]!.push(String(message)) });
  const leads = (index: number) => said[index]!.filter((line) => line.startsWith('This process runs the periodic work')).length;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'charla-periodic-'));
    const dbPath = join(dir, 'shared.db');
    for (const index of [0, 1]) servers.push(await startServer({ dbPath, dir, server: { sweepEveryMs: 50, logger: loggerFor(index) } }));
  });
  after(async () => {
    for (const server of servers) await server.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  test('one server runs the sweep; when it stops, the other takes over', async () => {
    await eventually(() => leads(0) + leads(1) === 1, 5000, `one server to lead: ${JSON.stringify(said)}`);
    // Many sweeps later, still one.
    await settle(500);
    assert.equal(leads(0) + leads(1), 1, 'exactly one server runs the periodic work');
    const leader = leads(0) === 1 ? 0 : 1;
    const other = 1 - leader;
    assert.ok(said[other]!.includes('Another process runs the periodic work'), 'the other server leaves it to the leader');
    await servers[leader]!.close();
    await eventually(() => leads(other) === 1, 5000, 'the other server to take over');
  });
});
