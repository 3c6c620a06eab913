/**
 * Secrets at rest through the real server: a workspace's WhatsApp token, app secret and verify
 * token and its platform signing secret are not in the database in clear (the SQLite file's bytes,
 * or every PostgreSQL table), never come back from the API, and still work after a restart:
 * Meta's signed webhooks verify, sends carry the token, host-signed agent tokens open. Settings
 * stored in clear before sealing existed are sealed on start; keys rotate (`new,old`); a server
 * without the key that sealed them refuses to start with one line.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SignJWT } from 'jose';
import { postWebhook, waText } from '../support/channels.js';
import { databaseHits } from '../support/database-scan.js';
import { startFakeGraph, type FakeGraph } from '../support/fake-graph.js';
import { api, clientId, eventually, openDatabase, startServer, type TestServer } from './helpers.js';

const PLATFORM_KEY = 'platform-key-for-the-hosts-backend-0123456789';
const OLD_KEY = randomBytes(32).toString('hex');
const NEW_KEY = randomBytes(32).toString('hex');

let graph: FakeGraph;
let dir: string;
let dbPath: string;
let t: TestServer | null = null;

const secret = (label: string) => `${label}Zq${randomInt(1e9, 9e9)}Mk`;
const WA = {
  phoneNumberId: `10${randomInt(1e12, 9e12)}`,
  wabaId: `10${randomInt(1e12, 9e12)}`,
  accessToken: secret('EAAG'),
  appSecret: secret('app'),
  verifyToken: secret('verify'),
};
let signingSecret: string;
let agentId: string;

before(async () => {
  graph = await startFakeGraph();
  graph.grant(WA.accessToken, WA.phoneNumberId, { display_phone_number: '+1 555-010-2030', verified_name: 'Roble' });
  dir = await mkdtemp(join(tmpdir(), 'charla-secrets-'));
  dbPath = join(dir, 'charla.db');
});
after(async () => {
  await t?.close();
  await graph.close();
  await rm(dir, { recursive: true, force: true });
});

/** (Re)starts the server on the same database, with `secretKey` when given. */
async function restart(secretKey?: string): Promise<TestServer> {
  await t?.close();
  t = null;
  t = await startServer({ dbPath, dir, server: { graphUrl: graph.url, jobBackoffMs: 20, platformKey: PLATFORM_KEY, ...(secretKey ? { secretKey } : {}) } });
  return t;
}

const agentToken = () =>
  new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(agentId).setIssuedAt().setExpirationTime('1h').sign(new TextEncoder().encode(signingSecret));

/** A customer writes on WhatsApp (signed with the app secret) and the agent answers: the reply reaches Meta with the token. */
async function roundTrip(server: TestServer, text: string): Promise<void> {
  const token = await agentToken();
  const waId = `5215${randomInt(1e7, 9e7)}`;
  const payload = waText(waId, 'Lucía Paz', text) as any;
  payload.entry[0].changes[0].value.metadata.phone_number_id = WA.phoneNumberId;
  const webhook = await postWebhook(server.url, 'whatsapp', payload, { secret: WA.appSecret });
  assert.equal(webhook.status, 200, `the webhook signed with the stored app secret verifies: ${webhook.text}`);
  const conversation = await eventually(async () => {
    const list = await api(server.url, `/api/v1/conversations?status=all&query=${waId}`, { token });
    return list.body.conversations?.[0];
  }, 5000, 'the conversation appears');
  const sent = await api(server.url, `/api/v1/conversations/${conversation.id}/messages`, { token, method: 'POST', body: { clientId: clientId(), body: `Re: ${text}` } });
  assert.equal(sent.status, 201, JSON.stringify(sent.body));
  await eventually(
    () => Promise.resolve(graph.sent('/messages').some((send) => send.body?.text?.body === `Re: ${text}` && send.authorization === `Bearer ${WA.accessToken}`)),
    5000,
    'the reply reached the Graph API with the stored token',
  );
}

describe('channel and workspace secrets at rest', () => {
  test('saved over the API they are sealed in the database, never shown, and work', async () => {
    const server = await restart(OLD_KEY);
    const created = await api(server.url, '/platform/v1/workspaces', { token: PLATFORM_KEY, method: 'POST', body: { name: 'Mueblería Roble' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    signingSecret = created.body.workspace.signingSecret;
    const workspaceId = created.body.workspace.id;
    const admin = await api(server.url, `/platform/v1/workspaces/${workspaceId}/agents`, {
      token: PLATFORM_KEY, method: 'POST', body: { externalId: 'u-1', name: 'Ana Ruiz', email: 'ana@roble.mx', role: 'admin' },
    });
    agentId = admin.body.agent.id;
    const token = await agentToken();
    const saved = await api(server.url, '/api/v1/channels/whatsapp', { token, method: 'PUT', body: WA });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    const shown = JSON.stringify((await api(server.url, '/api/v1/channels/whatsapp', { token })).body);
    for (const value of [WA.accessToken, WA.appSecret, WA.verifyToken]) assert.ok(!shown.includes(value), `the API never shows ${value}`);
    assert.match(shown, /"accessToken":true/, 'the API says the token is set');

    assert.deepEqual(await databaseHits(dbPath, [WA.accessToken, WA.appSecret, WA.verifyToken, signingSecret]), [], 'no secret in clear in the database');
    await roundTrip(server, 'Hola, ¿tienen la mesa de roble?');
  });

  test('after a restart the sealed secrets open: webhooks verify, sends authenticate, host tokens sign in', async () => {
    const server = await restart(OLD_KEY);
    await roundTrip(server, '¿Y en color nogal?');
  });

  test('settings stored in clear before sealing existed are sealed on start', async () => {
    await t?.close();
    t = null;
    const db = await openDatabase(dbPath);
    try {
      await db.run("UPDATE channel_settings SET settings = ? WHERE channel = 'whatsapp' AND account_id = ?", [JSON.stringify(WA), WA.phoneNumberId]);
    } finally {
      await db.close();
    }
    assert.ok((await databaseHits(dbPath, [WA.accessToken])).length > 0, 'the token is in clear before the start');
    const server = await restart(OLD_KEY);
    assert.deepEqual(await databaseHits(dbPath, [WA.accessToken, WA.appSecret, WA.verifyToken]), [], 'sealed on start');
    await roundTrip(server, '¿Hacen envíos a Puebla?');
  });

  test('keys rotate: `new,old` opens both and reseals under the new one; the old key alone no longer starts it', async () => {
    await roundTrip(await restart(`${NEW_KEY},${OLD_KEY}`), '¿Aceptan tarjeta?');
    await roundTrip(await restart(NEW_KEY), '¿Cuánto tarda el envío?');
    await t?.close();
    t = null;
    await assert.rejects(
      startServer({ dbPath, dir, server: { graphUrl: graph.url, secretKey: OLD_KEY } }),
      /sealed with a key this server does not have \(key id [\w-]+\): set CHARLA_SECRET_KEY to include it/,
      'a server without the key that sealed the secrets says so',
    );
  });
});
