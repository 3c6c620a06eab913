import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CharlaClient, MemoryStorage, VisitorClient } from '@charla/client';
import { eventually, startDemoServer, type DemoServer } from '../support/demo-server.js';

let server: DemoServer;
const clients: Array<{ close(): void }> = [];

function agentClient(storage = new MemoryStorage()) {
  const client = new CharlaClient({ url: server.url, token: server.token, storage });
  clients.push(client);
  return client;
}

function visitorClient(storage = new MemoryStorage()) {
  const client = new VisitorClient({ url: server.url, workspace: server.widgetKey, storage });
  clients.push(client);
  return client;
}

const online = (client: { state: string }) => eventually(() => assert.equal(client.state, 'online'));

async function rest<T>(path: string): Promise<T> {
  const response = await fetch(`${server.url}/api/v1${path}`, { headers: { authorization: `Bearer ${server.token}` } });
  assert.equal(response.status, 200, `GET ${path}`);
  return (await response.json()) as T;
}

before(async () => {
  server = await startDemoServer();
});

after(async () => {
  for (const client of clients) client.close();
  await server.close();
});

describe('CharlaClient and VisitorClient against a real server', () => {
  it('delivers a visitor message to the agent live, and the reply back to the visitor', async () => {
    const agent = agentClient();
    const inbox = agent.conversations({ status: 'open' });
    await online(agent);
    await eventually(() => assert.ok(inbox.loaded, 'inbox.loaded'));

    const visitor = visitorClient();
    await online(visitor);
    visitor.send('Hola, ¿tienen envío a Guadalajara?');

    const conversationId = await eventually(() => {
      const conversation = inbox.ids.map((id) => agent.conversation(id)!).find((c) => c.lastMessagePreview === 'Hola, ¿tienen envío a Guadalajara?');
      assert.ok(conversation, 'the new conversation is listed');
      return conversation.id;
    });
    assert.equal(inbox.ids[0], conversationId, 'the newest conversation comes first');

    await agent.loadMessages(conversationId);
    agent.send(conversationId, 'Sí, llega en 2 días.');
    agent.send(conversationId, 'Nota: cliente nuevo', { private: true });
    await eventually(() => assert.deepEqual(visitor.messages.map((m) => m.body), ['Hola, ¿tienen envío a Guadalajara?', 'Sí, llega en 2 días.']));
    await eventually(() => assert.equal(agent.messages(conversationId).items.filter((m) => m.status !== 'pending').length, 3));
    assert.ok(visitor.messages.every((m) => !m.body.startsWith('Nota')), 'a private note never reaches the visitor');
  });

  it('shows every message sent while the agent was disconnected, once, after reconnecting', async () => {
    const agent = agentClient();
    const inbox = agent.conversations({ status: 'open' });
    const visitor = visitorClient();
    await Promise.all([online(agent), online(visitor)]);
    visitor.send('Primer mensaje');
    const conversationId = await eventually(() => {
      const id = visitor.session?.conversation?.id;
      assert.ok(id && inbox.ids.includes(id), `session conversation ${id}, inbox ${inbox.ids.slice(0, 3).join()} loaded=${inbox.loaded} err=${inbox.error?.message} t=${Date.now()}`);
      return id;
    });
    await agent.loadMessages(conversationId);
    await eventually(() => assert.equal(agent.messages(conversationId).items.length, 1));

    agent.disconnect();
    await eventually(() => assert.equal(agent.state, 'reconnecting'));
    for (const body of ['uno', 'dos', 'tres']) visitor.send(body);
    await eventually(() => assert.equal(visitor.pendingCount, 0));
    assert.equal(agent.messages(conversationId).items.length, 1, 'nothing arrives while disconnected');

    agent.connect();
    await online(agent);
    await eventually(() =>
      assert.deepEqual(agent.messages(conversationId).items.map((m) => m.body), ['Primer mensaje', 'uno', 'dos', 'tres']),
    );
    assert.equal(agent.conversation(conversationId)!.lastMessagePreview, 'tres');
    assert.equal(inbox.ids.filter((id) => id === conversationId).length, 1);
  });

  it('keeps an agent reply made offline and stores it exactly once when back online', async () => {
    const visitor = visitorClient();
    await online(visitor);
    visitor.send('¿Siguen abiertos?');
    const conversationId = await eventually(() => visitor.session?.conversation?.id ?? assert.fail('no conversation yet'));
    await eventually(() => assert.equal(visitor.pendingCount, 0));

    const agent = agentClient();
    await online(agent);
    await agent.loadMessages(conversationId);
    agent.disconnect();
    agent.send(conversationId, 'Sí, hasta las 8.');
    assert.equal(agent.messages(conversationId).items.at(-1)!.status, 'pending', 'shown at once as pending');
    agent.connect();
    await eventually(() => assert.equal(agent.pendingCount, 0));
    const page = await rest<{ messages: Array<{ body: string }> }>(`/conversations/${conversationId}/messages`);
    assert.equal(page.messages.filter((m) => m.body === 'Sí, hasta las 8.').length, 1);
    await eventually(() => assert.equal(visitor.messages.at(-1)!.body, 'Sí, hasta las 8.'));
  });

  it('continues the same conversation after a reload and sends what was queued before it', async () => {
    const storage = new MemoryStorage();
    const first = visitorClient(storage);
    await online(first);
    first.send('Antes de recargar');
    await eventually(() => assert.equal(first.pendingCount, 0));
    const conversationId = first.session!.conversation!.id;

    first.disconnect();
    first.send('Escrito sin conexión');
    first.close(); // the tab is reloaded before it could send

    const second = visitorClient(storage);
    assert.deepEqual(second.messages.map((m) => [m.body, m.status]), [['Escrito sin conexión', 'pending']]);
    await online(second);
    await eventually(() => assert.equal(second.pendingCount, 0));
    assert.equal(second.session!.conversation!.id, conversationId, 'same conversation');
    assert.deepEqual(second.messages.map((m) => m.body), ['Antes de recargar', 'Escrito sin conexión']);
    const page = await rest<{ messages: Array<{ body: string }> }>(`/conversations/${conversationId}/messages`);
    assert.deepEqual(page.messages.map((m) => m.body), ['Antes de recargar', 'Escrito sin conexión']);
  });

  it('marks a message the server refuses as failed, with the reason, until retried or discarded', async () => {
    const visitor = visitorClient();
    await online(visitor);
    const clientId = visitor.send('x'.repeat(5000));
    const failed = await eventually(() => {
      const message = visitor.messages.find((m) => m.clientId === clientId);
      assert.equal(message?.status, 'failed');
      return message!;
    });
    assert.match(failed.error ?? '', /4096/);
    visitor.send('Este sí');
    await eventually(() => assert.equal(visitor.pendingCount, 0), 5000);
    visitor.discard(clientId);
    assert.deepEqual(visitor.messages.map((m) => m.body), ['Este sí']);
  });

  it('refuses a bad token with the unauthorized state', async () => {
    const client = new CharlaClient({ url: server.url, token: 'not-a-real-token-at-all', storage: new MemoryStorage() });
    clients.push(client);
    await eventually(() => assert.equal(client.state, 'unauthorized'));
    assert.equal(client.lastError?.code, 'unauthorized');
  });
});
