/**
 * Runs a command with one throwaway PostgreSQL shared by every test process it starts:
 *   node --import tsx tests/support/with-postgres.ts COMMAND [ARGS…]
 * The command sees CHARLA_TEST_DATABASE=postgres (servers under test store their data there, a
 * database each) and CHARLA_TEST_DATABASE_URL (the superuser URL). With CHARLA_TEST_DATABASE_URL
 * already set, that server is used and nothing is started.
 *
 * When PostgreSQL cannot be had, it says why and exits 0 (skipped), unless CHARLA_REQUIRE_POSTGRES
 * is set (CI installs it, so there a missing PostgreSQL is a failure).
 */
import { spawn } from 'node:child_process';
import { postgresUnavailable, startPostgres } from './postgres.js';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('Usage: with-postgres.ts COMMAND [ARGS…]');
  process.exit(2);
}
const unavailable = postgresUnavailable();
if (unavailable) {
  console.log(`# The server suite on PostgreSQL is skipped: ${unavailable}`);
  process.exit(process.env.CHARLA_REQUIRE_POSTGRES ? 1 : 0);
}
const started = process.env.CHARLA_TEST_DATABASE_URL ? null : await startPostgres();
const stop = () => started?.stop();
process.once('exit', stop);
const child = spawn(command, args, {
  stdio: 'inherit',
  env: { ...process.env, CHARLA_TEST_DATABASE: 'postgres', CHARLA_TEST_DATABASE_URL: process.env.CHARLA_TEST_DATABASE_URL ?? started!.url },
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
