/**
 * A WhatsApp delivery carrying many customers' messages (Meta batches up to a thousand changes in
 * one POST, and deliveries arriving together are stored in one commit): each message is stored
 * once, in order, with everything a single message does — known and new customers, duplicates
 * inside the lot and from before, a blocked sender, an email written mid-lot, a resolved
 * conversation reopening, the reply window moving.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { postWebhook, startChannelTest, until, WA, wamid, waText, type ChannelTest } from '../support/channels.js';
import { api, connectAgent, eventually, recordEvents } from './helpers.js';

let kit: ChannelTest;
let url: string;
let token: string;

before(async () => {
  kit = await startChannelTest();
  url = kit.test.url;
  token = kit.test.acme.agent.token;
});
after(() => kit.close());

/** One delivery with a change per message, in this order (as Meta sends a batch). */
function lot(messages: Array<{ from: string; name: string; body: string; id?: string; timestamp?: string }>) {
  const entries = messages.map((m) => waText(m.from, m.name, m.body, { ...(m.id ? { id: m.id } : {}), ...(m.timestamp ? { timestamp: m.timestamp } : {}) }));
  return { object: 'whatsapp_business_account', entry: entries.flatMap((envelope) => envelope.entry as unknown[]) };
}

async function conversationOf(handle: string) {
  return until(async () => {
    const [contact] = (await api(url, `/api/v1/contacts?query=${handle}`, { token })).body.contacts;
    if (!contact) return undefined;
    const list = await api(url, `/api/v1/conversations?status=all&channel=whatsapp&limit=100`, { token });
    const conversation = list.body.conversations.find((c: any) => c.contactId === contact.id);
    return conversation && { contact, conversation };
  }, `conversation of ${handle}`);
}

const bodiesOf = async (conversationId: string) =>
  (await api(url, `/api/v1/conversations/${conversationId}/messages?limit=100`, { token })).body.messages
    .filter((m: any) => m.direction === 'in')
    .map((m: any) => m.body);

test('one delivery of many customers: each message once, in order, with all a single message does', async () => {
  const [ana, beto, caro, dani] = ['5215511110001', '5215511110002', '5215511110003', '5215511110004'];
  // Known customers: Ana (her conversation resolved, her window closed a day ago), Beto, and Dani, blocked.
  const anaFirst = wamid();
  const dayAgo = String(Math.floor(Date.now() / 1000) - 25 * 3600);
  assert.equal((await postWebhook(url, 'whatsapp', lot([{ from: ana, name: 'Ana', body: 'Hola', id: anaFirst, timestamp: dayAgo }]))).status, 200);
  assert.equal((await postWebhook(url, 'whatsapp', waText(beto, 'Beto', 'Buenas'))).status, 200);
  assert.equal((await postWebhook(url, 'whatsapp', waText(dani, 'Dani', 'Hola'))).status, 200);
  const before = await conversationOf(ana);
  assert.ok(Date.parse(before.conversation.windowExpiresAt) < Date.now(), 'Ana wrote a day ago: her window is closed');
  const resolved = await api(url, `/api/v1/conversations/${before.conversation.id}`, { token, method: 'PATCH', body: { status: 'resolved' } });
  assert.equal(resolved.status, 200);
  const betoBefore = await conversationOf(beto);
  const daniBefore = await conversationOf(dani);
  const erased = await api(url, `/api/v1/contacts/${daniBefore.contact.id}?erase=1&block=1`, { token: kit.test.acme.admin.token, method: 'DELETE' });
  assert.equal(erased.status, 200);

  const agent = await connectAgent(url, token);
  const events = recordEvents<any>(agent);
  const repeated = wamid();
  const delivery = lot([
    { from: ana, name: 'Ana', body: 'Sigo interesada' },
    { from: beto, name: 'Beto', body: '¿Tienen envío?', id: repeated },
    { from: ana, name: 'Ana', body: '¿Precio de 12?' },
    { from: beto, name: 'Beto', body: '¿Tienen envío?', id: repeated },
    { from: caro, name: 'Caro', body: 'Primera vez aquí' },
    { from: dani, name: 'Dani', body: 'Soy yo otra vez' },
    { from: beto, name: 'Beto', body: 'Escríbanme a beto.lote@example.com' },
    { from: ana, name: 'Ana', body: 'Gracias', id: anaFirst },
    { from: ana, name: 'Ana', body: 'Espero respuesta' },
    { from: beto, name: 'Beto', body: 'Y factura' },
  ]);
  assert.equal((await postWebhook(url, 'whatsapp', delivery)).status, 200);

  const expected = ['Sigo interesada', '¿Tienen envío?', '¿Precio de 12?', 'Primera vez aquí', 'Escríbanme a beto.lote@example.com', 'Espero respuesta', 'Y factura'];
  const live = await eventually(() => {
    const bodies = events.filter((e) => e.type === 'message.upserted' && e.data.message.direction === 'in').map((e) => e.data.message.body);
    return bodies.length >= expected.length && bodies;
  }, 6000, 'the lot on the agent socket');
  assert.deepEqual(live, expected, 'the agent sees each message once, in the order Meta sent them');
  const seqs = events.map((e) => e.seq);
  assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'events arrive in seq order');

  const anaAfter = await conversationOf(ana);
  assert.equal(anaAfter.conversation.id, before.conversation.id, 'Ana goes on in her conversation');
  assert.deepEqual(await bodiesOf(anaAfter.conversation.id), ['Hola', 'Sigo interesada', '¿Precio de 12?', 'Espero respuesta'], 'the repeated old id is not stored again');
  assert.equal(anaAfter.conversation.status, 'open', 'her resolved conversation reopened');
  assert.equal(anaAfter.conversation.lastMessagePreview, 'Espero respuesta');
  assert.equal(anaAfter.conversation.unreadCount - before.conversation.unreadCount, 3, 'three new unread messages');
  assert.ok(Date.parse(anaAfter.conversation.windowExpiresAt) > Date.now() + 23 * 3600_000, 'her reply window is open again');
  assert.ok(anaAfter.conversation.waitingSince, 'she waits for an answer');

  const betoAfter = await conversationOf(beto);
  assert.equal(betoAfter.conversation.id, betoBefore.conversation.id);
  assert.deepEqual(await bodiesOf(betoAfter.conversation.id), ['Buenas', '¿Tienen envío?', 'Escríbanme a beto.lote@example.com', 'Y factura']);
  assert.equal(betoAfter.contact.email, 'beto.lote@example.com', 'the email written mid-lot joins his contact');
  assert.equal(betoAfter.conversation.lastMessagePreview, 'Y factura');

  const caroAfter = await conversationOf(caro);
  assert.equal(caroAfter.contact.name, 'Caro', 'the new customer became a contact');
  assert.deepEqual(await bodiesOf(caroAfter.conversation.id), ['Primera vez aquí']);

  const daniSearch = await api(url, `/api/v1/contacts?query=${dani}`, { token });
  assert.equal(daniSearch.body.contacts.length, 0, 'nothing of the blocked person is stored again');
  agent.disconnect();
});

// Deliveries of several workspaces stored in one commit, read while the channel settings are read
// again (on PostgreSQL they were: one workspace's settings came back empty and its messages were
// answered 200 and dropped).
test('deliveries for two workspaces arriving together: every message reaches its own workspace', async () => {
  const server = kit.test;
  const globexNumber = '106540352242001';
  kit.graph.grant(WA.accessToken, globexNumber, { display_phone_number: '+1 555-078-3882', verified_name: 'Globex' });
  const put = await api(server.url, '/api/v1/channels/whatsapp', { token: server.globex.admin.token, method: 'PUT', body: { ...WA, phoneNumberId: globexNumber } });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  const seen = { acme: new Set<string>(), globex: new Set<string>() };
  const acme = await connectAgent(server.url, server.acme.admin.token);
  const globex = await connectAgent(server.url, server.globex.admin.token);
  const note = (into: Set<string>) => (events: any[]) => {
    for (const event of events) if (event.type === 'message.upserted' && event.data.message.direction === 'in') into.add(event.data.message.body);
  };
  acme.on('events', note(seen.acme));
  globex.on('events', note(seen.globex));
  const delivery = (i: number, body: string) => {
    const payload = waText(`52155100${String(i % 40).padStart(5, '0')}`, `Cliente ${i % 40}`, body) as any;
    if (i % 2) payload.entry[0].changes[0].value.metadata.phone_number_id = globexNumber;
    return payload;
  };
  // Forty customers, half of each workspace, known from their first messages.
  for (let i = 0; i < 40; i += 1) assert.equal((await postWebhook(server.url, 'whatsapp', delivery(i, `primero ${i}`))).status, 200);
  await eventually(() => seen.acme.size === 20 && seen.globex.size === 20, 8000, 'the first messages');
  // Past the moment channel settings are kept: a burst now reads them again while lots are stored.
  await delay(2100);
  const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => postWebhook(server.url, 'whatsapp', delivery(i, `mensaje ${i}`))));
  assert.ok(answers.every((answer) => answer.status === 200));
  await eventually(() => seen.acme.size === 120 && seen.globex.size === 120, 10000, 'every message in its workspace').catch((error) => {
    throw new Error(`${error.message}: Acme saw ${seen.acme.size}, Globex ${seen.globex.size} of 120 each`);
  });
  acme.disconnect();
  globex.disconnect();
});
