/** Conversation metrics, as `GET /api/v1/metrics/:name` serves them. */
import { z } from 'zod';

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
export const METRIC_NAMES = [...CONVERSATION_METRICS, ...PIPELINE_METRICS] as const;
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
