import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { IG, WA, conversationOfHandle, igMessage, postWebhook, startChannelTest, until, waText, type ChannelTest } from '../support/channels.js';
import { api, connectAgent, emitAck, recordEvents, visitorWrites, type TestServer } from './helpers.js';

// A reply may carry a link card (what a quick action such as "Payment link" sends): WhatsApp gets
// a call-to-action button, Instagram a card with a button, the widget the text with its link.

let kit: ChannelTest;
let t: TestServer;
const agent = <T = any>(path: string, init: { method?: string; body?: unknown } = {}) =>
  api<T>(t.url, `/api/v1${path}`, { token: t.acme.agent.token, method: init.method ?? 'GET', ...(init.body !== undefined ? { body: init.body } : {}) });
const messagesOf = async (conversationId: string): Promise<any[]> => (await agent(`/conversations/${conversationId}/messages?limit=100`)).body.messages;

const link = { title: 'Pagar $1,500.00 MXN', url: 'https://pay.example.test/pl_123' };
const body = `Aquí está tu link de pago: ${link.url}`;

before(async () => {
  kit = await startChannelTest();
  t = kit.test;
});
after(() => kit.close());

test('WhatsApp: the link goes as a call-to-action button whose label fits in 20 characters', async () => {
  await postWebhook(t.url, 'whatsapp', waText('5215511112222', 'Irene', '¿Cómo pago?'));
  const conversation = await conversationOfHandle(t.url, t.acme.agent.token, 'whatsapp', '5215511112222');
  const sent = await agent(`/conversations/${conversation.id}/messages`, { method: 'POST', body: { clientId: 'link-wa-0001', body, link } });
  assert.equal(sent.status, 201, JSON.stringify(sent.body));
  assert.deepEqual(sent.body.content.link, link);
  const request = await until(async () => kit.graph.sent(`/${WA.phoneNumberId}/messages`).find((r) => r.body.to === '5215511112222' && r.body.type === 'interactive'), 'the button');
  assert.deepEqual(request.body.interactive, {
    type: 'cta_url',
    body: { text: 'Aquí está tu link de pago:' },
    action: { name: 'cta_url', parameters: { display_text: 'Pagar $1,500.00 MXN', url: link.url } },
  });
  const stored = await until(async () => (await messagesOf(conversation.id)).find((m) => m.id === sent.body.id && m.status === 'sent'), 'sent');
  assert.ok(stored.channelMessageId, 'Meta gave its id');

  const long = await agent(`/conversations/${conversation.id}/messages`, { method: 'POST', body: { clientId: 'link-wa-0002', body: 'Otro', link: { title: 'Un título bastante más largo que veinte', url: 'https://pay.example.test/2' } } });
  assert.equal(long.status, 201);
  const second = await until(async () => kit.graph.sent(`/${WA.phoneNumberId}/messages`).find((r) => r.body.interactive?.action?.parameters?.url === 'https://pay.example.test/2'), 'the second');
  assert.equal(second.body.interactive.action.parameters.display_text.length, 20, 'cut to WhatsApp\'s 20 characters');
});

test('Instagram: the link goes as a card with a button', async () => {
  await postWebhook(t.url, 'instagram', igMessage('IGSID-link', { text: '¿Link de pago?' }));
  const conversation = await conversationOfHandle(t.url, t.acme.agent.token, 'instagram', 'IGSID-link');
  assert.equal((await agent(`/conversations/${conversation.id}/messages`, { method: 'POST', body: { clientId: 'link-ig-0001', body, link } })).status, 201);
  const request = await until(async () => kit.graph.sent(`/${IG.accountId}/messages`).find((r) => r.body.recipient.id === 'IGSID-link' && r.body.message.attachment), 'the card');
  const [element] = request.body.message.attachment.payload.elements;
  assert.equal(request.body.message.attachment.payload.template_type, 'generic');
  assert.equal(element.title, link.title);
  assert.equal(element.subtitle, 'Aquí está tu link de pago:');
  assert.deepEqual(element.buttons, [{ type: 'web_url', url: link.url, title: 'Pagar $1,500.00 MXN' }]);
});

test('the widget\'s visitor gets the message with its link; bad links and notes with links are refused and send nothing', async () => {
  const { visitor, conversationId } = await visitorWrites(t, t.acme, '¿Me mandan el link?');
  const heard = recordEvents<any>(visitor);
  const socket = await connectAgent(t.url, t.acme.agent.token);
  try {
    const sent = await emitAck(socket, 'message.send', { conversationId, clientId: 'link-web-0001', body, link });
    assert.equal(sent.ok, true, JSON.stringify(sent));
    const seen = await until(async () => heard.find((e) => e.type === 'message.upserted' && e.data.message.body === body)?.data.message, 'the visitor hears it');
    assert.deepEqual(seen.content.link, link);

    const before = (await messagesOf(conversationId)).length;
    for (const [payload, message] of [
      [{ link: { title: 'Pagar', url: 'javascript:alert(1)' } }, /link\.url: Use an http\(s\) URL/],
      [{ link: { title: '  ', url: 'https://pay.example.test/x' } }, /link\.title/],
      [{ link: { title: 'Pagar', url: `https://pay.example.test/${'x'.repeat(2000)}` } }, /link\.url/],
      [{ link: { title: 'Pagar', url: 'https://pay.example.test/x', extra: 1 } }, /extra|Unrecognized/],
      [{ link, private: true }, /Private notes do not carry link cards/],
    ] as const) {
      const refused = await emitAck(socket, 'message.send', { conversationId, clientId: `link-bad-${Math.random().toString(36).slice(2, 10)}`, body: 'Pagar', ...payload });
      assert.equal(!refused.ok && refused.error.code, 'invalid_payload', JSON.stringify(payload));
      assert.match(!refused.ok ? refused.error.message : '', message);
    }
    assert.equal((await messagesOf(conversationId)).length, before, 'refusals send nothing');
  } finally {
    socket.disconnect();
  }
});
