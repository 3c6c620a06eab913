/**
 * One server process's share of the multi-process PostgreSQL tests, run as its own Node process:
 *   migrate URL            applies the migrations and prints the versions this process applied
 *   write URL WORKSPACE N  appends N two-event transactions at once and prints the seqs it heard
 *   work URL               runs `test.count` jobs until none is left and prints the ones it ran
 * Each prints one JSON line on stdout.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { PgDatabase } from '../../server/src/db-postgres.js';
import { JobQueue } from '../../server/src/jobs/queue.js';
import { migrate } from '../../server/src/migrations.js';
import { Store, type NewEvent } from '../../server/src/store/index.js';

const [mode, url, workspaceId, count] = process.argv.slice(2);

if (mode === 'migrate') {
  const db = await PgDatabase.open(url!);
  try {
    console.log(JSON.stringify({ applied: await migrate(db) }));
  } finally {
    await db.close();
  }
} else if (mode === 'write') {
  const store = await Store.connect(url!);
  const heard: number[] = [];
  store.onCommit((events) => heard.push(...events.filter((e) => e.workspaceId === workspaceId).map((e) => e.event.seq)));
  await Promise.all(
    Array.from({ length: Number(count) }, (_, index) =>
      store.transaction(async (scope) => {
        for (const n of [1, 2]) {
          scope.events.append(workspaceId!, {
            type: 'workspace.updated', conversationId: null, contactId: null, visibility: 'agents', data: { writer: `${process.pid}:${index}`, n },
          } as unknown as NewEvent);
        }
      }),
    ),
  );
  await store.close();
  console.log(JSON.stringify({ heard }));
} else if (mode === 'work') {
  const store = await Store.connect(url!);
  const ran: number[] = [];
  const queue = new JobQueue(store, { logger: { info() {}, warn() {}, error: console.error }, idlePollMs: 20 });
  queue.register('test.count', { handle: async (job) => void ran.push((job.payload as { n: number }).n) });
  queue.start();
  const left = async () => (await store.jobs.list({ kind: 'test.count' })).filter((job) => job.state !== 'done').length;
  while ((await left()) > 0) await delay(50);
  await queue.stop();
  await store.close();
  console.log(JSON.stringify({ ran }));
} else {
  console.error(`Unknown mode ${mode}`);
  process.exit(2);
}
