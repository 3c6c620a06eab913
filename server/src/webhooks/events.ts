/**
 * Which webhook events a transaction's change-log entries are. The change log says what a view
 * must redraw (`deal.upserted`); a receiver wants what happened (`deal.won`), told apart here
 * from the entries themselves and, for a conversation's status, from what the row remembers.
 */
import type { WebhookEventType } from '@charla/protocol';
import type { NewEvent, StoreScope } from '../store/index.js';

export interface WebhookEvent {
  workspaceId: string;
  type: WebhookEventType;
  /** Events of one lane (a conversation, else the entity) reach each receiver in order. */
  lane: string;
  data: Record<string, unknown>;
}

/** Whether a subscription's patterns (`task.created`, `task.*`, `*`) cover an event type. */
export function subscribes(patterns: readonly string[], type: string): boolean {
  return patterns.some((pattern) => pattern === '*' || pattern === type || (pattern.endsWith('.*') && type.startsWith(pattern.slice(0, -1))));
}

/**
 * The webhook events of staged entries, in their order, each once per transaction (a deal
 * saved twice in one change is one `deal.updated`). `wanted` skips what no subscription asks for.
 */
export async function webhookEventsOf(
  scope: StoreScope,
  staged: ReadonlyArray<{ workspaceId: string; entry: NewEvent }>,
  wanted: (workspaceId: string, type: WebhookEventType) => boolean,
): Promise<WebhookEvent[]> {
  const events: WebhookEvent[] = [];
  const seen = new Set<string>();
  const add = (workspaceId: string, type: WebhookEventType, lane: string, data: Record<string, unknown>, entity: string) => {
    if (!wanted(workspaceId, type)) return;
    const key = `${workspaceId}:${type}:${entity}`;
    if (seen.has(key)) return;
    seen.add(key);
    events.push({ workspaceId, type, lane, data });
  };
  for (const { workspaceId, entry } of staged) {
    switch (entry.type) {
      case 'message.upserted': {
        const { message } = entry.data;
        if (entry.created && message.senderKind !== 'system') add(workspaceId, 'message.created', message.conversationId, { message }, message.id);
        break;
      }
      case 'conversation.upserted': {
        const { conversation, contact } = entry.data;
        if (entry.created) {
          // Contacts are created without an entry of their own: a new one shows with its first conversation.
          if (contact.createdAt === contact.updatedAt) add(workspaceId, 'contact.created', contact.id, { contact }, contact.id);
          add(workspaceId, 'conversation.created', conversation.id, { conversation, contact }, conversation.id);
        } else if (wanted(workspaceId, 'conversation.status_changed')) {
          const change = await scope.conversations.statusChange(workspaceId, conversation.id);
          if (change?.at === conversation.updatedAt && change.previous !== null && change.previous !== conversation.status) {
            add(workspaceId, 'conversation.status_changed', conversation.id, { conversation, contact, previousStatus: change.previous }, conversation.id);
          }
        }
        break;
      }
      case 'contact.upserted': {
        const { contact } = entry.data;
        add(workspaceId, contact.createdAt === contact.updatedAt ? 'contact.created' : 'contact.updated', contact.id, { contact }, contact.id);
        break;
      }
      case 'contact.merged':
        add(workspaceId, 'contact.merged', entry.data.contact.id, { contact: entry.data.contact, mergedId: entry.data.mergedId }, entry.data.mergedId);
        break;
      case 'deal.upserted': {
        const { deal, move } = entry.data;
        const lane = deal.conversationId ?? deal.id;
        if (move && move.from === null) add(workspaceId, 'deal.created', lane, { deal }, deal.id);
        else if (move && deal.status === 'won') add(workspaceId, 'deal.won', lane, { deal, move }, deal.id);
        else if (move && deal.status === 'lost') add(workspaceId, 'deal.lost', lane, { deal, move }, deal.id);
        else if (move) add(workspaceId, 'deal.stage_changed', lane, { deal, move }, deal.id);
        else add(workspaceId, 'deal.updated', lane, { deal }, deal.id);
        break;
      }
      case 'csat.submitted': {
        const { survey } = entry.data;
        add(workspaceId, 'csat.submitted', survey.conversationId, { survey }, survey.id);
        break;
      }
      case 'task.upserted': {
        const { task } = entry.data;
        const lane = task.conversationId ?? task.id;
        if (task.createdAt === task.updatedAt) add(workspaceId, 'task.created', lane, { task }, task.id);
        else if (task.done && task.doneAt === task.updatedAt) add(workspaceId, 'task.completed', lane, { task }, task.id);
        else add(workspaceId, 'task.updated', lane, { task }, task.id);
        break;
      }
      default:
        break;
    }
  }
  return events;
}
