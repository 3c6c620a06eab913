import type {
  AcquisitionCostResult, AgentRankingResult, CsatMetricResult, DealVelocityResult, ForecastResult, LeadToCloseResult, LtvByChannelResult, MetricGetRequest, MetricResult,
  PipelineHygieneResult, PipelineSnapshotResult, StageConversionResult, WinRateResult, WorkloadResult,
} from '@charla/protocol';
import type { CharlaClient } from './agent-client.js';

/** What each metric answers. */
export interface MetricResults {
  'first-response-time': MetricResult;
  'reply-time': MetricResult;
  'resolution-time': MetricResult;
  volume: MetricResult;
  'stage-conversion': StageConversionResult;
  'deal-velocity': DealVelocityResult;
  'lead-to-close': LeadToCloseResult;
  'win-rate': WinRateResult;
  pipeline: PipelineSnapshotResult;
  forecast: ForecastResult;
  'agent-ranking': AgentRankingResult;
  'ltv-by-channel': LtvByChannelResult;
  'pipeline-hygiene': PipelineHygieneResult;
  'acquisition-cost': AcquisitionCostResult;
  workload: WorkloadResult;
  csat: CsatMetricResult;
}

/** The query of `metrics.get` without the name. */
export type MetricQuery = Omit<MetricGetRequest, 'name'>;

/** One metric over the agent socket (`metrics.get`), typed by its name. */
export async function fetchMetric<N extends keyof MetricResults>(
  client: Pick<CharlaClient, 'request'>,
  name: N,
  query: MetricQuery = {},
): Promise<MetricResults[N]> {
  return (await client.request('metrics.get', { ...query, name })) as MetricResults[N];
}
