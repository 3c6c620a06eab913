/**
 * A captured `{id, hash}` or visitor token is no lasting credential: identify exchanges the hash
 * for a session token of its own, which expires after a while without use; the visitor is then
 * anonymous until the site identifies them again.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { MemoryStorage, VisitorClient } from '@charla/client';
import type { MessagePage, VisitorChangeEvent, VisitorMessage, VisitorSession, WidgetConfig } from '@charla/protocol';
import type { Socket } from 'socket.io-client';
import { api, clientId, connectVisitor, emitAck, eventually, openDatabase, recordEvents, request, startServer, type TestServer } from '../server/helpers.js';

const HOUR = 60 * 60 * 1000;
let t: TestServer;
let secret: string;
before(async () => {
  t = await startServer({ server: { visitorSessionTtlMs: HOUR } });
  secret = (await api<WidgetConfig>(t.url, '/api/v1/workspace/widget', { token: t.acme.admin.token })).body.secret;
});
after(() => t.close());

const hmac = (id: string) => createHmac('sha256', secret).update(id).digest('hex');
const connect = (token?: string) => connectVisitor(t.url, t.acme.workspace.widgetKey, token);
const bodies = async (socket: Socket) =>
  (await request<MessagePage<VisitorMessage>>(socket, 'messages.list', {})).messages.map((m) => m.body);

/** Lets `minutes` pass for the sessions: every recorded use moves that far into the past. */
async function letTimePass(minutes: number): Promise<void> {
  const db = await openDatabase(t.dbPath);
  try {
    await db.transaction(async (tx) => {
      const visitors = await tx.all<{ id: string; active_at: string }>('SELECT id, active_at FROM visitors WHERE active_at IS NOT NULL');
      for (const { id, active_at: activeAt } of visitors) {
        await tx.run('UPDATE visitors SET active_at = ? WHERE id = ?', [new Date(Date.parse(activeAt) - minutes * 60_000).toISOString(), id]);
      }
    });
  } finally {
    await db.close();
  }
}

/** A signed-in customer who wrote once: the id, and the token identify gave them. */
async function signedInCustomer(body: string) {
  const id = `user-${clientId()}`;
  const socket = await connect();
  const { token } = await request<{ token: string }>(socket, 'identify', { id, hash: hmac(id) });
  await request(socket, 'message.send', { clientId: clientId(), body });
  return { id, token, socket };
}

describe('visitor sessions', () => {
  test('identify exchanges the hash for a token of its own: the token held before signing in opens nothing of it', async () => {
    const browser = await connect();
    const before = await request<VisitorSession>(browser, 'session.get');
    // Someone who used this browser before the customer kept its token, and a connection open with it.
    const lurker = await connect(before.token);
    await request(browser, 'message.send', { clientId: clientId(), body: 'Hola' });

    const id = `user-${clientId()}`;
    const identified = await request<{ verified: boolean; token: string }>(browser, 'identify', { id, hash: hmac(id) });
    assert.equal(identified.verified, true);
    assert.notEqual(identified.token, before.token);
    const overheard = recordEvents<VisitorChangeEvent>(lurker);
    const signedIn = recordEvents<VisitorChangeEvent>(browser);
    await request(browser, 'message.send', { clientId: clientId(), body: 'Mi factura, por favor' });
    await eventually(() => signedIn.length > 0);

    const stale = await emitAck(lurker, 'messages.list', {});
    assert.equal(stale.ok, false, 'the open connection no longer acts');
    if (!stale.ok) assert.equal(stale.error.code, 'unauthorized');
    assert.deepEqual(overheard, [], 'nor hears anything of the signed-in customer');
    const replayed = await connect(before.token);
    const session = await request<VisitorSession>(replayed, 'session.get');
    assert.equal(session.verified, false);
    assert.notEqual(session.token, before.token, 'the old token starts a new anonymous visitor');
    assert.deepEqual(await bodies(replayed), []);

    const customer = await connect(identified.token);
    assert.equal((await request<VisitorSession>(customer, 'session.get')).verified, true);
    assert.deepEqual(await bodies(customer), ['Hola', 'Mi factura, por favor']);
  });

  test('an identified session expires after its lifetime without use; the visitor is anonymous until identified again', async () => {
    const { id, token, socket } = await signedInCustomer('Mi dirección es Calle Sol 8');
    let told = false;
    socket.on('session.changed', () => (told = true));
    await letTimePass(2 * 60);

    const stale = await emitAck(socket, 'messages.list', {});
    assert.equal(stale.ok, false, 'an open connection stops acting for the expired session');
    if (!stale.ok) assert.equal(stale.error.code, 'unauthorized');
    await eventually(() => told);
    const later = await connect(token);
    const session = await request<VisitorSession>(later, 'session.get');
    assert.equal(session.verified, false);
    assert.equal(session.conversation, null);
    assert.deepEqual(await bodies(later), []);

    // The site identifies its signed-in user on the next page: the history is back.
    const renewed = await request<{ token: string }>(later, 'identify', { id, hash: hmac(id) });
    assert.notEqual(renewed.token, token);
    assert.deepEqual(await bodies(await connect(renewed.token)), ['Mi dirección es Calle Sol 8']);
  });

  test('using the session keeps it alive', async () => {
    const { token } = await signedInCustomer('Sigo aquí');
    await letTimePass(45);
    assert.deepEqual(await bodies(await connect(token)), ['Sigo aquí']);
    await letTimePass(45);
    const again = await connect(token);
    assert.equal((await request<VisitorSession>(again, 'session.get')).verified, true, '90 minutes after identify, 45 after its last use');
    assert.deepEqual(await bodies(again), ['Sigo aquí']);
  });

  test('the widget client starts again as an anonymous visitor when its session expired, and still sends what was typed', async () => {
    const client = new VisitorClient({ url: t.url, workspace: t.acme.workspace.widgetKey, storage: new MemoryStorage() });
    try {
      await eventually(() => client.state === 'online');
      const id = `user-${clientId()}`;
      await client.identify({ id, hash: hmac(id) });
      await eventually(() => client.state === 'online' && client.session?.verified === true);
      client.send('Antes de caducar');
      await eventually(() => client.pendingCount === 0);
      await letTimePass(2 * 60);

      client.send('Después de caducar');
      await eventually(() => client.pendingCount === 0 && client.session?.verified === false, 5000);
      assert.deepEqual(client.messages.map((m) => [m.body, m.status]), [['Después de caducar', 'sent']], 'the signed-in history is gone');
    } finally {
      client.close();
    }
  });

  test('the widget client keeps the session token, never the hash, and continues as the customer after a reload', async () => {
    const storage = new MemoryStorage();
    const written = new Map<string, string>();
    const recording = {
      getItem: (key: string) => storage.getItem(key),
      setItem: (key: string, value: string) => {
        written.set(key, value);
        storage.setItem(key, value);
      },
      removeItem: (key: string) => storage.removeItem(key),
    };
    const first = new VisitorClient({ url: t.url, workspace: t.acme.workspace.widgetKey, storage: recording });
    try {
      await eventually(() => first.state === 'online');
      const id = `user-${clientId()}`;
      const hash = hmac(id);
      const result = await first.identify({ id, hash });
      assert.ok(result.token, 'result.token');
      await eventually(() => first.state === 'online' && first.session?.verified === true);
      first.send('Hola desde el sitio');
      await eventually(() => first.pendingCount === 0);
      assert.ok(![...written.values()].some((value) => value.includes(hash)), 'the hash is never stored');
    } finally {
      first.close();
    }
    const reloaded = new VisitorClient({ url: t.url, workspace: t.acme.workspace.widgetKey, storage });
    try {
      await eventually(() => reloaded.state === 'online' && reloaded.messages.length > 0);
      assert.equal(reloaded.session?.verified, true);
      assert.deepEqual(reloaded.messages.map((m) => m.body), ['Hola desde el sitio']);
    } finally {
      reloaded.close();
    }
  });
});
