/**
 * Every metric over a large history: a real server with a fresh database holding 100,000 deals
 * (about 230,000 stage stays) in one pipeline and about 1,000,000 messages in 100,000
 * conversations, both spread over 120 days across channels and eight agents. Each of the fifteen
 * metrics is asked over the last 30 days through `GET /api/v1/metrics/:name`, ungrouped and (all but
 * the sales metrics, which have their own groups) grouped by agent. Prints each answer's
 * milliseconds and size and the longest the server's thread (this process's) was held meanwhile,
 * then the slowest one's milliseconds.
 * `CHARLA_BENCH_SCALE=0.1` seeds a tenth of it (a quick look, not the figure).
 */
import assert from 'node:assert/strict';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { METRIC_NAMES, SALES_METRICS } from '@charla/protocol';
import { createWorkspace } from '../../server/src/services/workspaces.js';
import { api, startServer } from '../server/helpers.js';
import { seedConversations, seedDeals } from './support/metrics-data.js';

const SCALE = Number(process.env.CHARLA_BENCH_SCALE ?? 1);
const DEALS = Math.round(100_000 * SCALE);
const CONVERSATIONS = Math.round(100_000 * SCALE);
const DAYS = 120;
const DAY = 86_400_000;
const NOW = Date.parse('2026-05-01T00:00:00Z');
const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);
const load = () => loadavg().map((value) => value.toFixed(2)).join(' ');

const test = await startServer();
try {
  const { agents } = await createWorkspace(test.server.store, {
    name: 'Métricas',
    widgetKey: 'bench-metrics',
    agents: ['Ana', 'Bruno', 'Carla', 'Diego', 'Elena', 'Fábio', 'Gabriela', 'Hugo'].map((name, i) => ({
      name, email: `${name.toLowerCase()}@metricas.test`, role: i === 0 ? 'admin' : 'agent',
    })),
  });
  const workspaceId = agents[0]!.agent.workspaceId;
  const token = agents[0]!.token;
  console.log(`load average before seeding: ${load()}`);

  const dealsStarted = performance.now();
  const deals = await seedDeals(test.server.store, { workspaceId, owners: agents.map((a) => a.agent.id), count: DEALS, now: NOW, days: DAYS });
  console.log(`seeded ${deals.deals} deals and ${deals.stays} stage stays in ${seconds(dealsStarted)} s`);
  const conversationsStarted = performance.now();
  const history = await seedConversations(test.server.store, { workspaceId, agents: agents.map((a) => a.agent), count: CONVERSATIONS, now: NOW, days: DAYS });
  console.log(`seeded ${history.conversations} conversations (${history.contacts} contacts) and ${history.messages} messages in ${seconds(conversationsStarted)} s`);
  console.log(`load average before measuring: ${load()}`);

  const range = `from=${new Date(NOW - 30 * DAY).toISOString()}&to=${new Date(NOW).toISOString()}`;
  let slowest = { label: '', ms: 0 };
  // How long the server's thread (this process's) was held at a stretch while a metric was
  // computed: what a webhook or an agent's socket waited behind it.
  let longestHold = { label: '', ms: 0 };
  for (const name of METRIC_NAMES) {
    // The sales metrics have their own groups (channels, owners, agents) and take no groupBy.
    for (const groupBy of (SALES_METRICS as readonly string[]).includes(name) ? ['none'] : ['none', 'agent']) {
      const hold = monitorEventLoopDelay({ resolution: 5 });
      hold.enable();
      const started = performance.now();
      const response = await api(test.url, `/api/v1/metrics/${name}?${range}${groupBy === 'none' ? '' : `&groupBy=${groupBy}`}`, { token });
      const ms = performance.now() - started;
      hold.disable();
      const held = hold.max / 1e6;
      assert.equal(response.status, 200, JSON.stringify(response.body).slice(0, 200));
      const label = groupBy === 'none' ? name : `${name} (groupBy=${groupBy})`;
      if (ms > slowest.ms) slowest = { label, ms };
      if (held > longestHold.ms) longestHold = { label, ms: held };
      console.log(`${label}: ${ms.toFixed(0)} ms (${JSON.stringify(response.body).length} bytes), server thread held up to ${held.toFixed(0)} ms`);
    }
  }
  console.log(`load average after measuring: ${load()}; slowest: ${slowest.label}; longest hold of the server's thread: ${longestHold.ms.toFixed(0)} ms (${longestHold.label})`);
  console.log(`metrics: ${slowest.ms.toFixed(0)} ms`);
} finally {
  await test.close();
}
