import type { CsatMetricResult, LtvByCurrency, LtvGroup, MetricName, MetricResult, Money, PipelineMetricResult, SalesMetricResult } from '@charla/protocol';
import { csvCell } from '../identity/import.js';

/** One metric as a table: what its CSV export holds and its page of the PDF report shows. */
export interface MetricTable {
  title: string;
  columns: string[];
  rows: string[][];
}

type Cell = string | number | null | undefined;

/** Amounts per currency in one cell, currencies never added together: "1000.05 MXN; 300.00 USD". */
export const moneyCell = (money: Money): string =>
  Object.entries(money).map(([currency, amount]) => `${amount.toFixed(2)} ${currency}`).join('; ');
const ltvCell = (ltv: LtvByCurrency, pick: 'total' | 'median' | 'mean'): string =>
  moneyCell(Object.fromEntries(Object.entries(ltv).map(([currency, value]) => [currency, value[pick]])));
const share = (value: number | null) => (value === null ? '' : `${Math.round(value * 1000) / 10}%`);
const text = (cells: Cell[]) => cells.map((cell) => (cell === null || cell === undefined ? '' : String(cell)));

const ltvRows = (kind: string, groups: LtvGroup[]) =>
  groups.map((group) => text([
    kind, group.label ?? group.key, group.contacts, group.customers, ltvCell(group.ltv, 'total'), ltvCell(group.ltv, 'median'), ltvCell(group.ltv, 'mean'),
  ]));

/** What each metric's table is called in the report. */
const TITLES: Record<MetricName, string> = {
  'first-response-time': 'First response time', 'reply-time': 'Reply time', 'resolution-time': 'Resolution time', volume: 'Conversations',
  'stage-conversion': 'Funnel by stage', 'deal-velocity': 'Time in each stage', 'lead-to-close': 'Lead to close', 'win-rate': 'Win rate',
  pipeline: 'Open pipeline', forecast: 'Forecast', 'agent-ranking': 'Ranking by salesperson', 'ltv-by-channel': 'Lifetime value by first channel',
  'pipeline-hygiene': 'Follow-up hygiene', 'acquisition-cost': 'Acquisition cost', workload: 'Workload', csat: 'Customer satisfaction',
};

/** The table of any metric's answer (durations in seconds, days to one decimal, amounts per currency). */
export function metricTable(result: MetricResult | PipelineMetricResult | SalesMetricResult | CsatMetricResult): MetricTable {
  return { ...metricRows(result), title: TITLES[result.name] };
}

function metricRows(result: MetricResult | PipelineMetricResult | SalesMetricResult | CsatMetricResult): Omit<MetricTable, 'title'> {
  switch (result.name) {
    case 'first-response-time':
    case 'reply-time':
    case 'resolution-time':
      return {
        columns: ['group', 'count', `median (${result.unit})`, `p90 (${result.unit})`, `mean (${result.unit})`],
        rows: [result.overall, ...result.groups].map((group) => text([group.key, group.count, group.median, group.p90, group.mean])),
      };
    case 'volume':
      return { columns: ['group', 'conversations'], rows: [result.overall, ...result.groups].map((group) => text([group.key, group.count])) };
    case 'stage-conversion':
      return {
        columns: ['stage', 'entered', 'moved on', 'won', 'conversion', 'win rate'],
        rows: result.stages.map((stage) => text([stage.name, stage.entered, stage.movedOn, stage.won, share(stage.conversion), share(stage.winRate)])),
      };
    case 'deal-velocity':
      return {
        columns: ['stage', 'stays', 'mean days', 'median days', 'deals'],
        rows: [...result.stages.map((stage) => text([stage.name, stage.count, stage.meanDays, stage.medianDays, stage.dealCount])), text(['total', '', result.totalDays, '', ''])],
      };
    case 'lead-to-close':
      return {
        columns: ['group', 'won deals', 'median days', 'p90 days', 'mean days'],
        rows: [result.overall, ...result.groups].map((group) => text([group.key, group.count, group.median, group.p90, group.mean])),
      };
    case 'win-rate':
      return {
        columns: ['group', 'won', 'lost', 'win rate'],
        rows: [result.overall, ...result.groups].map((group) => text([group.key, group.won, group.lost, share(group.rate)])),
      };
    case 'pipeline':
      return {
        columns: ['stage', 'open deals', 'amount', 'average age (days)'],
        rows: [...result.stages.map((stage) => text([stage.name, stage.count, moneyCell(stage.amount), stage.averageAgeDays])), text(['total', result.total.count, moneyCell(result.total.amount), ''])],
      };
    case 'forecast':
      return {
        columns: ['month', 'weighted', 'amount', 'won', 'target', 'currency', 'open deals', 'won deals'],
        rows: [text([result.month, moneyCell(result.weighted), moneyCell(result.amount), moneyCell(result.won), result.target, result.currency, result.dealCount, result.wonCount])],
      };
    case 'agent-ranking':
      return {
        columns: ['agent', 'open deals', 'open amount', 'won', 'won amount', 'lost', 'conversion', 'median first response (s)'],
        rows: result.agents.map((row) => text([
          row.name, row.openDeals, moneyCell(row.openAmount), row.won, moneyCell(row.wonAmount), row.lost, share(row.conversion), row.firstResponseMedian,
        ])),
      };
    case 'ltv-by-channel':
      return {
        columns: ['by', 'group', 'contacts', 'customers', 'total LTV', 'median LTV', 'mean LTV'],
        rows: [...ltvRows('all', [result.overall]), ...ltvRows('channel', result.channels), ...ltvRows('ad', result.ads)],
      };
    case 'pipeline-hygiene':
      return {
        columns: ['owner', 'open deals', 'up to date', 'stale', 'share up to date'],
        rows: [result.overall, ...result.owners].map((row) => text([row.name ?? row.key, row.open, row.upToDate, row.stale, share(row.share)])),
      };
    case 'acquisition-cost':
      return {
        columns: ['channel', 'month', 'spend', 'leads', 'qualified', 'won', 'cost per lead', 'cost per qualified lead', 'cost per won customer', 'mean LTV', 'LTV : CAC'],
        rows: [
          ...result.channels.map((row) => text([
            row.channel, 'all', moneyCell(row.spend), row.leads, row.qualified, row.won, moneyCell(row.costPerLead), moneyCell(row.costPerQualified),
            moneyCell(row.costPerWon), ltvCell(row.ltv, 'mean'), Object.entries(row.ltvToCac).map(([currency, value]) => `${value} (${currency})`).join('; '),
          ])),
          ...result.rows.map((row) => text([
            row.channel, row.month, moneyCell(row.spend), row.leads, row.qualified, row.won, moneyCell(row.costPerLead), moneyCell(row.costPerQualified),
            moneyCell(row.costPerWon), '', '',
          ])),
        ],
      };
    case 'csat':
      return {
        columns: ['group', 'responses', 'average rating', 'CSAT (% rating 4-5)', '1', '2', '3', '4', '5'],
        rows: [result.overall, ...result.groups].map((group) => text([group.key, group.responses, group.average, group.score === null ? '' : `${group.score}%`, ...group.distribution])),
      };
    case 'workload':
      return {
        columns: ['agent', 'availability', 'open conversations', 'waiting', 'longest wait (s)'],
        rows: result.agents.map((row) => text([row.name ?? row.agentId, row.presence, row.open, row.waiting, row.longestWaitSeconds])),
      };
  }
}

/** A table as CSV (header line first, or its title when `titled`; cells a spreadsheet would run as formulas stay text). */
export function tableCsv(table: MetricTable, titled = false): string {
  return [...(titled ? [[table.title]] : []), table.columns, ...table.rows].map((cells) => cells.map(csvCell).join(',')).join('\n') + '\n';
}
