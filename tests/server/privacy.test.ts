/**
 * Privacy and accountability through the real server: one person's data export (inline and as a
 * background job, unzipped and read), erasure that leaves no trace of them in the database (the
 * SQLite file's bytes, or every PostgreSQL table) nor the media directory, resync still gap-free
 * afterwards, blocked handles, role checks with audited refusals, and the audit log itself.
 */
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { pruneExports } from '../../server/src/privacy/retention.js';
import { postWebhook, startChannelTest, until, waMessages, waText, type ChannelTest } from '../support/channels.js';
import { unzip } from '../support/zip.js';
import { connectInbox, INBOX, mailId, postMail, startSmtpSink, type SmtpSink } from '../support/mail.js';
import { databaseHits } from '../support/database-scan.js';
import { testsUsePostgres } from '../support/postgres.js';
import { api, connectAgent, request } from './helpers.js';

let kit: ChannelTest;
let url: string;
let admin: string;
let agent: string;
let viewer: string;
let sink: SmtpSink;
let inboxKey: string;

before(async () => {
  sink = await startSmtpSink();
  // Contacts with more than two messages are exported by a background job.
  kit = await startChannelTest({ server: { ai: { debounceMs: 50 }, dataExportInlineMessages: 2 } });
  url = kit.test.url;
  admin = kit.test.acme.admin.token;
  agent = kit.test.acme.agent.token;
  viewer = kit.test.acme.viewer.token;
  inboxKey = (await connectInbox(url, admin, { smtpUrl: sink.url })).ids.inboxKey;
});
after(async () => {
  await kit.close();
  await sink.close();
});

async function download(path: string, token: string): Promise<{ status: number; type: string | null; bytes: Buffer }> {
  const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, type: response.headers.get('content-type'), bytes: Buffer.from(await response.arrayBuffer()) };
}

/** Every file under `dir` (none when it does not exist). */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

async function mediaHits(needles: string[]): Promise<string[]> {
  const hits: string[] = [];
  for (const file of [...(await filesUnder(join(kit.test.dir, 'media'))), ...(await filesUnder(join(kit.test.dir, 'exports')))]) {
    const bytes = await readFile(file);
    for (const needle of needles) if (bytes.includes(Buffer.from(needle, 'utf8'))) hits.push(`${needle} in ${file}`);
  }
  return hits;
}

/** A WhatsApp customer with a unique marker in every field they have and every message they sent. */
async function markedCustomer(label: string) {
  const marker = `Zq${label}${randomInt(1e9, 9e9)}Mk`;
  const waId = `5215${randomInt(1e7, 9e7)}`;
  const name = `Ana ${marker}`;
  const email = `${marker.toLowerCase()}@correo.test`;
  kit.graph.media.set(`media-${marker}`, { mimeType: 'image/jpeg', bytes: Buffer.from(`jpeg bytes of ${marker}`) });
  assert.equal((await postWebhook(url, 'whatsapp', waText(waId, name, `Hola, soy ${marker}, mi pedido no llegó`))).status, 200, 'webhook accepted');
  assert.equal(
    (await postWebhook(url, 'whatsapp', waMessages(waId, name, [{ type: 'image', image: { id: `media-${marker}`, mime_type: 'image/jpeg', caption: `Recibo ${marker}` } }]))).status,
    200,
    'media webhook accepted',
  );
  const contact = await until(async () => (await api(url, `/api/v1/contacts?query=${waId}`, { token: agent })).body.contacts[0], 'contact created');
  const conversations = await api(url, `/api/v1/conversations?status=all&query=${waId}`, { token: agent });
  const conversation = conversations.body.conversations.find((c: any) => c.contactId === contact.id);
  assert.ok(conversation, 'the conversation exists');
  // The image is downloaded into the media directory.
  const image = await until(async () => {
    const messages = (await api(url, `/api/v1/conversations/${conversation.id}/messages?limit=100`, { token: agent })).body.messages;
    return messages.find((m: any) => m.type === 'image' && m.content?.media?.url);
  }, 'media downloaded');
  const patched = await api(url, `/api/v1/contacts/${contact.id}`, { token: agent, method: 'PATCH', body: { email, name } });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  const socket = await connectAgent(url, agent);
  await request(socket, 'note.create', { contactId: contact.id, body: `Nota sobre ${marker}` });
  socket.disconnect();
  let pipelines = (await api(url, '/api/v1/pipelines', { token: agent })).body as any[];
  if (pipelines.length === 0) {
    await api(url, '/api/v1/pipelines', { token: admin, method: 'POST', body: { name: 'Ventas', stages: [{ name: 'Nuevo' }] } });
    pipelines = (await api(url, '/api/v1/pipelines', { token: agent })).body;
  }
  const deal = await api(url, '/api/v1/deals', {
    token: agent, method: 'POST', body: { pipelineId: pipelines[0].id, title: `Pedido de ${marker}`, amount: 1200, currency: 'MXN', contactId: contact.id, conversationId: conversation.id },
  });
  assert.equal(deal.status, 201, JSON.stringify(deal.body));
  const task = await api(url, '/api/v1/tasks', { token: agent, method: 'POST', body: { title: `Llamar a ${marker}`, contactId: contact.id } });
  assert.equal(task.status, 201, JSON.stringify(task.body));
  const purchase = await api(url, '/api/v1/events', {
    token: agent, method: 'POST', body: { kind: 'purchase', contactId: contact.id, amount: 500, currency: 'MXN', reference: `ref-${marker}`, description: `Compra de ${marker}` },
  });
  assert.equal(purchase.status, 201, JSON.stringify(purchase.body));
  return { marker, waId, name, email, contact, conversation, image };
}

describe('data export of one contact', () => {
  test('an admin gets a zip with the contact, every message as JSON and CSV, notes, deals, tasks, purchases and media; it is audited', async () => {
    const person = await markedCustomer('exp');
    const answer = await download(`/api/v1/contacts/${person.contact.id}/data-export`, admin);
    assert.equal(answer.status, 200, answer.bytes.toString());
    assert.equal(answer.type, 'application/zip');
    const zip = await unzip(answer.bytes);
    const contactJson = JSON.parse(zip.get('contact.json')!.toString('utf8'));
    assert.equal(contactJson.contact.email, person.email);
    assert.equal(contactJson.contact.name, person.name);
    assert.ok(contactJson.identities.some((identity: any) => identity.handle === person.waId), 'the WhatsApp identity is exported');
    assert.ok(contactJson.notes.some((note: any) => note.body.includes(person.marker)), 'the note is exported');
    assert.ok(contactJson.deals.some((deal: any) => deal.title.includes(person.marker)), 'the deal is exported');
    assert.ok(contactJson.tasks.some((task: any) => task.title.includes(person.marker)), 'the task is exported');
    assert.ok(contactJson.purchases.some((p: any) => p.description.includes(person.marker)), 'the purchase is exported');
    const conversation = JSON.parse(zip.get(`conversations/${person.conversation.id}.json`)!.toString('utf8'));
    assert.ok(conversation.messages.some((m: any) => m.body.includes(`soy ${person.marker}`)), 'the text message is in the conversation');
    const csv = zip.get('messages.csv')!.toString('utf8');
    assert.match(csv.split('\n')[0]!, /^conversation_id,channel,created_at,direction/);
    assert.ok(csv.includes(`Recibo ${person.marker}`) && csv.includes(`soy ${person.marker}`), 'both messages are in the CSV');
    assert.equal(zip.get(`media/${person.image.id}`)?.toString('utf8'), `jpeg bytes of ${person.marker}`);
    const audit = await api(url, `/api/v1/audit?target=${person.contact.id}&action=contact.data_export`, { token: admin });
    assert.equal(audit.status, 200);
    assert.ok(audit.body.entries.some((e: any) => e.actorId === kit.test.acme.admin.agent.id && e.actorName === 'Acme Admin'), 'the export is in the audit log');
    // Rectification is on record: who changed which field from what to what.
    const edits = await api(url, `/api/v1/audit?target=${person.contact.id}&action=contact.update`, { token: admin });
    const edit = edits.body.entries.find((e: any) => e.data.changes?.email);
    assert.ok(edit, 'the email change is audited');
    assert.deepEqual(edit.data.changes.email, { from: null, to: person.email });
    assert.equal(edit.actorName, 'Acme Agent');
  });

  test('a large export runs as a background job: 202, polled until ready, then downloaded', async () => {
    const person = await markedCustomer('job');
    assert.equal((await postWebhook(url, 'whatsapp', waText(person.waId, null, 'a third message'))).status, 200, 'webhook accepted');
    const queued = await api(url, `/api/v1/contacts/${person.contact.id}/data-export`, { token: admin });
    assert.equal(queued.status, 202, JSON.stringify(queued.body));
    assert.equal(queued.headers.get('location'), `/api/v1/data-exports/${queued.body.id}`);
    const ready = await until(async () => {
      const status = await api(url, `/api/v1/data-exports/${queued.body.id}`, { token: admin });
      return status.body.state === 'ready' ? status.body : undefined;
    }, 'export ready');
    assert.equal(ready.contactId, person.contact.id);
    const file = await download(ready.downloadUrl, admin);
    assert.equal(file.status, 200);
    const zip = await unzip(file.bytes);
    assert.ok(zip.get('messages.csv')!.toString('utf8').includes(`soy ${person.marker}`), 'the job archive has the messages');
    assert.equal((await api(url, `/api/v1/data-exports/${queued.body.id}`, { token: agent })).status, 403, 'agents cannot poll an export');
    // Files are kept a day; then the job says to export again.
    assert.equal(await pruneExports({ mediaDir: join(kit.test.dir, 'media'), exportsDir: join(kit.test.dir, 'exports') }, Date.now() + 1000) > 0, true, 'files pruned');
    const expired = await api(url, `/api/v1/data-exports/${queued.body.id}`, { token: admin });
    assert.equal(expired.body.state, 'failed');
    assert.match(expired.body.error, /export again/);
    assert.equal((await download(ready.downloadUrl, admin)).status, 409);
    assert.equal((await api(url, `/api/v1/data-exports/${queued.body.id}`, { token: kit.test.globex.admin.token })).status, 404, 'another workspace cannot see it');
  });

  test('viewers and agents are refused data exports, viewers the bulk export; every refusal is audited; an agent may export in bulk', async () => {
    const person = await markedCustomer('deny');
    for (const token of [viewer, agent]) {
      const refused = await api(url, `/api/v1/contacts/${person.contact.id}/data-export`, { token });
      assert.equal(refused.status, 403, JSON.stringify(refused.body));
      assert.equal(refused.body.error.code, 'forbidden');
    }
    const bulk = await api(url, '/api/v1/contacts/export?format=json', { token: viewer });
    assert.equal(bulk.status, 403);
    const allowed = await api(url, '/api/v1/contacts/export?format=csv', { token: agent });
    assert.equal(allowed.status, 200);
    const refusals = await api(url, '/api/v1/audit?action=contact.data_export.refused&limit=100', { token: admin });
    const actors = refusals.body.entries.filter((e: any) => e.targetId === person.contact.id).map((e: any) => e.actorId).sort();
    assert.deepEqual(actors, [kit.test.acme.agent.agent.id, kit.test.acme.viewer.agent.id].sort());
    const bulkAudit = await api(url, '/api/v1/audit?action=contacts.export&limit=100', { token: admin });
    assert.ok(bulkAudit.body.entries.some((e: any) => e.action === 'contacts.export.refused' && e.actorId === kit.test.acme.viewer.agent.id), 'the viewer\'s refusal is audited');
    assert.ok(bulkAudit.body.entries.some((e: any) => e.action === 'contacts.export' && e.actorId === kit.test.acme.agent.agent.id), 'the agent\'s export is audited');
  });
});

describe('erasure', () => {
  test('leaves no trace of the person in the database or the media directory; resync stays gap-free; the audit keeps the fact', async () => {
    const person = await markedCustomer('era');
    const bystander = await markedCustomer('by');
    // A finished export job of the person, whose file must go too.
    const queued = await api(url, `/api/v1/contacts/${person.contact.id}/data-export?async=1`, { token: admin });
    await until(async () => (await api(url, `/api/v1/data-exports/${queued.body.id}`, { token: admin })).body.state === 'ready', 'export ready');
    const needles = [person.marker, person.waId, person.email];
    assert.ok((await databaseHits(kit.test.dbPath, needles)).length > 0, 'the marker is in the database before');
    assert.ok((await mediaHits([person.marker])).length > 0, 'the media file is there before');

    const erased = await api(url, `/api/v1/contacts/${person.contact.id}?erase=1&block=1`, { token: admin, method: 'DELETE' });
    assert.equal(erased.status, 200, JSON.stringify(erased.body));
    assert.equal(erased.body.contactId, person.contact.id);
    assert.equal(erased.body.conversations, 1);
    assert.equal(erased.body.messages, 2);
    assert.equal(erased.body.mediaFiles, 1);
    assert.equal(erased.body.handlesBlocked, 1);
    assert.ok(erased.body.eventsRedacted > 0, 'change-log entries were redacted');

    assert.deepEqual(await databaseHits(kit.test.dbPath, needles), []);
    assert.deepEqual(await mediaHits([person.marker]), []);
    // Only the person: the bystander's data is all there.
    assert.equal((await databaseHits(kit.test.dbPath, [bystander.marker, bystander.email])).length > 0, true, 'the bystander is untouched');
    assert.equal((await api(url, `/api/v1/contacts/${bystander.contact.id}`, { token: agent })).body.email, bystander.email);
    assert.equal((await api(url, `/api/v1/contacts/${person.contact.id}`, { token: agent })).status, 404);

    // A client resyncing from the start gets every seq once, in order, with no gap.
    const sync = await api(url, '/api/v1/events?since=0', { token: admin });
    const seqs: number[] = sync.body.events.map((e: any) => e.seq);
    assert.ok(seqs.length > 0, 'there are events');
    assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i));
    assert.equal(seqs[0], 1);
    assert.ok(sync.body.events.some((e: any) => e.type === 'redacted'), 'redacted placeholders keep their seq');
    assert.ok(sync.body.events.some((e: any) => e.type === 'contact.deleted' && e.data.contactId === person.contact.id), 'views hear of the erasure');
    assert.ok(!JSON.stringify(sync.body).includes(person.marker), 'nothing of the person is replayed');

    const audit = await api(url, `/api/v1/audit?target=${person.contact.id}&limit=100`, { token: admin });
    const erase = audit.body.entries.find((e: any) => e.action === 'contact.erase');
    assert.ok(erase, 'the erasure is audited');
    assert.equal(erase.actorId, kit.test.acme.admin.agent.id);
    assert.ok(audit.body.entries.some((e: any) => e.action === 'contact.update' && e.data.redacted === true), 'earlier entries keep the fact, not the data');
    assert.equal((await api(url, `/api/v1/data-exports/${queued.body.id}`, { token: admin })).status, 404, 'the export job is gone');
  });

  // SQLite's emptying of its log cannot go past a read older than the erasure (a long dashboard
  // read) nor run beside the background checkpoint: it said so (`busy`) and the erased rows stayed
  // in the log and the file. It is tried again until the log is empty.
  test('an erasure while an older read holds the log: the log is emptied once the read ends, and nothing of the person stays', {
    skip: testsUsePostgres() ? 'SQLite\'s log' : false,
  }, async () => {
    const person = await markedCustomer('held');
    const needles = [person.marker, person.waId, person.email];
    assert.ok((await databaseHits(kit.test.dbPath, needles)).length > 0, 'the marker is in the database before');
    const reader = new BetterSqlite3(kit.test.dbPath, { readonly: true });
    try {
      reader.prepare('BEGIN').run();
      reader.prepare('SELECT COUNT(*) FROM messages').get();
      const erasing = api(url, `/api/v1/contacts/${person.contact.id}?erase=1`, { token: admin, method: 'DELETE' });
      // Past the connection's busy timeout (5 s): the first emptying gives up while the read lasts.
      await new Promise((resolve) => setTimeout(resolve, 5_500));
      reader.prepare('COMMIT').run();
      const erased = await erasing;
      assert.equal(erased.status, 200, JSON.stringify(erased.body));
    } finally {
      reader.close();
    }
    assert.deepEqual(await databaseHits(kit.test.dbPath, needles), []);
  });

  test('an email customer goes with their attachments, in the export first and then from the media directory', async () => {
    const marker = `Zqmail${randomInt(1e9, 9e9)}Mk`;
    const address = `${marker.toLowerCase()}@cliente.test`;
    const raw = [
      `From: Eva ${marker} <${address}>`, `To: ${INBOX.address}`, `Subject: Factura ${marker}`, `Message-ID: ${mailId()}`,
      'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"', '',
      '--b', 'Content-Type: text/plain; charset=utf-8', '', `Hola, soy ${marker}`,
      '--b', 'Content-Type: application/pdf; name="f.pdf"', 'Content-Disposition: attachment; filename="f.pdf"', 'Content-Transfer-Encoding: base64', '',
      Buffer.from(`%PDF factura de ${marker}`).toString('base64'), '--b--', '',
    ].join('\r\n');
    const mail = await postMail(url, inboxKey, raw);
    assert.equal(mail.body.outcome, 'received', JSON.stringify(mail.body));
    const contact = (await api(url, `/api/v1/contacts?query=${encodeURIComponent(address)}`, { token: agent })).body.contacts[0];
    assert.ok(contact, 'the sender is a contact');
    const zip = await unzip((await download(`/api/v1/contacts/${contact.id}/data-export`, admin)).bytes);
    const attachment = [...zip.keys()].find((name) => name.startsWith('media/'));
    assert.ok(attachment, 'the attachment is in the archive');
    assert.equal(zip.get(attachment)!.toString('utf8'), `%PDF factura de ${marker}`);
    assert.ok((await mediaHits([marker])).length > 0, 'the attachment is on disk before');

    const erased = await api(url, `/api/v1/contacts/${contact.id}?erase=1`, { token: admin, method: 'DELETE' });
    assert.equal(erased.body.mediaFiles, 1);
    assert.deepEqual(await mediaHits([marker]), []);
    assert.deepEqual(await databaseHits(kit.test.dbPath, [marker, address]), []);
  });

  test('a blocked handle writes again: nothing is stored; another person still is', async () => {
    const person = await markedCustomer('blk');
    await api(url, `/api/v1/contacts/${person.contact.id}?block=1`, { token: admin, method: 'DELETE' });
    assert.equal((await postWebhook(url, 'whatsapp', waText(person.waId, person.name, `Otra vez ${person.marker}`))).status, 200, 'Meta is answered');
    const other = `5216${randomInt(1e7, 9e7)}`;
    assert.equal((await postWebhook(url, 'whatsapp', waText(other, 'Luis', 'Hola'))).status, 200, 'Meta is answered');
    await until(async () => (await api(url, `/api/v1/contacts?query=${other}`, { token: agent })).body.contacts[0], 'the other person is stored');
    assert.deepEqual((await api(url, `/api/v1/contacts?query=${person.waId}`, { token: agent })).body.contacts, []);
  });

  test('without block the person may write again and starts afresh; agents and viewers cannot erase', async () => {
    const person = await markedCustomer('new');
    for (const token of [agent, viewer]) {
      assert.equal((await api(url, `/api/v1/contacts/${person.contact.id}?erase=1`, { token, method: 'DELETE' })).status, 403);
    }
    assert.equal((await api(url, `/api/v1/contacts/${person.contact.id}?erase=yes`, { token: admin, method: 'DELETE' })).status, 400);
    assert.equal((await api(url, `/api/v1/contacts/${person.contact.id}`, { token: admin, method: 'DELETE' })).status, 204);
    await postWebhook(url, 'whatsapp', waText(person.waId, null, 'Hola de nuevo'));
    const again = await until(async () => (await api(url, `/api/v1/contacts?query=${person.waId}`, { token: agent })).body.contacts[0], 'a new contact');
    assert.notEqual(again.id, person.contact.id);
    assert.equal(again.email, null);
  });
});

describe('audit log', () => {
  test('admins read it newest first, filtered by actor, action and time, page by page; others are refused; input is validated', async () => {
    for (let i = 0; i < 3; i += 1) await api(url, `/api/v1/contacts?query=nobody${i}`, { token: agent });
    const first = await api(url, `/api/v1/audit?actor=${kit.test.acme.agent.agent.id}&action=contacts.search&limit=2`, { token: admin });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.entries.length, 2);
    assert.ok(first.body.entries.every((e: any) => e.action === 'contacts.search' && e.actorName === 'Acme Agent'), 'searches by the agent');
    assert.ok(first.body.entries[0].createdAt >= first.body.entries[1].createdAt, 'newest first');
    assert.ok(first.body.nextCursor, 'there is a next page');
    const second = await api(url, `/api/v1/audit?actor=${kit.test.acme.agent.agent.id}&action=contacts.search&limit=2&cursor=${first.body.nextCursor}`, { token: admin });
    assert.ok(second.body.entries.length >= 1, 'the next page continues');
    assert.ok(!second.body.entries.some((e: any) => first.body.entries.some((f: any) => f.id === e.id)), 'no entry twice');
    const future = await api(url, `/api/v1/audit?from=${encodeURIComponent(new Date(Date.now() + 3600_000).toISOString())}`, { token: admin });
    assert.deepEqual(future.body.entries, []);
    assert.equal((await api(url, '/api/v1/audit?from=yesterday', { token: admin })).status, 400);
    assert.equal((await api(url, '/api/v1/audit?limit=500', { token: admin })).status, 400);
    assert.equal((await api(url, '/api/v1/audit?sort=asc', { token: admin })).status, 400);
    assert.equal((await api(url, '/api/v1/audit', { token: agent })).status, 403);
    assert.equal((await api(url, '/api/v1/audit', { token: viewer })).status, 403);
    const globex = await api(url, '/api/v1/audit?limit=100', { token: kit.test.globex.admin.token });
    assert.ok(!globex.body.entries.some((e: any) => e.actorId === kit.test.acme.agent.agent.id), 'another workspace sees none of it');
  });
});
