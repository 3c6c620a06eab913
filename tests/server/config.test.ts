import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';

// The CLI as an operator runs it: a bad setting stops it before it opens anything, with one line
// naming the setting and what to write instead, exit code 2, and no stack trace.
const cli = fileURLToPath(new URL('../../server/src/cli.ts', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'charla-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function start(env: Record<string, string>, args: string[] = []): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0', '--db', join(dir, 'charla.db'), ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    // A server that started is stopped: the test is about the ones that must not start. (It may
    // print other lines first, the demo's local SMTP server say.)
    child.stdout.on('data', () => stdout.includes('Charla is running') && child.kill('SIGTERM'));
    child.on('close', (code) => resolve({ code, stderr, stdout }));
  });
}

describe('bad settings stop the server with one clear line', () => {
  const cases: Array<[string, Record<string, string>, string[], RegExp]> = [
    ['an admin token shorter than 16 characters (and never echoed)', { CHARLA_ADMIN_TOKEN: 'walk-admin' }, ['--demo'], /^Invalid CHARLA_ADMIN_TOKEN: 10 characters \(use 16 to 128 characters/],
    ['a platform key shorter than 32 characters', { CHARLA_PLATFORM_KEY: 'short-platform-key' }, [], /^Invalid CHARLA_PLATFORM_KEY: 18 characters \(use 32 to 256 characters/],
    ['a port out of range', { PORT: '70000' }, [], /^Invalid --port: "70000" \(use a port number from 0 to 65535\)$/],
    ['a Graph URL that is no http(s) URL', { CHARLA_GRAPH_URL: 'graph.facebook.com' }, [], /^Invalid CHARLA_GRAPH_URL: "graph.facebook.com" \(use an http\(s\) URL/],
    ['an OpenAI base URL that is no URL', { OPENAI_BASE_URL: 'localhost:1234' }, [], /^Invalid OPENAI_BASE_URL/],
    ['a session lifetime that is no number', { CHARLA_VISITOR_SESSION_HOURS: 'forever' }, [], /^Invalid CHARLA_VISITOR_SESSION_HOURS: "forever" \(use a number of hours above 0/],
    ['a media size that is no whole number', { CHARLA_MEDIA_MAX_BYTES: '25MB' }, [], /^Invalid CHARLA_MEDIA_MAX_BYTES: "25MB"/],
    ['a database URL that is no postgres:// URL (its password never echoed)', { CHARLA_DATABASE_URL: 'mysql://root:s3cret@db/charla' }, [], /^Invalid CHARLA_DATABASE_URL: 29 characters \(use a URL such as postgres:\/\//],
    ['a --database-url without a host', {}, ['--database-url', 'postgres:///charla'], /^Invalid --database-url: 18 characters/],
    ['a Redis URL that is no redis:// URL (its password never echoed)', { CHARLA_REDIS_URL: 'http://:s3cret@cache:6379' }, [], /^Invalid CHARLA_REDIS_URL: 25 characters \(use a URL such as redis:\/\/localhost:6379/],
    ['a --redis-url without a host', {}, ['--redis-url', 'redis://'], /^Invalid --redis-url: 8 characters/],
    ['an allowed origin that is no origin', { CHARLA_ALLOWED_ORIGINS: 'https://admin.example.com,admin.example.com/panel' }, [], /^Invalid CHARLA_ALLOWED_ORIGINS: "admin.example.com\/panel" is not an origin/],
    ['a secret key that is not 32 bytes (and never echoed)', { CHARLA_SECRET_KEY: 'walk-admin-secret' }, [], /^Invalid CHARLA_SECRET_KEY: a key of 17 characters \(use 64 hexadecimal characters/],
    ['PostgreSQL without a secret key to seal channel secrets', { CHARLA_DATABASE_URL: 'postgres://charla@127.0.0.1:1/charla' }, [], /^CHARLA_SECRET_KEY is not set: on PostgreSQL every server process seals channel secrets with the same key/],
    ['a limit that is no whole number', { CHARLA_LIMIT_IMPORT_ROWS: 'lots' }, [], /^Invalid CHARLA_LIMIT_IMPORT_ROWS: lots \(use a whole number of 1 or more\)$/],
  ];
  for (const [what, env, args, expected] of cases) {
    test(what, async () => {
      // --port 0 is on the command line: the port case puts its bad value there instead.
      const result = env.PORT ? await start({}, ['--port', env.PORT, ...args]) : await start(env, args);
      assert.equal(result.code, 2, `exit code 2, got ${result.code}: ${result.stderr}`);
      const lines = result.stderr.trim().split('\n');
      assert.equal(lines.length, 1, `one line, not:\n${result.stderr}`);
      assert.match(lines[0]!, expected);
      assert.doesNotMatch(result.stderr, /\bat \S+ \(|node:internal/, 'no stack trace');
      assert.doesNotMatch(result.stderr, /walk-admin/, 'a secret is never printed');
      assert.equal(result.stdout, '', 'nothing started');
    });
  }

  test('a database path whose folder cannot be made', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const result = await start({}, ['--db', join(file, 'charla.db')]);
    assert.equal(result.code, 2);
    assert.match(result.stderr.trim(), /^Invalid --db: cannot write to the folder .*a-file \(\w+\); choose a writable path/);
    assert.equal(result.stderr.trim().split('\n').length, 1);
  });

  test('a Redis that does not answer stops it with one line naming its address', async () => {
    const result = await start({ CHARLA_REDIS_URL: 'redis://:s3cret@127.0.0.1:1' });
    assert.equal(result.code, 1, `exit code 1, got ${result.code}: ${result.stderr}`);
    assert.match(result.stderr.trim(), /^Charla could not start: Redis at 127\.0\.0\.1:1 is unreachable/);
    assert.equal(result.stderr.trim().split('\n').length, 1, `one line, not:\n${result.stderr}`);
    assert.doesNotMatch(result.stderr, /s3cret/, 'the password is never printed');
  });

  test('good settings start it', async () => {
    const result = await start({ CHARLA_ADMIN_TOKEN: 'a-long-enough-admin-token', CHARLA_MEDIA_ALLOW_LOCAL: '0' }, ['--demo']);
    assert.match(result.stdout, /Charla is running/);
  });
});
