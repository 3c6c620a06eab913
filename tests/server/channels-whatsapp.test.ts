import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { signatureOf } from '../../server/src/channels/signature.js';
import {
  IG, nowSeconds, postWebhook, startChannelTest, until, WA, waMessages, waStatuses, waText, type ChannelTest,
} from '../support/channels.js';
import { api, clientId, connectAgent, recordEvents, request } from './helpers.js';

let kit: ChannelTest;
let url: string;
let token: string;

before(async () => {
  kit = await startChannelTest();
  url = kit.test.url;
  token = kit.test.acme.agent.token;
});
after(() => kit.close());

async function conversationOf(handle: string) {
  const contacts = await api(url, `/api/v1/contacts?query=${encodeURIComponent(handle)}`, { token });
  const contact = contacts.body.contacts[0];
  if (!contact) return undefined;
  const list = await api(url, `/api/v1/conversations?status=all&channel=whatsapp&query=${encodeURIComponent(handle)}`, { token });
  const conversation = list.body.conversations.find((c: any) => c.contactId === contact.id);
  return conversation && { contact, conversation };
}

async function messagesOf(conversationId: string): Promise<any[]> {
  return (await api(url, `/api/v1/conversations/${conversationId}/messages?limit=100`, { token })).body.messages;
}

/** Waits until the customer's conversation shows a message matching `check`. */
async function waitForMessage(handle: string, check: (m: any) => boolean) {
  let found: { message: any; conversation: any; contact: any } | undefined;
  for (let i = 0; !found && i < 200; i += 1) {
    const c = await conversationOf(handle);
    const message = c && (await messagesOf(c.conversation.id)).find(check);
    if (message) found = { message, ...c! };
    else await new Promise((r) => setTimeout(r, 25));
  }
  if (!found) throw new Error(`No message of ${handle} matched`);
  return found;
}


describe('WhatsApp webhook handshake', () => {
  test('answers the bare challenge to the configured verify token', async () => {
    const response = await fetch(`${url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${WA.verifyToken}&hub.challenge=1158201444`);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), '1158201444');
  });

  test('refuses a wrong verify token or mode', async () => {
    const wrong = await fetch(`${url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`);
    assert.equal(wrong.status, 403);
    const mode = await fetch(`${url}/webhooks/whatsapp?hub.mode=unsubscribe&hub.verify_token=${WA.verifyToken}&hub.challenge=1`);
    assert.equal(mode.status, 403);
    const instagramTokenOnWhatsapp = await fetch(`${url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${IG.verifyToken}&hub.challenge=1`);
    assert.equal(instagramTokenOnWhatsapp.status, 403);
  });
});

describe('WhatsApp webhook signature', () => {
  test('rejects unsigned, badly signed and wrongly keyed deliveries and stores nothing', async () => {
    const payload = waText('5215500000001', 'Intruso', 'no debería entrar');
    assert.equal((await postWebhook(url, 'whatsapp', payload, { secret: null })).status, 401);
    assert.equal((await postWebhook(url, 'whatsapp', payload, { secret: 'another-secret' })).status, 403);
    assert.equal((await postWebhook(url, 'whatsapp', payload, { signature: 'sha256=zz' })).status, 403);
    assert.equal((await postWebhook(url, 'whatsapp', payload, { signature: 'md5=abc' })).status, 403);
    // Signed over different bytes than those sent.
    const raw = JSON.stringify(payload);
    assert.equal((await postWebhook(url, 'whatsapp', payload, { raw: `${raw} `, signature: signatureOf(raw, WA.appSecret) })).status, 403);
    const jobs = await kit.test.server.store.jobs.list({ kind: 'whatsapp.webhook' });
    const contacts = await api(url, '/api/v1/contacts?query=5215500000001', { token });
    assert.equal(contacts.body.contacts.length, 0);
    assert.ok(jobs.every((job) => !JSON.stringify(job.payload).includes('5215500000001')), "jobs.every((job) => !JSON.stringify(job.payload).includes('5215500000001'))");
  });

  test('accepts a signature over the escaped-unicode form of the body', async () => {
    const payload = waText('5215500000002', 'José Núñez', '¿Tienen envíos a Mérida? 🚚');
    const raw = JSON.stringify(payload);
    const escaped = raw.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const result = await postWebhook(url, 'whatsapp', payload, { raw, signature: signatureOf(escaped, WA.appSecret) });
    assert.equal(result.status, 200);
    const { message, contact } = await waitForMessage('5215500000002', (m) => m.direction === 'in');
    assert.equal(message.body, '¿Tienen envíos a Mérida? 🚚');
    assert.equal(contact.name, 'José Núñez');
  });
});

describe('WhatsApp inbound messages', () => {
  test('creates the contact from the profile and wa_id, and stores a text once however often Meta retries', async () => {
    const payload = waText('5215512340001', 'Ana Torres', 'Hola, ¿cuánto cuesta?');
    for (let i = 0; i < 3; i += 1) assert.equal((await postWebhook(url, 'whatsapp', payload)).status, 200);
    const { contact, conversation } = await waitForMessage('5215512340001', (m) => m.body === 'Hola, ¿cuánto cuesta?');
    await until(async () => (await kit.test.server.store.jobs.list({ kind: 'whatsapp.webhook', state: 'queued' })).length === 0, 'jobs drained');
    await new Promise((r) => setTimeout(r, 100));
    const messages = await messagesOf(conversation.id);
    assert.equal(messages.filter((m) => m.body === 'Hola, ¿cuánto cuesta?').length, 1);
    assert.equal(contact.name, 'Ana Torres');
    assert.equal(contact.phone, '+525512340001');
    assert.deepEqual(contact.identities.map((i: any) => [i.channel, i.handle]), [['whatsapp', '5215512340001']]);
    assert.equal(conversation.channel, 'whatsapp');
    assert.ok(Date.parse(conversation.windowExpiresAt) > Date.now() + 23 * 3600_000, 'Date.parse(conversation.windowExpiresAt) > Date.now() + 23 * 3600_000');
  });

  test('a sender known only by a business-scoped user id (no wa_id) becomes a contact without a phone', async () => {
    const payload = waText('US.13491208655302741918', 'Sin Teléfono', 'hola') as any;
    payload.entry[0].changes[0].value.contacts = [{ profile: { name: 'Sin Teléfono' }, user_id: 'US.13491208655302741918' }];
    assert.equal((await postWebhook(url, 'whatsapp', payload)).status, 200);
    const { contact } = await waitForMessage('US.13491208655302741918', (m) => m.body === 'hola');
    assert.equal(contact.phone, null);
    assert.equal(contact.name, 'Sin Teléfono');
    assert.deepEqual(contact.identities.map((i: any) => [i.channel, i.handle]), [['whatsapp', 'US.13491208655302741918']]);
  });

  test('parses and stores every inbound type with its content; unknown types are kept as unsupported', async () => {
    const waId = '5215512340002';
    kit.graph.media.set('media-img-1', { mimeType: 'image/jpeg', bytes: Buffer.from('fake-jpeg-bytes') });
    const payload = waMessages(waId, 'Tipos', [
      { type: 'image', image: { id: 'media-img-1', mime_type: 'image/jpeg', sha256: 'abc', caption: 'Mi recibo' } },
      { type: 'document', document: { id: 'media-doc-1', mime_type: 'application/pdf', sha256: 'def', filename: 'factura.pdf' } },
      { type: 'audio', audio: { id: 'media-aud-1', mime_type: 'audio/ogg', voice: true } },
      { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Sí, confirmar' } } },
      { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'l2', title: 'Talla M', description: 'Mediana' } } },
      { type: 'button', button: { payload: 'STOP', text: 'Dejar de recibir' } },
      { type: 'location', location: { latitude: 19.4326, longitude: -99.1332, name: 'Zócalo', address: 'Centro, CDMX' } },
      { type: 'contacts', contacts: [{ name: { formatted_name: 'Luis Pérez' }, phones: [{ phone: '+52 55 9999 0000', wa_id: '5215599990000' }] }] },
      { type: 'reaction', reaction: { message_id: 'wamid.earlier', emoji: '👍' } },
      { type: 'order', order: { catalog_id: 'c1', product_items: [] } },
    ]);
    assert.equal((await postWebhook(url, 'whatsapp', payload)).status, 200);
    const { conversation } = await waitForMessage(waId, (m) => m.type === 'unsupported');
    const messages = await messagesOf(conversation.id);
    const byType = (type: string) => messages.filter((m) => m.type === type);
    assert.equal(byType('image')[0].body, 'Mi recibo');
    assert.equal(byType('image')[0].content.media.mimeType, 'image/jpeg');
    assert.equal(byType('document')[0].body, 'factura.pdf');
    assert.equal(byType('audio')[0].content.media.voice, true);
    assert.deepEqual(byType('interactive').map((m) => m.body), ['Sí, confirmar', 'Talla M']);
    assert.equal(byType('button')[0].body, 'Dejar de recibir');
    assert.equal(byType('location')[0].body, 'Zócalo, Centro, CDMX');
    assert.equal(byType('location')[0].content.location.latitude, 19.4326);
    assert.equal(byType('contacts')[0].body, 'Luis Pérez');
    assert.equal(byType('reaction')[0].body, '👍');
    assert.equal(byType('reaction')[0].content.reaction.messageId, 'wamid.earlier');
    assert.equal(byType('unsupported')[0].body, 'Unsupported message (order)');
    assert.equal(byType('unsupported')[0].content.unsupported.type, 'order');

    // The image is downloaded through the Graph API (with the bearer token) into local storage.
    const image = await until(async () => {
      const current = (await messagesOf(conversation.id)).find((m) => m.type === 'image');
      return current?.content.media.url ? current : undefined;
    }, 'media downloaded');
    const download = await fetch(`${url}${image.content.media.url}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(download.status, 200);
    assert.equal(await download.text(), 'fake-jpeg-bytes');
    assert.ok(kit.graph.requests.some((r) => r.path === '/v21.0/media-img-1' && r.authorization === `Bearer ${WA.accessToken}`), "kit.graph.requests.some((r) => r.path === '/v21.0/media-img-1' && r.authorization === `Bearer ${W…");
  });
});

describe('WhatsApp outbound', () => {
  async function customerWrites(waId: string, name: string, timestamp = nowSeconds()) {
    await postWebhook(url, 'whatsapp', waText(waId, name, 'Hola', { timestamp }));
    return waitForMessage(waId, (m) => m.direction === 'in');
  }

  async function reply(conversationId: string, body: string) {
    return api(url, `/api/v1/conversations/${conversationId}/messages`, { token, method: 'POST', body: { clientId: clientId(), body } });
  }

  async function messageById(conversationId: string, id: string) {
    return (await messagesOf(conversationId)).find((m) => m.id === id);
  }

  test('sends an agent reply through the Graph API and applies statuses only forwards', async () => {
    const { conversation } = await customerWrites('5215512340003', 'Estados');
    const sent = await reply(conversation.id, 'Cuesta 1,500 MXN');
    assert.equal(sent.status, 201);
    assert.equal(sent.body.status, 'pending');
    const delivered = await until(async () => {
      const m = await messageById(conversation.id, sent.body.id);
      return m?.status === 'sent' ? m : undefined;
    }, 'sent');
    const request = kit.graph.sent(`/${WA.phoneNumberId}/messages`).find((r) => r.body.text?.body === 'Cuesta 1,500 MXN');
    assert.ok(request, 'request');
    assert.deepEqual(request.body, { messaging_product: 'whatsapp', recipient_type: 'individual', to: '5215512340003', type: 'text', text: { body: 'Cuesta 1,500 MXN' } });
    assert.equal(request.authorization, `Bearer ${WA.accessToken}`);

    const id = delivered.channelMessageId;
    await postWebhook(url, 'whatsapp', waStatuses([{ id, status: 'read' }]));
    await until(async () => (await messageById(conversation.id, sent.body.id))?.status === 'read', 'read');
    // Late `delivered` and `sent` never move it back.
    await postWebhook(url, 'whatsapp', waStatuses([{ id, status: 'delivered' }, { id, status: 'sent' }]));
    await until(async () => (await kit.test.server.store.jobs.list({ kind: 'whatsapp.webhook', state: 'queued' })).length === 0, 'drained');
    await new Promise((r) => setTimeout(r, 150));
    assert.equal((await messageById(conversation.id, sent.body.id)).status, 'read');
  });

  test("opening the conversation sends a read receipt for the customer's latest message, once", async () => {
    const waId = '5215512340099';
    await postWebhook(url, 'whatsapp', waText(waId, 'Palomitas', 'Hola'));
    await postWebhook(url, 'whatsapp', waText(waId, 'Palomitas', '¿Siguen abiertos?'));
    const { conversation, message } = await waitForMessage(waId, (m) => m.body === '¿Siguen abiertos?');
    const agent = await connectAgent(url, token);
    await request(agent, 'conversation.read', { conversationId: conversation.id });
    const receipts = () => kit.graph.sent(`/${WA.phoneNumberId}/messages`).filter((r) => r.body.status === 'read');
    const receipt = await until(async () => receipts().find((r) => r.body.message_id === message.channelMessageId), 'read receipt');
    assert.deepEqual(receipt.body, { messaging_product: 'whatsapp', status: 'read', message_id: message.channelMessageId });
    assert.equal(receipt.authorization, `Bearer ${WA.accessToken}`);
    const count = receipts().length;
    await request(agent, 'conversation.read', { conversationId: conversation.id });
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(receipts().length, count, 'nothing unread, nothing sent');
  });

  test('shows a failed status with its reason, including 131047 arriving later', async () => {
    const { conversation } = await customerWrites('5215512340004', 'Fallo');
    const sent = await reply(conversation.id, 'Hola de nuevo');
    const m = await until(async () => {
      const current = await messageById(conversation.id, sent.body.id);
      return current?.status === 'sent' ? current : undefined;
    }, 'sent');
    await postWebhook(url, 'whatsapp', waStatuses([{
      id: m.channelMessageId, status: 'failed',
      errors: [{ code: 131047, title: 'Re-engagement message', error_data: { details: 'Message failed to send because more than 24 hours have passed' } }],
    }]));
    const failed = await until(async () => {
      const current = await messageById(conversation.id, sent.body.id);
      return current?.status === 'failed' ? current : undefined;
    }, 'failed');
    assert.match(failed.error, /^131047: Re-engagement message/);
    // Meta's word wins over our clock: the conversation now shows the window closed.
    const after = await api(url, `/api/v1/conversations/${conversation.id}`, { token });
    assert.ok(Date.parse(after.body.conversation.windowExpiresAt) < Date.now(), 'Date.parse(after.body.conversation.windowExpiresAt) < Date.now()');
    assert.equal((await reply(conversation.id, 'otra vez')).body.error.code, 'window_closed');
  });

  test('retries rate limits with backoff, then delivers once', async () => {
    const { conversation } = await customerWrites('5215512340005', 'Reintentos');
    kit.graph.failNext(`/${WA.phoneNumberId}/messages`, { code: 130429, status: 429, message: 'Rate limit hit' }, { code: 131056, message: 'Pair rate limit hit' });
    const before = kit.graph.sent(`/${WA.phoneNumberId}/messages`).length;
    const agent = await connectAgent(url, token);
    const events = recordEvents<any>(agent);
    const sent = await reply(conversation.id, 'Con reintento');
    const final = await until(async () => {
      const current = await messageById(conversation.id, sent.body.id);
      return current?.status === 'sent' ? current : undefined;
    }, 'sent after retries');
    assert.equal(final.error, null);
    assert.equal(kit.graph.sent(`/${WA.phoneNumberId}/messages`).length - before, 3);
    // While it waited, agents were shown why (live), then the error cleared.
    const updates = events.filter((e) => e.type === 'message.upserted' && e.data.message.id === sent.body.id).map((e) => e.data.message);
    assert.ok(updates.some((m) => m.status === 'pending' && /^Retrying: 130429/.test(m.error ?? '')), JSON.stringify(updates));
    assert.equal(updates.at(-1).status, 'sent');
  });

  test('does not retry permanent errors and shows them on the message (131026, then 131047 at once)', async () => {
    const { conversation } = await customerWrites('5215512340006', 'Permanente');
    for (const [code, pattern] of [[131026, /^131026:/], [131047, /^131047:/]] as const) {
      kit.graph.failNext(`/${WA.phoneNumberId}/messages`, { code, message: code === 131047 ? 'Re-engagement message' : 'Message undeliverable' });
      const before = kit.graph.sent(`/${WA.phoneNumberId}/messages`).length;
      const sent = await reply(conversation.id, `Permanente ${code}`);
      const failed = await until(async () => {
        const current = await messageById(conversation.id, sent.body.id);
        return current?.status === 'failed' ? current : undefined;
      }, `failed ${code}`);
      assert.match(failed.error, pattern);
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(kit.graph.sent(`/${WA.phoneNumberId}/messages`).length - before, 1);
    }
    // 131047 closed the window: the next free text is refused before reaching Meta.
    assert.equal((await reply(conversation.id, 'sigo aquí')).body.error.code, 'window_closed');
  });

  test('refuses free text outside the 24-hour window with window_closed, and sends an approved template', async () => {
    const dayAndMore = String(Math.floor(Date.now() / 1000) - 25 * 3600);
    const { conversation } = await customerWrites('5215512340007', 'Ventana', dayAndMore);
    assert.ok(Date.parse(conversation.windowExpiresAt) < Date.now(), 'Date.parse(conversation.windowExpiresAt) < Date.now()');
    const refused = await reply(conversation.id, 'Hola?');
    assert.equal(refused.status, 422);
    assert.equal(refused.body.error.code, 'window_closed');
    // A private note is not a send: always allowed.
    const note = await api(url, `/api/v1/conversations/${conversation.id}/messages`, { token, method: 'POST', body: { clientId: clientId(), body: 'Llamar mañana', private: true } });
    assert.equal(note.status, 201);

    const admin = kit.test.acme.admin.token;
    const synced = await api(url, '/api/v1/channels/whatsapp/templates/sync', { token: admin, method: 'POST' });
    assert.equal(synced.status, 200);
    assert.deepEqual(synced.body.templates.map((t: any) => t.name), ['order_update', 'welcome_back', 'draft_offer']);
    const listed = await api(url, '/api/v1/channels/whatsapp/templates', { token });
    assert.equal(listed.body.templates.length, 3);

    const wrongCount = await api(url, `/api/v1/conversations/${conversation.id}/templates`, { token, method: 'POST', body: { clientId: clientId(), name: 'order_update', language: 'es_MX', parameters: ['Ana'] } });
    assert.equal(wrongCount.status, 400);
    const pending = await api(url, `/api/v1/conversations/${conversation.id}/templates`, { token, method: 'POST', body: { clientId: clientId(), name: 'draft_offer', language: 'es_MX' } });
    assert.equal(pending.status, 400);

    const template = await api(url, `/api/v1/conversations/${conversation.id}/templates`, {
      token, method: 'POST', body: { clientId: clientId(), name: 'order_update', language: 'es_MX', parameters: ['Ana', '#1043'] },
    });
    assert.equal(template.status, 201);
    assert.equal(template.body.body, 'Hola Ana, tu pedido #1043 está en camino.');
    await until(async () => (await messageById(conversation.id, template.body.id))?.status === 'sent', 'template sent');
    const request = kit.graph.sent(`/${WA.phoneNumberId}/messages`).find((r) => r.body.type === 'template');
    assert.deepEqual(request?.body.template, {
      name: 'order_update', language: { code: 'es_MX' },
      components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }, { type: 'text', text: '#1043' }] }],
    });

    // The customer writes again: the window reopens.
    await postWebhook(url, 'whatsapp', waText('5215512340007', 'Ventana', 'Gracias'));
    await waitForMessage('5215512340007', (m) => m.body === 'Gracias');
    const reopened = await reply(conversation.id, 'A ti');
    assert.equal(reopened.status, 201);
  });
});

describe('Channel settings', () => {
  test('are admin-only and never return secrets', async () => {
    const forbidden = await api(url, '/api/v1/channels/whatsapp', { token });
    assert.equal(forbidden.status, 403);
    const view = await api(url, '/api/v1/channels/whatsapp', { token: kit.test.acme.admin.token });
    assert.equal(view.status, 200);
    assert.equal(view.body.configured, true);
    assert.equal(view.body.ids.phoneNumberId, WA.phoneNumberId);
    assert.deepEqual(view.body.secrets, { accessToken: true, appSecret: true, verifyToken: true });
    assert.ok(!JSON.stringify(view.body).includes(WA.appSecret), '!JSON.stringify(view.body).includes(WA.appSecret)');
    assert.ok(!JSON.stringify(view.body).includes(WA.accessToken), '!JSON.stringify(view.body).includes(WA.accessToken)');
    const invalid = await api(url, '/api/v1/channels/whatsapp', { token: kit.test.acme.admin.token, method: 'PUT', body: { appSecret: '' } });
    assert.equal(invalid.status, 400);
    const other = await api(url, '/api/v1/channels/whatsapp', { token: kit.test.globex.admin.token });
    assert.equal(other.body.configured, false);
  });
});

