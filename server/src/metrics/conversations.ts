import { ALWAYS_OPEN, BusinessCalendar, type Agent, type ConversationMetric, type MetricGroup, type MetricResult, type metricRequestSchema } from '@charla/protocol';
import type { z } from 'zod';
import { weeklyHoursOf, widgetSettingsOf } from '../services/widget.js';
import type { StoreScope } from '../store/index.js';
import { Slices } from '../slices.js';

type MetricRequest = z.output<typeof metricRequestSchema>;
type GroupBy = MetricRequest['groupBy'];

const DAY_MS = 86_400_000;

/** Median, p90 and mean of durations (seconds), rounded to the second. */
export function summarize(key: string, values: number[]): MetricGroup {
  if (values.length === 0) return { key, count: 0, median: null, p90: null, mean: null };
  // A typed array sorts numerically without a comparator call per pair (a month holds ~100,000 waits).
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  return { key, count: sorted.length, median: Math.round(at(0.5)), p90: Math.round(at(0.9)), mean: Math.round(mean) };
}

interface Sample {
  seconds: number;
  channel: string;
  agent: string | null;
  at: string;
}

function groupKey(sample: { channel: string; agent: string | null; at: string }, groupBy: GroupBy): string {
  if (groupBy === 'channel') return sample.channel;
  if (groupBy === 'agent') return sample.agent ?? 'unassigned';
  if (groupBy === 'day') return sample.at.slice(0, 10);
  return 'all';
}

function grouped(samples: Sample[], groupBy: GroupBy): MetricGroup[] {
  if (groupBy === 'none') return [];
  const byKey = new Map<string, number[]>();
  for (const sample of samples) {
    const key = groupKey(sample, groupBy);
    const values = byKey.get(key);
    if (values) values.push(sample.seconds);
    else byKey.set(key, [sample.seconds]);
  }
  return [...byKey.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, values]) => summarize(key, values));
}

/** The clock durations count on: every instant, or the workspace's weekly hours in its time zone. */
async function calendarFor(store: StoreScope, workspaceId: string, hours: MetricRequest['hours']): Promise<BusinessCalendar> {
  if (hours === 'wall') return new BusinessCalendar(ALWAYS_OPEN);
  const { settings } = await widgetSettingsOf(store, workspaceId);
  return new BusinessCalendar(weeklyHoursOf(settings));
}

/**
 * The conversation clocks (definitions in the README):
 * - first response: from the customer's first message to the first reply of a human agent
 *   (bot and system messages do not stop it; private notes do not count);
 * - reply time: from each customer message that starts a wait to the next human reply;
 * - resolution: from the conversation's start to when it was resolved;
 * - volume: conversations started.
 * A conversation belongs to the range by when it started (resolution: by when it was resolved).
 * With `hours: 'business'` a duration counts only the time inside the workspace's weekly hours.
 */
export async function conversationMetric(store: StoreScope, agent: Agent, name: ConversationMetric, request: MetricRequest): Promise<MetricResult> {
  const to = request.to ? new Date(request.to).toISOString() : new Date().toISOString();
  const from = request.from ? new Date(request.from).toISOString() : new Date(Date.parse(to) - 30 * DAY_MS).toISOString();
  const workspaceId = agent.workspaceId;
  const [calendar, waitingNow] = await Promise.all([calendarFor(store, workspaceId, request.hours), store.conversations.waitingCount(workspaceId)]);
  const seconds = (start: string, end: string) => calendar.between(Date.parse(start), Date.parse(end)) / 1000;
  const base = { name, from, to, groupBy: request.groupBy, hours: request.hours, waitingNow };
  // A duration metric: its samples summarized overall and per group.
  const durations = (samples: Sample[]) => ({
    ...base, unit: 'seconds' as const, overall: summarize('all', samples.map((s) => s.seconds)), groups: grouped(samples, request.groupBy),
  });

  if (name === 'volume') {
    const started = await store.conversations.startedBetween(workspaceId, from, to);
    const samples = started.map((c) => ({ seconds: 1, channel: c.channel, agent: c.assignee_id, at: c.created_at }));
    const count = (key: string, n: number): MetricGroup => ({ key, count: n, median: null, p90: null, mean: null });
    const groups = new Map<string, number>();
    if (request.groupBy !== 'none') {
      for (const sample of samples) {
        const key = groupKey(sample, request.groupBy);
        groups.set(key, (groups.get(key) ?? 0) + 1);
      }
    }
    return {
      ...base,
      unit: 'conversations',
      overall: count('all', samples.length),
      groups: [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, n]) => count(key, n)),
    };
  }

  if (name === 'resolution-time') {
    const resolved = await store.conversations.resolvedBetween(workspaceId, from, to);
    const samples = resolved.map((c) => ({ seconds: seconds(c.created_at, c.resolved_at), channel: c.channel, agent: c.assignee_id, at: c.resolved_at }));
    return durations(samples);
  }

  if (name === 'first-response-time') {
    // One indexed lookup per conversation: its first customer message and the first human reply after it.
    const firsts = await store.conversations.firstReplies(workspaceId, from, to);
    const samples: Sample[] = [];
    for (const first of firsts) {
      if (first.replied_at === null) continue;
      samples.push({ seconds: seconds(first.first_in, first.replied_at), channel: first.channel, agent: first.replied_by, at: first.first_in });
    }
    return { ...durations(samples), unanswered: firsts.length - samples.length };
  }

  // reply-time walks each conversation's public messages in order.
  const rows = await store.conversations.metricMessages(workspaceId, from, to);
  const replies: Sample[] = [];
  const slices = new Slices();
  for (let i = 0; i < rows.length; ) {
    if (slices.due()) await slices.turn();
    const conversationId = rows[i]!.conversation_id;
    let waitingSince: string | null = null;
    for (; i < rows.length && rows[i]!.conversation_id === conversationId; i++) {
      const row = rows[i]!;
      if (row.direction === 'in' && row.sender_kind === 'contact') {
        waitingSince ??= row.created_at;
      } else if (row.sender_kind === 'agent' && waitingSince) {
        replies.push({ seconds: seconds(waitingSince, row.created_at), channel: row.channel, agent: row.sender_id, at: waitingSince });
        waitingSince = null;
      }
    }
  }
  return durations(replies);
}
