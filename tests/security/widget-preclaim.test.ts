/**
 * Account pre-claim through the widget: an anonymous visitor types a customer's email (or a
 * contact of theirs ends up one with the customer's), and waits for the real customer to sign
 * in. A visitor session sees only what it is entitled to — the conversations it started, and
 * those of the site user it proved with a valid hash — never every conversation of its contact.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Message, MessagePage, VisitorChangeEvent, VisitorMessage, VisitorSession, VisitorSyncResult, WidgetConfig } from '@charla/protocol';
import type { Socket } from 'socket.io-client';
import {
  api, clientId, connectAgent, connectVisitor, emitAck, eventually, recordEvents, request, startServer, type TestServer,
} from '../server/helpers.js';

let t: TestServer;
let secret: string;
before(async () => {
  t = await startServer();
  const widget = await api<WidgetConfig>(t.url, '/api/v1/workspace/widget', { token: t.acme.admin.token });
  secret = widget.body.secret;
  const form = await api(t.url, '/api/v1/workspace/widget', { token: t.acme.admin.token, method: 'PATCH', body: { preChat: { name: 'off', email: 'optional', phone: 'off' } } });
  assert.equal(form.status, 200);
});
after(() => t.close());

const hmac = (id: string) => createHmac('sha256', secret).update(id).digest('hex');
const connect = (token?: string) => connectVisitor(t.url, t.acme.workspace.widgetKey, token);
const say = (socket: Socket, body: string) => request<VisitorMessage>(socket, 'message.send', { clientId: clientId(), body });

/** Everything a visitor connection can learn of messages: the current page and the replayable log. */
async function visibleBodies(socket: Socket): Promise<string[]> {
  const page = await request<MessagePage<VisitorMessage>>(socket, 'messages.list', {});
  const log = await request<VisitorSyncResult>(socket, 'sync', { since: 0 });
  return [...new Set([...page.messages.map((m) => m.body), ...log.events.map((e) => e.data.message.body)])].sort();
}

/** Ways an anonymous visitor can put someone else's email on their own contact. */
const claims: Record<string, (socket: Socket, email: string) => Promise<{ token?: string }>> = {
  'the profile form': (socket, email) => request(socket, 'profile.update', { email }),
  'the pre-chat form': (socket, email) => request(socket, 'prechat.submit', { email }),
  'identify() beside their own signed id': (socket, email) => request(socket, 'identify', { id: `mallory-${email}`, email, hash: hmac(`mallory-${email}`) }),
};

describe('an unverified email never joins a verified identity', () => {
  for (const [way, claim] of Object.entries(claims)) {
    test(`a visitor who typed the customer's email in ${way} sees nothing of the customer once they sign in`, async () => {
      const email = `victim-${clientId().toLowerCase()}@shop.test`;
      const mallory = await connect();
      let malloryToken = (await request<VisitorSession>(mallory, 'session.get')).token;
      malloryToken = (await claim(mallory, email)).token ?? malloryToken;
      const own = await say(mallory, 'Hola, soy yo');
      const heard = recordEvents<VisitorChangeEvent>(mallory);

      // The customer signs in on the site (their user id is their email) and writes.
      const customer = await connect();
      const { token } = await request<{ token: string }>(customer, 'identify', { id: email, hash: hmac(email) });
      const signedIn = await connect(token);
      const answers = recordEvents<VisitorChangeEvent>(signedIn);
      const written = await say(signedIn, 'Mi pedido #77 va a Calle Falsa 123');
      assert.notEqual(written.conversationId, own.conversationId, "the customer does not write into the visitor's conversation");
      const agent = await connectAgent(t.url, t.acme.agent.token);
      await request<Message>(agent, 'message.send', { conversationId: written.conversationId, clientId: clientId(), body: 'Tu pedido sale mañana' });
      await eventually(() => answers.some((e) => e.data.message.body === 'Tu pedido sale mañana'));

      for (const socket of [mallory, await connect(malloryToken)]) {
        assert.deepEqual(await visibleBodies(socket), ['Hola, soy yo']);
        const session = await request<VisitorSession>(socket, 'session.get');
        assert.equal(session.conversation?.id, own.conversationId);
      }
      assert.deepEqual(heard.map((e) => e.data.message.body), [], 'nothing of the customer arrives live either');
      assert.deepEqual(await visibleBodies(signedIn), ['Mi pedido #77 va a Calle Falsa 123', 'Tu pedido sale mañana']);
    });
  }

  test('even when agents merge two visitors into one contact, each sees only their own conversations', async () => {
    const bob = await connect();
    const bobToken = (await request<VisitorSession>(bob, 'session.get')).token;
    const bobFirst = await say(bob, 'Soy Bob');
    const alice = await connect();
    await say(alice, 'Soy Alice, vivo en Calle Luna 5');
    const [aliceSession, bobSession] = await Promise.all([
      request<VisitorSession>(alice, 'session.get'),
      request<VisitorSession>(await connect(bobToken), 'session.get'),
    ]);
    const merged = await api(t.url, `/api/v1/contacts/${aliceSession.contactId}/merge`, {
      token: t.acme.agent.token, method: 'POST', body: { mergeId: bobSession.contactId },
    });
    assert.equal(merged.status, 200, JSON.stringify(merged.body));

    const again = await connect(bobToken);
    assert.deepEqual(await visibleBodies(again), ['Soy Bob']);
    const next = await say(again, '¿Siguen ahí?');
    assert.equal(next.conversationId, bobFirst.conversationId, "Bob keeps writing in his own conversation, not Alice's");
    assert.deepEqual(await visibleBodies(alice), ['Soy Alice, vivo en Calle Luna 5']);
  });
});

describe('a workspace that requires verified identities', () => {
  test('refuses details the visitor types about themselves (profile.update), and changes nothing', async () => {
    const patched = await api(t.url, '/api/v1/workspace/widget', { token: t.globex.admin.token, method: 'PATCH', body: { requireVerifiedIdentity: true } });
    assert.equal(patched.status, 200);
    const visitor = await connectVisitor(t.url, t.globex.workspace.widgetKey);
    const { contactId } = await request<VisitorSession>(visitor, 'session.get');
    const refused = await emitAck(visitor, 'profile.update', { name: 'Director General', email: 'ceo@globex.test' });
    assert.equal(refused.ok, false);
    if (!refused.ok) assert.equal(refused.error.code, 'forbidden');
    const contact = await api(t.url, `/api/v1/contacts/${contactId}`, { token: t.globex.agent.token });
    assert.equal(contact.body.email, null);
    assert.equal(contact.body.name, null);
  });
});
