import type {
  Agent, Conversation, Message, MessagePage, VisitorMessage,
  messageListRequestSchema, messageSendRequestSchema, visitorMessageListRequestSchema,
  visitorMessageSendRequestSchema,
} from '@charla/protocol';
import type { z } from 'zod';
import { assertReplyWindow, recordReply } from '../channels/outbound.js';
import { CharlaFailure } from '../failure.js';
import { agentClientScope, toVisitorMessage, visitorClientScope, type ClientScope, type Store, type StoreScope } from '../store/index.js';
import type { Visitor } from './actors.js';
import { notifyMentions } from './notifications.js';
import { conversationChanged, recordMessage, requireContact } from './changes.js';
import { pageOf } from './cursor.js';
import { requireVisibleConversation } from './visibility.js';
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
  const conversation = await requireVisibleConversation(store, agent, request.conversationId);
  return newestPage(store, conversation, request, true);
}

/**
 * A resend with a client id its sender already used returns the stored message (and logs
 * nothing); the same sender's id on another conversation is a conflict. Other senders' ids are
 * another space: they neither find nor block anything, so they reveal nothing either.
 */
async function alreadySent(
  scope: StoreScope,
  workspaceId: string,
  clientScope: ClientScope,
  clientId: string,
  conversationId?: string,
): Promise<Message | undefined> {
  const existing = await scope.messages.byClientId(workspaceId, clientScope, clientId);
  if (existing && conversationId !== undefined && existing.conversationId !== conversationId) {
    throw new CharlaFailure('conflict', 'clientId: This client id was already used for another message');
  }
  return existing;
}

/** `#quote` as a word of an agent's reply, removed (with the spaces it leaves), and whether it was there. */
export function withoutQuoteTag(text: string): { body: string; quote: boolean } {
  const pattern = /(^|[ \t]+)#quote(?=$|[\s.,;:!?)])/gim;
  if (!pattern.test(text)) return { body: text, quote: false };
  return { body: text.replace(pattern, '').replace(/^[ \t]+/gm, '').trim(), quote: true };
}

/**
 * An agent's reply or private note. Replies in webchat are delivered at once (`sent`); on other
 * channels they wait (`pending`) for the channel to confirm delivery.
 */
export function sendAgentMessage(
  store: Store,
  agent: Agent,
  request: SendRequest,
): Promise<{ message: Message; created: boolean }> {
  return store.transaction((scope) => sendAgentMessageIn(scope, agent, request));
}

/**
 * `sendAgentMessage` inside an open transaction; `extra` is structured content stored with the
 * reply (a quote's lines), and marks it as a quote when it says `quote: true`.
 */
export async function sendAgentMessageIn(
  scope: StoreScope,
  agent: Agent,
  request: SendRequest,
  extra?: Record<string, unknown>,
): Promise<{ message: Message; created: boolean }> {
  const conversation = await requireVisibleConversation(scope, agent, request.conversationId);
  const clientScope = agentClientScope(agent.id);
  const existing = await alreadySent(scope, agent.workspaceId, clientScope, request.clientId, conversation.id);
  if (existing) return { message: existing, created: false };
  if (!request.private) assertReplyWindow(conversation);
  // "#quote" marks a reply as a quote for the pipeline's rules; the customer never sees the tag.
  const { body, quote } = request.private ? { body: request.body, quote: false } : withoutQuoteTag(request.body);
  if (!body) throw new CharlaFailure('invalid_payload', 'body: Write the quote beside #quote');
  if (request.email && conversation.channel !== 'email') throw new CharlaFailure('invalid_payload', 'email: Only email conversations take a subject and copies');
  const emailFields = request.email && (request.email.subject || request.email.cc?.length || request.email.attachments?.length)
    ? {
        ...(request.email.subject ? { subject: request.email.subject } : {}),
        ...(request.email.cc?.length ? { cc: request.email.cc } : {}),
        ...(request.email.attachments?.length ? { attachments: [...new Set(request.email.attachments)] } : {}),
      }
    : null;

  const message = newMessage({
    workspaceId: agent.workspaceId,
    conversationId: conversation.id,
    direction: 'out',
    senderKind: 'agent',
    senderId: agent.id,
    senderName: agent.name,
    body,
    private: request.private,
    clientId: request.clientId,
    ...(quote || emailFields || extra || request.link
      ? { content: { ...extra, ...(quote ? { quote: true } : {}), ...(emailFields ? { email: emailFields } : {}), ...(request.link ? { link: request.link } : {}) } }
      : {}),
    status: request.private || conversation.channel === 'webchat' ? 'sent' : 'pending',
  });
  if (!message.private) {
    await recordReply(scope, conversation, message, clientScope);
    return { message, created: true };
  }
  await recordMessage(scope, conversation, message, clientScope);
  if (request.mentions?.length) await notifyMentions(scope, agent, message, request.mentions);
  return { message, created: true };
}

export async function listVisitorMessages(
  store: Store,
  visitor: Visitor,
  request: VisitorListRequest,
): Promise<MessagePage<VisitorMessage>> {
  const conversation = await store.widget.latestVisitorConversation(visitor.workspaceId, visitor);
  if (!conversation) return { messages: [], hasMore: false };
  const page = await newestPage(store, conversation, request, false);
  return { messages: page.messages.map(toVisitorMessage), hasMore: page.hasMore };
}

/**
 * A visitor's message goes to their current conversation, reopening it when it was resolved or
 * snoozed, or starts a new one (`onStart` hears of it before the commit, so the visitor's
 * connections can follow it from its first message). The customer is now waiting, and agents
 * have one more unread. Client ids are the visitor session's own.
 */
export async function sendVisitorMessage(
  store: Store,
  visitor: Visitor,
  request: VisitorSendRequest,
  onStart: (conversationId: string) => void = () => undefined,
): Promise<VisitorMessage> {
  return store.transaction(async (scope) => {
    const clientScope = visitorClientScope(visitor.id);
    const existing = await alreadySent(scope, visitor.workspaceId, clientScope, request.clientId);
    if (existing) return toVisitorMessage(existing);

    const [contact, current] = await Promise.all([
      requireContact(scope, visitor.workspaceId, visitor.contactId),
      scope.widget.latestVisitorConversation(visitor.workspaceId, visitor),
    ]);
    const conversation =
      current ?? newConversation({ workspaceId: visitor.workspaceId, contactId: contact.id, channel: 'webchat' });
    if (!current) {
      await scope.conversations.insert(conversation);
      await scope.widget.setConversationVisitor(visitor.workspaceId, conversation.id, visitor.id);
      onStart(conversation.id);
    }

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
    await recordMessage(scope, next, message, clientScope);
    await scope.conversations.save(next);
    await conversationChanged(scope, next, contact, !current);
    return toVisitorMessage(message);
  });
}
