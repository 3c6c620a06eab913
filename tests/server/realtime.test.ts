import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ChangeEvent, Message, VisitorChangeEvent } from '@charla/protocol';
import {
  api, clientId, connectAgent, connectVisitor, eventually, recordEvents, request, settle, startServer, visitorWrites,
  type TestServer,
} from './helpers.js';

let t: TestServer;
before(async () => {
  t = await startServer();
});
after(() => t.close());

test('a visitor message reaches connected agents live, with its conversation and contact', async () => {
  const agent = await connectAgent(t.url, t.acme.agent.token);
  const events = recordEvents(agent);
  const { conversationId, contactId } = await visitorWrites(t, t.acme, '¿Tienen envío a Monterrey?');

  const [messageEvent, conversationEvent] = await eventually(() => {
    const mine = events.filter((event) => event.conversationId === conversationId);
    return mine.length >= 2 && mine;
  });
  assert.equal(messageEvent!.type, 'message.upserted');
  const message = (messageEvent as Extract<ChangeEvent, { type: 'message.upserted' }>).data.message;
  assert.equal(message.body, '¿Tienen envío a Monterrey?');
  assert.equal(message.direction, 'in');
  assert.equal(message.senderKind, 'contact');
  assert.equal(conversationEvent!.type, 'conversation.upserted');
  const { conversation, contact } = (conversationEvent as Extract<ChangeEvent, { type: 'conversation.upserted' }>).data;
  assert.equal(conversation.status, 'open');
  assert.equal(conversation.channel, 'webchat');
  assert.equal(conversation.unreadCount, 1);
  assert.equal(conversation.lastMessagePreview, '¿Tienen envío a Monterrey?');
  assert.ok(conversation.waitingSince, 'the customer is now waiting');
  assert.equal(contact.id, contactId);
  assert.deepEqual(contact.identities.map((identity) => identity.channel), ['webchat']);
  assert.ok(conversationEvent!.seq > messageEvent!.seq, 'conversationEvent!.seq > messageEvent!.seq');
});

test("a commit's changes reach an agent's socket as one packet, and every packet in seq order", async () => {
  const agent = await connectAgent(t.url, t.acme.agent.token);
  const packets: ChangeEvent[][] = [];
  agent.on('events', (events: ChangeEvent[]) => packets.push(events));
  const { conversationId } = await visitorWrites(t, t.acme, 'Quiero 3 tazas azules');
  await visitorWrites(t, t.acme, 'Y un plato');

  const packet = await eventually(() => packets.find((events) => events.some((event) => event.conversationId === conversationId)));
  assert.deepEqual(
    packet.filter((event) => event.conversationId === conversationId).map((event) => event.type),
    ['message.upserted', 'conversation.upserted'],
    'the message and its conversation came together',
  );
  await eventually(() => packets.flat().filter((event) => event.type === 'message.upserted').length >= 2);
  const seqs = packets.flat().map((event) => event.seq);
  assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'in seq order across packets');
  for (const events of packets) assert.ok(events.every((event, i) => i === 0 || event.seq === events[i - 1]!.seq + 1), 'a packet holds consecutive changes');
});

test('the visitor gets the agent reply live, but never a private note or a system line', async () => {
  const agent = await connectAgent(t.url, t.acme.agent.token);
  const { visitor, conversationId } = await visitorWrites(t, t.acme, 'Is the blue mug in stock?');
  const received = recordEvents<VisitorChangeEvent>(visitor);

  await request(agent, 'message.send', { conversationId, clientId: clientId(), body: 'Customer seems upset, be kind', private: true });
  await request(agent, 'conversation.update', { conversationId, priority: 'high' });
  const reply = await request<Message>(agent, 'message.send', { conversationId, clientId: clientId(), body: 'Yes! We have 12 left.' });

  const [event] = await eventually(() => received.length > 0 && received);
  await settle();
  assert.equal(received.length, 1, 'only the public reply reaches the visitor');
  assert.equal(event!.type, 'message.upserted');
  assert.equal(event!.data.message.id, reply.id);
  assert.equal(event!.data.message.body, 'Yes! We have 12 left.');
  assert.equal(event!.data.message.senderName, 'Acme Agent');
  for (const hidden of ['private', 'workspaceId', 'channelMessageId']) {
    assert.ok(!(hidden in event!.data.message), `${hidden} is not shown to visitors`);
  }

  const page = await request(visitor, 'messages.list', {});
  assert.deepEqual(page.messages.map((m: Message) => m.body), ['Is the blue mug in stock?', 'Yes! We have 12 left.']);
  const sync = await request(visitor, 'sync', { since: 0 });
  assert.deepEqual(
    sync.events.map((e: VisitorChangeEvent) => e.data.message.body),
    ['Is the blue mug in stock?', 'Yes! We have 12 left.'],
  );
});

test('after a disconnect, sync returns exactly the missed events, in order', async () => {
  const colleague = await connectAgent(t.url, t.acme.admin.token);
  let agent = await connectAgent(t.url, t.acme.agent.token);
  const live = recordEvents(agent);
  const { visitor, conversationId } = await visitorWrites(t, t.acme, 'First question');
  await eventually(() => live.filter((e) => e.conversationId === conversationId).length === 2);
  const lastSeen = live.at(-1)!.seq;
  agent.disconnect();

  await request(visitor, 'message.send', { clientId: clientId(), body: 'Second question' });
  await request(colleague, 'message.send', { conversationId, clientId: clientId(), body: 'Answer from the admin' });
  await request(colleague, 'conversation.update', { conversationId, status: 'resolved' });

  agent = await connectAgent(t.url, t.acme.agent.token);
  const sync = await request(agent, 'sync', { since: lastSeen });
  assert.equal(sync.more, false);
  assert.deepEqual(
    sync.events.map((e: ChangeEvent) => e.seq),
    Array.from({ length: sync.events.length }, (_, i) => lastSeen + 1 + i),
    'consecutive seqs right after the last one seen',
  );
  assert.equal(sync.seq, sync.events.at(-1).seq);
  const summary = sync.events.map((e: ChangeEvent) =>
    e.type === 'message.upserted' ? `message: ${e.data.message.body}` : `${e.type}${'conversation' in e.data ? `: ${e.data.conversation.status}` : ''}`,
  );
  assert.deepEqual(summary, [
    'message: Second question',
    'conversation.upserted: open',
    'message: Answer from the admin',
    'conversation.upserted: open',
    'message: Acme Admin set status to resolved',
    'conversation.upserted: resolved',
  ]);

  const session = await request(agent, 'session.get', {});
  assert.equal(session.seq, sync.seq);
  const empty = await request(agent, 'sync', { since: sync.seq });
  assert.deepEqual(empty, { events: [], seq: sync.seq, more: false });
});

test('resending with the same clientId stores one message and logs one event (socket and REST)', async () => {
  const agent = await connectAgent(t.url, t.acme.agent.token);
  const { visitor, conversationId } = await visitorWrites(t, t.acme, 'Hi there');
  const { seq } = await request(agent, 'session.get', {});

  const visitorClientId = clientId();
  const first = await request(visitor, 'message.send', { clientId: visitorClientId, body: 'Retry me' });
  const again = await request(visitor, 'message.send', { clientId: visitorClientId, body: 'Retry me' });
  assert.deepEqual(again, first);

  const agentClientId = clientId();
  const sent = await request(agent, 'message.send', { conversationId, clientId: agentClientId, body: 'On it' });
  const resent = await request(agent, 'message.send', { conversationId, clientId: agentClientId, body: 'On it' });
  assert.deepEqual(resent, sent);

  const restClientId = clientId();
  const path = `/api/v1/conversations/${conversationId}/messages`;
  const created = await api(t.url, path, { token: t.acme.agent.token, method: 'POST', body: { clientId: restClientId, body: 'Via REST' } });
  const replayed = await api(t.url, path, { token: t.acme.agent.token, method: 'POST', body: { clientId: restClientId, body: 'Via REST' } });
  assert.equal(created.status, 201);
  assert.equal(replayed.status, 200);
  assert.deepEqual(replayed.body, created.body);

  const { events } = await request(agent, 'sync', { since: seq });
  const messageEvents = events.filter((e: ChangeEvent) => e.type === 'message.upserted');
  assert.deepEqual(
    messageEvents.map((e: Extract<ChangeEvent, { type: 'message.upserted' }>) => e.data.message.body),
    ['Retry me', 'On it', 'Via REST'],
  );
  const page = await request(agent, 'messages.list', { conversationId });
  assert.deepEqual(page.messages.map((m: Message) => m.body), ['Hi there', 'Retry me', 'On it', 'Via REST']);

  // The same client id on another conversation is a mistake, not a resend.
  const other = await visitorWrites(t, t.acme, 'Another visitor');
  const conflict = await api(t.url, `/api/v1/conversations/${other.conversationId}/messages`, {
    token: t.acme.agent.token, method: 'POST', body: { clientId: restClientId, body: 'Via REST' },
  });
  assert.equal(conflict.status, 409);
  assert.equal(conflict.body.error.code, 'conflict');
});

test('a returning visitor continues their conversation; a new message reopens it when resolved', async () => {
  const agent = await connectAgent(t.url, t.acme.agent.token);
  const { visitor, token, conversationId, contactId } = await visitorWrites(t, t.acme, 'Hello again');
  await request(agent, 'conversation.update', { conversationId, status: 'resolved' });
  visitor.disconnect();

  const back = await connectVisitor(t.url, t.acme.workspace.widgetKey, token);
  const session = await request(back, 'session.get', {});
  assert.equal(session.contactId, contactId);
  assert.equal(session.token, token);
  assert.deepEqual(session.conversation, { id: conversationId, status: 'resolved', assigneeId: null });
  assert.deepEqual(session.workspace, { name: 'Acme', greeting: 'Welcome to Acme' });
  assert.deepEqual(session.agents.map((a: { name: string }) => a.name).sort(), ['Acme Admin', 'Acme Agent']);

  const message = await request(back, 'message.send', { clientId: clientId(), body: 'One more thing' });
  assert.equal(message.conversationId, conversationId);
  const { conversation } = await request(agent, 'conversation.get', { conversationId });
  assert.equal(conversation.status, 'open');

  const stranger = await connectVisitor(t.url, t.acme.workspace.widgetKey, 'x'.repeat(40));
  const fresh = await request(stranger, 'session.get', {});
  assert.notEqual(fresh.contactId, contactId, 'an unknown token starts a new visitor');
  assert.notEqual(fresh.token, 'x'.repeat(40));
  assert.equal(fresh.conversation, null);
  assert.deepEqual(await request(stranger, 'messages.list', {}), { messages: [], hasMore: false });
});

test('a visitor profile update fills the contact and reaches agents', async () => {
  const agent = await connectAgent(t.url, t.acme.agent.token);
  const events = recordEvents(agent);
  const { visitor, contactId } = await visitorWrites(t, t.acme, 'Can you call me back?');
  assert.deepEqual(await request(visitor, 'profile.update', { name: '  Lucía Fernández ', email: 'lucia@example.com' }), { ok: true });
  const event = await eventually(() => events.find((e) => e.type === 'contact.upserted'));
  assert.equal(event.type === 'contact.upserted' && event.data.contact.name, 'Lucía Fernández');
  const contact = await request(agent, 'contact.get', { contactId });
  assert.equal(contact.name, 'Lucía Fernández');
  assert.equal(contact.email, 'lucia@example.com');
});
