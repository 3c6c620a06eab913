// Follow-ups that run themselves: when a deal's conversation has been silent for its pipeline's
// `reactivateAfterDays` (the sweep's clock injected), the "Reactivate" task carries a message the
// AI drafted; it reaches the customer only when the owner approves it (an approved template
// outside WhatsApp's 24-hour window), never when the contact opted out of marketing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Deal, FollowUpDraft, Message, Pipeline, Task } from '@charla/protocol';
import { sweepSilentDeals } from '../../server/src/services/automation.js';
import { postWebhook, startChannelTest, until, WA, waText, type ChannelTest } from '../support/channels.js';
import type { FakeOpenAi } from '../support/fake-openai.js';
import { api, clientId, connectAgent, recordEvents, request, startServerWithFakeOpenAi, visitorWrites, type TestServer } from './helpers.js';

const DAY = 86_400_000;
let kit: ChannelTest;
let t: TestServer;
let pipeline: Pipeline;

before(async () => {
  kit = await startChannelTest({ server: { ai: { debounceMs: 60_000 } } });
  t = kit.test;
  pipeline = (await api<Pipeline>(t.url, '/api/v1/pipelines', {
    token: t.acme.admin.token, method: 'POST', body: { name: 'Ventas', stages: [{ name: 'Lead' }, { name: 'Propuesta' }] },
  })).body;
  const automation = await api(t.url, `/api/v1/pipelines/${pipeline.id}/automation`, {
    token: t.acme.admin.token, method: 'PUT',
    body: { qualifyLabel: null, quoteTriggers: [], proposalStageId: null, negotiationStageId: null, followUpHours: null, reactivateAfterDays: 3, currency: 'MXN' },
  });
  assert.equal(automation.status, 200, JSON.stringify(automation.body));
  // A follow-up template besides the fake's own (an order update takes two parameters: it does not fit).
  kit.graph.templates.push({
    name: 'seguimiento_cliente', language: 'es_MX', status: 'APPROVED', category: 'MARKETING', id: '2001',
    components: [{ type: 'BODY', text: 'Hola {{1}}, ¿seguimos con tu pedido? Responde este mensaje y te ayudamos.' }],
  });
  assert.equal((await api(t.url, '/api/v1/channels/whatsapp/templates/sync', { token: t.acme.admin.token, method: 'POST' })).status, 200);
});
after(() => kit.close());

/** The sweep as the server runs it, at `now`, handing each new "Reactivate" task to the AI. */
const sweep = (now: number) => sweepSilentDeals(t.server.store, now, (task, deal, at) => t.server.ai.draftFollowUp(task, deal, at));
const followUpsOf = async (conversationId: string, token = t.acme.agent.token) =>
  (await api<FollowUpDraft[]>(t.url, `/api/v1/conversations/${conversationId}/follow-ups`, { token })).body;
const messagesOf = async (conversationId: string) =>
  (await api<{ messages: Message[] }>(t.url, `/api/v1/conversations/${conversationId}/messages?limit=100`, { token: t.acme.agent.token })).body.messages;
const dealFor = (conversationId: string) => api<Deal>(t.url, '/api/v1/deals', {
  token: t.acme.agent.token, method: 'POST', body: { pipelineId: pipeline.id, title: 'Cafetería', amount: 0, currency: 'MXN', conversationId, ownerId: t.acme.agent.agent.id },
});
const approve = (id: string, body: Record<string, unknown>, token = t.acme.agent.token) =>
  api<{ followUp: FollowUpDraft; message: Message }>(t.url, `/api/v1/follow-ups/${id}/approve`, { token, method: 'POST', body: { clientId: clientId(), ...body } });

async function whatsappConversation(waId: string, name: string, body: string, hoursAgo: number) {
  await postWebhook(t.url, 'whatsapp', waText(waId, name, body, { timestamp: String(Math.floor(Date.now() / 1000) - hoursAgo * 3600) }));
  return until(async () => {
    const list = await api(t.url, `/api/v1/conversations?status=all&channel=whatsapp&query=${waId}`, { token: t.acme.agent.token });
    return list.body.conversations[0] as { id: string; contactId: string; windowExpiresAt: string } | undefined;
  }, 'the WhatsApp conversation');
}

describe('re-engagement drafts', () => {
  test('after N silent days the Reactivate task carries a draft; outside the WhatsApp window it goes, on approval only, as the approved template', async () => {
    const conversation = await whatsappConversation('5215512349001', 'Lucía Torres', 'Hola, quiero 12 prensas francesas para mi cafetería', 25);
    assert.ok(Date.parse(conversation.windowExpiresAt) < Date.now(), 'the 24-hour window is closed');
    const deal = (await dealFor(conversation.id)).body;
    const agent = await connectAgent(t.url, t.acme.agent.token);
    const events = recordEvents(agent);
    const sends = () => kit.graph.sent(`/${WA.phoneNumberId}/messages`).length;
    const sentBefore = sends();

    assert.equal(await sweep(Date.now() + DAY), 0, 'two days of silence is not three');
    assert.deepEqual(await followUpsOf(conversation.id), []);

    assert.equal(await sweep(Date.now() + 3 * DAY), 1);
    const [draft] = await followUpsOf(conversation.id);
    assert.ok(draft, 'a draft waits in the conversation');
    assert.equal(draft.status, 'pending');
    assert.equal(draft.dealId, deal.id);
    assert.equal(draft.contactId, conversation.contactId);
    assert.equal(draft.provider, 'heuristic');
    assert.match(draft.body, /^¡Hola Lucía! Te escribo para retomar lo de .*prensas francesas/);
    assert.deepEqual(draft.template, {
      name: 'seguimiento_cliente', language: 'es_MX', parameters: ['Lucía'], text: 'Hola Lucía, ¿seguimos con tu pedido? Responde este mensaje y te ayudamos.',
    });
    const tasks = await request<Task[]>(agent, 'tasks.list', { view: 'open', dealId: deal.id });
    assert.deepEqual(tasks.map((task) => [task.id, task.title, task.ownerId]), [[draft.taskId, 'Reactivate conversation', t.acme.agent.agent.id]]);
    await until(async () => events.some((event) => event.type === 'ai.followup.upserted'), 'agents hear of the draft');
    assert.equal(await sweep(Date.now() + 4 * DAY), 0, 'one task and one draft per silence');
    assert.equal((await followUpsOf(conversation.id)).length, 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(sends(), sentBefore, 'nothing is sent before approval');

    const viewer = await approve(draft.id, {}, t.acme.viewer.token);
    assert.equal(viewer.status, 403);
    assert.equal((await approve(draft.id, {}, t.globex.admin.token)).status, 404);

    const approved = await approve(draft.id, {});
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.equal(approved.body.followUp.status, 'sent');
    assert.equal(approved.body.followUp.decidedBy, t.acme.agent.agent.id);
    assert.equal(approved.body.message.body, draft.template!.text);
    await until(async () => kit.graph.sent(`/${WA.phoneNumberId}/messages`).find((r) => r.body.type === 'template' && r.body.template.name === 'seguimiento_cliente'), 'the template reaches WhatsApp');
    const graphRequest = kit.graph.sent(`/${WA.phoneNumberId}/messages`).find((r) => r.body.template?.name === 'seguimiento_cliente')!;
    assert.deepEqual(graphRequest.body.template.components, [{ type: 'body', parameters: [{ type: 'text', text: 'Lucía' }] }]);
    assert.ok((await request<Task[]>(agent, 'tasks.list', { view: 'all', dealId: deal.id })).every((task) => task.done), 'the Reactivate task is done');
    assert.deepEqual(await followUpsOf(conversation.id), []);
    const twice = await approve(draft.id, {});
    assert.equal(twice.status, 409);
    assert.equal((await messagesOf(conversation.id)).filter((message) => message.direction === 'out').length, 1, 'sent once');
    agent.disconnect();
  });

  test('inside a window (webchat) the owner\'s edit goes as free text; a dismissed draft sends nothing', async () => {
    const first = await visitorWrites(t, t.acme, 'Hello, we need 40 office chairs for the new floor');
    const second = await visitorWrites(t, t.acme, 'Hola, necesito 3 molinos');
    await dealFor(first.conversationId);
    await dealFor(second.conversationId);
    await sweep(Date.now() + 3 * DAY + 60_000);
    const [english] = await followUpsOf(first.conversationId);
    assert.match(english!.body, /^Hi! Just following up on .*office chairs/);
    assert.equal(english!.template, null, 'webchat has no templates');

    const edited = await approve(english!.id, { body: 'Hi! Still thinking about the chairs? We can deliver next week.' });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    assert.equal(edited.body.message.body, 'Hi! Still thinking about the chairs? We can deliver next week.');
    assert.equal(edited.body.message.content?.['template'], undefined);

    const [spanish] = await followUpsOf(second.conversationId);
    const dismissed = await api<FollowUpDraft>(t.url, `/api/v1/follow-ups/${spanish!.id}/dismiss`, { token: t.acme.agent.token, method: 'POST' });
    assert.equal(dismissed.status, 200);
    assert.equal(dismissed.body.status, 'dismissed');
    assert.equal((await approve(spanish!.id, {})).status, 409);
    assert.deepEqual((await messagesOf(second.conversationId)).map((message) => message.body), ['Hola, necesito 3 molinos']);
  });

  test('a contact who opted out of marketing gets no draft, and a draft is not sent after they opt out', async () => {
    const optedOut = await visitorWrites(t, t.acme, 'Hola, quiero una cafetera');
    const later = await visitorWrites(t, t.acme, 'Hola, quiero 2 tazas');
    const optedOutDeal = (await dealFor(optedOut.conversationId)).body;
    await dealFor(later.conversationId);
    const patch = (contactId: string) => api(t.url, `/api/v1/contacts/${contactId}`, { token: t.acme.agent.token, method: 'PATCH', body: { marketingOptOut: true } });
    assert.equal((await patch(optedOut.contactId)).status, 200);
    await sweep(Date.now() + 3 * DAY + 60_000);
    assert.deepEqual(await followUpsOf(optedOut.conversationId), []);
    const tasks = await api<Task[]>(t.url, `/api/v1/tasks?view=open&dealId=${optedOutDeal.id}`, { token: t.acme.agent.token });
    assert.equal(tasks.body.length, 1, 'the Reactivate task is still there for the owner');

    const [draft] = await followUpsOf(later.conversationId);
    assert.ok(draft, 'drafted while they had not opted out');
    assert.equal((await patch(later.contactId)).status, 200);
    const refused = await approve(draft.id, {});
    assert.equal(refused.status, 409);
    assert.match((refused.body as unknown as { error: { message: string } }).error.message, /opted out of marketing/);
    assert.deepEqual((await messagesOf(later.conversationId)).map((message) => message.body), ['Hola, quiero 2 tazas']);
    assert.equal((await followUpsOf(later.conversationId))[0]?.status, 'pending');
  });
});

describe('re-engagement drafts when the AI provider fails', () => {
  let fake: FakeOpenAi;
  let own: TestServer;
  let close: () => Promise<void>;
  let ventas: Pipeline;
  before(async () => {
    ({ fake, t: own, close } = await startServerWithFakeOpenAi());
    ventas = (await api<Pipeline>(own.url, '/api/v1/pipelines', {
      token: own.acme.admin.token, method: 'POST', body: { name: 'Ventas', stages: [{ name: 'Lead' }] },
    })).body;
    const automation = await api(own.url, `/api/v1/pipelines/${ventas.id}/automation`, {
      token: own.acme.admin.token, method: 'PUT',
      body: { qualifyLabel: null, quoteTriggers: [], proposalStageId: null, negotiationStageId: null, followUpHours: null, reactivateAfterDays: 3, currency: 'MXN' },
    });
    assert.equal(automation.status, 200, JSON.stringify(automation.body));
  });
  after(() => close());

  test('the task still carries a follow-up, without text and saying why; nothing reaches the customer until the owner writes it', async () => {
    const { conversationId } = await visitorWrites(own, own.acme, 'Hola, necesito 5 cafeteras');
    const deal = await api<Deal>(own.url, '/api/v1/deals', {
      token: own.acme.agent.token, method: 'POST', body: { pipelineId: ventas.id, title: 'Cafeteras', amount: 0, currency: 'MXN', conversationId, ownerId: own.acme.agent.agent.id },
    });
    assert.equal(deal.status, 201, JSON.stringify(deal.body));
    const agent = await connectAgent(own.url, own.acme.agent.token);
    const events = recordEvents(agent);
    fake.fallback = { kind: 'server-error' };
    const requestsBefore = fake.requests.length;
    assert.equal(await sweepSilentDeals(own.server.store, Date.now() + 3 * DAY + 60_000, (task, silent, at) => own.server.ai.draftFollowUp(task, silent, at)), 1);
    assert.ok(fake.requests.length > requestsBefore, 'the provider was asked');

    const list = async () => (await api<FollowUpDraft[]>(own.url, `/api/v1/conversations/${conversationId}/follow-ups`, { token: own.acme.agent.token })).body;
    const [draft] = await list();
    assert.ok(draft, 'a follow-up waits on the Reactivate task');
    assert.equal(draft.body, '', 'no invented text');
    assert.match(draft.error ?? '', /^The AI provider failed \(500\)/, 'the reason is kept');
    await until(async () => events.find((event) => event.type === 'ai.followup.upserted' && (event.data as { followUp: FollowUpDraft }).followUp.error === draft.error), 'agents hear of it with its reason');
    const bodies = async () => (await api<{ messages: Message[] }>(own.url, `/api/v1/conversations/${conversationId}/messages?limit=100`, { token: own.acme.agent.token })).body.messages.map((message) => message.body);
    assert.deepEqual(await bodies(), ['Hola, necesito 5 cafeteras'], 'the conversation is as it was');

    const send = (body: Record<string, unknown>) => api<{ followUp: FollowUpDraft; message: Message }>(own.url, `/api/v1/follow-ups/${draft.id}/approve`, {
      token: own.acme.agent.token, method: 'POST', body: { clientId: clientId(), ...body },
    });
    const empty = await send({});
    assert.equal(empty.status, 400);
    assert.match((empty.body as unknown as { error: { message: string } }).error.message, /^Write the follow-up message: the AI could not draft it \(The AI provider failed \(500\)/);
    assert.deepEqual(await bodies(), ['Hola, necesito 5 cafeteras'], 'nothing sent');
    assert.equal((await list())[0]?.status, 'pending');

    const written = await send({ body: '¡Hola! ¿Seguimos con las cafeteras?' });
    assert.equal(written.status, 200, JSON.stringify(written.body));
    assert.equal(written.body.followUp.status, 'sent');
    assert.deepEqual(await bodies(), ['Hola, necesito 5 cafeteras', '¡Hola! ¿Seguimos con las cafeteras?']);
    agent.disconnect();
  });
});
