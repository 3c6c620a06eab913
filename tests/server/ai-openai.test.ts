import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AiInsightUpsertedData, Analysis, ChangeEvent } from '@charla/protocol';
import type { Socket } from 'socket.io-client';
import { OpenAiProvider } from '../../server/src/ai/openai.js';
import { AiProviderError, type AnalysisInput } from '../../server/src/ai/provider.js';
import { startFakeOpenAi, type ChatRequest, type FakeOpenAi } from '../support/fake-openai.js';
import { clientId, connectAgent, connectVisitor, eventually, recordEvents, request, startServer, type TestServer } from './helpers.js';

/** What a model answers about the transcript it was sent: the email of the message that has one. */
function modelAnalysis(chat: ChatRequest, options: { foreignMessageId?: boolean } = {}): string {
  const transcript = chat.messages.at(-1)!.content;
  const lines = [...transcript.matchAll(/^\[([^\]]+)\] Customer: (.*)$/gm)].map(([, id, body]) => ({ id: id!, body: body! }));
  const withEmail = lines.find((line) => /@/.test(line.body));
  const first = lines[0]!;
  const analysis: Analysis = {
    lead: {
      name: null,
      email: withEmail ? { value: withEmail.body.match(/\S+@\S+/)![0], messageId: withEmail.id, confidence: 0.97 } : null,
      phone: options.foreignMessageId ? { value: '+5215512345678', messageId: 'msg_not_in_this_conversation', confidence: 0.99 } : null,
      company: null,
      productInterest: { value: 'annual plan', messageId: first.id, confidence: 0.8 },
      budget: null,
      timeline: null,
      urgency: { value: 'medium', messageId: first.id, confidence: 0.7 },
    },
    summary: 'The customer asks about the annual plan and shares an email.',
    sentiment: 'positive',
    sentimentTrend: 'improving',
    topics: ['pricing'],
    nextAction: 'Send the annual plan price.',
    intent: 'medium',
    objections: [],
    bant: { budget: null, authority: null, need: { value: 'annual plan', messageId: first.id, confidence: 0.8 }, timing: null },
  };
  return JSON.stringify(analysis);
}

const input: AnalysisInput = {
  workspaceId: 'ws_test',
  contact: { name: null, email: null, phone: null, attributes: {} },
  messages: [
    { id: 'msg_1', from: 'customer', body: 'Hi, how much is the annual plan?', createdAt: '2026-01-01T12:00:00.000Z' },
    { id: 'msg_2', from: 'business', body: 'Hello! Which team size?', createdAt: '2026-01-01T12:01:00.000Z' },
    { id: 'msg_3', from: 'customer', body: 'ten people. write me at lena@northwind.example', createdAt: '2026-01-01T12:02:00.000Z' },
  ],
};

describe('OpenAI provider against an OpenAI-compatible endpoint', () => {
  let fake: FakeOpenAi;
  let provider: OpenAiProvider;
  before(async () => {
    fake = await startFakeOpenAi();
    provider = new OpenAiProvider({ apiKey: 'sk-test', baseURL: fake.baseURL, model: 'test-model', timeoutMs: 300, attempts: 3, backoffMs: 10 });
  });
  after(() => fake.close());

  test('asks for structured JSON and returns the validated analysis; values not from this conversation are dropped', async () => {
    fake.queue.push({ kind: 'answer', content: (chat) => modelAnalysis(chat, { foreignMessageId: true }) });
    const analysis = await provider.analyze(input);
    assert.equal(analysis.lead.email?.value, 'lena@northwind.example');
    assert.equal(analysis.lead.email?.messageId, 'msg_3');
    assert.equal(analysis.lead.phone, null, 'a phone pointing at no message of the conversation is not used');
    const sent = fake.requests.at(-1)!;
    assert.equal(sent.model, 'test-model');
    assert.equal(sent.authorization, 'Bearer sk-test');
    assert.equal(sent.response_format?.type, 'json_schema');
    assert.match(sent.messages.at(-1)!.content, /\[msg_3\] Customer: ten people/);
    assert.equal(provider.name, 'openai:test-model');
  });

  test('malformed model output is rejected with a retryable error', async () => {
    fake.queue.push({ kind: 'malformed' });
    await assert.rejects(provider.analyze(input), (error: unknown) => error instanceof AiProviderError && error.retryable && /Unusable output/.test(error.message));
    fake.queue.push({ kind: 'answer', content: () => JSON.stringify({ summary: 'only a summary' }) });
    await assert.rejects(provider.analyze(input), /Unusable output: lead/);
  });

  test('429 and 5xx are retried with backoff, then succeed', async () => {
    const before = fake.requests.length;
    fake.queue.push({ kind: 'rate-limited' }, { kind: 'server-error' }, { kind: 'answer', content: (chat) => modelAnalysis(chat) });
    const analysis = await provider.analyze(input);
    assert.equal(analysis.summary, 'The customer asks about the annual plan and shares an email.');
    assert.equal(fake.requests.length - before, 3);
  });

  test('a provider that keeps rate limiting fails after its attempts, retryable later', async () => {
    const before = fake.requests.length;
    fake.queue.push({ kind: 'rate-limited' }, { kind: 'rate-limited' }, { kind: 'rate-limited' });
    await assert.rejects(provider.analyze(input), (error: unknown) => error instanceof AiProviderError && error.retryable && /429/.test(error.message));
    assert.equal(fake.requests.length - before, 3);
  });

  test('a hanging endpoint times out', async () => {
    fake.queue.push({ kind: 'hang' }, { kind: 'hang' }, { kind: 'hang' });
    await assert.rejects(provider.analyze(input), (error: unknown) => error instanceof AiProviderError && error.retryable && /timed out/.test(error.message));
  });

  test('suggests replies as validated JSON', async () => {
    fake.queue.push({ kind: 'answer', content: () => JSON.stringify({ suggestions: ['The annual plan is $99 per user.', 'Shall I send a quote?'] }) });
    const replies = await provider.suggestReplies({ ...input, analysis: null, count: 2 });
    assert.deepEqual(replies, [{ text: 'The annual plan is $99 per user.', sources: [] }, { text: 'Shall I send a quote?', sources: [] }]);
  });
});

describe('enrichment jobs with the OpenAI provider', () => {
  let fake: FakeOpenAi;
  let t: TestServer;
  let agent: Socket;
  let events: ChangeEvent[];

  before(async () => {
    fake = await startFakeOpenAi();
    const provider = new OpenAiProvider({ apiKey: 'sk-test', baseURL: fake.baseURL, model: 'test-model', timeoutMs: 2000, attempts: 1 });
    // A debounce long enough that a burst of test messages lands within it on a busy machine.
    t = await startServer({ server: { ai: { provider, debounceMs: 500, backoffMs: 20, maxAttempts: 2 } } });
    agent = await connectAgent(t.url, t.acme.agent.token);
    events = recordEvents(agent);
  });
  after(async () => {
    await fake.close();
    await t.close();
  });

  const insights = (conversationId: string) =>
    events.filter((event) => event.type === 'ai.insight.upserted' && event.conversationId === conversationId).map((event) => event.data as AiInsightUpsertedData);

  async function customerWrites(lines: string[]) {
    const visitor = await connectVisitor(t.url, t.acme.workspace.widgetKey);
    const session = await request(visitor, 'session.get', {});
    let conversationId = '';
    for (const body of lines) conversationId = (await request(visitor, 'message.send', { clientId: clientId(), body })).conversationId;
    return { visitor, contactId: session.contactId as string, conversationId };
  }

  test('the model answer becomes the insight and fills the empty email, marked with its source', async () => {
    fake.fallback = { kind: 'answer', content: (chat) => modelAnalysis(chat) };
    const { contactId, conversationId } = await customerWrites(['Hi, how much is the annual plan?', 'write me at lena@northwind.example']);
    const ready = await eventually(() => insights(conversationId).find((data) => data.insight.status === 'ready'), 5000);
    assert.equal(ready.insight.provider, 'openai:test-model');
    assert.equal(ready.insight.sentimentTrend, 'improving');
    assert.match(ready.insight.qualification!.verdict, /Medium intent/);
    const email = ready.filledFields.find((field) => field.field === 'email');
    assert.equal(email?.value, 'lena@northwind.example');
    assert.equal((await request(agent, 'contact.get', { contactId })).email, 'lena@northwind.example');
  });

  test('malformed output every time: retried, then failed with its reason', async () => {
    fake.fallback = { kind: 'malformed' };
    const { conversationId } = await customerWrites(['Hola, ¿precio del plan anual?']);
    const failed = await eventually(() => insights(conversationId).find((data) => data.insight.status === 'failed'), 5000);
    assert.match(failed.insight.error ?? '', /Unusable output/);
  });

  test('messages flow while the endpoint hangs', async () => {
    fake.fallback = { kind: 'hang' };
    const { visitor, conversationId } = await customerWrites(['Hi, do you ship to Lisbon?']);
    await eventually(() => fake.hanging > 0, 5000);
    await request(visitor, 'message.send', { clientId: clientId(), body: 'and how long does it take?' });
    await request(agent, 'message.send', { conversationId, clientId: clientId(), body: 'Yes, 3 days to Lisbon' });
    await eventually(() => events.filter((event) => event.type === 'message.upserted' && event.conversationId === conversationId).length >= 3);
    assert.ok(fake.hanging > 0, 'the analysis is still waiting for the endpoint');
  });
});
