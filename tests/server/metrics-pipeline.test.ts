import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type {
  AgentRankingResult, Deal, DealVelocityResult, ForecastResult, LeadToCloseResult, Pipeline, PipelineSnapshotResult, StageConversionResult,
  WinRateResult,
} from '@charla/protocol';
import { newId } from '../../server/src/ids.js';
import { insertPipeline } from '../../server/src/services/deals.js';
import { afterMessage, newContact, newConversation, newMessage } from '../../server/src/services/entities.js';
import { api, connectAgent, emitAck, request, startServer, type TestServer } from './helpers.js';

let t: TestServer;
let pipeline: Pipeline;
const ids: Record<string, string> = {};
const at = (day: string) => `${day}T09:00:00.000Z`;
const RANGE = 'from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z';

interface Story {
  title: string;
  owner: 'admin' | 'agent';
  amount: number;
  currency: string;
  probability: number;
  expectedCloseDate: string | null;
  /** [stage name, day it entered it]; the last one is where it is now. */
  path: Array<[string, string]>;
}

/** A deal with the stage history the board would have written, at exact days. */
async function deal(key: string, story: Story): Promise<void> {
  const ws = t.globex;
  const stageOf = (name: string) => pipeline.stages.find((stage) => stage.name === name)!;
  const [first] = story.path[0]!;
  const createdAt = at(story.path[0]![1]);
  const [lastName, lastDay] = story.path.at(-1)!;
  const last = stageOf(lastName);
  const closed = last.kind !== 'open';
  const record: Deal = {
    id: newId('dl'), workspaceId: ws.workspace.id, pipelineId: pipeline.id, stageId: stageOf(first).id, status: 'open', title: story.title,
    amount: story.amount, currency: story.currency, probability: story.probability, expectedCloseDate: story.expectedCloseDate,
    ownerId: ws[story.owner].agent.id, contactId: null, companyId: null, conversationId: null, lostReason: null,
    stageEnteredAt: createdAt, closedAt: null, createdAt, updatedAt: createdAt,
  };
  ids[key] = record.id;
  await t.server.store.transaction(async (scope) => {
    await scope.deals.insertDeal(record);
    for (const [name, day] of story.path) await scope.deals.recordStageVisit(record, newId('sv'), { stageId: stageOf(name).id, enteredAt: at(day), actorId: null, rule: null });
    await scope.deals.saveDeal({
      ...record, stageId: last.id, status: closed ? (last.kind as 'won' | 'lost') : 'open', stageEnteredAt: at(lastDay),
      closedAt: closed ? at(lastDay) : null, updatedAt: at(lastDay),
    });
  });
}

/** A conversation the agent first answered after four minutes. */
async function answeredConversation(): Promise<void> {
  const ws = t.globex;
  const contact = newContact({ workspaceId: ws.workspace.id, name: 'Cliente', identities: [{ channel: 'webchat', handle: 'frt-1' }], createdAt: '2026-01-07T10:00:00.000Z' });
  let conversation = newConversation({ workspaceId: contact.workspaceId, contactId: contact.id, channel: 'webchat', status: 'open', createdAt: '2026-01-07T10:00:00.000Z' });
  await t.server.store.transaction(async (scope) => {
    await scope.contacts.insert(contact);
    await scope.conversations.insert(conversation);
    for (const [time, agent] of [['10:00:00', null], ['10:04:00', ws.agent.agent]] as const) {
      const message = newMessage({
        workspaceId: contact.workspaceId, conversationId: conversation.id, direction: agent ? 'out' : 'in', senderKind: agent ? 'agent' : 'contact',
        senderId: agent?.id ?? null, senderName: agent?.name ?? null, body: time, private: false, createdAt: `2026-01-07T${time}.000Z`,
      });
      await scope.messages.insert(message);
      conversation = afterMessage(conversation, message);
    }
    await scope.conversations.save(conversation);
  });
}

const metric = async <T>(name: string, query = '') =>
  (await api<T>(t.url, `/api/v1/metrics/${name}?${RANGE}${query}`, { token: t.globex.admin.token })).body;
const sorted = (list: string[]) => [...list].sort();

before(async () => {
  t = await startServer();
  pipeline = await t.server.store.transaction((scope) =>
    insertPipeline(scope, t.globex.workspace.id, {
      name: 'Ventas', stages: [{ name: 'Lead', probability: 20 }, { name: 'Propuesta', probability: 50 }, { name: 'Negociación', probability: 80 }],
      wonStageName: 'Ganado', lostStageName: 'Perdido',
    }, '2025-12-01T00:00:00.000Z'));
  await deal('alfa', { title: 'Alfa', owner: 'admin', amount: 1000, currency: 'MXN', probability: 100, expectedCloseDate: null,
    path: [['Lead', '2026-01-01'], ['Propuesta', '2026-01-03'], ['Negociación', '2026-01-08'], ['Ganado', '2026-01-10']] });
  await deal('beta', { title: 'Beta', owner: 'agent', amount: 500, currency: 'MXN', probability: 0, expectedCloseDate: null,
    path: [['Lead', '2026-01-02'], ['Propuesta', '2026-01-06'], ['Perdido', '2026-01-12']] });
  await deal('gamma', { title: 'Gamma', owner: 'agent', amount: 2000.1, currency: 'MXN', probability: 50, expectedCloseDate: '2026-01-28',
    path: [['Lead', '2026-01-05'], ['Propuesta', '2026-01-15']] });
  await deal('delta', { title: 'Delta', owner: 'admin', amount: 300, currency: 'USD', probability: 20, expectedCloseDate: '2026-02-10',
    path: [['Lead', '2026-01-20']] });
  await deal('epsilon', { title: 'Epsilon', owner: 'agent', amount: 800, currency: 'MXN', probability: 100, expectedCloseDate: null,
    path: [['Lead', '2025-12-10'], ['Propuesta', '2025-12-20'], ['Ganado', '2026-01-04']] });
  await answeredConversation();
});
after(() => t.close());

describe('pipeline metrics on a seeded January with known answers', () => {
  test('stage conversion: who entered each stage in the range, moved on and was won', async () => {
    const result = await metric<StageConversionResult>('stage-conversion');
    assert.equal(result.pipelineId, pipeline.id);
    const rows = Object.fromEntries(result.stages.map((row) => [row.name, row]));
    // Lead: Alfa, Beta, Gamma and Delta entered; all but Delta reached Propuesta; Alfa was won.
    assert.deepEqual([rows.Lead!.entered, rows.Lead!.movedOn, rows.Lead!.won, rows.Lead!.conversion, rows.Lead!.winRate], [4, 3, 1, 0.75, 0.25]);
    assert.deepEqual(sorted(rows.Lead!.movedOnIds), sorted([ids.alfa!, ids.beta!, ids.gamma!]));
    // Propuesta: Epsilon entered in December, so not counted; Beta went on to Perdido, which is not moving on.
    assert.deepEqual([rows.Propuesta!.entered, rows.Propuesta!.movedOn, rows.Propuesta!.conversion], [3, 1, 0.3333]);
    assert.deepEqual(rows.Propuesta!.movedOnIds, [ids.alfa]);
    assert.deepEqual([rows['Negociación']!.entered, rows['Negociación']!.movedOn], [1, 1]);
    assert.deepEqual(sorted(rows.Ganado!.dealIds), sorted([ids.alfa!, ids.epsilon!]));
    assert.deepEqual(rows.Perdido!.dealIds, [ids.beta]);
    assert.equal(result.deals.find((d) => d.id === ids.gamma)?.title, 'Gamma');
  });

  test('deal velocity: days of the stays that ended in the range, per stage', async () => {
    const result = await metric<DealVelocityResult>('deal-velocity');
    const rows = Object.fromEntries(result.stages.map((row) => [row.name, row]));
    // Lead: 2, 4 and 10 days. Propuesta: 5, 6 and Epsilon's 15 (from December 20). Negociación: 2.
    assert.deepEqual([rows.Lead!.count, rows.Lead!.meanDays, rows.Lead!.medianDays], [3, 5.3, 4]);
    assert.deepEqual([rows.Propuesta!.count, rows.Propuesta!.meanDays, rows.Propuesta!.medianDays], [3, 8.7, 6]);
    assert.deepEqual(sorted(rows.Propuesta!.dealIds), sorted([ids.alfa!, ids.beta!, ids.epsilon!]));
    assert.deepEqual([rows['Negociación']!.count, rows['Negociación']!.meanDays], [1, 2]);
    assert.equal(result.totalDays, 16);
    assert.equal(result.stages.some((row) => row.name === 'Ganado'), false);
  });

  test('lead to close: days from creation to won, per owner', async () => {
    const result = await metric<LeadToCloseResult>('lead-to-close', '&groupBy=agent');
    // Alfa: 9 days; Epsilon: 25 days.
    assert.deepEqual(result.overall, { key: 'all', count: 2, median: 9, p90: 25, mean: 17, dealIds: [ids.alfa, ids.epsilon] });
    assert.deepEqual(
      result.groups.map((g) => [g.key, g.mean]).sort(),
      [[t.globex.admin.agent.id, 9], [t.globex.agent.agent.id, 25]].sort(),
    );
  });

  test('win rate: won over closed in the range', async () => {
    const result = await metric<WinRateResult>('win-rate', '&groupBy=agent');
    assert.deepEqual([result.overall.won, result.overall.lost, result.overall.rate], [2, 1, 0.6667]);
    assert.deepEqual(result.overall.lostIds, [ids.beta]);
    const agent = result.groups.find((g) => g.key === t.globex.agent.agent.id)!;
    assert.deepEqual([agent.won, agent.lost, agent.rate], [1, 1, 0.5]);
  });

  test('open pipeline by stage: count, amount per currency and average age at the end of the range', async () => {
    const result = await metric<PipelineSnapshotResult>('pipeline');
    const rows = Object.fromEntries(result.stages.map((row) => [row.name, row]));
    // Delta: January 20 09:00 to February 1 00:00 = 11.625 days; Gamma: from January 5 = 26.625 days.
    assert.deepEqual([rows.Lead!.count, rows.Lead!.amount, rows.Lead!.averageAgeDays, rows.Lead!.dealIds], [1, { USD: 300 }, 11.6, [ids.delta]]);
    assert.deepEqual([rows.Propuesta!.count, rows.Propuesta!.amount, rows.Propuesta!.averageAgeDays], [1, { MXN: 2000.1 }, 26.6]);
    assert.deepEqual([rows['Negociación']!.count, rows['Negociación']!.amount, rows['Negociación']!.averageAgeDays], [0, {}, null]);
    assert.deepEqual(result.total, { count: 2, amount: { MXN: 2000.1, USD: 300 } });
  });

  test('forecast: amount × probability of open deals expected this month, against the target', async () => {
    const result = await metric<ForecastResult>('forecast', '&target=5000');
    // Gamma closes on January 28 at 50 %: 2000.10 × 0.5; Delta expects February. Alfa and Epsilon were won.
    assert.equal(result.month, '2026-01');
    assert.deepEqual(result.weighted, { MXN: 1000.05 });
    assert.deepEqual(result.amount, { MXN: 2000.1 });
    assert.deepEqual(result.won, { MXN: 1800 });
    assert.deepEqual([result.currency, result.target, result.dealIds], ['MXN', 5000, [ids.gamma]]);
    assert.deepEqual(sorted(result.wonIds), sorted([ids.alfa!, ids.epsilon!]));
  });

  test('ranking by salesperson: open, won, conversion and first response time', async () => {
    const result = await metric<AgentRankingResult>('agent-ranking');
    assert.deepEqual(result.agents.map((row) => row.name), ['Globex Admin', 'Globex Agent', 'Globex Viewer']);
    const [admin, agent] = result.agents;
    assert.deepEqual([admin!.openDeals, admin!.openAmount, admin!.won, admin!.wonAmount, admin!.conversion, admin!.firstResponseMedian], [1, { USD: 300 }, 1, { MXN: 1000 }, 1, null]);
    assert.deepEqual([agent!.openDeals, agent!.won, agent!.wonAmount, agent!.lost, agent!.conversion, agent!.firstResponseMedian], [1, 1, { MXN: 800 }, 1, 0.5, 240]);
    assert.deepEqual(agent!.lostIds, [ids.beta]);
  });

  test('the same metrics on the agent socket, and the edges: other workspaces, pipelines and bad queries', async () => {
    const socket = await connectAgent(t.url, t.globex.agent.token);
    const viaSocket = await request<WinRateResult>(socket, 'metrics.get', { name: 'win-rate', from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' });
    assert.equal(viaSocket.overall.rate, 0.6667);
    const acme = (await api<WinRateResult>(t.url, `/api/v1/metrics/win-rate?${RANGE}`, { token: t.acme.admin.token })).body;
    assert.deepEqual([acme.pipelineId, acme.overall.won, acme.deals], [null, 0, []]);
    const foreign = await api(t.url, `/api/v1/metrics/win-rate?${RANGE}&pipelineId=${pipeline.id}`, { token: t.acme.admin.token });
    assert.equal(foreign.status, 404);
    const badGroup = await api(t.url, `/api/v1/metrics/win-rate?${RANGE}&groupBy=channel`, { token: t.globex.admin.token });
    assert.equal(badGroup.status, 400);
    const unknown = await api(t.url, '/api/v1/metrics/happiness', { token: t.globex.admin.token });
    assert.match(unknown.body.error.message, /agent-ranking/);
  });
});

describe('id lists stay short: at most idLimit ids each, newest change first, counts whole', () => {
  /** Every id the answer's lists hold. */
  const listed = (lists: string[][]) => new Set(lists.flat());

  test('a capped funnel lists the most recently changed deals and only their records', async () => {
    const result = await metric<StageConversionResult>('stage-conversion', '&idLimit=2');
    assert.equal(result.idLimit, 2);
    const lead = result.stages.find((row) => row.name === 'Lead')!;
    // Four deals entered Lead; Delta changed last (January 20), then Gamma (15), Beta (12), Alfa (10).
    assert.deepEqual([lead.entered, lead.movedOn, lead.won], [4, 3, 1]);
    assert.deepEqual(lead.dealIds, [ids.delta, ids.gamma]);
    assert.deepEqual(lead.movedOnIds, [ids.gamma, ids.beta]);
    assert.deepEqual(lead.wonIds, [ids.alfa]);
    const referenced = listed(result.stages.flatMap((row) => [row.dealIds, row.movedOnIds, row.wonIds]));
    assert.deepEqual(sorted(result.deals.map((d) => d.id)), sorted([...referenced]));
    assert.equal(referenced.has(ids.beta!) && referenced.has(ids.alfa!), true);
  });

  test('every metric keeps its counts when its lists are cut to one id', async () => {
    const winRate = await metric<WinRateResult>('win-rate', '&idLimit=1');
    assert.deepEqual([winRate.overall.won, winRate.overall.lost, winRate.overall.wonIds, winRate.overall.lostIds], [2, 1, [ids.alfa], [ids.beta]]);
    const leadToClose = await metric<LeadToCloseResult>('lead-to-close', '&idLimit=1');
    assert.deepEqual(leadToClose.overall, { key: 'all', count: 2, median: 9, p90: 25, mean: 17, dealIds: [ids.alfa] });
    assert.deepEqual(leadToClose.deals.map((d) => d.title), ['Alfa']);
    const forecast = await metric<ForecastResult>('forecast', '&idLimit=1');
    assert.deepEqual([forecast.dealCount, forecast.dealIds, forecast.wonCount, forecast.wonIds, forecast.won], [1, [ids.gamma], 2, [ids.alfa], { MXN: 1800 }]);
    const velocity = await metric<DealVelocityResult>('deal-velocity', '&idLimit=1');
    const propuesta = velocity.stages.find((row) => row.name === 'Propuesta')!;
    assert.deepEqual([propuesta.count, propuesta.dealCount, propuesta.dealIds, propuesta.meanDays], [3, 3, [ids.beta], 8.7]);
    const ranking = await metric<AgentRankingResult>('agent-ranking', '&idLimit=1');
    const agent = ranking.agents.find((row) => row.name === 'Globex Agent')!;
    assert.deepEqual([agent.openDeals, agent.won, agent.lost, agent.openIds, agent.wonIds, agent.lostIds], [1, 1, 1, [ids.gamma], [ids.epsilon], [ids.beta]]);
  });

  test('idLimit=0 answers the numbers with empty lists and no deal records', async () => {
    const funnel = await metric<StageConversionResult>('stage-conversion', '&idLimit=0');
    assert.deepEqual(funnel.stages.find((row) => row.name === 'Lead')!.entered, 4);
    assert.deepEqual(funnel.stages.flatMap((row) => [...row.dealIds, ...row.movedOnIds, ...row.wonIds]), []);
    assert.deepEqual(funnel.deals, []);
    const pipelineNow = await metric<PipelineSnapshotResult>('pipeline', '&idLimit=0');
    assert.deepEqual([pipelineNow.total.count, pipelineNow.stages.flatMap((row) => row.dealIds), pipelineNow.deals], [2, [], []]);
    const ranking = await metric<AgentRankingResult>('agent-ranking', '&idLimit=0');
    assert.deepEqual([ranking.agents.map((row) => row.won), ranking.deals], [[1, 1, 0], []]);
  });

  test('without idLimit an answer lists up to 100 ids', async () => {
    const result = await metric<WinRateResult>('win-rate');
    assert.equal(result.idLimit, 100);
    assert.deepEqual(result.overall.wonIds, [ids.alfa, ids.epsilon]);
  });

  test('an idLimit that is not a whole number from 0 to 10000 is refused, over REST and the socket', async () => {
    for (const bad of ['10001', '-1', '2.5', 'many', '']) {
      const response = await api(t.url, `/api/v1/metrics/win-rate?${RANGE}&idLimit=${bad}`, { token: t.globex.admin.token });
      assert.equal(response.status, 400, `idLimit=${bad}`);
      assert.equal(response.body.error.code, 'invalid_payload');
      assert.match(response.body.error.message, /idLimit must be a whole number from 0 to 10000/);
    }
    const socket = await connectAgent(t.url, t.globex.viewer.token);
    try {
      const capped = await request<StageConversionResult>(socket, 'metrics.get', { name: 'stage-conversion', from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z', idLimit: 1 });
      const lead = capped.stages.find((row) => row.name === 'Lead')!;
      assert.deepEqual([capped.idLimit, lead.entered, lead.dealIds], [1, 4, [ids.delta]]);
      const refused = await emitAck(socket, 'metrics.get', { name: 'win-rate', idLimit: 20000 });
      assert.equal(refused.ok, false);
      assert.match(!refused.ok ? refused.error.message : '', /idLimit must be a whole number from 0 to 10000/);
    } finally {
      socket.disconnect();
    }
  });
});
