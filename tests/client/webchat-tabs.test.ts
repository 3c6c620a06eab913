import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CharlaClient, MemoryStorage, VisitorClient } from '@charla/client';
import { eventually, startDemoServer, type DemoServer } from '../support/demo-server.js';

let server: DemoServer;
const clients: Array<{ close(): void }> = [];

/** One browser tab of the shop: tabs of one browser share their storage (localStorage). */
function tab(storage: MemoryStorage, connect = true) {
  const client = new VisitorClient({ url: server.url, workspace: server.widgetKey, storage, autoConnect: connect });
  clients.push(client);
  return client;
}

const online = (client: { state: string }) => eventually(() => assert.equal(client.state, 'online'));

before(async () => {
  server = await startDemoServer();
});

after(async () => {
  for (const client of clients) client.close();
  await server.close();
});

describe('VisitorClient across tabs', () => {
  it("never drops a message another tab queued offline, and delivers each once", async () => {
    const storage = new MemoryStorage();
    const first = tab(storage);
    await online(first);
    first.send('Hola desde la primera pestaña');
    await eventually(() => assert.equal(first.pendingCount, 0));

    // The first tab loses the connection and queues a message; it is closed before coming back.
    first.disconnect();
    first.send('Escrito sin conexión');
    first.close();
    // A second tab, online, writes: its own write must keep the first tab's queued message.
    const second = tab(storage);
    await online(second);
    second.send('Desde la segunda');
    await eventually(() => assert.equal(second.pendingCount, 0));

    const bodies = second.messages.map((message) => message.body);
    assert.deepEqual(bodies.filter((body) => body === 'Escrito sin conexión'), ['Escrito sin conexión']);
    assert.deepEqual(bodies.filter((body) => body === 'Desde la segunda'), ['Desde la segunda']);
    assert.equal(storage.getItem('charla:outbox:visitor:demo'), null, 'nothing left to send');

    const agent = new CharlaClient({ url: server.url, token: server.token, storage: new MemoryStorage() });
    clients.push(agent);
    const conversationId = second.session!.conversation!.id;
    const page = (await (await fetch(`${server.url}/api/v1/conversations/${conversationId}/messages`, {
      headers: { authorization: `Bearer ${server.token}` },
    })).json()) as { messages: Array<{ body: string }> };
    assert.deepEqual(page.messages.map((m) => m.body), ['Hola desde la primera pestaña', 'Escrito sin conexión', 'Desde la segunda']);
  });

  it('shows typing from the agent, and forgets it when their message arrives', async () => {
    const visitor = tab(new MemoryStorage());
    await online(visitor);
    visitor.send('¿Me ayudan?');
    await eventually(() => assert.ok(visitor.session?.conversation, 'the conversation has started'));
    const agent = new CharlaClient({ url: server.url, token: server.token, storage: new MemoryStorage() });
    clients.push(agent);
    await online(agent);
    const conversationId = visitor.session!.conversation!.id;
    agent.notifyTyping(conversationId);
    const typist = await eventually(() => visitor.typing ?? assert.fail('no one typing yet'));
    assert.equal(typist.name, agent.me!.name);
    agent.notifyTyping(conversationId); // throttled: no second signal needed while typing on
    visitor.notifyTyping();
    const visitorTyping = await eventually(() => agent.typingIn(conversationId) ?? assert.fail('the agent sees no one typing'));
    assert.equal(visitorTyping.name, null, 'an anonymous visitor has no name yet');
    agent.send(conversationId, 'Claro que sí');
    await eventually(() => assert.equal(visitor.typing, null));
  });

  it('identifies with a valid hash and continues as that contact; reset() starts a new anonymous visitor', async () => {
    const { hash } = (await (await fetch(`${server.url}/demo/identity?id=tabs-user`)).json()) as { hash: string };
    const storage = new MemoryStorage();
    const visitor = tab(storage);
    await online(visitor);
    const anonymous = visitor.session!.contactId;
    assert.equal(visitor.session!.verified, false);
    const identified = await visitor.identify({ id: 'tabs-user', name: 'Tabs User', hash });
    assert.deepEqual({ verified: identified.verified, linked: identified.linked }, { verified: true, linked: false });
    assert.equal(typeof identified.token, 'string', 'the proven session gets a token of its own');
    visitor.send('Ya con sesión');
    await eventually(() => assert.equal(visitor.pendingCount, 0));

    // Another device of the same user: anonymous first, then linked, and its session restarts by itself.
    const otherDevice = tab(new MemoryStorage());
    await online(otherDevice);
    assert.equal((await otherDevice.identify({ id: 'tabs-user', hash })).linked, true);
    await eventually(() => assert.equal(otherDevice.session?.contactId, anonymous));
    await eventually(() => assert.deepEqual(otherDevice.messages.map((m) => m.body), ['Ya con sesión']));
    assert.equal(otherDevice.session!.verified, true);

    otherDevice.disconnect();
    otherDevice.send('Queda sin enviar');
    otherDevice.reset();
    await online(otherDevice);
    assert.notEqual(otherDevice.session!.contactId, anonymous, 'a new anonymous visitor');
    assert.deepEqual(otherDevice.messages, []);
    assert.equal(otherDevice.pendingCount, 0, "the previous visitor's unsent words are not sent as the new one");
  });
});

