import type {
  Agent, AgentRankingRow, DaysGroup, MetricDeal, Money, Pipeline, PipelineMetric, PipelineMetricResult, WinRateGroup,
  pipelineMetricRequestSchema,
} from '@charla/protocol';
import type { z } from 'zod';
import { CharlaFailure } from '../failure.js';
import type { Store } from '../store/index.js';
import type { MetricDealRow } from '../store/pipeline-metrics.js';
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

/** Id lists cut to one limit, and the short records of the deals they kept. */
function idLists(limit: number) {
  const referenced = new Set<string>();
  return {
    list: () => new IdList(limit, referenced),
    /** A list of these deals' ids. */
    of(rows: Iterable<MetricDealRow>): IdList {
      const ids = new IdList(limit, referenced);
      for (const row of rows) ids.add(row.id);
      return ids;
    },
    /** The deals some list kept, each once, in the rows' order. */
    deals: (rows: MetricDealRow[]): MetricDeal[] => rows.filter((row) => referenced.has(row.id)).map(brief),
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
function daysGroup(key: string, deals: MetricDealRow[], lists: IdLists): DaysGroup {
  return { key, ...dayStats(deals.map((deal) => days(deal.created_at, deal.closed_at!))), dealIds: lists.of(deals).ids };
}

const groupKey = (deal: MetricDealRow, groupBy: GroupBy) =>
  groupBy === 'agent' ? (deal.owner_id ?? 'unassigned') : groupBy === 'day' ? (deal.closed_at ?? deal.created_at).slice(0, 10) : 'all';

/** Deals by group key (keeping their order), groups in key order; none when not grouping. */
function byGroup<T>(deals: MetricDealRow[], groupBy: GroupBy, make: (key: string, deals: MetricDealRow[]) => T): T[] {
  if (groupBy === 'none') return [];
  return [...partition(deals, (deal) => groupKey(deal, groupBy)).entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, members]) => make(key, members));
}

/** Items by key, each group in the items' order. */
function partition<T>(items: Iterable<T>, keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const members = groups.get(key);
    if (members) members.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

function winRate(key: string, deals: MetricDealRow[], lists: IdLists): WinRateGroup {
  const won = lists.list();
  const lost = lists.list();
  for (const deal of deals) (deal.status === 'won' ? won : lost).add(deal.id);
  return { key, won: won.count, lost: lost.count, rate: ratio(won.count, won.count + lost.count), wonIds: won.ids, lostIds: lost.ids };
}

const brief = (row: MetricDealRow): MetricDeal => ({
  id: row.id, title: row.title, amount: row.amount_cents / 100, currency: row.currency, status: row.status, stageId: row.stage_id,
  ownerId: row.owner_id, conversationId: row.conversation_id, contactId: row.contact_id,
});

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
  const base = { from, to, pipelineId: pipeline?.id ?? null, pipelineName: pipeline?.name ?? null, idLimit: request.idLimit };
  const groupBy = request.groupBy;
  const stages = pipeline?.stages ?? [];
  const openStages = stages.filter((stage) => stage.kind === 'open');
  const pipelineId = pipeline?.id ?? '';
  const q = store.deals.metrics;
  const lists = idLists(request.idLimit);

  switch (name) {
    case 'stage-conversion': {
      const [deals, visits] = pipeline
        ? await Promise.all([q.dealsWithVisitsBetween(workspaceId, pipelineId, from, to, 'entered'), q.visitsOfDealsWithVisitsBetween(workspaceId, pipelineId, from, to, 'entered')])
        : [[], []];
      const stageById = new Map(stages.map((stage) => [stage.id, stage]));
      const rows = new Map(stages.map((stage) => [stage.id, { entered: lists.list(), movedOn: lists.list(), won: lists.list() }]));
      const staysOf = partition(visits, (visit) => visit.deal_id);
      for (const deal of deals) {
        const stays = staysOf.get(deal.id) ?? [];
        // The furthest stage (by position, Lost aside) each stay was followed by.
        const furthestAfter: number[] = new Array<number>(stays.length);
        let furthest = -Infinity;
        for (let i = stays.length - 1; i >= 0; i -= 1) {
          furthestAfter[i] = furthest;
          const stage = stageById.get(stays[i]!.stage_id);
          if (stage && stage.kind !== 'lost') furthest = Math.max(furthest, stage.position);
        }
        // A deal counts once per stage, from its first entry in the range.
        const counted = new Set<string>();
        stays.forEach((stay, i) => {
          const row = rows.get(stay.stage_id);
          if (!row || stay.entered_at < from || stay.entered_at >= to || counted.has(stay.stage_id)) return;
          counted.add(stay.stage_id);
          row.entered.add(deal.id);
          if (furthestAfter[i]! > stageById.get(stay.stage_id)!.position) row.movedOn.add(deal.id);
          if (deal.status === 'won') row.won.add(deal.id);
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
      return { name, ...base, deals: lists.deals(deals), stages: result };
    }

    case 'deal-velocity': {
      const [deals, visits] = pipeline
        ? await Promise.all([q.dealsWithVisitsBetween(workspaceId, pipelineId, from, to, 'left'), q.visitsOfDealsWithVisitsBetween(workspaceId, pipelineId, from, to, 'left')])
        : [[], []];
      const rows = new Map(openStages.map((stage) => [stage.id, { days: [] as number[], deals: lists.list() }]));
      const staysOf = partition(visits, (visit) => visit.deal_id);
      for (const deal of deals) {
        const counted = new Set<string>();
        for (const stay of staysOf.get(deal.id) ?? []) {
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
      return { name, ...base, deals: lists.deals(deals), stages: result, totalDays: means.length ? round1(means.reduce((sum, v) => sum + v, 0)) : null };
    }

    case 'lead-to-close':
    case 'win-rate': {
      const closed = pipeline ? await q.dealsClosedBetween(workspaceId, pipelineId, from, to) : [];
      if (name === 'win-rate') {
        const overall = winRate('all', closed, lists);
        const groups = byGroup(closed, groupBy, (key, list) => winRate(key, list, lists));
        return { name, ...base, deals: lists.deals(closed), groupBy, overall, groups };
      }
      const won = closed.filter((deal) => deal.status === 'won');
      const overall = daysGroup('all', won, lists);
      const groups = byGroup(won, groupBy, (key, list) => daysGroup(key, list, lists));
      return { name, ...base, deals: lists.deals(won), groupBy, unit: 'days', overall, groups };
    }

    case 'pipeline': {
      const deals = pipeline ? await q.openDeals(workspaceId, pipelineId) : [];
      const byStage = partition(deals, (deal) => deal.stage_id);
      const rows = openStages.map((stage) => {
        const here = byStage.get(stage.id) ?? [];
        const ids = lists.of(here);
        return {
          stageId: stage.id, name: stage.name, count: ids.count, amount: money(here),
          averageAgeDays: mean(here.map((deal) => days(deal.created_at, to))), dealIds: ids.ids,
        };
      });
      return { name, ...base, deals: lists.deals(deals), stages: rows, total: { count: deals.length, amount: money(deals) } };
    }

    case 'forecast': {
      const last = new Date(Date.parse(to) - 1);
      const month = last.toISOString().slice(0, 7);
      const monthStart = `${month}-01T00:00:00.000Z`;
      const monthEnd = new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() + 1, 1)).toISOString();
      const deals = pipeline ? await q.forecastDeals(workspaceId, pipelineId, month, monthStart, monthEnd) : [];
      const expected = deals.filter((deal) => deal.status === 'open');
      const won = deals.filter((deal) => deal.status === 'won');
      const expectedIds = lists.of(expected);
      const wonIds = lists.of(won);
      return {
        name, ...base, deals: lists.deals(deals), month, weighted: money(expected, (deal) => deal.probability / 100), amount: money(expected),
        won: money(won), currency: mainCurrency([...won, ...expected]), target: request.target ?? null,
        dealCount: expectedIds.count, dealIds: expectedIds.ids, wonCount: wonIds.count, wonIds: wonIds.ids,
      };
    }

    case 'agent-ranking': {
      const [deals, agents, frt] = await Promise.all([
        pipeline ? q.dealsOpenOrClosedBetween(workspaceId, pipelineId, from, to) : Promise.resolve([]),
        store.workspaces.agents(workspaceId),
        conversationMetric(store, agent, 'first-response-time', { from, to, groupBy: 'agent', hours: 'wall' }),
      ]);
      const frtByAgent = new Map(frt.groups.map((group) => [group.key, group.median]));
      const byOwner = partition(deals, (deal) => deal.owner_id ?? '');
      const rows: AgentRankingRow[] = agents.map((member) => {
        const byStatus = partition(byOwner.get(member.id) ?? [], (deal) => deal.status);
        const [open, won, lost] = [byStatus.get('open') ?? [], byStatus.get('won') ?? [], byStatus.get('lost') ?? []];
        const [openIds, wonIds, lostIds] = [lists.of(open), lists.of(won), lists.of(lost)];
        return {
          agentId: member.id, name: member.name, openDeals: openIds.count, openAmount: money(open), won: wonIds.count, wonAmount: money(won),
          lost: lostIds.count, conversion: ratio(wonIds.count, wonIds.count + lostIds.count), firstResponseMedian: frtByAgent.get(member.id) ?? null,
          openIds: openIds.ids, wonIds: wonIds.ids, lostIds: lostIds.ids,
        };
      });
      const closedWon = deals.filter((deal) => deal.status === 'won' && deal.owner_id !== null);
      const currency = mainCurrency(closedWon.length > 0 ? closedWon : deals);
      const wonIn = (row: AgentRankingRow) => (currency ? (row.wonAmount[currency] ?? 0) : 0);
      rows.sort((a, b) => wonIn(b) - wonIn(a) || b.won - a.won || b.openDeals - a.openDeals || a.name.localeCompare(b.name));
      return { name, ...base, deals: lists.deals(deals), agents: rows };
    }
  }
}
