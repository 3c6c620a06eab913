import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AgentSession, ChangeEvent, ConversationDetail, ConversationPage, MessagePage } from '@charla/protocol';
import type { Socket } from 'socket.io-client';
import { recordBreaches } from '../../server/src/routing/routing.js';
import { afterMessage, newContact, newConversation, newMessage } from '../../server/src/services/entities.js';
import { api, clientId, connectAgent, eventually, recordEvents, request, startServer, type TestServer } from './helpers.js';

let t: TestServer;
let agent: Socket;

/** A customer who wrote `minutesAgo` minutes ago and is still waiting. */
async function waitingFor(name: string, minutesAgo: number): Promise<string> {
  const at = new Date(Date.now() - minutesAgo * 60_000).toISOString();
  const contact = newContact({ workspaceId: t.acme.workspace.id, name, identities: [{ channel: 'whatsapp', handle: `h-${name}` }], createdAt: at });
  let conversation = newConversation({ workspaceId: contact.workspaceId, contactId: contact.id, channel: 'whatsapp', status: 'open', createdAt: at });
  await t.server.store.transaction(async (scope) => {
    await scope.contacts.insert(contact);
    await scope.conversations.insert(conversation);
    const message = newMessage({ workspaceId: contact.workspaceId, conversationId: conversation.id, direction: 'in', senderKind: 'contact', body: `Hola, soy ${name}`, createdAt: at });
    await scope.messages.insert(message);
    conversation = afterMessage(conversation, message);
    await scope.conversations.save(conversation);
  });
  return conversation.id;
}

before(async () => {
  t = await startServer();
  agent = await connectAgent(t.url, t.acme.admin.token);
  const saved = await api(t.url, '/api/v1/workspace/routing', {
    token: t.acme.admin.token, method: 'PATCH', body: { sla: { firstResponseMinutes: 30, nextResponseMinutes: 60 } },
  });
  assert.equal(saved.status, 200);
});
after(() => t.close());

describe('service-level targets', () => {
  test('the session carries the targets for the clocks', async () => {
    const session: AgentSession = await request(agent, 'session.get', {});
    assert.deepEqual(session.sla, { firstResponseMinutes: 30, nextResponseMinutes: 60 });
  });

  test('"breaching soon" lists waits due within 15 minutes or overdue', async () => {
    const soon = await waitingFor('Pronto', 20);
    const late = await waitingFor('Tarde', 45);
    await waitingFor('Reciente', 5);
    const page: ConversationPage = await request(agent, 'conversations.list', { status: 'all', sla: 'breaching' });
    assert.deepEqual(new Set(page.conversations.map((c) => c.id)), new Set([soon, late]));
  });

  test('a breach is recorded once, in the thread and live; the reply that ends the wait clears it', async () => {
    const id = await waitingFor('Rosa', 1);
    const events = recordEvents(agent);
    assert.equal(await recordBreaches(t.server.store, Date.now() + 5 * 60_000), 1, 'only the 45-minute wait of before');
    const breached = await recordBreaches(t.server.store, Date.now() + 40 * 60_000);
    assert.ok(breached >= 1);
    await eventually(() =>
      events.find((e: ChangeEvent) => e.type === 'conversation.upserted' && e.data.conversation.id === id && e.data.conversation.slaBreachedAt),
    );
    const page: MessagePage = await request(agent, 'messages.list', { conversationId: id });
    assert.equal(page.messages.at(-1)!.body, 'First response SLA breached (target 30 min)');
    assert.equal(await recordBreaches(t.server.store, Date.now() + 50 * 60_000), 0, 'once per wait');

    await request(agent, 'message.send', { conversationId: id, clientId: clientId(), body: 'Perdón la demora, ya te ayudo' });
    const detail: ConversationDetail = await request(agent, 'conversation.get', { conversationId: id });
    assert.equal(detail.conversation.slaBreachedAt ?? null, null);
  });

  test('targets are validated', async () => {
    const bad = await api(t.url, '/api/v1/workspace/routing', { token: t.acme.admin.token, method: 'PATCH', body: { sla: { firstResponseMinutes: 0, nextResponseMinutes: null } } });
    assert.equal(bad.status, 400);
  });
});
