import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { expireSurveys } from '../../server/src/services/csat.js';
import { IG, WA, conversationOfHandle, igMessage, postWebhook, startChannelTest, until, waMessages, waText, type ChannelTest } from '../support/channels.js';
import { startWebhookReceiver, verifySignature, type WebhookReceiver } from '../support/webhook-receiver.js';
import { api, connectAgent, emitAck, openDatabase, recordEvents, request, settle, visitorWrites, type TestServer } from './helpers.js';

// Satisfaction surveys: once an agent resolves a conversation, the customer is asked to rate it
// (1–5, a comment in the widget) on the channel they wrote on; answers are stored, said in the
// thread and the timeline, sent to webhooks and counted per agent and channel.

let kit: ChannelTest;
let t: TestServer;
let receiver: WebhookReceiver;

const as = (token: string) => <T = any>(path: string, init: { method?: string; body?: unknown } = {}) =>
  api<T>(t.url, `/api/v1${path}`, { token, method: init.method ?? 'GET', ...(init.body !== undefined ? { body: init.body } : {}) });
const admin = () => as(t.acme.admin.token);
const agent = () => as(t.acme.agent.token);

/** An agent resolves the conversation, assigned to `assigneeId` (whom the rating is about). */
const resolve = (conversationId: string, assigneeId: string) =>
  agent()(`/conversations/${conversationId}`, { method: 'PATCH', body: { status: 'resolved', assigneeId } });
const surveysOf = async (conversationId: string) => (await agent()(`/conversations/${conversationId}/csat`)).body.surveys as any[];
const messagesOf = async (conversationId: string): Promise<any[]> => (await agent()(`/conversations/${conversationId}/messages?limit=100`)).body.messages;

before(async () => {
  kit = await startChannelTest({ server: { webhooks: { allowPrivate: true, timeoutMs: 300, retryBaseMs: 40, retryMaxMs: 120 } } });
  t = kit.test;
  receiver = await startWebhookReceiver();
  const created = await admin()('/webhooks', { method: 'POST', body: { url: receiver.url, events: ['csat.submitted'] } });
  receiver.secret = created.body.webhook.secret;
});
after(async () => {
  await kit.close();
  await receiver.close();
});

describe('settings', () => {
  test('off by default; an admin turns surveys on and writes the question per language; agents read, only admins change', async () => {
    const initial = await agent()('/csat/settings');
    assert.equal(initial.status, 200, JSON.stringify(initial.body));
    assert.equal(initial.body.enabled, false);
    assert.equal(initial.body.asked.es, '¿Cómo calificarías la atención que recibiste?', 'the default question');
    assert.equal((await as(t.acme.viewer.token)('/csat/settings')).status, 403);
    assert.equal((await agent()('/csat/settings', { method: 'PUT', body: { enabled: true } })).status, 403);

    for (const [body, message] of [
      [{ expiresHours: 0 }, /expiresHours/],
      [{ expiresHours: 1.5 }, /whole number/],
      [{ questions: { fr: 'Comment?' } }, /fr/],
      [{ questions: { en: 'x'.repeat(301) } }, /at most 300/],
      [{ channelLanguage: 'de' }, /channelLanguage/],
      [{ enabled: 'yes' }, /enabled/],
    ] as const) {
      const refused = await admin()('/csat/settings', { method: 'PUT', body });
      assert.equal(refused.status, 400, JSON.stringify(body));
      assert.match(refused.body.error.message, message);
    }
    assert.equal((await agent()('/csat/settings')).body.enabled, false, 'refusals change nothing');

    const saved = await admin()('/csat/settings', { method: 'PUT', body: { enabled: true, questions: { en: 'How did we do?', es: '¿Qué tal te atendimos?' } } });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.deepEqual(saved.body.questions, { en: 'How did we do?', es: '¿Qué tal te atendimos?' });
    assert.equal(saved.body.asked.pt, 'Como você avalia o atendimento que recebeu?', 'a language left out asks the default');
    const patched = await admin()('/csat/settings', { method: 'PATCH', body: { questions: { en: null } } });
    assert.deepEqual(patched.body.questions, { es: '¿Qué tal te atendimos?' }, 'null goes back to the default');
    assert.equal(patched.body.enabled, true, 'what the patch does not name stays');
    assert.equal((await as(t.globex.admin.token)('/csat/settings')).body.enabled, false, 'per workspace');
  });
});

let webchatConversation: string;

describe('the widget', () => {
  test('resolving asks the visitor once with a card; the answer is stored, in the thread, on the timeline and sent to webhooks', async () => {
    const { visitor, conversationId, contactId } = await visitorWrites(t, t.acme, 'Mi pedido no llegó');
    webchatConversation = conversationId;
    const heard = recordEvents<any>(visitor);
    assert.equal((await resolve(conversationId, t.acme.agent.agent.id)).status, 200);
    const question = await until(async () => heard.find((e) => e.type === 'message.upserted' && e.data.message.content?.csat)?.data.message, 'the survey reaches the visitor');
    assert.equal(question.senderKind, 'bot');
    assert.equal(question.body, '¿Qué tal te atendimos?', 'asked in the channel language (es) with the workspace\'s question');
    assert.equal(question.content.csat.questions.en, 'How would you rate the help you received?');
    const [survey] = await surveysOf(conversationId);
    assert.equal(survey.status, 'asked');
    assert.equal(question.content.csat.surveyId, survey.id);

    // Reopened and resolved again while the survey waits: nothing more is asked.
    await agent()(`/conversations/${conversationId}`, { method: 'PATCH', body: { status: 'open' } });
    await resolve(conversationId, t.acme.agent.agent.id);
    assert.equal((await surveysOf(conversationId)).length, 1, 'one survey per resolution');

    const answered = await request(visitor, 'csat.submit', { surveyId: survey.id, rating: 4, comment: '  Rápido y amable  ' });
    assert.equal(answered.rating, 4);
    assert.equal(answered.comment, 'Rápido y amable');
    const [stored] = await surveysOf(conversationId);
    assert.equal(stored.status, 'answered');
    assert.equal(stored.agentId, t.acme.agent.agent.id, 'about the agent who had the conversation');
    const again = await emitAck(visitor, 'csat.submit', { surveyId: survey.id, rating: 1 });
    assert.equal(again.ok, false);
    assert.match(!again.ok ? again.error.message : '', /already answered/);
    assert.equal((await surveysOf(conversationId))[0].rating, 4, 'the first answer stays');

    const line = (await messagesOf(conversationId)).find((m) => m.content?.line?.key === 'csat_rated_comment');
    assert.equal(line?.body, 'The customer rated the conversation 4/5: “Rápido y amable”');
    assert.equal(line.private, true, 'agents see it, the visitor does not');
    const timeline = (await agent()(`/contacts/${contactId}/timeline`)).body.items;
    const item = timeline.find((i: any) => i.kind === 'csat');
    assert.deepEqual([item?.status, item?.text, item?.conversationId], ['4', 'Rápido y amable', conversationId]);

    const delivery = await until(async () => receiver.accepted.find((d) => d.type === 'csat.submitted' && d.data.survey.id === survey.id), 'the webhook');
    assert.equal(delivery.data.survey.rating, 4);
    assert.equal(delivery.data.survey.comment, 'Rápido y amable');
    const raw = receiver.requests.find((r) => r.body.id === delivery.id)!;
    assert.ok(verifySignature(raw.headers['x-charla-signature'] as string, receiver.secret, raw.raw), 'signed');
  });

  test('a visitor cannot answer another\'s survey; bad answers are refused and change nothing', async () => {
    const owner = await visitorWrites(t, t.acme, 'Hola');
    await resolve(owner.conversationId, t.acme.agent.agent.id);
    const [survey] = await until(async () => {
      const list = await surveysOf(owner.conversationId);
      return list.length > 0 ? list : undefined;
    }, 'survey');
    const stranger = await visitorWrites(t, t.acme, 'Otra persona');
    const refused = await emitAck(stranger.visitor, 'csat.submit', { surveyId: survey.id, rating: 1 });
    assert.equal(!refused.ok && refused.error.code, 'not_found');
    const globex = await visitorWrites(t, t.globex, 'Globex');
    assert.equal((await emitAck(globex.visitor, 'csat.submit', { surveyId: survey.id, rating: 1 })).ok, false);
    for (const payload of [{ surveyId: survey.id, rating: 0 }, { surveyId: survey.id, rating: 6 }, { surveyId: survey.id, rating: 3, comment: 'x'.repeat(1001) }]) {
      const bad = await emitAck(owner.visitor, 'csat.submit', payload);
      assert.equal(!bad.ok && bad.error.code, 'invalid_payload', JSON.stringify(payload));
    }
    assert.equal((await surveysOf(owner.conversationId))[0].status, 'asked');

    // Unanswered past its hours: expired, and a late answer is refused.
    const db = await openDatabase(t.dbPath);
    await db.run('UPDATE csat_surveys SET expires_at = ? WHERE id = ?', [new Date(Date.now() - 1000).toISOString(), survey.id]);
    await db.close();
    assert.ok((await expireSurveys(t.server.store)) >= 1, 'the sweep expires it');
    assert.equal((await surveysOf(owner.conversationId))[0].status, 'expired');
    const late = await emitAck(owner.visitor, 'csat.submit', { surveyId: survey.id, rating: 5 });
    assert.match(!late.ok ? late.error.message : '', /expired/);
  });
});

let whatsappConversation: string;
let instagramConversation: string;

describe('WhatsApp and Instagram', () => {
  test('WhatsApp asks with an interactive list; the row the customer picks arrives signed and is the answer; the conversation stays resolved', async () => {
    await postWebhook(t.url, 'whatsapp', waText('5215511110001', 'Lucía', 'Hola, ¿ya salió mi pedido?'));
    const conversation = await conversationOfHandle(t.url, t.acme.agent.token, 'whatsapp', '5215511110001');
    whatsappConversation = conversation.id;
    await resolve(conversation.id, t.acme.admin.agent.id);
    const sent = await until(async () => kit.graph.sent(`/${WA.phoneNumberId}/messages`).find((r) => r.body.to === '5215511110001' && r.body.type === 'interactive'), 'the list');
    const [survey] = await surveysOf(conversation.id);
    assert.equal(sent.body.interactive.type, 'list');
    assert.equal(sent.body.interactive.body.text, '¿Qué tal te atendimos?');
    const rows = sent.body.interactive.action.sections[0].rows;
    assert.deepEqual(rows.map((r: any) => r.id), [5, 4, 3, 2, 1].map((n) => `csat:${survey.id}:${n}`));
    assert.deepEqual(rows.map((r: any) => r.description), ['Excelente', 'Buena', 'Regular', 'Mala', 'Muy mala']);
    assert.ok(rows.every((r: any) => r.title.length <= 24), 'WhatsApp row titles are at most 24 characters');

    await postWebhook(t.url, 'whatsapp', waMessages('5215511110001', 'Lucía', [{
      type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: `csat:${survey.id}:2`, title: '⭐⭐', description: 'Mala' } },
    }]));
    const answered = await until(async () => (await surveysOf(conversation.id)).find((s) => s.status === 'answered'), 'answered');
    assert.equal(answered.rating, 2);
    assert.equal(answered.agentId, t.acme.admin.agent.id);
    const after = (await agent()(`/conversations/${conversation.id}`)).body;
    assert.equal((after.conversation ?? after).status, 'resolved', 'an answer does not reopen');
    assert.ok((await messagesOf(conversation.id)).some((m) => m.direction === 'in' && m.type === 'interactive'), 'the pick is in the thread');

    // A forged or unsigned answer is refused at the door.
    assert.equal((await postWebhook(t.url, 'whatsapp', waText('5215511110001', 'Lucía', 'x'), { secret: null })).status, 401);
  });

  test('Instagram asks with quick replies; the tapped reply is the answer', async () => {
    await postWebhook(t.url, 'instagram', igMessage('IGSID-csat', { text: '¿Tienen envíos?' }));
    const conversation = await conversationOfHandle(t.url, t.acme.agent.token, 'instagram', 'IGSID-csat');
    instagramConversation = conversation.id;
    await resolve(conversation.id, t.acme.agent.agent.id);
    const sent = await until(async () => kit.graph.sent(`/${IG.accountId}/messages`).find((r) => r.body.recipient.id === 'IGSID-csat' && r.body.message.quick_replies), 'quick replies');
    const [survey] = await surveysOf(conversation.id);
    assert.equal(sent.body.message.text, '¿Qué tal te atendimos?');
    assert.equal(sent.body.messaging_type, 'RESPONSE');
    assert.deepEqual(sent.body.message.quick_replies.map((q: any) => q.payload), [5, 4, 3, 2, 1].map((n) => `csat:${survey.id}:${n}`));
    assert.ok(sent.body.message.quick_replies.every((q: any) => q.content_type === 'text' && q.title.length <= 20), 'titles of at most 20 characters');

    await postWebhook(t.url, 'instagram', igMessage('IGSID-csat', { text: '5 Excelente', quick_reply: { payload: `csat:${survey.id}:5` } }));
    const answered = await until(async () => (await surveysOf(conversation.id)).find((s) => s.status === 'answered'), 'answered');
    assert.equal(answered.rating, 5);
    const after = (await agent()(`/conversations/${conversation.id}`)).body;
    assert.equal((after.conversation ?? after).status, 'resolved');
  });

  test('a text that only looks like an answer, or names another conversation\'s survey, is a message like any other', async () => {
    await postWebhook(t.url, 'whatsapp', waMessages('5215511110001', 'Lucía', [{
      type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'csat:csat_forged:5', title: '⭐⭐⭐⭐⭐' } },
    }]));
    const reopened = await until(async () => {
      const body = (await agent()(`/conversations/${whatsappConversation}`)).body;
      const conversation = body.conversation ?? body;
      return conversation.status === 'open' ? conversation : undefined;
    }, 'reopened');
    assert.equal(reopened.status, 'open');
    assert.equal((await surveysOf(whatsappConversation)).filter((s) => s.status === 'answered').length, 1);
  });

  test('surveys off: resolving asks nothing', async () => {
    await admin()('/csat/settings', { method: 'PATCH', body: { enabled: false } });
    const { conversationId } = await visitorWrites(t, t.acme, 'Gracias');
    await resolve(conversationId, t.acme.agent.agent.id);
    await settle();
    assert.deepEqual(await surveysOf(conversationId), []);
    assert.ok(!(await messagesOf(conversationId)).some((m) => m.content?.csat), 'no question in the thread');
    await admin()('/csat/settings', { method: 'PATCH', body: { enabled: true } });
  });
});

describe('the csat metric', () => {
  test('counts against hand-computed numbers, per agent and per channel, with the answers behind them', async () => {
    // Answered: webchat 4 (agent), WhatsApp 2 (admin), Instagram 5 (agent); one expired; none else answered.
    const agentId = t.acme.agent.agent.id;
    const adminId = t.acme.admin.agent.id;
    const overall = await agent()('/metrics/csat');
    assert.equal(overall.status, 200, JSON.stringify(overall.body));
    assert.deepEqual(overall.body.overall, { key: 'all', responses: 3, average: 3.67, score: 66.7, distribution: [0, 1, 0, 1, 1] });
    assert.equal(overall.body.asked, 4, 'four surveys asked');
    assert.equal(overall.body.expired, 1);
    assert.deepEqual(overall.body.responses.map((r: any) => [r.conversationId, r.rating]).sort(), [
      [instagramConversation, 5], [webchatConversation, 4], [whatsappConversation, 2],
    ].sort(), 'drill-down: the conversations behind the number');

    const byAgent = (await agent()('/metrics/csat?groupBy=agent')).body.groups;
    assert.deepEqual(byAgent.find((g: any) => g.key === agentId), { key: agentId, responses: 2, average: 4.5, score: 100, distribution: [0, 0, 0, 1, 1] });
    assert.deepEqual(byAgent.find((g: any) => g.key === adminId), { key: adminId, responses: 1, average: 2, score: 0, distribution: [0, 1, 0, 0, 0] });
    const byChannel = (await agent()('/metrics/csat?groupBy=channel')).body.groups;
    assert.deepEqual(byChannel.map((g: any) => [g.key, g.responses, g.average, g.score]), [['instagram', 1, 5, 100], ['webchat', 1, 4, 100], ['whatsapp', 1, 2, 0]]);

    const socket = await connectAgent(t.url, t.acme.viewer.token);
    const viaSocket = await request(socket, 'metrics.get', { name: 'csat', groupBy: 'channel' });
    assert.deepEqual(viaSocket.overall, overall.body.overall, 'the socket answers the same');
    const csv = await fetch(`${t.url}/api/v1/metrics/csat/csv?groupBy=agent`, { headers: { authorization: `Bearer ${t.acme.agent.token}` } });
    assert.match(await csv.text(), /^group,responses,average rating,CSAT \(% rating 4-5\),1,2,3,4,5\nall,3,3.67,66.7%,0,1,0,1,1\n/);
    const empty = await as(t.globex.agent.token)('/metrics/csat');
    assert.deepEqual(empty.body.overall, { key: 'all', responses: 0, average: null, score: null, distribution: [0, 0, 0, 0, 0] }, 'per workspace');
    assert.equal((await agent()('/metrics/csat?groupBy=team')).status, 400);
  });
});

