import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { CharlaClient, MemoryStorage, type CharlaClientOptions, VisitorClient, tokenExpiry } from '@charla/client';
import { eventually, startDemoServer, type DemoServer } from '../support/demo-server.js';

// The host's backend signs short-lived agent tokens; the client asks it for a new one through
// `tokenProvider` and stays signed in across their lifetimes.
let server: DemoServer;
let secret: string;
let adminId: string;
const clients: Array<{ close(): void }> = [];

/** A token as the host's backend signs it: `exp` seconds from now (negative: already expired). */
function sign(expiresInSeconds: number): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(adminId).setIssuedAt(now)
    .setExpirationTime(now + expiresInSeconds).sign(new TextEncoder().encode(secret));
}

/** A provider that answers with `lifetimes` in order (the last one again after), counting its calls. */
function provider(...lifetimes: number[]) {
  const calls: number[] = [];
  const tokenProvider = async () => {
    calls.push(Date.now());
    return sign(lifetimes[Math.min(calls.length, lifetimes.length) - 1]!);
  };
  return { calls, tokenProvider };
}

function agentClient(options: Omit<CharlaClientOptions, 'url'>) {
  const client = new CharlaClient({ url: server.url, storage: new MemoryStorage(), ...options });
  clients.push(client);
  return client;
}

async function rest<T>(path: string): Promise<T> {
  const response = await fetch(`${server.url}/api/v1${path}`, { headers: { authorization: `Bearer ${server.token}` } });
  assert.equal(response.status, 200, `GET ${path}`);
  return (await response.json()) as T;
}

before(async () => {
  server = await startDemoServer();
  const workspace = (await server.server.store.workspaces.byWidgetKey(server.widgetKey))!;
  adminId = (await server.server.store.workspaces.agents(workspace.id)).find((agent) => agent.role === 'admin')!.id;
  secret = randomBytes(32).toString('base64url');
  await server.server.store.platform.setSigningSecrets(workspace.id, secret, null);
});

after(async () => {
  for (const client of clients) client.close();
  await server.close();
});

describe('an agent client with a tokenProvider', () => {
  it('reads when a signed token expires, and that an opaque one never does', async () => {
    const token = await sign(30);
    const expiry = tokenExpiry(token)!;
    assert.ok(Math.abs(expiry - (Date.now() + 30_000)) < 2000, 'Math.abs(expiry - (Date.now() + 30_000)) < 2000');
    assert.equal(tokenExpiry(server.token), undefined);
    assert.equal(tokenExpiry('a.b.c'), undefined);
  });

  it('gets its first token from the provider, refreshes it before it expires and keeps working; a reply sent across the refresh is stored once', async () => {
    const visitor = new VisitorClient({ url: server.url, workspace: server.widgetKey, storage: new MemoryStorage() });
    clients.push(visitor);
    await eventually(() => assert.equal(visitor.state, 'online'));
    visitor.send('¿Tienen la mesa de roble en 1.80?');
    const conversationId = await eventually(() => visitor.session?.conversation?.id ?? assert.fail('no conversation yet'));

    const { calls, tokenProvider } = provider(3);
    const agent = agentClient({ tokenProvider });
    await eventually(() => assert.equal(agent.state, 'online'));
    assert.equal(calls.length, 1, 'one token to start');
    await agent.loadMessages(conversationId);

    // Queue a reply at the moment the client is about to present its new token.
    await eventually(() => assert.equal(calls.length, 2, 'a new token before the first one expires'), 8000);
    agent.send(conversationId, 'Sí, la tenemos.');
    await eventually(() => assert.equal(agent.state, 'online'));
    await eventually(() => assert.equal(agent.pendingCount, 0));

    // Past the first token's expiry, the client still works with the ones that followed.
    await eventually(() => assert.ok(calls.length >= 3, 'refreshed again'), 8000);
    agent.send(conversationId, 'Se la reservo hasta el viernes.');
    await eventually(() => assert.equal(agent.pendingCount, 0));
    const page = await rest<{ messages: Array<{ body: string }> }>(`/conversations/${conversationId}/messages`);
    assert.deepEqual(page.messages.map((m) => m.body), ['¿Tienen la mesa de roble en 1.80?', 'Sí, la tenemos.', 'Se la reservo hasta el viernes.']);
    await eventually(() => assert.deepEqual(visitor.messages.map((m) => m.body).slice(1), ['Sí, la tenemos.', 'Se la reservo hasta el viernes.']));
    assert.equal(agent.messages(conversationId).items.filter((m) => m.body === 'Sí, la tenemos.').length, 1);
  });

  it('asks again when the server says the token expired, then connects', async () => {
    const { calls, tokenProvider } = provider(-600, 3600);
    const agent = agentClient({ tokenProvider });
    await eventually(() => assert.equal(agent.state, 'online'));
    assert.equal(calls.length, 2);
    assert.equal(agent.session!.agent.id, adminId);
  });

  it('stops asking when every token it gets has expired, and says it is unauthorized', async () => {
    const { calls, tokenProvider } = provider(-600);
    const agent = agentClient({ tokenProvider });
    await eventually(() => assert.equal(agent.state, 'unauthorized'), 8000);
    assert.ok(calls.length <= 5, `gave up after ${calls.length} tokens`);
    assert.equal(agent.lastError?.code, 'unauthorized');
  });

  it('keeps retrying a provider that fails, and connects once it answers', async () => {
    let calls = 0;
    const agent = agentClient({
      tokenProvider: async () => {
        calls += 1;
        if (calls === 1) throw new Error('the host backend is restarting');
        return sign(3600);
      },
    });
    await eventually(() => assert.equal(agent.state, 'online'), 8000);
    assert.ok(calls >= 2, 'calls >= 2');
  });

  it('uses a fresh token for REST too', async () => {
    const { calls, tokenProvider } = provider(3600);
    const agent = agentClient({ token: await sign(-600), tokenProvider, autoConnect: false });
    const response = await agent.fetchApi('/api/v1/conversations?status=open');
    assert.equal(response.status, 200);
    assert.equal(calls.length, 1, 'the expired token was replaced before the request');
  });

  it('without a provider, a token the server says expired leaves the client unauthorized', async () => {
    const agent = agentClient({ token: await sign(-600) });
    await eventually(() => assert.equal(agent.state, 'unauthorized'));
    assert.match(agent.lastError!.message, /expired/);
  });
});
