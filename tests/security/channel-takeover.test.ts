/**
 * Cross-tenant channel takeover: an admin of Globex must not connect Acme's WhatsApp number or
 * Instagram account (and so receive Acme's customers). An account belongs to one workspace
 * (409 channel_taken), and connecting one takes a token that reads it from the Graph API
 * (422 channel_unverified).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { IG, WA, igMessage, postWebhook, startChannelTest, until, waText, type ChannelTest } from '../support/channels.js';
import { api, settle } from '../server/helpers.js';

let kit: ChannelTest;
let url: string;

before(async () => {
  kit = await startChannelTest();
  url = kit.test.url;
});
after(() => kit.close());

const globexAdmin = () => kit.test.globex.admin.token;
const contactsOf = async (token: string, query: string): Promise<unknown[]> =>
  (await api(url, `/api/v1/contacts?query=${query}`, { token })).body.contacts;

test("Globex cannot connect Acme's WhatsApp number, and Acme's customers keep reaching only Acme", async () => {
  // Same Meta app (so the same app secret), Globex's own valid token: everything but the number is Globex's.
  kit.graph.grant('globex-wa-token', '200000000000001');
  const claim = await api(url, '/api/v1/channels/whatsapp', {
    token: globexAdmin(), method: 'PUT',
    body: { phoneNumberId: WA.phoneNumberId, accessToken: 'globex-wa-token', appSecret: WA.appSecret, verifyToken: 'globex-verify' },
  });
  assert.equal(claim.status, 409);
  assert.equal(claim.body.error.code, 'channel_taken');
  const view = await api(url, '/api/v1/channels/whatsapp', { token: globexAdmin() });
  assert.equal(view.body.ids.phoneNumberId, null, 'nothing of the claim was stored');
  assert.equal(view.body.secrets.accessToken, false);

  assert.equal((await postWebhook(url, 'whatsapp', waText('5215511112222', 'Cliente de Acme', 'Hola, quiero pagar mi pedido'))).status, 200);
  await until(async () => (await contactsOf(kit.test.acme.agent.token, '5215511112222')).length > 0 || undefined, "Acme's customer");
  await settle();
  assert.deepEqual(await contactsOf(kit.test.globex.agent.token, '5215511112222'), []);
});

test("Globex cannot connect Acme's Instagram account", async () => {
  kit.graph.grant('globex-ig-token', '17841400000000002');
  const claim = await api(url, '/api/v1/channels/instagram', {
    token: globexAdmin(), method: 'PUT',
    body: { accountId: IG.accountId, accessToken: 'globex-ig-token', appSecret: IG.appSecret, verifyToken: 'globex-ig-verify' },
  });
  assert.equal(claim.status, 409);
  assert.equal(claim.body.error.code, 'channel_taken');
  assert.equal((await postWebhook(url, 'instagram', igMessage('IGSID-acme-1', { text: 'hola' }))).status, 200);
  await until(async () => (await contactsOf(kit.test.acme.agent.token, 'IGSID-acme-1')).length > 0 || undefined, "Acme's customer");
  await settle();
  assert.deepEqual(await contactsOf(kit.test.globex.agent.token, 'IGSID-acme-1'), []);
});

test('a free number is connected only with a token that reads it from the Graph API', async () => {
  const number = '300000000000001';
  const put = (body: Record<string, string>) => api(url, '/api/v1/channels/whatsapp', { token: globexAdmin(), method: 'PUT', body });

  const noToken = await put({ phoneNumberId: number, appSecret: 'globex-secret', verifyToken: 'globex-verify' });
  assert.equal(noToken.status, 422);
  assert.equal(noToken.body.error.code, 'channel_unverified');
  assert.match(noToken.body.error.message, /accessToken/);

  const unknownToken = await put({ phoneNumberId: number, accessToken: 'made-up-token', appSecret: 'globex-secret', verifyToken: 'globex-verify' });
  assert.equal(unknownToken.status, 422);
  assert.equal(unknownToken.body.error.code, 'channel_unverified');
  assert.match(unknownToken.body.error.message, /190/);

  // A real token of Globex, but not one that may read this number.
  kit.graph.grant('globex-token-2', '200000000000009');
  const otherAccount = await put({ phoneNumberId: number, accessToken: 'globex-token-2', appSecret: 'globex-secret', verifyToken: 'globex-verify' });
  assert.equal(otherAccount.status, 422);
  assert.equal(otherAccount.body.error.code, 'channel_unverified');
  assert.ok(kit.graph.requests.some((r) => r.method === 'GET' && r.path === `/v21.0/${number}` && r.authorization === 'Bearer globex-token-2'), "kit.graph.requests.some((r) => r.method === 'GET' && r.path === `/v21.0/${number}` && r.authoriza…");
  assert.equal((await api(url, '/api/v1/channels/whatsapp', { token: globexAdmin() })).body.ids.phoneNumberId, null);

  kit.graph.grant('globex-number-token', number, { display_phone_number: '+1 555-000-0001', verified_name: 'Globex' });
  const proven = await put({ phoneNumberId: number, accessToken: 'globex-number-token', appSecret: 'globex-secret', verifyToken: 'globex-verify' });
  assert.equal(proven.status, 200);
  assert.equal(proven.body.ids.phoneNumberId, number);
  assert.equal(proven.body.configured, true);

  // Now Globex's: Acme cannot take it either, even with a token that reads it.
  const back = await api(url, '/api/v1/channels/whatsapp', {
    token: kit.test.acme.admin.token, method: 'PUT', body: { phoneNumberId: number, accessToken: 'globex-number-token' },
  });
  assert.equal(back.status, 409);
  assert.equal(back.body.error.code, 'channel_taken');
});

test("a workspace's own token change is proven too; settings without the account need no proof", async () => {
  const admin = kit.test.acme.admin.token;
  const wrong = await api(url, '/api/v1/channels/whatsapp', { token: admin, method: 'PUT', body: { accessToken: 'not-a-token-of-this-number' } });
  assert.equal(wrong.status, 422);
  assert.equal(wrong.body.error.code, 'channel_unverified');
  const unchanged = await api(url, '/api/v1/channels/whatsapp', { token: admin, method: 'PUT', body: { verifyToken: 'wa-verify' } });
  assert.equal(unchanged.status, 200);
  // The stored token still works: replies still go out with it.
  assert.equal((await api(url, '/api/v1/channels/whatsapp/templates/sync', { token: admin, method: 'POST' })).status, 200);
  assert.equal(kit.graph.requests.at(-1)!.authorization, `Bearer ${WA.accessToken}`);
});
