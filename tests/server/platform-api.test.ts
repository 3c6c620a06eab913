import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SignJWT, UnsecuredJWT } from 'jose';
import type { Conversation } from '@charla/protocol';
import { api, connectAgent, connectError, eventually, request, startServer, visitorWrites, type TestServer } from './helpers.js';

// The host's backend (its product already has users and sign-in) creates a workspace and its agents
// through the platform API, and signs each agent's token itself with the workspace's secret.
const PLATFORM_KEY = 'platform-key-for-the-hosts-backend-0123456789';

let t: TestServer;
before(async () => {
  t = await startServer({ server: { platformKey: PLATFORM_KEY } });
});
after(() => t.close());

const platform = <T = any>(path: string, init: { method?: string; body?: unknown; key?: string } = {}) =>
  api<T>(t.url, `/platform/v1${path}`, { token: init.key ?? PLATFORM_KEY, method: init.method ?? 'GET', ...(init.body !== undefined ? { body: init.body } : {}) });

/** An agent token as the host's backend would sign it. */
function sign(secret: string, agentId: string, { expiresIn = '1h', alg = 'HS256' }: { expiresIn?: string | number; alg?: string } = {}) {
  return new SignJWT({}).setProtectedHeader({ alg }).setSubject(agentId).setIssuedAt().setExpirationTime(expiresIn).sign(new TextEncoder().encode(secret));
}

describe('a host provisions a team', () => {
  let workspaceId: string;
  let secret: string;
  let ana: { id: string };
  let beto: { id: string };

  test('creates a workspace (its signing secret shown only then) and two agents, idempotently', async () => {
    const created = await platform('/workspaces', { method: 'POST', body: { name: 'Mueblería Roble', defaultCountry: 'MX', timezone: 'America/Mexico_City', currency: 'MXN' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    workspaceId = created.body.workspace.id;
    secret = created.body.workspace.signingSecret;
    assert.equal(typeof secret, 'string');
    assert.equal(created.body.workspace.defaultCountry, 'MX');
    const read = await platform(`/workspaces/${workspaceId}`);
    assert.equal(read.body.workspace.signingSecret, undefined, 'the secret is never read back');
    assert.ok((await platform('/workspaces')).body.workspaces.some((w: { id: string }) => w.id === workspaceId), "(await platform('/workspaces')).body.workspaces.some((w: { id: string }) => w.id === workspaceId)");

    const first = await platform(`/workspaces/${workspaceId}/agents`, { method: 'POST', body: { externalId: 'u-17', name: 'Ana Ruiz', email: 'ana@roble.mx', role: 'admin' } });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    ana = first.body.agent;
    const again = await platform(`/workspaces/${workspaceId}/agents`, { method: 'POST', body: { externalId: 'u-17', name: 'Ana Ruiz', email: 'ana@roble.mx', role: 'admin' } });
    assert.equal(again.status, 200);
    assert.equal(again.body.agent.id, ana.id, 'the same agent again');
    beto = (await platform(`/workspaces/${workspaceId}/agents`, { method: 'POST', body: { externalId: 'u-18', name: 'Beto Díaz', email: 'beto@roble.mx', role: 'agent' } })).body.agent;
    assert.deepEqual((await platform(`/workspaces/${workspaceId}/agents`)).body.agents.map((a: { name: string }) => a.name), ['Ana Ruiz', 'Beto Díaz']);
  });

  test('a token the host signs opens REST and the agent socket; forged, expired, alg:none and foreign ones are refused', async () => {
    const token = await sign(secret, ana.id);
    const me = await api<Conversation[]>(t.url, '/api/v1/conversations', { token });
    assert.equal(me.status, 200, JSON.stringify(me.body));
    const socket = await connectAgent(t.url, token);
    const session = await request<{ agent: { id: string } }>(socket, 'session.get', {});
    assert.equal(session.agent.id, ana.id);
    socket.disconnect();

    const refusals: Array<[string, string]> = [
      ['another secret', await sign('not-the-workspace-secret-0123456789abcdef', ana.id)],
      ['expired', await sign(secret, ana.id, { expiresIn: Math.floor(Date.now() / 1000) - 3600 })],
      ['for longer than a day', await sign(secret, ana.id, { expiresIn: '30d' })],
      ['another algorithm', await sign(secret, ana.id, { alg: 'HS512' })],
      ['alg: none', new UnsecuredJWT({}).setSubject(ana.id).setExpirationTime('1h').encode()],
      ['an agent of another workspace', await sign(secret, t.acme.admin.agent.id)],
    ];
    for (const [what, bad] of refusals) {
      const answer = await api(t.url, '/api/v1/conversations', { token: bad });
      assert.equal(answer.status, 401, `${what}: ${JSON.stringify(answer.body)}`);
      assert.equal((await connectError(t.url, '/agent', { token: bad })).code, 'unauthorized', what);
    }
    const expired = await api(t.url, '/api/v1/conversations', { token: refusals[1]![1] });
    assert.equal(expired.body.error.details?.reason, 'token_expired', 'an expired token says so, for the client to refresh it');
  });

  test('rotation keeps tokens of the old secret valid until it is dropped', async () => {
    const old = await sign(secret, beto.id);
    const rotated = await platform(`/workspaces/${workspaceId}/signing-secret`, { method: 'POST' });
    assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
    const fresh = await sign(rotated.body.signingSecret, beto.id);
    assert.equal((await api(t.url, '/api/v1/conversations', { token: old })).status, 200, 'the old secret still signs in');
    assert.equal((await api(t.url, '/api/v1/conversations', { token: fresh })).status, 200);
    assert.equal((await platform(`/workspaces/${workspaceId}/signing-secret/previous`, { method: 'DELETE' })).status, 204);
    assert.equal((await api(t.url, '/api/v1/conversations', { token: old })).status, 401, 'dropped');
    assert.equal((await api(t.url, '/api/v1/conversations', { token: fresh })).status, 200);
    secret = rotated.body.signingSecret;
  });

  test('puts agents in the workspace\'s teams, on creation and on a change; an unknown team changes nothing', async () => {
    const adminToken = await sign(secret, ana.id);
    const team = await api<{ id: string }>(t.url, '/api/v1/teams', { token: adminToken, method: 'POST', body: { name: 'Ventas' } });
    assert.equal(team.status, 201, JSON.stringify(team.body));
    const carla = await platform(`/workspaces/${workspaceId}/agents`, {
      method: 'POST', body: { externalId: 'u-21', name: 'Carla Soto', email: 'carla@roble.mx', role: 'agent', teamIds: [team.body.id] },
    });
    assert.equal(carla.status, 201, JSON.stringify(carla.body));
    assert.deepEqual(carla.body.agent.teamIds, [team.body.id]);
    const teams = await api<Array<{ id: string; agentIds: string[] }>>(t.url, '/api/v1/teams', { token: adminToken });
    assert.deepEqual(teams.body.find((candidate) => candidate.id === team.body.id)?.agentIds, [carla.body.agent.id], 'the team lists her');

    const foreign = (await api<Array<{ id: string }>>(t.url, '/api/v1/teams', { token: t.acme.admin.token })).body[0];
    const refused = await platform(`/workspaces/${workspaceId}/agents/${beto.id}`, { method: 'PATCH', body: { teamIds: [team.body.id, foreign?.id ?? 'tm_none'] } });
    assert.equal(refused.status, 400, JSON.stringify(refused.body));
    assert.match(refused.body.error.message, /teamIds/);
    const listed = (await platform(`/workspaces/${workspaceId}/agents`)).body.agents as Array<{ id: string; teamIds: string[] }>;
    assert.deepEqual(listed.find((agent) => agent.id === beto.id)?.teamIds, [], 'a refused change leaves his teams alone');

    const moved = await platform(`/workspaces/${workspaceId}/agents/${carla.body.agent.id}`, { method: 'PATCH', body: { teamIds: [] } });
    assert.deepEqual(moved.body.agent.teamIds, []);
  });

  test('a deactivated agent is signed out at once and their conversations go back to routing', async () => {
    const workspace = (await platform(`/workspaces/${workspaceId}`)).body.workspace;
    const { conversationId } = await visitorWrites(t, { workspace } as never, 'Hola, ¿tienen mesas de roble?');
    const admin = await connectAgent(t.url, await sign(secret, ana.id));
    await request(admin, 'conversation.update', { conversationId, assigneeId: beto.id });
    const betoSocket = await connectAgent(t.url, await sign(secret, beto.id));
    const closed = new Promise((resolve) => betoSocket.on('disconnect', resolve));

    const deactivated = await platform(`/workspaces/${workspaceId}/agents/${beto.id}`, { method: 'PATCH', body: { active: false } });
    assert.equal(deactivated.status, 200, JSON.stringify(deactivated.body));
    assert.equal(deactivated.body.agent.active, false);
    await closed;
    assert.equal((await connectError(t.url, '/agent', { token: await sign(secret, beto.id) })).code, 'unauthorized');
    const adminToken = await sign(secret, ana.id);
    await eventually(async () => {
      const detail = await api<{ conversation: Conversation }>(t.url, `/api/v1/conversations/${conversationId}`, { token: adminToken });
      return detail.body.conversation.assigneeId === null;
    }, 3000, 'the conversation to leave the deactivated agent');
    admin.disconnect();
  });

  test('bad input and bad keys change nothing', async () => {
    const before = (await platform('/workspaces')).body.workspaces.length;
    for (const body of [{}, { name: '' }, { name: 'X', currency: 'ZZZ' }, { name: 'X', defaultCountry: 'XX' }, { name: 'X', extra: 1 }]) {
      const answer = await platform('/workspaces', { method: 'POST', body });
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal(answer.body.error.code, 'invalid_payload');
    }
    for (const body of [{ name: 'Sin id', email: 'x@roble.mx', role: 'agent' }, { externalId: 'u-19', name: 'X', email: 'nope', role: 'agent' }, { externalId: 'u-19', name: 'X', email: 'x@roble.mx', role: 'owner' }]) {
      assert.equal((await platform(`/workspaces/${workspaceId}/agents`, { method: 'POST', body })).status, 400, JSON.stringify(body));
    }
    const duplicateEmail = await platform(`/workspaces/${workspaceId}/agents`, { method: 'POST', body: { externalId: 'u-20', name: 'Otra Ana', email: 'ana@roble.mx', role: 'agent' } });
    assert.equal(duplicateEmail.status, 409);
    assert.equal((await platform('/workspaces/ws_nowhere')).status, 404);
    assert.equal((await platform('/workspaces', { key: 'wrong-key-wrong-key-wrong-key-wrong' })).status, 401);
    assert.equal((await api(t.url, '/platform/v1/workspaces', { token: t.acme.admin.token })).status, 401, 'an agent token is no platform key');
    assert.equal((await platform('/workspaces')).body.workspaces.length, before);
  });

  test('deleting a workspace removes it', async () => {
    const created = (await platform('/workspaces', { method: 'POST', body: { name: 'Temporal' } })).body.workspace;
    assert.equal((await platform(`/workspaces/${created.id}`, { method: 'DELETE' })).status, 204);
    assert.equal((await platform(`/workspaces/${created.id}`)).status, 404);
  });
});

test('without CHARLA_PLATFORM_KEY the platform API is off', async () => {
  const plain = await startServer();
  try {
    const answer = await api(plain.url, '/platform/v1/workspaces', { token: 'anything-anything-anything-anything' });
    assert.equal(answer.status, 404);
    assert.match(answer.body.error.message, /set CHARLA_PLATFORM_KEY/);
  } finally {
    await plain.close();
  }
});
