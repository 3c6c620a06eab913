import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api, settle, startServer, visitorWrites, type TestServer } from './helpers.js';

let t: TestServer;
before(async () => {
  t = await startServer({ server: { ai: { debounceMs: 20 } } });
});
after(() => t.close());

test('AI over REST: insight, contact insights, suggestions and settings, each for its workspace and role', async () => {
  const { conversationId, contactId } = await visitorWrites(t, t.acme, 'Hola, me llamo Sofía Ruiz. ¿Cuánto cuesta el plan Pro? Mi correo es sofia@ruiz.example');
  let insight = (await api(t.url, `/api/v1/conversations/${conversationId}/insight`, { token: t.acme.viewer.token })).body;
  for (let tries = 0; insight?.status !== 'ready' && tries < 200; tries += 1) {
    await settle(25);
    insight = (await api(t.url, `/api/v1/conversations/${conversationId}/insight`, { token: t.acme.viewer.token })).body;
  }
  assert.equal(insight.lead.email.value, 'sofia@ruiz.example');

  const insights = await api(t.url, `/api/v1/contacts/${contactId}/insights`, { token: t.acme.agent.token });
  assert.equal(insights.status, 200);
  assert.ok(insights.body.filledFields.some((field: { field: string }) => field.field === 'email'), "insights.body.filledFields.some((field: { field: string }) => field.field === 'email')");

  const suggestions = await api(t.url, `/api/v1/conversations/${conversationId}/suggestions`, { token: t.acme.agent.token, method: 'POST', body: { count: 2 } });
  assert.equal(suggestions.status, 200);
  assert.equal(suggestions.body.suggestions.length, 2);
  const tooMany = await api(t.url, `/api/v1/conversations/${conversationId}/suggestions`, { token: t.acme.agent.token, method: 'POST', body: { count: 5 } });
  assert.equal(tooMany.status, 400);
  assert.equal(tooMany.body.error.code, 'invalid_payload');
  const viewer = await api(t.url, `/api/v1/conversations/${conversationId}/suggestions`, { token: t.acme.viewer.token, method: 'POST', body: {} });
  assert.equal(viewer.status, 403);
  const otherWorkspace = await api(t.url, `/api/v1/conversations/${conversationId}/insight`, { token: t.globex.admin.token });
  assert.equal(otherWorkspace.status, 404);
  assert.equal((await api(t.url, `/api/v1/conversations/${conversationId}/insight`)).status, 401);

  const settings = (await api(t.url, '/api/v1/ai/settings', { token: t.acme.agent.token })).body;
  assert.deepEqual({ ...settings, provider: undefined }, { qualifyThreshold: null, pipelineId: null, topicWords: {}, provider: undefined });
  assert.equal(typeof settings.provider, 'string');
  assert.equal((await api(t.url, '/api/v1/ai/settings', { token: t.acme.agent.token, method: 'PATCH', body: { qualifyThreshold: 70 } })).status, 403);
  const saved = await api(t.url, '/api/v1/ai/settings', { token: t.acme.admin.token, method: 'PATCH', body: { qualifyThreshold: 70 } });
  assert.deepEqual(saved.body, { qualifyThreshold: 70, pipelineId: null, topicWords: {} });
  assert.equal((await api(t.url, '/api/v1/ai/settings', { token: t.acme.admin.token, method: 'PATCH', body: { qualifyThreshold: 0 } })).status, 400);
});

test("a workspace's own topic words count in its analyses; unknown topics are refused and change nothing", async () => {
  const refused = await api(t.url, '/api/v1/ai/settings', { token: t.acme.admin.token, method: 'PATCH', body: { topicWords: { gossip: ['chisme'] } } });
  assert.equal(refused.status, 400);
  assert.deepEqual((await api(t.url, '/api/v1/ai/settings', { token: t.acme.admin.token })).body.topicWords, {});
  const saved = await api(t.url, '/api/v1/ai/settings', { token: t.acme.admin.token, method: 'PATCH', body: { topicWords: { shipping: ['mensajería', 'motoboy'] } } });
  assert.deepEqual(saved.body.topicWords, { shipping: ['mensajería', 'motoboy'] });
  const { conversationId } = await visitorWrites(t, t.acme, '¿Mandan por mensajería a Puebla?');
  const ready = async (id: string, token = t.acme.agent.token) => {
    for (let tries = 0; tries < 200; tries += 1) {
      const insight = (await api(t.url, `/api/v1/conversations/${id}/insight`, { token })).body;
      if (insight?.status === 'ready') return insight;
      await settle(25);
    }
    throw new Error('no insight');
  };
  assert.ok((await ready(conversationId)).topics.includes('shipping'), 'the workspace word found the topic');
  // Another workspace keeps the built-in vocabulary only.
  const other = await visitorWrites(t, t.globex, '¿Mandan por mensajería a Puebla?');
  assert.ok(!(await ready(other.conversationId, t.globex.agent.token)).topics.includes('shipping'), "Acme's words are Acme's");
});
