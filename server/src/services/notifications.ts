import type { Agent, Conversation, Message, Notification, NotificationList, notificationsReadRequestSchema } from '@charla/protocol';
import type { z } from 'zod';
import { CharlaFailure } from '../failure.js';
import { newId, nowIso } from '../ids.js';
import type { Store, StoreScope } from '../store/index.js';
import { visibilityLimitOf } from './visibility.js';

type ReadRequest = z.output<typeof notificationsReadRequestSchema>;

const PREVIEW = 140;
const preview = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim().slice(0, PREVIEW);

/** Stores a notification and logs it for the agents' clients. */
async function notify(scope: StoreScope, notification: Notification): Promise<void> {
  await scope.notifications.insert(notification);
  // The entry goes to every agent who may see the conversation, like any change of it; each
  // client keeps the ones addressed to its agent.
  scope.events.append(notification.workspaceId, {
    type: 'notification.created',
    conversationId: notification.conversationId,
    contactId: null,
    visibility: 'agents',
    data: { notification },
  });
}

/** A note mentions teammates: each (of the workspace, other than the author) is notified once. */
export async function notifyMentions(scope: StoreScope, author: Agent, note: Message, mentions: readonly string[]): Promise<void> {
  for (const agentId of new Set(mentions)) {
    const mentioned = await scope.workspaces.agent(author.workspaceId, agentId);
    if (!mentioned) throw new CharlaFailure('invalid_payload', 'mentions: No agent of this workspace has this id');
    if (agentId === author.id) continue;
    await notify(scope, {
      id: newId('nf'), workspaceId: author.workspaceId, agentId, kind: 'mention', conversationId: note.conversationId,
      messageId: note.id, actorId: author.id, actorName: author.name, preview: preview(note.body), createdAt: nowIso(), readAt: null,
    });
  }
}

/** Someone else (or routing, with no actor) gave an agent a conversation. */
export async function notifyAssignment(scope: StoreScope, actor: Agent | null, conversation: Conversation): Promise<void> {
  if (!conversation.assigneeId || conversation.assigneeId === actor?.id) return;
  await notify(scope, {
    id: newId('nf'), workspaceId: conversation.workspaceId, agentId: conversation.assigneeId, kind: 'assignment',
    conversationId: conversation.id, messageId: null, actorId: actor?.id ?? null, actorName: actor?.name ?? null,
    preview: preview(conversation.lastMessagePreview), createdAt: nowIso(), readAt: null,
  });
}

/** A webhook subscription was paused after failing too long: every admin of the workspace is told. */
export async function notifyWebhookPaused(scope: StoreScope, workspaceId: string, url: string, failingHours: number): Promise<void> {
  const admins = (await scope.workspaces.agents(workspaceId)).filter((agent) => agent.role === 'admin');
  for (const admin of admins) {
    await notify(scope, {
      id: newId('nf'), workspaceId, agentId: admin.id, kind: 'webhook_paused', conversationId: null, messageId: null,
      actorId: null, actorName: null, preview: preview(`The webhook to ${url} failed for ${failingHours} h and was paused`), createdAt: nowIso(), readAt: null,
    });
  }
}

export async function listNotifications(store: Store, agent: Agent): Promise<NotificationList> {
  const visibleTo = await visibilityLimitOf(store, agent);
  const [notifications, unread] = await Promise.all([
    store.notifications.latest(agent.workspaceId, agent.id, 50, visibleTo),
    store.notifications.unread(agent.workspaceId, agent.id, visibleTo),
  ]);
  return { notifications, unread };
}

export function readNotifications(store: Store, agent: Agent, request: ReadRequest): Promise<{ unread: number }> {
  return store.transaction(async (scope) => {
    const readAt = nowIso();
    const ids = request.ids ?? null;
    await scope.notifications.markRead(agent.workspaceId, agent.id, ids, readAt);
    scope.events.append(agent.workspaceId, {
      type: 'notifications.read',
      conversationId: null,
      contactId: null,
      visibility: 'agents',
      data: { agentId: agent.id, ids, readAt },
    });
    return { unread: await scope.notifications.unread(agent.workspaceId, agent.id, await visibilityLimitOf(scope, agent)) };
  });
}
