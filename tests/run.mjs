#!/usr/bin/env node
// `npm test`: builds what the end-to-end test serves, then runs every suite in turn —
// server and client (node's test runner), the server suite again on PostgreSQL (a throwaway one
// started from the installed binaries, see tests/support/with-postgres.ts), the cluster (three
// server processes on PostgreSQL and Redis), components (web-test-runner in Chromium), end to end,
// and packaging (the packed packages installed into React, Vue and plain HTML hosts).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chrome = process.env.CHROME_PATH ?? '/usr/bin/chromium';
if (!existsSync(chrome)) {
  console.error(
    `Charla's component and end-to-end tests need Chromium, and there is none at ${chrome}.\n` +
      'Install it (Debian/Ubuntu: `sudo apt-get install -y chromium`) or point CHROME_PATH at a Chromium or Chrome binary.',
  );
  process.exit(1);
}

const suites = [
  ['build', ['run', 'build']],
  ['server and client', ['run', 'test:server']],
  ['server on PostgreSQL', ['run', 'test:server:postgres']],
  ['cluster (three processes on PostgreSQL and Redis)', ['run', 'test:cluster']],
  ['components', ['run', 'test:components']],
  ['end to end', ['run', 'test:e2e']],
  ['packaging', ['run', 'test:packaging']],
];

// No suite takes near this long; one that does is stuck (a process left running keeps a test file
// open) and is stopped with a line that says which.
const SUITE_LIMIT_MS = 25 * 60_000;

for (const [name, args] of suites) {
  console.log(`\n▶ ${name}`);
  const result = spawnSync('npm', args, {
    stdio: 'inherit',
    env: { ...process.env, CHROME_PATH: chrome },
    timeout: SUITE_LIMIT_MS,
    killSignal: 'SIGKILL',
  });
  if (result.error?.code === 'ETIMEDOUT') {
    console.error(`\n✖ ${name} did not finish in ${SUITE_LIMIT_MS / 60_000} minutes and was stopped`);
    process.exit(1);
  }
  if (result.status !== 0) {
    console.error(`\n✖ ${name} failed`);
    process.exit(result.status ?? 1);
  }
}
console.log('\n✔ all suites passed');
