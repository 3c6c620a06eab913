import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AgentSession, Conversation, ConversationPage, Team } from '@charla/protocol';
import type { Socket } from 'socket.io-client';
import { api, connectAgent, emitAck, request, startServer, visitorWrites, type TestServer } from './helpers.js';

let t: TestServer;
let agent: Socket;
before(async () => {
  t = await startServer();
  agent = await connectAgent(t.url, t.acme.agent.token);
});
after(() => t.close());

describe('teams', () => {
  test('admins create teams; agents see them in the session, route conversations to them and filter by them', async () => {
    const created = await api<Team>(t.url, '/api/v1/teams', {
      token: t.acme.admin.token, method: 'POST', body: { name: 'Soporte', agentIds: [t.acme.agent.agent.id] },
    });
    assert.equal(created.status, 201);
    assert.deepEqual(created.body.agentIds, [t.acme.agent.agent.id]);
    const session: AgentSession = await request(agent, 'session.get', {});
    assert.deepEqual(session.teams?.map((team) => team.name), ['Soporte']);

    const { conversationId } = await visitorWrites(t, t.acme, 'Mi pedido llegó roto');
    await visitorWrites(t, t.acme, 'Otra consulta');
    const routed: Conversation = await request(agent, 'conversation.update', { conversationId, teamId: created.body.id });
    assert.equal(routed.teamId, created.body.id);
    const page: ConversationPage = await request(agent, 'conversations.list', { status: 'all', team: created.body.id });
    assert.deepEqual(page.conversations.map((c) => c.id), [conversationId]);
    const messages = await request(agent, 'messages.list', { conversationId });
    assert.match(messages.messages.at(-1).body, /routed the conversation to Soporte/);
  });

  test('refuses duplicates, strangers and non-admins', async () => {
    const post = (token: string, body: unknown) => api(t.url, '/api/v1/teams', { token, method: 'POST', body });
    assert.equal((await post(t.acme.admin.token, { name: 'Ventas' })).status, 201);
    assert.equal((await post(t.acme.admin.token, { name: 'Ventas' })).status, 409);
    const stranger = await post(t.acme.admin.token, { name: 'Mixto', agentIds: [t.globex.agent.agent.id] });
    assert.equal(stranger.status, 400);
    assert.match(stranger.body.error.message, /agentIds/);
    assert.equal((await post(t.acme.agent.token, { name: 'Mío' })).status, 403);
    assert.equal((await post(t.acme.admin.token, { name: '' })).status, 400);
    const globexTeams = await api<Team[]>(t.url, '/api/v1/teams', { token: t.globex.admin.token });
    assert.deepEqual(globexTeams.body, []);
    const { conversationId } = await visitorWrites(t, t.acme, 'hola');
    const foreign = await api<Team>(t.url, '/api/v1/teams', { token: t.globex.admin.token, method: 'POST', body: { name: 'G' } });
    const refused = await emitAck(agent, 'conversation.update', { conversationId, teamId: foreign.body.id });
    assert.equal(refused.ok ? null : refused.error.code, 'invalid_payload');
  });
});
