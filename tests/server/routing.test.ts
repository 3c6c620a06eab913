import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ConversationDetail, MessagePage } from '@charla/protocol';
import type { Socket } from 'socket.io-client';
import { autoResolve } from '../../server/src/routing/routing.js';
import { api, clientId, connectAgent, eventually, request, settle, startServer, visitorWrites, type TestServer } from './helpers.js';

let t: TestServer;
let admin: Socket;
let agent: Socket;
before(async () => {
  t = await startServer();
  admin = await connectAgent(t.url, t.acme.admin.token);
  agent = await connectAgent(t.url, t.acme.agent.token);
  // A viewer online never gets work.
  await connectAgent(t.url, t.acme.viewer.token);
});
after(() => t.close());

const routing = (body: object) => api(t.url, '/api/v1/workspace/routing', { token: t.acme.admin.token, method: 'PATCH', body });
const assignee = async (conversationId: string) =>
  ((await request(admin, 'conversation.get', { conversationId })) as ConversationDetail).conversation.assigneeId;

/** Routing runs right after the commit: wait for its assignment. */
const assignedTo = (conversationId: string) => eventually(() => assignee(conversationId), 5000, `an assignee for ${conversationId}`);

describe('routing', () => {
  test('manual by default: nobody is assigned on their own', async () => {
    const { conversationId } = await visitorWrites(t, t.acme, 'Hola');
    await settle(300);
    assert.equal(await assignee(conversationId), null);
  });

  test('round-robin gives new conversations in turn to online agents, says so, and notifies them', async () => {
    const saved = await routing({ mode: 'round-robin' });
    assert.equal(saved.status, 200);
    assert.equal(saved.body.mode, 'round-robin');
    const ids: string[] = [];
    for (const text of ['uno', 'dos', 'tres']) {
      const { conversationId } = await visitorWrites(t, t.acme, text);
      ids.push(await assignedTo(conversationId));
    }
    const people = new Set([t.acme.admin.agent.id, t.acme.agent.agent.id]);
    assert.deepEqual(new Set(ids.slice(0, 2)), people, 'both online agents get one');
    assert.equal(ids[2], ids[0], 'then the turn comes back');
    assert.ok(!ids.includes(t.acme.viewer.agent.id), '!ids.includes(t.acme.viewer.agent.id)');
    const { conversationId } = await visitorWrites(t, t.acme, 'cuatro');
    const who = await assignedTo(conversationId);
    const page: MessagePage = await request(admin, 'messages.list', { conversationId });
    assert.match(page.messages.at(-1)!.body, /^Assigned to .+ by round-robin$/);
    const socket = who === t.acme.admin.agent.id ? admin : agent;
    const notes = await request(socket, 'notifications.list', {});
    assert.ok(notes.notifications.some((n: { conversationId: string; kind: string }) => n.conversationId === conversationId && n.kind === 'assignment'), 'notes.notifications.some((n: { conversationId: string; kind: string }) => n.conversationId === co…');
  });

  test('an offline agent gets no new work; at capacity, conversations wait unassigned', async () => {
    agent.disconnect();
    await settle(200);
    for (const text of ['cinco', 'seis']) {
      const { conversationId } = await visitorWrites(t, t.acme, text);
      assert.equal(await assignedTo(conversationId), t.acme.admin.agent.id);
    }
    const load = (await api(t.url, '/api/v1/conversations?status=open&assignee=' + t.acme.admin.agent.id, { token: t.acme.admin.token })).body.counts.open as number;
    await routing({ capacity: load });
    const { conversationId } = await visitorWrites(t, t.acme, 'siete');
    await settle(400);
    assert.equal(await assignee(conversationId), null, 'nobody has room');
    agent = await connectAgent(t.url, t.acme.agent.token);
    await routing({ capacity: null });
  });

  test('idle conversations where the customer owes the answer are resolved after the set hours', async () => {
    await routing({ mode: 'manual', autoResolveHours: 2 });
    const { conversationId } = await visitorWrites(t, t.acme, '¿Tienen talla M?');
    await request(admin, 'message.send', { conversationId, clientId: clientId(), body: 'Sí, ¿la quieres en azul?' });
    const waiting = await visitorWrites(t, t.acme, 'Sigo esperando');
    assert.equal(await autoResolve(t.server.store, Date.now() + 60 * 60_000), 0, 'not yet idle long enough');
    assert.ok((await autoResolve(t.server.store, Date.now() + 3 * 3_600_000)) >= 1, '(await autoResolve(t.server.store, Date.now() + 3 * 3_600_000)) >= 1');
    const resolved = (await request(admin, 'conversation.get', { conversationId })) as ConversationDetail;
    assert.equal(resolved.conversation.status, 'resolved');
    const still = (await request(admin, 'conversation.get', { conversationId: waiting.conversationId })) as ConversationDetail;
    assert.equal(still.conversation.status, 'open', 'a customer waiting for us is never closed on them');
  });

  test('only admins change routing, and bad settings are refused', async () => {
    assert.equal((await api(t.url, '/api/v1/workspace/routing', { token: t.acme.agent.token, method: 'PATCH', body: { mode: 'manual' } })).status, 403);
    assert.equal((await routing({ mode: 'random' })).status, 400);
    assert.equal((await routing({ capacity: 0 })).status, 400);
    assert.equal((await routing({})).status, 400);
  });
});
