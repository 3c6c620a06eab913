/**
 * Broadcasts end to end: real HTTP, real sockets, the real store and the fake Graph API. A
 * template to 1,000 contacts paced to the configured rate, opted-out and unreachable contacts
 * skipped and listed, statuses from Meta's signed webhooks (forwards only, failures with Meta's
 * reason), live to admins only, a reply linked to the broadcast; bad input changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Broadcast, BroadcastChangedData, BroadcastRecipient } from '@charla/protocol';
import { postWebhook, startChannelTest, until, waStatuses, waText, type ChannelTest } from '../support/channels.js';
import { api, connectAgent, eventually, settle } from './helpers.js';
import { unzip } from '../support/zip.js';

let c: ChannelTest;
let url: string;
let admin: string;

const TEMPLATE = { name: 'order_update', language: 'es_MX' };
const PARAMETERS = [{ field: 'firstName', fallback: 'cliente' }, { text: '#A-100' }];
const phoneOf = (i: number) => `57300${String(1_000_000 + i).padStart(7, '0')}`;

const importCsv = (rows: string[]) =>
  api(url, '/api/v1/contacts/import', { token: admin, method: 'POST', body: ['name,phone,email,tags', ...rows].join('\n'), headers: { 'content-type': 'text/csv' } });

const broadcastOf = async (id: string): Promise<Broadcast> => (await api(url, `/api/v1/broadcasts/${id}`, { token: admin })).body;
const recipientsOf = async (id: string, query = ''): Promise<BroadcastRecipient[]> =>
  (await api(url, `/api/v1/broadcasts/${id}/recipients?limit=500${query}`, { token: admin })).body.recipients;
const templateSends = () => c.graph.sent('/messages').filter((r) => r.body?.type === 'template');

before(async () => {
  c = await startChannelTest({ server: { broadcastNotifyMs: 20 } });
  url = c.test.url;
  admin = c.test.acme.admin.token;
  const sync = await api(url, '/api/v1/channels/whatsapp/templates/sync', { token: admin, method: 'POST' });
  assert.equal(sync.status, 200, 'templates synced');
});
after(() => c.close());

describe('a broadcast to 1,000 contacts', () => {
  let broadcast: Broadcast;
  const optedOut = ['573009990001', '573009990002'];

  test('the preview counts, renders and lists who is skipped; the send respects the rate and skips them', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => `Cliente${i} Apellido,+${phoneOf(i)},,campaign`);
    rows.push('Sin Telefono,,sin@telefono.test,campaign', 'Nadie Param,+573009990003,,campaign');
    const imported = await importCsv(rows);
    assert.equal(imported.status, 200, JSON.stringify(imported.body).slice(0, 300));
    // Two customers wrote BAJA on WhatsApp: they opted out of marketing.
    for (const waId of optedOut) await postWebhook(url, 'whatsapp', waText(waId, 'Opted Out', 'BAJA'));
    await until(async () => (await api(url, '/api/v1/contacts?query=573009990002', { token: admin })).body.contacts[0]?.marketingOptOut, 'opt-outs');
    await api(url, '/api/v1/contacts/bulk', { token: admin, method: 'POST', body: { selection: { filter: { query: '57300999000' } }, addTags: ['campaign'] } });
    const settings = await api(url, '/api/v1/broadcasts/settings', { token: admin, method: 'PUT', body: { tier: 'TIER_10K', messagesPerSecond: 200 } });
    assert.equal(settings.status, 200, JSON.stringify(settings.body));
    assert.equal(settings.body.remaining, 10_000, 'nothing sent yet');

    const audience = { filter: { tags: ['campaign'] } };
    // "Nadie Param" has no first name to fill {{1}} without a fallback: skipped for a missing parameter.
    const noFallback = [{ field: 'firstName' }, { text: '#A-100' }];
    await api(url, '/api/v1/contacts/bulk', { token: admin, method: 'POST', body: { selection: { filter: { query: '573009990003' } }, addTags: ['campaign'] } });
    const nameless = (await api(url, '/api/v1/contacts?query=573009990003', { token: admin })).body.contacts[0];
    await api(url, `/api/v1/contacts/${nameless.id}`, { token: admin, method: 'PATCH', body: { name: null } });

    const preview = await api(url, '/api/v1/broadcasts/preview', { token: admin, method: 'POST', body: { template: TEMPLATE, parameters: noFallback, audience } });
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    assert.equal(preview.body.count, 1000, 'every imported customer with a phone and a name');
    assert.match(preview.body.message, /^Hola Cliente\d+, tu pedido #A-100 está en camino\.$/);
    const reasons = Object.fromEntries(preview.body.skipped.map((s: { name: string; reason: string }) => [s.name ?? '(no name)', s.reason]));
    assert.equal(reasons['Sin Telefono'], 'no_whatsapp', 'no phone, no WhatsApp');
    assert.equal(reasons['(no name)'], 'missing_parameter', 'no first name and no fallback');
    assert.equal(preview.body.skipped.filter((s: { reason: string }) => s.reason === 'opted_out').length, 2, 'both opted-out customers');
    assert.equal(c.graph.sent('/messages').filter((r) => r.body?.type === 'template').length, 0, 'a preview sends nothing');

    const socket = await connectAgent(url, admin);
    const agentSocket = await connectAgent(url, c.test.acme.agent.token);
    const heard: BroadcastChangedData[] = [];
    const agentHeard: unknown[] = [];
    socket.on('broadcast.changed', (data: BroadcastChangedData) => heard.push(data));
    agentSocket.on('broadcast.changed', (data: unknown) => agentHeard.push(data));

    const created = await api(url, '/api/v1/broadcasts', { token: admin, method: 'POST', body: { name: 'Pedidos', template: TEMPLATE, parameters: PARAMETERS, audience } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    broadcast = created.body;
    assert.equal(broadcast.state, 'sending');
    assert.equal(broadcast.counts.total, 1004, '1,000 to send and 4 skipped, each listed');
    assert.equal(broadcast.counts.skipped, 3, 'the fallback fills the missing name: only the opted-out and the phoneless are skipped');

    const done = await eventually(async () => {
      const current = await broadcastOf(broadcast.id);
      return current.state === 'done' && current;
    }, 60_000, 'the broadcast to finish');
    assert.equal(done.counts.sent, 1001, 'everyone reachable got it once');
    const sends = templateSends();
    assert.equal(sends.length, 1001, 'one request per recipient');
    assert.equal(new Set(sends.map((s) => s.body.to)).size, 1001, 'nobody twice');
    for (const waId of optedOut) assert.ok(!sends.some((s) => s.body.to === waId), `opted-out ${waId} not sent`);
    const first = sends.find((s) => s.body.to === phoneOf(7))!;
    assert.deepEqual(first.body.template, {
      name: 'order_update', language: { code: 'es_MX' },
      components: [{ type: 'body', parameters: [{ type: 'text', text: 'Cliente7' }, { type: 'text', text: '#A-100' }] }],
    }, 'per-contact parameters from contact fields');
    assert.ok(first.body.biz_opaque_callback_data, 'the recipient id travels with the send');
    // Paced at 200 per second: no second of the run saw more than that, give or take the sends a
    // commit's delay between slot and request shifts into it (10%).
    const times = sends.map((s) => s.at).sort((a, b) => a - b);
    let busiest = 0;
    for (let i = 0, j = 0; i < times.length; i += 1) {
      while (times[i]! - times[j]! >= 1000) j += 1;
      busiest = Math.max(busiest, i - j + 1);
    }
    assert.ok(busiest <= 220, `at most about 200 sends in any second (saw ${busiest})`);

    await eventually(() => heard.some((h) => h.broadcast.id === broadcast.id && h.broadcast.state === 'done'), 3000, 'admins hear it finish');
    assert.ok(heard.some((h) => h.recipients.some((r) => r.status === 'sent')), 'admins hear recipients move');
    await settle(100);
    assert.equal(agentHeard.length, 0, 'agents who are not admins hear nothing of broadcasts');
  });

  test('status webhooks move recipients forwards only, failures carry Meta\'s reason, and a reply is linked to the broadcast', async () => {
    const [a, b, f] = (await recipientsOf(broadcast.id, '&status=sent')).slice(0, 3) as [BroadcastRecipient, BroadcastRecipient, BroadcastRecipient];
    const socket = await connectAgent(url, admin);
    const heard: BroadcastRecipient[] = [];
    socket.on('broadcast.changed', (data: BroadcastChangedData) => heard.push(...data.recipients));

    const statuses = waStatuses([
      { id: a.channelMessageId, status: 'delivered', recipient_id: a.handle },
      { id: b.channelMessageId, status: 'read', recipient_id: b.handle },
      { id: b.channelMessageId, status: 'delivered', recipient_id: b.handle },
      {
        id: f.channelMessageId, status: 'failed', recipient_id: f.handle,
        errors: [{ code: 131026, title: 'Message undeliverable', message: 'Message undeliverable', error_data: { details: 'Receiver is incapable of receiving this message' } }],
      },
    ]);
    assert.equal((await postWebhook(url, 'whatsapp', statuses)).status, 200);
    assert.equal((await postWebhook(url, 'whatsapp', statuses, { secret: 'not-the-secret' })).status, 403, 'an unsigned or wrongly signed status is refused');
    await until(async () => {
      const page = await recipientsOf(broadcast.id);
      const byId = new Map(page.map((r) => [r.id, r]));
      return byId.get(a.id)?.status === 'delivered' && byId.get(b.id)?.status === 'read' && byId.get(f.id)?.status === 'failed' && byId;
    }, 'statuses applied');
    const failed = (await recipientsOf(broadcast.id, '&status=failed'))[0]!;
    assert.equal(failed.reason, "131026: Message undeliverable (Receiver is incapable of receiving this message)");
    assert.equal((await recipientsOf(broadcast.id, '&status=read'))[0]!.readAt !== null, true, 'read stamped; the late "delivered" did not move it back');
    await eventually(() => heard.some((r) => r.id === f.id && r.status === 'failed'), 3000, 'admins hear the failure live');

    // The customer answers the broadcast: a normal conversation, linked to it.
    await postWebhook(url, 'whatsapp', waText(a.handle!, 'Cliente', '¿Cuándo llega?', { context: { from: '15550783881', id: a.channelMessageId } }));
    const replied = await until(async () => (await recipientsOf(broadcast.id, '&status=replied'))[0], 'the reply');
    assert.equal(replied.id, a.id);
    assert.ok(replied.conversationId, 'the reply names its conversation');
    const conversation = (await api(url, `/api/v1/conversations/${replied.conversationId}`, { token: c.test.acme.agent.token })).body;
    assert.equal(conversation.conversation?.broadcastId ?? conversation.broadcastId, broadcast.id, 'the conversation is linked to the broadcast');
    const inbox = (await api(url, '/api/v1/conversations?status=open', { token: c.test.acme.agent.token })).body.conversations;
    assert.ok(inbox.some((conv: { id: string }) => conv.id === replied.conversationId), 'the reply is in the inbox');
    const listed = (await api(url, '/api/v1/broadcasts', { token: admin })).body.broadcasts;
    assert.equal(listed[0].counts.replied, 1, 'the list counts the reply');

    // The person's data export holds what was sent to them.
    const exported = await fetch(`${url}/api/v1/contacts/${a.contactId}/data-export`, { headers: { authorization: `Bearer ${admin}` } });
    assert.equal(exported.status, 200);
    const contactJson = JSON.parse((await unzip(Buffer.from(await exported.arrayBuffer()))).get('contact.json')!.toString('utf8'));
    assert.deepEqual(contactJson.broadcasts.map((r: { broadcast_id: string; status: string; text: string }) => [r.broadcast_id, r.status, r.text]), [[broadcast.id, 'replied', a.text]]);
  });
});

describe('bad input changes nothing', () => {
  const audience = { ids: [] as string[] };
  let someIds: string[] = [];
  before(async () => {
    const rows = Array.from({ length: 5 }, (_, i) => `Bad${i},+57301${String(2_000_000 + i).padStart(7, '0')},,bad`);
    await importCsv(rows);
    someIds = (await api(url, '/api/v1/contacts/search', { token: admin, method: 'POST', body: { filter: { tags: ['bad'] } } })).body.contacts.map((x: { id: string }) => x.id);
    audience.ids = someIds;
  });

  test('wrong role, unknown or unapproved templates, parameters that do not fit, empty or foreign selections, past times, over the tier', async () => {
    const before = templateSends().length;
    const listBefore = (await api(url, '/api/v1/broadcasts', { token: admin })).body.broadcasts.length;
    const post = (body: unknown, token = admin) => api(url, '/api/v1/broadcasts', { token, method: 'POST', body });
    const valid = { name: 'X', template: TEMPLATE, parameters: PARAMETERS, audience };

    const asAgent = await post(valid, c.test.acme.agent.token);
    assert.equal(asAgent.status, 403, 'agents may not broadcast');
    assert.equal((await api(url, '/api/v1/broadcasts', { token: c.test.acme.viewer.token })).status, 403, 'viewers may not list');
    const cases: Array<[unknown, RegExp]> = [
      [{ ...valid, template: { name: 'nope', language: 'es_MX' } }, /template: No synced template "nope"/],
      [{ ...valid, template: { name: 'draft_offer', language: 'es_MX' } }, /not approved/],
      [{ ...valid, parameters: [{ text: 'solo uno' }] }, /takes 2 parameter\(s\); 1 given/],
      [{ ...valid, parameters: [{ field: 'shoeSize' }, { text: 'x' }] }, /parameters/],
      [{ ...valid, parameters: [{ text: 'x'.repeat(1025) }, { text: 'y' }] }, /parameters/],
      [{ ...valid, audience: { ids: [] } }, /Select at least one contact/],
      [{ ...valid, audience: { ids: ['ct_of_nobody'] } }, /No contact of this workspace is selected/],
      [{ ...valid, scheduledAt: new Date(Date.now() - 3600_000).toISOString() }, /scheduledAt: The time has passed/],
      [{ ...valid, scheduledAt: new Date(Date.now() + 40 * 86_400_000).toISOString() }, /At most 30 days/],
      [{ ...valid, extra: true }, /Unrecognized key/],
    ];
    for (const [body, message] of cases) {
      const answer = await post(body);
      assert.equal(answer.status, 400, `${JSON.stringify(body).slice(0, 120)} → ${JSON.stringify(answer.body)}`);
      assert.match(answer.body.error.message, message);
    }
    // Globex's admin neither sees Acme's contacts as an audience nor Acme's broadcasts.
    const foreign = await post(valid, c.test.globex.admin.token);
    assert.equal(foreign.status, 400, JSON.stringify(foreign.body));

    // More recipients than the tier allows today.
    await api(url, '/api/v1/broadcasts/settings', { token: admin, method: 'PUT', body: { tier: 'TIER_250' } });
    const over = await post(valid);
    assert.equal(over.status, 400);
    assert.match(over.body.error.message, /tier \(TIER_250\) allows 0 more customer\(s\) in 24 hours; this broadcast would reach 5/);
    const badSettings = await api(url, '/api/v1/broadcasts/settings', { token: admin, method: 'PUT', body: { tier: 'TIER_2', messagesPerSecond: 0 } });
    assert.equal(badSettings.status, 400, 'unknown tier and a pace of 0 are refused');
    await api(url, '/api/v1/broadcasts/settings', { token: admin, method: 'PUT', body: { tier: 'TIER_10K' } });

    await settle(100);
    assert.equal(templateSends().length, before, 'nothing sent');
    assert.equal((await api(url, '/api/v1/broadcasts', { token: admin })).body.broadcasts.length, listBefore, 'nothing stored');
  });

  test('a scheduled broadcast waits, and a canceled one sends nothing; other workspaces cannot see it', async () => {
    const before = templateSends().length;
    const scheduledAt = new Date(Date.now() + 3600_000).toISOString();
    const created = await api(url, '/api/v1/broadcasts', { token: admin, method: 'POST', body: { name: 'Mañana', template: TEMPLATE, parameters: PARAMETERS, audience, scheduledAt } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.state, 'scheduled');
    assert.equal(created.body.counts.queued, 5);
    assert.equal((await api(url, `/api/v1/broadcasts/${created.body.id}`, { token: c.test.globex.admin.token })).status, 404, "another workspace's admin gets nothing");
    assert.equal((await api(url, `/api/v1/broadcasts/${created.body.id}/cancel`, { token: c.test.acme.agent.token, method: 'POST' })).status, 403);
    const canceled = await api(url, `/api/v1/broadcasts/${created.body.id}/cancel`, { token: admin, method: 'POST' });
    assert.equal(canceled.status, 200, JSON.stringify(canceled.body));
    assert.equal(canceled.body.state, 'canceled');
    assert.equal(canceled.body.counts.canceled, 5, 'every recipient canceled');
    assert.equal((await api(url, `/api/v1/broadcasts/${created.body.id}/cancel`, { token: admin, method: 'POST' })).status, 409, 'twice is a conflict');
    await settle(100);
    assert.equal(templateSends().length, before, 'nothing sent');
  });
});

describe('sending through Meta\'s refusals', () => {
  test('a scheduled broadcast goes at its time; a rate limit waits and retries, an undeliverable number fails with the reason, a 5xx is never sent again', async () => {
    const rows = Array.from({ length: 4 }, (_, i) => `Later${i},+57304${String(4_000_000 + i).padStart(7, '0')},,later`);
    assert.equal((await importCsv(rows)).status, 200);
    // Meta answers the first send with a rate limit, the next with "undeliverable", the next with a 503.
    c.graph.failNext('/messages',
      { code: 130429, status: 429, message: 'Rate limit hit' },
      { code: 131026, message: 'Message undeliverable', details: 'Not a WhatsApp user' },
      { code: 1, status: 503, message: 'Service temporarily unavailable' });
    const before = templateSends().length;
    const scheduledAt = new Date(Date.now() + 1500).toISOString();
    const created = await api(url, '/api/v1/broadcasts', {
      token: admin, method: 'POST', body: { name: 'Pronto', template: TEMPLATE, parameters: PARAMETERS, audience: { filter: { tags: ['later'] } }, scheduledAt },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.state, 'scheduled');
    await settle(300);
    assert.equal(templateSends().length, before, 'nothing goes before its time');
    const done = await eventually(async () => {
      const current = await broadcastOf(created.body.id);
      return current.state === 'done' && current;
    }, 20_000, 'the scheduled broadcast to go and finish');
    assert.ok(done.startedAt && Date.parse(done.startedAt) >= Date.parse(scheduledAt) - 50, 'started at its time');
    const recipients = await recipientsOf(created.body.id);
    const byStatus = (status: string) => recipients.filter((r) => r.status === status);
    assert.equal(byStatus('failed').length, 1, JSON.stringify(recipients.map((r) => [r.status, r.reason])));
    assert.match(byStatus('failed')[0]!.reason!, /^131026: Message undeliverable \(Not a WhatsApp user\)$/);
    assert.equal(byStatus('sending').length, 1, 'the send Meta answered with a 5xx may have gone: not sent again');
    assert.match(byStatus('sending')[0]!.reason!, /No clear answer from Meta/);
    assert.equal(byStatus('sent').length, 2, 'the rate-limited one waited its turn and went, as did the last');
    const tos = templateSends().slice(before).map((s) => s.body.to);
    assert.equal(tos.length, 5, 'four recipients, one of them twice: refused for the rate limit, then sent');
    assert.equal(new Set(tos).size, 4);
  });
});

