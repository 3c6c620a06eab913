import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { backoffDelay, enqueueJob, JobQueue, PermanentFailure, RetryLater } from '../../server/src/jobs/queue.js';
import { Store } from '../../server/src/store/index.js';
import { recordingLogger } from './helpers.js';

async function until(check: () => Promise<boolean>, label: string): Promise<void> {
  for (let i = 0; i < 300; i += 1) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`Timed out: ${label}`);
}

test('a queued job survives a restart and runs in the next process', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'charla-jobs-'));
  const path = join(dir, 'charla.db');
  try {
    const first = await Store.open(path);
    await first.transaction((scope) => enqueueJob(scope, { kind: 'demo.echo', payload: { text: 'hola' } }));
    await first.close();

    const second = await Store.open(path);
    const seen: unknown[] = [];
    const queue = new JobQueue(second, { logger: recordingLogger(), baseDelayMs: 10 });
    queue.register('demo.echo', { handle: async (job) => void seen.push(job.payload) });
    queue.start();
    await until(async () => (await second.jobs.list({ state: 'done' })).length === 1, 'done');
    await queue.stop();
    assert.deepEqual(seen, [{ text: 'hola' }]);
    await second.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('retries with backoff until success, gives up on permanent failures and after max attempts', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'charla-jobs-'));
  const store = await Store.open(join(dir, 'charla.db'));
  try {
    const queue = new JobQueue(store, { logger: recordingLogger(), baseDelayMs: 5 });
    let flaky = 0;
    const gaveUp: string[] = [];
    queue.register('flaky', { handle: async () => { flaky += 1; if (flaky < 3) throw new RetryLater('busy'); } });
    queue.register('broken', { handle: async () => { throw new PermanentFailure('bad input'); }, onGiveUp: async (job) => void gaveUp.push(job.kind) });
    queue.register('tired', { maxAttempts: 2, handle: async () => { throw new RetryLater('still busy'); }, onGiveUp: async (job) => void gaveUp.push(job.kind) });
    queue.start();
    await store.transaction(async (scope) => {
      await enqueueJob(scope, { kind: 'flaky', payload: {} });
      await enqueueJob(scope, { kind: 'broken', payload: {} });
      await enqueueJob(scope, { kind: 'tired', payload: {} });
    });
    queue.wake();
    await until(async () => (await store.jobs.list({})).every((j) => j.state === 'done' || j.state === 'failed'), 'settled');
    await queue.stop();
    const jobs = await store.jobs.list({});
    const byKind = Object.fromEntries(jobs.map((j) => [j.kind, j]));
    assert.equal(byKind.flaky!.state, 'done');
    assert.equal(byKind.flaky!.attempts, 3);
    assert.equal(byKind.broken!.state, 'failed');
    assert.equal(byKind.broken!.attempts, 1);
    assert.equal(byKind.broken!.lastError, 'bad input');
    assert.equal(byKind.tired!.state, 'failed');
    assert.equal(byKind.tired!.attempts, 2);
    assert.deepEqual(gaveUp.sort(), ['broken', 'tired']);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('a job whose worker died is claimed again when its lease runs out, and a claim is taken once', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'charla-jobs-'));
  const store = await Store.open(join(dir, 'charla.db'));
  try {
    await store.transaction((scope) => enqueueJob(scope, { kind: 'lease', payload: {} }));
    const now = new Date();
    const claimed = await store.jobs.claim(['lease'], now.toISOString(), new Date(now.getTime() + 1000).toISOString());
    assert.ok(claimed, 'claimed');
    assert.equal(await store.jobs.claim(['lease'], now.toISOString(), now.toISOString()), undefined);
    const later = new Date(now.getTime() + 2000).toISOString();
    const again = await store.jobs.claim(['lease'], later, later);
    assert.equal(again?.id, claimed.id);
    assert.equal(again?.attempts, 2);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('backoff doubles with jitter and is capped', () => {
  for (let attempt = 1; attempt <= 6; attempt += 1) {
    const ceiling = Math.min(1000, 100 * 2 ** (attempt - 1));
    const delay = backoffDelay(attempt, 100, 1000);
    assert.ok(delay >= ceiling / 2 && delay <= ceiling, `attempt ${attempt}: ${delay}`);
  }
});

/**
 * A queue with transactional `note` jobs: each adds an `echo` job in the queue's transaction
 * (committed with it or not at all) and records its text in `done`; the job 'bad' fails once.
 */
function noteQueue(store: Store): { queue: JobQueue; done: string[] } {
  const queue = new JobQueue(store, { logger: recordingLogger(), baseDelayMs: 5 });
  const done: string[] = [];
  let failuresLeft = 1;
  queue.register('note', {
    handleIn: async (scope, job) => {
      const { text } = job.payload as { text: string };
      if (text === 'bad' && failuresLeft-- > 0) throw new RetryLater('not yet');
      await enqueueJob(scope, { kind: 'echo', payload: { text } });
      done.push(text);
    },
  });
  queue.register('echo', { handle: async () => undefined });
  queue.start();
  return { queue, done };
}

test('claimed jobs run together in one transaction; when one fails, the others still succeed and it retries alone', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'charla-jobs-'));
  const store = await Store.open(join(dir, 'charla.db'));
  try {
    const { queue, done } = noteQueue(store);
    const jobs = await store.transaction(async (scope) => {
      const claimed = [];
      for (const text of ['a', 'bad', 'c']) claimed.push(await queue.enqueueClaimed(scope, { kind: 'note', payload: { text } }));
      return claimed;
    });
    assert.ok((await store.jobs.list({ kind: 'note' })).every((job) => job.state === 'running'), 'claimed at once');
    queue.runClaimed(jobs);
    await until(async () => (await store.jobs.list({ kind: 'note', state: 'done' })).length === 3, 'all done');
    await until(async () => (await store.jobs.list({ kind: 'echo', state: 'done' })).length === 3, 'echoes done');
    await queue.stop();
    assert.deepEqual([...new Set(done)].sort(), ['a', 'bad', 'c']);
    const echoes = await store.jobs.list({ kind: 'echo' });
    assert.equal(echoes.length, 3, 'the failed batch left nothing behind');
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('done jobs are pruned after the keeping time; failed ones stay', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'charla-jobs-'));
  const store = await Store.open(join(dir, 'charla.db'));
  try {
    const queue = new JobQueue(store, { logger: recordingLogger(), baseDelayMs: 5, keepDoneMs: 60_000 });
    queue.register('ok', { handle: async () => undefined });
    queue.register('bad', { handle: async () => { throw new PermanentFailure('no'); } });
    queue.start();
    await store.transaction(async (scope) => {
      await enqueueJob(scope, { kind: 'ok', payload: {} });
      await enqueueJob(scope, { kind: 'bad', payload: {} });
    });
    await until(async () => (await store.jobs.list({})).every((j) => j.state === 'done' || j.state === 'failed'), 'settled');
    await queue.stop();
    assert.equal(await queue.prune(Date.now()), 0, 'kept while recent');
    assert.equal(await queue.prune(Date.now() + 120_000), 1);
    assert.deepEqual((await store.jobs.list({})).map((j) => j.state), ['failed']);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('jobs done at once leave no record when they commit; when one fails, all are stored and each retries alone', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'charla-jobs-'));
  const store = await Store.open(join(dir, 'charla.db'));
  try {
    const { queue, done } = noteQueue(store);

    await queue.runNow([{ kind: 'note', payload: { text: 'x' } }, { kind: 'note', payload: { text: 'y' } }]);
    assert.deepEqual(done, ['x', 'y'], 'done before runNow resolves');
    assert.equal((await store.jobs.list({ kind: 'note' })).length, 0, 'no record of work that committed');

    done.length = 0;
    await queue.runNow(['a', 'bad', 'c'].map((text) => ({ kind: 'note', payload: { text } })));
    assert.equal((await store.jobs.list({ kind: 'note' })).length, 3, 'stored (durable) once the lot failed');
    await until(async () => (await store.jobs.list({ kind: 'note', state: 'done' })).length === 3, 'all done');
    await until(async () => (await store.jobs.list({ kind: 'echo', state: 'done' })).length === 5, 'echoes done');
    await queue.stop();
    assert.deepEqual([...new Set(done)].sort(), ['a', 'bad', 'c']);
    assert.equal((await store.jobs.list({ kind: 'echo' })).length, 5, 'the failed lot left nothing behind');
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});
