import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CharlaClient, MemoryStorage } from '@charla/client';
import type { Contact } from '@charla/protocol';
import { eventually, startDemoServer, type DemoServer } from '../support/demo-server.js';

let server: DemoServer;
const clients: CharlaClient[] = [];

function agentClient() {
  const client = new CharlaClient({ url: server.url, token: server.token, storage: new MemoryStorage() });
  clients.push(client);
  return client;
}

async function rest<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(`${server.url}/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  assert.ok(response.ok, `${init.method ?? 'GET'} ${path}: ${response.status}`);
  return (await response.json()) as T;
}

async function contactNamed(name: string): Promise<Contact> {
  const page = await rest<{ contacts: Contact[] }>(`/contacts?query=${encodeURIComponent(name)}`);
  const contact = page.contacts.find((candidate) => candidate.name === name);
  assert.ok(contact, name);
  return contact;
}

before(async () => {
  server = await startDemoServer();
});

after(async () => {
  for (const client of clients) client.close();
  await server.close();
});

describe('deals in the agent client against the demo server', () => {
  it('shows the demo board: a six-stage B2B pipeline and a three-stage shop pipeline with deals', async () => {
    const client = agentClient();
    await eventually(() => assert.equal(client.state, 'online'));
    const pipelines = await client.sales.loadPipelines();
    assert.deepEqual(
      pipelines.map((p) => [p.name, p.stages.filter((s) => s.kind === 'open').length]),
      [['Mayoreo B2B', 6], ['Tienda en línea', 3]],
    );
    const board = client.board(pipelines[0]!.id);
    await eventually(() => assert.ok(board.loaded, 'board.loaded'));
    const titles = client.sales.dealsOf(pipelines[0]!.id).map((deal) => deal.title);
    assert.ok(titles.includes('Café Montaña: 150 tazas + 40 prensas'), "titles.includes('Café Montaña: 150 tazas + 40 prensas')");
  });

  it('a move on one client persists and reaches a second client live', async () => {
    const [mover, watcher] = [agentClient(), agentClient()];
    await eventually(() => assert.ok(mover.state === 'online' && watcher.state === 'online', `states ${mover.state} ${watcher.state}`), 10_000);
    const [b2b] = await mover.sales.loadPipelines();
    const pipelineId = b2b!.id;
    const [moverBoard, watcherBoard] = [mover.board(pipelineId), watcher.board(pipelineId)];
    await eventually(() => assert.ok(moverBoard.loaded && watcherBoard.loaded, JSON.stringify([moverBoard, watcherBoard])), 10_000);
    const deal = mover.sales.dealsOf(pipelineId).find((d) => d.title === '20 tazas de cerámica esmalte azul')!;
    const negotiation = b2b!.stages.find((s) => s.name === 'Negociación')!;

    const pending = mover.moveDeal(deal.id, negotiation.id);
    assert.equal(mover.sales.dealsById.get(deal.id)!.stageId, negotiation.id, 'shown at once');
    await pending;
    await eventually(() => assert.equal(watcher.sales.dealsById.get(deal.id)!.stageId, negotiation.id));
    const stored = await rest<{ history: Array<{ stageId: string }> }>(`/deals/${deal.id}`);
    assert.equal(stored.history.at(-1)!.stageId, negotiation.id);

    await assert.rejects(mover.moveDeal(deal.id, 'st_unknown'), /stageId/);
    assert.equal(mover.sales.dealsById.get(deal.id)!.stageId, negotiation.id, 'a refused move is put back');
  });

  it('keeps a contact\'s lifetime value and pending balance live as purchases and payments are posted', async () => {
    const client = agentClient();
    await eventually(() => assert.equal(client.state, 'online'));
    const maria = await contactNamed('María López');
    const summary = client.contactCommerce(maria.id);
    await eventually(() => assert.deepEqual(summary.data?.ltv, { MXN: 2624 }));
    assert.ok(summary.data!.openDeals.some((deal) => deal.title === '20 tazas de cerámica esmalte azul'), "summary.data!.openDeals.some((deal) => deal.title === '20 tazas de cerámica esmalte azul')");
    assert.ok(summary.data!.openTasks.some((task) => task.title === 'Enviar la cotización de las 20 tazas'), "summary.data!.openTasks.some((task) => task.title === 'Enviar la cotización de las 20 tazas')");

    await rest('/events', { method: 'POST', body: { kind: 'purchase', contactId: maria.id, amount: 5202, currency: 'MXN', reference: 'ORD-5001' } });
    await eventually(() => assert.deepEqual(summary.data?.ltv, { MXN: 7826 }));
    await rest('/events', { method: 'POST', body: { kind: 'invoice', contactId: maria.id, amount: 5202, currency: 'MXN', reference: 'FAC-5001', dueDate: '2030-01-15' } });
    await eventually(() => assert.deepEqual(summary.data?.pendingBalance, { MXN: 5202 }));
    await rest('/events', { method: 'POST', body: { kind: 'payment', contactId: maria.id, amount: 2000, currency: 'MXN', invoiceReference: 'FAC-5001' } });
    await eventually(() => assert.deepEqual(summary.data?.pendingBalance, { MXN: 3202 }));

    const diego = await contactNamed('Diego Fernández');
    const seeded = client.contactCommerce(diego.id);
    await eventually(() => assert.deepEqual(seeded.data?.pendingBalance, { MXN: 10000 }), 5000);
  });

  it('keeps an agenda live as tasks are created and done', async () => {
    const client = agentClient();
    await eventually(() => assert.equal(client.state, 'online'));
    const overdue = client.sales.agenda('overdue');
    await eventually(() => assert.ok(overdue.loaded && overdue.ids.length >= 2, `overdue: ${overdue.ids.length}, ${String(overdue.error)}`), 10_000);
    const [first, second] = overdue.ids as [string, string];
    await rest(`/tasks/${first}`, { method: 'PATCH', body: { done: true } });
    await eventually(() => assert.deepEqual(overdue.ids.filter((id) => id === first || id === second), [second]), 10_000);
  });

  it('saves what the deal dialog sends (every field, only the changed ones) and a task it creates reaches my agenda at once', async () => {
    const [editor, watcher] = [agentClient(), agentClient()];
    await eventually(() => assert.ok(editor.state === 'online' && watcher.state === 'online', "editor.state === 'online' && watcher.state === 'online'"), 10_000);
    const maria = await contactNamed('María López');
    const summary = editor.contactCommerce(maria.id);
    await eventually(() => assert.ok(summary.data?.openDeals.length, 'summary.data?.openDeals.length'));
    const deal = summary.data!.openDeals[0]!;
    const owner = editor.session!.agents.find((agent) => agent.id !== editor.me!.id && agent.role !== 'viewer') ?? editor.me!;
    const changes = { title: 'Tazas azules y jarras', amount: 7020.5, currency: 'BRL', expectedCloseDate: '2030-12-31', probability: 60, ownerId: owner.id };
    const saved = await editor.sales.updateDeal({ dealId: deal.id, ...changes });
    assert.deepEqual(
      { title: saved.title, amount: saved.amount, currency: saved.currency, expectedCloseDate: saved.expectedCloseDate?.slice(0, 10), probability: saved.probability, ownerId: saved.ownerId },
      changes,
    );
    assert.equal(summary.data!.openDeals.find((open) => open.id === deal.id)!.amount, 7020.5, 'the contact panel shows it at once');
    await eventually(() => assert.equal(watcher.sales.dealsById.get(deal.id)?.amount, 7020.5), 5000);
    const stored = await rest<{ deal: { amount: number; currency: string } }>(`/deals/${deal.id}`);
    assert.deepEqual([stored.deal.amount, stored.deal.currency], [7020.5, 'BRL']);
    await assert.rejects(editor.sales.updateDeal({ dealId: deal.id, amount: -1 }), /negative/);
    await assert.rejects(editor.sales.updateDeal({ dealId: deal.id, probability: 150 }), /probability/);

    const upcoming = editor.sales.agenda('upcoming', 'me');
    await eventually(() => assert.ok(upcoming.loaded, 'upcoming.loaded'));
    const due = new Date(Date.now() + 3 * 86_400_000);
    due.setHours(10, 30, 0, 0);
    const task = await editor.sales.createTask({
      title: 'Llamar a María', dueAt: due.toISOString(), ownerId: editor.me!.id, contactId: maria.id, dealId: deal.id, conversationId: null,
    });
    await eventually(() => assert.ok(upcoming.ids.includes(task.id), 'on my agenda'), 5000);
  });

  it('asks for a metric with an idLimit: the same counts, each list cut to that many ids', async () => {
    const client = agentClient();
    await eventually(() => assert.equal(client.state, 'online'));
    const full = await client.metric('pipeline', { idLimit: 10_000 });
    const capped = await client.metric('pipeline', { idLimit: 1 });
    assert.ok(full.stages.some((stage) => stage.count > 1), 'the demo board has a stage with several open deals');
    assert.deepEqual(capped.stages.map((stage) => stage.count), full.stages.map((stage) => stage.count));
    assert.deepEqual(capped.stages.map((stage) => stage.dealIds), full.stages.map((stage) => stage.dealIds.slice(0, 1)));
    assert.deepEqual(capped.deals.map((deal) => deal.id).sort(), capped.stages.flatMap((stage) => stage.dealIds).sort());
  });
});
