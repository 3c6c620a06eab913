/**
 * The PostgreSQL store: the core story on a real PostgreSQL (a throwaway one on loopback, see
 * tests/support/postgres.ts), and the per-workspace event seq under concurrent writers.
 * Skipped, saying why, only when PostgreSQL is not installed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ChangeEvent } from '@charla/protocol';
import type { NewEvent } from '../../server/src/store/index.js';
import { toPositional } from '../../server/src/db-postgres.js';
import { SecretBox } from '../../server/src/secrets.js';
import { createWorkspace } from '../../server/src/services/workspaces.js';
import { Store } from '../../server/src/store/index.js';
import { postWebhook, startChannelTest, until, waText, type ChannelTest } from '../support/channels.js';
import { createMigratedTestDatabase, postgresUnavailable } from '../support/postgres.js';
import { api, clientId, connectAgent, recordEvents, request, startServer } from './helpers.js';

// Every server this file starts stores its data in PostgreSQL.
process.env.CHARLA_TEST_DATABASE = 'postgres';
const skip = postgresUnavailable() ?? false;
if (skip) console.log(`# PostgreSQL tests skipped: ${skip}`);

test('SQLite parameters become PostgreSQL ones, never inside literals, identifiers or comments', () => {
  assert.equal(toPositional('SELECT ? , ?'), 'SELECT $1 , $2');
  assert.equal(toPositional("SELECT '?', \"a?\" -- ?\n, ? /* ? */"), "SELECT '?', \"a?\" -- ?\n, $1 /* ? */");
  assert.equal(toPositional("WHERE a = ?1 AND b = ?2 OR c = ?1 AND d = ?"), 'WHERE a = $1 AND b = $2 OR c = $1 AND d = $3');
  assert.equal(toPositional("SELECT 'it''s ?' || ?"), "SELECT 'it''s ?' || $1");
});

describe('the core story on PostgreSQL', { skip }, () => {
  let kit: ChannelTest;
  before(async () => {
    kit = await startChannelTest();
  });
  after(() => kit?.close());

  test('an inbound WhatsApp message reaches the agent live; the reply is stored; two contacts merge', async () => {
    const { url, acme } = kit.test;
    assert.equal(kit.test.server.store.engine, 'postgres');
    const token = acme.agent.token;
    const agent = await connectAgent(url, token);
    const events = recordEvents(agent);

    const webhook = await postWebhook(url, 'whatsapp', waText('5215512345678', 'Lucía Torres', '¿Tienen envío a Puebla?'));
    assert.equal(webhook.status, 200);
    const created = await until(async () => events.find((e) => e.type === 'message.upserted' && JSON.stringify(e.data).includes('¿Tienen envío a Puebla?')), 'the message reaches the agent socket');
    const conversationId = created.conversationId as string;

    const contacts = await api(url, `/api/v1/contacts?query=${encodeURIComponent('Lucía')}`, { token });
    assert.equal(contacts.status, 200);
    const lucia = contacts.body.contacts[0];
    assert.equal(lucia.name, 'Lucía Torres');

    const reply = await request(agent, 'message.send', { conversationId, clientId: clientId(), body: 'Sí, en 2 días.' });
    assert.equal(reply.body, 'Sí, en 2 días.');
    const thread = await api(url, `/api/v1/conversations/${conversationId}/messages?limit=100`, { token });
    assert.deepEqual(thread.body.messages.filter((m: any) => m.type === 'text').map((m: any) => m.body), ['¿Tienen envío a Puebla?', 'Sí, en 2 días.']);

    // The same person writes from another number: an agent merges the two contacts.
    await postWebhook(url, 'whatsapp', waText('5215587654321', 'Lucia T.', 'Soy Lucía, desde otro número'));
    const other = await until(async () => (await api(url, `/api/v1/contacts?query=${encodeURIComponent('Lucia T.')}`, { token })).body.contacts[0], 'the second contact');
    const merged = await api(url, `/api/v1/contacts/${lucia.id}/merge`, { token, method: 'POST', body: { mergeId: other.id } });
    assert.equal(merged.status, 200, JSON.stringify(merged.body));
    const conversations = await api(url, `/api/v1/conversations?status=all&limit=100`, { token });
    const theirs = conversations.body.conversations.filter((c: any) => c.contactId === lucia.id);
    assert.equal(theirs.length, 2, 'both conversations now belong to the survivor');
    const gone = await api(url, `/api/v1/contacts/${other.id}`, { token });
    assert.equal(gone.status, 404);

    // The events the agent saw are in seq order with no gap, and resync from the log agrees.
    const seqs = events.map((e: ChangeEvent) => e.seq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
    const sync = await request(agent, 'sync', { since: seqs[0]! - 1 });
    assert.deepEqual(sync.events.map((e: ChangeEvent) => e.seq).slice(0, seqs.length), seqs.filter((seq, index) => index === 0 || seq !== seqs[index - 1]));
  });
});

describe('the event seq under concurrent writers', { skip }, () => {
  test('200 transactions appending at once get consecutive seqs, and their events reach listeners in seq order', async () => {
    const test = await startServer();
    try {
      const { store } = test.server;
      const workspaceId = test.acme.workspace.id;
      const before = await store.events.since(workspaceId, 0, 1);
      const heard: number[] = [];
      const stop = store.onCommit((events) => heard.push(...events.filter((e) => e.workspaceId === workspaceId).map((e) => e.event.seq)));
      const seqs = await Promise.all(
        Array.from({ length: 200 }, (_, index) =>
          store.transaction(async (scope) => {
            // Two events per transaction: each transaction's seqs are consecutive too.
            for (const n of [1, 2]) {
              scope.events.append(workspaceId, {
                type: 'workspace.updated', conversationId: null, contactId: null, visibility: 'agents', data: { writer: index, n },
              } as unknown as NewEvent);
            }
          }),
        ),
      ).then(async () => (await store.events.since(workspaceId, before.seq, 1000)).events.map((e) => e.seq));
      stop();
      assert.equal(seqs.length, 400);
      assert.deepEqual(seqs, Array.from({ length: 400 }, (_, i) => before.seq + 1 + i), 'no gap, no duplicate');
      assert.deepEqual(heard, seqs, 'listeners hear every event once, in seq order');
      const log = (await store.events.since(workspaceId, before.seq, 1000)).events;
      for (let i = 0; i < log.length; i += 2) {
        assert.equal((log[i]!.data as any).writer, (log[i + 1]!.data as any).writer, 'a transaction\'s events are adjacent');
      }
    } finally {
      await test.close();
    }
  });

  test("lots of different workspaces side by side, each under its workspace's lock and REPEATABLE READ, do not collide", async () => {
    const url = await createMigratedTestDatabase();
    const store = await Store.connect(url, SecretBox.fromKeys('cd'.repeat(32)));
    try {
      const workspaces = await Promise.all(['Uno', 'Dos', 'Tres', 'Cuatro'].map(async (name) =>
        (await createWorkspace(store, { name, widgetKey: `lots-${name}`, agents: [{ name: 'Ana', email: `ana@${name}.test`, role: 'admin' }] })).workspace));
      const before = await Promise.all(workspaces.map(async (workspace) => (await store.events.since(workspace.id, 0, 1)).seq));
      let runs = 0;
      const lots = (isolation: 'serializable' | 'repeatable read') => Promise.all(
        workspaces.flatMap((workspace) =>
          Array.from({ length: 10 }, (_, index) =>
            store.transaction(async (scope) => {
              runs += 1;
              // As a lot does: read the workspace's rows, then write beside them.
              await scope.events.since(workspace.id, 0, 50);
              scope.events.append(workspace.id, {
                type: 'workspace.updated', conversationId: null, contactId: null, visibility: 'agents', data: { index },
              } as unknown as NewEvent);
            }, { workspaceId: workspace.id, isolation }),
          ),
        ),
      );
      await lots('repeatable read');
      assert.equal(runs, 40, 'each of the 40 transactions ran once');
      for (const [i, workspace] of workspaces.entries()) {
        const seqs = (await store.events.since(workspace.id, before[i]!, 100)).events.map((e) => e.seq);
        assert.deepEqual(seqs, Array.from({ length: 10 }, (_, n) => before[i]! + 1 + n), `${workspace.name}: no gap, no duplicate`);
      }
      runs = 0;
      await lots('serializable');
      assert.ok(runs > 40, `the same lots under SERIALIZABLE collide through the pages they share (${runs} runs for 40)`);
    } finally {
      await store.close();
    }
  });

  test('writers that name their workspace take turns across processes: none collides and runs again', async () => {
    const url = await createMigratedTestDatabase();
    // Two stores, two pools: two server processes on one database.
    const processes = await Promise.all([0, 1].map(() => Store.connect(url, SecretBox.fromKeys('cd'.repeat(32)))));
    try {
      const { workspace } = await createWorkspace(processes[0]!, { name: 'Turns', widgetKey: 'turns', agents: [{ name: 'Ana', email: 'ana@turns.test', role: 'admin' }] });
      const before = await processes[0]!.events.since(workspace.id, 0, 1);
      let runs = 0;
      await Promise.all(
        processes.flatMap((store, process) =>
          Array.from({ length: 30 }, (_, index) =>
            store.transaction(async (scope) => {
              runs += 1;
              // A read first, as the webhook path does: the snapshot is taken before the counter is bumped.
              await scope.events.since(workspace.id, 0, 1);
              scope.events.append(workspace.id, {
                type: 'workspace.updated', conversationId: null, contactId: null, visibility: 'agents', data: { process, index },
              } as unknown as NewEvent);
            }, { workspaceId: workspace.id }),
          ),
        ),
      );
      assert.equal(runs, 60, 'each of the 60 transactions ran once (a collision would have run it again)');
      const seqs = (await processes[1]!.events.since(workspace.id, before.seq, 100)).events.map((e) => e.seq);
      assert.deepEqual(seqs, Array.from({ length: 60 }, (_, i) => before.seq + 1 + i), 'no gap, no duplicate');
    } finally {
      await Promise.all(processes.map((store) => store.close()));
    }
  });
});
