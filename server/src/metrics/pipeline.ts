import type {
  Agent, AgentRankingRow, DaysGroup, MetricDeal, Money, Pipeline, PipelineMetric, PipelineMetricResult, WinRateGroup,
  pipelineMetricRequestSchema,
} from '@charla/protocol';
import type { z } from 'zod';
import { CharlaFailure } from '../failure.js';
import type { StoreScope } from '../store/index.js';
import { Slices } from '../slices.js';
import type { MetricBriefRow, MetricClosedRow, MetricListedRow, MetricSumRow } from '../store/pipeline-metrics.js';
import { summarize } from './conversations.js';
import { visibleConversationIds } from '../services/visibility.js';

type PipelineMetricRequest = z.output<typeof pipelineMetricRequestSchema>;
type GroupBy = PipelineMetricRequest['groupBy'];

const DAY_MS = 86_400_000;
const days = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / DAY_MS;
const round1 = (value: number) => Math.round(value * 10) / 10;
export const ratio = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);
const mean = (values: number[]) => (values.length === 0 ? null : round1(values.reduce((sum, v) => sum + v, 0) / values.length));

/** Integer cents per currency (from sums the store made), in currency units, currencies in order. */
function money(sums: Iterable<MetricSumRow>, cents: (sum: MetricSumRow) => number = (sum) => sum.cents): Money {
  const totals = new Map<string, number>();
  for (const sum of sums) totals.set(sum.currency, (totals.get(sum.currency) ?? 0) + cents(sum));
  return Object.fromEntries([...totals.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, total]) => [currency, total / 100]));
}

/** The currency most of these deals are in (ties: alphabetical); amounts of different currencies are never compared. */
function mainCurrency(sums: MetricSumRow[]): string | null {
  const counts = new Map<string, number>();
  for (const sum of sums) counts.set(sum.currency, (counts.get(sum.currency) ?? 0) + sum.deals);
  return [...counts.entries()].sort(([a, x], [b, y]) => y - x || a.localeCompare(b))[0]?.[0] ?? null;
}

/** How many deals these sums cover. */
function dealsIn(sums: Iterable<MetricSumRow>): number {
  let total = 0;
  for (const sum of sums) total += sum.deals;
  return total;
}

/**
 * The ids behind one number: counts every deal added and keeps the first `limit` of them. Deals
 * are added in the order the store gives them (most recently changed first, ties by id), so the
 * kept ids are the newest; every kept id is noted in `referenced` for the answer's `deals`.
 */
class IdList {
  count = 0;
  readonly ids: string[] = [];
  constructor(
    private readonly limit: number,
    private readonly referenced: Set<string>,
  ) {}

  add(id: string): void {
    this.count += 1;
    if (this.ids.length >= this.limit) return;
    this.ids.push(id);
    this.referenced.add(id);
  }
}

/** Id lists cut to one limit, and every id they kept (for the answer's `deals`). */
function idLists(limit: number) {
  const referenced = new Set<string>();
  return {
    referenced,
    list: () => new IdList(limit, referenced),
    /** A list of these deals' ids. */
    of(rows: Iterable<{ id: string }>): IdList {
      const ids = new IdList(limit, referenced);
      for (const row of rows) ids.add(row.id);
      return ids;
    },
    /** Lists the store already cut to the limit, looked up by key and status. */
    listed(rows: MetricListedRow[]): (key: string | null, status: MetricListedRow['status']) => string[] {
      const byList = partition(rows, (row) => `${row.key ?? ''}/${row.status}`);
      return (key, status) => {
        const ids = (byList.get(`${key ?? ''}/${status}`) ?? []).map((row) => row.id);
        for (const id of ids) referenced.add(id);
        return ids;
      };
    },
  };
}
type IdLists = ReturnType<typeof idLists>;

/** Median, p90 and mean of day counts, rounded to one decimal. */
function dayStats(values: number[]): { count: number; median: number | null; p90: number | null; mean: number | null } {
  if (values.length === 0) return { count: 0, median: null, p90: null, mean: null };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => round1(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!);
  return { count: sorted.length, median: at(0.5), p90: at(0.9), mean: mean(sorted) };
}

/** Days from creation to close of these deals (one sample each). */
function daysGroup(key: string, deals: MetricClosedRow[], lists: IdLists): DaysGroup {
  return { key, ...dayStats(deals.map((deal) => days(deal.created_at, deal.closed_at))), dealIds: lists.of(deals).ids };
}

const groupKey = (deal: MetricClosedRow, groupBy: GroupBy) =>
  groupBy === 'agent' ? (deal.owner_id ?? 'unassigned') : groupBy === 'day' ? deal.closed_at.slice(0, 10) : 'all';

/** Deals by group key (keeping their order), groups in key order; none when not grouping. */
function byGroup<T>(deals: MetricClosedRow[], groupBy: GroupBy, make: (key: string, deals: MetricClosedRow[]) => T): T[] {
  if (groupBy === 'none') return [];
  return [...partition(deals, (deal) => groupKey(deal, groupBy)).entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, members]) => make(key, members));
}

/** Items by key, each group in the items' order. */
export function partition<T>(items: Iterable<T>, keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const members = groups.get(key);
    if (members) members.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

function winRate(key: string, deals: MetricClosedRow[], lists: IdLists): WinRateGroup {
  const won = lists.list();
  const lost = lists.list();
  for (const deal of deals) (deal.status === 'won' ? won : lost).add(deal.id);
  return { key, won: won.count, lost: lost.count, rate: ratio(won.count, won.count + lost.count), wonIds: won.ids, lostIds: lost.ids };
}

const brief = (row: MetricBriefRow): MetricDeal => ({
  id: row.id, title: row.title, amount: row.amount_cents / 100, currency: row.currency, status: row.status, stageId: row.stage_id,
  ownerId: row.owner_id, conversationId: row.conversation_id, contactId: row.contact_id,
});

/**
 * The pipeline metrics (definitions in the README). Every query is bound to the agent's
 * workspace and to one pipeline (default: the workspace's first).
 */
export async function pipelineMetric(store: StoreScope, agent: Agent, name: PipelineMetric, request: PipelineMetricRequest): Promise<PipelineMetricResult> {
  const to = request.to ? new Date(request.to).toISOString() : new Date().toISOString();
  const from = request.from ? new Date(request.from).toISOString() : new Date(Date.parse(to) - 30 * DAY_MS).toISOString();
  const workspaceId = agent.workspaceId;
  const pipelines = await store.deals.pipelines(workspaceId);
  let pipeline: Pipeline | undefined = pipelines[0];
  if (request.pipelineId !== undefined) {
    pipeline = pipelines.find((candidate) => candidate.id === request.pipelineId);
    if (!pipeline) throw new CharlaFailure('not_found', 'Pipeline not found');
  }
  const base = { from, to, pipelineId: pipeline?.id ?? null, pipelineName: pipeline?.name ?? null, idLimit: request.idLimit };
  const groupBy = request.groupBy;
  const stages = pipeline?.stages ?? [];
  const openStages = stages.filter((stage) => stage.kind === 'open');
  const pipelineId = pipeline?.id ?? '';
  const q = store.deals.metrics;
  const lists = idLists(request.idLimit);
  /** The records of every deal the lists kept; a conversation the agent may not see is not linked. */
  const listedDeals = async () => {
    const deals = (await q.briefs(workspaceId, [...lists.referenced])).map(brief);
    const linked = deals.map((deal) => deal.conversationId).filter((id): id is string => id !== null);
    const visible = await visibleConversationIds(store, agent, linked);
    return deals.map((deal) => (deal.conversationId === null || visible.has(deal.conversationId) ? deal : { ...deal, conversationId: null }));
  };

  switch (name) {
    case 'stage-conversion': {
      const deals = pipeline ? await q.staysOfDealsWithStaysBetween(workspaceId, pipelineId, from, to, 'entered') : [];
      const stageById = new Map(stages.map((stage) => [stage.id, stage]));
      const rows = new Map(stages.map((stage) => [stage.id, { entered: lists.list(), movedOn: lists.list(), won: lists.list() }]));
      const slices = new Slices();
      for (const { id: dealId, status, stays: path } of deals) {
        if (slices.due()) await slices.turn();
        // The furthest stage (by position, Lost aside) each stay was followed by.
        const furthestAfter: number[] = new Array<number>(path.length);
        let furthest = -Infinity;
        for (let i = path.length - 1; i >= 0; i -= 1) {
          furthestAfter[i] = furthest;
          const stage = stageById.get(path[i]!.stage_id);
          if (stage && stage.kind !== 'lost') furthest = Math.max(furthest, stage.position);
        }
        // A deal counts once per stage, from its first entry in the range.
        const counted = new Set<string>();
        path.forEach((stay, i) => {
          const row = rows.get(stay.stage_id);
          if (!row || stay.entered_at < from || stay.entered_at >= to || counted.has(stay.stage_id)) return;
          counted.add(stay.stage_id);
          row.entered.add(dealId);
          if (furthestAfter[i]! > stageById.get(stay.stage_id)!.position) row.movedOn.add(dealId);
          if (status === 'won') row.won.add(dealId);
        });
      }
      const result = stages.map((stage) => {
        const { entered, movedOn, won } = rows.get(stage.id)!;
        return {
          stageId: stage.id, name: stage.name, kind: stage.kind, entered: entered.count, movedOn: movedOn.count, won: won.count,
          conversion: ratio(movedOn.count, entered.count), winRate: ratio(won.count, entered.count),
          dealIds: entered.ids, movedOnIds: movedOn.ids, wonIds: won.ids,
        };
      });
      return { name, ...base, deals: await listedDeals(), stages: result };
    }

    case 'deal-velocity': {
      const deals = pipeline ? await q.staysOfDealsWithStaysBetween(workspaceId, pipelineId, from, to, 'left') : [];
      const rows = new Map(openStages.map((stage) => [stage.id, { days: [] as number[], deals: lists.list() }]));
      const slices = new Slices();
      for (const deal of deals) {
        if (slices.due()) await slices.turn();
        const counted = new Set<string>();
        for (const stay of deal.stays) {
          const row = rows.get(stay.stage_id);
          if (!row || stay.left_at === null || stay.left_at < from || stay.left_at >= to) continue;
          row.days.push(days(stay.entered_at, stay.left_at));
          if (counted.has(stay.stage_id)) continue;
          counted.add(stay.stage_id);
          row.deals.add(deal.id);
        }
      }
      const result = openStages.map((stage) => {
        const row = rows.get(stage.id)!;
        const summary = dayStats(row.days);
        return { stageId: stage.id, name: stage.name, count: summary.count, meanDays: summary.mean, medianDays: summary.median, dealCount: row.deals.count, dealIds: row.deals.ids };
      });
      const means = result.map((row) => row.meanDays).filter((value): value is number => value !== null);
      return { name, ...base, deals: await listedDeals(), stages: result, totalDays: means.length ? round1(means.reduce((sum, v) => sum + v, 0)) : null };
    }

    case 'lead-to-close':
    case 'win-rate': {
      const closed = pipeline ? await q.closedBetween(workspaceId, pipelineId, from, to) : [];
      if (name === 'win-rate') {
        const overall = winRate('all', closed, lists);
        const groups = byGroup(closed, groupBy, (key, list) => winRate(key, list, lists));
        return { name, ...base, deals: await listedDeals(), groupBy, overall, groups };
      }
      const won = closed.filter((deal) => deal.status === 'won');
      const overall = daysGroup('all', won, lists);
      const groups = byGroup(won, groupBy, (key, list) => daysGroup(key, list, lists));
      return { name, ...base, deals: await listedDeals(), groupBy, unit: 'days', overall, groups };
    }

    case 'pipeline': {
      const [sums, listed] = pipeline
        ? await Promise.all([q.openSumsByStage(workspaceId, pipelineId, to), q.openIdsByStage(workspaceId, pipelineId, request.idLimit)])
        : [[], []];
      const idsOf = lists.listed(listed);
      const sumsByStage = partition(sums, (sum) => sum.key ?? '');
      const rows = openStages.map((stage) => {
        const here = sumsByStage.get(stage.id) ?? [];
        const count = dealsIn(here);
        const ageDays = here.reduce((total, sum) => total + sum.age_days, 0);
        return {
          stageId: stage.id, name: stage.name, count, amount: money(here),
          averageAgeDays: count === 0 ? null : round1(ageDays / count), dealIds: idsOf(stage.id, 'open'),
        };
      });
      return { name, ...base, deals: await listedDeals(), stages: rows, total: { count: dealsIn(sums), amount: money(sums) } };
    }

    case 'forecast': {
      const last = new Date(Date.parse(to) - 1);
      const month = last.toISOString().slice(0, 7);
      const monthStart = `${month}-01T00:00:00.000Z`;
      const monthEnd = new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() + 1, 1)).toISOString();
      const [sums, listed] = pipeline
        ? await Promise.all([
          q.forecastSums(workspaceId, pipelineId, month, monthStart, monthEnd),
          q.forecastIds(workspaceId, pipelineId, month, monthStart, monthEnd, request.idLimit),
        ])
        : [[], []];
      const idsOf = lists.listed(listed);
      const expected = sums.filter((sum) => sum.status === 'open');
      const won = sums.filter((sum) => sum.status === 'won');
      return {
        name, ...base, month, weighted: money(expected, (sum) => sum.weighted_cents), amount: money(expected), won: money(won),
        currency: mainCurrency(sums), target: request.target ?? null,
        dealCount: dealsIn(expected), dealIds: idsOf(null, 'open'), wonCount: dealsIn(won), wonIds: idsOf(null, 'won'),
        deals: await listedDeals(),
      };
    }

    case 'agent-ranking': {
      const [sums, listed, agents, frt] = await Promise.all([
        pipeline ? q.openOrClosedSumsByOwner(workspaceId, pipelineId, from, to) : Promise.resolve([]),
        pipeline ? q.openOrClosedIdsByOwner(workspaceId, pipelineId, from, to, request.idLimit) : Promise.resolve([]),
        store.workspaces.agents(workspaceId),
        store.conversations.firstReplies(workspaceId, from, to),
      ]);
      // The first response time of each conversation started in the range, as `first-response-time` counts it (wall clock).
      const answered = frt.filter((reply): reply is typeof reply & { replied_at: string } => reply.replied_at !== null);
      const frtByAgent = new Map([...partition(answered, (reply) => reply.replied_by ?? 'unassigned').entries()].map(([agentId, replies]) =>
        [agentId, summarize(agentId, replies.map((reply) => (Date.parse(reply.replied_at) - Date.parse(reply.first_in)) / 1000)).median]));
      const sumsByOwner = partition(sums, (sum) => sum.key ?? '');
      const idsOf = lists.listed(listed);
      const rows: AgentRankingRow[] = agents.map((member) => {
        const mine = partition(sumsByOwner.get(member.id) ?? [], (sum) => sum.status);
        const [open, won, lost] = [mine.get('open') ?? [], mine.get('won') ?? [], mine.get('lost') ?? []];
        const [openDeals, wonDeals, lostDeals] = [dealsIn(open), dealsIn(won), dealsIn(lost)];
        return {
          agentId: member.id, name: member.name, openDeals, openAmount: money(open), won: wonDeals, wonAmount: money(won),
          lost: lostDeals, conversion: ratio(wonDeals, wonDeals + lostDeals), firstResponseMedian: frtByAgent.get(member.id) ?? null,
          openIds: idsOf(member.id, 'open'), wonIds: idsOf(member.id, 'won'), lostIds: idsOf(member.id, 'lost'),
        };
      });
      const closedWon = sums.filter((sum) => sum.status === 'won' && sum.key !== null);
      const currency = mainCurrency(closedWon.length > 0 ? closedWon : sums);
      const wonIn = (row: AgentRankingRow) => (currency ? (row.wonAmount[currency] ?? 0) : 0);
      rows.sort((a, b) => wonIn(b) - wonIn(a) || b.won - a.won || b.openDeals - a.openDeals || a.name.localeCompare(b.name));
      return { name, ...base, deals: await listedDeals(), agents: rows };
    }
  }
}
