import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type {
  AcquisitionCostResult, Channel, LtvByChannelResult, Pipeline, PipelineHygieneResult, WorkloadResult,
} from '@charla/protocol';
import { afterMessage, newContact, newConversation, newMessage } from '../../server/src/services/entities.js';
import { api, connectAgent, emitAck, request, startServer, type TestServer } from './helpers.js';

let t: TestServer;
let ventas: Pipeline;
let mayoreo: Pipeline;
const contacts: Record<string, string> = {};
const deals: Record<string, string> = {};
const conversations: Record<string, string> = {};
const COHORT = 'from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z';
/** Hygiene is judged as of this instant. */
const AT = Date.parse('2027-03-01T00:00:00Z');
const daysBefore = (days: number) => new Date(AT - days * 86_400_000).toISOString();

const admin = () => t.globex.admin.token;
const post = async (path: string, body: unknown, token = admin()) => {
  const response = await api(t.url, path, { method: 'POST', token, body });
  assert.ok(response.status < 300, `${path}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
};
const metric = async <T>(name: string, query: string, token = admin()) => {
  const response = await api<T>(t.url, `/api/v1/metrics/${name}?${query}`, { token });
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body;
};

interface Line {
  at: string;
  from: 'contact' | 'agent' | 'note';
}

/** A contact and their conversations (each started at its first line, or at `start`), written as the channels would. */
async function person(key: string, threads: Array<{ channel: Channel; start: string; lines?: Line[]; referral?: Record<string, unknown>; status?: 'open' | 'resolved'; assignee?: string | null }>) {
  const workspaceId = t.globex.workspace.id;
  const contact = newContact({ workspaceId, name: key, identities: [{ channel: threads[0]!.channel, handle: `sales-${key}` }], createdAt: threads[0]!.start });
  contacts[key] = contact.id;
  await t.server.store.transaction(async (scope) => {
    await scope.contacts.insert(contact);
    for (const [i, thread] of threads.entries()) {
      let conversation = newConversation({
        workspaceId, contactId: contact.id, channel: thread.channel, status: thread.status ?? 'resolved', createdAt: thread.start, assigneeId: thread.assignee ?? null,
      });
      conversations[`${key}-${i}`] = conversation.id;
      await scope.conversations.insert(conversation);
      for (const line of thread.lines ?? []) {
        const agent = line.from === 'contact' ? null : t.globex.agent.agent;
        const message = newMessage({
          workspaceId, conversationId: conversation.id, direction: agent ? 'out' : 'in', senderKind: agent ? 'agent' : 'contact', senderId: agent?.id ?? null,
          senderName: agent?.name ?? null, body: line.from, private: line.from === 'note', createdAt: line.at,
        });
        await scope.messages.insert(message);
        conversation = afterMessage(conversation, message);
      }
      await scope.conversations.save(conversation);
      if (thread.referral) await scope.channels.setReferral(workspaceId, conversation.id, thread.referral);
    }
  });
}

const purchase = (key: string, amount: number, currency: string) =>
  post('/api/v1/events', { kind: 'purchase', contactId: contacts[key], amount, currency, occurredAt: '2026-02-20T10:00:00Z' });

async function deal(key: string, pipeline: Pipeline, fields: { contact?: string; stage?: string; owner?: 'admin' | 'agent'; won?: boolean }) {
  const stageOf = (name: string) => pipeline.stages.find((stage) => stage.name === name)!.id;
  const created = await post('/api/v1/deals', {
    pipelineId: pipeline.id, title: key, amount: 100, currency: 'MXN', stageId: stageOf(fields.stage ?? 'Lead'),
    contactId: fields.contact ? contacts[fields.contact] : null, ownerId: t.globex[fields.owner ?? 'admin'].agent.id,
  });
  deals[key] = created.id;
  if (fields.won) {
    const moved = await api(t.url, `/api/v1/deals/${created.id}`, { method: 'PATCH', token: admin(), body: { stageId: stageOf('Ganado') } });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
  }
}

before(async () => {
  t = await startServer();
  ventas = await post('/api/v1/pipelines', { name: 'Ventas', stages: [{ name: 'Lead' }, { name: 'Propuesta' }], wonStageName: 'Ganado', lostStageName: 'Perdido' });
  mayoreo = await post('/api/v1/pipelines', {
    name: 'Mayoreo', stages: [{ name: 'Lead', stalledAfterDays: 3 }, { name: 'Propuesta' }], wonStageName: 'Ganado', lostStageName: 'Perdido',
  });
  const ad = (clid: string) => ({ source_type: 'ad', source_id: 'ad-9', headline: 'Rebajas', ctwa_clid: clid, source_url: 'https://fb.me/ad' });

  // The cohort: first conversations in January and February 2026.
  await person('ana', [{ channel: 'whatsapp', start: '2026-01-05T10:00:00.000Z', referral: ad('clid-1') }]);
  await person('bruno', [{ channel: 'whatsapp', start: '2026-01-20T10:00:00.000Z' }]);
  await person('carla', [{ channel: 'whatsapp', start: '2026-02-03T10:00:00.000Z', referral: ad('clid-2') }]);
  await person('diego', [{ channel: 'instagram', start: '2026-01-10T10:00:00.000Z' }]);
  await person('elena', [{ channel: 'instagram', start: '2026-02-14T10:00:00.000Z' }]);
  // Fabio first wrote in December (webchat): not in the cohort, whatever he bought.
  await person('fabio', [{ channel: 'webchat', start: '2025-12-28T10:00:00.000Z' }, { channel: 'whatsapp', start: '2026-01-08T10:00:00.000Z' }]);
  // Gabi's first conversation is WhatsApp; Instagram came a day later.
  await person('gabi', [{ channel: 'whatsapp', start: '2026-01-25T10:00:00.000Z' }, { channel: 'instagram', start: '2026-01-26T10:00:00.000Z' }]);
  await purchase('ana', 1000, 'MXN');
  await purchase('ana', 500, 'MXN');
  await purchase('bruno', 300, 'MXN');
  await purchase('carla', 40, 'USD');
  await purchase('elena', 200, 'MXN');
  await purchase('elena', 10, 'USD');
  await purchase('fabio', 9999, 'MXN');
  await purchase('gabi', 700, 'MXN');
  await deal('ana-won', ventas, { contact: 'ana', won: true });
  await deal('bruno-open', ventas, { contact: 'bruno' });
  await deal('carla-won', ventas, { contact: 'carla', won: true });
  await deal('elena-open', ventas, { contact: 'elena' });
  await deal('fabio-won', ventas, { contact: 'fabio', won: true });

  // Hygiene, in the second pipeline, of customers who first wrote long before the cohort.
  const old = '2025-06-01T10:00:00.000Z';
  await person('h-ana', [{ channel: 'whatsapp', start: old, lines: [{ from: 'contact', at: old }, { from: 'agent', at: daysBefore(2) }] }]);
  await person('h-bruno', [{
    channel: 'whatsapp', start: old,
    lines: [{ from: 'contact', at: old }, { from: 'agent', at: daysBefore(5) }, { from: 'note', at: daysBefore(1) }, { from: 'contact', at: daysBefore(1) }],
  }]);
  await person('h-diego', [{ channel: 'instagram', start: old, lines: [{ from: 'contact', at: old }, { from: 'agent', at: daysBefore(6) }] }]);
  await deal('h1', mayoreo, { contact: 'h-ana', stage: 'Lead', owner: 'admin' });
  await deal('h2', mayoreo, { contact: 'h-bruno', stage: 'Lead', owner: 'admin' });
  await deal('h3', mayoreo, { contact: 'h-diego', stage: 'Propuesta', owner: 'agent' });
  await deal('h4', mayoreo, { stage: 'Propuesta', owner: 'agent' });
  await deal('h5', mayoreo, { stage: 'Lead', owner: 'agent' });
  await post('/api/v1/tasks', { title: 'Llamar', dealId: deals.h4, dueAt: new Date(AT + 86_400_000).toISOString() });
  await post('/api/v1/tasks', { title: 'Vencida', dealId: deals.h5, dueAt: daysBefore(1) });
  const done = await post('/api/v1/tasks', { title: 'Hecha', dealId: deals.h5, dueAt: new Date(AT + 2 * 86_400_000).toISOString() });
  const closed = await api(t.url, `/api/v1/tasks/${done.id}`, { method: 'PATCH', token: admin(), body: { done: true } });
  assert.equal(closed.status, 200, JSON.stringify(closed.body));
});
after(() => t.close());

describe('lifetime value per channel of first conversation', () => {
  test('counts, totals, medians and means per currency, never summed together, over a two-month cohort', async () => {
    const result = await metric<LtvByChannelResult>('ltv-by-channel', COHORT);
    // Ana 1500, Bruno 300, Gabi 700 MXN and Carla 40 USD on WhatsApp; Elena 200 MXN and 10 USD on Instagram; Diego nothing.
    assert.deepEqual(result.overall.ltv, {
      MXN: { customers: 4, total: 2700, median: 500, mean: 675 },
      USD: { customers: 2, total: 50, median: 25, mean: 25 },
    });
    assert.deepEqual([result.overall.contacts, result.overall.customers], [6, 5]);
    const channels = Object.fromEntries(result.channels.map((group) => [group.key, group]));
    assert.deepEqual(Object.keys(channels), ['instagram', 'whatsapp']);
    assert.deepEqual([channels.whatsapp!.contacts, channels.whatsapp!.customers], [4, 4]);
    assert.deepEqual(channels.whatsapp!.ltv, {
      MXN: { customers: 3, total: 2500, median: 700, mean: 833.33 },
      USD: { customers: 1, total: 40, median: 40, mean: 40 },
    });
    assert.deepEqual([channels.instagram!.contacts, channels.instagram!.customers], [2, 1]);
    assert.deepEqual(channels.instagram!.ltv, { MXN: { customers: 1, total: 200, median: 200, mean: 200 }, USD: { customers: 1, total: 10, median: 10, mean: 10 } });
    // Most valuable first: the drill-down lists the customers with their LTV.
    assert.deepEqual(channels.whatsapp!.contactIds, [contacts.ana, contacts.gabi, contacts.bruno, contacts.carla]);
    const ana = result.contacts.find((contact) => contact.id === contacts.ana)!;
    assert.deepEqual([ana.name, ana.channel, ana.ltv, ana.firstConversationId], ['ana', 'whatsapp', { MXN: 1500 }, conversations['ana-0']]);
    assert.equal(result.contacts.some((contact) => contact.id === contacts.fabio), false, 'Fabio first wrote in December');
  });

  test('per Click-to-WhatsApp ad when the click id is known', async () => {
    const result = await metric<LtvByChannelResult>('ltv-by-channel', COHORT);
    assert.deepEqual(result.ads.map((group) => [group.key, group.label, group.contacts, group.customers, group.ltv]), [[
      'ad-9', 'Rebajas', 2, 2, { MXN: { customers: 1, total: 1500, median: 1500, mean: 1500 }, USD: { customers: 1, total: 40, median: 40, mean: 40 } },
    ]]);
  });

  test('a one-month cohort holds only who first wrote in it', async () => {
    const result = await metric<LtvByChannelResult>('ltv-by-channel', 'from=2026-02-01T00:00:00Z&to=2026-03-01T00:00:00Z&idLimit=1');
    assert.deepEqual([result.overall.contacts, result.overall.ltv], [2, { MXN: { customers: 1, total: 200, median: 200, mean: 200 }, USD: { customers: 2, total: 50, median: 25, mean: 25 } }]);
    // idLimit cuts the lists, never the counts.
    assert.deepEqual([result.overall.customers, result.overall.contactIds], [2, [contacts.elena]]);
  });
});

describe('pipeline hygiene', () => {
  test('open deals with an open task ahead or a message within the stage limit are up to date; the stale ones listed', async () => {
    const result = await metric<PipelineHygieneResult>('pipeline-hygiene', `to=${new Date(AT).toISOString()}&pipelineId=${mayoreo.id}`);
    assert.equal(result.pipelineName, 'Mayoreo');
    // h1: message 2 days ago (Lead: 3 days); h3: 6 days ago (Propuesta: the default 7); h4: a task due tomorrow.
    // h2: last message 5 days ago (the note and the customer's line do not count); h5: only an overdue task and a done one.
    assert.deepEqual([result.overall.open, result.overall.upToDate, result.overall.stale, result.overall.share], [5, 3, 2, 0.6]);
    assert.deepEqual(result.overall.staleIds, [deals.h5, deals.h2]);
    assert.deepEqual(result.owners.map((row) => [row.name, row.open, row.upToDate, row.share, row.staleIds]), [
      ['Globex Admin', 2, 1, 0.5, [deals.h2]],
      ['Globex Agent', 3, 2, 0.6667, [deals.h5]],
    ]);
    const h2 = result.deals.find((deal) => deal.id === deals.h2)!;
    assert.deepEqual([h2.lastFollowUpAt, h2.stageName, h2.stalledAfterDays, h2.contactId], [daysBefore(5), 'Lead', 3, contacts['h-bruno']]);
    const h5 = result.deals.find((deal) => deal.id === deals.h5)!;
    assert.deepEqual([h5.lastFollowUpAt, h5.stalledAfterDays], [null, 3]);
  });

  test('a week later every message is past its stage limit and every task overdue', async () => {
    const result = await metric<PipelineHygieneResult>('pipeline-hygiene', `to=${new Date(AT + 7 * 86_400_000 - 1).toISOString()}&pipelineId=${mayoreo.id}`);
    // h1's and h3's messages are now 9 and 13 days old, and h4's task (due the day after AT) has passed.
    assert.deepEqual([result.overall.open, result.overall.upToDate], [5, 0]);
  });
});

describe('acquisition cost', () => {
  test('spend entered as JSON and as CSV, refused whole when any line is wrong', async () => {
    const csv = 'channel,month,amount,currency\nwhatsapp,2026-01,300,USD\ninstagram,2026-01,600.00,mxn\nmessenger,2026-01,50,EUR\n';
    const saved = await api(t.url, '/api/v1/spend', { method: 'POST', token: admin(), body: csv, headers: { 'content-type': 'text/csv' } });
    assert.equal(saved.status, 201, JSON.stringify(saved.body));
    assert.equal(saved.body.saved, 3);
    await post('/api/v1/spend', { channel: 'whatsapp', campaign: 'Rebajas', month: '2026-02', amount: 100, currency: 'USD' });
    await post('/api/v1/spend', { channel: 'whatsapp', month: '2026-02', amount: 400, currency: 'MXN' });
    // Entering the same channel, campaign, month and currency again replaces the amount.
    await post('/api/v1/spend', { channel: 'whatsapp', month: '2026-02', amount: 1000, currency: 'MXN' });

    const before = (await api(t.url, '/api/v1/spend?from=2026-01&to=2026-02', { token: t.globex.viewer.token })).body;
    assert.equal(before.spend.length, 5);
    const bad = [
      { channel: 'fax', month: '2026-01', amount: 1, currency: 'USD' },
      { channel: 'whatsapp', month: '2026-13', amount: 1, currency: 'USD' },
      { channel: 'whatsapp', month: '2026-01', amount: -1, currency: 'USD' },
      { channel: 'whatsapp', month: '2026-01', amount: 1.005, currency: 'USD' },
      { channel: 'whatsapp', month: '2026-01', amount: 1, currency: 'ZZZ' },
      { channel: 'whatsapp', month: '2026-01', amount: 1, currency: 'USD', extra: true },
    ];
    for (const body of bad) {
      const refused = await api(t.url, '/api/v1/spend', { method: 'POST', token: admin(), body });
      assert.equal(refused.status, 400, JSON.stringify(body));
      assert.equal(refused.body.error.code, 'invalid_payload');
    }
    const badCsv = await api(t.url, '/api/v1/spend', {
      method: 'POST', token: admin(), body: 'channel,month,amount,currency\nwhatsapp,2026-01,999,USD\nwhatsapp,enero,5,USD\n', headers: { 'content-type': 'text/csv' },
    });
    assert.equal(badCsv.status, 400);
    assert.match(badCsv.body.error.message, /Line 3: month/);
    const unknownColumn = await api(t.url, '/api/v1/spend', { method: 'POST', token: admin(), body: 'channel,month,amount,currency,cost\n', headers: { 'content-type': 'text/csv' } });
    assert.equal(unknownColumn.status, 400);
    for (const role of ['agent', 'viewer'] as const) {
      const forbidden = await api(t.url, '/api/v1/spend', { method: 'POST', token: t.globex[role].token, body: { channel: 'whatsapp', month: '2026-01', amount: 1, currency: 'USD' } });
      assert.equal(forbidden.status, 403, role);
    }
    const acme = await api(t.url, '/api/v1/spend?from=2026-01&to=2026-02', { token: t.acme.admin.token });
    assert.deepEqual(acme.body.spend, []);
    const after = (await api(t.url, '/api/v1/spend?from=2026-01&to=2026-02', { token: admin() })).body;
    assert.deepEqual(after, before, 'refused entries change nothing');
  });

  test('cost per lead, qualified lead and won customer per channel and month, beside LTV, per spend currency', async () => {
    const result = await metric<AcquisitionCostResult>('acquisition-cost', COHORT);
    assert.deepEqual(result.months, ['2026-01', '2026-02']);
    const channels = Object.fromEntries(result.channels.map((row) => [row.channel, row]));
    assert.deepEqual(Object.keys(channels), ['instagram', 'messenger', 'whatsapp']);
    // WhatsApp: Ana, Bruno, Gabi (January) and Carla (February); Ana, Bruno and Carla got deals; Ana and Carla won.
    const whatsapp = channels.whatsapp!;
    assert.deepEqual([whatsapp.spend, whatsapp.leads, whatsapp.qualified, whatsapp.won], [{ MXN: 1000, USD: 400 }, 4, 3, 2]);
    assert.deepEqual(whatsapp.costPerLead, { MXN: 250, USD: 100 });
    assert.deepEqual(whatsapp.costPerQualified, { MXN: 333.33, USD: 133.33 });
    assert.deepEqual(whatsapp.costPerWon, { MXN: 500, USD: 200 });
    // Mean LTV 833.33 MXN / 500 MXN and 40 USD / 200 USD: never across currencies.
    assert.deepEqual(whatsapp.ltvToCac, { MXN: 1.67, USD: 0.2 });
    const instagram = channels.instagram!;
    assert.deepEqual([instagram.spend, instagram.leads, instagram.qualified, instagram.won], [{ MXN: 600 }, 2, 1, 0]);
    assert.deepEqual([instagram.costPerLead, instagram.costPerQualified, instagram.costPerWon, instagram.ltvToCac], [{ MXN: 300 }, { MXN: 600 }, {}, {}]);
    // Spend in euros with no lead: a cost of nothing, and no LTV to compare.
    const messenger = channels.messenger!;
    assert.deepEqual([messenger.spend, messenger.leads, messenger.costPerLead, messenger.ltv, messenger.ltvToCac], [{ EUR: 50 }, 0, {}, {}, {}]);

    const rows = Object.fromEntries(result.rows.map((row) => [`${row.channel} ${row.month}`, row]));
    assert.deepEqual(
      [rows['whatsapp 2026-01']!.spend, rows['whatsapp 2026-01']!.leads, rows['whatsapp 2026-01']!.qualified, rows['whatsapp 2026-01']!.won, rows['whatsapp 2026-01']!.costPerLead, rows['whatsapp 2026-01']!.costPerQualified, rows['whatsapp 2026-01']!.costPerWon],
      [{ USD: 300 }, 3, 2, 1, { USD: 100 }, { USD: 150 }, { USD: 300 }],
    );
    assert.deepEqual([rows['whatsapp 2026-02']!.spend, rows['whatsapp 2026-02']!.leads, rows['whatsapp 2026-02']!.costPerWon], [{ MXN: 1000, USD: 100 }, 1, { MXN: 1000, USD: 100 }]);
    assert.deepEqual([rows['instagram 2026-02']!.spend, rows['instagram 2026-02']!.leads, rows['instagram 2026-02']!.costPerLead], [{}, 1, {}]);
    assert.deepEqual(result.spend.find((entry) => entry.campaign === 'Rebajas'), { channel: 'whatsapp', campaign: 'Rebajas', month: '2026-02', amount: 100, currency: 'USD' });
  });
});

describe('workload now', () => {
  test('per agent: open conversations, who waits and since when, available or away, live', async () => {
    const waitA = '2026-12-01T08:00:00.000Z';
    const waitB = '2026-12-01T09:00:00.000Z';
    const agent = t.globex.agent.agent.id;
    const adminId = t.globex.admin.agent.id;
    await person('w1', [{ channel: 'whatsapp', start: waitB, status: 'open', assignee: agent, lines: [{ from: 'contact', at: waitB }] }]);
    await person('w2', [{ channel: 'webchat', start: waitA, status: 'open', assignee: agent, lines: [{ from: 'contact', at: waitA }] }]);
    await person('w3', [{ channel: 'webchat', start: waitA, status: 'open', assignee: agent, lines: [{ from: 'contact', at: waitA }, { from: 'agent', at: waitB }] }]);
    await person('w4', [{ channel: 'email', start: waitA, status: 'open', assignee: adminId, lines: [{ from: 'contact', at: waitA }, { from: 'agent', at: waitB }] }]);
    await person('w5', [{ channel: 'whatsapp', start: waitB, status: 'open', assignee: null, lines: [{ from: 'contact', at: waitB }] }]);
    await person('w6', [{ channel: 'whatsapp', start: waitA, status: 'resolved', assignee: adminId, lines: [{ from: 'contact', at: waitA }] }]);

    const socket = await connectAgent(t.url, t.globex.agent.token);
    try {
      const result = await request<WorkloadResult>(socket, 'metrics.get', { name: 'workload' });
      assert.deepEqual(result.agents.map((row) => [row.name, row.presence, row.open, row.waiting, row.longestWaitSince, row.waitingIds]), [
        ['Globex Agent', 'online', 3, 2, waitA, [conversations['w2-0'], conversations['w1-0']]],
        [null, null, 1, 1, waitB, [conversations['w5-0']]],
        ['Globex Admin', 'offline', 1, 0, null, []],
        ['Globex Viewer', 'offline', 0, 0, null, []],
      ]);
      const top = result.agents[0]!;
      assert.ok(top.longestWaitSeconds! >= (Date.parse(result.at) - Date.parse(waitA)) / 1000 - 1, 'the longest wait runs from its start to now');
      assert.deepEqual(result.conversations.find((row) => row.id === conversations['w2-0']), {
        id: conversations['w2-0'], contactId: contacts.w2, contactName: 'w2', channel: 'webchat', assigneeId: agent, waitingSince: waitA,
      });
      await request(socket, 'presence.set', { status: 'away' });
      const rest = await metric<WorkloadResult>('workload', '', t.globex.viewer.token);
      assert.equal(rest.agents.find((row) => row.agentId === agent)?.presence, 'away');
    } finally {
      socket.disconnect();
    }
  });
});

describe('the sales metrics everywhere', () => {
  test('another workspace sees none of it; bad queries are refused', async () => {
    const acme = await metric<LtvByChannelResult>('ltv-by-channel', COHORT, t.acme.admin.token);
    assert.deepEqual([acme.overall.contacts, acme.channels], [0, []]);
    const foreign = await api(t.url, `/api/v1/metrics/pipeline-hygiene?pipelineId=${mayoreo.id}`, { token: t.acme.admin.token });
    assert.equal(foreign.status, 404);
    const grouped = await api(t.url, `/api/v1/metrics/ltv-by-channel?${COHORT}&groupBy=agent`, { token: admin() });
    assert.equal(grouped.status, 400);
    const socket = await connectAgent(t.url, t.globex.viewer.token);
    try {
      const refused = await emitAck(socket, 'metrics.get', { name: 'acquisition-cost', hours: 'business' });
      assert.equal(refused.ok, false);
    } finally {
      socket.disconnect();
    }
  });

  test('every view exports as CSV for agents and admins, not viewers', async () => {
    const csv = await api<string>(t.url, `/api/v1/metrics/acquisition-cost/csv?${COHORT}`, { token: t.globex.agent.token });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
    const lines = csv.body.trim().split('\n');
    assert.equal(lines[0], 'channel,month,spend,leads,qualified,won,cost per lead,cost per qualified lead,cost per won customer,mean LTV,LTV : CAC');
    assert.ok(lines.includes('whatsapp,all,1000.00 MXN; 400.00 USD,4,3,2,250.00 MXN; 100.00 USD,333.33 MXN; 133.33 USD,500.00 MXN; 200.00 USD,833.33 MXN; 40.00 USD,1.67 (MXN); 0.2 (USD)'), lines.join('\n'));
    const hygiene = await api<string>(t.url, `/api/v1/metrics/pipeline-hygiene/csv?to=${new Date(AT).toISOString()}&pipelineId=${mayoreo.id}`, { token: admin() });
    assert.deepEqual(hygiene.body.trim().split('\n'), [
      'owner,open deals,up to date,stale,share up to date', 'all,5,3,2,60%', 'Globex Admin,2,1,1,50%', 'Globex Agent,3,2,1,66.7%',
    ]);
    const viewer = await api(t.url, `/api/v1/metrics/acquisition-cost/csv?${COHORT}`, { token: t.globex.viewer.token });
    assert.equal(viewer.status, 403);
    const service = await api<string>(t.url, `/api/v1/metrics/first-response-time,volume/csv?${COHORT}&groupBy=channel`, { token: admin() });
    assert.equal(service.status, 200);
    const sections = service.body.split('\n\n').map((section) => section.split('\n').slice(0, 2));
    assert.deepEqual(sections, [['First response time', 'group,count,median (seconds),p90 (seconds),mean (seconds)'], ['Conversations', 'group,conversations']]);
    const tooMany = await api(t.url, '/api/v1/metrics/volume,volume,volume,volume,volume/csv', { token: admin() });
    assert.equal(tooMany.status, 400);
    const badQuery = await api(t.url, `/api/v1/metrics/volume/csv?groupBy=planet`, { token: admin() });
    assert.equal(badQuery.status, 400);
  });
});

describe('the PDF report', () => {
  /** The text of every page, as a reader selecting it would get it. */
  async function pdfText(bytes: ArrayBuffer): Promise<string> {
    const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const standardFontDataUrl = fileURLToPath(new URL('../../node_modules/pdfjs-dist/standard_fonts/', import.meta.url));
    const pdf = await getDocument({ data: new Uint8Array(bytes), standardFontDataUrl, isEvalSupported: false }).promise;
    const pages: string[] = [];
    for (let n = 1; n <= pdf.numPages; n += 1) {
      const content = await (await pdf.getPage(n)).getTextContent();
      pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
    }
    // A cell's text wraps onto several lines of the PDF: read it back as one line.
    return pages.join(' ').replace(/\s+/g, ' ');
  }

  test('holds every view for the range with the numbers the metrics answer', async () => {
    const response = await fetch(`${t.url}/api/v1/reports/metrics.pdf?${COHORT}`, { headers: { authorization: `Bearer ${t.globex.agent.token}` } });
    assert.equal(response.status, 200, await response.clone().text());
    assert.equal(response.headers.get('content-type'), 'application/pdf');
    const text = await pdfText(await response.arrayBuffer());
    for (const title of ['Globex — sales report', '2026-01-01 to 2026-03-01', 'Funnel by stage', 'Ranking by salesperson', 'Workload', 'Follow-up hygiene', 'Lifetime value by first channel', 'Acquisition cost']) {
      assert.ok(text.includes(title), `the report has "${title}"`);
    }
    const acquisition = await metric<AcquisitionCostResult>('acquisition-cost', COHORT);
    const whatsapp = acquisition.channels.find((row) => row.channel === 'whatsapp')!;
    // The same figures as the API (and the CSV): spend, costs and LTV per currency, never summed.
    assert.deepEqual(whatsapp.costPerWon, { MXN: 500, USD: 200 });
    for (const figure of ['1000.00 MXN; 400.00 USD', '250.00 MXN; 100.00 USD', '333.33 MXN; 133.33 USD', '500.00 MXN; 200.00 USD', '1.67 (MXN); 0.2 (USD)']) {
      assert.ok(text.includes(figure), `the report has the acquisition figure ${figure}`);
    }
    const ltv = await metric<LtvByChannelResult>('ltv-by-channel', COHORT);
    assert.deepEqual(ltv.overall.ltv.MXN, { customers: 4, total: 2700, median: 500, mean: 675 });
    for (const figure of ['2700.00 MXN; 50.00 USD', '500.00 MXN; 25.00 USD', '833.33 MXN; 40.00 USD']) {
      assert.ok(text.includes(figure), `the report has the LTV figure ${figure}`);
    }
  });

  test('is for agents and admins, of their own workspace, for a valid range', async () => {
    const viewer = await api(t.url, `/api/v1/reports/metrics.pdf?${COHORT}`, { token: t.globex.viewer.token });
    assert.equal(viewer.status, 403);
    const bad = await api(t.url, '/api/v1/reports/metrics.pdf?from=yesterday', { token: admin() });
    assert.equal(bad.status, 400);
    const foreign = await api(t.url, `/api/v1/reports/metrics.pdf?pipelineId=${mayoreo.id}`, { token: t.acme.admin.token });
    assert.equal(foreign.status, 404);
  });
});
