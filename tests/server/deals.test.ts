import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ChangeEvent, Deal, Pipeline } from '@charla/protocol';
import type { Socket } from 'socket.io-client';
import { onDealWon, type DealWon } from '../../server/src/services/deal-hooks.js';
import {
  api, connectAgent, emitAck, eventually, recordEvents, request, startServer, visitorWrites, type TestServer,
} from './helpers.js';

let t: TestServer;
let agent: Socket;
let admin: string;
let token: string;
let pipeline: Pipeline;
let contactId: string;
let conversationId: string;

const stage = (name: string) => {
  const found = pipeline.stages.find((s) => s.name === name);
  assert.ok(found, `stage ${name}`);
  return found.id;
};

before(async () => {
  t = await startServer();
  admin = t.acme.admin.token;
  token = t.acme.agent.token;
  agent = await connectAgent(t.url, token);
  ({ contactId, conversationId } = await visitorWrites(t, t.acme, 'Quiero 20 tazas para mi cafetería'));
  const created = await api<Pipeline>(t.url, '/api/v1/pipelines', {
    token: admin,
    method: 'POST',
    body: {
      name: 'B2B',
      stages: [
        { name: 'New lead', probability: 10 },
        { name: 'Qualified', probability: 25 },
        { name: 'Proposal sent', probability: 50, stalledAfterDays: 7 },
        { name: 'Negotiation', probability: 70 },
      ],
    },
  });
  assert.equal(created.status, 201);
  pipeline = created.body;
});
after(() => t.close());

describe('pipelines', () => {
  test('a pipeline keeps its stages in order and ends with the terminal Won and Lost', async () => {
    assert.deepEqual(pipeline.stages.map((s) => [s.name, s.kind, s.probability]), [
      ['New lead', 'open', 10], ['Qualified', 'open', 25], ['Proposal sent', 'open', 50], ['Negotiation', 'open', 70],
      ['Won', 'won', 100], ['Lost', 'lost', 0],
    ]);
    assert.equal(pipeline.stages[2]!.stalledAfterDays, 7);
    const listed = await api<Pipeline[]>(t.url, '/api/v1/pipelines', { token });
    assert.deepEqual(listed.body.map((p) => p.name), ['B2B']);
    const other = await api<Pipeline[]>(t.url, '/api/v1/pipelines', { token: t.globex.admin.token });
    assert.deepEqual(other.body, [], 'another workspace sees none of them');
  });

  test('only admins create pipelines, and a pipeline needs stages', async () => {
    const byAgent = await api(t.url, '/api/v1/pipelines', { token, method: 'POST', body: { name: 'X', stages: [{ name: 'A' }] } });
    assert.equal(byAgent.status, 403);
    const empty = await api(t.url, '/api/v1/pipelines', { token: admin, method: 'POST', body: { name: 'X', stages: [] } });
    assert.equal(empty.status, 400);
    assert.match(empty.body.error.message, /stages: a pipeline needs at least one stage/);
  });
});

describe('editing a pipeline', () => {
  test('renames, reorders, re-tunes, adds and removes open stages; Won and Lost stay last; views hear it', async () => {
    const created = (await api<Pipeline>(t.url, '/api/v1/pipelines', {
      token: admin, method: 'POST', body: { name: 'Shop', stages: [{ name: 'Cart' }, { name: 'Checkout' }, { name: 'Paid?' }] },
    })).body;
    const [cart, checkout, paid] = created.stages;
    const deal = await request<Deal>(agent, 'deal.create', { pipelineId: created.id, stageId: checkout!.id, title: 'Mantas', currency: 'ARS' });
    const events = recordEvents(agent);
    const patch = (body: unknown, token_ = admin) => api<Pipeline>(t.url, `/api/v1/pipelines/${created.id}`, { token: token_, method: 'PATCH', body });

    const edited = await patch({
      name: 'Online shop',
      stages: [{ id: checkout!.id, name: 'Checkout', stalledAfterDays: 2 }, { id: cart!.id, name: 'In cart', probability: 15 }, { name: 'Shipped' }],
    });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    assert.equal(edited.body.name, 'Online shop');
    assert.deepEqual(edited.body.stages.map((s) => [s.name, s.kind, s.position]), [
      ['Checkout', 'open', 0], ['In cart', 'open', 1], ['Shipped', 'open', 2], ['Won', 'won', 3], ['Lost', 'lost', 4],
    ]);
    assert.equal(edited.body.stages[0]!.stalledAfterDays, 2);
    assert.equal(edited.body.stages[1]!.probability, 15);
    assert.ok(!edited.body.stages.some((s) => s.id === paid!.id), 'the empty stage left out is gone');
    await eventually(() => events.some((e) => e.type === 'pipeline.upserted' && e.data.pipeline.name === 'Online shop'));
    assert.equal((await request<{ deal: Deal }>(agent, 'deal.get', { dealId: deal.id })).deal.stageId, checkout!.id, 'deals stay in their stage');

    const removingFull = await patch({ stages: [{ id: cart!.id, name: 'In cart' }] });
    assert.equal(removingFull.status, 409);
    assert.match((removingFull.body as any).error.message, /The stage "Checkout" still holds 1 deals: move them first/);
    const unknown = await patch({ stages: [{ id: 'st_nope', name: 'X' }] });
    assert.equal(unknown.status, 400);
    assert.match((unknown.body as any).error.message, /stages\.0\.id: The pipeline "Online shop" has no open stage with this id/);
    assert.equal((await patch({ name: 'Mine' }, token)).status, 403);
    assert.equal((await patch({ name: 'Theirs' }, t.globex.admin.token)).status, 404);
  });
});

describe('deals', () => {
  test('a deal from a conversation takes its contact, the first stage and its probability, and reaches other agents live', async () => {
    const other = await connectAgent(t.url, t.acme.admin.token);
    const events = recordEvents(other);
    const response = await api<Deal>(t.url, '/api/v1/deals', {
      token,
      method: 'POST',
      body: { pipelineId: pipeline.id, title: '20 tazas', amount: 5780.5, currency: 'mxn', conversationId },
    });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    const deal = response.body;
    assert.equal(deal.contactId, contactId);
    assert.equal(deal.stageId, stage('New lead'));
    assert.equal(deal.probability, 10);
    assert.equal(deal.amount, 5780.5);
    assert.equal(deal.currency, 'MXN');
    assert.equal(deal.ownerId, t.acme.agent.agent.id, 'the creator owns it by default');
    const live = await eventually(() => events.find((e): e is Extract<ChangeEvent, { type: 'deal.upserted' }> => e.type === 'deal.upserted' && e.data.deal.id === deal.id));
    assert.deepEqual(live.data.move, { from: null, to: stage('New lead'), rule: null, actorId: t.acme.agent.agent.id });
  });

  test('moving a deal records each stay in a stage; won closes it, reopening clears it', async () => {
    const deal = await request<Deal>(agent, 'deal.create', { pipelineId: pipeline.id, title: 'Mantas', amount: 100, currency: 'ARS', contactId });
    const moved = await request<Deal>(agent, 'deal.update', { dealId: deal.id, stageId: stage('Proposal sent') });
    assert.equal(moved.probability, 50);
    assert.equal(moved.status, 'open');
    const won = await request<Deal>(agent, 'deal.update', { dealId: deal.id, stageId: stage('Won') });
    assert.equal(won.status, 'won');
    assert.ok(won.closedAt, 'won.closedAt');
    assert.equal(won.probability, 100);
    const detail = await request(agent, 'deal.get', { dealId: deal.id });
    assert.deepEqual(detail.history.map((v: { stageId: string }) => v.stageId), [stage('New lead'), stage('Proposal sent'), stage('Won')]);
    assert.ok(detail.history.slice(0, 2).every((v: { leftAt: string | null }) => v.leftAt !== null), 'detail.history.slice(0, 2).every((v: { leftAt: string | null }) => v.leftAt !== null)');
    assert.equal(detail.history[2].leftAt, null, 'the current stay is open');

    const lost = await api<Deal>(t.url, `/api/v1/deals/${deal.id}`, { token, method: 'PATCH', body: { stageId: stage('Lost'), lostReason: 'Chose a cheaper shop' } });
    assert.equal(lost.status, 200);
    assert.equal(lost.body.status, 'lost');
    assert.equal(lost.body.lostReason, 'Chose a cheaper shop');
    const reopened = await request<Deal>(agent, 'deal.update', { dealId: deal.id, stageId: stage('Negotiation') });
    assert.equal(reopened.status, 'open');
    assert.equal(reopened.lostReason, null);
    assert.equal(reopened.closedAt, null);
  });

  test('unknown stages, invalid amounts and other workspaces\' ids are refused with clear errors', async () => {
    const deal = await request<Deal>(agent, 'deal.create', { pipelineId: pipeline.id, title: 'Vasos', currency: 'MXN' });
    const cases: Array<[unknown, number, RegExp]> = [
      [{ stageId: 'st_nope' }, 400, /stageId: The pipeline "B2B" has no stage with this id/],
      [{ amount: -5 }, 400, /amount cannot be negative/],
      [{ amount: 10.001 }, 400, /amount can have at most two decimals/],
      [{ amount: 'mucho' }, 400, /amount/],
      [{ ownerId: t.globex.agent.agent.id }, 400, /ownerId: No agent of this workspace has this id/],
      [{ contactId: 'ct_nope' }, 400, /contactId: No contact of this workspace has this id/],
    ];
    for (const [body, status, message] of cases) {
      const response = await api(t.url, `/api/v1/deals/${deal.id}`, { token, method: 'PATCH', body });
      assert.equal(response.status, status, JSON.stringify(body));
      assert.equal(response.body.error.code, 'invalid_payload');
      assert.match(response.body.error.message, message);
    }
    const globexDeal = await api(t.url, `/api/v1/deals/${deal.id}`, { token: t.globex.admin.token, method: 'PATCH', body: { amount: 1 } });
    assert.equal(globexDeal.status, 404, 'a deal of another workspace does not exist for it');
    assert.equal(globexDeal.body.error.code, 'not_found');

    const foreignPipeline = await api(t.url, '/api/v1/deals', {
      token: t.globex.admin.token, method: 'POST', body: { pipelineId: pipeline.id, title: 'x', currency: 'USD' },
    });
    assert.equal(foreignPipeline.status, 400);
    assert.match(foreignPipeline.body.error.message, /pipelineId: No pipeline of this workspace has this id/);
    const foreignContact = await emitAck(await connectAgent(t.url, t.globex.admin.token), 'task.create', { title: 'x', contactId });
    assert.equal(foreignContact.ok, false);
    if (!foreignContact.ok) assert.match(foreignContact.error.message, /contactId: No contact of this workspace/);

    const unchanged = await request<{ deal: Deal }>(agent, 'deal.get', { dealId: deal.id });
    assert.equal(unchanged.deal.amount, 0);
    assert.equal(unchanged.deal.stageId, stage('New lead'));
  });

  test('viewers read the board but cannot move deals', async () => {
    const viewer = await connectAgent(t.url, t.acme.viewer.token);
    const page = await request(viewer, 'deals.list', { pipelineId: pipeline.id });
    assert.ok(page.deals.length > 0, 'page.deals.length > 0');
    const ack = await emitAck(viewer, 'deal.update', { dealId: page.deals[0].id, stageId: stage('Won') });
    assert.equal(ack.ok, false);
    if (!ack.ok) assert.equal(ack.error.code, 'forbidden');
  });

  test('listeners hear about won deals after the commit, with the conversation they came from', async () => {
    const heard: DealWon[] = [];
    const stop = onDealWon(t.server.store, (won) => void heard.push(won));
    const deal = await request<Deal>(agent, 'deal.create', { pipelineId: pipeline.id, title: 'Ad lead', currency: 'MXN', amount: 1500, conversationId });
    await request(agent, 'deal.update', { dealId: deal.id, title: 'Ad lead, 2 boxes' });
    await request(agent, 'deal.update', { dealId: deal.id, stageId: stage('Won') });
    await eventually(() => heard.length === 1);
    assert.equal(heard[0]!.deal.id, deal.id);
    assert.equal(heard[0]!.conversationId, conversationId);
    assert.equal(heard[0]!.actorId, t.acme.agent.agent.id);
    stop();
  });
});

describe('tasks', () => {
  test('tasks link to a deal\'s contact and fill the agenda: overdue, today, upcoming', async () => {
    const deal = await request<Deal>(agent, 'deal.create', { pipelineId: pipeline.id, title: 'Agenda', currency: 'MXN', contactId });
    const hour = 3600_000;
    const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();
    const overdue = await request(agent, 'task.create', { title: 'Llamar ayer', dueAt: new Date(Date.now() - 2 * hour).toISOString(), dealId: deal.id });
    assert.equal(overdue.contactId, contactId, 'the deal\'s contact');
    const tomorrow = await request(agent, 'task.create', { title: 'Enviar muestra', dueAt: inMinutes(36 * 60), dealId: deal.id });
    const undated = await request(agent, 'task.create', { title: 'Sin fecha', contactId });
    // "Today" is the caller's day: pick the offset whose local time is now 23:50, so "today" ends in 10 minutes.
    const now = new Date();
    const offset = (((now.getUTCHours() * 60 + now.getUTCMinutes() - (23 * 60 + 50)) % 1440) + 1440) % 1440;
    const tzOffset = offset > 720 ? offset - 1440 : offset;
    const today = await request(agent, 'task.create', { title: 'Hoy', dueAt: inMinutes(5), contactId });

    const view = async (name: string) => (await request(agent, 'tasks.list', { view: name, ownerId: 'me', tzOffset })).map((task: { id: string }) => task.id);
    assert.ok((await view('overdue')).includes(overdue.id), "(await view('overdue')).includes(overdue.id)");
    assert.ok(!(await view('overdue')).includes(today.id), "!(await view('overdue')).includes(today.id)");
    assert.deepEqual((await view('today')).filter((id: string) => id === today.id || id === tomorrow.id), [today.id]);
    const upcoming = await view('upcoming');
    assert.ok(upcoming.includes(tomorrow.id), 'upcoming.includes(tomorrow.id)');
    assert.equal(upcoming.at(-1), undated.id, 'undated tasks come last');

    const done = await api(t.url, `/api/v1/tasks/${overdue.id}`, { token, method: 'PATCH', body: { done: true } });
    assert.equal(done.status, 200);
    assert.equal(done.body.done, true);
    assert.ok(done.body.doneAt, 'done.body.doneAt');
    assert.ok(!(await view('overdue')).includes(overdue.id), 'a done task leaves the agenda');
    const rest = await api(t.url, `/api/v1/tasks?view=open&dealId=${deal.id}`, { token });
    assert.deepEqual(rest.body.map((task: { id: string }) => task.id), [tomorrow.id]);
  });
});

describe('business events, lifetime value and pending balance', () => {
  test('purchases add up per currency, invoices owe until payments cover them, and views hear about it', async () => {
    const { contactId: buyer } = await visitorWrites(t, t.acme, 'Quiero comprar');
    const events = recordEvents(agent);
    const post = (body: Record<string, unknown>) => api(t.url, '/api/v1/events', { token, method: 'POST', body: { contactId: buyer, ...body } });
    const commerce = () => request(agent, 'contact.commerce', { contactId: buyer });

    assert.deepEqual((await commerce()).ltv, {});
    assert.equal((await post({ kind: 'purchase', amount: 289.9, currency: 'MXN', reference: 'order-1' })).status, 201);
    assert.equal((await post({ kind: 'purchase', amount: 0.1, currency: 'MXN', reference: 'order-2' })).status, 201);
    assert.equal((await post({ kind: 'purchase', amount: 40, currency: 'usd' })).status, 201);
    const retry = await post({ kind: 'purchase', amount: 289.9, currency: 'MXN', reference: 'order-1' });
    assert.equal(retry.status, 200, 'the same reference again is the same purchase');
    assert.deepEqual((await commerce()).ltv, { MXN: 290, USD: 40 });

    assert.equal((await post({ kind: 'invoice', amount: 1000, currency: 'MXN', reference: 'F-1', dueDate: '2030-01-31' })).status, 201);
    assert.equal((await post({ kind: 'invoice', amount: 50, currency: 'USD', reference: 'F-2', paid: true })).status, 201);
    let summary = await commerce();
    assert.deepEqual(summary.pendingBalance, { MXN: 1000 });
    assert.deepEqual(summary.openInvoices.map((i: { reference: string }) => i.reference), ['F-1']);

    assert.equal((await post({ kind: 'payment', amount: 400, currency: 'MXN', invoiceReference: 'F-1' })).status, 201);
    assert.deepEqual((await commerce()).pendingBalance, { MXN: 600 });
    assert.equal((await post({ kind: 'payment', amount: 600, currency: 'MXN', invoiceReference: 'F-1' })).status, 201);
    summary = await commerce();
    assert.deepEqual(summary.pendingBalance, {});
    assert.deepEqual(summary.openInvoices, []);
    assert.deepEqual(summary.ltv, { MXN: 290, USD: 40 }, 'payments and invoices are not purchases');

    const paidInvoice = await eventually(() => events.find((e) => e.type === 'business_event.created' && e.data.invoice?.paid));
    assert.equal(paidInvoice.type === 'business_event.created' && paidInvoice.data.invoice?.reference, 'F-1');

    const claim = await post({ kind: 'claim', amount: 289.9, currency: 'MXN', description: 'Llegó una taza rota' });
    assert.equal(claim.status, 201);
    assert.equal(claim.body.description, 'Llegó una taza rota');
  });

  test('invalid amounts, strangers\' contacts and mismatched payments are refused', async () => {
    const refused: Array<[Record<string, unknown>, RegExp]> = [
      [{ kind: 'purchase', contactId, amount: -1, currency: 'MXN' }, /amount cannot be negative/],
      [{ kind: 'purchase', contactId, amount: 1.001, currency: 'MXN' }, /amount can have at most two decimals/],
      [{ kind: 'purchase', contactId, currency: 'MXN' }, /amount/],
      [{ kind: 'purchase', contactId, amount: 1, currency: '$' }, /currency must be a three-letter ISO 4217 code/],
      [{ kind: 'refund', contactId, amount: 1, currency: 'MXN' }, /kind/],
      [{ kind: 'purchase', contactId, amount: 1, currency: 'MXN', dueDate: '2030-01-01' }, /dueDate and paid apply to invoices only/],
      [{ kind: 'payment', contactId, amount: 1, currency: 'MXN', invoiceReference: 'F-404' }, /invoiceReference: The contact has no invoice "F-404"/],
      [{ kind: 'purchase', contactId: 'ct_unknown', amount: 1, currency: 'MXN' }, /contactId: No contact of this workspace has this id/],
    ];
    for (const [body, message] of refused) {
      const response = await api(t.url, '/api/v1/events', { token, method: 'POST', body });
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.equal(response.body.error.code, 'invalid_payload');
      assert.match(response.body.error.message, message);
    }
    const stranger = await api(t.url, '/api/v1/events', {
      token: t.globex.admin.token, method: 'POST', body: { kind: 'purchase', contactId, amount: 5, currency: 'MXN' },
    });
    assert.equal(stranger.status, 400);
    assert.match(stranger.body.error.message, /contactId: No contact of this workspace/);
    await api(t.url, '/api/v1/events', { token, method: 'POST', body: { kind: 'invoice', contactId, amount: 10, currency: 'USD', reference: 'F-USD' } });
    const wrongCurrency = await api(t.url, '/api/v1/events', {
      token, method: 'POST', body: { kind: 'payment', contactId, amount: 10, currency: 'MXN', invoiceReference: 'F-USD' },
    });
    assert.match(wrongCurrency.body.error.message, /currency: The invoice is in USD, the payment in MXN/);
    const viewer = await api(t.url, '/api/v1/events', {
      token: t.acme.viewer.token, method: 'POST', body: { kind: 'purchase', contactId, amount: 5, currency: 'MXN' },
    });
    assert.equal(viewer.status, 403);
    const summary = await api(t.url, `/api/v1/contacts/${contactId}/commerce`, { token });
    assert.deepEqual(summary.body.ltv, {}, 'nothing refused was counted');
    assert.deepEqual(summary.body.pendingBalance, { USD: 10 });
  });
});

describe('merges', () => {
  test('merging two contacts keeps both their deals, tasks and purchases under the survivor', async () => {
    const { contactId: survivor } = await visitorWrites(t, t.acme, 'Soy Ana por la web');
    const { contactId: merged, conversationId: mergedConversation } = await visitorWrites(t, t.acme, 'Soy Ana por otro lado');
    const post = (contactId: string, amount: number) =>
      api(t.url, '/api/v1/events', { token, method: 'POST', body: { kind: 'purchase', contactId, amount, currency: 'MXN' } });
    await post(survivor, 100);
    await post(merged, 250.5);
    const deal = await request<Deal>(agent, 'deal.create', { pipelineId: pipeline.id, title: 'Ana', currency: 'MXN', conversationId: mergedConversation });
    await request(agent, 'task.create', { title: 'Llamar a Ana', contactId: merged });
    const merge = await emitAck(agent, 'contact.merge', { contactId: survivor, mergeId: merged });
    assert.equal(merge.ok, true, JSON.stringify(merge));
    const summary = await request(agent, 'contact.commerce', { contactId: survivor });
    assert.deepEqual(summary.ltv, { MXN: 350.5 });
    assert.deepEqual(summary.openDeals.map((d: Deal) => d.id), [deal.id]);
    assert.ok(summary.openTasks.some((task: { title: string }) => task.title === 'Llamar a Ana'), "summary.openTasks.some((task: { title: string }) => task.title === 'Llamar a Ana')");
  });
});
