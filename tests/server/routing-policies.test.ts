import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ConversationDetail, MessagePage, PresenceMap, PresenceSignal, Team } from '@charla/protocol';
import type { Socket } from 'socket.io-client';
import { conversationChanged } from '../../server/src/services/changes.js';
import { newConversation } from '../../server/src/services/entities.js';
import { api, connectAgent, eventually, request, settle, startServer, visitorWrites, type TestServer } from './helpers.js';

let t: TestServer;
let admin: Socket;
let agent: Socket;
let sales: Team;
let vip: Team;
let support: Team;

before(async () => {
  t = await startServer({ server: { ai: { debounceMs: 40 } } });
  admin = await connectAgent(t.url, t.acme.admin.token);
  agent = await connectAgent(t.url, t.acme.agent.token);
  const team = async (name: string, agentIds: string[]) =>
    (await api<Team>(t.url, '/api/v1/teams', { token: t.acme.admin.token, method: 'POST', body: { name, agentIds } })).body;
  sales = await team('Ventas', [t.acme.agent.agent.id]);
  vip = await team('Cuentas clave', [t.acme.admin.agent.id]);
  support = await team('Soporte', [t.acme.agent.agent.id]);
});
after(() => t.close());

const routing = async (body: object) => {
  const saved = await api(t.url, '/api/v1/workspace/routing', { token: t.acme.admin.token, method: 'PATCH', body });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  return saved.body;
};
const conversation = async (conversationId: string) => ((await request(admin, 'conversation.get', { conversationId })) as ConversationDetail).conversation;
const lastLine = async (conversationId: string) => ((await request(admin, 'messages.list', { conversationId })) as MessagePage).messages.at(-1)!.body;
const teamOf = (conversationId: string) => eventually(async () => (await conversation(conversationId)).teamId, 5000, `a team for ${conversationId}`);
const assigneeOf = (conversationId: string) => eventually(async () => (await conversation(conversationId)).assigneeId, 5000, `an assignee for ${conversationId}`);
const presence = (): Promise<PresenceMap> => request(admin, 'presence.list', {});

describe('presence', () => {
  test('several tabs count once; away shows live in every tab; the last tab closing makes the agent offline', async () => {
    const second = await connectAgent(t.url, t.acme.agent.token);
    assert.equal((await presence())[t.acme.agent.agent.id], 'online');
    assert.equal((await presence())[t.acme.viewer.agent.id], 'offline', 'nobody connected as the viewer');

    const heard: PresenceSignal[] = [];
    admin.on('presence', (signal: PresenceSignal) => heard.push(signal));
    assert.deepEqual(await request(second, 'presence.set', { status: 'away' }), { status: 'away' });
    await eventually(() => heard.some((s) => s.agentId === t.acme.agent.agent.id && s.status === 'away'), 3000, 'the away signal');
    assert.equal((await request(agent, 'presence.list', {}))[t.acme.agent.agent.id], 'away', 'the other tab sees it too');

    second.disconnect();
    await settle(200);
    assert.equal((await presence())[t.acme.agent.agent.id], 'away', 'one tab is still open');
    await request(agent, 'presence.set', { status: 'online' });
    assert.equal((await presence())[t.acme.agent.agent.id], 'online');

    const spare = await connectAgent(t.url, t.acme.viewer.token);
    assert.equal((await presence())[t.acme.viewer.agent.id], 'online');
    spare.disconnect();
    await eventually(async () => (await presence())[t.acme.viewer.agent.id] === 'offline', 3000, 'the viewer offline');
    admin.off('presence');
  });

  test('round-robin skips an away agent; work that waited goes out when someone comes back', async () => {
    await routing({ mode: 'round-robin', stickyAgent: false });
    await request(agent, 'presence.set', { status: 'away' });
    for (const text of ['uno', 'dos']) {
      const { conversationId } = await visitorWrites(t, t.acme, text);
      assert.equal(await assigneeOf(conversationId), t.acme.admin.agent.id, 'only the admin is available');
    }
    await request(admin, 'presence.set', { status: 'away' });
    const { conversationId } = await visitorWrites(t, t.acme, 'tres');
    await settle(400);
    assert.equal((await conversation(conversationId)).assigneeId, null, 'everyone is away');
    const availability = await api(t.url, `/widget/availability/${t.acme.workspace.widgetKey}`);
    assert.equal(availability.body.agentsOnline, false, 'the widget shows the away state');

    await request(agent, 'presence.set', { status: 'online' });
    assert.equal(await assigneeOf(conversationId), t.acme.agent.agent.id, 'handed out when the agent is back');
    await request(admin, 'presence.set', { status: 'online' });
    await routing({ mode: 'manual', stickyAgent: true });
  });
});

describe('returning customers', () => {
  test('a customer writing again goes back to the agent who handled them last, when that agent is available', async () => {
    await routing({ mode: 'round-robin', stickyAgent: true });
    const first = await visitorWrites(t, t.acme, 'Hola otra vez');
    const handler = await assigneeOf(first.conversationId);
    const other = handler === t.acme.admin.agent.id ? t.acme.agent.agent.id : t.acme.admin.agent.id;
    // The other agent served longest ago is next in turn — but this customer has their agent.
    const again = async (channel: 'whatsapp' | 'instagram') => {
      const conversation = newConversation({ workspaceId: t.acme.workspace.id, contactId: first.contactId, channel, status: 'open' });
      await t.server.store.transaction(async (scope) => {
        await scope.conversations.insert(conversation);
        await conversationChanged(scope, conversation);
      });
      return conversation.id;
    };
    const second = await again('whatsapp');
    assert.equal(await assigneeOf(second), handler);
    assert.match(await lastLine(second), / by returning customer$/);

    // Away, their agent is skipped and the turn decides.
    const handlerSocket = handler === t.acme.admin.agent.id ? admin : agent;
    await request(handlerSocket, 'presence.set', { status: 'away' });
    const third = await again('instagram');
    assert.equal(await assigneeOf(third), other);
    assert.match(await lastLine(third), / by round-robin$/);
    await request(handlerSocket, 'presence.set', { status: 'online' });
    await routing({ mode: 'manual' });
  });
});

describe('team rules and VIP routing', () => {
  test('a conversation goes to the team of the first rule it matches, and the thread says why', async () => {
    await routing({ rules: [{ channel: 'webchat', teamId: support.id }] });
    const { conversationId } = await visitorWrites(t, t.acme, 'Hola, tengo una duda');
    assert.equal(await teamOf(conversationId), support.id);
    assert.equal(await lastLine(conversationId), 'Sent to team Soporte by rule: channel webchat');
    const line = ((await request(admin, 'messages.list', { conversationId })) as MessagePage).messages.at(-1)!;
    assert.deepEqual(line.content?.line, { key: 'routed_channel', values: { team: 'Soporte', channel: 'webchat' } }, 'views can say it in their language');
    assert.equal((await conversation(conversationId)).assigneeId, null, 'manual mode: the team queue, nobody assigned');
    await routing({ rules: [] });
  });

  test('a label rule applies when the label is set on a conversation without a team', async () => {
    await routing({ rules: [{ channel: 'whatsapp', teamId: support.id }, { label: 'mayoreo', teamId: sales.id }] });
    const { conversationId } = await visitorWrites(t, t.acme, 'Quiero comprar 200 piezas');
    await settle(300);
    assert.equal((await conversation(conversationId)).teamId ?? null, null, 'no rule matches yet');
    await request(admin, 'conversation.update', { conversationId, labels: ['mayoreo'] });
    assert.equal(await teamOf(conversationId), sales.id);
    assert.equal(await lastLine(conversationId), 'Sent to team Ventas by rule: label mayoreo');
    await routing({ rules: [] });
  });

  test('a topic rule applies once the analysis detected the topic', async () => {
    await routing({ rules: [{ topic: 'pricing', teamId: sales.id }] });
    const { conversationId } = await visitorWrites(t, t.acme, '¿Cuál es el precio de la cafetera grande?');
    assert.equal(await teamOf(conversationId), sales.id);
    assert.equal(await lastLine(conversationId), 'Sent to team Ventas by rule: topic pricing');
    const other = await visitorWrites(t, t.acme, 'Buenas tardes');
    await settle(600);
    assert.equal((await conversation(other.conversationId)).teamId ?? null, null, 'no pricing talk, no team');
    await routing({ rules: [] });
  });

  test('VIP routing sends customers above the lifetime value to the senior team, before the rules, and round-robin stays inside it', async () => {
    // A customer who bought MX$1,500 before writing again.
    const first = await visitorWrites(t, t.acme, 'Hola');
    for (const amount of [900, 600]) {
      const saved = await api(t.url, '/api/v1/events', {
        token: t.acme.admin.token, method: 'POST', body: { contactId: first.contactId, kind: 'purchase', amount, currency: 'MXN' },
      });
      assert.equal(saved.status, 201);
    }
    await request(admin, 'conversation.update', { conversationId: first.conversationId, status: 'resolved' });
    await routing({ vip: { minLifetimeValue: 1500, currency: 'MXN', teamId: vip.id }, rules: [{ channel: 'webchat', teamId: support.id }] });
    await request(first.visitor, 'message.send', { clientId: `c_${Date.now()}_vip_again`, body: 'Quiero repetir mi pedido' });
    assert.equal(await teamOf(first.conversationId), vip.id);
    assert.equal(await lastLine(first.conversationId), 'Sent to team Cuentas clave by VIP routing (lifetime value MXN 1,500)');

    const ordinary = await visitorWrites(t, t.acme, 'Primera vez por aquí');
    assert.equal(await teamOf(ordinary.conversationId), support.id, 'below the threshold the rules apply');

    // Round-robin: the VIP customer's next conversation only goes to members of the VIP team.
    await routing({ mode: 'round-robin', stickyAgent: false, rules: [] });
    await request(admin, 'conversation.update', { conversationId: first.conversationId, status: 'resolved', teamId: null, assigneeId: null });
    await request(first.visitor, 'message.send', { clientId: `c_${Date.now()}_vip_third`, body: 'Otra consulta' });
    assert.equal(await assigneeOf(first.conversationId), t.acme.admin.agent.id);
    await routing({ mode: 'manual', vip: null });
  });

  test('rules naming an unknown team, or malformed, are refused', async () => {
    const post = (body: object) => api(t.url, '/api/v1/workspace/routing', { token: t.acme.admin.token, method: 'PATCH', body });
    const unknown = await post({ rules: [{ label: 'x', teamId: 'tm_nope' }] });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.error.message, /Unknown team: tm_nope/);
    assert.equal((await post({ rules: [{ label: 'x', channel: 'webchat', teamId: support.id }] })).status, 400, 'one condition per rule');
    assert.equal((await post({ vip: { minLifetimeValue: -1, currency: 'MXN', teamId: vip.id } })).status, 400);
    assert.equal((await post({ vip: { minLifetimeValue: 10, currency: 'pesos', teamId: vip.id } })).status, 400);
    const foreign = await api(t.url, '/api/v1/workspace/routing', { token: t.globex.admin.token, method: 'PATCH', body: { vip: { minLifetimeValue: 10, currency: 'MXN', teamId: vip.id } } });
    assert.equal(foreign.status, 400, "another workspace's team is unknown there");
  });
});
