import { AsyncLocalStorage } from 'node:async_hooks';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { type Dialect, mapParameters } from './dialect.js';
import { CharlaFailure } from './failure.js';

export type SqlParam = string | number | null;

/**
 * Whose rows a piece of work may read and write on PostgreSQL, where row-level security walls
 * workspaces apart (see rls.ts): one workspace's, every workspace's (platform work: the audited
 * bypass), or none (a statement outside any scope). SQLite has no such wall.
 */
export type RowScope = { readonly workspaceId: string } | 'platform' | null;

export interface RunResult {
  changes: number;
}

/** What the store needs to talk SQL: the database itself, or an open transaction. */
export interface Sql {
  run(sql: string, params?: readonly SqlParam[]): Promise<RunResult>;
  get<T>(sql: string, params?: readonly SqlParam[]): Promise<T | undefined>;
  all<T>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  exec(sql: string): Promise<void>;
  /** How this executor spells what SQL leaves to each engine (see dialect.ts); SQLite when absent. */
  readonly dialect?: Dialect;
}

/** How a transaction wants to run. */
export interface TransactionOptions {
  /**
   * The workspace whose events the transaction appends. On PostgreSQL, transactions naming the
   * same workspace start one after the other (across processes), so they queue instead of
   * colliding on its event counter and running again; SQLite has one writer at a time anyway.
   */
  readonly workspaceId?: string;
}

export interface Transaction extends Sql {
  /**
   * Runs `hook` right after the outermost transaction commits, before the next queued work
   * starts (so hooks of successive transactions run in commit order). Dropped on rollback.
   * Hooks must not throw.
   */
  afterCommit(hook: () => void): void;
}

/** Prepared statements kept for reuse (the SQL comes from code, so the set is small and bounded). */
const STATEMENT_CACHE_SIZE = 256;

interface Scope {
  active: boolean;
  hooks: Array<() => void>;
}

/**
 * One SQLite connection (better-sqlite3) behind the same promise interface as PostgreSQL's pool.
 *
 * Statements run synchronously: a lot of a dozen small statements costs no trips through the
 * thread pool and no event-loop turns between them (with the asynchronous driver each statement
 * waited for the loop to come back to it, which under load made the round trips, not SQLite, the
 * cost of a write). A single connection still runs one thing at a time, and a transaction spans
 * awaits of other work: all work goes through one queue, a transaction holds the queue from BEGIN
 * to COMMIT, and plain statements wait their turn. Code running inside a transaction (tracked with
 * AsyncLocalStorage) bypasses the queue, and a nested `transaction()` becomes a savepoint of the
 * outer one instead of waiting for it forever.
 *
 * Statements are prepared once and reused.
 */
export class Database implements Sql {
  readonly #raw: BetterSqlite3.Database;
  readonly #scope = new AsyncLocalStorage<Scope>();
  /** Prepared statements by SQL, least recently used first. */
  readonly #statements = new Map<string, Prepared>();
  #tail: Promise<unknown> = Promise.resolve();
  #closed = false;
  #savepoints = 0;
  #checkpointer: Worker | null = null;
  #commits = 0;

  private constructor(raw: BetterSqlite3.Database) {
    this.#raw = raw;
  }

  static async open(path: string): Promise<Database> {
    const raw = new BetterSqlite3(path, { timeout: 5000 });
    // A 64 MB page cache and memory-mapped reads keep large reads (metrics over months) off the disk.
    raw.exec(
      'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON; PRAGMA cache_size = -65536; PRAGMA mmap_size = 268435456;',
    );
    const file = raw.memory ? null : raw.name;
    // The write-ahead log is copied back into the database by a thread of its own: a checkpoint
    // copies a thousand pages and syncs the file, which in the commit that triggered it stalled
    // every message waiting behind that commit by several milliseconds.
    if (file) raw.pragma('wal_autocheckpoint = 0');
    // A log that grew under load is cut back to this size when it starts over.
    if (file) raw.pragma(`journal_size_limit = ${WAL_LIMIT_BYTES}`);
    const db = new Database(raw);
    if (file) db.#startCheckpointer(file);
    return db;
  }

  run(sql: string, params: readonly SqlParam[] = []): Promise<RunResult> {
    return this.#statement(() => this.#run(sql, params));
  }

  get<T>(sql: string, params: readonly SqlParam[] = []): Promise<T | undefined> {
    return this.#statement(() => this.#all<T>(sql, params)[0]);
  }

  all<T>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    return this.#statement(() => this.#all<T>(sql, params));
  }

  exec(sql: string): Promise<void> {
    return this.#statement(() => void this.#raw.exec(sql));
  }

  /** Runs `fn` in a write transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Transaction) => Promise<T>, _options?: TransactionOptions): Promise<T> {
    const outer = this.#scope.getStore();
    if (outer?.active) return this.#savepoint(outer, fn);
    const scope: Scope = { active: true, hooks: [] };
    return this.#enqueue(() =>
      this.#scope.run(scope, async () => {
        this.#run('BEGIN IMMEDIATE', []);
        try {
          const value = await fn(this.#transactionFor(scope));
          this.#run('COMMIT', []);
          this.#limitLog();
          scope.active = false;
          for (const hook of scope.hooks) hook();
          return value;
        } catch (error) {
          scope.active = false;
          if (this.#raw.inTransaction) this.#run('ROLLBACK', []);
          throw error;
        }
      }),
    );
  }

  /** Refuses new work, waits for queued work to finish, then closes the connection. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#tail;
    await this.#checkpointer?.terminate();
    this.#statements.clear();
    // Closing the last connection checkpoints what is left of the log.
    this.#raw.close();
  }

  async #savepoint<T>(scope: Scope, fn: (tx: Transaction) => Promise<T>): Promise<T> {
    const name = `charla_sp_${++this.#savepoints}`;
    const hookCount = scope.hooks.length;
    this.#raw.exec(`SAVEPOINT ${name}`);
    try {
      const value = await fn(this.#transactionFor(scope));
      this.#raw.exec(`RELEASE ${name}`);
      return value;
    } catch (error) {
      scope.hooks.length = hookCount;
      this.#raw.exec(`ROLLBACK TO ${name}; RELEASE ${name}`);
      throw error;
    }
  }

  #transactionFor(scope: Scope): Transaction {
    const inside = <R>(work: () => R): Promise<R> =>
      scope.active ? attempt(work) : Promise.reject(new Error('The transaction has already finished'));
    return {
      run: (sql, params = []) => inside(() => this.#run(sql, params)),
      get: <R>(sql: string, params: readonly SqlParam[] = []) => inside(() => this.#all<R>(sql, params)[0]),
      all: <R>(sql: string, params: readonly SqlParam[] = []) => inside(() => this.#all<R>(sql, params)),
      exec: (sql) => inside(() => void this.#raw.exec(sql)),
      afterCommit: (hook) => void scope.hooks.push(hook),
    };
  }

  /**
   * A thread checkpointing the file's write-ahead log on its own connection (it never writes
   * rows). Should it fail, this connection goes back to checkpointing in its own commits.
   */
  #startCheckpointer(file: string): void {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(CHECKPOINTER, { eval: true, workerData: { file, driver, interval: CHECKPOINT_INTERVAL_MS } });
    worker.unref();
    worker.on('error', (error) => {
      console.error(`SQLite: checkpoints are back in the writing thread (${error.message})`);
      if (this.#raw.open) this.#raw.pragma('wal_autocheckpoint = 1000');
    });
    this.#checkpointer = worker;
  }

  /**
   * Under steady writes the log is never wholly copied between two commits, and so never starts
   * over: every so many commits its size is looked at, and past the limit this connection starts it
   * over (the checkpoint thread has copied most of it: what is left costs little).
   */
  #limitLog(): void {
    this.#commits += 1;
    if (!this.#checkpointer || this.#commits % LOG_CHECK_COMMITS !== 0) return;
    try {
      if (statSync(`${this.#raw.name}-wal`).size > WAL_LIMIT_BYTES) this.#raw.pragma('wal_checkpoint(RESTART)');
    } catch {
      // No log file yet, or a checkpoint running: the next look tries again.
    }
  }

  #statement<T>(work: () => T): Promise<T> {
    return this.#scope.getStore()?.active ? attempt(work) : this.#enqueue(work);
  }

  #enqueue<T>(work: () => T | Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new CharlaFailure('offline', 'The database is closed'));
    const result = this.#tail.then(work);
    this.#tail = result.catch(() => undefined);
    return result;
  }

  #prepared(sql: string): Prepared {
    const cached = this.#statements.get(sql);
    if (cached) {
      // Keep recently used statements at the end of the map (least recently used go first).
      this.#statements.delete(sql);
      this.#statements.set(sql, cached);
      return cached;
    }
    // better-sqlite3 binds an array to `?` only (it takes `?NNN` for named parameters): numbered
    // parameters are rewritten as bare ones, and their values repeated in that order.
    const order: number[] = [];
    const anonymous = mapParameters(sql, (number) => (order.push(number), '?'));
    const numbered = order.some((number, index) => number !== index + 1);
    const prepared = { statement: this.#raw.prepare(anonymous), order: numbered ? order : null };
    this.#statements.set(sql, prepared);
    if (this.#statements.size > STATEMENT_CACHE_SIZE) this.#statements.delete(this.#statements.keys().next().value!);
    return prepared;
  }

  #run(sql: string, params: readonly SqlParam[]): RunResult {
    const { statement, order } = this.#prepared(sql);
    return { changes: statement.run(bound(params, order)).changes };
  }

  #all<T>(sql: string, params: readonly SqlParam[]): T[] {
    const { statement, order } = this.#prepared(sql);
    if (!statement.reader) {
      statement.run(bound(params, order));
      return [];
    }
    return statement.all(bound(params, order)) as T[];
  }
}

interface Prepared {
  statement: BetterSqlite3.Statement;
  /** For SQL with numbered parameters: the parameter number of each `?`, in order. */
  order: number[] | null;
}

/** How often the checkpoint thread copies the log back (it skips frames a reader still needs). */
const CHECKPOINT_INTERVAL_MS = 200;
/** How large the log may grow before it is started over (and what its file is cut back to then). */
const WAL_LIMIT_BYTES = 16 * 1024 * 1024;
/** How often (in commits) the log's size is looked at. */
const LOG_CHECK_COMMITS = 128;

const CHECKPOINTER = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 5000 });
setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy (a checkpoint is already running) or the file is going away: the next tick tries again.
  }
}, workerData.interval);
`;

/** `work`'s value or error as a promise. */
function attempt<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * Parameters as SQLite should see them, in the order of the statement's `?`s: better-sqlite3
 * binds every JS number as a REAL, so whole numbers go as BigInt (INTEGER), as they are stored:
 * `'#' || ?` gives "#2", not "#2.0".
 */
function bound(params: readonly SqlParam[], order: number[] | null): Array<string | number | bigint | null> {
  const values = order ? order.map((number) => params[number - 1] ?? null) : params;
  return values.map((param) => (typeof param === 'number' && Number.isSafeInteger(param) ? BigInt(param) : param));
}
