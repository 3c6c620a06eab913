/**
 * The `csat` metric: the customers' ratings in a range (by when they answered), overall and per
 * agent (whom the conversation was assigned to when resolved), channel or day, with the answers
 * behind the numbers for drill-down to their conversations.
 */
import type { Agent, CsatGroup, CsatMetricResult, CsatSurvey, metricRequestSchema } from '@charla/protocol';
import type { z } from 'zod';
import type { StoreScope } from '../store/index.js';

type MetricRequest = z.output<typeof metricRequestSchema>;

const DAY_MS = 86_400_000;
/** Answers listed behind the numbers (the counts cover them all). */
const RESPONSES_LISTED = 500;

/** Count, mean (two decimals), share rating 4 or 5 (percent, one decimal) and distribution of some ratings. */
export function csatGroup(key: string, ratings: readonly number[]): CsatGroup {
  const distribution: CsatGroup['distribution'] = [0, 0, 0, 0, 0];
  for (const rating of ratings) distribution[rating - 1]! += 1;
  const responses = ratings.length;
  if (responses === 0) return { key, responses, average: null, score: null, distribution };
  const sum = ratings.reduce((total, rating) => total + rating, 0);
  return {
    key,
    responses,
    average: Math.round((sum / responses) * 100) / 100,
    score: Math.round(((distribution[3] + distribution[4]) / responses) * 1000) / 10,
    distribution,
  };
}

function keyOf(survey: CsatSurvey, groupBy: MetricRequest['groupBy']): string {
  if (groupBy === 'channel') return survey.channel;
  if (groupBy === 'agent') return survey.agentId ?? 'unassigned';
  if (groupBy === 'day') return survey.answeredAt!.slice(0, 10);
  return 'all';
}

export async function csatMetric(store: StoreScope, agent: Agent, request: MetricRequest): Promise<CsatMetricResult> {
  const to = request.to ? new Date(request.to).toISOString() : new Date().toISOString();
  const from = request.from ? new Date(request.from).toISOString() : new Date(Date.parse(to) - 30 * DAY_MS).toISOString();
  const workspaceId = agent.workspaceId;
  const [answered, { asked, expired }] = await Promise.all([
    store.csat.answeredBetween(workspaceId, from, to),
    store.csat.askedBetween(workspaceId, from, to),
  ]);
  const byKey = new Map<string, number[]>();
  if (request.groupBy !== 'none') {
    for (const survey of answered) {
      const key = keyOf(survey, request.groupBy);
      byKey.set(key, [...(byKey.get(key) ?? []), survey.rating!]);
    }
  }
  return {
    name: 'csat',
    from,
    to,
    groupBy: request.groupBy,
    unit: 'rating',
    overall: csatGroup('all', answered.map((survey) => survey.rating!)),
    groups: [...byKey.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, ratings]) => csatGroup(key, ratings)),
    asked,
    expired,
    responses: answered.slice(0, RESPONSES_LISTED).map((survey) => ({
      surveyId: survey.id,
      conversationId: survey.conversationId,
      contactId: survey.contactId,
      channel: survey.channel,
      agentId: survey.agentId,
      rating: survey.rating!,
      comment: survey.comment,
      answeredAt: survey.answeredAt!,
    })),
  };
}
