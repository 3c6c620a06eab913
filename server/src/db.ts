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
  /**
   * PostgreSQL only: `repeatable read` instead of SERIALIZABLE, for work that takes its workspace's
   * lock and writes rows other writers update too (where PostgreSQL still refuses the second of two
   * concurrent updates): side by side with other workspaces' such work, it does not collide with
   * them through the pages their reads and writes share.
   */
  readonly isolation?: 'serializable' | 'repeatable read';
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
  #reader: ReadThread | null = null;
  #commits = 0;

  private constructor(raw: BetterSqlite3.Database) {
    this.#raw = raw;
  }

  static async open(path: string): Promise<Database> {
    const raw = new BetterSqlite3(path, { timeout: BUSY_TIMEOUT_MS });
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

  /**
   * Where long reads go (metrics over months): a read-only connection on a thread of its own,
   * which reads beside the writer (the write-ahead log lets it) and never holds the server's
   * thread or this connection's queue. It sees what is committed when each statement starts.
   * An in-memory database has no second connection: its reads stay here.
   */
  reader(): Sql {
    if (this.#raw.memory) return this;
    this.#reader ??= new ReadThread(this.#raw.name, this);
    return this.#reader;
  }

  /** Refuses new work, waits for queued work to finish, then closes the connection. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#tail;
    await this.#reader?.close();
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
    const worker = connectionThread(CHECKPOINTER, { file, readonly: false, interval: CHECKPOINT_INTERVAL_MS });
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
      if (statSync(`${this.#raw.name}-wal`).size <= WAL_LIMIT_BYTES) return;
      // A restart waits for readers of older snapshots (a long metric on the read thread): it is
      // tried without waiting, and tried again at the next look when a reader was in the way.
      this.#raw.pragma('busy_timeout = 0');
      try {
        this.#raw.pragma('wal_checkpoint(RESTART)');
      } finally {
        this.#raw.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      }
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
    return cached(this.#statements, sql, () => {
      const { text, order } = positional(sql);
      return { statement: this.#raw.prepare(text), order };
    });
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

/** SQL as better-sqlite3 binds an array: to bare `?`s, with numbered parameters' values repeated in order. */
interface Positional {
  text: string;
  order: number[] | null;
}

/**
 * better-sqlite3 binds an array to `?` only (it takes `?NNN` for named parameters): numbered
 * parameters are rewritten as bare ones, and their values repeated in that order.
 */
function positional(sql: string): Positional {
  const order: number[] = [];
  const text = mapParameters(sql, (number) => (order.push(number), '?'));
  return { text, order: order.some((number, index) => number !== index + 1) ? order : null };
}

/** `sql`'s entry in a bounded cache (least recently used first), made with `make` when missing. */
function cached<V>(cache: Map<string, V>, sql: string, make: () => V): V {
  const hit = cache.get(sql);
  if (hit !== undefined) {
    // Keep recently used entries at the end of the map (least recently used go first).
    cache.delete(sql);
    cache.set(sql, hit);
    return hit;
  }
  const value = make();
  cache.set(sql, value);
  if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return value;
}

/**
 * A read-only connection to the file on a thread of its own (see `Database.reader`). Statements are
 * rewritten and their parameters bound here, as on the writing connection; the thread prepares,
 * runs and answers rows. Should the thread fail, reads go back to the writing connection.
 */
class ReadThread implements Sql {
  readonly #file: string;
  readonly #fallback: Sql;
  readonly #pending = new Map<number, { resolve: (rows: unknown[]) => void; reject: (error: Error) => void }>();
  readonly #statements = new Map<string, Positional>();
  /** Started with the first read (most servers' first metric), so a server never asked pays nothing. */
  #worker: Worker | null = null;
  #next = 0;
  #failed = false;

  constructor(file: string, fallback: Sql) {
    this.#file = file;
    this.#fallback = fallback;
  }

  async get<T>(sql: string, params: readonly SqlParam[] = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  all<T>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    if (this.#failed) return this.#fallback.all<T>(sql, params);
    const { text, order } = cached(this.#statements, sql, () => positional(sql));
    const worker = (this.#worker ??= this.#start());
    const id = ++this.#next;
    // A thread waited on keeps the process alive; an idle one does not.
    if (this.#pending.size === 0) worker.ref();
    return new Promise<T[]>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (rows: unknown[]) => void, reject });
      worker.postMessage({ id, sql: text, params: bound(params, order) });
    });
  }

  run(): Promise<RunResult> {
    return Promise.reject(new Error('The read connection does not write'));
  }

  exec(): Promise<void> {
    return Promise.reject(new Error('The read connection does not write'));
  }

  async close(): Promise<void> {
    this.#settle(new CharlaFailure('offline', 'The database is closed'));
    await this.#worker?.terminate();
  }

  #start(): Worker {
    const worker = connectionThread(READER, { file: this.#file, readonly: true, cacheSize: STATEMENT_CACHE_SIZE });
    worker.on('message', ({ id, rows, error }: { id: number; rows?: unknown[]; error?: { message: string; code?: string } }) => {
      const waiting = this.#pending.get(id);
      this.#pending.delete(id);
      if (this.#pending.size === 0) worker.unref();
      if (error) waiting?.reject(Object.assign(new Error(error.message), error.code ? { code: error.code } : {}));
      else waiting?.resolve(rows!);
    });
    worker.on('error', (error) => {
      console.error(`SQLite: long reads are back on the writing connection (${error.message})`);
      this.#failed = true;
      this.#settle(new CharlaFailure('offline', 'The read connection failed; try again'));
    });
    return worker;
  }

  /** Fails every read still waiting with `failure`. */
  #settle(failure: Error): void {
    for (const waiting of this.#pending.values()) waiting.reject(failure);
    this.#pending.clear();
  }
}

/** How long a statement waits for a lock another connection holds. */
const BUSY_TIMEOUT_MS = 5000;
/** How often the checkpoint thread copies the log back (it skips frames a reader still needs). */
const CHECKPOINT_INTERVAL_MS = 200;
/** How large the log may grow before it is started over (and what its file is cut back to then). */
const WAL_LIMIT_BYTES = 16 * 1024 * 1024;
/** How often (in commits) the log's size is looked at. */
const LOG_CHECK_COMMITS = 128;

/**
 * A thread (not keeping the process alive) running `source` with `db`, its own connection to
 * `data.file` (read-only when `data.readonly`), and `workerData` holding `data`.
 */
function connectionThread(source: string, data: { file: string; readonly: boolean } & Record<string, unknown>): Worker {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(`${CONNECTION}${source}`, { eval: true, workerData: { ...data, driver, timeout: BUSY_TIMEOUT_MS } });
  worker.unref();
  return worker;
}

/** What every connection thread starts with (see `connectionThread`). */
const CONNECTION = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { readonly: workerData.readonly, timeout: workerData.timeout });
`;

const CHECKPOINTER = `
setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy (a checkpoint is already running) or the file is going away: the next tick tries again.
  }
}, workerData.interval);
`;

const READER = `
db.exec('PRAGMA cache_size = -65536; PRAGMA mmap_size = 268435456;');
const statements = new Map();
parentPort.on('message', ({ id, sql, params }) => {
  try {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
      if (statements.size > workerData.cacheSize) statements.delete(statements.keys().next().value);
    }
    parentPort.postMessage({ id, rows: statement.all(params) });
  } catch (error) {
    parentPort.postMessage({ id, error: { message: error.message, code: error.code } });
  }
});
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
