import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ChangeEvent, Contact, ContactInsights, ContactMergePreview, ContactProfile, DuplicateSuggestion } from '@charla/protocol';
import type { Socket } from 'socket.io-client';
import { postWebhook, startChannelTest, until, waText, type ChannelTest } from '../support/channels.js';
import { api, connectAgent, emitAck, eventually, recordEvents, request, startServer, visitorWrites, type TestServer } from './helpers.js';

let t: TestServer;
let agent: Socket;
before(async () => {
  t = await startServer({ server: { ai: { debounceMs: 30 } } });
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
    const { aiInsights: _analyzedOrNot, ...moves } = preview.moves;
    assert.deepEqual(moves, { conversations: 1, messages: 1, identities: 1, notes: 1, deals: 0, tasks: 0, businessEvents: 0 });
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

/** A webchat customer who wrote something urgent, once the AI has filled their `urgency` (its own record of the field). */
async function urgentCustomer(patch: Record<string, unknown>): Promise<{ contactId: string; conversationId: string }> {
  const written = await visitorWrites(t, t.acme, 'Hola, lo necesito urgente');
  await eventually(async () => {
    const insights: ContactInsights = await request(agent, 'ai.contactInsights', { contactId: written.contactId });
    return insights.filledFields.some((field) => field.field === 'urgency');
  }, 5000, 'the AI to fill urgency');
  await request(agent, 'contact.update', { contactId: written.contactId, patch });
  return written;
}

describe('merges that never fail and lose nothing', () => {
  test('two contacts with every field in conflict merge (no 500): the preview lists each conflict, nothing is lost', async () => {
    const gabriela = await urgentCustomer({
      name: 'Gabriela Ruiz', email: 'gaby@ruiz.mx', phone: '+52 55 1111 2222', tags: ['vip'], attributes: { plan: 'Pro', city: 'CDMX' },
    });
    const gaby = await urgentCustomer({
      name: 'Gaby R.', email: 'gaby@otro.mx', phone: '+52 55 3333 4444', tags: ['mayorista', 'vip'], attributes: { plan: 'Basic', size: 'M' },
    });
    const token = t.acme.agent.token;

    const dryRun = await api<ContactMergePreview>(t.url, `/api/v1/contacts/${gabriela.contactId}/merge?dryRun=1`, { token, method: 'POST', body: { mergeId: gaby.contactId } });
    assert.equal(dryRun.status, 200);
    const byField = new Map(dryRun.body.conflicts.map((conflict) => [conflict.field, conflict]));
    assert.deepEqual([...byField.keys()].sort(), ['attributes.plan', 'companyId', 'email', 'name', 'phone']);
    assert.deepEqual(byField.get('name'), {
      field: 'name', survivorValue: 'Gabriela Ruiz', mergedValue: 'Gaby R.', resolution: 'kept', keptIn: 'attribute', keptAs: 'name (agent)',
    });
    assert.deepEqual(byField.get('email'), {
      field: 'email', survivorValue: 'gaby@ruiz.mx', mergedValue: 'gaby@otro.mx', resolution: 'kept', keptIn: 'identity', keptAs: 'email',
    });
    assert.equal(byField.get('phone')?.keptIn, 'identity');
    assert.deepEqual(byField.get('companyId'), {
      field: 'companyId', survivorValue: 'Ruiz', mergedValue: 'Otro', resolution: 'kept', keptIn: 'attribute', keptAs: 'company (Gaby R.)',
    });
    assert.deepEqual(byField.get('attributes.plan'), {
      field: 'attributes.plan', survivorValue: 'Pro', mergedValue: 'Basic', resolution: 'kept', keptIn: 'attribute', keptAs: 'plan (Gaby R.)',
    });
    assert.deepEqual(dryRun.body.tags, ['mayorista']);
    assert.equal(dryRun.body.moves.conversations, 1);
    assert.equal(dryRun.body.moves.aiInsights, 1);
    const stillThere = await api(t.url, `/api/v1/contacts/${gaby.contactId}`, { token });
    assert.equal(stillThere.status, 200, 'a dry run changes nothing');

    const merged = await api(t.url, `/api/v1/contacts/${gabriela.contactId}/merge`, { token, method: 'POST', body: { mergeId: gaby.contactId } });
    assert.equal(merged.status, 200, JSON.stringify(merged.body));
    const survivor: Contact & { merge: { id: string } } = merged.body;
    assert.equal(survivor.name, 'Gabriela Ruiz');
    assert.equal(survivor.email, 'gaby@ruiz.mx');
    assert.equal(survivor.phone, '+525511112222');
    assert.deepEqual(survivor.tags, ['vip', 'mayorista']);
    assert.deepEqual(survivor.attributes, {
      plan: 'Pro', city: 'CDMX', size: 'M', 'name (agent)': 'Gaby R.', 'plan (Gaby R.)': 'Basic', 'company (Gaby R.)': 'Otro',
    });
    const secondary = survivor.identities.filter((identity) => identity.channel === 'email' || identity.channel === 'phone');
    assert.deepEqual(secondary.map((identity) => identity.handle).sort(), ['+525533334444', 'gaby@otro.mx']);
    assert.ok(survivor.merge.id, 'the answer names the merge, to undo it');

    const conversations = await api(t.url, '/api/v1/conversations?status=all&limit=100', { token });
    const theirs = conversations.body.conversations.filter((c: { id: string }) => c.id === gabriela.conversationId || c.id === gaby.conversationId);
    assert.deepEqual(theirs.map((c: { contactId: string }) => c.contactId), [gabriela.contactId, gabriela.contactId]);
    const insights: ContactInsights = await request(agent, 'ai.contactInsights', { contactId: gabriela.contactId });
    assert.ok(insights.filledFields.some((field) => field.field === 'urgency'), "the survivor's AI record of the field stays");
    const search: Contact[] = await request(agent, 'contacts.search', { query: 'otro.mx' });
    assert.deepEqual(search.map((c) => c.id), [gabriela.contactId], 'the other email still finds her');
  });

  test('merging into itself, an unknown contact or another workspace answers a clear 4xx and changes nothing', async () => {
    const a = await visitorWrites(t, t.acme, 'uno');
    const b = await visitorWrites(t, t.acme, 'dos');
    const token = t.acme.agent.token;
    for (const dryRun of ['', '?dryRun=1']) {
      const self = await api(t.url, `/api/v1/contacts/${a.contactId}/merge${dryRun}`, { token, method: 'POST', body: { mergeId: a.contactId } });
      assert.equal(self.status, 400);
      assert.match(self.body.error.message, /itself/);
      const unknown = await api(t.url, `/api/v1/contacts/${a.contactId}/merge${dryRun}`, { token, method: 'POST', body: { mergeId: 'ct_nobody' } });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error.code, 'not_found');
      const unknownSurvivor = await api(t.url, `/api/v1/contacts/ct_nobody/merge${dryRun}`, { token, method: 'POST', body: { mergeId: a.contactId } });
      assert.equal(unknownSurvivor.status, 404);
      const foreign = await api(t.url, `/api/v1/contacts/${a.contactId}/merge${dryRun}`, { token: t.globex.admin.token, method: 'POST', body: { mergeId: b.contactId } });
      assert.equal(foreign.status, 404);
      const noBody = await api(t.url, `/api/v1/contacts/${a.contactId}/merge${dryRun}`, { token, method: 'POST', body: { mergeId: 42 } });
      assert.equal(noBody.status, 400);
    }
    for (const id of [a.contactId, b.contactId]) assert.equal((await api(t.url, `/api/v1/contacts/${id}`, { token })).status, 200);
  });
});

describe('possible duplicates: weak signals an agent accepts or dismisses', () => {
  test('same and similar names are suggested, never merged; a dismissed pair stays dismissed; accepting merges', async () => {
    const named = async (name: string) => {
      const { contactId } = await visitorWrites(t, t.acme, 'hola');
      await request(agent, 'contact.update', { contactId, patch: { name } });
      return contactId;
    };
    const lucia = await named('Marta Quiroga');
    const lowercase = await named('marta quiroga ☕');
    const longer = await named('Marta Quiroga Díaz');
    const typo = await named('Martha Quiroga');
    await named('Marta');
    await named('Pedro Quiroga');
    const token = t.acme.agent.token;

    const listed = await api<{ duplicates: DuplicateSuggestion[] }>(t.url, `/api/v1/contacts/duplicates?contactId=${lucia}`, { token });
    assert.equal(listed.status, 200);
    const signals = new Map(listed.body.duplicates.map((d) => [d.other.id, d.signal]));
    assert.deepEqual(Object.fromEntries(signals), { [lowercase]: 'same_name', [longer]: 'similar_name', [typo]: 'similar_name' });
    assert.ok(listed.body.duplicates.every((d) => d.contact.id === lucia), 'listed.body.duplicates.every((d) => d.contact.id === lucia)');
    for (const id of [lucia, lowercase, longer, typo]) assert.equal((await api(t.url, `/api/v1/contacts/${id}`, { token })).status, 200, 'nothing merged');

    const workspace: DuplicateSuggestion[] = await request(agent, 'contacts.duplicates', {});
    const pairs = workspace.map((d) => [d.contact.id, d.other.id].sort().join('|'));
    assert.ok(pairs.includes([lucia, lowercase].sort().join('|')), "pairs.includes([lucia, lowercase].sort().join('|'))");

    const viewer = await api(t.url, '/api/v1/contacts/duplicates/dismiss', { token: t.acme.viewer.token, method: 'POST', body: { contactId: lucia, otherId: longer } });
    assert.equal(viewer.status, 403);
    const foreign = await api(t.url, '/api/v1/contacts/duplicates/dismiss', { token: t.globex.agent.token, method: 'POST', body: { contactId: lucia, otherId: longer } });
    assert.equal(foreign.status, 404);
    const dismissed = await api(t.url, '/api/v1/contacts/duplicates/dismiss', { token, method: 'POST', body: { contactId: longer, otherId: lucia } });
    assert.equal(dismissed.status, 200);
    const again: DuplicateSuggestion[] = await request(agent, 'contacts.duplicates', { contactId: lucia });
    assert.deepEqual(again.map((d) => d.other.id).sort(), [lowercase, typo].sort());
    const fromTheOtherSide: DuplicateSuggestion[] = await request(agent, 'contacts.duplicates', { contactId: longer });
    assert.ok(!fromTheOtherSide.some((d) => d.other.id === lucia), 'dismissed both ways');
    const everywhere: DuplicateSuggestion[] = await request(agent, 'contacts.duplicates', {});
    assert.ok(!everywhere.some((d) => [d.contact.id, d.other.id].sort().join('|') === [lucia, longer].sort().join('|')), "!everywhere.some((d) => [d.contact.id, d.other.id].sort().join('|') === [lucia, longer].sort().jo…");

    await request(agent, 'contact.merge', { contactId: lucia, mergeId: lowercase });
    const afterAccept: DuplicateSuggestion[] = await request(agent, 'contacts.duplicates', { contactId: lucia });
    assert.deepEqual(afterAccept.map((d) => d.other.id), [typo]);
  });
});

describe('linking an unknown WhatsApp number to an existing contact', () => {
  let kit: ChannelTest;
  before(async () => {
    kit = await startChannelTest();
  });
  after(() => kit.close());

  test('keeps the name an agent typed, the tags and the attributes; the profile name stays as an attribute; the preview says so', async () => {
    const { url } = kit.test;
    const agentSocket = await connectAgent(url, kit.test.acme.agent.token);
    const known = await visitorWrites(kit.test, kit.test.acme, 'Hola, soy Gabriela');
    await request(agentSocket, 'contact.update', {
      contactId: known.contactId, patch: { name: 'Gabriela Ruiz', tags: ['vip'], attributes: { plan: 'Pro' } },
    });
    await postWebhook(url, 'whatsapp', waText('5215598765432', 'Gaby ☕', 'Hola, soy yo otra vez'));
    const token = kit.test.acme.agent.token;
    const fromWhatsapp = await until(async () => {
      const found = await api(url, '/api/v1/contacts?query=5215598765432', { token });
      return found.body.contacts[0] as Contact | undefined;
    }, 'the WhatsApp contact');
    assert.equal(fromWhatsapp.name, 'Gaby ☕');

    // The panel on the WhatsApp conversation links the number to Gabriela.
    const request_ = { contactId: fromWhatsapp.id, mergeId: known.contactId };
    const preview: ContactMergePreview = await request(agentSocket, 'contact.mergePreview', request_);
    assert.deepEqual(preview.conflicts, [{
      field: 'name', survivorValue: 'Gaby ☕', mergedValue: 'Gabriela Ruiz', resolution: 'replaced', keptIn: 'attribute', keptAs: 'name (profile)',
    }]);
    assert.deepEqual(preview.tags, ['vip']);
    assert.deepEqual(preview.attributes, ['name (profile)', 'plan']);

    const linked: Contact = await request(agentSocket, 'contact.merge', request_);
    assert.equal(linked.name, 'Gabriela Ruiz');
    assert.deepEqual(linked.tags, ['vip']);
    assert.deepEqual(linked.attributes, { plan: 'Pro', 'name (profile)': 'Gaby ☕' });
    assert.equal(linked.phone, '+525598765432');

    // Later WhatsApp messages do not bring the nickname back.
    await postWebhook(url, 'whatsapp', waText('5215598765432', 'Gaby ☕', '¿Me confirmas el pedido?'));
    await until(async () => {
      const messages = await api(url, `/api/v1/conversations?status=all&limit=100`, { token });
      return messages.body.conversations.some((c: { contactId: string; lastMessagePreview: string }) => c.contactId === linked.id && c.lastMessagePreview === '¿Me confirmas el pedido?');
    }, 'the next message');
    const now: Contact = await request(agentSocket, 'contact.get', { contactId: linked.id });
    assert.equal(now.name, 'Gabriela Ruiz');
    agentSocket.disconnect();
  });
});
