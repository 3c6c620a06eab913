/** Service-level clocks, shared by the server and the views (no schema library: safe for front-end bundles). */
import type { RoutingSettings } from './routing.js';

/** When the conversation's current wait breaches its target (null: nobody is waiting, or no target). */
export function slaDueAt(
  conversation: { waitingSince: string | null; firstReplyAt: string | null; status: string },
  sla: RoutingSettings['sla'],
): string | null {
  if (!conversation.waitingSince || conversation.status === 'resolved' || conversation.status === 'snoozed') return null;
  const minutes = conversation.firstReplyAt ? sla.nextResponseMinutes : sla.firstResponseMinutes;
  return minutes === null ? null : new Date(Date.parse(conversation.waitingSince) + minutes * 60_000).toISOString();
}
