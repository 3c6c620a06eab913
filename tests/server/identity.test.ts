import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { businessDomain, canonicalPhone, capturedContactDetails, emailKey, phoneKey } from '../../server/src/identity/keys.js';
import { igMessage, postWebhook, startChannelTest, until, waText, type ChannelTest } from '../support/channels.js';
import { api, clientId } from './helpers.js';

describe('match keys', () => {
  test('Mexico: the WhatsApp id 521 + 10 digits matches the E.164 +52 + 10 digits', () => {
    assert.equal(phoneKey('5215512345678'), phoneKey('+52 55 1234 5678'));
    assert.equal(canonicalPhone('5215512345678'), '+525512345678');
  });

  test('Argentina: 549 and 54 mobiles share a key, and the number itself is kept', () => {
    assert.equal(phoneKey('5491123456789'), phoneKey('+54 11 2345-6789'));
    assert.equal(canonicalPhone('5491123456789'), '+5491123456789');
  });

  test('Brazil: a mobile without its ninth digit matches the one with it; landlines do not gain one', () => {
    assert.equal(phoneKey('551187654321'), phoneKey('+55 11 98765-4321'));
    assert.notEqual(phoneKey('551132654321'), phoneKey('+55 11 93265-4321'));
  });

  test('emails match case-insensitively after trimming; junk is no key', () => {
    assert.equal(emailKey('  Maria.Lopez@Example.COM '), emailKey('maria.lopez@example.com'));
    assert.equal(emailKey('not an email'), null);
    assert.equal(phoneKey('12'), null);
  });

  test('captures emails and international phones written in a message', () => {
    const found = capturedContactDetails('Soy María, mi correo es Maria.Lopez@Example.com. Tel +52 55 1234 5678 o 5512345678');
    assert.deepEqual(found, { emails: ['maria.lopez@example.com'], phones: ['+525512345678'] });
  });

  test('business domains exclude free-mail and disposable ones', () => {
    assert.equal(businessDomain('ana@acme-foods.com.mx'), 'acme-foods.com.mx');
    assert.equal(businessDomain('ana@gmail.com'), null);
    assert.equal(businessDomain('ana@mailinator.com'), null);
  });
});

describe('one contact per person', () => {
  let kit: ChannelTest;
  let url: string;
  let token: string;

  before(async () => {
    kit = await startChannelTest();
    url = kit.test.url;
    token = kit.test.acme.agent.token;
  });
  after(() => kit.close());


  const contactsMatching = async (query: string) =>
    (await api(url, `/api/v1/contacts?query=${encodeURIComponent(query)}`, { token })).body.contacts as any[];

  const conversationsOf = async (contactId: string) =>
    ((await api(url, '/api/v1/conversations?status=all&limit=100', { token })).body.conversations as any[]).filter((c) => c.contactId === contactId);

  const importCsv = (csv: string, as = token) =>
    api(url, '/api/v1/contacts/import', { token: as, method: 'POST', body: csv, headers: { 'content-type': 'text/csv' } });

  test('the María case: WhatsApp, Instagram with her email, and a CSV import end as one contact', async () => {
    await postWebhook(url, 'whatsapp', waText('5215512345678', 'María López', 'Hola, ¿cuánto cuesta el envío?'));
    const onWhatsapp = await until(async () => (await contactsMatching('5215512345678'))[0], 'WhatsApp contact');
    assert.equal(onWhatsapp.name, 'María López');
    assert.equal(onWhatsapp.phone, '+525512345678');

    await postWebhook(url, 'instagram', igMessage('IGSID-maria', { text: 'Hola! Soy María, escríbeme a Maria.Lopez@Example.com' }));
    const onInstagram = await until(async () => (await contactsMatching('IGSID-maria'))[0], 'Instagram contact');
    assert.notEqual(onInstagram.id, onWhatsapp.id, 'nothing ties the two yet');
    assert.equal(onInstagram.email, 'maria.lopez@example.com');

    const report = await importCsv('name,email,phone,tags\nMaría López,MARIA.LOPEZ@example.com,+52 55 1234 5678,vip;mayorista\n');
    assert.equal(report.status, 200);
    assert.equal(report.body.merged, 1);
    assert.equal(report.body.rows[0].outcome, 'merged');

    const [maria, ...others] = await contactsMatching('maria');
    assert.equal(others.length, 0, 'one contact');
    assert.equal(maria.id, onWhatsapp.id, 'the older contact survives');
    assert.deepEqual(maria.identities.map((i: any) => i.channel).sort(), ['instagram', 'whatsapp']);
    assert.equal(maria.email, 'maria.lopez@example.com');
    assert.equal(maria.phone, '+525512345678');
    const gone = await api(url, `/api/v1/contacts/${onInstagram.id}`, { token });
    assert.equal(gone.status, 404);

    // One timeline: both conversations are hers, and the merge is written in the thread.
    const conversations = await conversationsOf(maria.id);
    assert.deepEqual(conversations.map((c) => c.channel).sort(), ['instagram', 'whatsapp']);
    const lines = await Promise.all(conversations.map(async (c) => (await api(url, `/api/v1/conversations/${c.id}/messages`, { token })).body.messages));
    assert.ok(lines.flat().some((m: any) => m.type === 'system' && m.content?.kind === 'contact_merged'), "lines.flat().some((m: any) => m.type === 'system' && m.content?.kind === 'contact_merged')");
  });

  test('an Instagram message that names a known email joins that contact at once', async () => {
    await importCsv('name,email\nPedro Ruiz,pedro@ruiz-hnos.mx\n');
    const [pedro] = await contactsMatching('pedro@ruiz-hnos.mx');
    await postWebhook(url, 'instagram', igMessage('IGSID-pedro', { text: 'mi mail: Pedro@Ruiz-Hnos.mx' }));
    await until(async () => (await contactsMatching('IGSID-pedro'))[0]?.id === pedro.id, 'merged into Pedro');
    const [merged] = await contactsMatching('IGSID-pedro');
    assert.equal(merged.name, 'Pedro Ruiz');
  });

  test('a WhatsApp id joins the contact imported with the same number (Argentina without the 9)', async () => {
    await importCsv('name,phone\nLucía Gómez,+54 11 2345 6789\n');
    await postWebhook(url, 'whatsapp', waText('5491123456789', 'Lu', 'Hola'));
    const lucia = await until(async () => {
      const [found] = await contactsMatching('5491123456789');
      return found?.name === 'Lucía Gómez' ? found : undefined;
    }, 'joined');
    assert.deepEqual(lucia.identities.map((i: any) => [i.channel, i.handle]), [['whatsapp', '5491123456789']]);
    assert.equal(lucia.phone, '+541123456789', 'the imported number is kept');
  });

  test('the same display name alone never merges, it is flagged for an agent', async () => {
    await postWebhook(url, 'whatsapp', waText('5215510000001', 'Carlos Díaz', 'Hola'));
    await until(async () => (await contactsMatching('5215510000001'))[0], 'first Carlos');
    await postWebhook(url, 'whatsapp', waText('5215510000002', 'Carlos Díaz', 'Buenas'));
    const second = await until(async () => (await contactsMatching('5215510000002'))[0], 'second Carlos');
    const carlos = await contactsMatching('Carlos Díaz');
    assert.equal(carlos.length, 2);
    const [conversation] = await conversationsOf(second.id);
    const messages = (await api(url, `/api/v1/conversations/${conversation.id}/messages`, { token })).body.messages as any[];
    const flag = messages.find((m) => m.content?.kind === 'possible_duplicate');
    assert.ok(flag, 'flagged');
    assert.equal(flag.private, true);
  });

  test('POST /contacts/:id/merge moves everything, keeps the survivor values, and is recorded', async () => {
    await postWebhook(url, 'whatsapp', waText('5215520000001', 'Rosa', 'Hola'));
    const rosa = await until(async () => (await contactsMatching('5215520000001'))[0], 'Rosa');
    await postWebhook(url, 'instagram', igMessage('IGSID-rosa', { text: 'hola' }));
    const rosaIg = await until(async () => (await contactsMatching('IGSID-rosa'))[0], 'Rosa IG');
    await api(url, `/api/v1/contacts/${rosaIg.id}`, { token, method: 'PATCH', body: { name: 'Rosa M.', email: 'rosa@flores.mx' } });
    const [igConversation] = await conversationsOf(rosaIg.id);

    const viewer = await api(url, `/api/v1/contacts/${rosa.id}/merge`, { token: kit.test.acme.viewer.token, method: 'POST', body: { mergeId: rosaIg.id } });
    assert.equal(viewer.status, 403);
    const self = await api(url, `/api/v1/contacts/${rosa.id}/merge`, { token, method: 'POST', body: { mergeId: rosa.id } });
    assert.equal(self.status, 400);
    const missing = await api(url, `/api/v1/contacts/${rosa.id}/merge`, { token, method: 'POST', body: { mergeId: 'ct_nope' } });
    assert.equal(missing.status, 404);
    const otherWorkspace = await api(url, `/api/v1/contacts/${rosa.id}/merge`, { token: kit.test.globex.agent.token, method: 'POST', body: { mergeId: rosaIg.id } });
    assert.equal(otherWorkspace.status, 404);

    const merged = await api(url, `/api/v1/contacts/${rosa.id}/merge`, { token, method: 'POST', body: { mergeId: rosaIg.id } });
    assert.equal(merged.status, 200);
    assert.equal(merged.body.name, 'Rosa M.', 'the name an agent typed beats the WhatsApp profile name');
    assert.equal(merged.body.attributes['name (profile)'], 'Rosa', 'and the profile name is kept');
    assert.equal(merged.body.email, 'rosa@flores.mx', 'and fills its empty ones');
    assert.deepEqual(merged.body.identities.map((i: any) => i.channel).sort(), ['instagram', 'whatsapp']);
    assert.ok(merged.body.companyId, 'filed under the company of its business domain');
    const moved = await api(url, `/api/v1/conversations/${igConversation.id}`, { token });
    assert.equal(moved.body.conversation.contactId, rosa.id);
    // Replying on the moved conversation still reaches her Instagram identity.
    const reply = await api(url, `/api/v1/conversations/${igConversation.id}/messages`, { token, method: 'POST', body: { clientId: clientId(), body: 'Hola Rosa' } });
    assert.equal(reply.status, 201);
    await until(async () => kit.graph.sent('/messages').some((r) => r.body?.recipient?.id === 'IGSID-rosa'), 'sent to IG');
    const events = (await api(url, '/api/v1/events?since=0', { token })).body.events as any[];
    assert.ok(events.some((e) => e.type === 'contact.merged' && e.data.mergedId === rosaIg.id), "events.some((e) => e.type === 'contact.merged' && e.data.mergedId === rosaIg.id)");
  });

  test('companies come from business email domains, never from free-mail', async () => {
    const report = await importCsv('name,email\nEva,eva@acme-foods.com.mx\nLeo,leo@acme-foods.com.mx\nIvan,ivan@gmail.com\n');
    assert.equal(report.body.created, 3);
    const companies = (await api(url, '/api/v1/companies', { token })).body.companies as any[];
    const acme = companies.find((c) => c.domain === 'acme-foods.com.mx');
    assert.equal(acme.name, 'Acme Foods');
    assert.equal(acme.contactCount, 2);
    assert.ok(!companies.some((c) => c.domain === 'gmail.com'), "!companies.some((c) => c.domain === 'gmail.com')");
  });
});

describe('contacts edited by hand', () => {
  let kit: ChannelTest;
  before(async () => {
    kit = await startChannelTest();
  });
  after(() => kit.close());

  test('a phone typed on a contact is matched by the WhatsApp id of the same number', async () => {
    const { url } = kit.test;
    const token = kit.test.acme.agent.token;
    await postWebhook(url, 'instagram', igMessage('IGSID-hand', { text: 'hola' }));
    let contact: any;
    for (let i = 0; i < 200 && !contact; i += 1) {
      contact = (await api(url, '/api/v1/contacts?query=IGSID-hand', { token })).body.contacts[0];
      if (!contact) await new Promise((r) => setTimeout(r, 20));
    }
    const patched = await api(url, `/api/v1/contacts/${contact.id}`, { token, method: 'PATCH', body: { phone: '+54 9 11 5555 6666' } });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    await postWebhook(url, 'whatsapp', waText('5491155556666', 'Hand', 'hola por WhatsApp'));
    let joined: any;
    for (let i = 0; i < 200 && !joined; i += 1) {
      const found = (await api(url, '/api/v1/contacts?query=5491155556666', { token })).body.contacts[0];
      if (found?.identities.length === 2) joined = found;
      else await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(joined?.id, contact.id);
  });
});
