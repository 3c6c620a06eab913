/**
 * Marketing consent through the real server: a customer who writes BAJA on WhatsApp or "Stop." on
 * Instagram (webhooks signed like Meta's) is opted out, with the keyword and channel on record,
 * audited and pushed to the agents' sockets; a sentence that merely contains the word is not; an
 * agent opts a contact out and back in (audited, viewers refused); a merge keeps an opt-out; the
 * audience of a bulk send leaves opted-out contacts out.
 */
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { ChangeEvent } from '@charla/protocol';
import { marketingAudience, optOutKeyword } from '../../server/src/services/consent.js';
import { igMessage, postWebhook, startChannelTest, until, waText, type ChannelTest } from '../support/channels.js';
import { api, connectAgent, eventually, recordEvents } from './helpers.js';

let kit: ChannelTest;
let url: string;
let agent: string;
let admin: string;
let viewer: string;

before(async () => {
  kit = await startChannelTest();
  url = kit.test.url;
  agent = kit.test.acme.agent.token;
  admin = kit.test.acme.admin.token;
  viewer = kit.test.acme.viewer.token;
});
after(() => kit.close());

async function whatsappCustomer(text: string): Promise<any> {
  const waId = `5215${randomInt(1e7, 9e7)}`;
  assert.equal((await postWebhook(url, 'whatsapp', waText(waId, 'Rocío Vega', text))).status, 200, 'webhook accepted');
  return until(async () => (await api(url, `/api/v1/contacts?query=${waId}`, { token: agent })).body.contacts[0], 'the contact exists');
}

const contactNow = async (id: string) => (await api(url, `/api/v1/contacts/${id}`, { token: agent })).body;

describe('the customer opts out by writing a keyword', () => {
  test('BAJA on WhatsApp opts them out, on record with the keyword and channel, audited and live', async () => {
    const socket = await connectAgent(url, agent);
    const events = recordEvents<ChangeEvent>(socket);
    const waId = `5215${randomInt(1e7, 9e7)}`;
    assert.equal((await postWebhook(url, 'whatsapp', waText(waId, 'Rocío Vega', 'Hola, ¿tienen ofertas?'))).status, 200, 'first message accepted');
    const contact = await until(async () => (await api(url, `/api/v1/contacts?query=${waId}`, { token: agent })).body.contacts[0], 'the contact exists');
    assert.equal(contact.marketingOptOut, null, 'a customer who writes is not opted out');
    assert.equal((await postWebhook(url, 'whatsapp', waText(waId, 'Rocío Vega', '  BAJA  '))).status, 200, 'BAJA accepted');
    const optedOut = await until(async () => (await contactNow(contact.id)).marketingOptOut, 'opted out');
    assert.equal(optedOut.source, 'keyword');
    assert.equal(optedOut.keyword, 'BAJA');
    assert.equal(optedOut.channel, 'whatsapp');
    const live = await eventually(
      () => events.find((e) => e.type === 'contact.upserted' && e.data.contact.id === contact.id && e.data.contact.marketingOptOut),
      5000,
      'the opt-out reaches the agent socket',
    );
    assert.equal(live.type === 'contact.upserted' && live.data.contact.marketingOptOut?.keyword, 'BAJA');
    const audit = await api(url, `/api/v1/audit?target=${contact.id}&action=contact.marketing_opt_out`, { token: admin });
    assert.equal(audit.body.entries.length, 1, 'the opt-out is audited once');
    assert.deepEqual(audit.body.entries[0].data, { keyword: 'BAJA', channel: 'whatsapp' });
    // The message itself is kept, and the conversation goes on.
    const conversations = await api(url, `/api/v1/conversations?status=all&query=${waId}`, { token: agent });
    const messages = await api(url, `/api/v1/conversations/${conversations.body.conversations[0].id}/messages`, { token: agent });
    assert.ok(messages.body.messages.some((m: any) => m.body.trim() === 'BAJA'), 'the message is in the thread');
    socket.disconnect();
  });

  test('"Stop." on Instagram and "¡Parár!" count; a sentence containing the word does not', async () => {
    const igId = `1784${randomInt(1e9, 9e9)}`;
    assert.equal((await postWebhook(url, 'instagram', igMessage(igId, { text: 'Stop.' }))).status, 200, 'instagram webhook accepted');
    const ig = await until(async () => (await api(url, `/api/v1/contacts?query=${igId}`, { token: agent })).body.contacts[0], 'the instagram contact exists');
    const record = await until(async () => (await contactNow(ig.id)).marketingOptOut, 'the instagram contact is opted out');
    assert.deepEqual([record.keyword, record.channel], ['STOP', 'instagram']);

    const sentence = await whatsappCustomer('No quiero parar de comprar aquí, ¿tienen la talla M?');
    assert.equal((await contactNow(sentence.id)).marketingOptOut, null, 'a sentence with the word is no opt-out');
    assert.equal(optOutKeyword('¡Parár!'), 'PARAR');
    assert.equal(optOutKeyword('sair'), 'SAIR');
    assert.equal(optOutKeyword('Unsubscribe 🙏'), 'UNSUBSCRIBE');
    assert.equal(optOutKeyword('stop sending me the wrong size'), null);
  });
});

describe('agents and admins', () => {
  test('an agent opts a contact out and back in, audited with who and when; a viewer cannot', async () => {
    const contact = await whatsappCustomer('¿Me avisan cuando llegue?');
    const refused = await api(url, `/api/v1/contacts/${contact.id}`, { token: viewer, method: 'PATCH', body: { marketingOptOut: true } });
    assert.equal(refused.status, 403, 'a viewer cannot change consent');
    const out = await api(url, `/api/v1/contacts/${contact.id}`, { token: agent, method: 'PATCH', body: { marketingOptOut: true } });
    assert.equal(out.status, 200, JSON.stringify(out.body));
    assert.equal(out.body.marketingOptOut.source, 'agent');
    assert.equal(out.body.marketingOptOut.byName, 'Acme Agent');
    const again = await api(url, `/api/v1/contacts/${contact.id}`, { token: admin, method: 'PATCH', body: { marketingOptOut: true } });
    assert.equal(again.body.marketingOptOut.at, out.body.marketingOptOut.at, 'opting out again keeps the first record');
    assert.equal(again.body.marketingOptOut.byName, 'Acme Agent');
    const back = await api(url, `/api/v1/contacts/${contact.id}`, { token: admin, method: 'PATCH', body: { marketingOptOut: false } });
    assert.equal(back.body.marketingOptOut, null, 'opted back in');
    const edits = await api(url, `/api/v1/audit?target=${contact.id}&action=contact.update`, { token: admin });
    const changes = edits.body.entries.map((e: any) => [e.actorName, e.data.changes.marketingOptOut?.to?.source ?? null]).reverse();
    assert.deepEqual(changes[0], ['Acme Agent', 'agent'], 'the opt-out is on record');
    assert.deepEqual(changes.at(-1), ['Acme Admin', null], 'and the opt-in');
    const bad = await api(url, `/api/v1/contacts/${contact.id}`, { token: agent, method: 'PATCH', body: { marketingOptOut: 'yes' } });
    assert.equal(bad.status, 400, 'a consent that is not true or false is refused');
  });

  test('merging keeps an opt-out, whichever of the two had it', async () => {
    const survivor = await whatsappCustomer('Hola, soy Marta');
    const other = await whatsappCustomer('BAJA');
    await until(async () => (await contactNow(other.id)).marketingOptOut, 'the other is opted out');
    const merged = await api(url, `/api/v1/contacts/${survivor.id}/merge`, { token: agent, method: 'POST', body: { mergeId: other.id } });
    assert.equal(merged.status, 200, JSON.stringify(merged.body));
    assert.equal(merged.body.marketingOptOut?.keyword, 'BAJA', 'the one contact is opted out');
  });
});

describe('bulk sends', () => {
  test('the audience of a bulk send leaves out whoever opted out', async () => {
    const [a, b, c] = [await whatsappCustomer('Hola'), await whatsappCustomer('parar'), await whatsappCustomer('Buenas')];
    await until(async () => (await contactNow(b.id)).marketingOptOut, 'b is opted out');
    await api(url, `/api/v1/contacts/${c.id}`, { token: agent, method: 'PATCH', body: { marketingOptOut: true } });
    const foreign = await (async () => {
      const waId = `5215${randomInt(1e7, 9e7)}`;
      // Another workspace's contact is never in this one's audience.
      const row = await kit.test.server.store.contacts.list(kit.test.globex.workspace.id, { limit: 1 });
      return row[0]?.id ?? `con_${waId}`;
    })();
    const audience = await marketingAudience(kit.test.server.store, kit.test.acme.workspace.id, [a.id, b.id, c.id, foreign, a.id]);
    assert.deepEqual(audience.recipients, [a.id], 'only who did not opt out, once');
    assert.deepEqual(audience.optedOut, [b.id, c.id]);
    assert.deepEqual(audience.unknown, [foreign]);
  });
});
