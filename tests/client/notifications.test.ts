import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CharlaClient, MemoryStorage } from '@charla/client';
import type { Notification } from '@charla/protocol';
import { startServer, visitorWrites, type TestServer } from '../server/helpers.js';
import { eventually } from '../support/demo-server.js';

let t: TestServer;
const clients: CharlaClient[] = [];
const client = (token: string) => {
  const c = new CharlaClient({ url: t.url, token, storage: new MemoryStorage() });
  clients.push(c);
  return c;
};

before(async () => {
  t = await startServer();
});
after(async () => {
  for (const c of clients) c.close();
  await t.close();
});

describe('CharlaClient notifications', () => {
  it('tells the mentioned agent at once, keeps the unread count, and clears it when read', async () => {
    const { conversationId } = await visitorWrites(t, t.acme, '¿Me pueden llamar?');
    const ana = client(t.acme.admin.token);
    const bruno = client(t.acme.agent.token);
    await eventually(() => assert.ok(ana.state === 'online' && bruno.state === 'online', "ana.state === 'online' && bruno.state === 'online'"));
    const heard: Notification[] = [];
    bruno.onNotification((n) => heard.push(n));
    assert.equal(bruno.notifications().unread, 0);

    ana.send(conversationId, 'Bruno, ¿la llamas tú?', { private: true, mentions: [t.acme.agent.agent.id] });
    await eventually(() => assert.equal(heard.length, 1));
    assert.equal(heard[0]!.kind, 'mention');
    assert.equal(bruno.notifications().unread, 1);
    assert.equal(ana.notifications().items.length, 0, 'Ana keeps none of Bruno’s');

    await bruno.readNotifications();
    assert.equal(bruno.notifications().unread, 0);
    await eventually(() => assert.ok(bruno.notifications().items.every((n) => n.readAt), 'bruno.notifications().items.every((n) => n.readAt)'));
  });
});
