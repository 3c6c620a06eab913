/**
 * A throwaway PostgreSQL for tests: `initdb` into a temporary folder, started with `pg_ctl` on
 * loopback at a free port, stopped and deleted when the test process exits. One per test process;
 * each server under test gets its own fresh database in it.
 *
 * `CHARLA_TEST_DATABASE_URL` (a superuser's URL, e.g. postgres://postgres@127.0.0.1:5432/postgres)
 * uses a running server instead. Without either, `postgresUnavailable()` says why, so a suite can
 * skip with that message (CI installs the binaries, see .ci/run).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PgDatabase } from '../../server/src/db-postgres.js';
import { migrate } from '../../server/src/migrations.js';

const BIN = process.env.CHARLA_POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';

/** Why no PostgreSQL can be had here, or null when one can. */
export function postgresUnavailable(): string | null {
  if (process.env.CHARLA_TEST_DATABASE_URL) return null;
  if (!existsSync(join(BIN, 'initdb')) || !existsSync(join(BIN, 'pg_ctl'))) {
    return `PostgreSQL 15 is not installed (no ${BIN}/initdb): install it (Debian: apt-get install postgresql) or set CHARLA_TEST_DATABASE_URL`;
  }
  if (process.getuid?.() === 0 && postgresUser() === null) return 'Running as root and there is no "postgres" user to run PostgreSQL as';
  return null;
}

/** PostgreSQL refuses to run as root: as root, it runs as the `postgres` user the package creates. */
function postgresUser(): { uid: number; gid: number } | null {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((entry) => entry.startsWith('postgres:'));
  if (!line) return null;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** A TCP port free on loopback now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

let cluster: Promise<string> | null = null;

/** The superuser URL of this process's PostgreSQL, started on first use. */
function adminUrl(): Promise<string> {
  if (process.env.CHARLA_TEST_DATABASE_URL) return Promise.resolve(process.env.CHARLA_TEST_DATABASE_URL);
  cluster ??= startCluster();
  return cluster;
}

async function startCluster(): Promise<string> {
  const { url, stop } = await startPostgres();
  process.once('exit', stop);
  // A test process stopped from outside (a timeout, Ctrl-C) stops its PostgreSQL too.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stop();
      process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
    });
  }
  return url;
}

/**
 * Starts a throwaway PostgreSQL: its superuser URL, and `stop` (synchronous, so it can run at
 * exit), which stops it and deletes its data.
 */
export async function startPostgres(): Promise<{ url: string; stop(): void }> {
  const unavailable = postgresUnavailable();
  if (unavailable) throw new Error(unavailable);
  const dir = mkdtempSync(join(tmpdir(), 'charla-pg-'));
  const data = join(dir, 'data');
  const user = process.getuid?.() === 0 ? postgresUser() : null;
  if (user) chownSync(dir, user.uid, user.gid);
  const run = (binary: string, args: string[]) => {
    const result = spawnSync(join(BIN, binary), args, { cwd: dir, encoding: 'utf8', ...(user ?? {}) });
    if (result.status !== 0) throw new Error(`${binary} failed: ${result.stderr || result.stdout}`);
  };
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-locale', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  // Durability off: the data is thrown away anyway.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=32MB -c max_connections=200`;
  run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', 'start']);
  const stop = () => {
    try {
      execFileSync(join(BIN, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop'], { stdio: 'ignore', ...(user ?? {}) });
    } catch {
      // Already stopped.
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
}

let databases = 0;

/** A fresh database (its own name) and its URL: empty, or a copy of the database `template`. */
export async function createTestDatabase(template?: string): Promise<string> {
  const admin = await adminUrl();
  const name = `charla_test_${process.pid}_${++databases}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The role test servers connect as: it owns nothing, so row-level security holds it. */
export const SERVER_ROLE = 'charla_server';

let serverRole: Promise<void> | null = null;

/**
 * `url` (a database of this process's PostgreSQL, reached as the superuser) as the server role
 * reaches it, creating that role on first use. The superuser URL then serves as the admin URL:
 * it owns the tables and migrates them.
 */
export async function asServerRole(url: string): Promise<string> {
  serverRole ??= (async () => {
    const client = new pg.Client({ connectionString: await adminUrl() });
    await client.connect();
    try {
      await client.query(`CREATE ROLE ${SERVER_ROLE} LOGIN`);
    } catch (error) {
      // Another test process of the same PostgreSQL created it first.
      const code = (error as { code?: string }).code;
      if (code !== '42710' && code !== '23505') throw error;
    } finally {
      await client.end();
    }
  })();
  await serverRole;
  const server = new URL(url);
  server.username = SERVER_ROLE;
  server.password = '';
  return server.toString();
}

let migrated: Promise<string> | null = null;

/**
 * A fresh database with Charla's schema and its URL: a copy of one this process migrated once,
 * which is quicker than migrating each (servers still check their migrations when they start).
 */
export async function createMigratedTestDatabase(): Promise<string> {
  migrated ??= (async () => {
    const url = await createTestDatabase();
    const db = await PgDatabase.open(url);
    try {
      await migrate(db);
    } finally {
      await db.close();
    }
    return new URL(url).pathname.slice(1);
  })();
  return createTestDatabase(await migrated);
}

/** Whether the server tests run on PostgreSQL (`CHARLA_TEST_DATABASE=postgres`) rather than SQLite. */
export function testsUsePostgres(): boolean {
  return process.env.CHARLA_TEST_DATABASE === 'postgres';
}
