import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AgentSession, Team, WorkspaceAgent } from '@charla/protocol';
import { SignJWT } from 'jose';
import { api, connectAgent, connectError, eventually, request, startServer, visitorWrites, type TestServer } from './helpers.js';

let t: TestServer;
const SECRET = 'agents-admin-test-signing-secret-0123456789';
before(async () => {
  t = await startServer();
  await t.server.store.platform.setSigningSecrets(t.acme.workspace.id, SECRET, null);
});
after(() => t.close());

const tokenFor = (agentId: string) =>
  new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(agentId).setIssuedAt().setExpirationTime('1h').sign(new TextEncoder().encode(SECRET));

describe('agents in the settings (admins)', () => {
  test('an admin adds an agent who then signs in with a token the host signs, changes their role and deactivates them', async () => {
    const admin = t.acme.admin.token;
    const added = await api<WorkspaceAgent>(t.url, '/api/v1/agents', {
      token: admin, method: 'POST', body: { name: 'Nadia Ruiz', email: ' Nadia@Acme.test ', role: 'agent' },
    });
    assert.equal(added.status, 201);
    assert.deepEqual({ ...added.body, id: undefined }, {
      id: undefined, workspaceId: t.acme.workspace.id, name: 'Nadia Ruiz', email: 'nadia@acme.test', role: 'agent', avatarUrl: null, skills: [], externalId: null, active: true,
    });
    const listed = await api<WorkspaceAgent[]>(t.url, '/api/v1/agents', { token: admin });
    assert.ok(listed.body.some((agent) => agent.id === added.body.id), 'listed.body.some((agent) => agent.id === added.body.id)');

    const socket = await connectAgent(t.url, await tokenFor(added.body.id));
    const session: AgentSession = await request(socket, 'session.get', {});
    assert.equal(session.agent.name, 'Nadia Ruiz');

    const promoted = await api<WorkspaceAgent>(t.url, `/api/v1/agents/${added.body.id}`, { token: admin, method: 'PATCH', body: { role: 'viewer' } });
    assert.equal(promoted.body.role, 'viewer');

    const { conversationId } = await visitorWrites(t, t.acme, 'Hola, ¿me ayudan?');
    await request(await connectAgent(t.url, admin), 'conversation.update', { conversationId, assigneeId: added.body.id });
    const deactivated = await api<WorkspaceAgent>(t.url, `/api/v1/agents/${added.body.id}`, { token: admin, method: 'PATCH', body: { active: false } });
    assert.equal(deactivated.body.active, false);
    await eventually(() => socket.disconnected || undefined);
    const refused = await connectError(t.url, '/agent', { token: await tokenFor(added.body.id) });
    assert.ok(refused.message, 'refused.message');
    const conversation = await api(t.url, `/api/v1/conversations/${conversationId}`, { token: admin });
    assert.equal(conversation.body.conversation.assigneeId, null);
    socket.close();
  });

  test('bad input, duplicates, strangers, non-admins and self-demotion are refused and change nothing', async () => {
    const admin = t.acme.admin.token;
    const post = (token: string, body: unknown) => api(t.url, '/api/v1/agents', { token, method: 'POST', body });
    const before = (await api<WorkspaceAgent[]>(t.url, '/api/v1/agents', { token: admin })).body.length;
    const bad = await post(admin, { name: 'X', email: 'not-an-email', role: 'agent' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /email/);
    assert.equal((await post(admin, { name: '', email: 'a@acme.test', role: 'agent' })).status, 400);
    assert.equal((await post(admin, { name: 'A', email: 'a@acme.test', role: 'owner' })).status, 400);
    assert.equal((await post(admin, { name: 'A', email: 'a@acme.test', role: 'agent', extra: 1 })).status, 400);
    const duplicate = await post(admin, { name: 'Twin', email: t.acme.agent.agent.email, role: 'agent' });
    assert.equal(duplicate.status, 409);
    assert.equal((await post(t.acme.agent.token, { name: 'Me', email: 'me@acme.test', role: 'admin' })).status, 403);
    assert.equal((await post(t.acme.viewer.token, { name: 'Me', email: 'me@acme.test', role: 'admin' })).status, 403);
    assert.equal((await api(t.url, '/api/v1/agents', { token: t.acme.viewer.token })).status, 403);
    assert.equal((await api(t.url, '/api/v1/agents', { token: admin })).body.length, before);

    const patch = (token: string, id: string, body: unknown) => api(t.url, `/api/v1/agents/${id}`, { token, method: 'PATCH', body });
    assert.equal((await patch(admin, t.acme.admin.agent.id, { role: 'agent' })).status, 409);
    assert.equal((await patch(admin, t.acme.admin.agent.id, { active: false })).status, 409);
    assert.equal((await patch(admin, t.acme.agent.agent.id, {})).status, 400);
    assert.equal((await patch(admin, t.globex.agent.agent.id, { role: 'viewer' })).status, 404);
    assert.equal((await patch(t.acme.agent.token, t.acme.viewer.agent.id, { role: 'admin' })).status, 403);
    const agents = (await api<WorkspaceAgent[]>(t.url, '/api/v1/agents', { token: admin })).body;
    assert.equal(agents.find((a) => a.id === t.acme.admin.agent.id)?.role, 'admin');
    assert.equal(agents.find((a) => a.id === t.acme.viewer.agent.id)?.role, 'viewer');
  });
});

describe('teams in the settings (admins)', () => {
  test('admins rename a team, set its members and delete it; conversations keep going without it', async () => {
    const admin = t.acme.admin.token;
    const team = (await api<Team>(t.url, '/api/v1/teams', { token: admin, method: 'POST', body: { name: 'Postventa' } })).body;
    const renamed = await api<Team>(t.url, `/api/v1/teams/${team.id}`, {
      token: admin, method: 'PATCH', body: { name: 'Posventa', agentIds: [t.acme.agent.agent.id, t.acme.agent.agent.id] },
    });
    assert.equal(renamed.status, 200);
    assert.deepEqual([renamed.body.name, renamed.body.agentIds], ['Posventa', [t.acme.agent.agent.id]]);
    const listed = (await api<Team[]>(t.url, '/api/v1/teams', { token: admin })).body.find((x) => x.id === team.id);
    assert.deepEqual(listed?.agentIds, [t.acme.agent.agent.id]);

    const { conversationId } = await visitorWrites(t, t.acme, 'Mi garantía');
    await request(await connectAgent(t.url, admin), 'conversation.update', { conversationId, teamId: team.id });
    assert.equal((await api(t.url, `/api/v1/teams/${team.id}`, { token: admin, method: 'DELETE' })).status, 204);
    assert.equal((await api<Team[]>(t.url, '/api/v1/teams', { token: admin })).body.some((x) => x.id === team.id), false);
    const conversation = await api(t.url, `/api/v1/conversations/${conversationId}`, { token: admin });
    assert.equal(conversation.status, 200);
  });

  test('refuses unknown members, taken names, teams routing still uses, other workspaces and non-admins', async () => {
    const admin = t.acme.admin.token;
    const make = async (name: string) => (await api<Team>(t.url, '/api/v1/teams', { token: admin, method: 'POST', body: { name } })).body;
    const a = await make('Ventas A');
    await make('Ventas B');
    const patch = (token: string, id: string, body: unknown) => api(t.url, `/api/v1/teams/${id}`, { token, method: 'PATCH', body });
    assert.equal((await patch(admin, a.id, { name: 'Ventas B' })).status, 409);
    const stranger = await patch(admin, a.id, { agentIds: [t.globex.agent.agent.id] });
    assert.equal(stranger.status, 400);
    assert.match(stranger.body.error.message, /agentIds/);
    assert.equal((await patch(admin, a.id, {})).status, 400);
    assert.equal((await patch(t.acme.agent.token, a.id, { name: 'Mío' })).status, 403);
    assert.equal((await patch(t.globex.admin.token, a.id, { name: 'Robado' })).status, 404);
    assert.equal((await api(t.url, `/api/v1/teams/${a.id}`, { token: t.globex.admin.token, method: 'DELETE' })).status, 404);

    await api(t.url, '/api/v1/workspace/routing', { token: admin, method: 'PATCH', body: { rules: [{ channel: 'webchat', teamId: a.id }] } });
    const used = await api(t.url, `/api/v1/teams/${a.id}`, { token: admin, method: 'DELETE' });
    assert.equal(used.status, 409);
    assert.match(used.body.error.message, /Ventas A/);
    const still = (await api<Team[]>(t.url, '/api/v1/teams', { token: admin })).body.find((x) => x.id === a.id);
    assert.deepEqual([still?.name, still?.agentIds], ['Ventas A', []]);
  });
});
