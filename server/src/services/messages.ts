import type {
  Agent, Conversation, Message, MessagePage, VisitorMessage,
  messageListRequestSchema, messageSendRequestSchema, visitorMessageListRequestSchema,
  visitorMessageSendRequestSchema,
} from '@charla/protocol';
import type { z } from 'zod';
import { assertReplyWindow, queueChannelSend } from '../channels/outbound.js';
import { CharlaFailure } from '../failure.js';
import { toVisitorMessage, type Store, type StoreScope } from '../store/index.js';
import type { Visitor } from './actors.js';
import { notifyMentions } from './notifications.js';
import { conversationChanged, recordMessage, requireContact, requireConversation } from './changes.js';
import { pageOf } from './cursor.js';
import { afterMessage, newConversation, newMessage } from './entities.js';

type ListRequest = z.output<typeof messageListRequestSchema>;
type SendRequest = z.output<typeof messageSendRequestSchema>;
type VisitorListRequest = z.output<typeof visitorMessageListRequestSchema>;
type VisitorSendRequest = z.output<typeof visitorMessageSendRequestSchema>;

async function newestPage(
  store: Store,
  conversation: Conversation,
  request: { before?: string; limit: number },
  includePrivate: boolean,
): Promise<MessagePage> {
  const rows = await store.messages.newestFirst(conversation.workspaceId, conversation.id, {
    ...(request.before ? { before: request.before } : {}),
    limit: request.limit + 1,
    includePrivate,
  });
  const { items, hasMore } = pageOf(rows, request.limit);
  return { messages: items.reverse(), hasMore };
}

/** The `limit` messages before `before` (or the latest ones), oldest first. */
export async function listMessages(store: Store, agent: Agent, request: ListRequest): Promise<MessagePage> {
  const conversation = await requireConversation(store, agent.workspaceId, request.conversationId);
  return newestPage(store, conversation, request, true);
}

/**
 * A resend with a client id the workspace has already stored returns the stored message (and
 * logs nothing); the same id on another conversation is a conflict.
 */
async function alreadySent(scope: StoreScope, workspaceId: string, clientId: string, belongs: (m: Message) => Promise<boolean>) {
  const existing = await scope.messages.byClientId(workspaceId, clientId);
  if (existing && !(await belongs(existing))) {
    throw new CharlaFailure('conflict', 'clientId: This client id was already used for another message');
  }
  return existing;
}

/**
 * An agent's reply or private note. Replies in webchat are delivered at once (`sent`); on other
 * channels they wait (`pending`) for the channel to confirm delivery.
 */
export async function sendAgentMessage(
  store: Store,
  agent: Agent,
  request: SendRequest,
): Promise<{ message: Message; created: boolean }> {
  return store.transaction(async (scope) => {
    const conversation = await requireConversation(scope, agent.workspaceId, request.conversationId);
    const existing = await alreadySent(scope, agent.workspaceId, request.clientId, async (m) => m.conversationId === conversation.id);
    if (existing) return { message: existing, created: false };
    if (!request.private) assertReplyWindow(conversation);

    const message = newMessage({
      workspaceId: agent.workspaceId,
      conversationId: conversation.id,
      direction: 'out',
      senderKind: 'agent',
      senderId: agent.id,
      senderName: agent.name,
      body: request.body,
      private: request.private,
      clientId: request.clientId,
      status: request.private || conversation.channel === 'webchat' ? 'sent' : 'pending',
    });
    await recordMessage(scope, conversation, message);
    if (message.private && request.mentions?.length) await notifyMentions(scope, agent, message, request.mentions);
    if (!message.private) {
      const next = afterMessage(conversation, message);
      await scope.conversations.save(next);
      await conversationChanged(scope, next);
      await queueChannelSend(scope, next, message);
    }
    return { message, created: true };
  });
}

/** The visitor's current conversation: their most recent webchat one. */
function visitorConversation(scope: StoreScope, visitor: Visitor): Promise<Conversation | undefined> {
  return scope.conversations.latestOfContact(visitor.workspaceId, visitor.contactId, 'webchat');
}

export async function listVisitorMessages(
  store: Store,
  visitor: Visitor,
  request: VisitorListRequest,
): Promise<MessagePage<VisitorMessage>> {
  const conversation = await visitorConversation(store, visitor);
  if (!conversation) return { messages: [], hasMore: false };
  const page = await newestPage(store, conversation, request, false);
  return { messages: page.messages.map(toVisitorMessage), hasMore: page.hasMore };
}

/**
 * A visitor's message goes to their current conversation, reopening it when it was resolved or
 * snoozed, or starts a new one. The customer is now waiting, and agents have one more unread.
 */
export async function sendVisitorMessage(store: Store, visitor: Visitor, request: VisitorSendRequest): Promise<VisitorMessage> {
  return store.transaction(async (scope) => {
    const existing = await alreadySent(scope, visitor.workspaceId, request.clientId, async (m) => {
      const conversation = await scope.conversations.get(visitor.workspaceId, m.conversationId);
      return conversation?.contactId === visitor.contactId;
    });
    if (existing) return toVisitorMessage(existing);

    const [contact, current] = await Promise.all([
      requireContact(scope, visitor.workspaceId, visitor.contactId),
      visitorConversation(scope, visitor),
    ]);
    const conversation =
      current ?? newConversation({ workspaceId: visitor.workspaceId, contactId: contact.id, channel: 'webchat' });
    if (!current) await scope.conversations.insert(conversation);

    const message = newMessage({
      workspaceId: visitor.workspaceId,
      conversationId: conversation.id,
      direction: 'in',
      senderKind: 'contact',
      senderId: contact.id,
      senderName: contact.name,
      body: request.body,
      clientId: request.clientId,
    });
    const next = afterMessage(conversation, message);
    if (next.status === 'resolved' || next.status === 'snoozed') next.status = 'open';
    await recordMessage(scope, next, message);
    await scope.conversations.save(next);
    await conversationChanged(scope, next, contact);
    return toVisitorMessage(message);
  });
}
