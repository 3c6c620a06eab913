import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FB, IG, fbMessage, igMessage, conversationOfHandle, postWebhook, startChannelTest, until, waText, type ChannelTest } from '../support/channels.js';
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

const conversationOf = (psid: string) => conversationOfHandle(url, token, 'messenger', psid);

const messagesOf = async (conversationId: string): Promise<any[]> =>
  (await api(url, `/api/v1/conversations/${conversationId}/messages?limit=100`, { token })).body.messages;

test('settings: the Page must be readable with the token given; secrets are not shown', async () => {
  const admin = kit.test.acme.admin.token;
  const view = await api(url, '/api/v1/channels/messenger', { token: admin });
  assert.equal(view.status, 200);
  assert.equal(view.body.configured, true);
  assert.equal(view.body.ids.pageId, FB.pageId);
  assert.deepEqual(view.body.secrets, { accessToken: true, appSecret: true, verifyToken: true });
  const wrong = await api(url, '/api/v1/channels/messenger', { token: admin, method: 'PUT', body: { pageId: '999000', accessToken: 'not-the-page-token' } });
  assert.equal(wrong.status, 422);
  assert.equal(wrong.body.error.code, 'channel_unverified');
  const bad = await api(url, '/api/v1/channels/messenger', { token: admin, method: 'PUT', body: { pageId: 'a b' } });
  assert.equal(bad.status, 400);
  assert.equal((await api(url, '/api/v1/channels/messenger', { token })).status, 403, 'agents cannot read the settings');
});

test('handshake with the Messenger verify token; unsigned or wrongly signed deliveries are refused', async () => {
  const ok = await fetch(`${url}/webhooks/messenger?hub.mode=subscribe&hub.verify_token=${FB.verifyToken}&hub.challenge=xyz`);
  assert.equal(ok.status, 200);
  assert.equal(await ok.text(), 'xyz');
  const payload = fbMessage('PSID-x', { text: 'hola' });
  assert.equal((await postWebhook(url, 'messenger', payload, { secret: null })).status, 401);
  assert.equal((await postWebhook(url, 'messenger', payload, { secret: 'ig-app-secret' })).status, 403, 'the Instagram secret is not the Page’s');
  assert.equal((await api(url, '/api/v1/contacts?query=PSID-x', { token })).body.contacts.length, 0);
});

test('texts are stored once, attachments kept; replies go through the Send API to the Page; echoes recognized', async () => {
  const text = fbMessage('PSID-1', { text: '¿Hacen envíos a Córdoba?' });
  assert.equal((await postWebhook(url, 'messenger', text)).status, 200);
  await postWebhook(url, 'messenger', text);
  kit.graph.media.set('fb-photo', { mimeType: 'image/jpeg', bytes: Buffer.from('jpeg-from-messenger') });
  await postWebhook(url, 'messenger', fbMessage('PSID-1', { attachments: [{ type: 'image', payload: { url: `${kit.graph.url}/files/fb-photo` } }] }));
  const conversation = await conversationOf('PSID-1');
  assert.equal(conversation.channel, 'messenger');
  const image = await until(async () => (await messagesOf(conversation.id)).find((m) => m.type === 'image' && m.content?.media?.url), 'image kept');
  const download = await fetch(`${url}${image.content.media.url}`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(await download.text(), 'jpeg-from-messenger');
  assert.equal((await messagesOf(conversation.id)).filter((m) => m.body === '¿Hacen envíos a Córdoba?').length, 1);

  const sent = await api(url, `/api/v1/conversations/${conversation.id}/messages`, { token, method: 'POST', body: { clientId: clientId(), body: 'Sí, por Andreani' } });
  assert.equal(sent.status, 201);
  const delivered = await until(async () => (await messagesOf(conversation.id)).find((m) => m.id === sent.body.id && m.status === 'sent'), 'sent');
  const request = kit.graph.sent(`/${FB.pageId}/messages`).find((r) => r.body.recipient.id === 'PSID-1');
  assert.deepEqual(request?.body, { recipient: { id: 'PSID-1' }, message: { text: 'Sí, por Andreani' }, messaging_type: 'RESPONSE' });
  assert.equal(request?.authorization, `Bearer ${FB.accessToken}`);
  await postWebhook(url, 'messenger', fbMessage('PSID-1', { mid: delivered.channelMessageId, text: 'Sí, por Andreani' }, true));
  await postWebhook(url, 'messenger', fbMessage('PSID-1', { text: 'Escrito desde la Page' }, true));
  await until(async () => (await messagesOf(conversation.id)).find((m) => m.body === 'Escrito desde la Page' && m.direction === 'out'), 'echo from the Page');
  assert.equal((await messagesOf(conversation.id)).filter((m) => m.body === 'Sí, por Andreani').length, 1);
});

test('after 24 hours replies carry the HUMAN_AGENT tag; after 7 days they are refused', async () => {
  const payload = fbMessage('PSID-3', { text: 'hola' }) as any;
  payload.entry[0].messaging[0].timestamp = Date.now() - 2 * 24 * 3600_000;
  await postWebhook(url, 'messenger', payload);
  const conversation = await conversationOf('PSID-3');
  const sent = await api(url, `/api/v1/conversations/${conversation.id}/messages`, { token, method: 'POST', body: { clientId: clientId(), body: 'Perdón la demora' } });
  await until(async () => (await messagesOf(conversation.id)).find((m) => m.id === sent.body.id && m.status === 'sent'), 'sent');
  const request = kit.graph.sent(`/${FB.pageId}/messages`).find((r) => r.body.recipient.id === 'PSID-3');
  assert.equal(request?.body.messaging_type, 'MESSAGE_TAG');
  assert.equal(request?.body.tag, 'HUMAN_AGENT');

  const old = fbMessage('PSID-4', { text: 'hola' }) as any;
  old.entry[0].messaging[0].timestamp = Date.now() - 8 * 24 * 3600_000;
  await postWebhook(url, 'messenger', old);
  const stale = await conversationOf('PSID-4');
  const refused = await api(url, `/api/v1/conversations/${stale.id}/messages`, { token, method: 'POST', body: { clientId: clientId(), body: 'Hola?' } });
  assert.equal(refused.status, 422);
  assert.equal(refused.body.error.code, 'window_closed');
  assert.match(refused.body.error.message, /Messenger/);
});

test('a PSID is one identity: the customer who writes their email joins the contact that already holds it', async () => {
  await postWebhook(url, 'whatsapp', waText('5491155550001', 'Martina Ruiz', 'Mi correo es martina@ruiz.test'));
  const older = await until(async () => (await api(url, '/api/v1/contacts?query=martina@ruiz.test', { token })).body.contacts[0], 'WhatsApp contact with the email');
  await postWebhook(url, 'messenger', fbMessage('PSID-5', { text: 'Hola, soy martina@ruiz.test' }));
  const conversation = await until(async () => {
    const list = await api(url, '/api/v1/conversations?status=all&channel=messenger&limit=100', { token });
    return list.body.conversations.find((c: any) => c.contactId === older.id);
  }, 'the Messenger conversation on the older contact');
  const contact = (await api(url, `/api/v1/conversations/${conversation.id}`, { token })).body.contact;
  assert.ok(contact.identities.some((i: any) => i.channel === 'messenger' && i.handle === 'PSID-5'), 'the PSID is one of its identities');
  await postWebhook(url, 'messenger', fbMessage('PSID-5', { text: 'otra vez' }));
  await until(async () => (await messagesOf(conversation.id)).find((m) => m.body === 'otra vez'), 'second message in the same conversation');
});

test("profile names: Messenger's and Instagram's Graph profiles name nameless contacts, never over a name an agent gave", async () => {
  const contactOf = async (channel: 'messenger' | 'instagram', handle: string) =>
    (await api(url, `/api/v1/conversations/${(await conversationOfHandle(url, token, channel, handle)).id}`, { token })).body.contact;
  kit.graph.profiles.set('PSID-profile-1', { name: 'Lucía Benítez', profile_pic: 'https://scontent.example/lucia.jpg' });
  await postWebhook(url, 'messenger', fbMessage('PSID-profile-1', { text: 'Hola, ¿tienen talle M?' }));
  const named = await until(async () => {
    const contact = await contactOf('messenger', 'PSID-profile-1');
    return contact.name ? contact : undefined;
  }, 'the Messenger contact named from the profile');
  assert.equal(named.name, 'Lucía Benítez');
  const read = kit.graph.requests.find((r) => r.method === 'GET' && r.path.endsWith('/PSID-profile-1'));
  assert.equal(read?.authorization, `Bearer ${FB.accessToken}`, 'read with the Page token');

  // Instagram: the name, else the username.
  kit.graph.profiles.set('IGSID-profile-2', { username: 'sofi.moda', profile_pic: 'https://scontent.example/sofi.jpg' });
  await postWebhook(url, 'instagram', igMessage('IGSID-profile-2', { text: 'precio?' }));
  assert.equal((await until(async () => (await contactOf('instagram', 'IGSID-profile-2')).name || undefined, 'the Instagram contact named')), 'sofi.moda');
  const igRead = kit.graph.requests.find((r) => r.method === 'GET' && r.path.endsWith('/IGSID-profile-2'));
  assert.equal(igRead?.authorization, `Bearer ${IG.accessToken}`);

  // An agent names the customer before Meta answers: the agent's name stays.
  await postWebhook(url, 'messenger', fbMessage('PSID-profile-3', { text: 'Buenas' }));
  const unnamed = await contactOf('messenger', 'PSID-profile-3');
  const renamed = await api(url, `/api/v1/contacts/${unnamed.id}`, { token, method: 'PATCH', body: { name: 'Don Ramón (mayorista)' } });
  assert.equal(renamed.status, 200);
  kit.graph.profiles.set('PSID-profile-3', { name: 'Ramón Valdés' });
  const before = kit.graph.requests.length;
  await postWebhook(url, 'messenger', fbMessage('PSID-profile-3', { text: '¿Siguen ahí?' }));
  await until(async () => (await messagesOf((await conversationOfHandle(url, token, 'messenger', 'PSID-profile-3')).id)).find((m) => m.body === '¿Siguen ahí?'), 'second message');
  // The first message's read was refused (no profile then); the named contact asks for none.
  assert.ok(!kit.graph.requests.slice(before).some((r) => r.path.endsWith('/PSID-profile-3')), 'a named contact is not read again');
  assert.equal((await contactOf('messenger', 'PSID-profile-3')).name, 'Don Ramón (mayorista)', "the agent's name is kept");

  // Meta refuses the profile (no permission): the contact stays nameless, nothing breaks.
  await postWebhook(url, 'messenger', fbMessage('PSID-profile-4', { text: 'hola' }));
  await until(async () => kit.graph.requests.find((r) => r.path.endsWith('/PSID-profile-4')), 'the profile asked for');
  assert.equal((await contactOf('messenger', 'PSID-profile-4')).name, null);
});
