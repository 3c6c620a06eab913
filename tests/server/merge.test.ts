import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ChangeEvent, Contact, ContactMergePreview, ContactProfile } from '@charla/protocol';
import type { Socket } from 'socket.io-client';
import { connectAgent, emitAck, eventually, recordEvents, request, startServer, visitorWrites, type TestServer } from './helpers.js';

let t: TestServer;
let agent: Socket;
before(async () => {
  t = await startServer();
  agent = await connectAgent(t.url, t.acme.agent.token);
});
after(() => t.close());

describe('linking and merging contacts from the agent views', () => {
  test('finds the contact, previews what moves, merges losing nothing, and tells everyone', async () => {
    const known = await visitorWrites(t, t.acme, 'Hola, soy Lucía, ya les había escrito por WhatsApp');
    await request(agent, 'contact.update', { contactId: known.contactId, patch: { name: 'Lucía Torres', email: 'lucia@torres.mx' } });
    await request(agent, 'note.create', { contactId: known.contactId, body: 'Cliente frecuente' });
    const unknown = await visitorWrites(t, t.acme, 'Perdón, escribo desde otro navegador');
    await request(agent, 'note.create', { contactId: unknown.contactId, body: 'Llegó por la campaña de octubre' });

    const found: Contact[] = await request(agent, 'contacts.search', { query: 'torres.mx' });
    assert.deepEqual(found.map((c) => c.id), [known.contactId]);

    const preview: ContactMergePreview = await request(agent, 'contact.mergePreview', { contactId: known.contactId, mergeId: unknown.contactId });
    assert.equal(preview.survivor.id, known.contactId);
    assert.deepEqual(preview.moves, { conversations: 1, messages: 1, identities: 1, notes: 1, deals: 0, tasks: 0, businessEvents: 0, aiInsights: 0 });
    assert.deepEqual(preview.fills, []);
    assert.deepEqual(preview.conflicts, []);

    const other = await connectAgent(t.url, t.acme.admin.token);
    const events = recordEvents(other);
    const survivor: Contact = await request(agent, 'contact.merge', { contactId: known.contactId, mergeId: unknown.contactId });
    assert.equal(survivor.name, 'Lucía Torres');
    assert.equal(survivor.identities.filter((i) => i.channel === 'webchat').length, 2);
    await eventually(() => events.find((e: ChangeEvent) => e.type === 'contact.merged' && e.data.mergedId === unknown.contactId));
    other.disconnect();

    const profile: ContactProfile = await request(agent, 'contact.profile', { contactId: known.contactId });
    assert.deepEqual(profile.notes.map((n) => n.body).sort(), ['Cliente frecuente', 'Llegó por la campaña de octubre']);
    const gone = await emitAck(agent, 'contact.get', { contactId: unknown.contactId });
    assert.equal(gone.ok ? null : gone.error.code, 'not_found');
    const moved = await request(agent, 'conversation.get', { conversationId: unknown.conversationId });
    assert.equal(moved.contact.id, known.contactId, 'the conversation moved to the survivor');
  });

  test('viewers cannot merge and other workspaces cannot reach the contacts', async () => {
    const a = await visitorWrites(t, t.acme, 'uno');
    const b = await visitorWrites(t, t.acme, 'dos');
    const viewer = await connectAgent(t.url, t.acme.viewer.token);
    const refused = await emitAck(viewer, 'contact.merge', { contactId: a.contactId, mergeId: b.contactId });
    assert.equal(refused.ok ? null : refused.error.code, 'forbidden');
    viewer.disconnect();
    const stranger = await connectAgent(t.url, t.globex.admin.token);
    const foreign = await emitAck(stranger, 'contact.merge', { contactId: a.contactId, mergeId: b.contactId });
    assert.equal(foreign.ok ? null : foreign.error.code, 'not_found');
    assert.deepEqual(await request(stranger, 'contacts.search', { query: 'a' }), []);
    stranger.disconnect();
  });
});
