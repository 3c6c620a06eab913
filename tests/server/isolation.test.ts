import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ChangeEvent } from '@charla/protocol';
import type { Socket } from 'socket.io-client';
import {
  api, clientId, connectAgent, emitAck, recordEvents, request, settle, startServer, visitorWrites, type TestServer,
} from './helpers.js';

// Acme's agents must see nothing of Globex: its ids are simply not found, its lists stay out.
let t: TestServer;
let acmeAdmin: Socket;
let acmeEvents: ChangeEvent[];
let globex: { conversationId: string; contactId: string };

before(async () => {
  t = await startServer();
  acmeAdmin = await connectAgent(t.url, t.acme.admin.token);
  acmeEvents = recordEvents(acmeAdmin);
  const written = await visitorWrites(t, t.globex, 'Secret Globex question');
  globex = { conversationId: written.conversationId, contactId: written.contactId };
  const globexAgent = await connectAgent(t.url, t.globex.agent.token);
  await request(globexAgent, 'message.send', { conversationId: globex.conversationId, clientId: clientId(), body: 'Globex answer' });
  await request(globexAgent, 'note.create', { contactId: globex.contactId, body: 'Globex note' });
});
after(() => t.close());

test('over the socket, another workspace\'s conversations and contacts are not found', async () => {
  const { conversationId, contactId } = globex;
  for (const [event, payload] of [
    ['conversation.get', { conversationId }],
    ['conversation.update', { conversationId, status: 'resolved' }],
    ['conversation.read', { conversationId }],
    ['messages.list', { conversationId }],
    ['message.send', { conversationId, clientId: clientId(), body: 'Intrusion' }],
    ['contact.get', { contactId }],
    ['note.create', { contactId, body: 'Intrusion' }],
  ] as const) {
    const ack = await emitAck(acmeAdmin, event, payload);
    assert.equal(ack.ok, false, event);
    if (!ack.ok) assert.equal(ack.error.code, 'not_found', event);
  }

  const page = await request(acmeAdmin, 'conversations.list', { status: 'all', query: 'Globex' });
  assert.deepEqual(page.conversations, []);
  assert.equal(page.counts.all, 0);
  const all = await request(acmeAdmin, 'conversations.list', { status: 'all' });
  assert.ok(all.conversations.every((c: { workspaceId: string }) => c.workspaceId === t.acme.workspace.id), 'all.conversations.every((c: { workspaceId: string }) => c.workspaceId === t.acme.workspace.id)');
  const sync = await request(acmeAdmin, 'sync', { since: 0 });
  assert.ok(!JSON.stringify(sync).includes('Globex'), 'no Globex event in Acme\'s log');

  await settle();
  assert.deepEqual(acmeEvents, [], 'no Globex event reached Acme live');

  const globexConversation = await request(await connectAgent(t.url, t.globex.admin.token), 'conversation.get', { conversationId });
  assert.equal(globexConversation.conversation.status, 'open', 'Globex data untouched');
});

test('over REST, another workspace\'s conversations and contacts are not found', async () => {
  const { conversationId, contactId } = globex;
  const token = t.acme.admin.token;
  for (const [method, path, body] of [
    ['GET', `/api/v1/conversations/${conversationId}`],
    ['PATCH', `/api/v1/conversations/${conversationId}`, { status: 'resolved' }],
    ['GET', `/api/v1/conversations/${conversationId}/messages`],
    ['POST', `/api/v1/conversations/${conversationId}/messages`, { clientId: clientId(), body: 'Intrusion' }],
    ['GET', `/api/v1/contacts/${contactId}`],
    ['PATCH', `/api/v1/contacts/${contactId}`, { name: 'Hacked' }],
    ['DELETE', `/api/v1/contacts/${contactId}`],
  ] as const) {
    const response = await api(t.url, path, { token, method, body });
    assert.equal(response.status, 404, `${method} ${path}`);
    assert.equal(response.body.error.code, 'not_found');
  }
  const contacts = await api(t.url, '/api/v1/contacts?query=', { token });
  assert.ok(contacts.body.contacts.every((c: { workspaceId: string }) => c.workspaceId === t.acme.workspace.id), 'contacts.body.contacts.every((c: { workspaceId: string }) => c.workspaceId === t.acme.workspace.id)');
  assert.ok(!contacts.body.contacts.some((c: { id: string }) => c.id === contactId), '!contacts.body.contacts.some((c: { id: string }) => c.id === contactId)');
  const conversations = await api(t.url, '/api/v1/conversations?status=all', { token });
  assert.deepEqual(conversations.body.conversations, []);
  const events = await api(t.url, '/api/v1/events?since=0', { token });
  assert.ok(!JSON.stringify(events.body).includes('Globex'), "!JSON.stringify(events.body).includes('Globex')");

  const globexView = await api(t.url, `/api/v1/contacts/${contactId}`, { token: t.globex.admin.token });
  assert.equal(globexView.status, 200);
  assert.equal(globexView.body.name, null, 'Globex contact untouched');
});
