import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Pipeline, TimelineItem, TimelinePage } from '@charla/protocol';
import type { Socket } from 'socket.io-client';
import { newId, nowIso } from '../../server/src/ids.js';
import {
  api, clientId, connectAgent, emitAck, request, startServer, visitorWrites, type TestServer,
} from './helpers.js';

let t: TestServer;
let agent: Socket;
let token: string;
let pipeline: Pipeline;

before(async () => {
  t = await startServer();
  token = t.acme.agent.token;
  agent = await connectAgent(t.url, token);
  pipeline = (await api<Pipeline>(t.url, '/api/v1/pipelines', {
    token: t.acme.admin.token, method: 'POST', body: { name: 'Sales', stages: [{ name: 'Lead' }, { name: 'Proposal sent' }] },
  })).body;
});
after(() => t.close());

const pause = () => new Promise((resolve) => setTimeout(resolve, 5));

/** A contact with one of everything, each a few milliseconds apart so the order is known. */
async function busyContact(first: string) {
  const { contactId, conversationId } = await visitorWrites(t, t.acme, first);
  await pause();
  await request(agent, 'message.send', { conversationId, clientId: clientId(), body: 'Con gusto, te cotizo' });
  await pause();
  await request(agent, 'note.create', { contactId, body: 'Cliente mayorista' });
  await pause();
  const deal = await request(agent, 'deal.create', { pipelineId: pipeline.id, title: 'Mayoreo', amount: 1200, currency: 'MXN', conversationId });
  await pause();
  await request(agent, 'deal.update', { dealId: deal.id, stageId: pipeline.stages[1]!.id });
  await pause();
  const task = await request(agent, 'task.create', { title: 'Llamar', dealId: deal.id });
  await pause();
  await request(agent, 'task.update', { taskId: task.id, done: true });
  const post = async (body: Record<string, unknown>) => {
    await pause();
    const response = await api(t.url, '/api/v1/events', { token, method: 'POST', body: { contactId, currency: 'MXN', ...body } });
    assert.equal(response.status, 201);
  };
  await post({ kind: 'purchase', amount: 1200, description: 'Pedido 1' });
  await post({ kind: 'invoice', amount: 1200, reference: `F-${first}` });
  await post({ kind: 'payment', amount: 1200, invoiceReference: `F-${first}` });
  await post({ kind: 'claim', amount: 100, description: 'Una pieza rota' });
  return { contactId, conversationId, dealId: deal.id, taskId: task.id };
}

describe('unified timeline', () => {
  test('one feed, newest first, with every kind of item linking to its source', async () => {
    const { contactId, conversationId, dealId, taskId } = await busyContact('Hola, quiero una cotización');
    const page = await api<TimelinePage>(t.url, `/api/v1/contacts/${contactId}/timeline`, { token });
    assert.equal(page.status, 200);
    const kinds = page.body.items.map((item) => `${item.kind}${item.status ? `:${item.status}` : ''}`);
    assert.deepEqual(kinds, [
      'claim', 'payment', 'invoice:paid', 'purchase', 'task:done', 'task:created', 'stage:open', 'deal:open', 'note', 'message:out', 'message:in',
    ]);
    const byKind = (kind: string) => page.body.items.find((item) => item.kind === kind)!;
    assert.equal(byKind('message').conversationId, conversationId, 'a message opens its conversation');
    assert.equal(byKind('stage').dealId, dealId, 'a stage change opens its deal');
    assert.equal(byKind('stage').text, 'Mayoreo · Proposal sent');
    assert.equal(byKind('stage').actor, 'Acme Agent');
    assert.equal(byKind('task').taskId, taskId);
    assert.equal(byKind('purchase').amount, 1200);
    assert.equal(byKind('claim').text, 'Una pieza rota');
    assert.equal(page.body.nextCursor, null);
  });

  test('pages follow each other without gaps or repeats, over the socket too', async () => {
    const { contactId } = await busyContact('Otra consulta');
    const all = (await request<TimelinePage>(agent, 'timeline.list', { contactId, limit: 100 })).items.map((item) => item.id);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page: TimelinePage = await request(agent, 'timeline.list', { contactId, limit: 3, ...(cursor ? { cursor } : {}) });
      assert.ok(page.items.length <= 3, 'page.items.length <= 3');
      seen.push(...page.items.map((item: TimelineItem) => item.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    assert.deepEqual(seen, all);
  });

  test('a company\'s timeline gathers its contacts\' items', async () => {
    const one = await busyContact('Somos Café Montaña');
    const two = await visitorWrites(t, t.acme, 'También de Café Montaña');
    const companyId = newId('co');
    await t.server.store.transaction(async (scope) => {
      await scope.contacts.insertCompany({ id: companyId, workspaceId: t.acme.workspace.id, name: 'Café Montaña', domain: 'cafemontana.mx' }, nowIso());
      await scope.contacts.update(t.acme.workspace.id, one.contactId, { companyId }, nowIso());
      await scope.contacts.update(t.acme.workspace.id, two.contactId, { companyId }, nowIso());
    });
    const page = await api<TimelinePage>(t.url, `/api/v1/companies/${companyId}/timeline?limit=100`, { token });
    assert.equal(page.status, 200);
    const contacts = new Set(page.body.items.map((item) => item.contactId));
    assert.deepEqual([...contacts].sort(), [one.contactId, two.contactId].sort());
    assert.ok(page.body.items.some((item) => item.text === 'También de Café Montaña'), "page.body.items.some((item) => item.text === 'También de Café Montaña')");
  });

  test('another workspace\'s contact has no timeline here', async () => {
    const { contactId } = await visitorWrites(t, t.acme, 'Hola');
    const foreign = await api(t.url, `/api/v1/contacts/${contactId}/timeline`, { token: t.globex.admin.token });
    assert.equal(foreign.status, 404);
    assert.equal(foreign.body.error.code, 'not_found');
    const globex = await connectAgent(t.url, t.globex.admin.token);
    const ack = await emitAck(globex, 'timeline.list', { contactId });
    assert.equal(ack.ok, false);
    const badCursor = await api(t.url, `/api/v1/contacts/${contactId}/timeline?cursor=nonsense`, { token });
    assert.equal(badCursor.status, 400);
  });
});
