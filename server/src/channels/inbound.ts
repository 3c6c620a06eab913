/**
 * What every channel does with what arrives: a customer's message (deduplicated on the
 * channel's id, contact resolved, conversation opened, reply window refreshed, details
 * captured) and delivery states (applied only forwards).
 */
import { DELIVERY_STATUSES, LIMITS, parseCsatReplyPayload, type Channel, type Conversation, type DeliveryStatus, type Message, type MessageType } from '@charla/protocol';
import { captureContactDetails } from '../identity/claim.js';
import { flagSameName, resolveContact } from '../identity/resolve.js';
import { isHandleBlocked } from '../privacy/erase.js';
import { conversationChanged, recordMessage, requireConversation } from '../services/changes.js';
import { afterMessage, newConversation, newMessage } from '../services/entities.js';
import { REPLY_WINDOW_MS, replyWindowEnd, type StoreScope } from '../store/index.js';
import { clipText } from '../validation.js';
import { optOutByKeyword, optOutKeyword } from '../services/consent.js';
import { linkBroadcastReply } from '../services/broadcasts.js';
import { recordRating } from '../services/csat.js';

/**
 * The survey answer a message is (a WhatsApp list row, an Instagram quick reply): only one naming
 * a survey of this conversation that still waits for its answer; anything else is a message.
 */
async function openSurveyAnswer(
  scope: StoreScope,
  conversation: Conversation,
  content: Record<string, unknown> | null,
): Promise<{ surveyId: string; rating: number } | null> {
  const interactive = content?.['interactive'] as { list_reply?: { id?: unknown }; button_reply?: { id?: unknown } } | undefined;
  const quickReply = content?.['quickReply'] as { payload?: unknown } | undefined;
  const answer = parseCsatReplyPayload(interactive?.list_reply?.id ?? interactive?.button_reply?.id ?? quickReply?.payload);
  if (!answer) return null;
  const survey = await scope.csat.get(conversation.workspaceId, answer.surveyId);
  const open = survey?.conversationId === conversation.id && survey.status === 'asked' && Date.parse(survey.expiresAt) > Date.now();
  return open ? answer : null;
}

export interface InboundMessage {
  workspaceId: string;
  channel: Channel;
  /** The channel's id of the message (wamid, mid): a second delivery of it changes nothing. */
  channelMessageId: string;
  sender: { handle: string; name: string | null; phone?: string | null };
  type: MessageType;
  /** Readable text of the message (caption, title, coordinates…). */
  body: string;
  content: Record<string, unknown> | null;
  createdAt: string;
  /** Click-to-WhatsApp ad referral carried by the first message after an ad click. */
  referral?: Record<string, unknown> | null;
  /** The conversation it answers (email threads by its headers); else the contact's latest on the channel. */
  conversationId?: string;
  /** Email starts a new conversation rather than joining the contact's latest one. */
  newThread?: boolean;
  /**
   * Written by a machine (auto-reply, bounce): stored, but it neither reopens the conversation
   * nor makes the customer look waiting (SLA clocks run as they did).
   */
  automatic?: boolean;
}

/** Logs a message that changed (delivery state, error, media) for the agents. */
export function messageChanged(scope: StoreScope, conversation: Conversation, message: Message): void {
  scope.events.append(conversation.workspaceId, {
    type: 'message.upserted',
    conversationId: conversation.id,
    contactId: conversation.contactId,
    visibility: 'agents',
    data: { message },
  });
}

/**
 * Stores a customer's message; returns it, or null when it was already stored. Its text and the
 * sender's profile name are kept within the limits agents' own texts have (WhatsApp's own limit
 * for a text is 4,096 characters too): no delivery stores megabytes of text.
 */
export async function receiveMessage(scope: StoreScope, received: InboundMessage): Promise<Message | null> {
  const inbound: InboundMessage = {
    ...received,
    body: clipText(received.body, LIMITS.messageBody),
    sender: { ...received.sender, name: received.sender.name === null ? null : clipText(received.sender.name, LIMITS.name) },
  };
  const { workspaceId } = inbound;
  if (await scope.channels.messageByChannelId(workspaceId, inbound.channelMessageId)) return null;
  // An erased person an admin chose to block: nothing of theirs is stored again.
  if (await isHandleBlocked(scope, workspaceId, inbound.channel, inbound.sender.handle)) return null;

  const resolved = await resolveContact(scope, { workspaceId, channel: inbound.channel, ...inbound.sender });
  let contact = resolved.contact;
  const current = inbound.conversationId
    ? await requireConversation(scope, workspaceId, inbound.conversationId)
    : inbound.newThread
      ? undefined
      : await scope.conversations.latestOfContact(workspaceId, contact.id, inbound.channel);
  const conversation = current ?? newConversation({ workspaceId, contactId: contact.id, channel: inbound.channel });
  if (!current) await scope.conversations.insert(conversation);

  const message = newMessage({
    workspaceId,
    conversationId: conversation.id,
    direction: 'in',
    senderKind: 'contact',
    senderId: contact.id,
    senderName: contact.name,
    type: inbound.type,
    body: inbound.body,
    content: inbound.content,
    channelMessageId: inbound.channelMessageId,
    status: 'delivered',
  });
  const next = afterMessage(conversation, message);
  // A survey's rating is an answer, not a new question: the conversation stays resolved and nobody waits.
  const rating = current ? await openSurveyAnswer(scope, conversation, inbound.content) : null;
  if (inbound.automatic || rating) next.waitingSince = conversation.waitingSince;
  else if (next.status === 'resolved' || next.status === 'snoozed') next.status = 'open';
  if (rating) next.unreadCount = conversation.unreadCount;
  await recordMessage(scope, next, message);
  await scope.conversations.save(next);
  if (rating) await recordRating(scope, next, rating);
  // The window runs from when the customer wrote (Meta's timestamp), reactions included.
  if (!inbound.automatic) await scope.channels.touchInbound(workspaceId, conversation.id, inbound.createdAt);
  if (inbound.referral && !current?.referral) await scope.channels.setReferral(workspaceId, conversation.id, inbound.referral);

  if (resolved.sameNameAs.length > 0) await flagSameName(scope, next, contact, resolved.sameNameAs);
  if (inbound.type === 'text') contact = await captureContactDetails(scope, contact, inbound.body);
  // STOP, BAJA, PARAR…: no more marketing to this person (conversations go on as before).
  const keyword = inbound.type === 'text' && !inbound.automatic ? optOutKeyword(inbound.body) : null;
  if (keyword) contact = await optOutByKeyword(scope, contact, keyword, inbound.channel);
  // A reply to a broadcast: its recipient is `replied` and the conversation names the broadcast.
  const quoted = (inbound.content?.context as { id?: unknown } | undefined)?.id;
  const broadcastId = inbound.channel === 'whatsapp' && !inbound.automatic
    ? await linkBroadcastReply(scope, workspaceId, contact.id, conversation.id, typeof quoted === 'string' ? quoted : null)
    : null;
  if (broadcastId) next.broadcastId = broadcastId;
  if (contact.id !== next.contactId) {
    // The capture merged this contact into an older one: log the conversation as it is now.
    await conversationChanged(scope, await requireConversation(scope, workspaceId, conversation.id), contact, !current);
    return message;
  }
  const opened = replyWindowEnd(inbound.channel, inbound.createdAt);
  const windowExpiresAt =
    opened && (!next.windowExpiresAt || opened > next.windowExpiresAt) ? opened : (next.windowExpiresAt ?? null);
  const referral = current?.referral ?? inbound.referral ?? null;
  await conversationChanged(scope, { ...next, windowExpiresAt, referral }, contact, !current);
  return message;
}

/** An outbound copy the channel echoes back (Instagram `is_echo`): stored once, as sent. */
export async function receiveEcho(
  scope: StoreScope,
  echo: { workspaceId: string; channel: Channel; channelMessageId: string; recipientHandle: string; body: string; content: Record<string, unknown> | null },
): Promise<Message | null> {
  const { workspaceId } = echo;
  if (await scope.channels.messageByChannelId(workspaceId, echo.channelMessageId)) return null;
  const contactId = await scope.identity.contactOfHandle(workspaceId, echo.channel, echo.recipientHandle);
  if (!contactId) return null;
  const conversation = await scope.conversations.latestOfContact(workspaceId, contactId, echo.channel);
  if (!conversation) return null;
  const message = newMessage({
    workspaceId,
    conversationId: conversation.id,
    direction: 'out',
    senderKind: 'agent',
    senderName: 'Instagram app',
    body: echo.body,
    content: echo.content,
    channelMessageId: echo.channelMessageId,
    status: 'sent',
  });
  const next = afterMessage(conversation, message);
  await recordMessage(scope, next, message);
  await scope.conversations.save(next);
  await conversationChanged(scope, next);
  return message;
}

/** WhatsApp's "re-engagement message" error: the 24-hour window is closed. */
const WINDOW_CLOSED_CODE = '131047';

/**
 * When Meta refuses a message because the window is closed (131047, at once or later as a
 * failed status), the conversation shows it closed too, so the composer offers templates.
 */
export async function closeWindowIfMetaSaysSo(scope: StoreScope, conversation: Conversation, error: string | null): Promise<void> {
  if (!error?.startsWith(`${WINDOW_CLOSED_CODE}:`)) return;
  if (!conversation.windowExpiresAt || Date.parse(conversation.windowExpiresAt) <= Date.now()) return;
  const lastInboundAt = new Date(Date.now() - (REPLY_WINDOW_MS.whatsapp! + 1000)).toISOString();
  await scope.channels.closeWindow(conversation.workspaceId, conversation.id, lastInboundAt);
  await conversationChanged(scope, await requireConversation(scope, conversation.workspaceId, conversation.id));
}

const RANK = new Map<DeliveryStatus, number>(DELIVERY_STATUSES.map((status, index) => [status, index]));

/** Whether a message in `current` may move to `next` (never backwards; `failed` is final). */
export function advances(current: DeliveryStatus, next: DeliveryStatus): boolean {
  if (current === 'failed') return false;
  return (RANK.get(next) ?? 0) > (RANK.get(current) ?? 0);
}

/**
 * Applies a delivery state reported by the channel. Returns false when no message has that id
 * (yet: the send's answer may still be on its way).
 */
export async function applyDeliveryStatus(
  scope: StoreScope,
  workspaceId: string,
  channelMessageId: string,
  status: DeliveryStatus,
  error: string | null,
): Promise<boolean> {
  const message = await scope.channels.messageByChannelId(workspaceId, channelMessageId);
  if (!message) return false;
  if (!advances(message.status, status)) return true;
  await scope.channels.setDelivery(workspaceId, message.id, { status, error: status === 'failed' ? error : null });
  const conversation = await requireConversation(scope, workspaceId, message.conversationId);
  messageChanged(scope, conversation, { ...message, status, error: status === 'failed' ? error : null });
  if (status === 'failed') await closeWindowIfMetaSaysSo(scope, conversation, error);
  return true;
}
