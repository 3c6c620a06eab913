// The knowledge base (POST /api/v1/knowledge: FAQ entries and documents, chunked, searched with
// SQLite FTS5 or PostgreSQL's text search, deleted) and reply suggestions grounded in it, the
// canned responses, the profile and the open deal, each citing what it used: offline, and through
// the OpenAI provider against the fake OpenAI-compatible server.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { KnowledgeEntry, KnowledgeHit, ReplySuggestions } from '@charla/protocol';
import type { FakeOpenAi } from '../support/fake-openai.js';
import { api, connectAgent, recordEvents, request, startServer, startServerWithFakeOpenAi, visitorWrites, type TestServer } from './helpers.js';

const SHIPPING_FAQ = { kind: 'faq', title: '¿Hacen envíos a todo México?', body: 'Sí, enviamos a todo México por paquetería en 48 a 72 horas; el envío es gratis desde $1,500.' };
const WARRANTY_DOC = {
  kind: 'document',
  title: 'Políticas de la tienda',
  body: [
    'Horario. Atendemos de lunes a sábado de 9 a 19 horas en nuestra tienda de Coyoacán. '.repeat(9),
    'Garantía. Todas las cafeteras tienen un año de garantía contra defectos de fábrica. Para hacerla válida, envíanos una foto del ticket y del defecto.',
    'Pagos. Aceptamos tarjeta, transferencia y pago en OXXO.',
  ].join('\n\n'),
};

describe('knowledge base', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer();
  });
  after(() => t.close());

  const post = (token: string, body: unknown) => api<KnowledgeEntry>(t.url, '/api/v1/knowledge', { token, method: 'POST', body });
  const search = (token: string, query: string) => api<KnowledgeHit[]>(t.url, `/api/v1/knowledge/search?query=${encodeURIComponent(query)}`, { token });

  test('admins upload FAQ entries and documents; documents are cut into chunks; search finds the right chunk, accents and plurals aside', async () => {
    const faq = await post(t.acme.admin.token, SHIPPING_FAQ);
    assert.equal(faq.status, 201);
    assert.equal(faq.body.chunks, 1);
    const doc = await post(t.acme.admin.token, WARRANTY_DOC);
    assert.equal(doc.status, 201);
    assert.ok(doc.body.chunks >= 2, `${doc.body.chunks} chunks`);

    const shipping = await search(t.acme.viewer.token, '¿hacen ENVIO a Monterrey?');
    assert.equal(shipping.status, 200);
    assert.equal(shipping.body[0]?.entryId, faq.body.id);
    const warranty = await search(t.acme.agent.token, 'garantia de la cafetera');
    assert.equal(warranty.body[0]?.entryId, doc.body.id);
    assert.match(warranty.body[0]!.text, /un año de garantía/);
    assert.doesNotMatch(warranty.body[0]!.text, /Atendemos de lunes/, 'the chunk that says it, not the whole document');

    const listed = await api<KnowledgeEntry[]>(t.url, '/api/v1/knowledge', { token: t.acme.viewer.token });
    assert.deepEqual(listed.body.map((entry) => entry.id), [faq.body.id, doc.body.id]);
    // Another workspace sees none of it.
    assert.deepEqual((await search(t.globex.admin.token, 'envíos garantía')).body, []);
    assert.deepEqual((await api(t.url, '/api/v1/knowledge', { token: t.globex.admin.token })).body, []);
  });

  test('refuses bad input and non-admins, changing nothing', async () => {
    const before = (await api<KnowledgeEntry[]>(t.url, '/api/v1/knowledge', { token: t.acme.admin.token })).body.length;
    for (const body of [{ kind: 'wiki', title: 'x', body: 'y' }, { kind: 'faq', title: ' ', body: 'y' }, { kind: 'faq', title: 'x' }, { ...SHIPPING_FAQ, extra: 1 }]) {
      const refused = await post(t.acme.admin.token, body);
      assert.equal(refused.status, 400, JSON.stringify(body));
      assert.equal((refused.body as unknown as { error: { code: string } }).error.code, 'invalid_payload');
    }
    assert.equal((await post(t.acme.agent.token, SHIPPING_FAQ)).status, 403);
    assert.equal((await search(t.acme.agent.token, '')).status, 400);
    const after = (await api<KnowledgeEntry[]>(t.url, '/api/v1/knowledge', { token: t.acme.admin.token })).body.length;
    assert.equal(after, before);
  });

  test('a deleted entry is no longer found; only its workspace\'s admins delete it', async () => {
    const entry = await post(t.acme.admin.token, { kind: 'faq', title: '¿Tienen estacionamiento?', body: 'Sí, estacionamiento gratuito para clientes.' });
    assert.equal((await search(t.acme.agent.token, 'estacionamiento')).body[0]?.entryId, entry.body.id);
    assert.equal((await api(t.url, `/api/v1/knowledge/${entry.body.id}`, { token: t.acme.agent.token, method: 'DELETE' })).status, 403);
    assert.equal((await api(t.url, `/api/v1/knowledge/${entry.body.id}`, { token: t.globex.admin.token, method: 'DELETE' })).status, 404);
    assert.equal((await api(t.url, `/api/v1/knowledge/${entry.body.id}`, { token: t.acme.admin.token, method: 'DELETE' })).status, 204);
    assert.deepEqual((await search(t.acme.agent.token, 'estacionamiento')).body, []);
    assert.equal((await api(t.url, `/api/v1/knowledge/${entry.body.id}`, { token: t.acme.admin.token, method: 'DELETE' })).status, 404);
  });

  test('offline suggestions answer from the knowledge base and a matching canned response, citing both', async () => {
    const canned = await api(t.url, '/api/v1/canned-responses', {
      token: t.acme.admin.token, method: 'POST', body: { shortcut: 'envios', title: 'Envíos', body: 'Hola {{nombre}}, hacemos envíos a todo el país. ¿A qué código postal?' },
    });
    const faqId = (await search(t.acme.agent.token, 'envíos')).body[0]!.entryId;
    const { conversationId, contactId } = await visitorWrites(t, t.acme, '¿Hacen envíos a Monterrey?');
    const agent = await connectAgent(t.url, t.acme.agent.token);
    await request(agent, 'contact.update', { contactId, patch: { name: 'Rosa Méndez' } });
    const answer: ReplySuggestions = await request(agent, 'ai.suggestReplies', { conversationId, count: 3 });
    assert.equal(answer.provider, 'heuristic');
    assert.match(answer.suggestions[0]!, /^¡Hola Rosa! Sí, enviamos a todo México/);
    assert.deepEqual(answer.sources[0]!.map((source) => [source.kind, source.id]), [['knowledge', faqId], ['profile', contactId]]);
    assert.equal(answer.suggestions[1], 'Hola Rosa, hacemos envíos a todo el país. ¿A qué código postal?');
    assert.deepEqual(answer.sources[1]!.map((source) => [source.kind, source.id]), [['canned', canned.body.id], ['profile', contactId]]);
    agent.disconnect();
  });
});

describe('suggestions through the OpenAI provider', () => {
  let fake: FakeOpenAi;
  let t: TestServer;
  let close: () => Promise<void>;
  before(async () => {
    ({ fake, t, close } = await startServerWithFakeOpenAi());
  });
  after(() => close());

  test('the model gets the same knowledge chunks and writes drafts citing them; labels it made up cite nothing', async () => {
    const faq = await api<KnowledgeEntry>(t.url, '/api/v1/knowledge', { token: t.acme.admin.token, method: 'POST', body: SHIPPING_FAQ });
    const { conversationId } = await visitorWrites(t, t.acme, '¿Hacen envíos a Monterrey? ¿Cuánto tarda?');
    fake.queue.push({
      kind: 'answer',
      content: () => JSON.stringify({ suggestions: [{ text: 'Sí, enviamos a Monterrey en 48 a 72 horas.', sources: ['K1', 'X9'] }, { text: '¿Me das tu código postal?', sources: [] }] }),
    });
    const agent = await connectAgent(t.url, t.acme.agent.token);
    const answer: ReplySuggestions = await request(agent, 'ai.suggestReplies', { conversationId, count: 2 });
    assert.equal(answer.provider, 'openai:test-model');
    assert.deepEqual(answer.suggestions, ['Sí, enviamos a Monterrey en 48 a 72 horas.', '¿Me das tu código postal?']);
    assert.deepEqual(answer.sources[0]!.map((source) => [source.kind, source.id, source.title]), [['knowledge', faq.body.id, SHIPPING_FAQ.title]]);
    assert.deepEqual(answer.sources[1], []);
    const prompt = fake.requests.at(-1)!.messages.map((message) => message.content).join('\n');
    assert.match(prompt, /\[K1\] FAQ "¿Hacen envíos a todo México\?": Sí, enviamos a todo México/, 'the chunk was retrieved into the prompt');
    agent.disconnect();
  });

  test('a provider failure leaves the conversation unchanged and says why', async () => {
    const { conversationId } = await visitorWrites(t, t.acme, '¿Tienen factura?');
    const agent = await connectAgent(t.url, t.acme.agent.token);
    const events = recordEvents(agent);
    fake.queue.push({ kind: 'server-error' });
    const failed = await agent.timeout(5000).emitWithAck('ai.suggestReplies', { conversationId, count: 1 });
    assert.equal(failed.ok, false);
    assert.equal(failed.error.code, 'offline');
    assert.match(failed.error.message, /^Suggestions are unavailable: The AI provider failed \(500\)/);
    const page = await request(agent, 'messages.list', { conversationId });
    assert.deepEqual(page.messages.map((message: { body: string }) => message.body), ['¿Tienen factura?']);
    assert.equal(events.filter((event) => event.conversationId === conversationId).length, 0, 'nothing changed');
    agent.disconnect();
  });
});
