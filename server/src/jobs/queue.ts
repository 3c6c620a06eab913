/**
 * A durable background job queue in the database.
 *
 * A job is a row of `jobs`: a `kind` (which handler runs it), a JSON `payload`, a `state`
 * (queued → running → done | failed), the attempts made, when it may run next (`run_at`) and
 * the last error. Enqueue it inside the transaction that makes it necessary, so the job exists
 * exactly when the change does; it then survives restarts.
 *
 * The worker claims one due job at a time with a single atomic UPDATE … RETURNING (safe with
 * several workers or processes on one database) and leases it: a job whose worker died is due
 * again when its lease runs out. A handler that resolves finishes the job. One that throws
 * `RetryLater` (or any unexpected error) is retried with exponential backoff and jitter until
 * `maxAttempts`; one that throws `PermanentFailure` is not retried. One that throws `Postpone`
 * did not fail: it waits (a provider's rate limit) and runs again without using up an attempt.
 * When a job gives up, the kind's `onGiveUp` runs so the domain can show the failure (a message
 * marked failed, say).
 *
 * Usage:
 *   queue.register('whatsapp.send', { handle: async (job) => {…}, onGiveUp: async (job, error) => {…} });
 *   await store.transaction(async (scope) => { …; await enqueueJob(scope, { kind: 'whatsapp.send', payload }); });
 *
 * The workers of this process wake whenever a job is enqueued here (their claim waits for the
 * enqueuing transaction to commit, as every statement does), and poll now and then for jobs of
 * other processes.
 */
import { newId } from '../ids.js';
import type { Logger } from '../logger.js';
import type { TransactionOptions } from '../db.js';
import type { Job, Store, StoreScope } from '../store/index.js';

/** Try again later; `delayMs` overrides the backoff (a server's Retry-After, say). */
export class RetryLater extends Error {
  override readonly name = 'RetryLater';
  constructor(
    message: string,
    readonly delayMs?: number,
  ) {
    super(message);
  }
}

/** Trying again cannot help (invalid input, a permanent refusal). */
export class PermanentFailure extends Error {
  override readonly name = 'PermanentFailure';
}

/**
 * Not a failure: the job must wait `delayMs` (a rate limit's Retry-After, say) and then runs
 * again with its attempts untouched, so a burst that waits out a limit loses no work. Only real
 * failures count towards `maxAttempts`.
 */
export class Postpone extends Error {
  override readonly name = 'Postpone';
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
  }
}

/**
 * How a kind of job is done: `handle` does it on its own; `handleIn` does it inside a
 * transaction the queue opens, which also marks the job done (one commit), and lets claimed jobs
 * run together in one transaction (`runClaimed`). Give one of them.
 */
export interface JobKind {
  handle?(job: Job): Promise<void>;
  handleIn?(scope: StoreScope, job: Job): Promise<void>;
  /**
   * Does several jobs of this kind that run together (see `runNow`) at once, in their order: reads
   * and writes for the lot instead of for each. Needs `handleIn` too (a job retried runs alone).
   */
  handleManyIn?(scope: StoreScope, jobs: readonly Job[]): Promise<void>;
  /** Runs once when the job is marked failed (permanent failure or attempts exhausted). */
  onGiveUp?(job: Job, error: Error): Promise<void>;
  /** Attempts before giving up (default 8). */
  maxAttempts?: number;
}

export interface JobQueueOptions {
  logger: Logger;
  /** The first retry waits about this long; each next one twice as long (default 2 s). */
  baseDelayMs?: number;
  /** Longest wait between attempts (default 10 minutes). */
  maxDelayMs?: number;
  /** How long a claimed job stays leased to its worker (default 2 minutes). */
  leaseMs?: number;
  /** Longest sleep when idle, to notice jobs enqueued by other processes (default 5 s). */
  idlePollMs?: number;
  /** Done jobs are deleted this long after they finished (default 7 days); failed ones stay. */
  keepDoneMs?: number;
}

export interface NewJob {
  kind: string;
  payload: unknown;
  workspaceId?: string | null;
  /** Not before this time (default now). */
  runAt?: Date;
  maxAttempts?: number;
}

const DEFAULT_MAX_ATTEMPTS = 8;
const PRUNE_EVERY_MS = 3600_000;

/** Queues of this process, each woken by `enqueueJob` for the kinds it runs. */
const wakeups = new Set<{ runs(kind: string): boolean; wake(): void }>();

/** Adds a job in the caller's transaction: it exists only if that transaction commits. */
export async function enqueueJob(scope: StoreScope, job: NewJob): Promise<string> {
  const id = newId('job');
  const now = new Date();
  await scope.jobs.insert({
    id,
    workspaceId: job.workspaceId ?? null,
    kind: job.kind,
    payload: job.payload,
    maxAttempts: job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    runAt: (job.runAt ?? now).toISOString(),
    createdAt: now.toISOString(),
  });
  // The job can be claimed once its transaction commits: the queues that run its kind look then
  // (not before, when their claim would find nothing or wait for the commit).
  scope.afterCommit(() => {
    for (const queue of wakeups) if (queue.runs(job.kind)) queue.wake();
  });
  return id;
}

/** Exponential backoff with jitter: between half and all of base·2^(attempt−1), capped. */
export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

export class JobQueue {
  readonly #store: Store;
  readonly #kinds = new Map<string, JobKind>();
  readonly #logger: Logger;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #leaseMs: number;
  readonly #idlePollMs: number;
  readonly #keepDoneMs: number;
  #prunedAt = 0;
  #running = false;
  #loop: Promise<void> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #wake: (() => void) | null = null;
  #pendingWake = false;
  readonly #inline = new Set<Promise<void>>();

  constructor(store: Store, options: JobQueueOptions) {
    this.#store = store;
    this.#logger = options.logger;
    this.#baseDelayMs = options.baseDelayMs ?? 2000;
    this.#maxDelayMs = options.maxDelayMs ?? 10 * 60_000;
    this.#leaseMs = options.leaseMs ?? 2 * 60_000;
    this.#idlePollMs = options.idlePollMs ?? 5000;
    this.#keepDoneMs = options.keepDoneMs ?? 7 * 24 * 3600_000;
  }

  /** Deletes done jobs older than `keepDoneMs`; the worker does it about hourly. */
  prune(now = Date.now()): Promise<number> {
    this.#prunedAt = now;
    return this.#store.jobs.pruneDone(new Date(now - this.#keepDoneMs).toISOString());
  }

  register(kind: string, definition: JobKind): void {
    if (this.#kinds.has(kind)) throw new Error(`Job kind "${kind}" is already registered`);
    if (!definition.handle && !definition.handleIn) throw new Error(`Job kind "${kind}" has no handler`);
    if (definition.handleManyIn && !definition.handleIn) throw new Error(`Job kind "${kind}" handles lots but not one job`);
    this.#kinds.set(kind, definition);
    this.wake();
  }

  /**
   * Adds a job in the caller's transaction (it exists only if that commits). The queues that run
   * its kind are woken when it commits.
   */
  async enqueue(scope: StoreScope, job: NewJob): Promise<string> {
    const maxAttempts = job.maxAttempts ?? this.#kinds.get(job.kind)?.maxAttempts;
    return enqueueJob(scope, maxAttempts === undefined ? job : { ...job, maxAttempts });
  }

  /** Starts working through due jobs. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    wakeups.add(this.#waker);
    this.#loop = this.#work();
  }

  /**
   * Adds a job already claimed by this process, to run with `runClaimed` right after the
   * transaction commits: no wait for a worker, and still durable (if the process dies, the lease
   * runs out and a worker takes the job).
   */
  async enqueueClaimed(scope: StoreScope, job: NewJob): Promise<Job> {
    const now = new Date();
    const record = {
      id: newId('job'),
      workspaceId: job.workspaceId ?? null,
      kind: job.kind,
      payload: job.payload,
      maxAttempts: job.maxAttempts ?? this.#kinds.get(job.kind)?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      runAt: now.toISOString(),
      createdAt: now.toISOString(),
    };
    await scope.jobs.insert({ ...record, lockedUntil: new Date(now.getTime() + this.#leaseMs).toISOString() });
    return { ...record, state: 'running', attempts: 1, lastError: null, updatedAt: record.createdAt };
  }

  /**
   * Does jobs of transactional kinds right away, all in one transaction, and keeps no record of
   * them when it commits (the work itself is the record). When any of them fails — or a kind has
   * no transactional handler — they are stored instead, claimed (so durable), and each runs alone
   * with its retries. Resolves once they are done or stored; rejects only when storing failed.
   */
  async runNow(jobs: readonly NewJob[], options: Pick<TransactionOptions, 'isolation'> = {}): Promise<void> {
    const kinds = jobs.map((job) => this.#kinds.get(job.kind));
    if (kinds.every((kind) => kind?.handleIn)) {
      try {
        await this.#store.transaction(async (scope) => {
          const now = new Date().toISOString();
          const records = jobs.map((job, index): Job => ({
            id: newId('job'), workspaceId: job.workspaceId ?? null, kind: job.kind, payload: job.payload, state: 'running', attempts: 1,
            maxAttempts: job.maxAttempts ?? kinds[index]!.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, runAt: now, lastError: null, createdAt: now, updatedAt: now,
          }));
          await this.#handleAllIn(scope, records);
        }, { ...lotOptions(jobs), ...options });
        return;
      } catch {
        // Stored below and retried one by one, with their errors recorded.
      }
    }
    const claimed = await this.#store.transaction(async (scope) => {
      const stored: Job[] = [];
      for (const job of jobs) stored.push(await this.enqueueClaimed(scope, job));
      return stored;
    });
    for (const job of claimed) this.runClaimed([job]);
  }

  /**
   * Runs jobs from `enqueueClaimed` (after their transaction committed). When all of them have
   * transactional handlers they run in one transaction (one commit for the lot); if that fails,
   * each runs alone, so one bad job neither blocks nor fails the others.
   */
  runClaimed(jobs: readonly Job[]): void {
    const run = this.#runTogether(jobs).catch((error: unknown) => this.#logger.error('Running claimed jobs failed', error));
    this.#inline.add(run);
    void run.finally(() => this.#inline.delete(run));
  }

  async #runTogether(jobs: readonly Job[]): Promise<void> {
    const kinds = jobs.map((job) => this.#kinds.get(job.kind));
    if (jobs.length > 1 && kinds.every((kind) => kind?.handleIn)) {
      try {
        await this.#store.transaction(async (scope) => {
          await this.#handleAllIn(scope, jobs);
          const now = new Date().toISOString();
          for (const job of jobs) await scope.jobs.finish(job.id, now);
        }, lotOptions(jobs));
        return;
      } catch {
        // Some job of the lot failed: each runs alone below (with its retries and errors).
      }
    }
    for (const job of jobs) await this.#run(job);
  }

  /** Jobs of transactional kinds in order; a run of one kind that handles lots goes as one lot. */
  async #handleAllIn(scope: StoreScope, jobs: readonly Job[]): Promise<void> {
    for (let start = 0; start < jobs.length; ) {
      const kind = this.#kinds.get(jobs[start]!.kind)!;
      let end = start + 1;
      if (kind.handleManyIn) while (end < jobs.length && jobs[end]!.kind === jobs[start]!.kind) end += 1;
      if (kind.handleManyIn) await kind.handleManyIn(scope, jobs.slice(start, end));
      else await kind.handleIn!(scope, jobs[start]!);
      start = end;
    }
  }

  /** Stops after the jobs in progress (which are finished or released first). */
  async stop(): Promise<void> {
    this.#running = false;
    wakeups.delete(this.#waker);
    this.wake();
    await this.#loop;
    this.#loop = null;
    await Promise.all([...this.#inline]);
  }

  readonly #waker = { runs: (kind: string) => this.#kinds.has(kind), wake: () => this.wake() };

  /** Looks for due jobs now instead of at the next poll. */
  wake(): void {
    this.#pendingWake = true;
    this.#wake?.();
  }

  async #work(): Promise<void> {
    while (this.#running) {
      let job: Job | undefined;
      try {
        this.#pendingWake = false;
        const now = Date.now();
        job = await this.#store.jobs.claim(
          [...this.#kinds.keys()],
          new Date(now).toISOString(),
          new Date(now + this.#leaseMs).toISOString(),
        );
        if (job) await this.#run(job);
        else if (Date.now() - this.#prunedAt > PRUNE_EVERY_MS) await this.prune();
        else await this.#sleep();
      } catch (error) {
        // The database is closing or failing: log once and back off instead of spinning.
        if (!this.#running) return;
        this.#logger.error('The job worker failed', error);
        await this.#sleep(1000);
      }
    }
  }

  async #run(job: Job): Promise<void> {
    const kind = this.#kinds.get(job.kind);
    if (!kind) return;
    try {
      if (kind.handleIn) {
        const handleIn = kind.handleIn;
        await this.#store.transaction(async (scope) => {
          await handleIn(scope, job);
          await scope.jobs.finish(job.id, new Date().toISOString());
        });
      } else {
        await kind.handle!(job);
        await this.#store.jobs.finish(job.id, new Date().toISOString());
      }
    } catch (caught) {
      const error = caught instanceof Error ? caught : new Error(String(caught));
      if (error instanceof Postpone) {
        const now = Date.now();
        await this.#store.jobs.postpone(job.id, new Date(now + error.delayMs).toISOString(), error.message, new Date(now).toISOString());
        this.wake();
        return;
      }
      const permanent = error instanceof PermanentFailure;
      if (!permanent && !(error instanceof RetryLater)) this.#logger.warn(`Job ${job.kind} ${job.id} failed`, error);
      const now = new Date();
      if (permanent || job.attempts >= (kind.maxAttempts ?? job.maxAttempts)) {
        await this.#store.jobs.fail(job.id, error.message, now.toISOString());
        await kind.onGiveUp?.(job, error).catch((hookError: unknown) => {
          this.#logger.error(`Job ${job.kind} ${job.id}: giving up failed`, hookError);
        });
        return;
      }
      const delay =
        error instanceof RetryLater && error.delayMs !== undefined
          ? error.delayMs
          : backoffDelay(job.attempts, this.#baseDelayMs, this.#maxDelayMs);
      await this.#store.jobs.retryAt(job.id, new Date(now.getTime() + delay).toISOString(), error.message, now.toISOString());
      // The worker may be asleep for longer than this delay (a claimed job failed outside it).
      this.wake();
    }
  }

  async #sleep(atMostMs = this.#idlePollMs): Promise<void> {
    if (!this.#running || this.#pendingWake) return;
    const next = await this.#store.jobs.nextRunAt([...this.#kinds.keys()]);
    const untilNext = next ? Date.parse(next) - Date.now() : atMostMs;
    const ms = Math.max(0, Math.min(atMostMs, untilNext));
    if (this.#pendingWake || ms === 0) return;
    await new Promise<void>((resolve) => {
      this.#wake = resolve;
      this.#timer = setTimeout(resolve, ms);
    });
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#wake = null;
  }
}

/** A lot of one workspace's jobs queues behind that workspace's other busy writers (see `TransactionOptions`). */
function lotOptions(jobs: ReadonlyArray<{ workspaceId?: string | null }>): TransactionOptions {
  const workspaceId = jobs[0]?.workspaceId;
  return workspaceId && jobs.every((job) => job.workspaceId === workspaceId) ? { workspaceId } : {};
}
