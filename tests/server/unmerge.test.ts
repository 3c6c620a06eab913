import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ChangeEvent, Contact, ContactMergeRecord, ContactProfile, ContactUnmergedData, TimelinePage } from '@charla/protocol';
import type { Socket } from 'socket.io-client';
import { api, clientId, connectAgent, emitAck, eventually, recordEvents, openDatabase, request, startServer, visitorWrites, type TestServer } from './helpers.js';

let t: TestServer;
let agent: Socket;
before(async () => {
  t = await startServer();
  agent = await connectAgent(t.url, t.acme.agent.token);
});
after(() => t.close());

/** Two webchat customers an agent described, the second with a note, a deal and an attribute of its own. */
async function twoCustomers(names: [string, string]) {
  const first = await visitorWrites(t, t.acme, 'Hola, soy cliente de siempre');
  await request(agent, 'contact.update', { contactId: first.contactId, patch: { name: names[0], email: `${first.contactId}@uno.mx`, tags: ['vip'] } });
  await request(agent, 'note.create', { contactId: first.contactId, body: 'Nota de la primera' });
  const second = await visitorWrites(t, t.acme, 'Hola, escribo desde el celular');
  await request(agent, 'contact.update', {
    contactId: second.contactId, patch: { name: names[1], email: `${second.contactId}@dos.mx`, tags: ['mayorista'], attributes: { plan: 'Pro' } },
  });
  await request(agent, 'note.create', { contactId: second.contactId, body: 'Nota de la segunda' });
  return { first, second };
}

async function mergesOf(socket: Socket, contactId: string): Promise<ContactMergeRecord[]> {
  return request(socket, 'contact.merges', { contactId });
}

describe('undoing a merge', () => {
  test('after new messages arrived, splits them back as they were: what came from each side returns, what came since stays', async () => {
    const { first, second } = await twoCustomers(['Ana Gómez', 'Ana G.']);
    const pipelineId = (await api(t.url, '/api/v1/pipelines', { token: t.acme.admin.token, method: 'POST', body: { name: 'Ventas', stages: [{ name: 'Lead' }] } })).body.id;
    const deal = await request(agent, 'deal.create', { pipelineId, title: 'Sillas', currency: 'MXN', amount: 1500, contactId: second.contactId });

    const survivor: Contact = await request(agent, 'contact.merge', { contactId: first.contactId, mergeId: second.contactId });
    assert.deepEqual(survivor.tags, ['vip', 'mayorista']);
    const [merge] = await mergesOf(agent, first.contactId);
    assert.equal(merge?.mergedId, second.contactId);
    assert.equal(merge?.mergedName, 'Ana G.');

    // Life goes on: both customers write again, and an agent adds a note to the merged contact.
    await request(second.visitor, 'message.send', { clientId: clientId(), body: 'Sigo aquí, ¿me ayudan?' });
    const laterConversation = (await request(first.visitor, 'message.send', { clientId: clientId(), body: 'Otra pregunta' })).conversationId;
    await request(agent, 'note.create', { contactId: first.contactId, body: 'Nota después de fusionar' });

    const other = await connectAgent(t.url, t.acme.admin.token);
    const events = recordEvents<ChangeEvent>(other);
    const undone = await api<ContactUnmergedData>(t.url, `/api/v1/contacts/${first.contactId}/unmerge`, {
      token: t.acme.agent.token, method: 'POST', body: { mergeId: merge!.id },
    });
    assert.equal(undone.status, 200, JSON.stringify(undone.body));
    assert.equal(undone.body.restored.id, second.contactId);
    await eventually(() => events.find((event) => event.type === 'contact.unmerged' && event.data.restored.id === second.contactId));
    other.disconnect();

    const restored: Contact = await request(agent, 'contact.get', { contactId: second.contactId });
    assert.equal(restored.name, 'Ana G.');
    assert.equal(restored.email, `${second.contactId}@dos.mx`);
    assert.deepEqual(restored.tags, ['mayorista']);
    assert.deepEqual(restored.attributes, { plan: 'Pro' });
    assert.deepEqual(restored.identities.map((identity) => identity.channel), ['webchat']);
    const kept: Contact = await request(agent, 'contact.get', { contactId: first.contactId });
    assert.equal(kept.name, 'Ana Gómez');
    assert.deepEqual(kept.tags, ['vip']);
    assert.deepEqual(kept.attributes, {});
    assert.deepEqual(kept.identities.map((identity) => identity.channel), ['webchat'], 'the secondary email the merge added is gone');

    // Their conversation went back with every message, the one written after the merge too.
    const conversation = await request(agent, 'conversation.get', { conversationId: second.conversationId });
    assert.equal(conversation.contact.id, second.contactId);
    const messages = await request(agent, 'messages.list', { conversationId: second.conversationId });
    assert.ok(messages.messages.some((message: { body: string }) => message.body === 'Sigo aquí, ¿me ayudan?'), "messages.messages.some((message: { body: string }) => message.body === 'Sigo aquí, ¿me ayudan?')");
    assert.equal((await request(agent, 'conversation.get', { conversationId: laterConversation })).contact.id, first.contactId);

    const notesOf = async (contactId: string) => ((await request<ContactProfile>(agent, 'contact.profile', { contactId })).notes.map((note) => note.body).sort());
    assert.deepEqual(await notesOf(second.contactId), ['Nota de la segunda']);
    assert.deepEqual(await notesOf(first.contactId), ['Nota de la primera', 'Nota después de fusionar']);
    assert.equal((await request(agent, 'deal.get', { dealId: deal.id })).deal.contactId, second.contactId);

    // Recorded on both timelines; the merge can no longer be undone twice.
    for (const contactId of [first.contactId, second.contactId]) {
      const timeline: TimelinePage = await request(agent, 'timeline.list', { contactId });
      assert.ok(timeline.items.some((item) => item.kind === 'unmerge'), `the undo is on ${contactId}'s timeline`);
    }
    assert.deepEqual(await mergesOf(agent, first.contactId), []);
    const twice = await api(t.url, `/api/v1/contacts/${first.contactId}/unmerge`, { token: t.acme.agent.token, method: 'POST', body: { mergeId: merge!.id } });
    assert.equal(twice.status, 409);
    assert.match(twice.body.error.message, /already undone/);

    // The customer's own session still reaches their own contact.
    const reply = await request(second.visitor, 'message.send', { clientId: clientId(), body: 'Gracias' });
    assert.equal(reply.conversationId, second.conversationId);
  });

  test('unknown, foreign or expired merges, viewers and other agents\' merges are refused with a clear 4xx and nothing changes', async () => {
    const { first, second } = await twoCustomers(['Rosa Pérez', 'Rosa P.']);
    const admin = await connectAgent(t.url, t.acme.admin.token);
    await request(admin, 'contact.merge', { contactId: first.contactId, mergeId: second.contactId });
    const [merge] = await mergesOf(agent, first.contactId);
    const unmerge = (token: string, contactId: string, mergeId: string | number) =>
      api(t.url, `/api/v1/contacts/${contactId}/unmerge`, { token, method: 'POST', body: { mergeId } });

    assert.equal((await unmerge(t.acme.agent.token, first.contactId, 'mrg_nothing')).status, 404);
    assert.equal((await unmerge(t.acme.agent.token, first.contactId, 42)).status, 400);
    assert.equal((await unmerge(t.acme.agent.token, 'ct_nobody', merge!.id)).status, 404);
    assert.equal((await unmerge(t.globex.admin.token, first.contactId, merge!.id)).status, 404);
    assert.equal((await unmerge(t.acme.viewer.token, first.contactId, merge!.id)).status, 403);
    const viewerSocket = await connectAgent(t.url, t.acme.viewer.token);
    const refused = await emitAck(viewerSocket, 'contact.unmerge', { contactId: first.contactId, mergeId: merge!.id });
    assert.equal(refused.ok ? null : refused.error.code, 'forbidden');
    viewerSocket.disconnect();
    const notTheirs = await unmerge(t.acme.agent.token, first.contactId, merge!.id);
    assert.equal(notTheirs.status, 403, 'an agent undoes only their own merges');
    assert.match(notTheirs.body.error.message, /admin/);
    assert.equal((await api(t.url, `/api/v1/contacts/${second.contactId}`, { token: t.acme.agent.token })).status, 404, 'still merged');

    await expire(merge!.id);
    const expired = await unmerge(t.acme.admin.token, first.contactId, merge!.id);
    assert.equal(expired.status, 409);
    assert.match(expired.body.error.message, /30 days/);
    assert.equal((await api(t.url, `/api/v1/contacts/${second.contactId}`, { token: t.acme.agent.token })).status, 404, 'still merged');
    admin.disconnect();
  });

  test('an admin undoes a merge an agent made', async () => {
    const { first, second } = await twoCustomers(['Luis Mora', 'Luis M.']);
    await request(agent, 'contact.merge', { contactId: first.contactId, mergeId: second.contactId });
    const [merge] = await mergesOf(agent, first.contactId);
    assert.deepEqual(merge?.actor, { kind: 'agent', id: t.acme.agent.agent.id });
    const admin = await connectAgent(t.url, t.acme.admin.token);
    const undone: ContactUnmergedData = await request(admin, 'contact.unmerge', { contactId: first.contactId, mergeId: merge!.id });
    assert.equal(undone.restored.name, 'Luis M.');
    assert.equal(undone.contact.name, 'Luis Mora');
    admin.disconnect();
  });
});

/** Ages a merge past its 30 days (the clock cannot be waited for in a test). */
async function expire(mergeId: string): Promise<void> {
  const db = await openDatabase(t.dbPath);
  try {
    await db.run("UPDATE contact_merges SET created_at = '2020-01-01T00:00:00.000Z', expires_at = '2020-01-31T00:00:00.000Z' WHERE id = ?", [mergeId]);
  } finally {
    await db.close();
  }
}
