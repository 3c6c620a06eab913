import type {
  Agent, AgentRankingRow, DaysGroup, MetricDeal, Money, Pipeline, PipelineMetric, PipelineMetricResult, WinRateGroup,
  pipelineMetricRequestSchema,
} from '@charla/protocol';
import type { z } from 'zod';
import { CharlaFailure } from '../failure.js';
import type { Store } from '../store/index.js';
import type { MetricDealRow, MetricVisitRow } from '../store/pipeline-metrics.js';
import { conversationMetric } from './conversations.js';

type PipelineMetricRequest = z.output<typeof pipelineMetricRequestSchema>;
type GroupBy = PipelineMetricRequest['groupBy'];

const DAY_MS = 86_400_000;
const days = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / DAY_MS;
const round1 = (value: number) => Math.round(value * 10) / 10;
const ratio = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);
const mean = (values: number[]) => (values.length === 0 ? null : round1(values.reduce((sum, v) => sum + v, 0) / values.length));

/** Sums integer cents per currency, then gives currency units (exact to the cent). */
function money(deals: Iterable<MetricDealRow>, weight: (deal: MetricDealRow) => number = () => 1): Money {
  const cents = new Map<string, number>();
  for (const deal of deals) cents.set(deal.currency, (cents.get(deal.currency) ?? 0) + Math.round(deal.amount_cents * weight(deal)));
  return Object.fromEntries([...cents.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, total]) => [currency, total / 100]));
}

/** The currency most of these deals are in (ties: alphabetical); amounts of different currencies are never compared. */
function mainCurrency(deals: MetricDealRow[]): string | null {
  const counts = new Map<string, number>();
  for (const deal of deals) counts.set(deal.currency, (counts.get(deal.currency) ?? 0) + 1);
  return [...counts.entries()].sort(([a, x], [b, y]) => y - x || a.localeCompare(b))[0]?.[0] ?? null;
}

function daysGroup(key: string, samples: Array<{ days: number; id: string }>): DaysGroup {
  if (samples.length === 0) return { key, count: 0, median: null, p90: null, mean: null, dealIds: [] };
  const sorted = [...samples].sort((a, b) => a.days - b.days);
  const at = (p: number) => round1(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!.days);
  return { key, count: sorted.length, median: at(0.5), p90: at(0.9), mean: mean(sorted.map((s) => s.days)), dealIds: sorted.map((s) => s.id) };
}

const groupKey = (deal: MetricDealRow, groupBy: GroupBy) =>
  groupBy === 'agent' ? (deal.owner_id ?? 'unassigned') : groupBy === 'day' ? (deal.closed_at ?? deal.created_at).slice(0, 10) : 'all';

function byGroup<T>(deals: MetricDealRow[], groupBy: GroupBy, make: (key: string, deals: MetricDealRow[]) => T): T[] {
  if (groupBy === 'none') return [];
  const groups = new Map<string, MetricDealRow[]>();
  for (const deal of deals) {
    const key = groupKey(deal, groupBy);
    const members = groups.get(key);
    if (members) members.push(deal);
    else groups.set(key, [deal]);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, members]) => make(key, members));
}

function winRate(key: string, deals: MetricDealRow[]): WinRateGroup {
  const wonIds = deals.filter((d) => d.status === 'won').map((d) => d.id);
  const lostIds = deals.filter((d) => d.status === 'lost').map((d) => d.id);
  return { key, won: wonIds.length, lost: lostIds.length, rate: ratio(wonIds.length, wonIds.length + lostIds.length), wonIds, lostIds };
}

const brief = (row: MetricDealRow): MetricDeal => ({
  id: row.id, title: row.title, amount: row.amount_cents / 100, currency: row.currency, status: row.status, stageId: row.stage_id,
  ownerId: row.owner_id, conversationId: row.conversation_id, contactId: row.contact_id,
});

/** Deals a result points to, each once. */
function briefs(...lists: MetricDealRow[][]): MetricDeal[] {
  const seen = new Map<string, MetricDeal>();
  for (const list of lists) for (const row of list) if (!seen.has(row.id)) seen.set(row.id, brief(row));
  return [...seen.values()];
}

function visitsByDeal(visits: MetricVisitRow[]): Map<string, MetricVisitRow[]> {
  const map = new Map<string, MetricVisitRow[]>();
  for (const visit of visits) {
    const list = map.get(visit.deal_id);
    if (list) list.push(visit);
    else map.set(visit.deal_id, [visit]);
  }
  return map;
}

/**
 * The pipeline metrics (definitions in the README). Every query is bound to the agent's
 * workspace and to one pipeline (default: the workspace's first).
 */
export async function pipelineMetric(store: Store, agent: Agent, name: PipelineMetric, request: PipelineMetricRequest): Promise<PipelineMetricResult> {
  const to = request.to ? new Date(request.to).toISOString() : new Date().toISOString();
  const from = request.from ? new Date(request.from).toISOString() : new Date(Date.parse(to) - 30 * DAY_MS).toISOString();
  const workspaceId = agent.workspaceId;
  const pipelines = await store.deals.pipelines(workspaceId);
  let pipeline: Pipeline | undefined = pipelines[0];
  if (request.pipelineId !== undefined) {
    pipeline = pipelines.find((candidate) => candidate.id === request.pipelineId);
    if (!pipeline) throw new CharlaFailure('not_found', 'Pipeline not found');
  }
  const base = { from, to, pipelineId: pipeline?.id ?? null, pipelineName: pipeline?.name ?? null };
  const groupBy = request.groupBy;
  const stages = pipeline?.stages ?? [];
  const openStages = stages.filter((stage) => stage.kind === 'open');
  const pipelineId = pipeline?.id ?? '';
  const q = store.deals.metrics;

  switch (name) {
    case 'stage-conversion': {
      const [deals, visits] = pipeline
        ? await Promise.all([q.dealsWithVisitsBetween(workspaceId, pipelineId, from, to, 'entered'), q.visitsOfDealsWithVisitsBetween(workspaceId, pipelineId, from, to, 'entered')])
        : [[], []];
      const dealById = new Map(deals.map((deal) => [deal.id, deal]));
      const position = new Map(stages.map((stage) => [stage.id, stage]));
      const perDeal = visitsByDeal(visits);
      const rows = stages.map((stage) => {
        const dealIds: string[] = [];
        const movedOnIds: string[] = [];
        const wonIds: string[] = [];
        for (const [dealId, stays] of perDeal) {
          const deal = dealById.get(dealId);
          if (!deal) continue;
          const entry = stays.find((stay) => stay.stage_id === stage.id && stay.entered_at >= from && stay.entered_at < to);
          if (!entry) continue;
          dealIds.push(dealId);
          const later = stays.slice(stays.indexOf(entry) + 1);
          if (later.some((stay) => { const next = position.get(stay.stage_id); return !!next && next.kind !== 'lost' && next.position > stage.position; })) movedOnIds.push(dealId);
          if (deal.status === 'won') wonIds.push(dealId);
        }
        return {
          stageId: stage.id, name: stage.name, kind: stage.kind, entered: dealIds.length, movedOn: movedOnIds.length, won: wonIds.length,
          conversion: ratio(movedOnIds.length, dealIds.length), winRate: ratio(wonIds.length, dealIds.length), dealIds, movedOnIds, wonIds,
        };
      });
      return { name, ...base, deals: briefs(deals), stages: rows };
    }

    case 'deal-velocity': {
      const [deals, visits] = pipeline
        ? await Promise.all([q.dealsWithVisitsBetween(workspaceId, pipelineId, from, to, 'left'), q.visitsOfDealsWithVisitsBetween(workspaceId, pipelineId, from, to, 'left')])
        : [[], []];
      const ended = visits.filter((visit) => visit.left_at !== null && visit.left_at >= from && visit.left_at < to);
      const rows = openStages.map((stage) => {
        const stays = ended.filter((visit) => visit.stage_id === stage.id).map((visit) => ({ days: days(visit.entered_at, visit.left_at!), id: visit.deal_id }));
        const summary = daysGroup(stage.id, stays);
        return { stageId: stage.id, name: stage.name, count: summary.count, meanDays: summary.mean, medianDays: summary.median, dealIds: [...new Set(stays.map((s) => s.id))] };
      });
      const means = rows.map((row) => row.meanDays).filter((value): value is number => value !== null);
      return { name, ...base, deals: briefs(deals), stages: rows, totalDays: means.length ? round1(means.reduce((sum, v) => sum + v, 0)) : null };
    }

    case 'lead-to-close':
    case 'win-rate': {
      const deals = pipeline ? await q.dealsOpenOrClosedBetween(workspaceId, pipelineId, from, to) : [];
      const closed = deals.filter((deal) => deal.status !== 'open');
      if (name === 'win-rate') {
        return { name, ...base, deals: briefs(closed), groupBy, overall: winRate('all', closed), groups: byGroup(closed, groupBy, winRate) };
      }
      const won = closed.filter((deal) => deal.status === 'won');
      const sample = (list: MetricDealRow[]) => list.map((deal) => ({ days: days(deal.created_at, deal.closed_at!), id: deal.id }));
      return {
        name, ...base, deals: briefs(won), groupBy, unit: 'days',
        overall: daysGroup('all', sample(won)), groups: byGroup(won, groupBy, (key, list) => daysGroup(key, sample(list))),
      };
    }

    case 'pipeline': {
      const deals = pipeline ? (await q.dealsOpenOrClosedBetween(workspaceId, pipelineId, to, to)).filter((deal) => deal.status === 'open') : [];
      const rows = openStages.map((stage) => {
        const here = deals.filter((deal) => deal.stage_id === stage.id);
        return {
          stageId: stage.id, name: stage.name, count: here.length, amount: money(here),
          averageAgeDays: mean(here.map((deal) => days(deal.created_at, to))), dealIds: here.map((deal) => deal.id),
        };
      });
      return { name, ...base, deals: briefs(deals), stages: rows, total: { count: deals.length, amount: money(deals) } };
    }

    case 'forecast': {
      const last = new Date(Date.parse(to) - 1);
      const month = last.toISOString().slice(0, 7);
      const monthStart = `${month}-01T00:00:00.000Z`;
      const monthEnd = new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() + 1, 1)).toISOString();
      const deals = pipeline ? await q.dealsOpenOrClosedBetween(workspaceId, pipelineId, monthStart, monthEnd) : [];
      const expected = deals.filter((deal) => deal.status === 'open' && deal.expected_close_date?.startsWith(month));
      const won = deals.filter((deal) => deal.status === 'won');
      const weighted = money(expected, (deal) => deal.probability / 100);
      const wonAmount = money(won);
      return {
        name, ...base, deals: briefs(expected, won), month, weighted, amount: money(expected), won: wonAmount,
        currency: mainCurrency([...won, ...expected]), target: request.target ?? null,
        dealIds: expected.map((deal) => deal.id), wonIds: won.map((deal) => deal.id),
      };
    }

    case 'agent-ranking': {
      const [deals, agents, frt] = await Promise.all([
        pipeline ? q.dealsOpenOrClosedBetween(workspaceId, pipelineId, from, to) : Promise.resolve([]),
        store.workspaces.agents(workspaceId),
        conversationMetric(store, agent, 'first-response-time', { from, to, groupBy: 'agent' }),
      ]);
      const frtByAgent = new Map(frt.groups.map((group) => [group.key, group.median]));
      const rows: AgentRankingRow[] = agents.map((member) => {
        const mine = deals.filter((deal) => deal.owner_id === member.id);
        const open = mine.filter((deal) => deal.status === 'open');
        const won = mine.filter((deal) => deal.status === 'won');
        const lost = mine.filter((deal) => deal.status === 'lost');
        return {
          agentId: member.id, name: member.name, openDeals: open.length, openAmount: money(open), won: won.length, wonAmount: money(won),
          lost: lost.length, conversion: ratio(won.length, won.length + lost.length), firstResponseMedian: frtByAgent.get(member.id) ?? null,
          openIds: open.map((deal) => deal.id), wonIds: won.map((deal) => deal.id), lostIds: lost.map((deal) => deal.id),
        };
      });
      const closedWon = deals.filter((deal) => deal.status === 'won' && deal.owner_id !== null);
      const currency = mainCurrency(closedWon.length > 0 ? closedWon : deals);
      const wonIn = (row: AgentRankingRow) => (currency ? (row.wonAmount[currency] ?? 0) : 0);
      rows.sort((a, b) => wonIn(b) - wonIn(a) || b.won - a.won || b.openDeals - a.openDeals || a.name.localeCompare(b.name));
      return { name, ...base, deals: briefs(deals.filter((deal) => deal.owner_id !== null)), agents: rows };
    }
  }
}
