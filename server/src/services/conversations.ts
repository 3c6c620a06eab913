import type {
  Agent, Conversation, SystemLine, ConversationDetail, ConversationPage, ConversationStatus,
  conversationListRequestSchema, conversationUpdateRequestSchema,
} from '@charla/protocol';
import type { z } from 'zod';
import { CharlaFailure } from '../failure.js';
import { nowIso } from '../ids.js';
import type { ConversationFilter, Store } from '../store/index.js';
import { conversationChanged, recordSystemLine, requireContact } from './changes.js';
import { askForRating } from './csat.js';
import { requireVisibleConversation, visibilityLimitOf } from './visibility.js';
import { decodeCursor, encodeCursor, pageOf } from './cursor.js';
import { notifyAssignment } from './notifications.js';
import { queueReadReceipt } from '../channels/outbound.js';
import { routingSettingsOf, slaCalendarOf, slaThresholds } from '../routing/routing.js';

type ListRequest = z.output<typeof conversationListRequestSchema>;
type UpdateRequest = z.output<typeof conversationUpdateRequestSchema>;

async function filterFor(store: Store, agent: Agent, request: ListRequest): Promise<ConversationFilter> {
  const filter: ConversationFilter = { status: request.status };
  if (request.assignee === 'me') filter.assigneeId = agent.id;
  else if (request.assignee === 'unassigned') filter.assigneeId = null;
  else if (request.assignee) filter.assigneeId = request.assignee;
  if (request.channel) filter.channel = request.channel;
  if (request.priority) filter.priority = request.priority;
  if (request.team) filter.teamId = request.team;
  if (request.sla === 'breaching') {
    // Due within the next 15 minutes, or overdue.
    const { sla } = await routingSettingsOf(store, agent.workspaceId);
    filter.slaBefore = slaThresholds(sla, await slaCalendarOf(store, agent.workspaceId, sla), Date.now(), 15);
  }
  if (request.label) filter.label = request.label;
  if (request.query) filter.query = request.query;
  const limit = await visibilityLimitOf(store, agent);
  if (limit !== undefined) filter.visibleTo = limit;
  return filter;
}

/** One page of the inbox, newest activity first, with the contacts shown and the per-status counts. */
export async function listConversations(store: Store, agent: Agent, request: ListRequest): Promise<ConversationPage> {
  const filter = await filterFor(store, agent, request);
  const cursor = request.cursor ? decodeCursor(request.cursor, 2) : null;
  const after = cursor ? { lastMessageAt: cursor[0]!, id: cursor[1]! } : null;
  const [rows, byStatus] = await Promise.all([
    store.conversations.list(agent.workspaceId, filter, after, request.limit + 1),
    store.conversations.countByStatus(agent.workspaceId, filter),
  ]);
  const { items: conversations, hasMore } = pageOf(rows, request.limit);
  const last = conversations.at(-1);
  const contacts = await store.contacts.many(agent.workspaceId, conversations.map((c) => c.contactId));
  const count = (status: ConversationStatus) => byStatus.get(status) ?? 0;
  return {
    conversations,
    contacts,
    nextCursor: hasMore && last ? encodeCursor([last.lastMessageAt ?? last.createdAt, last.id]) : null,
    counts: {
      open: count('open'),
      pending: count('pending'),
      snoozed: count('snoozed'),
      resolved: count('resolved'),
      all: count('open') + count('pending') + count('snoozed') + count('resolved'),
    },
  };
}

export async function getConversation(store: Store, agent: Agent, conversationId: string): Promise<ConversationDetail> {
  const conversation = await requireVisibleConversation(store, agent, conversationId);
  const contact = await requireContact(store, agent.workspaceId, conversation.contactId);
  return { conversation, contact };
}

/**
 * Changes status, priority, assignee or labels. Each actual change is also written into the
 * thread as a private system line ("Ana García set status to resolved") so agents see who did
 * what; a request that changes nothing changes nothing.
 */
export async function updateConversation(store: Store, agent: Agent, update: UpdateRequest): Promise<Conversation> {
  let request = update;
  return store.transaction(async (scope) => {
    const current = await requireVisibleConversation(scope, agent, request.conversationId);
    const next: Conversation = { ...current };
    const lines: SystemLine[] = [];
    const actor = agent.name;

    if (request.snoozedUntil !== undefined && request.status === undefined) request = { ...request, status: 'snoozed' };
    if (request.status !== undefined && request.status !== current.status) {
      next.status = request.status;
      // A resolved conversation has nobody waiting; a new customer message reopens it.
      if (request.status === 'resolved') next.waitingSince = null;
      lines.push({ key: 'status_set', values: { actor, status: request.status } });
    }
    const wakeAt = request.snoozedUntil ? new Date(request.snoozedUntil).toISOString() : request.snoozedUntil;
    if (wakeAt !== undefined && wakeAt !== (current.snoozedUntil ?? null)) {
      next.snoozedUntil = wakeAt;
      if (wakeAt) lines.push({ key: 'snoozed_until', values: { actor, until: wakeAt.replace('T', ' ').slice(0, 16) } });
    }
    if (request.priority !== undefined && request.priority !== current.priority) {
      next.priority = request.priority;
      lines.push({ key: 'priority_set', values: { actor, priority: request.priority } });
    }
    if (request.assigneeId !== undefined && request.assigneeId !== current.assigneeId) {
      next.assigneeId = request.assigneeId;
      if (request.assigneeId === null) {
        lines.push({ key: 'unassigned', values: { actor } });
      } else {
        const assignee = await scope.workspaces.agent(agent.workspaceId, request.assigneeId);
        if (!assignee) throw new CharlaFailure('invalid_payload', 'assigneeId: No agent of this workspace has this id');
        lines.push({ key: 'assigned', values: { actor, assignee: assignee.name } });
      }
    }
    if (request.teamId !== undefined && request.teamId !== (current.teamId ?? null)) {
      next.teamId = request.teamId;
      if (request.teamId === null) {
        lines.push({ key: 'team_removed', values: { actor } });
      } else {
        const team = await scope.teams.get(agent.workspaceId, request.teamId);
        if (!team) throw new CharlaFailure('invalid_payload', 'teamId: No team of this workspace has this id');
        lines.push({ key: 'team_set', values: { actor, team: team.name } });
      }
    }
    if (request.labels !== undefined) {
      const labels = [...new Set(request.labels)];
      if (labels.join('\n') !== current.labels.join('\n')) {
        next.labels = labels;
        lines.push(labels.length > 0 ? { key: 'labels_set', values: { actor, labels: labels.join(', ') } } : { key: 'labels_removed', values: { actor } });
      }
    }
    if (lines.length === 0) return current;
    // Only a snoozed conversation keeps a wake-up time.
    if (next.status !== 'snoozed') next.snoozedUntil = null;

    next.updatedAt = nowIso();
    await scope.conversations.save(next);
    for (const line of lines) await recordSystemLine(scope, next, line, agent);
    if (next.status === 'resolved' && current.status !== 'resolved') await askForRating(scope, next);
    await conversationChanged(scope, next);
    if (next.assigneeId !== current.assigneeId) await notifyAssignment(scope, agent, next);
    await scope.audit.record({
      workspaceId: agent.workspaceId,
      actorKind: 'agent',
      actorId: agent.id,
      action: 'conversation.update',
      targetKind: 'conversation',
      targetId: next.id,
      data: { changes: lines },
    });
    return next;
  });
}

/** Marks the conversation read: its unread count drops to zero, and a WhatsApp customer sees their messages read. */
export async function markConversationRead(store: Store, agent: Agent, conversationId: string): Promise<Conversation> {
  return store.transaction(async (scope) => {
    const current = await requireVisibleConversation(scope, agent, conversationId);
    if (current.unreadCount === 0) return current;
    const next: Conversation = { ...current, unreadCount: 0, updatedAt: nowIso() };
    await scope.conversations.save(next);
    await conversationChanged(scope, next);
    await queueReadReceipt(scope, next);
    return next;
  });
}
