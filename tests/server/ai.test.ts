import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AiInsightUpsertedData, Analysis, ChangeEvent, ContactInsights } from '@charla/protocol';
import type { Socket } from 'socket.io-client';
import { analyzeConversation, HeuristicProvider } from '../../server/src/ai/heuristic.js';
import type { AiProvider, AnalysisInput, ConversationLine } from '../../server/src/ai/provider.js';
import { CONVERSATIONS } from '../support/ai-conversations.js';
import {
  api, clientId, connectAgent, connectVisitor, eventually, recordEvents, request, settle, startServer, type TestServer,
} from './helpers.js';

const linesOf = (lines: string[]): ConversationLine[] =>
  lines.map((text, index) => ({
    id: `msg_${index}`,
    from: text.startsWith('>') ? 'business' : 'customer',
    body: text.replace(/^>/, ''),
    createdAt: new Date(Date.UTC(2026, 0, 1, 12, index)).toISOString(),
  }));
const emptyContact = { name: null, email: null, phone: null, attributes: {} };

describe('heuristic provider on es/pt/en WhatsApp-style conversations', () => {
  for (const sample of CONVERSATIONS) {
    test(`${sample.title}: finds the email and phone that are there, invents none`, () => {
      const analysis = analyzeConversation({ workspaceId: 'ws', messages: linesOf(sample.lines), contact: emptyContact });
      assert.equal(analysis.language, sample.expect.language);
      assert.equal(analysis.lead.email?.value ?? null, sample.expect.email);
      assert.equal(analysis.lead.phone?.value ?? null, sample.expect.phone);
      if (sample.expect.name) assert.equal(analysis.lead.name?.value, sample.expect.name);
      // Every value points at the customer message it was read from.
      for (const value of Object.values(analysis.lead)) {
        if (!value) continue;
        const source = linesOf(sample.lines).find((line) => line.id === value.messageId);
        assert.equal(source?.from, 'customer');
      }
      assert.ok(analysis.summary.length > 0, 'an extractive summary');
      assert.ok(analysis.nextAction.length > 0, 'a next action');
    });
  }

  test('reads intent, objections, sentiment, topics and urgency', () => {
    const [buyer, complaint, , , , , espresso, hesitant] = CONVERSATIONS;
    const urgent = analyzeConversation({ workspaceId: 'ws', messages: linesOf(buyer!.lines), contact: emptyContact });
    assert.equal(urgent.lead.urgency?.value, 'high');
    assert.equal(urgent.lead.budget?.value, '$15,000 MXN');
    assert.equal(urgent.lead.company?.value, 'Ferretería Delta');
    assert.equal(urgent.intent, 'high');
    const angry = analyzeConversation({ workspaceId: 'ws', messages: linesOf(complaint!.lines), contact: emptyContact });
    assert.equal(angry.sentiment, 'negative');
    assert.ok(angry.topics.includes('complaint'), "angry.topics.includes('complaint')");
    const ready = analyzeConversation({ workspaceId: 'ws', messages: linesOf(espresso!.lines), contact: emptyContact });
    assert.equal(ready.intent, 'high');
    assert.equal(ready.lead.company?.value, 'Bean There Cafe');
    const unsure = analyzeConversation({ workspaceId: 'ws', messages: linesOf(hesitant!.lines), contact: emptyContact });
    assert.ok(unsure.topics.includes('pricing'), "unsure.topics.includes('pricing')");
    assert.deepEqual([...unsure.objections].sort(), ['authority', 'timing']);
  });

  test('suggests 1–3 replies in the customer language, grounded in the profile', async () => {
    const provider = new HeuristicProvider();
    const input: AnalysisInput = { workspaceId: 'ws', messages: linesOf(CONVERSATIONS[3]!.lines), contact: emptyContact };
    const replies = (await provider.suggestReplies({ ...input, analysis: null, count: 3 })).map((reply) => reply.text);
    assert.equal(replies.length, 3);
    assert.match(replies[0]!, /João/);
    assert.ok(replies.some((reply) => /e-mail/.test(reply)), 'asks for the missing email');
    assert.equal((await provider.suggestReplies({ ...input, analysis: null, count: 1 })).length, 1);
  });
});

/** A provider that hangs until released, or fails, for the job tests. */
class ControlledProvider implements AiProvider {
  readonly name = 'controlled';
  mode: 'hang' | 'fail' | 'heuristic' = 'heuristic';
  /** Hang only on conversations containing this text. */
  hangOn: string | null = null;
  calls = 0;
  readonly inputs: AnalysisInput[] = [];
  #release: Array<() => void> = [];
  readonly #heuristic = new HeuristicProvider();

  async analyze(input: AnalysisInput): Promise<Analysis> {
    this.calls += 1;
    this.inputs.push(input);
    if (this.mode === 'fail') throw new Error('The AI provider is down (connection refused)');
    const hangHere = this.hangOn !== null && input.messages.some((line) => line.body.includes(this.hangOn!));
    if (this.mode === 'hang' || hangHere) await new Promise<void>((resolve) => this.#release.push(resolve));
    return this.#heuristic.analyze(input);
  }

  suggestReplies(input: Parameters<AiProvider['suggestReplies']>[0]) {
    return this.#heuristic.suggestReplies(input);
  }

  draftQuote(input: Parameters<AiProvider['draftQuote']>[0]) {
    return this.#heuristic.draftQuote(input);
  }

  draftFollowUp(input: Parameters<AiProvider['draftFollowUp']>[0]) {
    return this.#heuristic.draftFollowUp(input);
  }

  releaseAll() {
    for (const release of this.#release.splice(0)) release();
  }
}

const insightEvents = (events: ChangeEvent[], conversationId: string) =>
  events.filter((event): event is Extract<ChangeEvent, { type: 'ai.insight.upserted' }> => event.type === 'ai.insight.upserted' && event.conversationId === conversationId)
    .map((event) => event.data as AiInsightUpsertedData);

describe('enrichment jobs', () => {
  let t: TestServer;
  let agent: Socket;
  let events: ChangeEvent[];
  const provider = new ControlledProvider();

  before(async () => {
    // A debounce long enough that a burst of test messages lands within it on a busy machine.
    t = await startServer({ server: { ai: { provider, debounceMs: 1500, backoffMs: 20, maxAttempts: 3 } } });
    // A Mexican business: the numbers its customers write without a country code are Mexican.
    const mexico = await api(t.url, '/api/v1/workspace', { token: t.acme.admin.token, method: 'PATCH', body: { defaultCountry: 'MX' } });
    assert.equal(mexico.status, 200);
    agent = await connectAgent(t.url, t.acme.agent.token);
    events = recordEvents(agent);
  });
  after(async () => {
    provider.releaseAll();
    await t.close();
  });

  async function customerWrites(lines: string[]) {
    const visitor = await connectVisitor(t.url, t.acme.workspace.widgetKey);
    const session = await request(visitor, 'session.get', {});
    let conversationId = '';
    for (const body of lines) conversationId = (await request(visitor, 'message.send', { clientId: clientId(), body })).conversationId;
    return { visitor, contactId: session.contactId as string, conversationId };
  }

  test('customer messages are analyzed once after a pause: insight live, empty fields filled and marked with their source', async () => {
    provider.mode = 'heuristic';
    const sample = CONVERSATIONS[0]!.lines.filter((line) => !line.startsWith('>'));
    const { contactId, conversationId } = await customerWrites(sample);
    const ready = await eventually(() => insightEvents(events, conversationId).find((data) => data.insight.status === 'ready'), 8000);
    assert.equal(ready.insight.contactId, contactId);
    assert.equal(ready.insight.lead?.email?.value, 'maria.lopez@ferreteriadelta.mx');
    assert.equal(ready.insight.sentiment !== null, true);
    assert.ok(ready.insight.summary, 'ready.insight.summary');
    assert.match(ready.insight.qualification!.verdict, /^High intent — no objection yet — recommend /);
    assert.ok(ready.insight.qualification!.score > 50, 'ready.insight.qualification!.score > 50');
    // One analysis for the burst of messages (debounced), covering the last one.
    assert.equal(insightEvents(events, conversationId).filter((data) => data.insight.status === 'ready').length, 1);

    const contact = await request(agent, 'contact.get', { contactId });
    assert.equal(contact.email, 'maria.lopez@ferreteriadelta.mx');
    assert.equal(contact.phone, '+525512345678');
    assert.equal(contact.attributes.company, 'Ferretería Delta');
    assert.equal(contact.attributes.urgency, 'high');
    const insights = await request<ContactInsights>(agent, 'ai.contactInsights', { contactId });
    const email = insights.filledFields.find((field) => field.field === 'email');
    assert.match(email!.excerpt, /maria\.lopez@ferreteriadelta\.mx/);
    const messages = await request(agent, 'messages.list', { conversationId });
    assert.equal(messages.messages.find((message: { id: string }) => message.id === email!.messageId)?.body, sample.at(-1));
    // The summary is on the contact's timeline too, opening the conversation.
    const timeline = await request(agent, 'timeline.list', { contactId });
    const summary = timeline.items.find((item: { kind: string }) => item.kind === 'insight');
    assert.equal(summary?.conversationId, conversationId);
    assert.equal(summary?.text, ready.insight.summary);
  });

  test("a customer message schedules its analysis in its own commit: by the acknowledgement it is queued", async () => {
    provider.mode = 'heuristic';
    const { conversationId } = await customerWrites(['¿Tienen el modelo en rojo?']);
    const stored = await t.server.store.ai.insight(t.acme.workspace.id, conversationId);
    assert.ok(stored?.jobId, 'the analysis job exists as soon as the message is stored');
    const job = (await t.server.store.jobs.list({ kind: 'ai.enrich' })).find((candidate) => candidate.id === stored.jobId);
    assert.deepEqual(job?.payload, { workspaceId: t.acme.workspace.id, conversationId });
    await eventually(() => insightEvents(events, conversationId).find((data) => data.insight.status === 'ready'), 8000);
  });

  test('a field the contact already has is never overwritten, and nothing absent is invented', async () => {
    provider.mode = 'heuristic';
    const { visitor, contactId, conversationId } = await customerWrites(['Hola, buenas tardes']);
    await request(agent, 'contact.update', { contactId, patch: { email: 'kept@example.com', attributes: { urgency: 'low' } } });
    await eventually(() => insightEvents(events, conversationId).find((data) => data.insight.status === 'ready'), 8000);
    await request(visitor, 'message.send', { clientId: clientId(), body: 'Lo necesito urgente, mi correo es otro@example.com' });
    await eventually(() => insightEvents(events, conversationId).filter((data) => data.insight.status === 'ready' && data.insight.lead?.urgency?.value === 'high').length > 0, 8000);
    const contact = await request(agent, 'contact.get', { contactId });
    assert.equal(contact.email, 'kept@example.com');
    assert.equal(contact.attributes.urgency, 'low', 'the agent\'s urgency stays');
    assert.equal(contact.phone, null);
    const insights = await request<ContactInsights>(agent, 'ai.contactInsights', { contactId });
    assert.deepEqual(insights.filledFields.map((field) => field.field).filter((field) => field === 'email' || field === 'phone'), []);
  });

  test('crossing the workspace threshold qualifies the lead and creates its deal in the pipeline', async () => {
    provider.mode = 'heuristic';
    const admin = await connectAgent(t.url, t.acme.admin.token);
    const pipeline = (await api(t.url, '/api/v1/pipelines', { token: t.acme.admin.token, method: 'POST', body: { name: 'Ventas', stages: [{ name: 'Lead' }, { name: 'Propuesta' }] } })).body;
    await request(admin, 'ai.settings.update', { qualifyThreshold: 60, pipelineId: pipeline.id });
    const sample = CONVERSATIONS[6]!.lines.filter((line) => !line.startsWith('>'));
    const { conversationId } = await customerWrites(sample);
    const ready = await eventually(() => insightEvents(events, conversationId).find((data) => data.insight.status === 'ready'), 8000);
    assert.equal(ready.insight.qualification?.qualified, true);
    const dealId = ready.insight.qualification?.dealId;
    assert.ok(dealId, 'dealId');
    const { deal } = await request(agent, 'deal.get', { dealId });
    assert.equal(deal.conversationId, conversationId);
    assert.equal(deal.pipelineId, pipeline.id);
    // "Budget up to $1,500": the deal starts at the customer's budget.
    assert.deepEqual([deal.amount, deal.currency], [1500, 'USD']);
  });

  test('messages flow while the provider hangs', async () => {
    provider.mode = 'hang';
    const before = provider.calls;
    const { visitor, conversationId } = await customerWrites(['Hola, ¿tienen envíos a Monterrey?']);
    await eventually(() => provider.calls > before, 8000);
    // The analysis is stuck in the provider; customers and agents keep talking.
    for (const body of ['¿Y cuánto tarda?', 'Es para un regalo']) await request(visitor, 'message.send', { clientId: clientId(), body });
    const reply = await request(agent, 'message.send', { conversationId, clientId: clientId(), body: 'Sí, llega en 2 días' });
    assert.equal(reply.body, 'Sí, llega en 2 días');
    await eventually(() => events.filter((event) => event.type === 'message.upserted' && event.conversationId === conversationId).length >= 4);
    const pending = await request(agent, 'ai.insight', { conversationId });
    assert.equal(pending.status, 'pending');
    provider.mode = 'heuristic';
    provider.releaseAll();
    await eventually(() => insightEvents(events, conversationId).find((data) => data.insight.status === 'ready'), 8000);
  });

  test('one analysis stuck in the provider does not hold up another conversation\'s', async () => {
    provider.mode = 'heuristic';
    provider.hangOn = 'Lisboa';
    const stuck = await customerWrites(['Olá, vocês entregam em Lisboa?']);
    await eventually(() => provider.inputs.some((input) => input.messages.some((line) => line.body.includes('Lisboa'))), 8000);
    const other = await customerWrites(['Hola, mi correo es pedro@example.com']);
    await eventually(() => insightEvents(events, other.conversationId).find((data) => data.insight.status === 'ready'), 8000);
    assert.equal((await request(agent, 'ai.insight', { conversationId: stuck.conversationId })).status, 'pending');
    provider.hangOn = null;
    provider.releaseAll();
    await eventually(() => insightEvents(events, stuck.conversationId).find((data) => data.insight.status === 'ready'), 8000);
  });

  test('a failing provider is retried, then the analysis is marked failed with its reason', async () => {
    provider.mode = 'fail';
    const body = 'Hello, I need a quote for 10 chairs';
    const { conversationId } = await customerWrites([body]);
    const failed = await eventually(() => insightEvents(events, conversationId).find((data) => data.insight.status === 'failed'), 8000);
    assert.match(failed.insight.error ?? '', /The AI provider is down/);
    const attempts = provider.inputs.filter((input) => input.messages.some((line) => line.body === body)).length;
    assert.equal(attempts, 3, 'three attempts');
    const jobs = await t.server.store.jobs.list({ kind: 'ai.enrich', state: 'failed' });
    assert.ok(jobs.some((job) => (job.payload as { conversationId: string }).conversationId === conversationId && /down/.test(job.lastError ?? '')), 'jobs.some((job) => (job.payload as { conversationId: string }).conversationId === conversationId …');
    provider.mode = 'heuristic';
  });

  test('a failed analysis leaves the conversation as it was: the last summary and lead stay, no field is filled, the reason shows', async () => {
    provider.mode = 'heuristic';
    const first = 'Hola, quiero cotizar 10 sillas de oficina';
    const { visitor, contactId, conversationId } = await customerWrites([first]);
    const ready = await eventually(() => insightEvents(events, conversationId).find((data) => data.insight.status === 'ready'), 8000);
    assert.ok(ready.insight.summary, 'a first summary');
    provider.mode = 'fail';
    const second = 'mi correo es compras@oficinasnorte.mx';
    await request(visitor, 'message.send', { clientId: clientId(), body: second });
    const failed = await eventually(() => insightEvents(events, conversationId).find((data) => data.insight.status === 'failed'), 8000);
    provider.mode = 'heuristic';
    assert.match(failed.insight.error ?? '', /The AI provider is down/, 'the reason travels with the insight');
    const insight = await request(agent, 'ai.insight', { conversationId });
    assert.equal(insight.status, 'failed');
    assert.match(insight.error ?? '', /The AI provider is down/);
    assert.equal(insight.summary, ready.insight.summary, 'the last summary stays');
    assert.deepEqual(insight.lead, ready.insight.lead, 'the last lead stays');
    assert.equal((await request(agent, 'contact.get', { contactId })).email, null, 'nothing filled from the unread message');
    const messages = await request(agent, 'messages.list', { conversationId });
    assert.deepEqual(messages.messages.map((message: { body: string }) => message.body), [first, second], 'no message added');
  });

  test('reply suggestions over the agent socket: 1–3, nothing sent', async () => {
    provider.mode = 'heuristic';
    const { conversationId } = await customerWrites(['Oi! Quanto custa o plano anual?']);
    // The customer's line reaches the agent's socket on its own connection, maybe after the visitor's answer.
    const customerLines = () => events.filter((event) => event.type === 'message.upserted' && event.conversationId === conversationId).length;
    const sentBefore = await eventually(() => customerLines(), 3000, "the customer's line reaching the agent");
    const answer = await request(agent, 'ai.suggestReplies', { conversationId, count: 2 });
    assert.equal(answer.suggestions.length, 2);
    assert.ok(answer.suggestions.every((text: string) => text.length > 0), 'answer.suggestions.every((text: string) => text.length > 0)');
    const viewer = await connectAgent(t.url, t.acme.viewer.token);
    const refused = await viewer.timeout(3000).emitWithAck('ai.suggestReplies', { conversationId });
    assert.equal(refused.ok, false);
    assert.equal(refused.error.code, 'forbidden');
    const other = await connectAgent(t.url, t.globex.agent.token);
    const hidden = await other.timeout(3000).emitWithAck('ai.suggestReplies', { conversationId });
    assert.equal(hidden.error.code, 'not_found');
    await settle();
    assert.equal(customerLines(), sentBefore, 'no message was sent');
  });
});
