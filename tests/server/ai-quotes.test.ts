// "Draft quote" from the thread: the lines come from what the customer asked for, priced from the
// knowledge base (offline, and through the OpenAI provider against the fake OpenAI-compatible
// server); the edited quote goes out as a message and becomes the open deal's amount (or a new
// deal's). A provider failure leaves the conversation unchanged and says why.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Deal, DealDetail, KnowledgeEntry, Message, Pipeline, QuoteDraft, QuoteSent } from '@charla/protocol';
import { requestedItems } from '../../server/src/ai/drafts.js';
import type { FakeOpenAi } from '../support/fake-openai.js';
import { api, clientId, connectAgent, recordEvents, request, startServer, startServerWithFakeOpenAi, visitorWrites, type TestServer } from './helpers.js';

const PRICE_LIST = {
  kind: 'document',
  title: 'Lista de precios 2026',
  body: 'Prensa francesa de 1 litro: $350 MXN.\nMolino de café manual: $890 MXN.\nEnvío gratis en compras desde $2,000.',
};

const addPipeline = (t: TestServer) => api<Pipeline>(t.url, '/api/v1/pipelines', {
  token: t.acme.admin.token, method: 'POST', body: { name: 'Ventas', stages: [{ name: 'Lead' }, { name: 'Propuesta' }] },
});
const addPriceList = (t: TestServer) => api<KnowledgeEntry>(t.url, '/api/v1/knowledge', { token: t.acme.admin.token, method: 'POST', body: PRICE_LIST });
const messagesOf = async (t: TestServer, conversationId: string) =>
  (await api<{ messages: Message[] }>(t.url, `/api/v1/conversations/${conversationId}/messages`, { token: t.acme.agent.token })).body.messages;

test('what the customer asked for: counts after what they want, the latest count of a product, no money, people or days', () => {
  const read = (...texts: string[]) => requestedItems(texts, 'MXN').map((item) => `${item.quantity} ${item.description}`);
  assert.deepEqual(read('Somos Café Montaña, tenemos 3 sucursales. Nos interesa comprar 150 tazas y 40 prensas francesas al mayoreo.'), ['150 Tazas', '40 Prensas francesas']);
  assert.deepEqual(read('Necesito una cafetera de espresso y 3 molinos de café'), ['1 Cafetera de espresso', '3 Molinos de café']);
  assert.deepEqual(read('quiero 12 prensas', 'mejor que sean 15 prensas'), ['15 Prensas']);
  assert.deepEqual(read('Quero 5 caixas de sabonete e duas toalhas'), ['5 Caixas de sabonete', '2 Toalhas']);
  assert.deepEqual(read('We need 40 office chairs and two standing desks by March'), ['40 Office chairs', '2 Standing desks']);
  assert.deepEqual(read('somos 20 personas, para el 15 de mayo; presupuesto 20 mil pesos', 'me cobraron $500 por 2 días'), []);
});

describe('quote drafts offline', () => {
  let t: TestServer;
  let priceList: KnowledgeEntry;
  let pipeline: Pipeline;
  before(async () => {
    t = await startServer({ server: { ai: { debounceMs: 60_000 } } });
    pipeline = (await addPipeline(t)).body;
    priceList = (await addPriceList(t)).body;
    await api(t.url, '/api/v1/workspace', { token: t.acme.admin.token, method: 'PATCH', body: { currency: 'MXN' } });
  });
  after(() => t.close());

  test('drafts the asked items with the knowledge base\'s prices; the sent quote is a message and the open deal\'s amount', async () => {
    const { conversationId } = await visitorWrites(t, t.acme, 'Hola, quiero 12 prensas francesas y 2 molinos para mi cafetería. También necesito un delantal.');
    const deal = await api<Deal>(t.url, '/api/v1/deals', {
      token: t.acme.agent.token, method: 'POST', body: { pipelineId: pipeline.id, title: 'Cafetería', amount: 0, currency: 'MXN', conversationId },
    });
    assert.equal(deal.status, 201, JSON.stringify(deal.body));

    const draft = await api<QuoteDraft>(t.url, `/api/v1/conversations/${conversationId}/quote-draft`, { token: t.acme.agent.token, method: 'POST' });
    assert.equal(draft.status, 200, JSON.stringify(draft.body));
    assert.equal(draft.body.provider, 'heuristic');
    assert.equal(draft.body.language, 'es');
    assert.equal(draft.body.currency, 'MXN');
    assert.equal(draft.body.dealId, deal.body.id);
    assert.deepEqual(draft.body.items.map((item) => [item.description, item.quantity, item.unitPrice, item.source?.id ?? null]), [
      ['Prensas francesas', 12, 350, priceList.id],
      ['Molinos', 2, 890, priceList.id],
      ['Delantal', 1, null, null],
    ]);
    assert.equal(draft.body.total, 12 * 350 + 2 * 890);

    // The agent prices the apron, drops nothing else, adds a note, and sends.
    const agent = await connectAgent(t.url, t.acme.agent.token);
    const events = recordEvents(agent);
    const items = draft.body.items.map((item) => ({ description: item.description, quantity: item.quantity, unitPrice: item.unitPrice ?? 199.5 }));
    const sendId = clientId();
    const sent = await request<QuoteSent>(agent, 'quote.send', { conversationId, clientId: sendId, currency: 'MXN', language: 'es', items, note: 'Válida por 15 días.' });
    assert.equal(sent.total, 4200 + 1780 + 199.5);
    assert.equal(sent.deal?.id, deal.body.id);
    assert.equal(sent.deal?.amount, 6179.5);
    assert.equal(sent.message.content?.['quote'], true);
    assert.match(sent.message.body, /^Cotización:\n• 12 × Prensas francesas — \$350\.00 c\/u = \$4,200\.00\n/);
    assert.match(sent.message.body, /\nTotal: \$6,179\.50 MXN\n\nVálida por 15 días\.$/);
    assert.equal((await api<DealDetail>(t.url, `/api/v1/deals/${deal.body.id}`, { token: t.acme.viewer.token })).body.deal.amount, 6179.5);
    assert.ok(events.some((event) => event.type === 'deal.upserted' && (event.data as { deal: Deal }).deal.amount === 6179.5), 'agents hear the new amount');

    // A retry of the same send changes nothing.
    const again = await request<QuoteSent>(agent, 'quote.send', { conversationId, clientId: sendId, currency: 'MXN', language: 'es', items: [items[0]!] });
    assert.equal(again.message.id, sent.message.id);
    assert.equal((await messagesOf(t, conversationId)).filter((message) => message.content?.['quote']).length, 1);
    agent.disconnect();
  });

  test('without an open deal, the quote creates one with its total', async () => {
    const { conversationId } = await visitorWrites(t, t.acme, 'Need 3 french presses please');
    const sent = await api<QuoteSent>(t.url, `/api/v1/conversations/${conversationId}/quote`, {
      token: t.acme.agent.token, method: 'POST', body: { clientId: clientId(), currency: 'USD', language: 'en', items: [{ description: 'French press', quantity: 3, unitPrice: 20 }] },
    });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    assert.match(sent.body.message.body, /^Quote:\n• 3 × French press — \$20\.00 each = \$60\.00\nTotal: \$60\.00 USD$/);
    assert.equal(sent.body.deal?.amount, 60);
    assert.equal(sent.body.deal?.currency, 'USD');
    assert.equal(sent.body.deal?.conversationId, conversationId);
    assert.equal(sent.body.deal?.pipelineId, pipeline.id);
    assert.equal(sent.body.deal?.ownerId, t.acme.agent.agent.id);
  });

  test('refuses bad quotes, viewers and other workspaces, changing nothing', async () => {
    const { conversationId } = await visitorWrites(t, t.acme, 'quiero 2 molinos');
    const path = `/api/v1/conversations/${conversationId}/quote`;
    const good = { clientId: clientId(), currency: 'MXN', items: [{ description: 'Molino', quantity: 2, unitPrice: 890 }] };
    for (const body of [
      { ...good, items: [] }, { ...good, currency: 'pesos' }, { ...good, items: [{ description: 'Molino', quantity: -1, unitPrice: 890 }] },
      { ...good, items: [{ description: 'Molino', quantity: 1, unitPrice: 1.234 }] }, { ...good, extra: true }, [good],
    ]) {
      const refused = await api(t.url, path, { token: t.acme.agent.token, method: 'POST', body });
      assert.equal(refused.status, 400, JSON.stringify(body));
    }
    assert.equal((await api(t.url, path, { token: t.acme.viewer.token, method: 'POST', body: good })).status, 403);
    assert.equal((await api(t.url, path, { token: t.globex.admin.token, method: 'POST', body: good })).status, 404);
    assert.equal((await api(t.url, `/api/v1/conversations/${conversationId}/quote-draft`, { token: t.acme.viewer.token, method: 'POST' })).status, 403);
    assert.equal((await api(t.url, `/api/v1/conversations/${conversationId}/quote-draft`, { token: t.globex.admin.token, method: 'POST' })).status, 404);
    assert.deepEqual((await messagesOf(t, conversationId)).map((message) => message.body), ['quiero 2 molinos']);
  });
});

describe('quote drafts through the OpenAI provider', () => {
  let fake: FakeOpenAi;
  let t: TestServer;
  let close: () => Promise<void>;
  before(async () => {
    ({ fake, t, close } = await startServerWithFakeOpenAi());
  });
  after(() => close());

  test('the model gets the price list\'s chunks; a price it cites keeps its source, one without a real source is left for the agent', async () => {
    const priceList = (await addPriceList(t)).body;
    const { conversationId } = await visitorWrites(t, t.acme, 'Me cotizas 12 prensas francesas de 1 litro y un molino de café?');
    fake.queue.push({
      kind: 'answer',
      content: () => JSON.stringify({ items: [
        { description: 'Prensa francesa 1 L', quantity: 12, unitPrice: 350, source: 'K1' },
        { description: 'Molino de café manual', quantity: 1, unitPrice: 999, source: 'K7' },
      ] }),
    });
    const agent = await connectAgent(t.url, t.acme.agent.token);
    const draft = await request<QuoteDraft>(agent, 'ai.quoteDraft', { conversationId });
    assert.equal(draft.provider, 'openai:test-model');
    assert.deepEqual(draft.items.map((item) => [item.description, item.quantity, item.unitPrice, item.source?.id ?? null]), [
      ['Prensa francesa 1 L', 12, 350, priceList.id],
      ['Molino de café manual', 1, null, null],
    ]);
    assert.equal(draft.total, 4200);
    const prompt = fake.requests.at(-1)!.messages.map((message) => message.content).join('\n');
    assert.match(prompt, /\[K1\] "Lista de precios 2026": Prensa francesa de 1 litro: \$350 MXN/, 'the price list was retrieved into the prompt');
    agent.disconnect();
  });

  test('a provider failure leaves the conversation unchanged and says why', async () => {
    const { conversationId } = await visitorWrites(t, t.acme, 'quiero 4 prensas');
    const agent = await connectAgent(t.url, t.acme.agent.token);
    const events = recordEvents(agent);
    fake.queue.push({ kind: 'server-error' });
    const failed = await agent.timeout(5000).emitWithAck('ai.quoteDraft', { conversationId });
    assert.equal(failed.ok, false);
    assert.equal(failed.error.code, 'offline');
    assert.match(failed.error.message, /^The quote draft is unavailable: The AI provider failed \(500\)/);
    assert.deepEqual((await messagesOf(t, conversationId)).map((message) => message.body), ['quiero 4 prensas']);
    assert.equal(events.filter((event) => event.conversationId === conversationId).length, 0, 'nothing changed');
    agent.disconnect();
  });
});
