import { AsyncLocalStorage } from 'node:async_hooks';
import sqlite3 from 'sqlite3';
import type { Dialect } from './dialect.js';
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
 * A promise wrapper over one sqlite3 connection.
 *
 * The connection is shared, so anything that runs while a transaction is open would become part
 * of it. To keep transactions whole, all work goes through one queue: a transaction holds the
 * queue from BEGIN to COMMIT, and plain statements wait their turn. Code running inside a
 * transaction (tracked with AsyncLocalStorage) bypasses the queue, and a nested `transaction()`
 * becomes a savepoint of the outer one instead of waiting for it forever.
 *
 * Statements are prepared once and reused: a statement is always stepped to completion (rows
 * are read with `all`), so a cached one never holds a lock between uses.
 */
export class Database implements Sql {
  readonly #raw: sqlite3.Database;
  readonly #scope = new AsyncLocalStorage<Scope>();
  /** Prepared statements by SQL; the promise is cached so concurrent first uses share one statement. */
  readonly #statements = new Map<string, Promise<sqlite3.Statement>>();
  #tail: Promise<unknown> = Promise.resolve();
  #closed = false;
  #savepoints = 0;

  private constructor(raw: sqlite3.Database) {
    this.#raw = raw;
  }

  static async open(path: string): Promise<Database> {
    const raw = await new Promise<sqlite3.Database>((resolve, reject) => {
      const db = new sqlite3.Database(path, (error) => (error ? reject(error) : resolve(db)));
    });
    const db = new Database(raw);
    raw.configure('busyTimeout', 5000);
    // A 64 MB page cache and memory-mapped reads keep large reads (metrics over months) off the disk.
    await db.#exec(
      'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON; PRAGMA cache_size = -65536; PRAGMA mmap_size = 268435456;',
    );
    return db;
  }

  run(sql: string, params: readonly SqlParam[] = []): Promise<RunResult> {
    return this.#statement(() => this.#run(sql, params));
  }

  get<T>(sql: string, params: readonly SqlParam[] = []): Promise<T | undefined> {
    return this.#statement(() => this.#get<T>(sql, params));
  }

  all<T>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    return this.#statement(() => this.#all<T>(sql, params));
  }

  exec(sql: string): Promise<void> {
    return this.#statement(() => this.#exec(sql));
  }

  /** Runs `fn` in a write transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Transaction) => Promise<T>, _options?: TransactionOptions): Promise<T> {
    const outer = this.#scope.getStore();
    if (outer?.active) return this.#savepoint(outer, fn);
    const scope: Scope = { active: true, hooks: [] };
    return this.#enqueue(() =>
      this.#scope.run(scope, async () => {
        await this.#run('BEGIN IMMEDIATE', []);
        try {
          const value = await fn(this.#transactionFor(scope));
          await this.#run('COMMIT', []);
          scope.active = false;
          for (const hook of scope.hooks) hook();
          return value;
        } catch (error) {
          scope.active = false;
          await this.#run('ROLLBACK', []).catch(() => undefined);
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
    await Promise.all([...this.#statements.values()].map((statement) => statement.then(finalize, () => undefined)));
    this.#statements.clear();
    await new Promise<void>((resolve, reject) => this.#raw.close((error) => (error ? reject(error) : resolve())));
  }

  async #savepoint<T>(scope: Scope, fn: (tx: Transaction) => Promise<T>): Promise<T> {
    const name = `charla_sp_${++this.#savepoints}`;
    const hookCount = scope.hooks.length;
    await this.#exec(`SAVEPOINT ${name}`);
    try {
      const value = await fn(this.#transactionFor(scope));
      await this.#exec(`RELEASE ${name}`);
      return value;
    } catch (error) {
      scope.hooks.length = hookCount;
      await this.#exec(`ROLLBACK TO ${name}; RELEASE ${name}`);
      throw error;
    }
  }

  #transactionFor(scope: Scope): Transaction {
    const inside = <R>(work: () => Promise<R>): Promise<R> =>
      scope.active ? work() : Promise.reject(new Error('The transaction has already finished'));
    return {
      run: (sql, params = []) => inside(() => this.#run(sql, params)),
      get: <R>(sql: string, params: readonly SqlParam[] = []) => inside(() => this.#get<R>(sql, params)),
      all: <R>(sql: string, params: readonly SqlParam[] = []) => inside(() => this.#all<R>(sql, params)),
      exec: (sql) => inside(() => this.#exec(sql)),
      afterCommit: (hook) => void scope.hooks.push(hook),
    };
  }

  #statement<T>(work: () => Promise<T>): Promise<T> {
    return this.#scope.getStore()?.active ? work() : this.#enqueue(work);
  }

  #enqueue<T>(work: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new CharlaFailure('offline', 'The database is closed'));
    const result = this.#tail.then(work);
    this.#tail = result.catch(() => undefined);
    return result;
  }

  #prepared(sql: string): Promise<sqlite3.Statement> {
    const cached = this.#statements.get(sql);
    if (cached) {
      // Keep recently used statements at the end of the map (least recently used go first).
      this.#statements.delete(sql);
      this.#statements.set(sql, cached);
      return cached;
    }
    const statement = new Promise<sqlite3.Statement>((resolve, reject) => {
      const prepared = this.#raw.prepare(sql, (error: Error | null) => (error ? reject(error) : resolve(prepared)));
    });
    this.#statements.set(sql, statement);
    // A statement that fails to prepare is not kept: the next use reports the error again.
    statement.catch(() => this.#statements.get(sql) === statement && this.#statements.delete(sql));
    if (this.#statements.size > STATEMENT_CACHE_SIZE) {
      const [oldestSql, oldest] = this.#statements.entries().next().value as [string, Promise<sqlite3.Statement>];
      this.#statements.delete(oldestSql);
      void oldest.then(finalize, () => undefined);
    }
    return statement;
  }

  async #run(sql: string, params: readonly SqlParam[]): Promise<RunResult> {
    const statement = await this.#prepared(sql);
    return new Promise((resolve, reject) => {
      statement.run(params, function (this: sqlite3.RunResult, error: Error | null) {
        if (error) reject(error);
        else resolve({ changes: this.changes });
      });
    });
  }

  async #get<T>(sql: string, params: readonly SqlParam[]): Promise<T | undefined> {
    return (await this.#all<T>(sql, params))[0];
  }

  async #all<T>(sql: string, params: readonly SqlParam[]): Promise<T[]> {
    const statement = await this.#prepared(sql);
    return new Promise((resolve, reject) => {
      statement.all(params, (error: Error | null, rows: T[]) => (error ? reject(error) : resolve(rows)));
    });
  }

  #exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#raw.exec(sql, (error) => (error ? reject(error) : resolve()));
    });
  }
}

/** Finalizing waits for the statement's queued work (sqlite3 runs it in order). */
function finalize(statement: sqlite3.Statement): Promise<void> {
  return new Promise((resolve) => statement.finalize(() => resolve()));
}
