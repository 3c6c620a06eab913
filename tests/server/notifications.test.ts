import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ChangeEvent, MessagePage, NotificationList } from '@charla/protocol';
import type { Socket } from 'socket.io-client';
import { clientId, connectAgent, emitAck, eventually, recordEvents, request, startServer, visitorWrites, type TestServer } from './helpers.js';

let t: TestServer;
let admin: Socket;
let agent: Socket;
let conversationId: string;

before(async () => {
  t = await startServer();
  admin = await connectAgent(t.url, t.acme.admin.token);
  agent = await connectAgent(t.url, t.acme.agent.token);
  ({ conversationId } = await visitorWrites(t, t.acme, 'Necesito factura de mi pedido 4471'));
});
after(() => t.close());

const list = (socket: Socket): Promise<NotificationList> => request(socket, 'notifications.list', {});

describe('notifications', () => {
  test('a teammate mentioned in a note is notified live, once, and only them', async () => {
    const events = recordEvents(agent);
    const note = await request(admin, 'message.send', {
      conversationId, clientId: clientId(), private: true,
      body: '@Agent revisa la factura por favor', mentions: [t.acme.agent.agent.id, t.acme.agent.agent.id, t.acme.admin.agent.id],
    });
    const created = await eventually(() =>
      events.find((e: ChangeEvent) => e.type === 'notification.created' && e.data.notification.agentId === t.acme.agent.agent.id),
    );
    assert.equal(created.type === 'notification.created' && created.data.notification.messageId, note.id);
    const mine = await list(agent);
    assert.equal(mine.unread, 1);
    assert.deepEqual(mine.notifications.map((n) => [n.kind, n.actorName, n.preview]), [['mention', t.acme.admin.agent.name, '@Agent revisa la factura por favor']]);
    assert.equal((await list(admin)).unread, 0, 'mentioning yourself notifies nobody');
  });

  test('a mention outside a note, or of a stranger, is refused and stores nothing', async () => {
    const reply = await emitAck(admin, 'message.send', { conversationId, clientId: clientId(), body: 'hola', mentions: [t.acme.agent.agent.id] });
    assert.equal(reply.ok ? null : reply.error.code, 'invalid_payload');
    assert.match(reply.ok ? '' : reply.error.message, /mentions/);
    const body = 'nota para alguien de otra empresa';
    const stranger = await emitAck(admin, 'message.send', { conversationId, clientId: clientId(), private: true, body, mentions: [t.globex.agent.agent.id] });
    assert.equal(stranger.ok ? null : stranger.error.code, 'invalid_payload');
    const page: MessagePage = await request(admin, 'messages.list', { conversationId });
    assert.equal(page.messages.filter((m) => m.body === body).length, 0, 'the note was not stored either');
  });

  test('being given a conversation notifies the assignee; claiming it yourself does not', async () => {
    const before = (await list(agent)).unread;
    await request(admin, 'conversation.update', { conversationId, assigneeId: t.acme.agent.agent.id });
    // The notification is written in the same transaction as the assignment.
    assert.equal((await list(agent)).unread, before + 1);
    const latest = (await list(agent)).notifications[0]!;
    assert.equal(latest.kind, 'assignment');
    assert.equal(latest.preview, 'Necesito factura de mi pedido 4471');
    await request(admin, 'conversation.update', { conversationId, assigneeId: t.acme.admin.agent.id });
    assert.equal((await list(admin)).unread, 0);
  });

  test('reading clears the unread count in every tab', async () => {
    const otherTab = await connectAgent(t.url, t.acme.agent.token);
    const events = recordEvents(otherTab);
    const { unread } = await request(agent, 'notifications.read', {});
    assert.equal(unread, 0);
    await eventually(() => events.find((e: ChangeEvent) => e.type === 'notifications.read' && e.data.agentId === t.acme.agent.agent.id));
    assert.equal((await list(otherTab)).unread, 0);
    otherTab.disconnect();
  });
});
