import {
  CONVERSATION_METRICS, CSAT_METRICS, METRIC_NAMES, PIPELINE_METRICS, SALES_METRICS, metricRequestSchema, pipelineMetricRequestSchema, salesMetricRequestSchema,
  type Agent, type ConversationMetric, type MetricGetRequest, type MetricResult, type PipelineMetric, type PipelineMetricResult,
  type SalesMetric, type SalesMetricResult, type CsatMetricResult,
} from '@charla/protocol';
import { csatMetric } from './csat.js';
import { CharlaFailure } from '../failure.js';
import type { Store } from '../store/index.js';
import { parseInput } from '../validation.js';
import { conversationMetric } from './conversations.js';
import { pipelineMetric } from './pipeline.js';
import { salesMetric, type PresenceLookup } from './sales.js';

export type { PresenceLookup } from './sales.js';

/** What any metric may answer. */
export type AnyMetricResult = MetricResult | PipelineMetricResult | SalesMetricResult | CsatMetricResult;

/**
 * Any metric by name, with the query of its kind (REST query strings and `metrics.get` alike);
 * `presence` tells the workload who is connected and who is away. Its reads go to the store's
 * long-read connection (see `Store.reads`).
 */
export async function computeMetric(store: Store, agent: Agent, name: string, query: Record<string, unknown>, presence: PresenceLookup): Promise<AnyMetricResult> {
  const reads = store.reads;
  if ((CONVERSATION_METRICS as readonly string[]).includes(name)) {
    return conversationMetric(reads, agent, name as ConversationMetric, parseInput(metricRequestSchema, query));
  }
  if ((CSAT_METRICS as readonly string[]).includes(name)) return csatMetric(reads, agent, parseInput(metricRequestSchema, query));
  if ((PIPELINE_METRICS as readonly string[]).includes(name)) {
    return pipelineMetric(reads, agent, name as PipelineMetric, parseInput(pipelineMetricRequestSchema, query));
  }
  if ((SALES_METRICS as readonly string[]).includes(name)) {
    return salesMetric(reads, agent, name as SalesMetric, parseInput(salesMetricRequestSchema, query), presence);
  }
  throw new CharlaFailure('not_found', `Unknown metric "${name}"; available: ${METRIC_NAMES.join(', ')}`);
}

/** The `metrics.get` socket request: the same metrics as the REST route. */
export function getMetric(store: Store, agent: Agent, request: MetricGetRequest, presence: PresenceLookup): Promise<AnyMetricResult> {
  const { name, ...query } = request;
  return computeMetric(store, agent, name, Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined)), presence);
}
