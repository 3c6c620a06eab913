/**
 * Constructors of new entities with Charla's defaults, shared by the request handlers and the
 * demo seed so that both create the same shapes.
 */
import type { Channel, Contact, Conversation, Identity, Message } from '@charla/protocol';
import { idAt, newId, nowIso } from '../ids.js';

const PREVIEW_LENGTH = 140;

/** One line of the message for the inbox list. */
function previewOf(body: string): string {
  const line = body.replace(/\s+/g, ' ').trim();
  return line.length > PREVIEW_LENGTH ? `${line.slice(0, PREVIEW_LENGTH - 1)}…` : line;
}

function idFor(prefix: string, at: string | undefined): string {
  return at === undefined ? newId(prefix) : idAt(prefix, Date.parse(at));
}

export function newContact(
  fields: Pick<Contact, 'workspaceId'> & Partial<Omit<Contact, 'workspaceId' | 'identities'>> & {
    identities?: Array<Pick<Identity, 'channel' | 'handle'> & Partial<Pick<Identity, 'verified'>>>;
  },
): Contact {
  const createdAt = fields.createdAt ?? nowIso();
  const id = fields.id ?? idFor('ct', fields.createdAt);
  return {
    id,
    workspaceId: fields.workspaceId,
    name: fields.name ?? null,
    email: fields.email ?? null,
    phone: fields.phone ?? null,
    avatarUrl: fields.avatarUrl ?? null,
    companyId: fields.companyId ?? null,
    nameSource: fields.nameSource ?? null,
    identities: (fields.identities ?? []).map((identity) => ({
      id: newId('idn'),
      contactId: id,
      channel: identity.channel,
      handle: identity.handle,
      verified: identity.verified ?? true,
    })),
    createdAt,
    updatedAt: fields.updatedAt ?? createdAt,
  };
}

export function newConversation(
  fields: Pick<Conversation, 'workspaceId' | 'contactId'> & { channel: Channel; createdAt?: string } &
    Partial<Pick<Conversation, 'status' | 'priority' | 'assigneeId' | 'labels'>>,
): Conversation {
  const createdAt = fields.createdAt ?? nowIso();
  return {
    id: idFor('cv', fields.createdAt),
    workspaceId: fields.workspaceId,
    contactId: fields.contactId,
    channel: fields.channel,
    status: fields.status ?? 'open',
    priority: fields.priority ?? 'none',
    assigneeId: fields.assigneeId ?? null,
    labels: fields.labels ?? [],
    lastMessagePreview: null,
    // The inbox orders by last activity; a conversation without messages yet is as new as itself.
    lastMessageAt: createdAt,
    waitingSince: null,
    firstReplyAt: null,
    unreadCount: 0,
    createdAt,
    updatedAt: createdAt,
  };
}

export function newMessage(
  fields: Pick<Message, 'workspaceId' | 'conversationId' | 'direction' | 'senderKind' | 'body'> &
    Partial<Omit<Message, 'id' | 'workspaceId' | 'conversationId' | 'direction' | 'senderKind' | 'body'>>,
): Message {
  return {
    id: idFor('msg', fields.createdAt),
    workspaceId: fields.workspaceId,
    conversationId: fields.conversationId,
    direction: fields.direction,
    senderKind: fields.senderKind,
    senderId: fields.senderId ?? null,
    senderName: fields.senderName ?? null,
    type: fields.type ?? 'text',
    body: fields.body,
    private: fields.private ?? false,
    clientId: fields.clientId ?? null,
    channelMessageId: fields.channelMessageId ?? null,
    status: fields.status ?? 'sent',
    error: fields.error ?? null,
    content: fields.content ?? null,
    createdAt: fields.createdAt ?? nowIso(),
  };
}

/**
 * The conversation after a message: inbound messages make the customer wait (from their first
 * unanswered message) and count as unread; a public reply ends the wait, and an agent's may be
 * the first reply. Private notes and system lines change nothing here.
 */
export function afterMessage(conversation: Conversation, message: Message): Conversation {
  if (message.private) return conversation;
  const at = message.createdAt;
  const base = { ...conversation, lastMessagePreview: previewOf(message.body), lastMessageAt: at, updatedAt: at };
  if (message.direction === 'in') {
    return { ...base, waitingSince: conversation.waitingSince ?? at, unreadCount: conversation.unreadCount + 1 };
  }
  const firstReplyAt = conversation.firstReplyAt ?? (message.senderKind === 'agent' ? at : null);
  return { ...base, waitingSince: null, firstReplyAt };
}
