/**
 * A throwaway Redis for tests: Debian's `redis-server` on loopback at a free port, its files in a
 * temporary folder, nothing saved to disk; stopped and deleted when the test process exits (also
 * when it is interrupted). `redisUnavailable()` says why there is none (CI installs it, see .ci/run).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './postgres.js';

const BIN = process.env.CHARLA_REDIS_SERVER ?? '/usr/bin/redis-server';

/** Why no Redis can be started here, or null when one can. */
export function redisUnavailable(): string | null {
  return existsSync(BIN) ? null : `redis-server is not installed (no ${BIN}): install it (Debian: apt-get install redis-server)`;
}

export interface TestRedis {
  url: string;
  /** Stops it (the test process's exit does too). */
  stop(): void;
}

/** Answers PING with +PONG: the server is up. */
function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts a fresh Redis; resolves once it answers. */
export async function startRedis(): Promise<TestRedis> {
  const unavailable = redisUnavailable();
  if (unavailable) throw new Error(unavailable);
  const dir = mkdtempSync(join(tmpdir(), 'charla-redis-'));
  const port = await freePort();
  const child: ChildProcess = spawn(
    BIN,
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'warning'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stop);
  // A test process stopped from outside (a timeout, Ctrl-C) stops its Redis too.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stop();
      process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
    });
  }
  for (let attempt = 0; !(await pong(port)); attempt += 1) {
    if (child.exitCode !== null || attempt > 100) {
      stop();
      throw new Error(`redis-server did not start: ${stderr.trim() || `exit code ${child.exitCode}`}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url: `redis://127.0.0.1:${port}`, stop };
}
