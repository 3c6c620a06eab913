import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type {
  ChangeEvent, ConversationPage, NotificationList, PipelineMetricResult, SyncResult, TimelinePage, TypingSignal, WorkspaceAgent, WorkspaceSettings,
} from '@charla/protocol';
import { SignJWT } from 'jose';
import { CharlaClient, MemoryStorage } from '@charla/client';
import type { Socket } from 'socket.io-client';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { insertPipeline } from '../../server/src/services/deals.js';
import { newMessage } from '../../server/src/services/entities.js';
import {
  api, clientId, connectAgent, emitAck, eventually, recordEvents, request, settle, startServer, visitorWrites, type TestServer,
} from './helpers.js';

// With `agentVisibility: 'teams'` an agent (or viewer) sees the conversations of their teams, those
// of no team and those assigned to them, on every path: REST, socket requests, live events,
// resync, typing, notifications, the contact timeline and the metrics' deal lists.
let t: TestServer;
const SECRET = 'agent-visibility-test-signing-secret-0123456789';
/** Conversations by what they are: Ventas', Soporte's, of no team, Soporte's but assigned to the agent. */
const c = { ventas: '', soporte: '', teamless: '', mine: '' };
let soporteContactId = '';
let bea: { id: string; token: string };
let admin: Socket;

const setVisibility = (agentVisibility: string, token = t.acme.admin.token) =>
  api<WorkspaceSettings>(t.url, '/api/v1/workspace', { token, method: 'PATCH', body: { agentVisibility } });

const listedIds = (page: ConversationPage) => page.conversations.map((conversation) => conversation.id).sort();
const sorted = (...ids: string[]) => [...ids].sort();

before(async () => {
  t = await startServer();
  await t.server.store.platform.setSigningSecrets(t.acme.workspace.id, SECRET, null);
  const adminToken = t.acme.admin.token;
  const added = await api<WorkspaceAgent>(t.url, '/api/v1/agents', { token: adminToken, method: 'POST', body: { name: 'Bea Soporte', email: 'bea@acme.test', role: 'agent' } });
  const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(added.body.id).setIssuedAt().setExpirationTime('1h')
    .sign(new TextEncoder().encode(SECRET));
  bea = { id: added.body.id, token };
  const team = async (name: string, agentIds: string[]) =>
    (await api<{ id: string }>(t.url, '/api/v1/teams', { token: adminToken, method: 'POST', body: { name, agentIds } })).body.id;
  const ventas = await team('Ventas', [t.acme.agent.agent.id]);
  const soporte = await team('Soporte', [bea.id]);
  admin = await connectAgent(t.url, adminToken);
  const opened = async (body: string, teamId: string | null, assigneeId: string | null = null) => {
    const { conversationId, contactId } = await visitorWrites(t, t.acme, body);
    await request(admin, 'conversation.update', { conversationId, teamId, assigneeId });
    return { conversationId, contactId };
  };
  c.ventas = (await opened('Quiero comprar', ventas)).conversationId;
  const soporteConversation = await opened('Mi pedido llegó roto', soporte);
  c.soporte = soporteConversation.conversationId;
  soporteContactId = soporteConversation.contactId;
  c.teamless = (await opened('Hola', null)).conversationId;
  c.mine = (await opened('Otra consulta de soporte', soporte, t.acme.agent.agent.id)).conversationId;
});
after(() => t.close());

describe('agent visibility: teams', () => {
  test('admins set it through PATCH /api/v1/workspace; bad values and non-admins change nothing', async () => {
    const read = await api<WorkspaceSettings>(t.url, '/api/v1/workspace', { token: t.acme.admin.token });
    assert.equal(read.body.agentVisibility, 'all', 'a workspace starts showing every conversation to every agent');
    const bad = await api(t.url, '/api/v1/workspace', { token: t.acme.admin.token, method: 'PATCH', body: { agentVisibility: 'team' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'invalid_payload');
    assert.match(bad.body.error.message, /agentVisibility/);
    assert.equal((await setVisibility('teams', t.acme.agent.token)).status, 403);
    assert.equal((await api<WorkspaceSettings>(t.url, '/api/v1/workspace', { token: t.acme.admin.token })).body.agentVisibility, 'all');

    const agent = await api<ConversationPage>(t.url, '/api/v1/conversations?status=all', { token: t.acme.agent.token });
    assert.deepEqual(listedIds(agent.body), sorted(...Object.values(c)), 'with "all" the agent sees every conversation');

    const set = await setVisibility('teams');
    assert.equal(set.status, 200);
    assert.equal(set.body.agentVisibility, 'teams');
  });

  test('REST lists and gets: theirs, their teams\' and teamless ones; others are not found', async () => {
    const list = (token: string, query = 'status=all') => api<ConversationPage>(t.url, `/api/v1/conversations?${query}`, { token });
    const agent = await list(t.acme.agent.token);
    assert.deepEqual(listedIds(agent.body), sorted(c.ventas, c.teamless, c.mine));
    assert.equal(agent.body.counts.all, 3, 'the counts are of what the agent sees');
    assert.deepEqual(listedIds((await list(bea.token)).body), sorted(c.soporte, c.teamless, c.mine));
    assert.deepEqual(listedIds((await list(t.acme.viewer.token)).body), [c.teamless], 'a viewer in no team sees teamless ones only');
    assert.deepEqual(listedIds((await list(t.acme.admin.token)).body), sorted(...Object.values(c)), 'admins see all');
    assert.deepEqual(listedIds((await list(t.acme.agent.token, 'status=all&query=roto')).body), [], 'search finds nothing hidden');
    assert.deepEqual(listedIds((await list(bea.token, 'status=all&query=roto')).body), [c.soporte]);

    for (const path of [`/api/v1/conversations/${c.soporte}`, `/api/v1/conversations/${c.soporte}/messages`]) {
      const hidden = await api(t.url, path, { token: t.acme.agent.token });
      assert.equal(hidden.status, 404, path);
      assert.equal(hidden.body.error.code, 'not_found', path);
    }
    const write = await api(t.url, `/api/v1/conversations/${c.soporte}/messages`, {
      token: t.acme.agent.token, method: 'POST', body: { clientId: clientId(), body: 'Hola' },
    });
    assert.equal(write.status, 404, 'nor can they write in it');
    assert.equal((await api(t.url, `/api/v1/conversations/${c.mine}/messages`, { token: t.acme.agent.token })).status, 200, 'assigned to them');
  });

  test('socket requests: list, search, get, messages, update and typing', async () => {
    const agent = await connectAgent(t.url, t.acme.agent.token);
    const page = await request<ConversationPage>(agent, 'conversations.list', { status: 'all' });
    assert.deepEqual(listedIds(page), sorted(c.ventas, c.teamless, c.mine));
    assert.deepEqual(listedIds(await request<ConversationPage>(agent, 'conversations.list', { status: 'all', query: 'roto' })), []);
    for (const [event, payload] of [
      ['conversation.get', { conversationId: c.soporte }],
      ['messages.list', { conversationId: c.soporte }],
      ['conversation.update', { conversationId: c.soporte, status: 'resolved' }],
      ['conversation.read', { conversationId: c.soporte }],
      ['typing', { conversationId: c.soporte }],
    ] as const) {
      const ack = await emitAck(agent, event, payload);
      assert.equal(ack.ok, false, event);
      if (!ack.ok) assert.equal(ack.error.code, 'not_found', event);
    }
    assert.equal((await request(agent, 'conversation.get', { conversationId: c.ventas })).conversation.id, c.ventas);
    agent.disconnect();
  });

  test('live events and typing reach only those who may see the conversation, and resync replays nothing else', async () => {
    const agent = await connectAgent(t.url, t.acme.agent.token);
    const beaSocket = await connectAgent(t.url, bea.token);
    const agentEvents = recordEvents<ChangeEvent>(agent);
    const beaEvents = recordEvents<ChangeEvent>(beaSocket);
    const agentTyping: TypingSignal[] = [];
    agent.on('typing', (signal: TypingSignal) => agentTyping.push(signal));
    const beaTyping: TypingSignal[] = [];
    beaSocket.on('typing', (signal: TypingSignal) => beaTyping.push(signal));
    const { seq } = await request<SyncResult>(agent, 'sync', { since: 0 });

    await request(admin, 'message.send', { conversationId: c.soporte, clientId: clientId(), body: 'Lo revisamos hoy mismo' });
    await request(admin, 'typing', { conversationId: c.soporte });
    await eventually(() => beaEvents.some((event) => event.conversationId === c.soporte && event.type === 'message.upserted'), 3000, 'Bea hears Soporte');
    await eventually(() => beaTyping.length > 0, 3000, 'Bea hears the typing');
    await request(admin, 'message.send', { conversationId: c.ventas, clientId: clientId(), body: 'Le mando la cotización' });
    await eventually(() => agentEvents.some((event) => event.conversationId === c.ventas && event.type === 'message.upserted'), 3000, 'the agent hears Ventas');
    await settle();
    assert.deepEqual(agentEvents.filter((event) => event.conversationId === c.soporte), [], 'nothing of Soporte\'s conversation, live');
    assert.deepEqual(agentTyping, [], 'nor its typing');
    assert.ok(!beaEvents.some((event) => event.conversationId === c.ventas && event.type === 'message.upserted'), 'Bea hears nothing of Ventas');

    const replay = await request<SyncResult>(agent, 'sync', { since: 0 });
    assert.ok(replay.seq > seq, 'the log moved on');
    const hidden = new Set([c.soporte]);
    assert.deepEqual(replay.events.filter((event) => hidden.has(event.conversationId ?? '')), [], 'nothing of it after a resync either');
    assert.ok(replay.events.some((event) => event.conversationId === c.ventas), 'their own teams\' events are replayed');
    const rest = await api<SyncResult>(t.url, '/api/v1/events?since=0', { token: t.acme.agent.token });
    assert.deepEqual(rest.body.events.filter((event) => hidden.has(event.conversationId ?? '')), [], 'nor over REST');
    const adminReplay = await request<SyncResult>(admin, 'sync', { since: 0 });
    assert.ok(adminReplay.events.some((event) => event.conversationId === c.soporte), 'admins replay everything');
    agent.disconnect();
    beaSocket.disconnect();
  });

  test('notifications of hidden conversations are neither sent nor listed', async () => {
    const agent = await connectAgent(t.url, t.acme.agent.token);
    const events = recordEvents<ChangeEvent>(agent);
    await request(admin, 'message.send', {
      conversationId: c.soporte, clientId: clientId(), body: 'Revisa esto', private: true, mentions: [t.acme.agent.agent.id],
    });
    await request(admin, 'message.send', {
      conversationId: c.ventas, clientId: clientId(), body: 'Y esto', private: true, mentions: [t.acme.agent.agent.id],
    });
    await eventually(() => events.some((event) => event.type === 'notification.created' && event.conversationId === c.ventas), 3000, 'the visible mention');
    await settle();
    assert.ok(!events.some((event) => event.type === 'notification.created' && event.conversationId === c.soporte), 'the hidden mention is not sent');
    const list = await request<NotificationList>(agent, 'notifications.list', {});
    // The mention in Ventas, and the assignment of the Soporte conversation given to them.
    assert.deepEqual(list.notifications.map((n) => [n.kind, n.conversationId]), [['mention', c.ventas], ['assignment', c.mine]]);
    assert.equal(list.unread, 2);
    agent.disconnect();
  });

  test('media of hidden conversations is not served', async () => {
    const message = newMessage({
      workspaceId: t.acme.workspace.id, conversationId: c.soporte, direction: 'in', senderKind: 'contact', senderId: null, senderName: null,
      body: '', private: false, type: 'image',
    });
    message.content = { media: { url: `/api/v1/media/${message.id}`, mimeType: 'image/png' } };
    await t.server.store.transaction((scope) => scope.messages.insert(message, null));
    await mkdir(join(t.dir, 'media', t.acme.workspace.id), { recursive: true });
    await writeFile(join(t.dir, 'media', t.acme.workspace.id, message.id), 'the photo of the broken order');
    const path = `/api/v1/media/${message.id}`;
    const hidden = await api(t.url, path, { token: t.acme.agent.token });
    assert.equal(hidden.status, 404);
    assert.deepEqual(hidden.body, (await api(t.url, '/api/v1/media/msg_nowhere', { token: t.acme.agent.token })).body, 'answered like media that does not exist');
    const seen = await api(t.url, path, { token: bea.token });
    assert.equal(seen.status, 200);
    assert.equal(seen.body, 'the photo of the broken order');
  });

  test('the contact timeline leaves out messages of hidden conversations', async () => {
    const path = `/api/v1/contacts/${soporteContactId}/timeline`;
    const agentFeed = await api<TimelinePage>(t.url, path, { token: t.acme.agent.token });
    assert.equal(agentFeed.status, 200);
    assert.deepEqual(agentFeed.body.items.filter((item) => item.conversationId === c.soporte), []);
    const beaFeed = await api<TimelinePage>(t.url, path, { token: bea.token });
    assert.ok(beaFeed.body.items.some((item) => item.kind === 'message' && item.text === 'Mi pedido llegó roto'), 'Bea sees the message');
  });

  test('the metrics\' deal lists do not link to hidden conversations', async () => {
    const pipeline = await t.server.store.transaction((scope) =>
      insertPipeline(scope, t.acme.workspace.id, { name: 'Ventas', stages: [{ name: 'Lead', probability: 20 }], wonStageName: 'Ganado', lostStageName: 'Perdido' }));
    for (const [title, conversationId] of [['Reposición', c.soporte], ['Cotización', c.ventas]] as const) {
      const created = await api(t.url, '/api/v1/deals', {
        token: t.acme.admin.token, method: 'POST', body: { pipelineId: pipeline.id, title, amount: 100, currency: 'MXN', conversationId },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
    }
    const linked = async (token: string) => {
      const result = (await api<PipelineMetricResult>(t.url, `/api/v1/metrics/pipeline?pipelineId=${pipeline.id}`, { token })).body;
      return Object.fromEntries(result.deals.map((deal) => [deal.title, deal.conversationId]));
    };
    assert.deepEqual(await linked(t.acme.agent.token), { Reposición: null, Cotización: c.ventas });
    assert.deepEqual(await linked(t.acme.admin.token), { Reposición: c.soporte, Cotización: c.ventas });
  });

  test('back to "all", every agent sees every conversation again', async () => {
    assert.equal((await setVisibility('all')).status, 200);
    const agent = await api<ConversationPage>(t.url, '/api/v1/conversations?status=all', { token: t.acme.agent.token });
    assert.deepEqual(listedIds(agent.body), sorted(...Object.values(c)));
    assert.equal((await api(t.url, `/api/v1/conversations/${c.soporte}`, { token: t.acme.agent.token })).status, 200);
    const socket = await connectAgent(t.url, t.acme.agent.token);
    const { notifications } = await request<NotificationList>(socket, 'notifications.list', {});
    assert.ok(notifications.some((n) => n.conversationId === c.soporte), 'the mention in Soporte is listed again');
    socket.disconnect();
  });

  test('a conversation moved to a team the agent is not in leaves their views at once; they hear only its id', async () => {
    assert.equal((await setVisibility('teams')).status, 200);
    const client = new CharlaClient({ url: t.url, token: t.acme.agent.token, storage: new MemoryStorage() });
    const raw = await connectAgent(t.url, t.acme.agent.token);
    const hidden: unknown[] = [];
    raw.on('conversation.hidden', (signal: unknown) => hidden.push(signal));
    try {
      const query = client.conversations({ status: 'all' });
      const { conversationId } = await visitorWrites(t, t.acme, 'Quiero una cotización de 40 sillas');
      const teams = (await api<Array<{ id: string; name: string }>>(t.url, '/api/v1/teams', { token: t.acme.admin.token })).body;
      await request(admin, 'conversation.update', { conversationId, teamId: teams.find((team) => team.name === 'Ventas')!.id });
      await eventually(() => query.ids.includes(conversationId), 5000, 'the agent lists the Ventas conversation');
      await request(admin, 'conversation.update', { conversationId, teamId: teams.find((team) => team.name === 'Soporte')!.id });
      await eventually(() => hidden.length > 0, 3000, 'the signal');
      await eventually(() => !query.ids.includes(conversationId) && !client.conversationsById.has(conversationId), 5000, 'it leaves the agent\'s list');
      assert.deepEqual(hidden, [{ conversationId }], 'only the id, nothing of the conversation');
    } finally {
      client.close();
      raw.disconnect();
    }
  });
});
