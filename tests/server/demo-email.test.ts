import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startDemoServer, type DemoServer } from '../support/demo-server.js';
import { api, clientId, eventually } from './helpers.js';

let demo: DemoServer;

before(async () => {
  demo = await startDemoServer();
});
after(() => demo.close());

test('the demo has an email inbox: a reply in the seeded email conversation is really sent over SMTP and shows as sent', async () => {
  const inbox = await api(demo.url, '/api/v1/channels/email', { token: demo.token });
  assert.equal(inbox.body.configured, true, 'the demo inbox is connected');
  const list = await api(demo.url, '/api/v1/conversations?status=all&channel=email&limit=50', { token: demo.token });
  const diego = list.body.conversations.find((c: any) => c.lastMessagePreview?.includes('crédito') || c.lastMessagePreview?.includes('Entrega'));
  assert.ok(diego, 'the seeded email conversation with Diego');
  const sent = await api(demo.url, `/api/v1/conversations/${diego.id}/messages`, {
    token: demo.token, method: 'POST', body: { clientId: clientId(), body: 'Diego, administración aprobó el crédito a 30 días.' },
  });
  assert.equal(sent.status, 201);
  const mail = await eventually(async () => {
    const outbox = await (await fetch(`${demo.url}/demo/mail-outbox`)).json();
    return outbox.messages.find((m: any) => m.text.startsWith('Diego, administración aprobó'));
  }, 8000, 'the reply at the demo SMTP server');
  assert.deepEqual(mail.to, ['diego@cafemontana.mx']);
  assert.match(mail.replyTo, /^hola\+.+@tienda-demo\.test$/);
  await eventually(async () => {
    const messages = (await api(demo.url, `/api/v1/conversations/${diego.id}/messages?limit=100`, { token: demo.token })).body.messages;
    return messages.find((m: any) => m.id === sent.body.id && m.status === 'sent');
  }, 8000, 'the reply marked sent, not "Sending" forever');
});
