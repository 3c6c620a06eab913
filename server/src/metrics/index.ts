import {
  CONVERSATION_METRICS, METRIC_NAMES, PIPELINE_METRICS, metricRequestSchema, pipelineMetricRequestSchema,
  type Agent, type ConversationMetric, type MetricGetRequest, type MetricResult, type PipelineMetric, type PipelineMetricResult,
} from '@charla/protocol';
import { CharlaFailure } from '../failure.js';
import type { Store } from '../store/index.js';
import { parseInput } from '../validation.js';
import { conversationMetric } from './conversations.js';
import { pipelineMetric } from './pipeline.js';

/** Any metric by name, with the query of its kind (REST query strings and `metrics.get` alike). */
export async function computeMetric(store: Store, agent: Agent, name: string, query: Record<string, unknown>): Promise<MetricResult | PipelineMetricResult> {
  if ((CONVERSATION_METRICS as readonly string[]).includes(name)) {
    return conversationMetric(store, agent, name as ConversationMetric, parseInput(metricRequestSchema, query));
  }
  if ((PIPELINE_METRICS as readonly string[]).includes(name)) {
    return pipelineMetric(store, agent, name as PipelineMetric, parseInput(pipelineMetricRequestSchema, query));
  }
  throw new CharlaFailure('not_found', `Unknown metric "${name}"; available: ${METRIC_NAMES.join(', ')}`);
}

/** The `metrics.get` socket request: the same metrics as the REST route. */
export function getMetric(store: Store, agent: Agent, request: MetricGetRequest): Promise<MetricResult | PipelineMetricResult> {
  const { name, ...query } = request;
  return computeMetric(store, agent, name, Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined)));
}
