/**
 * The private lines Charla writes in a thread ("Ana García set status to resolved"). Each is stored
 * with its English text as the message body (for the API and any client) and, in
 * `content.line`, its key and values, so views can say it in the agent's language. No schema
 * library here: views import it.
 */
export const SYSTEM_LINES = {
  status_set: '{actor} set status to {status}',
  snoozed_until: '{actor} snoozed the conversation until {until} UTC',
  priority_set: '{actor} set priority to {priority}',
  unassigned: '{actor} unassigned the conversation',
  assigned: '{actor} assigned the conversation to {assignee}',
  team_removed: '{actor} removed the conversation from its team',
  team_set: '{actor} routed the conversation to {team}',
  labels_set: '{actor} set labels to {labels}',
  labels_removed: '{actor} removed all labels',
  routed_vip: 'Sent to team {team} by VIP routing (lifetime value {value})',
  routed_channel: 'Sent to team {team} by rule: channel {channel}',
  routed_label: 'Sent to team {team} by rule: label {label}',
  routed_topic: 'Sent to team {team} by rule: topic {topic}',
  skill_channel: 'Needs an agent with the skill {skill} by rule: channel {channel}',
  skill_label: 'Needs an agent with the skill {skill} by rule: label {label}',
  skill_topic: 'Needs an agent with the skill {skill} by rule: topic {topic}',
  assigned_round_robin: 'Assigned to {assignee} by round-robin',
  assigned_returning: 'Assigned to {assignee} by returning customer',
  sla_first_breached: 'First response SLA breached (target {minutes} min)',
  sla_next_breached: 'Next response SLA breached (target {minutes} min)',
  sla_resolution_breached: 'Resolution SLA breached (target {minutes} min)',
  sla_first_breached_business: 'First response SLA breached (target {minutes} min in business hours)',
  sla_next_breached_business: 'Next response SLA breached (target {minutes} min in business hours)',
  sla_resolution_breached_business: 'Resolution SLA breached (target {minutes} min in business hours)',
  auto_resolved: 'Resolved automatically after {hours} idle hours',
  snooze_ended: 'The snooze ended: the conversation is open again',
  possible_duplicate: '{contact} may be the same person as the contact {other} (same name only). Merge them if so.',
  contact_merged: '{actor} merged {merged} into {contact} ({reason})',
  csat_rated: 'The customer rated the conversation {rating}/5',
  csat_rated_comment: 'The customer rated the conversation {rating}/5: “{comment}”',
} as const;

export type SystemLineKey = keyof typeof SYSTEM_LINES;

/** A system line as stored in `content.line`: which line, and the words that fill it. */
export interface SystemLine {
  key: SystemLineKey;
  values: Record<string, string | number>;
}

/** Fills `{name}` placeholders; unknown ones stay as they are. */
export function fillTemplate(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** The line in English (the stored body). */
export function systemLineText(line: SystemLine): string {
  return fillTemplate(SYSTEM_LINES[line.key], line.values);
}

/** The structured line of a stored system message, when it has one this version knows. */
export function systemLineOf(content: Record<string, unknown> | null | undefined): SystemLine | null {
  const line = content?.['line'] as Partial<SystemLine> | undefined;
  if (!line || typeof line.key !== 'string' || !(line.key in SYSTEM_LINES) || typeof line.values !== 'object' || line.values === null) return null;
  return { key: line.key as SystemLineKey, values: line.values };
}
