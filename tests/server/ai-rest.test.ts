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
  assert.deepEqual({ ...settings, provider: undefined }, { qualifyThreshold: null, pipelineId: null, provider: undefined });
  assert.equal(typeof settings.provider, 'string');
  assert.equal((await api(t.url, '/api/v1/ai/settings', { token: t.acme.agent.token, method: 'PATCH', body: { qualifyThreshold: 70 } })).status, 403);
  const saved = await api(t.url, '/api/v1/ai/settings', { token: t.acme.admin.token, method: 'PATCH', body: { qualifyThreshold: 70 } });
  assert.deepEqual(saved.body, { qualifyThreshold: 70, pipelineId: null });
  assert.equal((await api(t.url, '/api/v1/ai/settings', { token: t.acme.admin.token, method: 'PATCH', body: { qualifyThreshold: 0 } })).status, 400);
});
