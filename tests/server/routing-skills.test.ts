/**
 * Skill routing through the real server: the host's backend provisions agents with skills
 * (platform API), an admin edits them in the settings API, a routing rule asks for a skill, and
 * round-robin then gives such a conversation only to an available agent who has it, saying why in
 * the thread; with nobody skilled online it waits, and goes out when such an agent comes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ConversationDetail, MessagePage } from '@charla/protocol';
import type { Socket } from 'socket.io-client';
import { SignJWT } from 'jose';
import { api, connectAgent, eventually, request, settle, startServer, visitorWrites, type TestServer } from './helpers.js';

const PLATFORM_KEY = 'platform-key-for-the-hosts-backend-0123456789';
let t: TestServer;
let admin: Socket;
let secret: string;
let workspaceId: string;
let widgetKey: string;
const agents: Record<string, { id: string; skills: string[] }> = {};

const platform = (path: string, init: { method?: string; body?: unknown } = {}) =>
  api(t.url, `/platform/v1${path}`, { token: PLATFORM_KEY, method: init.method ?? 'GET', ...(init.body !== undefined ? { body: init.body } : {}) });
const tokenOf = (agentId: string) =>
  new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(agentId).setIssuedAt().setExpirationTime('1h').sign(new TextEncoder().encode(secret));

before(async () => {
  t = await startServer({ server: { platformKey: PLATFORM_KEY } });
  const created = await platform('/workspaces', { method: 'POST', body: { name: 'Clínica Sonrisa', defaultCountry: 'BR' } });
  workspaceId = created.body.workspace.id;
  widgetKey = created.body.workspace.widgetKey;
  secret = created.body.workspace.signingSecret;
  for (const [externalId, name, role, skills] of [
    ['u-1', 'Ana Admin', 'admin', []],
    ['u-2', 'Bia Souza', 'agent', ['Português', 'ortodontia', 'português']],
    ['u-3', 'Carlos Ruiz', 'agent', ['español']],
  ] as const) {
    const answer = await platform(`/workspaces/${workspaceId}/agents`, { method: 'POST', body: { externalId, name, email: `${externalId}@sonrisa.test`, role, skills } });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    agents[name] = answer.body.agent;
  }
  admin = await connectAgent(t.url, await tokenOf(agents['Ana Admin']!.id));
});
after(() => t.close());

const conversation = async (conversationId: string) => ((await request(admin, 'conversation.get', { conversationId })) as ConversationDetail).conversation;
const lines = async (conversationId: string) => ((await request(admin, 'messages.list', { conversationId })) as MessagePage).messages.map((m) => m.body);

describe('skills', () => {
  test('the platform API keeps skills in lowercase, each once, and refuses bad ones', async () => {
    assert.deepEqual(agents['Bia Souza']!.skills, ['português', 'ortodontia']);
    const listed = await platform(`/workspaces/${workspaceId}/agents`);
    assert.deepEqual(listed.body.agents.find((a: { id: string }) => a.id === agents['Carlos Ruiz']!.id).skills, ['español']);
    const bad = await platform(`/workspaces/${workspaceId}/agents/${agents['Carlos Ruiz']!.id}`, { method: 'PATCH', body: { skills: ['<script>'] } });
    assert.equal(bad.status, 400, 'a skill that is markup is refused');
    assert.match(bad.body.error.message, /skills/);
  });

  test('an admin edits skills in the settings API; an agent cannot', async () => {
    const adminToken = await tokenOf(agents['Ana Admin']!.id);
    const changed = await api(t.url, `/api/v1/agents/${agents['Carlos Ruiz']!.id}`, { token: adminToken, method: 'PATCH', body: { skills: ['Español', 'implantes'] } });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.deepEqual(changed.body.skills, ['español', 'implantes']);
    const refused = await api(t.url, `/api/v1/agents/${agents['Carlos Ruiz']!.id}`, { token: await tokenOf(agents['Bia Souza']!.id), method: 'PATCH', body: { skills: [] } });
    assert.equal(refused.status, 403);
  });

  test('a rule asks for a skill: round-robin gives the conversation only to an available agent who has it', async () => {
    const adminToken = await tokenOf(agents['Ana Admin']!.id);
    const noTarget = await api(t.url, '/api/v1/workspace/routing', { token: adminToken, method: 'PATCH', body: { rules: [{ channel: 'webchat' }] } });
    assert.equal(noTarget.status, 400, 'a rule that sends nowhere is refused');
    const saved = await api(t.url, '/api/v1/workspace/routing', {
      token: adminToken, method: 'PATCH', body: { mode: 'round-robin', stickyAgent: false, rules: [{ channel: 'webchat', skill: 'Português' }] },
    });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.deepEqual(saved.body.rules, [{ channel: 'webchat', skill: 'português' }]);

    // Only Carlos (no Portuguese) and the admin (no skills) are online: the conversation waits.
    const carlos = await connectAgent(t.url, await tokenOf(agents['Carlos Ruiz']!.id));
    const workspace = { workspace: { id: workspaceId, widgetKey } } as unknown as Parameters<typeof visitorWrites>[1];
    const { conversationId } = await visitorWrites(t, workspace, 'Olá, quero marcar uma consulta');
    await eventually(async () => (await conversation(conversationId)).requiredSkill === 'português', 5000, 'the conversation needs Portuguese');
    await settle(300);
    assert.equal((await conversation(conversationId)).assigneeId, null, 'nobody online has the skill');
    assert.ok(
      (await lines(conversationId)).includes('Needs an agent with the skill português by rule: channel webchat'),
      'the thread says why',
    );

    // Bia comes online: it is hers.
    const bia = await connectAgent(t.url, await tokenOf(agents['Bia Souza']!.id));
    assert.equal(
      await eventually(async () => (await conversation(conversationId)).assigneeId, 5000, 'assigned once Bia is online'),
      agents['Bia Souza']!.id,
    );
    // And the next ones too, while Carlos, online with fewer conversations, gets none of them.
    const next = await visitorWrites(t, workspace, 'Oi, vocês atendem sábado?');
    assert.equal(await eventually(async () => (await conversation(next.conversationId)).assigneeId, 5000, 'the next one'), agents['Bia Souza']!.id);
    carlos.disconnect();
    bia.disconnect();
  });
});
