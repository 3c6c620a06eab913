/**
 * Work lost in bursts: waiting out a rate limit (the workspace's own, or the provider's 429 with
 * Retry-After) must postpone an analysis, not use up its attempts, or a burst of new
 * conversations ends with analyses failed for good. Real failures still count.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Analysis } from '@charla/protocol';
import { OpenAiProvider } from '../../server/src/ai/openai.js';
import { postWebhook, startChannelTest, until, waText, type ChannelTest } from '../support/channels.js';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai.js';
import { api, eventually } from '../server/helpers.js';

const MAX_ATTEMPTS = 2;

/** A valid analysis that reads nothing in particular (what the model answers is not under test). */
const ANALYSIS: Analysis = {
  lead: { name: null, email: null, phone: null, company: null, productInterest: null, budget: null, timeline: null, urgency: null },
  summary: 'The customer asks for a price.',
  sentiment: 'neutral',
  sentimentTrend: 'steady',
  topics: ['pricing'],
  nextAction: 'Send the price list.',
  intent: 'medium',
  objections: [],
  bant: { budget: null, authority: null, need: null, timing: null },
};

let kit: ChannelTest;
let openai: FakeOpenAi;
let url: string;
let token: string;

before(async () => {
  openai = await startFakeOpenAi();
  openai.fallback = { kind: 'answer', content: () => JSON.stringify(ANALYSIS) };
  // One HTTP attempt per call: every 429 reaches the job queue.
  const provider = new OpenAiProvider({ apiKey: 'sk-test', baseURL: openai.baseURL, attempts: 1, timeoutMs: 5000 });
  kit = await startChannelTest({
    server: { ai: { provider, debounceMs: 0, maxAttempts: MAX_ATTEMPTS, backoffMs: 20, ratePerMinute: 8, rateWindowMs: 250, rateLimitWaitMs: 30 } },
  });
  url = kit.test.url;
  token = kit.test.acme.agent.token;
});
after(async () => {
  await kit.close();
  await openai.close();
});

let sender = 0;
/** A new customer writes on WhatsApp; resolves with their conversation's id. */
async function newConversation(body: string): Promise<string> {
  sender += 1;
  const waId = `5215500${String(sender).padStart(6, '0')}`;
  assert.equal((await postWebhook(url, 'whatsapp', waText(waId, `Cliente ${sender}`, body))).status, 200);
  return until(async () => {
    const [contact] = (await api(url, `/api/v1/contacts?query=${waId}`, { token })).body.contacts;
    if (!contact) return undefined;
    const list = await api(url, '/api/v1/conversations?status=all&channel=whatsapp&limit=100', { token });
    return list.body.conversations.find((c: any) => c.contactId === contact.id)?.id as string | undefined;
  }, `conversation of ${waId}`);
}

const insightOf = async (conversationId: string) =>
  (await api(url, `/api/v1/conversations/${conversationId}/insight`, { token })).body as { status: string; error?: string | null } | null;

/** Waits until no analysis of these conversations is pending; returns their statuses. */
async function settled(conversationIds: string[], label: string): Promise<string[]> {
  return eventually(async () => {
    const statuses = await Promise.all(conversationIds.map(async (id) => (await insightOf(id))?.status ?? 'none'));
    return statuses.every((status) => status === 'ready' || status === 'failed') ? statuses : undefined;
  }, 30_000, label);
}

test('an analysis the provider rate limits more often than its attempts allow still completes', async () => {
  openai.queue.push(...Array.from({ length: MAX_ATTEMPTS + 2 }, () => ({ kind: 'rate-limited' as const, retryAfterMs: 20 })));
  const conversationId = await newConversation('Hola, ¿cuánto cuesta el plan anual?');
  assert.deepEqual(await settled([conversationId], 'the analysis'), ['ready']);
});

test('a burst of new conversations past the workspace limit and through 429s is analyzed in full', async () => {
  openai.queue.push(...Array.from({ length: 12 }, () => ({ kind: 'rate-limited' as const, retryAfterMs: 30 })));
  const conversationIds = await Promise.all(Array.from({ length: 30 }, (_, i) => newConversation(`Hola, quiero cotizar el pedido ${i}`)));
  const statuses = await settled(conversationIds, 'every analysis of the burst');
  assert.deepEqual(statuses.filter((status) => status !== 'ready'), [], 'no analysis of the burst was given up');
});

test('real failures still count: a provider that keeps failing gives up after the attempts', async () => {
  openai.fallback = { kind: 'server-error' };
  const callsBefore = openai.requests.length;
  const conversationId = await newConversation('Hola, ¿tienen envío a Monterrey?');
  assert.deepEqual(await settled([conversationId], 'the failed analysis'), ['failed']);
  assert.equal(openai.requests.length - callsBefore, MAX_ATTEMPTS, 'one provider call per attempt, no more');
});
