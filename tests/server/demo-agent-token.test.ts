import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CharlaClient, MemoryStorage, tokenExpiry } from '@charla/client';
import { eventually, startDemoServer, type DemoServer } from '../support/demo-server.js';

// The demo stands in for a host's backend: it signs agent tokens for the demo workspace's agents.
let server: DemoServer;
let agents: Array<{ id: string; name: string; role: string }>;

before(async () => {
  server = await startDemoServer();
  const workspace = (await server.server.store.workspaces.byWidgetKey(server.widgetKey))!;
  agents = await server.server.store.workspaces.agents(workspace.id);
});
after(() => server.close());

const mint = (query: string) => fetch(`${server.url}/demo/agent-token${query}`);

describe('GET /demo/agent-token', () => {
  it('signs a short-lived token that opens REST as that agent, with no other credential', async () => {
    const agent = agents.find((candidate) => candidate.role === 'agent')!;
    const response = await mint(`?agentId=${agent.id}`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const { token, expiresAt } = (await response.json()) as { token: string; expiresAt: string };
    assert.equal(tokenExpiry(token), Date.parse(expiresAt));
    assert.ok(Date.parse(expiresAt) - Date.now() <= 60 * 60 * 1000 + 1000, 'an hour at most');
    const conversations = await fetch(`${server.url}/api/v1/conversations`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(conversations.status, 200);
    const settings = await fetch(`${server.url}/api/v1/workspace`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(settings.status, 403, 'the token carries the agent role, not the admin one');
  });

  it('is what a tokenProvider calls: the client signs in as that agent', async () => {
    const agent = agents.find((candidate) => candidate.role === 'viewer') ?? agents[0]!;
    const client = new CharlaClient({
      url: server.url,
      storage: new MemoryStorage(),
      tokenProvider: async () => ((await (await mint(`?agentId=${agent.id}`)).json()) as { token: string }).token,
    });
    try {
      await eventually(() => assert.equal(client.session?.agent.id, agent.id));
    } finally {
      client.close();
    }
  });

  it('refuses a missing or unknown agent with a clear error', async () => {
    const missing = await mint('');
    assert.equal(missing.status, 400);
    assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'invalid_payload');
    const unknown = await mint('?agentId=agt_nobody');
    assert.equal(unknown.status, 404);
    assert.match(((await unknown.json()) as { error: { message: string } }).error.message, /no agent/);
    const twice = await mint('?agentId=a&agentId=b');
    assert.equal(twice.status, 400);
  });
});
