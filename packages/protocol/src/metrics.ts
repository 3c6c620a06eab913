/** Conversation metrics, as `GET /api/v1/metrics/:name` serves them. */
import { z } from 'zod';
import { CHANNELS } from './constants.js';
import { amountSchema, currencySchema } from './deals.js';
import type { AgentPresence } from './routing.js';

export const CONVERSATION_METRICS = ['first-response-time', 'reply-time', 'resolution-time', 'volume'] as const;
export type ConversationMetric = (typeof CONVERSATION_METRICS)[number];

export const METRIC_GROUPS = ['none', 'channel', 'agent', 'day'] as const;

/** How durations count: the wall clock, or only the workspace's business hours (its time zone and weekly hours). */
export const METRIC_HOURS = ['wall', 'business'] as const;
export type MetricHours = (typeof METRIC_HOURS)[number];

export const metricRequestSchema = z
  .object({
    /** Start of the range (inclusive), ISO 8601; default 30 days before `to`. */
    from: z.iso.datetime({ offset: true }).optional(),
    /** End of the range (exclusive), ISO 8601; default now. */
    to: z.iso.datetime({ offset: true }).optional(),
    groupBy: z.enum(METRIC_GROUPS).default('none'),
    hours: z.enum(METRIC_HOURS).default('wall'),
  })
  .strict();

/** Durations in seconds; `count` is how many clocks (or conversations, for volume) stand behind. */
export interface MetricGroup {
  key: string;
  count: number;
  median: number | null;
  p90: number | null;
  mean: number | null;
}

export interface MetricResult {
  name: ConversationMetric;
  from: string;
  to: string;
  groupBy: (typeof METRIC_GROUPS)[number];
  unit: 'seconds' | 'conversations';
  overall: MetricGroup;
  groups: MetricGroup[];
  hours: MetricHours;
  /** First response time: conversations in the range still waiting for their first human reply. */
  unanswered?: number;
  /** Open conversations whose customer is waiting for an answer right now (any start date). */
  waitingNow: number;
}

// ---------------------------------------------------------------- pipeline metrics

export const PIPELINE_METRICS = ['stage-conversion', 'deal-velocity', 'lead-to-close', 'win-rate', 'pipeline', 'forecast', 'agent-ranking'] as const;
export type PipelineMetric = (typeof PIPELINE_METRICS)[number];
/**
 * The sales team's metrics beside the pipeline: lifetime value per channel of first contact,
 * follow-up hygiene of the open deals, acquisition cost per channel and month, and each agent's
 * workload now.
 */
export const SALES_METRICS = ['ltv-by-channel', 'pipeline-hygiene', 'acquisition-cost', 'workload'] as const;
export type SalesMetric = (typeof SALES_METRICS)[number];
/** Satisfaction: the customers' ratings after a resolution (see csat.ts). */
export const CSAT_METRICS = ['csat'] as const;
export const METRIC_NAMES = [...CONVERSATION_METRICS, ...PIPELINE_METRICS, ...SALES_METRICS, ...CSAT_METRICS] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/** Pipeline metrics group by the deal's owner (`agent`) or by the day it closed (`day`). */
export const PIPELINE_METRIC_GROUPS = ['none', 'agent', 'day'] as const;

/** Most deal ids a pipeline metric lists behind each number (counts always cover every deal). */
export const METRIC_ID_LIMIT_MAX = 10_000;
/** Ids listed behind each number when the request does not say. */
export const METRIC_ID_LIMIT_DEFAULT = 100;
const idLimitMessage = `idLimit must be a whole number from 0 to ${METRIC_ID_LIMIT_MAX}`;
/** A number written in a query string (an empty one stays invalid rather than becoming 0). */
const fromQueryString = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value);
const idLimitSchema = z.number({ error: idLimitMessage }).int({ error: idLimitMessage }).min(0, { error: idLimitMessage }).max(METRIC_ID_LIMIT_MAX, { error: idLimitMessage });

export const pipelineMetricRequestSchema = z
  .object({
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    groupBy: z.enum(PIPELINE_METRIC_GROUPS).default('none'),
    /** Default: the workspace's first pipeline. */
    pipelineId: z.string().min(1).max(64).optional(),
    /** Forecast: the month's target, in the forecast's main currency. */
    target: z.coerce.number().nonnegative().optional(),
    /** At most this many ids in each id list of the answer (0–10000, default 100); counts stay whole. */
    idLimit: z.preprocess(fromQueryString, idLimitSchema).default(METRIC_ID_LIMIT_DEFAULT),
  })
  .strict();

/** `metrics.get` on the agent socket: any metric, with the query of its kind. */
export const metricGetRequestSchema = z
  .object({
    name: z.enum(METRIC_NAMES),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    groupBy: z.enum(METRIC_GROUPS).optional(),
    /** Conversation clocks: wall-clock time (default) or business hours. */
    hours: z.enum(METRIC_HOURS).optional(),
    pipelineId: z.string().min(1).max(64).optional(),
    target: z.number().nonnegative().optional(),
    /** Pipeline metrics: at most this many ids in each id list (0–10000, default 100). */
    idLimit: idLimitSchema.optional(),
  })
  .strict();
export type MetricGetRequest = z.input<typeof metricGetRequestSchema>;

/** Amounts per ISO 4217 currency, in currency units (exact to the cent). */
export type Money = Record<string, number>;

/** What the dashboard lists when drilling down into a number. */
export interface MetricDeal {
  id: string;
  title: string;
  amount: number;
  currency: string;
  status: 'open' | 'won' | 'lost';
  stageId: string;
  ownerId: string | null;
  conversationId: string | null;
  contactId: string | null;
}

interface PipelineMetricBase {
  from: string;
  to: string;
  /** Null when the workspace has no pipeline yet. */
  pipelineId: string | null;
  pipelineName: string | null;
  /**
   * The most ids each id list below holds (the request's `idLimit`, default 100). Every list
   * (`dealIds`, `movedOnIds`, `wonIds`, `lostIds`, `openIds`) is cut to it, most recently changed
   * deal first (the deal's last update, newest first; ties by id, ascending), while the counts
   * beside it (`entered`, `count`, `won`, `dealCount`…) always cover every deal.
   */
  idLimit: number;
  /** The deals the id lists below point to, each once (none beyond what the lists hold). */
  deals: MetricDeal[];
}

export interface StageConversionRow {
  stageId: string;
  name: string;
  kind: 'open' | 'won' | 'lost';
  /** Deals that entered the stage in the range. */
  entered: number;
  /** Of those, deals that later reached a stage further on (lost excluded). */
  movedOn: number;
  /** Of those, deals won by now. */
  won: number;
  /** movedOn / entered, 0–1; null when nobody entered. */
  conversion: number | null;
  winRate: number | null;
  dealIds: string[];
  movedOnIds: string[];
  wonIds: string[];
}
export interface StageConversionResult extends PipelineMetricBase {
  name: 'stage-conversion';
  stages: StageConversionRow[];
}

export interface DealVelocityRow {
  stageId: string;
  name: string;
  /** Stays in the stage that ended in the range. */
  count: number;
  meanDays: number | null;
  medianDays: number | null;
  /** Distinct deals behind those stays (a deal may stay in a stage twice). */
  dealCount: number;
  dealIds: string[];
}
export interface DealVelocityResult extends PipelineMetricBase {
  name: 'deal-velocity';
  stages: DealVelocityRow[];
  /** Sum of the open stages' mean days: a typical trip through the pipeline. */
  totalDays: number | null;
}

export interface DaysGroup {
  key: string;
  count: number;
  median: number | null;
  p90: number | null;
  mean: number | null;
  dealIds: string[];
}
export interface LeadToCloseResult extends PipelineMetricBase {
  name: 'lead-to-close';
  groupBy: (typeof PIPELINE_METRIC_GROUPS)[number];
  unit: 'days';
  overall: DaysGroup;
  groups: DaysGroup[];
}

export interface WinRateGroup {
  key: string;
  won: number;
  lost: number;
  /** won / (won + lost), 0–1; null when nothing closed. */
  rate: number | null;
  wonIds: string[];
  lostIds: string[];
}
export interface WinRateResult extends PipelineMetricBase {
  name: 'win-rate';
  groupBy: (typeof PIPELINE_METRIC_GROUPS)[number];
  overall: WinRateGroup;
  groups: WinRateGroup[];
}

export interface PipelineStageRow {
  stageId: string;
  name: string;
  count: number;
  amount: Money;
  averageAgeDays: number | null;
  dealIds: string[];
}
export interface PipelineSnapshotResult extends PipelineMetricBase {
  name: 'pipeline';
  /** Open deals as of now, by open stage. */
  stages: PipelineStageRow[];
  total: { count: number; amount: Money };
}

export interface ForecastResult extends PipelineMetricBase {
  name: 'forecast';
  /** The calendar month (UTC) holding the end of the range, `YYYY-MM`. */
  month: string;
  /** Σ amount × probability of open deals expected to close in the month. */
  weighted: Money;
  /** Their full amounts. */
  amount: Money;
  /** Deals won in the month. */
  won: Money;
  /** The currency the target is compared in: the one most of the month's won and expected deals are in. */
  currency: string | null;
  target: number | null;
  /** Open deals expected to close in the month. */
  dealCount: number;
  dealIds: string[];
  /** Deals won in the month. */
  wonCount: number;
  wonIds: string[];
}

export interface AgentRankingRow {
  agentId: string;
  name: string;
  openDeals: number;
  openAmount: Money;
  /** Won in the range. */
  won: number;
  wonAmount: Money;
  lost: number;
  /** won / (won + lost) closed in the range; null when nothing closed. */
  conversion: number | null;
  /** Median first response time (seconds) of conversations started in the range. */
  firstResponseMedian: number | null;
  openIds: string[];
  wonIds: string[];
  lostIds: string[];
}
export interface AgentRankingResult extends PipelineMetricBase {
  name: 'agent-ranking';
  /** Best first: most won amount in the currency most won deals are in, then most won deals, then most open deals. */
  agents: AgentRankingRow[];
}

export type PipelineMetricResult =
  | StageConversionResult
  | DealVelocityResult
  | LeadToCloseResult
  | WinRateResult
  | PipelineSnapshotResult
  | ForecastResult
  | AgentRankingResult;

// ---------------------------------------------------------------- sales metrics


export const salesMetricRequestSchema = z
  .object({
    /** Cohorts (LTV, acquisition cost): first conversations from here; hygiene: judged as of `to`. */
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    /** Hygiene: the pipeline (default the workspace's first). */
    pipelineId: z.string().min(1).max(64).optional(),
    idLimit: z.preprocess(fromQueryString, idLimitSchema).default(METRIC_ID_LIMIT_DEFAULT),
  })
  .strict();

/** Lifetime value of the customers of one group in one currency (amounts in currency units). */
export interface LtvInCurrency {
  /** Customers who bought in this currency. */
  customers: number;
  total: number;
  /** The middle customer's LTV (the mean of the two middle ones for an even count), to the cent. */
  median: number;
  /** total / customers, to the cent. */
  mean: number;
}
/** LTV per currency; currencies are never added together. */
export type LtvByCurrency = Record<string, LtvInCurrency>;

export interface LtvGroup {
  /** The channel of the first conversation, or the ad (`source_id` of the Click-to-WhatsApp referral). */
  key: string;
  /** The ad's headline (ads only). */
  label: string | null;
  /** Contacts whose first conversation started in the range in this group. */
  contacts: number;
  /** Of them, those with at least one purchase. */
  customers: number;
  ltv: LtvByCurrency;
  /** Customers (most valuable first), at most `idLimit`. */
  contactIds: string[];
}

/** A customer listed behind an LTV or acquisition number. */
export interface MetricContact {
  id: string;
  name: string | null;
  channel: string;
  firstConversationId: string;
  firstContactAt: string;
  ltv: Money;
}

export interface LtvByChannelResult {
  name: 'ltv-by-channel';
  from: string;
  to: string;
  idLimit: number;
  overall: LtvGroup;
  channels: LtvGroup[];
  /** First conversations that came from a Click-to-WhatsApp ad (`ctwa_clid` known), per ad. */
  ads: LtvGroup[];
  contacts: MetricContact[];
}

export interface HygieneRow {
  /** The owner (`unassigned` for none). */
  key: string;
  name: string | null;
  open: number;
  upToDate: number;
  stale: number;
  /** upToDate / open, 0–1; null without open deals. */
  share: number | null;
  /** Stale deals, longest without follow-up first, at most `idLimit`. */
  staleIds: string[];
}

/** A stale deal: when the customer last heard from the team, and the stage's limit. */
export interface StaleDeal extends MetricDeal {
  lastFollowUpAt: string | null;
  stageName: string;
  stalledAfterDays: number;
}

export interface PipelineHygieneResult {
  name: 'pipeline-hygiene';
  /** Open deals are judged as of `to`. */
  to: string;
  pipelineId: string | null;
  pipelineName: string | null;
  idLimit: number;
  /** The limit used for stages that set no `stalledAfterDays`. */
  defaultStalledAfterDays: number;
  overall: HygieneRow;
  owners: HygieneRow[];
  deals: StaleDeal[];
}

/** Acquisition of one channel (and month, or the whole range): spend, leads and cost per step. */
export interface AcquisitionRow {
  channel: string;
  /** `YYYY-MM`, or null for the whole range. */
  month: string | null;
  spend: Money;
  /** Contacts whose first conversation started on this channel. */
  leads: number;
  /** Of them, those who got a deal. */
  qualified: number;
  /** Of them, those with a won deal. */
  won: number;
  /** Spend / leads, per spend currency (absent when there are none). */
  costPerLead: Money;
  costPerQualified: Money;
  costPerWon: Money;
}

export interface AcquisitionChannel extends AcquisitionRow {
  /** LTV of the channel's customers acquired in the range, per currency. */
  ltv: LtvByCurrency;
  /** Mean LTV / cost per won customer, only where both are in the same currency. */
  ltvToCac: Record<string, number>;
}

export interface SpendEntry {
  channel: string;
  /** '' when the spend is the channel's as a whole. */
  campaign: string;
  month: string;
  amount: number;
  currency: string;
}

export interface AcquisitionCostResult {
  name: 'acquisition-cost';
  from: string;
  to: string;
  /** The months the range touches, `YYYY-MM`. */
  months: string[];
  channels: AcquisitionChannel[];
  /** Per channel and month. */
  rows: AcquisitionRow[];
  /** The spend entered for those months. */
  spend: SpendEntry[];
}

export interface WorkloadRow {
  /** The agent (`unassigned` for conversations nobody holds). */
  agentId: string;
  name: string | null;
  presence: AgentPresence | null;
  /** Open or pending conversations assigned. */
  open: number;
  /** Of them, whose customer waits for an answer. */
  waiting: number;
  /** When the longest wait began, and its seconds until the answer was made. */
  longestWaitSince: string | null;
  longestWaitSeconds: number | null;
  /** The waiting conversations, longest wait first, at most `idLimit`. */
  waitingIds: string[];
}

export interface WorkloadConversation {
  id: string;
  contactId: string;
  contactName: string | null;
  channel: string;
  assigneeId: string | null;
  waitingSince: string;
}

export interface WorkloadResult {
  name: 'workload';
  at: string;
  idLimit: number;
  /** Most waiting first, then the longest wait, then most open. */
  agents: WorkloadRow[];
  conversations: WorkloadConversation[];
}

export type SalesMetricResult = LtvByChannelResult | PipelineHygieneResult | AcquisitionCostResult | WorkloadResult;

// ---------------------------------------------------------------- spend

export const SPEND_LIMITS = { campaign: 120, csvRows: 5000 } as const;

export const spendEntrySchema = z
  .object({
    channel: z.enum(CHANNELS, { error: `channel must be one of ${CHANNELS.join(', ')}` }),
    campaign: z.string().trim().max(SPEND_LIMITS.campaign, `campaign can be at most ${SPEND_LIMITS.campaign} characters`).optional(),
    month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month must be a month such as 2026-04'),
    amount: amountSchema,
    currency: currencySchema,
  })
  .strict();
export type SpendEntryRequest = z.input<typeof spendEntrySchema>;

export const spendListRequestSchema = z
  .object({
    from: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'from must be a month such as 2026-01').optional(),
    to: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'to must be a month such as 2026-12').optional(),
  })
  .strict();

/** `GET /api/v1/reports/metrics.pdf`: every metric of the dashboard for a range, as a PDF. */
export const metricsReportRequestSchema = z
  .object({
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    pipelineId: z.string().min(1).max(64).optional(),
  })
  .strict();
