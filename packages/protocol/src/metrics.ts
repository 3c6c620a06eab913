/** Conversation metrics, as `GET /api/v1/metrics/:name` serves them. */
import { z } from 'zod';

export const CONVERSATION_METRICS = ['first-response-time', 'reply-time', 'resolution-time', 'volume'] as const;
export type ConversationMetric = (typeof CONVERSATION_METRICS)[number];

export const METRIC_GROUPS = ['none', 'channel', 'agent', 'day'] as const;

export const metricRequestSchema = z
  .object({
    /** Start of the range (inclusive), ISO 8601; default 30 days before `to`. */
    from: z.iso.datetime({ offset: true }).optional(),
    /** End of the range (exclusive), ISO 8601; default now. */
    to: z.iso.datetime({ offset: true }).optional(),
    groupBy: z.enum(METRIC_GROUPS).default('none'),
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
  /** First response time: conversations in the range still waiting for their first human reply. */
  unanswered?: number;
}
