import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { api, connectError, startServer, type TestServer } from './helpers.js';

// A workspace's own servers (an ERP, a billing job) call the REST API with a long-lived API key
// an admin created: shown once, stored only hashed, revoked at once.
let t: TestServer;
before(async () => {
  t = await startServer();
});
after(() => t.close());

const asAdmin = <T = any>(path: string, init: { method?: string; body?: unknown } = {}) =>
  api<T>(t.url, `/api/v1${path}`, { token: t.acme.admin.token, method: init.method ?? 'GET', ...(init.body !== undefined ? { body: init.body } : {}) });

describe('API keys', () => {
  let key: string;
  let keyId: string;

  test('an admin creates one: the key is shown only in that answer, then listed by its prefix', async () => {
    const created = await asAdmin('/api-keys', { method: 'POST', body: { name: 'ERP nightly sync', role: 'agent' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    key = created.body.key;
    keyId = created.body.apiKey.id;
    assert.match(key, /^chk_[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(Object.keys(created.body.apiKey).sort(), ['createdAt', 'createdBy', 'id', 'lastUsedAt', 'name', 'prefix', 'role']);
    assert.equal(created.body.apiKey.role, 'agent');
    assert.ok(key.startsWith(created.body.apiKey.prefix), 'key.startsWith(created.body.apiKey.prefix)');
    const listed = await asAdmin('/api-keys');
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.body.apiKeys.map((k: { id: string }) => k.id), [keyId]);
    assert.ok(!JSON.stringify(listed.body).includes(key), 'never shown again');
    const stored = await t.server.store.apiKeys.byHash('x');
    assert.equal(stored, undefined);
  });

  test('the key opens REST with its role, records its last use, and is refused on sockets and in query strings', async () => {
    const conversations = await api(t.url, '/api/v1/conversations', { token: key });
    assert.equal(conversations.status, 200, JSON.stringify(conversations.body));
    const settings = await api(t.url, '/api/v1/workspace', { token: key });
    assert.equal(settings.status, 403, 'an agent-role key is no admin');
    const [listed] = (await asAdmin('/api-keys')).body.apiKeys;
    assert.equal(typeof listed.lastUsedAt, 'string');
    const socket = await connectError(t.url, '/agent', { token: key });
    assert.equal(socket.code, 'unauthorized');
    assert.match(socket.message, /REST API only/);
    const inQuery = await fetch(`${t.url}/api/v1/conversations?token=${key}`);
    assert.equal(inQuery.status, 401);
  });

  test('a viewer key reads but does not write; keys never reach another workspace', async () => {
    const viewer = (await asAdmin('/api-keys', { method: 'POST', body: { name: 'BI dashboard', role: 'viewer' } })).body.key;
    assert.equal((await api(t.url, '/api/v1/contacts', { token: viewer })).status, 200);
    const write = await api(t.url, '/api/v1/contacts/import', { token: viewer, method: 'POST', body: 'name,phone\nAna,+5215512345678\n', headers: { 'content-type': 'text/csv' } });
    assert.equal(write.status, 403);
    const globex = await api(t.url, '/api/v1/api-keys', { token: t.globex.admin.token });
    assert.deepEqual(globex.body.apiKeys, []);
    const foreignRevoke = await api(t.url, `/api/v1/api-keys/${keyId}`, { token: t.globex.admin.token, method: 'DELETE' });
    assert.equal(foreignRevoke.status, 404);
  });

  test('agents and viewers cannot manage keys; bad input is a clear 400 and creates nothing', async () => {
    for (const member of [t.acme.agent, t.acme.viewer]) {
      assert.equal((await api(t.url, '/api/v1/api-keys', { token: member.token })).status, 403);
      assert.equal((await api(t.url, '/api/v1/api-keys', { token: member.token, method: 'POST', body: { name: 'x' } })).status, 403);
    }
    const before = (await asAdmin('/api-keys')).body.apiKeys.length;
    for (const body of [{}, { name: '' }, { name: 'x', role: 'owner' }, { name: 'x', extra: 1 }, { name: 'x'.repeat(101) }]) {
      const answer = await asAdmin('/api-keys', { method: 'POST', body });
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal(answer.body.error.code, 'invalid_payload');
    }
    assert.equal((await asAdmin('/api-keys')).body.apiKeys.length, before);
  });

  test('a revoked key is refused at once', async () => {
    assert.equal((await asAdmin(`/api-keys/${keyId}`, { method: 'DELETE' })).status, 204);
    const refused = await api(t.url, '/api/v1/conversations', { token: key });
    assert.equal(refused.status, 401);
    assert.equal((await asAdmin(`/api-keys/${keyId}`, { method: 'DELETE' })).status, 404, 'already revoked');
    assert.ok(!(await asAdmin('/api-keys')).body.apiKeys.some((k: { id: string }) => k.id === keyId), "!(await asAdmin('/api-keys')).body.apiKeys.some((k: { id: string }) => k.id === keyId)");
  });
});
