/**
 * A broadcast survives its server being killed mid-send: a new server on the same database
 * finishes it, and nobody gets the template twice. A send whose answer the kill lost (and any in
 * flight with it) stays `sending`, never sent again, until Meta's status webhook names it by its
 * callback data.
 * Real processes (tests/support/broadcast-server.ts), SIGKILL, the fake Graph API.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Broadcast, BroadcastRecipient } from '@charla/protocol';
import { startFakeGraph, type FakeGraph } from '../support/fake-graph.js';
import { postWebhook, waStatuses, WA } from '../support/channels.js';
import { api, databaseOption, eventually, startServer } from './helpers.js';

const children = new Set<ChildProcess>();
let graph: FakeGraph;
let dir: string;
after(async () => {
  for (const child of children) child.kill('SIGKILL');
  await graph?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Starts a server process on the database at `dbPath`; resolves with its URL once it listens. */
async function serverProcess(options: Record<string, unknown>): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/broadcast-server.ts', JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{"port"'));
      if (line) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`The server process exited with ${code}: ${err}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

test('killed mid-send, the broadcast is finished by the next server and nobody gets it twice', async () => {
  graph = await startFakeGraph();
  dir = await mkdtemp(join(tmpdir(), 'charla-broadcast-'));
  const setup = await startServer({ dir, server: { graphUrl: graph.url } });
  const { dbPath } = setup;
  const admin = setup.acme.admin.token;
  graph.grant(WA.accessToken, WA.phoneNumberId, { display_phone_number: '+1 555-078-3881', verified_name: 'Acme' });
  assert.equal((await api(setup.url, '/api/v1/channels/whatsapp', { token: admin, method: 'PUT', body: WA })).status, 200);
  assert.equal((await api(setup.url, '/api/v1/channels/whatsapp/templates/sync', { token: admin, method: 'POST' })).status, 200);
  const rows = Array.from({ length: 200 }, (_, i) => `Cliente${i},+57302${String(3_000_000 + i).padStart(7, '0')},,restart`);
  const imported = await api(setup.url, '/api/v1/contacts/import', { token: admin, method: 'POST', body: ['name,phone,email,tags', ...rows].join('\n'), headers: { 'content-type': 'text/csv' } });
  assert.equal(imported.status, 200);
  assert.equal((await api(setup.url, '/api/v1/broadcasts/settings', { token: admin, method: 'PUT', body: { messagesPerSecond: 50 } })).status, 200);
  await setup.close();

  const options = { dbPath, ...(await databaseOption(dbPath)), staticDir: join(dir, 'no-static'), graphUrl: graph.url, jobLeaseMs: 1000, jobBackoffMs: 20, broadcastNotifyMs: 20 };
  const first = await serverProcess(options);
  const created = await api(first.url, '/api/v1/broadcasts', {
    token: admin, method: 'POST',
    body: { name: 'Reinicio', template: { name: 'order_update', language: 'es_MX' }, parameters: [{ field: 'name' }, { text: 'R-1' }], audience: { filter: { tags: ['restart'] } } },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const broadcast = created.body as Broadcast;
  const sends = () => graph.sent('/messages').filter((r) => r.body?.type === 'template');

  // Meta takes the 61st send but its answer never comes back: the server dies waiting for it.
  await eventually(() => sends().length >= 60, 20_000, '60 sends');
  graph.stallNext('/messages');
  await eventually(() => sends().length >= 61, 5000, 'the stalled send');
  const exited = new Promise((resolve) => first.child.once('exit', resolve));
  first.child.kill('SIGKILL');
  await exited;
  children.delete(first.child);
  const sentBeforeKill = sends().length;
  assert.ok(sentBeforeKill < 200, 'killed mid-send');

  const second = await serverProcess(options);
  const done = await eventually(async () => {
    const current = (await api(second.url, `/api/v1/broadcasts/${broadcast.id}`, { token: admin })).body as Broadcast;
    return current.state === 'done' && current;
  }, 60_000, 'the second server to finish the broadcast');

  const tos = sends().map((s) => s.body.to as string);
  assert.equal(new Set(tos).size, tos.length, 'nobody got the template twice');
  // Recipients taken when the server died (the stalled send, any whose answer came but was not
  // stored yet, any about to be posted) stay `sending`: Meta may have them, so none is sent again.
  assert.equal(done.counts.sent + done.counts.sending, 200, 'everyone is sent, or was in flight at the kill');
  const limbo = (await api(second.url, `/api/v1/broadcasts/${broadcast.id}/recipients?status=sending`, { token: admin })).body.recipients as BroadcastRecipient[];
  const stalled = sends()[60]!;
  assert.ok(limbo.some((r) => r.id === stalled.body.biz_opaque_callback_data), 'the stalled send is left sending');
  assert.ok(limbo.length <= 5, `at most the sends in flight at once, one per lane (${limbo.length})`);
  for (const r of limbo) assert.match(r.reason ?? '', /The server stopped while sending it/, 'it says why it is still sending');
  const posted = limbo.filter((r) => sends().some((s) => s.body.biz_opaque_callback_data === r.id));
  assert.equal(tos.length, 200 - (limbo.length - posted.length), 'everyone else got it once');

  // Meta's statuses for the ones it got name each recipient (biz_opaque_callback_data): they are resolved.
  const requests = posted.map((r) => sends().find((s) => s.body.biz_opaque_callback_data === r.id)!);
  const status = waStatuses(requests.map((request) => ({ id: request.messageId, status: 'delivered', recipient_id: request.body.to, biz_opaque_callback_data: request.body.biz_opaque_callback_data })));
  assert.equal((await postWebhook(second.url, 'whatsapp', status)).status, 200);
  const resolved = await eventually(async () => {
    const { recipients } = (await api(second.url, `/api/v1/broadcasts/${broadcast.id}/recipients?status=delivered`, { token: admin })).body as { recipients: BroadcastRecipient[] };
    return recipients.length === posted.length && recipients;
  }, 6000, 'the lost sends resolved by their statuses');
  for (const request of requests) {
    const recipient = resolved.find((r) => r.id === request.body.biz_opaque_callback_data)!;
    assert.equal(recipient.channelMessageId, request.messageId, 'it learns its message id from the status');
    assert.equal(recipient.reason, null, 'and has nothing left to explain');
  }
  second.child.kill('SIGKILL');
});
