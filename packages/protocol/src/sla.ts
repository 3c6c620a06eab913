/** Service-level clocks, shared by the server and the views (no schema library: safe for front-end bundles). */
import { ALWAYS_OPEN, BusinessCalendar, type WeeklyHours } from './business-hours.js';
import type { SlaTargets } from './routing.js';

export { ALWAYS_OPEN, BusinessCalendar, type WeeklyHours } from './business-hours.js';

const MINUTE = 60_000;

/** The conversation fields the clocks read. */
export interface SlaClockState {
  status: string;
  createdAt: string;
  waitingSince: string | null;
  firstReplyAt: string | null;
}

/**
 * How the targets count time: the wall clock, or the workspace's business hours when the
 * targets say so and `hours` are known.
 */
export function slaCalendar(sla: Pick<SlaTargets, 'businessHours'>, hours: WeeklyHours | null | undefined): BusinessCalendar {
  return new BusinessCalendar(sla.businessHours && hours ? hours : ALWAYS_OPEN);
}

/** When a clock started at `start` with a target of `minutes` breaches, in ms (null: never). */
export function dueAfter(calendar: BusinessCalendar, start: string, minutes: number | null): number | null {
  return minutes === null ? null : calendar.add(Date.parse(start), minutes * MINUTE);
}

/**
 * When the conversation next breaches a target, ISO (null: no clock runs). The response clock runs
 * while the customer waits (first response before the first reply, next response after); the
 * resolution clock from the conversation's start until it is resolved. The earlier one shows.
 */
export function slaDueAt(conversation: SlaClockState, sla: SlaTargets, calendar = slaCalendar(sla, null)): string | null {
  if (conversation.status === 'resolved') return null;
  const dues: number[] = [];
  if (conversation.waitingSince && conversation.status !== 'snoozed') {
    const response = dueAfter(calendar, conversation.waitingSince, conversation.firstReplyAt ? sla.nextResponseMinutes : sla.firstResponseMinutes);
    if (response !== null) dues.push(response);
  }
  const resolution = dueAfter(calendar, conversation.createdAt, sla.resolutionMinutes ?? null);
  if (resolution !== null) dues.push(resolution);
  return dues.length === 0 ? null : new Date(Math.min(...dues)).toISOString();
}
