import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Channel, ChangeEvent, Conversation, ConversationPage, ConversationStatus, Message } from '@charla/protocol';
import type { Socket } from 'socket.io-client';
import { afterMessage, newContact, newConversation, newMessage } from '../../server/src/services/entities.js';
import {
  clientId, connectAgent, emitAck, eventually, recordEvents, request, settle, startServer, visitorWrites,
  type TestServer,
} from './helpers.js';

let t: TestServer;
before(async () => {
  t = await startServer();
});
after(() => t.close());

interface Spec {
  name: string;
  channel: Channel;
  status: ConversationStatus;
  assignee?: 'admin' | 'agent';
  email?: string;
  phone?: string;
  handle: string;
  messages: string[];
}

/** A conversation as a channel integration would have stored it (customer messages, minutes apart). */
async function storeConversation(spec: Spec, minutesAgo: number): Promise<Conversation> {
  const workspace = t.globex;
  const start = Date.now() - minutesAgo * 60_000;
  const contact = newContact({
    workspaceId: workspace.workspace.id, name: spec.name, email: spec.email ?? null, phone: spec.phone ?? null,
    identities: [{ channel: spec.channel, handle: spec.handle }], createdAt: new Date(start).toISOString(),
  });
  let conversation = newConversation({
    workspaceId: contact.workspaceId, contactId: contact.id, channel: spec.channel, status: spec.status,
    assigneeId: spec.assignee ? workspace[spec.assignee].agent.id : null, createdAt: new Date(start).toISOString(),
  });
  await t.server.store.transaction(async (scope) => {
    await scope.contacts.insert(contact);
    await scope.conversations.insert(conversation);
    for (const [index, body] of spec.messages.entries()) {
      const message = newMessage({
        workspaceId: contact.workspaceId, conversationId: conversation.id, direction: 'in', senderKind: 'contact',
        senderId: contact.id, senderName: contact.name, body, createdAt: new Date(start + index * 1000).toISOString(),
      });
      await scope.messages.insert(message);
      conversation = afterMessage(conversation, message);
    }
    await scope.conversations.save(conversation);
  });
  return conversation;
}

describe('conversations.list', () => {
  let agent: Socket;
  const byName = new Map<string, Conversation>();
  const specs: Spec[] = [
    { name: 'María López', channel: 'whatsapp', status: 'open', assignee: 'agent', phone: '+525512345678', handle: '5215512345678', messages: ['Hola, ¿cuánto cuesta la taza?'] },
    { name: 'Julián Pérez', channel: 'whatsapp', status: 'pending', handle: '5491123456789', messages: ['¿Hacen envíos a Córdoba?'] },
    { name: 'Fernanda Souza', channel: 'instagram', status: 'open', handle: '7214556398012345', messages: ['Oi! Qual é o preço da mochila?'] },
    { name: 'Emily Carter', channel: 'webchat', status: 'resolved', assignee: 'admin', email: 'emily@example.com', handle: 'vis_emily', messages: ['Where is order #4790?'] },
    { name: 'Diego Fernández', channel: 'email', status: 'snoozed', assignee: 'agent', email: 'diego@cafemontana.mx', handle: 'diego@cafemontana.mx', messages: ['Cotización de 150 tazas, 100% algodón'] },
    { name: 'Camilo Rodríguez', channel: 'whatsapp', status: 'open', handle: '573001234567', messages: ['El jarrón llegó roto', 'Necesito una solución'] },
  ];

  before(async () => {
    agent = await connectAgent(t.url, t.globex.agent.token);
    // Oldest first: Camilo ends up with the most recent activity.
    for (const [index, spec] of specs.entries()) byName.set(spec.name, await storeConversation(spec, 60 - index * 5));
  });

  const names = (page: ConversationPage) =>
    page.conversations.map((c) => page.contacts.find((contact) => contact.id === c.contactId)?.name);

  test('defaults to open conversations, newest activity first, with their contacts', async () => {
    const page: ConversationPage = await request(agent, 'conversations.list', {});
    assert.deepEqual(names(page), ['Camilo Rodríguez', 'Fernanda Souza', 'María López']);
    assert.equal(page.nextCursor, null);
    assert.deepEqual(page.counts, { open: 3, pending: 1, snoozed: 1, resolved: 1, all: 6 });
    assert.equal(page.contacts.length, 3);
  });

  test('filters by status, assignee and channel; counts follow the other filters', async () => {
    const list = (filter: object): Promise<ConversationPage> => request(agent, 'conversations.list', filter);
    assert.deepEqual(names(await list({ status: 'pending' })), ['Julián Pérez']);
    assert.deepEqual(names(await list({ status: 'all', assignee: 'me' })), ['Diego Fernández', 'María López']);
    const mine = await list({ status: 'open', assignee: 'me' });
    assert.deepEqual(mine.counts, { open: 1, pending: 0, snoozed: 1, resolved: 0, all: 2 });
    assert.deepEqual(names(await list({ status: 'all', assignee: 'unassigned' })), ['Camilo Rodríguez', 'Fernanda Souza', 'Julián Pérez']);
    assert.deepEqual(names(await list({ status: 'all', assignee: t.globex.admin.agent.id })), ['Emily Carter']);
    const whatsapp = await list({ status: 'all', channel: 'whatsapp' });
    assert.deepEqual(names(whatsapp), ['Camilo Rodríguez', 'Julián Pérez', 'María López']);
    assert.deepEqual(whatsapp.counts, { open: 2, pending: 1, snoozed: 0, resolved: 0, all: 3 });
  });

  test('searches contact name, email, phone, handles and message bodies', async () => {
    const search = async (query: string) => names(await request(agent, 'conversations.list', { status: 'all', query }));
    assert.deepEqual(await search('maría'), ['María López']);
    assert.deepEqual(await search('CAFEMONTANA'), ['Diego Fernández']);
    assert.deepEqual(await search('+5255'), ['María López']);
    assert.deepEqual(await search('7214556398'), ['Fernanda Souza']);
    assert.deepEqual(await search('jarrón'), ['Camilo Rodríguez']);
    assert.deepEqual(await search('#4790'), ['Emily Carter']);
    assert.deepEqual(await search('100%'), ['Diego Fernández'], 'wildcards are literal');
    assert.deepEqual(await search('_'), ['Emily Carter'], 'only her handle vis_emily has an underscore');
    assert.deepEqual(await search('   '), names(await request(agent, 'conversations.list', { status: 'all' })), 'blank query matches all');
  });

  test('pages with a cursor, in order, without repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: ConversationPage = await request(agent, 'conversations.list', { status: 'all', limit: 4, ...(cursor ? { cursor } : {}) });
      seen.push(...(names(page) as string[]));
      assert.equal(page.counts.all, 6);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    assert.equal(pages, 2);
    assert.deepEqual(seen, [...specs].reverse().map((spec) => spec.name));
  });

  test('filters by priority and by label (a label is matched whole, wildcards literal)', async () => {
    const update = (name: string, change: object) =>
      request(agent, 'conversation.update', { conversationId: byName.get(name)!.id, ...change });
    await update('Camilo Rodríguez', { priority: 'urgent', labels: ['reclamo', 'vip'] });
    await update('Fernanda Souza', { labels: ['vip_50%'] });
    const list = async (filter: object) => names(await request(agent, 'conversations.list', { status: 'all', ...filter }));
    assert.deepEqual(await list({ priority: 'urgent' }), ['Camilo Rodríguez']);
    assert.deepEqual(await list({ label: 'vip' }), ['Camilo Rodríguez']);
    assert.deepEqual(await list({ label: 'vip_50%' }), ['Fernanda Souza']);
    assert.deepEqual(await list({ label: 'vi' }), []);
    const refused = await emitAck(agent, 'conversations.list', { label: '', priority: 'asap' });
    assert.equal((refused as { ok: boolean }).ok, false);
  });
});

describe('working a conversation', () => {
  test('the first agent reply ends the wait and sets the first reply time; notes change nothing', async () => {
    const agent = await connectAgent(t.url, t.acme.agent.token);
    const { conversationId } = await visitorWrites(t, t.acme, 'Do you have gift wrapping?');
    const before = (await request(agent, 'conversation.get', { conversationId })).conversation as Conversation;
    assert.ok(before.waitingSince, 'before.waitingSince');
    assert.equal(before.firstReplyAt, null);

    const note = await request<Message>(agent, 'message.send', { conversationId, clientId: clientId(), body: 'Check with the warehouse', private: true });
    assert.equal(note.private, true);
    const afterNote = (await request(agent, 'conversation.get', { conversationId })).conversation as Conversation;
    assert.equal(afterNote.lastMessagePreview, 'Do you have gift wrapping?');
    assert.equal(afterNote.waitingSince, before.waitingSince);

    const reply = await request<Message>(agent, 'message.send', { conversationId, clientId: clientId(), body: 'Yes,   for free!' });
    assert.equal(reply.senderName, 'Acme Agent');
    assert.equal(reply.status, 'sent');
    const answered = (await request(agent, 'conversation.get', { conversationId })).conversation as Conversation;
    assert.equal(answered.waitingSince, null);
    assert.equal(answered.firstReplyAt, reply.createdAt);
    assert.equal(answered.lastMessagePreview, 'Yes, for free!');
    assert.equal(answered.lastMessageAt, reply.createdAt);

    await request(agent, 'message.send', { conversationId, clientId: clientId(), body: 'Anything else?' });
    const later = (await request(agent, 'conversation.get', { conversationId })).conversation as Conversation;
    assert.equal(later.firstReplyAt, reply.createdAt, 'only the first reply counts');
  });

  test('replies on channels other than webchat wait for delivery', async () => {
    const whatsapp = await storeConversation(
      { name: 'Ricardo Torres', channel: 'whatsapp', status: 'open', handle: '5218112345678', messages: ['Ya pagué'] }, 1,
    );
    const agent = await connectAgent(t.url, t.globex.agent.token);
    const reply = await request<Message>(agent, 'message.send', { conversationId: whatsapp.id, clientId: clientId(), body: 'Gracias, lo revisamos' });
    assert.equal(reply.status, 'pending');
  });

  test('conversation.update writes who did what into the thread and logs it', async () => {
    const agent = await connectAgent(t.url, t.acme.admin.token);
    const events = recordEvents(agent);
    const { conversationId } = await visitorWrites(t, t.acme, 'I want a refund');
    await eventually(() => events.length >= 2);
    const { seq } = await request(agent, 'session.get', {});

    const updated = await request<Conversation>(agent, 'conversation.update', {
      conversationId, status: 'pending', priority: 'urgent', assigneeId: t.acme.agent.agent.id, labels: ['refund', 'vip', 'refund'],
    });
    assert.equal(updated.status, 'pending');
    assert.equal(updated.priority, 'urgent');
    assert.equal(updated.assigneeId, t.acme.agent.agent.id);
    assert.deepEqual(updated.labels, ['refund', 'vip']);

    const lines = [
      'Acme Admin set status to pending',
      'Acme Admin set priority to urgent',
      'Acme Admin assigned the conversation to Acme Agent',
      'Acme Admin set labels to refund, vip',
    ];
    const page = await request(agent, 'messages.list', { conversationId });
    const system = page.messages.filter((m: Message) => m.senderKind === 'system');
    assert.deepEqual(system.map((m: Message) => m.body), lines);
    assert.ok(system.every((m: Message) => m.private && m.type === 'system'), "system.every((m: Message) => m.private && m.type === 'system')");

    const { events: logged } = await request(agent, 'sync', { since: seq });
    // The new assignee is also notified (notifications have their own tests).
    assert.deepEqual(logged.map((e: ChangeEvent) => e.type), [...lines.map(() => 'message.upserted'), 'conversation.upserted', 'notification.created']);
    const last = logged.at(-2) as Extract<ChangeEvent, { type: 'conversation.upserted' }>;
    assert.deepEqual(last.data.conversation, updated);
    const notified = logged.at(-1)!;
    await eventually(() => events.some((e) => e.seq === notified.seq));

    const unchanged = await request<Conversation>(agent, 'conversation.update', { conversationId, status: 'pending' });
    assert.deepEqual(unchanged, updated);
    await settle();
    assert.equal((await request(agent, 'sync', { since: notified.seq })).events.length, 0, 'no change, no event');

    const unassigned = await request<Conversation>(agent, 'conversation.update', { conversationId, assigneeId: null, labels: [] });
    assert.equal(unassigned.assigneeId, null);
    const newest = await request(agent, 'messages.list', { conversationId, limit: 2 });
    assert.deepEqual(newest.messages.map((m: Message) => m.body), ['Acme Admin unassigned the conversation', 'Acme Admin removed all labels']);

    const stranger = await emitAck(agent, 'conversation.update', { conversationId, assigneeId: t.globex.agent.agent.id });
    assert.equal(!stranger.ok && stranger.error.code, 'invalid_payload', 'only agents of the workspace can be assigned');
  });

  test('conversation.read clears the unread count once', async () => {
    const agent = await connectAgent(t.url, t.acme.agent.token);
    const { visitor, conversationId } = await visitorWrites(t, t.acme, 'One');
    await request(visitor, 'message.send', { clientId: clientId(), body: 'Two' });
    assert.equal((await request(agent, 'conversation.get', { conversationId })).conversation.unreadCount, 2);
    const events = recordEvents(agent);
    const read = await request<Conversation>(agent, 'conversation.read', { conversationId });
    assert.equal(read.unreadCount, 0);
    await eventually(() => events.some((e) => e.type === 'conversation.upserted' && e.conversationId === conversationId));
    await request(agent, 'conversation.read', { conversationId });
    await settle();
    assert.equal(events.length, 1, 'reading again changes nothing');
  });

  test('messages.list pages backwards through the history', async () => {
    const agent = await connectAgent(t.url, t.acme.agent.token);
    const { visitor, conversationId } = await visitorWrites(t, t.acme, 'Message 1');
    for (let i = 2; i <= 7; i += 1) await request(visitor, 'message.send', { clientId: clientId(), body: `Message ${i}` });
    const newest = await request(agent, 'messages.list', { conversationId, limit: 3 });
    assert.deepEqual(newest.messages.map((m: Message) => m.body), ['Message 5', 'Message 6', 'Message 7']);
    assert.equal(newest.hasMore, true);
    const older = await request(agent, 'messages.list', { conversationId, limit: 3, before: newest.messages[0].id });
    assert.deepEqual(older.messages.map((m: Message) => m.body), ['Message 2', 'Message 3', 'Message 4']);
    const oldest = await request(agent, 'messages.list', { conversationId, limit: 3, before: older.messages[0].id });
    assert.deepEqual(oldest.messages.map((m: Message) => m.body), ['Message 1']);
    assert.equal(oldest.hasMore, false);
  });

  test('notes about a contact are logged for agents', async () => {
    const agent = await connectAgent(t.url, t.acme.agent.token);
    const events = recordEvents(agent);
    const { contactId } = await visitorWrites(t, t.acme);
    const note = await request(agent, 'note.create', { contactId, body: 'Prefers WhatsApp' });
    assert.equal(note.authorId, t.acme.agent.agent.id);
    const event = await eventually(() => events.find((e) => e.type === 'note.created'));
    assert.deepEqual(event.data, { note });
  });
});
