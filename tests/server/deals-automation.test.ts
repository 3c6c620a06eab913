import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Deal, DealDetail, Pipeline, Task, TimelinePage } from '@charla/protocol';
import type { Socket } from 'socket.io-client';
import { RULES, UNDONE_REASON, sweepSilentDeals } from '../../server/src/services/automation.js';
import {
  api, clientId, connectAgent, request, startServer, visitorWrites, type TestServer,
} from './helpers.js';

let t: TestServer;
let agent: Socket;
let token: string;
let pipeline: Pipeline;

const stage = (name: string) => pipeline.stages.find((s) => s.name === name)!.id;

before(async () => {
  t = await startServer();
  token = t.acme.agent.token;
  agent = await connectAgent(t.url, token);
  pipeline = (await api<Pipeline>(t.url, '/api/v1/pipelines', {
    token: t.acme.admin.token,
    method: 'POST',
    body: { name: 'B2B', stages: [{ name: 'Lead' }, { name: 'Qualified' }, { name: 'Proposal sent' }, { name: 'Negotiation' }] },
  })).body;
  const saved = await api(t.url, `/api/v1/pipelines/${pipeline.id}/automation`, {
    token: t.acme.admin.token,
    method: 'PUT',
    body: {
      qualifyLabel: 'qualified', quoteTriggers: ['cotización'], proposalStageId: stage('Proposal sent'),
      negotiationStageId: stage('Negotiation'), followUpHours: 48, reactivateAfterDays: 7, currency: 'MXN',
    },
  });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
});
after(() => t.close());

async function dealOf(conversationId: string): Promise<Deal | undefined> {
  const page = await request<{ deals: Deal[] }>(agent, 'deals.list', { pipelineId: pipeline.id });
  return page.deals.find((deal) => deal.conversationId === conversationId);
}

describe('pipeline automation from a real conversation', () => {
  test('qualify → deal, quote → Proposal sent + follow-up task, customer reply → Negotiation; each says its rule and can be undone', async () => {
    const { visitor, conversationId, contactId } = await visitorWrites(t, t.acme, 'Hola, necesito 20 tazas para mi cafetería');

    await request(agent, 'conversation.update', { conversationId, labels: ['qualified'] });
    const deal = await waitFor(() => dealOf(conversationId));
    assert.equal(deal.stageId, stage('Lead'));
    assert.equal(deal.contactId, contactId);
    assert.equal(deal.currency, 'MXN');
    const history = async () => (await request<DealDetail>(agent, 'deal.get', { dealId: deal.id })).history;
    assert.equal((await history())[0]!.rule, RULES.qualify);

    // A plain reply changes nothing; a quote moves the deal.
    await request(agent, 'message.send', { conversationId, clientId: clientId(), body: '¡Claro! ¿De qué color las quieres?' });
    await request(agent, 'message.send', { conversationId, clientId: clientId(), body: 'Te comparto la cotización: 20 tazas, $5,202 MXN' });
    const proposal = await waitFor(async () => {
      const visits = await history();
      return visits.at(-1)!.stageId === stage('Proposal sent') ? visits : undefined;
    });
    assert.deepEqual(proposal.map((visit) => visit.stageId), [stage('Lead'), stage('Proposal sent')], 'the plain reply moved nothing');
    assert.equal(proposal.at(-1)!.rule, RULES.quote);
    const followUp = await waitFor(async () => {
      const tasks = await request<Task[]>(agent, 'tasks.list', { view: 'open', dealId: deal.id });
      return tasks.find((task) => task.rule === RULES.followUp);
    });
    assert.equal(followUp.title, 'Follow up in 48 h');
    const dueIn = Date.parse(followUp.dueAt!) - Date.now();
    assert.ok(dueIn > 47 * 3_600_000 && dueIn <= 48 * 3_600_000, `due in 48 h, not ${dueIn} ms`);

    // The customer answers the proposal.
    await request(visitor, 'message.send', { clientId: clientId(), body: '¿Me lo dejas en $4,900?' });
    const negotiation = await waitFor(async () => {
      const visits = await history();
      return visits.at(-1)!.stageId === stage('Negotiation') ? visits : undefined;
    });
    assert.equal(negotiation.at(-1)!.rule, RULES.reply);

    // The timeline says which rule did what.
    const feed = await api<TimelinePage>(t.url, `/api/v1/contacts/${contactId}/timeline`, { token });
    const rules = feed.body.items.filter((item) => item.rule).map((item) => `${item.kind}: ${item.rule}`);
    assert.deepEqual(rules, [`stage: ${RULES.reply}`, `task: ${RULES.followUp}`, `stage: ${RULES.quote}`, `deal: ${RULES.qualify}`]);

    // An agent undoes the last automatic move.
    const undone = await api<Deal>(t.url, `/api/v1/deals/${deal.id}/undo`, { token, method: 'POST', body: {} });
    assert.equal(undone.status, 200);
    assert.equal(undone.body.stageId, stage('Proposal sent'));
    const last = (await history()).at(-1)!;
    assert.deepEqual([last.rule, last.actorId], [null, t.acme.agent.agent.id]);
    const again = await request<Deal>(agent, 'deal.undo', { dealId: deal.id });
    assert.equal(again.stageId, stage('Proposal sent'), 'undoing an agent\'s move changes nothing');
    const visitsAfterUndo = (await history()).length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal((await history()).length, visitsAfterUndo, 'the undo does not re-trigger a rule');

    // Seven silent days later, a reactivation task — once.
    const inEightDays = Date.now() + 8 * 86_400_000;
    assert.equal(await sweepSilentDeals(t.server.store, inEightDays), 1);
    assert.equal(await sweepSilentDeals(t.server.store, inEightDays), 0);
    const tasks = await request<Task[]>(agent, 'tasks.list', { view: 'all', dealId: deal.id });
    assert.ok(tasks.some((task) => task.title === 'Reactivate conversation' && task.rule === RULES.reactivate), "tasks.some((task) => task.title === 'Reactivate conversation' && task.rule === RULES.reactivate)");
  });

  test('a labelled conversation gets one deal, however often it changes', async () => {
    const { conversationId } = await visitorWrites(t, t.acme, 'Otra consulta');
    await request(agent, 'conversation.update', { conversationId, labels: ['qualified'] });
    await waitFor(() => dealOf(conversationId));
    await request(agent, 'conversation.update', { conversationId, priority: 'high' });
    await request(agent, 'conversation.update', { conversationId, labels: ['qualified', 'vip'] });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const page = await request<{ deals: Deal[] }>(agent, 'deals.list', { pipelineId: pipeline.id });
    const deals = page.deals.filter((deal) => deal.conversationId === conversationId);
    assert.equal(deals.length, 1);

    // The agent did not want it: undoing the rule's creation closes it as lost, history kept.
    const undone = await request<Deal>(agent, 'deal.undo', { dealId: deals[0]!.id });
    assert.equal(undone.status, 'lost');
    assert.equal(undone.lostReason, UNDONE_REASON);
  });

  test('only admins configure rules, and only with the pipeline\'s own stages', async () => {
    const byAgent = await api(t.url, `/api/v1/pipelines/${pipeline.id}/automation`, { token, method: 'PUT', body: {} });
    assert.equal(byAgent.status, 403);
    const other = (await api<Pipeline>(t.url, '/api/v1/pipelines', {
      token: t.acme.admin.token, method: 'POST', body: { name: 'Shop', stages: [{ name: 'Cart' }] },
    })).body;
    const foreign = await api(t.url, `/api/v1/pipelines/${other.id}/automation`, {
      token: t.acme.admin.token, method: 'PUT', body: { proposalStageId: stage('Proposal sent') },
    });
    assert.equal(foreign.status, 400);
    assert.match(foreign.body.error.message, /proposalStageId: The pipeline "Shop" has no open stage with this id/);
    const read = await api(t.url, `/api/v1/pipelines/${pipeline.id}/automation`, { token });
    assert.equal(read.body.qualifyLabel, 'qualified');
  });
});

describe('what the rules do, as the customer and the team see it', () => {
  test('#quote marks the reply as a quote without reaching the customer; in a Mexican workspace the follow-up task is in Spanish, on the assignee\'s agenda', async () => {
    const admin = t.acme.admin.token;
    const mexican = await api(t.url, '/api/v1/workspace', { token: admin, method: 'PATCH', body: { defaultCountry: 'MX' } });
    assert.equal(mexican.status, 200, JSON.stringify(mexican.body));
    try {
      const { visitor, conversationId } = await visitorWrites(t, t.acme, 'Hola, ¿precio de 10 sillas?');
      await request(agent, 'conversation.update', { conversationId, labels: ['qualified'] });
      const deal = await waitFor(() => dealOf(conversationId));
      assert.equal(deal.ownerId, null, 'the rule opened the deal without an owner');
      await request(agent, 'conversation.update', { conversationId, assigneeId: t.acme.agent.agent.id });

      await request(agent, 'message.send', { conversationId, clientId: clientId(), body: 'Son $8,000 MXN por las 10 #quote' });
      const seen = await request<{ messages: Array<{ body: string }> }>(visitor, 'messages.list', {});
      assert.equal(seen.messages.at(-1)!.body, 'Son $8,000 MXN por las 10', 'the customer never sees the tag');
      const followUp = await waitFor(async () => {
        const tasks = await request<Task[]>(agent, 'tasks.list', { view: 'open', dealId: deal.id });
        return tasks.find((task) => task.rule === RULES.followUp);
      });
      assert.equal(followUp.title, 'Dar seguimiento en 48 h');
      assert.equal(followUp.ownerId, t.acme.agent.agent.id, 'the conversation\'s assignee owns it');

      const alone = await api(t.url, `/api/v1/conversations/${conversationId}/messages`, {
        token, method: 'POST', body: { clientId: clientId(), body: '#quote' },
      });
      assert.equal(alone.status, 400);
      assert.match(alone.body.error.message, /Write the quote beside #quote/);
    } finally {
      await api(t.url, '/api/v1/workspace', { token: admin, method: 'PATCH', body: { defaultCountry: 'US' } });
    }
  });
});

async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 4000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('Timed out waiting for the automation');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
