import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import type { RowScope, RunResult, Sql, SqlParam, Transaction, TransactionOptions } from './db.js';
import { isTransactionConflict, mapParameters, POSTGRES } from './dialect.js';
import { CharlaFailure } from './failure.js';

/**
 * Values come back as SQLite returns them, so the store reads both engines alike: 64-bit
 * integers (counts, sums, BIGINT columns) and numerics as numbers, booleans as 1/0.
 */
const PARSERS: Record<number, (value: string) => unknown> = {
  20: Number, // int8
  1700: Number, // numeric
  16: (value) => (value === 't' ? 1 : 0), // bool
};

const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    PARSERS[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

const MAX_ATTEMPTS = 30;
/**
 * A transaction that collided this many times runs again holding the `SERIAL_LOCK` advisory
 * lock, taken before BEGIN so its snapshot is fresh: such transactions (from every process on
 * the database) then run one at a time instead of colliding again, so heavy contention on one
 * row (a busy workspace's event counter) still makes progress.
 */
const SERIALIZE_AFTER = 3;
const SERIAL_LOCK = 'charla:serial';
/**
 * How long a transaction waits for its advisory lock before starting without it (and taking its
 * chances with collisions): a wait that long means the holder is stuck, and waiting longer could
 * only make a cycle of waits across processes last.
 */
const LOCK_WAIT = '5s';
const TAKE_LOCK = `SELECT set_config('lock_timeout', '${LOCK_WAIT}', false), pg_advisory_lock(hashtext($1))`;

/** SQLite's `?` and `?NNN` parameters as PostgreSQL's `$n`. */
export function toPositional(sql: string): string {
  return mapParameters(sql, (number) => `$${number}`);
}

/**
 * Row-level security (see rls.ts): every statement runs with the session settings
 * `charla.workspace_id` and `charla.platform` saying whose rows it may see and write. They are set
 * on a connection only when they differ from what it last had (tracked here per connection), in
 * the same round trip as nothing else: one `set_config` statement before the query that needs it.
 */
const SET_SCOPE = "SELECT set_config('charla.workspace_id', $1, false), set_config('charla.platform', $2, false)";

function scopeKey(scope: RowScope): string {
  if (scope === 'platform') return 'platform';
  return scope ? `workspace:${scope.workspaceId}` : 'none';
}

/** Translations by SQL text (the SQL comes from code, so the set is small and bounded). */
const TRANSLATIONS_KEPT = 1024;

interface Scope {
  client: pg.PoolClient;
  active: boolean;
  hooks: Array<() => void>;
  /** A serialization failure or deadlock seen inside: whatever `fn` then threw, the whole transaction runs again. */
  retry: boolean;
  /** The session advisory lock it holds (released after COMMIT or ROLLBACK, or with the connection). */
  lock: string | null;
  /** Lets the next transaction of this process that wants the same lock start. */
  done: () => void;
  /** The last statement sent on its connection (see `#observe`). */
  tail: Promise<void>;
}

export interface PgDatabaseOptions {
  /** Connections in the pool (default 10). */
  max?: number;
}

/**
 * The store's SQL on PostgreSQL through a `pg` pool, behind the same interface as the SQLite
 * `Database`: statements outside a transaction take any pooled connection; a transaction holds
 * one connection from BEGIN to COMMIT, and code running inside it (tracked with
 * AsyncLocalStorage) uses that connection, a nested `transaction()` becoming a savepoint.
 *
 * Transactions are SERIALIZABLE, so code written for SQLite's one writer at a time stays
 * correct with many: when PostgreSQL finds two of them could not have run one after the other
 * (or they deadlock), one is rolled back and run again from the start. The function given to
 * `transaction()` must therefore keep its effects in the database (or in `afterCommit` hooks).
 *
 * After-commit hooks run in the order the transactions committed: each one waits for the hooks
 * of transactions that sent COMMIT before it. The per-workspace event counter row serializes
 * the transactions that append events, so their hooks run in seq order.
 */
export class PgDatabase implements Sql {
  readonly dialect = POSTGRES;
  readonly #pool: pg.Pool;
  readonly #scope = new AsyncLocalStorage<Scope>();
  readonly #rows = new AsyncLocalStorage<RowScope>();
  /** The row scope each connection was last given (absent: unknown, set before its next statement). */
  readonly #scoped = new WeakMap<pg.ClientBase, string>();
  readonly #translations = new Map<string, string>();
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #url: string;
  /** Advisory locks held for as long as this pool lives, each on a connection of its own. */
  readonly #held = new Map<string, pg.Client>();
  /** Checks of a held lock under way: callers at the same moment share one. */
  readonly #checks = new Map<string, Promise<boolean>>();
  #hookTail: Promise<void> = Promise.resolve();
  /** Per advisory lock, the last of this process's transactions waiting for it (see `#turn`). */
  readonly #lockTails = new Map<string, Promise<void>>();
  #closed = false;
  #savepoints = 0;

  private constructor(pool: pg.Pool, url: string) {
    this.#pool = pool;
    this.#url = url;
  }

  /** Connects to `url` (postgres://user:password@host:port/database), checking it answers. */
  static async open(url: string, options: PgDatabaseOptions = {}): Promise<PgDatabase> {
    const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, types: TYPES });
    // An idle connection the server dropped: the pool replaces it, and the next query that
    // cannot be served reports the failure to its caller.
    pool.on('error', () => undefined);
    try {
      await pool.query('SELECT 1');
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
    return new PgDatabase(pool, url);
  }

  /**
   * Runs `fn` with its statements limited to the rows of `scope` by row-level security: one
   * workspace's, every workspace's (`'platform'`, the audited bypass of rls.ts), or none (`null`,
   * what a statement outside any scope gets).
   */
  within<T>(scope: RowScope, fn: () => T): T {
    return this.#rows.run(scope, fn);
  }

  run(sql: string, params: readonly SqlParam[] = []): Promise<RunResult> {
    return this.#track(async () => ({ changes: (await this.#query(sql, params)).rowCount ?? 0 }));
  }

  get<T>(sql: string, params: readonly SqlParam[] = []): Promise<T | undefined> {
    return this.#track(async () => (await this.#query(sql, params)).rows[0] as T | undefined);
  }

  all<T>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    return this.#track(async () => (await this.#query(sql, params)).rows as T[]);
  }

  exec(sql: string): Promise<void> {
    return this.#track(async () => {
      await this.#send((client) => client.query(sql));
    });
  }

  /**
   * Runs `fn` in a transaction: committed when it resolves, rolled back when it throws. With a
   * `workspaceId`, it first takes that workspace's advisory lock (before BEGIN, so its snapshot
   * sees every commit of the transactions that held it before): the busy writers of one workspace
   * queue on it instead of colliding on the event counter, where each collision costs a rollback
   * and a second run of the whole transaction.
   */
  transaction<T>(fn: (tx: Transaction) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const outer = this.#scope.getStore();
    if (outer?.active) return this.#savepoint(outer, fn);
    const lock = options.workspaceId ? `charla:workspace:${options.workspaceId}` : null;
    return this.#track(async () => {
      for (let attempt = 1; ; attempt += 1) {
        const scope = await this.#begin(attempt > SERIALIZE_AFTER ? SERIAL_LOCK : lock, options.isolation === 'repeatable read' && lock !== null);
        try {
          return await this.#complete(scope, fn);
        } catch (error) {
          if (!(scope.retry || isTransactionConflict(error)) || attempt >= MAX_ATTEMPTS || this.#closed) throw error;
          // A short, growing, jittered pause so the transactions that collided do not collide again.
          await delay(Math.random() * Math.min(50, 2 * attempt));
        }
      }
    });
  }

  /**
   * Runs `fn` holding the session advisory lock named `key` on a connection of its own: another
   * process (or pool) asking for the same lock waits until `fn` is done.
   */
  exclusively<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.#track(async () => {
      const client = await this.#pool.connect();
      let broken = false;
      try {
        await client.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
        try {
          return await fn();
        } finally {
          await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]).catch(() => (broken = true));
        }
      } finally {
        client.release(broken || undefined);
      }
    });
  }

  /**
   * Whether this pool holds the session advisory lock `key`, taking it when no one else does. It
   * is kept on a connection of its own until `close`, or until that connection is lost (then
   * another process can take it).
   */
  holds(key: string): Promise<boolean> {
    let check = this.#checks.get(key);
    if (!check) {
      check = this.#holds(key).finally(() => this.#checks.delete(key));
      this.#checks.set(key, check);
    }
    return check;
  }

  async #holds(key: string): Promise<boolean> {
    if (this.#closed) return false;
    const held = this.#held.get(key);
    if (held) {
      try {
        await held.query('SELECT 1');
        return true;
      } catch {
        this.#held.delete(key);
        await held.end().catch(() => undefined);
      }
    }
    const client = new pg.Client({ connectionString: this.#url, types: TYPES });
    // A lost connection is noticed by the next check above.
    client.on('error', () => undefined);
    try {
      await client.connect();
      const row = (await client.query<{ taken: number }>('SELECT pg_try_advisory_lock(hashtext($1)) AS taken', [key])).rows[0];
      if (row?.taken && !this.#closed) {
        this.#held.set(key, client);
        return true;
      }
    } catch {
      // PostgreSQL unreachable: not holding it; the caller asks again later.
    }
    await client.end().catch(() => undefined);
    return false;
  }

  /** Refuses new work, waits for work under way to finish, then closes the pool. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
    // Ending the session gives its advisory locks to whoever asks next.
    await Promise.all([...this.#held.values()].map((client) => client.end().catch(() => undefined)));
    this.#held.clear();
    await this.#pool.end();
  }

  /**
   * Starts a transaction on a pooled connection, first taking the session advisory lock `lock`.
   * This process's transactions wanting the same lock take turns before asking for a connection,
   * so at most one connection per lock waits in PostgreSQL and the holder never starves for one.
   */
  async #begin(lock: string | null, repeatableRead = false): Promise<Scope> {
    const done = lock ? await this.#turn(lock) : () => undefined;
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      done();
      throw error;
    }
    const scope: Scope = { client, active: true, hooks: [], retry: false, lock: null, done, tail: Promise.resolve() };
    try {
      if (lock) {
        try {
          await client.query(TAKE_LOCK, [lock]);
          scope.lock = lock;
        } catch (error) {
          // Waited too long: go ahead without it, as transactions did before locks.
          if ((error as { code?: unknown }).code !== '55P03') throw error;
        }
      }
      // REPEATABLE READ only under the lock it asked for; without it, as every other transaction.
      const level = repeatableRead && scope.lock ? 'REPEATABLE READ' : 'SERIALIZABLE';
      await client.query(`${lock ? 'SET lock_timeout = DEFAULT; ' : ''}BEGIN ISOLATION LEVEL ${level}`);
    } catch (error) {
      client.release(true);
      done();
      throw error;
    }
    return scope;
  }

  /** Waits for this process's previous transaction wanting `lock`; resolves to what ends this one's turn. */
  async #turn(lock: string): Promise<() => void> {
    const previous = this.#lockTails.get(lock) ?? Promise.resolve();
    let done!: () => void;
    const released = new Promise<void>((resolve) => (done = resolve));
    const mine = previous.then(() => released);
    this.#lockTails.set(lock, mine);
    void mine.then(() => {
      if (this.#lockTails.get(lock) === mine) this.#lockTails.delete(lock);
    });
    await previous;
    return () => done();
  }

  async #complete<T>(scope: Scope, fn: (tx: Transaction) => Promise<T>): Promise<T> {
    const { client } = scope;
    let broken = false;
    try {
      const value = await this.#scope.run(scope, () => fn(this.#transactionFor(scope)));
      // Take a place in the commit order before sending COMMIT.
      const previous = this.#hookTail;
      let done!: () => void;
      this.#hookTail = new Promise<void>((resolve) => (done = resolve));
      try {
        await this.#observe(scope, () => client.query('COMMIT'));
      } catch (error) {
        void previous.then(done);
        throw error;
      }
      scope.active = false;
      await previous;
      try {
        for (const hook of scope.hooks) hook();
      } finally {
        done();
      }
      return value;
    } catch (error) {
      if (scope.active) {
        scope.active = false;
        // Settings made inside the transaction roll back with it.
        this.#scoped.delete(client);
        await scope.tail;
        await client.query('ROLLBACK').catch(() => (broken = true));
      }
      throw error;
    } finally {
      if (scope.lock && !broken) await client.query('SELECT pg_advisory_unlock(hashtext($1))', [scope.lock]).catch(() => (broken = true));
      client.release(broken || undefined);
      scope.done();
    }
  }

  async #savepoint<T>(scope: Scope, fn: (tx: Transaction) => Promise<T>): Promise<T> {
    const name = `charla_sp_${++this.#savepoints}`;
    const hookCount = scope.hooks.length;
    await this.#observe(scope, () => scope.client.query(`SAVEPOINT ${name}`));
    try {
      const value = await fn(this.#transactionFor(scope));
      await this.#observe(scope, () => scope.client.query(`RELEASE SAVEPOINT ${name}`));
      return value;
    } catch (error) {
      scope.hooks.length = hookCount;
      this.#scoped.delete(scope.client);
      await this.#observe(scope, () => scope.client.query(`ROLLBACK TO SAVEPOINT ${name}; RELEASE SAVEPOINT ${name}`));
      throw error;
    }
  }

  #transactionFor(scope: Scope): Transaction {
    const inside = <R>(work: () => Promise<R>): Promise<R> =>
      scope.active ? work() : Promise.reject(new Error('The transaction has already finished'));
    return {
      dialect: POSTGRES,
      run: (sql, params = []) => inside(() => this.run(sql, params)),
      get: <R>(sql: string, params: readonly SqlParam[] = []) => inside(() => this.get<R>(sql, params)),
      all: <R>(sql: string, params: readonly SqlParam[] = []) => inside(() => this.all<R>(sql, params)),
      exec: (sql) => inside(() => this.exec(sql)),
      afterCommit: (hook) => void scope.hooks.push(hook),
    };
  }

  #query(sql: string, params: readonly SqlParam[]): Promise<pg.QueryResult> {
    const text = this.#translate(sql);
    return this.#send((client) => client.query(text, params as SqlParam[]));
  }

  /**
   * Sends one statement in the current row scope: inside a transaction on its connection, in its
   * turn (see `#observe`); outside, on any pooled connection.
   */
  #send<R>(statement: (client: pg.ClientBase) => Promise<R>): Promise<R> {
    const scope = this.#scope.getStore();
    if (!scope?.active) return this.#onPooled(statement);
    return this.#observe(scope, async () => {
      // A statement that waited for its turn past the transaction's end does not run outside it.
      if (!scope.active) throw new Error('The transaction has already finished');
      await this.#limit(scope.client);
      return statement(scope.client);
    });
  }

  /** Runs one statement on a pooled connection given the current row scope. */
  async #onPooled<R>(work: (client: pg.PoolClient) => Promise<R>): Promise<R> {
    const client = await this.#pool.connect();
    let broken = false;
    try {
      await this.#limit(client);
      return await work(client);
    } catch (error) {
      // A connection that failed mid-statement (rather than a statement PostgreSQL refused) is not reused.
      broken = !(error instanceof pg.DatabaseError);
      throw error;
    } finally {
      client.release(broken || undefined);
    }
  }

  /** Gives `client` the current row scope unless it has it already. */
  async #limit(client: pg.ClientBase): Promise<void> {
    const scope = this.#rows.getStore() ?? null;
    const key = scopeKey(scope);
    if (this.#scoped.get(client) === key) return;
    this.#scoped.delete(client);
    const workspace = scope && scope !== 'platform' ? scope.workspaceId : '';
    await client.query(SET_SCOPE, [workspace, scope === 'platform' ? 'on' : 'off']);
    this.#scoped.set(client, key);
  }

  /**
   * Runs one statement of a transaction (its row scope, then the statement), after the one sent
   * before it has finished: a transaction's statements go one at a time on its connection even
   * when code inside it starts one without waiting (a settings cache refreshing in the background).
   * Otherwise two statements could set their row scopes first and then both run under the
   * second's, and the first would see none of its workspace's rows. A serialization failure or
   * deadlock marks the whole transaction to run again.
   */
  #observe<R>(scope: Scope, work: () => Promise<R>): Promise<R> {
    const run = async () => {
      try {
        return await work();
      } catch (error) {
        if (isTransactionConflict(error)) scope.retry = true;
        throw error;
      }
    };
    const result = scope.tail.then(run);
    scope.tail = result.then(() => undefined, () => undefined);
    return result;
  }

  #translate(sql: string): string {
    let text = this.#translations.get(sql);
    if (text === undefined) {
      text = toPositional(sql);
      if (this.#translations.size >= TRANSLATIONS_KEPT) this.#translations.delete(this.#translations.keys().next().value!);
      this.#translations.set(sql, text);
    }
    return text;
  }

  #track<T>(work: () => Promise<T>): Promise<T> {
    // Work inside an open transaction belongs to it, which is tracked already.
    if (this.#closed && !this.#scope.getStore()?.active) return Promise.reject(new CharlaFailure('offline', 'The database is closed'));
    const promise = work();
    this.#inFlight.add(promise);
    const forget = () => void this.#inFlight.delete(promise);
    promise.then(forget, forget);
    return promise;
  }
}

