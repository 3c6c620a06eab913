import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { IG, igMessage, conversationOfHandle, postWebhook, startChannelTest, until, type ChannelTest } from '../support/channels.js';
import { api, clientId } from './helpers.js';

let kit: ChannelTest;
let url: string;
let token: string;

before(async () => {
  kit = await startChannelTest();
  url = kit.test.url;
  token = kit.test.acme.agent.token;
});
after(() => kit.close());


const conversationOf = (igsid: string) => conversationOfHandle(url, token, 'instagram', igsid);

const messagesOf = async (conversationId: string): Promise<any[]> =>
  (await api(url, `/api/v1/conversations/${conversationId}/messages?limit=100`, { token })).body.messages;

test('handshake and signature work as for WhatsApp, with the Instagram settings', async () => {
  const ok = await fetch(`${url}/webhooks/instagram?hub.mode=subscribe&hub.verify_token=${IG.verifyToken}&hub.challenge=abc`);
  assert.equal(ok.status, 200);
  assert.equal(await ok.text(), 'abc');
  const wrong = await fetch(`${url}/webhooks/instagram?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=abc`);
  assert.equal(wrong.status, 403);
  const payload = igMessage('IGSID-x', { text: 'hola' });
  assert.equal((await postWebhook(url, 'instagram', payload, { secret: null })).status, 401);
  // Signed with the WhatsApp secret: not this channel's.
  assert.equal((await postWebhook(url, 'instagram', payload, { secret: 'wa-app-secret' })).status, 403);
  const contacts = await api(url, '/api/v1/contacts?query=IGSID-x', { token });
  assert.equal(contacts.body.contacts.length, 0);
});

test('stores text and attachments once, timestamps in milliseconds', async () => {
  const text = igMessage('IGSID-1', { text: 'hola, ¿tienen talla M?' });
  await postWebhook(url, 'instagram', text);
  await postWebhook(url, 'instagram', text);
  kit.graph.media.set('ig-x', { mimeType: 'image/jpeg', bytes: Buffer.from('x') });
  await postWebhook(url, 'instagram', igMessage('IGSID-1', { attachments: [{ type: 'image', payload: { url: `${kit.graph.url}/files/ig-x` } }] }));
  const conversation = await conversationOf('IGSID-1');
  const messages = await until(async () => {
    const list = await messagesOf(conversation.id);
    return list.length >= 2 ? list : undefined;
  }, 'two messages');
  await new Promise((r) => setTimeout(r, 100));
  const all = await messagesOf(conversation.id);
  assert.equal(all.filter((m) => m.body === 'hola, ¿tienen talla M?').length, 1);
  const image = messages.find((m) => m.type === 'image');
  assert.deepEqual(image.content.attachments, [{ type: 'image', url: `${kit.graph.url}/files/ig-x` }]);
  assert.ok(Math.abs(Date.parse(conversation.windowExpiresAt) - (Date.now() + 7 * 24 * 3600_000)) < 60_000, 'Math.abs(Date.parse(conversation.windowExpiresAt) - (Date.now() + 7 * 24 * 3600_000)) < 60_000');
});

test('attachments are kept: the bytes behind the expiring link are stored and served with the agent token', async () => {
  kit.graph.media.set('ig-photo-1', { mimeType: 'image/png', bytes: Buffer.from('png-bytes-from-instagram') });
  const link = `${kit.graph.url}/files/ig-photo-1`;
  await postWebhook(url, 'instagram', igMessage('IGSID-9', { attachments: [{ type: 'image', payload: { url: link } }] }));
  const conversation = await until(async () => conversationOf('IGSID-9'), 'conversation');
  const image = await until(async () => (await messagesOf(conversation.id)).find((m) => m.type === 'image' && m.content?.media?.url), 'kept');
  assert.deepEqual(image.content.attachments, [{ type: 'image', url: link }], 'the original link stays');
  assert.equal(image.content.media.size, 'png-bytes-from-instagram'.length);
  const download = await fetch(`${url}${image.content.media.url}`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(download.status, 200);
  assert.equal(await download.text(), 'png-bytes-from-instagram');
  assert.equal((await fetch(`${url}${image.content.media.url}`)).status, 401, 'never without a token');
});

test('replies go through the Send API; their echo is recognized, an echo from the Instagram app is stored', async () => {
  await postWebhook(url, 'instagram', igMessage('IGSID-2', { text: 'hola' }));
  const conversation = await conversationOf('IGSID-2');
  const sent = await api(url, `/api/v1/conversations/${conversation.id}/messages`, { token, method: 'POST', body: { clientId: clientId(), body: 'Sí, tenemos' } });
  assert.equal(sent.status, 201);
  const delivered = await until(async () => (await messagesOf(conversation.id)).find((m) => m.id === sent.body.id && m.status === 'sent'), 'sent');
  const request = kit.graph.sent(`/${IG.accountId}/messages`).find((r) => r.body.recipient.id === 'IGSID-2');
  assert.deepEqual(request?.body, { recipient: { id: 'IGSID-2' }, message: { text: 'Sí, tenemos' }, messaging_type: 'RESPONSE' });
  assert.equal(request?.authorization, `Bearer ${IG.accessToken}`);

  // Meta echoes our own send: nothing new. An echo of a message typed in the Instagram app is kept.
  await postWebhook(url, 'instagram', igMessage('IGSID-2', { mid: delivered.channelMessageId, text: 'Sí, tenemos' }, true));
  await postWebhook(url, 'instagram', igMessage('IGSID-2', { text: 'Te escribo desde la app' }, true));
  const fromApp = await until(async () => (await messagesOf(conversation.id)).find((m) => m.body === 'Te escribo desde la app'), 'echo');
  assert.equal(fromApp.direction, 'out');
  assert.equal((await messagesOf(conversation.id)).filter((m) => m.body === 'Sí, tenemos').length, 1);
});

test('after 24 hours replies carry the HUMAN_AGENT tag; after 7 days they are refused', async () => {
  const twoDaysAgo = Date.now() - 2 * 24 * 3600_000;
  const payload = igMessage('IGSID-3', { text: 'hola' }) as any;
  payload.entry[0].messaging[0].timestamp = twoDaysAgo;
  await postWebhook(url, 'instagram', payload);
  const conversation = await conversationOf('IGSID-3');
  const sent = await api(url, `/api/v1/conversations/${conversation.id}/messages`, { token, method: 'POST', body: { clientId: clientId(), body: 'Perdón la demora' } });
  assert.equal(sent.status, 201);
  await until(async () => (await messagesOf(conversation.id)).find((m) => m.id === sent.body.id && m.status === 'sent'), 'sent');
  const request = kit.graph.sent(`/${IG.accountId}/messages`).find((r) => r.body.recipient.id === 'IGSID-3');
  assert.equal(request?.body.messaging_type, 'MESSAGE_TAG');
  assert.equal(request?.body.tag, 'HUMAN_AGENT');

  const old = igMessage('IGSID-4', { text: 'hola' }) as any;
  old.entry[0].messaging[0].timestamp = Date.now() - 8 * 24 * 3600_000;
  await postWebhook(url, 'instagram', old);
  const stale = await conversationOf('IGSID-4');
  const refused = await api(url, `/api/v1/conversations/${stale.id}/messages`, { token, method: 'POST', body: { clientId: clientId(), body: 'Hola?' } });
  assert.equal(refused.status, 422);
  assert.equal(refused.body.error.code, 'window_closed');
});
