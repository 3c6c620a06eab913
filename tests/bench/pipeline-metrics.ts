/**
 * The pipeline metrics over 100,000 deals (about 350,000 stage stays) in one pipeline of a real
 * server with a fresh database, spread over 120 days: each of the seven metrics over the last 30
 * days through `GET /api/v1/metrics/:name`. Prints the slowest metric's milliseconds.
 */
import assert from 'node:assert/strict';
import type { Deal } from '@charla/protocol';
import { newId } from '../../server/src/ids.js';
import { insertPipeline } from '../../server/src/services/deals.js';
import { api, startServer } from '../server/helpers.js';

const DEALS = 100_000;
const DAY = 86_400_000;
const NOW = Date.parse('2026-05-01T00:00:00Z');
const METRICS = ['stage-conversion', 'deal-velocity', 'lead-to-close', 'win-rate', 'pipeline', 'forecast', 'agent-ranking'];

const test = await startServer();
try {
  const ws = test.globex;
  const owners = [ws.admin.agent.id, ws.agent.agent.id];
  const pipeline = await test.server.store.transaction((scope) =>
    insertPipeline(scope, ws.workspace.id, { name: 'Ventas', stages: [{ name: 'Lead' }, { name: 'Propuesta' }, { name: 'Negociación' }] }, new Date(NOW - 200 * DAY).toISOString()));
  const open = pipeline.stages.filter((stage) => stage.kind === 'open');
  const won = pipeline.stages.find((stage) => stage.kind === 'won')!;
  const lost = pipeline.stages.find((stage) => stage.kind === 'lost')!;
  const seedStarted = performance.now();
  let stays = 0;
  for (let batch = 0; batch < DEALS; batch += 5000) {
    await test.server.store.transaction(async (scope) => {
      for (let i = batch; i < batch + 5000; i += 1) {
        const created = NOW - ((i * 7919) % (120 * DAY / 60_000)) * 60_000;
        // Deals walk 1–3 open stages, a third are then won and a sixth lost.
        const steps = open.slice(0, 1 + (i % 3));
        const end = i % 6 === 0 ? lost : i % 3 === 0 ? won : null;
        const path = end ? [...steps, end] : steps;
        const at = (step: number) => new Date(Math.min(NOW - 60_000, created + step * 3 * DAY + (i % 17) * 3_600_000)).toISOString();
        const record: Deal = {
          id: newId('dl'), workspaceId: ws.workspace.id, pipelineId: pipeline.id, stageId: path[0]!.id, status: 'open', title: `Oportunidad ${i}`,
          amount: 1000 + (i % 500) * 10, currency: i % 10 === 0 ? 'USD' : 'MXN', probability: 20 + (i % 5) * 15,
          expectedCloseDate: new Date(NOW - 10 * DAY + (i % 40) * DAY).toISOString().slice(0, 10), ownerId: owners[i % 2]!, contactId: null,
          companyId: null, conversationId: null, lostReason: null, stageEnteredAt: at(0), closedAt: null, createdAt: at(0), updatedAt: at(0),
        };
        await scope.deals.insertDeal(record);
        for (const [step, stage] of path.entries()) await scope.deals.recordStageVisit(record, newId('sv'), { stageId: stage.id, enteredAt: at(step), actorId: null, rule: null });
        stays += path.length;
        const last = path.at(-1)!;
        const closed = last.kind !== 'open';
        await scope.deals.saveDeal({ ...record, stageId: last.id, status: closed ? (last.kind as 'won' | 'lost') : 'open', stageEnteredAt: at(path.length - 1), closedAt: closed ? at(path.length - 1) : null });
      }
    });
  }
  console.log(`seeded ${DEALS} deals and ${stays} stage stays in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);

  const range = `from=${new Date(NOW - 30 * DAY).toISOString()}&to=${new Date(NOW).toISOString()}`;
  let slowest = 0;
  for (const name of METRICS) {
    const started = performance.now();
    const response = await api(test.url, `/api/v1/metrics/${name}?${range}&groupBy=none`, { token: ws.admin.token });
    const ms = performance.now() - started;
    assert.equal(response.status, 200, JSON.stringify(response.body).slice(0, 200));
    slowest = Math.max(slowest, ms);
    console.log(`${name}: ${ms.toFixed(0)} ms (${JSON.stringify(response.body).length} bytes)`);
  }
  console.log(`pipeline-metrics: ${slowest.toFixed(0)} ms`);
} finally {
  await test.close();
}
