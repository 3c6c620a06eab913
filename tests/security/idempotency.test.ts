/**
 * Client ids (idempotency keys) belong to their sender: an agent, or a visitor session. Another
 * sender's id never answers with someone else's message, nor refuses the send (a refusal would
 * tell that the id exists): it simply sends the sender's own message.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Message, MessagePage, VisitorMessage } from '@charla/protocol';
import type { Socket } from 'socket.io-client';
import { clientId, connectAgent, connectVisitor, emitAck, request, startServer, type TestServer } from '../server/helpers.js';

let t: TestServer;
before(async () => {
  t = await startServer();
});
after(() => t.close());

const visitor = () => connectVisitor(t.url, t.acme.workspace.widgetKey);
const say = (socket: Socket, body: string, id = clientId()) => request<VisitorMessage>(socket, 'message.send', { clientId: id, body });
const thread = async (agent: Socket, conversationId: string) =>
  (await request<MessagePage>(agent, 'messages.list', { conversationId })).messages.map((m) => m.body);

describe('client ids are scoped to their sender', () => {
  test("a visitor sending with the client id of an agent's private note gets their own message, never the note", async () => {
    const customer = await visitor();
    const first = await say(customer, 'Hola, ¿me dan crédito?');
    const agent = await connectAgent(t.url, t.acme.agent.token);
    const noteId = clientId();
    await request<Message>(agent, 'message.send', {
      conversationId: first.conversationId, clientId: noteId, body: 'Cliente moroso: no dar crédito', private: true,
    });

    const replay = await say(customer, '¿Hola?', noteId);
    assert.equal(replay.body, '¿Hola?');
    assert.equal(replay.senderKind, 'contact');
    assert.equal(replay.clientId, noteId);
    const seen = await request<MessagePage<VisitorMessage>>(customer, 'messages.list', {});
    assert.deepEqual(seen.messages.map((m) => m.body), ['Hola, ¿me dan crédito?', '¿Hola?']);
    assert.deepEqual(await thread(agent, first.conversationId), ['Hola, ¿me dan crédito?', 'Cliente moroso: no dar crédito', '¿Hola?']);
  });

  test("another visitor's client id is neither a conflict nor an answer: the sender's own message is sent", async () => {
    const alice = await visitor();
    const aliceId = clientId();
    const hers = await say(alice, 'Mi tarjeta termina en 4242', aliceId);

    const mallory = await visitor();
    const taken = await emitAck<VisitorMessage>(mallory, 'message.send', { clientId: aliceId, body: 'hola' });
    const fresh = await emitAck<VisitorMessage>(mallory, 'message.send', { clientId: clientId(), body: 'hola' });
    assert.equal(taken.ok, true, JSON.stringify(taken));
    assert.equal(fresh.ok, true, 'a used and an unused id get the same kind of answer');
    if (!taken.ok) return;
    assert.equal(taken.data.body, 'hola');
    assert.notEqual(taken.data.id, hers.id);
    assert.notEqual(taken.data.conversationId, hers.conversationId);
    const agent = await connectAgent(t.url, t.acme.agent.token);
    assert.deepEqual(await thread(agent, hers.conversationId), ['Mi tarjeta termina en 4242'], "Alice's conversation is untouched");
  });

  test("an agent reusing another agent's client id sends their own reply", async () => {
    const customer = await visitor();
    const { conversationId } = await say(customer, 'Necesito ayuda');
    const admin = await connectAgent(t.url, t.acme.admin.token);
    const agent = await connectAgent(t.url, t.acme.agent.token);
    const id = clientId();
    const adminReply = await request<Message>(admin, 'message.send', { conversationId, clientId: id, body: 'Te ayudo yo' });
    const agentReply = await request<Message>(agent, 'message.send', { conversationId, clientId: id, body: 'Ya lo veo' });
    assert.notEqual(agentReply.id, adminReply.id);
    assert.equal(agentReply.body, 'Ya lo veo');
    assert.equal(agentReply.senderId, t.acme.agent.agent.id);
    assert.deepEqual(await thread(agent, conversationId), ['Necesito ayuda', 'Te ayudo yo', 'Ya lo veo']);
  });

  test('a retried send from the same sender is still stored once; its id on another conversation is a conflict', async () => {
    const customer = await visitor();
    const id = clientId();
    const sent = await say(customer, 'Una sola vez', id);
    assert.equal((await say(customer, 'Una sola vez', id)).id, sent.id);

    const agent = await connectAgent(t.url, t.acme.agent.token);
    const replyId = clientId();
    const reply = await request<Message>(agent, 'message.send', { conversationId: sent.conversationId, clientId: replyId, body: 'Recibido' });
    const retried = await request<Message>(agent, 'message.send', { conversationId: sent.conversationId, clientId: replyId, body: 'Recibido' });
    assert.equal(retried.id, reply.id);
    assert.deepEqual(await thread(agent, sent.conversationId), ['Una sola vez', 'Recibido']);

    const other = await say(await visitor(), 'Otra conversación');
    const clash = await emitAck(agent, 'message.send', { conversationId: other.conversationId, clientId: replyId, body: 'Recibido' });
    assert.equal(clash.ok, false);
    if (!clash.ok) assert.equal(clash.error.code, 'conflict');
  });
});
