/**
 * The change-log entries that go with each kind of change. Called inside a store transaction;
 * the entries are written when it ends and broadcast after it commits.
 */
import { systemLineText, type Contact, type Conversation, type Message, type SystemLine } from '@charla/protocol';
import type { ClientScope, StoreScope } from '../store/index.js';
import { CharlaFailure, notFound } from '../failure.js';
import { newMessage } from './entities.js';

export async function requireConversation(scope: StoreScope, workspaceId: string, id: string): Promise<Conversation> {
  const conversation = await scope.conversations.get(workspaceId, id);
  if (!conversation) throw notFound('Conversation');
  return conversation;
}

export async function requireContact(scope: StoreScope, workspaceId: string, id: string): Promise<Contact> {
  const contact = await scope.contacts.get(workspaceId, id);
  if (!contact) throw notFound('Contact');
  return contact;
}

/**
 * Stores a message of `conversation` and logs it; the conversation's visitor sees public webchat
 * messages. `clientScope`: the sender a message with a client id was sent by.
 */
export async function recordMessage(scope: StoreScope, conversation: Conversation, message: Message, clientScope: ClientScope | null = null): Promise<void> {
  await scope.messages.insert(message, clientScope);
  messageRecorded(scope, conversation, message);
}

/** Logs a message stored in this transaction (by `recordMessage`, or with others in one statement). */
export function messageRecorded(scope: StoreScope, conversation: Conversation, message: Message): void {
  scope.events.append(conversation.workspaceId, {
    type: 'message.upserted',
    conversationId: conversation.id,
    contactId: conversation.contactId,
    visibility: !message.private && conversation.channel === 'webchat' ? 'all' : 'agents',
    data: { message },
    created: true,
  });
}

/**
 * Records a private system line in the thread ("Ana García resolved the conversation", "First
 * response SLA breached"): agents see it, the customer never does. `actor` signs it when someone did it.
 */
export async function recordSystemLine(
  scope: StoreScope,
  conversation: Conversation,
  line: SystemLine,
  actor: { id: string | null; name: string | null } | null = null,
  content?: Record<string, unknown>,
): Promise<Message> {
  const message = newMessage({
    workspaceId: conversation.workspaceId,
    conversationId: conversation.id,
    direction: 'out',
    senderKind: 'system',
    senderId: actor?.id ?? null,
    senderName: actor?.name ?? null,
    type: 'system',
    body: systemLineText(line),
    private: true,
    content: { ...content, line },
  });
  await recordMessage(scope, conversation, message);
  return message;
}

/**
 * Logs the conversation's current state, with its contact (views show them together).
 * `created`: the conversation began in this change (told to webhooks).
 */
export async function conversationChanged(scope: StoreScope, conversation: Conversation, knownContact?: Contact, created = false): Promise<void> {
  const contact = knownContact ?? (await scope.contacts.get(conversation.workspaceId, conversation.contactId));
  if (!contact) throw new CharlaFailure('internal', `Conversation ${conversation.id} has no contact`);
  scope.events.append(conversation.workspaceId, {
    type: 'conversation.upserted',
    conversationId: conversation.id,
    contactId: conversation.contactId,
    visibility: 'agents',
    data: { conversation, contact },
    ...(created ? { created: true as const } : {}),
  });
}

export function contactChanged(scope: StoreScope, contact: Contact): void {
  scope.events.append(contact.workspaceId, {
    type: 'contact.upserted',
    conversationId: null,
    contactId: contact.id,
    visibility: 'agents',
    data: { contact },
  });
}
