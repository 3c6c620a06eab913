/**
 * What every channel does with what arrives: a customer's message (deduplicated on the
 * channel's id, contact resolved, conversation opened, reply window refreshed, details
 * captured) and delivery states (applied only forwards).
 */
import { DELIVERY_STATUSES, LIMITS, parseCsatReplyPayload, type Channel, type Contact, type Conversation, type DeliveryStatus, type Message, type MessageType } from '@charla/protocol';
import { captureContactDetails } from '../identity/claim.js';
import { mayHoldContactDetails } from '../identity/keys.js';
import { flagSameName, resolveContact } from '../identity/resolve.js';
import { blockedHandles, isHandleBlocked } from '../privacy/erase.js';
import { conversationChanged, messageRecorded, recordMessage, requireConversation } from '../services/changes.js';
import { afterMessage, newConversation, newMessage } from '../services/entities.js';
import { REPLY_WINDOW_MS, replyWindowEnd, type StoreScope } from '../store/index.js';
import { clipText } from '../validation.js';
import { optOutByKeyword, optOutKeyword } from '../services/consent.js';
import { broadcastReplyCandidates, linkBroadcastReply } from '../services/broadcasts.js';
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
  const answer = surveyReplyOf(content);
  if (!answer) return null;
  const survey = await scope.csat.get(conversation.workspaceId, answer.surveyId);
  const open = survey?.conversationId === conversation.id && survey.status === 'asked' && Date.parse(survey.expiresAt) > Date.now();
  return open ? answer : null;
}

/** The survey rating a message's list row or quick reply names, whichever survey it is. */
function surveyReplyOf(content: Record<string, unknown> | null): { surveyId: string; rating: number } | null {
  const interactive = content?.['interactive'] as { list_reply?: { id?: unknown }; button_reply?: { id?: unknown } } | undefined;
  const quickReply = content?.['quickReply'] as { payload?: unknown } | undefined;
  return parseCsatReplyPayload(interactive?.list_reply?.id ?? interactive?.button_reply?.id ?? quickReply?.payload);
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

/** A delivery's text and sender's name within the limits agents' own texts have. */
function clipped(received: InboundMessage): InboundMessage {
  return {
    ...received,
    body: clipText(received.body, LIMITS.messageBody),
    sender: { ...received.sender, name: received.sender.name === null ? null : clipText(received.sender.name, LIMITS.name) },
  };
}

/**
 * Stores a customer's message; returns it, or null when it was already stored. Its text and the
 * sender's profile name are kept within the limits agents' own texts have (WhatsApp's own limit
 * for a text is 4,096 characters too): no delivery stores megabytes of text.
 */
export async function receiveMessage(scope: StoreScope, received: InboundMessage): Promise<Message | null> {
  return (await receiveMessages(scope, [received]))[0]!;
}

/**
 * Stores customers' messages in order (what `receiveMessage` does for each), reading and writing
 * for the whole lot at once: one read each for duplicates, blocked senders, contacts, their
 * conversations and broadcast replies; one multi-row insert of the messages and one update of their
 * conversation. A message of a known contact in an existing conversation takes that path; any
 * other (a new customer, an email thread, a survey answer, an email or phone written in it, an
 * opt-out, a reply to a broadcast, an ad referral) is stored on its own, after what came before
 * it is written, and the reads are done again for the messages after it.
 */
export async function receiveMessages(scope: StoreScope, received: readonly InboundMessage[]): Promise<Array<Message | null>> {
  const inbounds = received.map(clipped);
  const lot = new InboundLot(scope);
  const stored: Array<Message | null> = [];
  for (const [index, inbound] of inbounds.entries()) stored.push(await lot.receive(inbound, inbounds, index));
  await lot.write();
  return stored;
}

/** What one read found for the messages of a lot on one workspace's channel. */
interface Known {
  /** Channel ids already stored. */
  stored: Set<string>;
  blocked: Set<string>;
  /** By handle. */
  contacts: Map<string, Contact>;
  /** The latest conversation on the channel, by contact id (kept current through the lot). */
  conversations: Map<string, Conversation>;
  /** Contacts whose reply may link to a broadcast. */
  broadcastReplies: Set<string>;
}

const lotKey = (inbound: InboundMessage) => `${inbound.workspaceId}\n${inbound.channel}`;

class InboundLot {
  readonly #scope: StoreScope;
  readonly #known = new Map<string, Known>();
  /** A message was stored on its own since the last read. */
  #stale = false;
  /** Channel ids (per workspace) this lot has taken care of. */
  readonly #seen = new Set<string>();
  /** Appended and not yet written, by workspace. */
  readonly #pending = new Map<string, { messages: Message[]; conversations: Map<string, { conversation: Conversation; inboundAt: string | null }> }>();

  constructor(scope: StoreScope) {
    this.#scope = scope;
  }

  async receive(inbound: InboundMessage, all: readonly InboundMessage[], index: number): Promise<Message | null> {
    const seenKey = `${inbound.workspaceId}\n${inbound.channelMessageId}`;
    if (this.#seen.has(seenKey)) return null;
    this.#seen.add(seenKey);
    let known = this.#known.get(lotKey(inbound)) ?? (await this.#read(all.slice(index)));
    if (known.stored.has(inbound.channelMessageId) || known.blocked.has(inbound.sender.handle)) return null;
    // A message stored on its own may have merged or changed contacts and conversations: read again.
    if (this.#stale && known.contacts.has(inbound.sender.handle)) known = await this.#read(all.slice(index));
    const contact = known.contacts.get(inbound.sender.handle);
    const conversation = contact && known.conversations.get(contact.id);
    if (!contact || !conversation || !this.#plain(inbound, conversation, known.broadcastReplies.has(contact.id))) {
      await this.write();
      this.#stale = true;
      return receiveOne(this.#scope, inbound);
    }
    return this.#append(inbound, contact, conversation, known);
  }

  /** Nothing but a message: none of what `receiveOne` does besides storing it applies. */
  #plain(inbound: InboundMessage, conversation: Conversation, broadcastReply: boolean): boolean {
    if (inbound.conversationId || inbound.newThread || (inbound.referral && !conversation.referral)) return false;
    if (surveyReplyOf(inbound.content)) return false;
    if (inbound.type === 'text' && (mayHoldContactDetails(inbound.body) || (!inbound.automatic && optOutKeyword(inbound.body)))) return false;
    return !(broadcastReply && inbound.channel === 'whatsapp' && !inbound.automatic);
  }

  /** Reads what the lot's messages from `inbounds` on need; returns what it found for the first one's channel. */
  async #read(inbounds: readonly InboundMessage[]): Promise<Known> {
    this.#stale = false;
    const groups = new Map<string, InboundMessage[]>();
    for (const inbound of inbounds) {
      const key = lotKey(inbound);
      if (groups.has(key)) groups.get(key)!.push(inbound);
      else groups.set(key, [inbound]);
    }
    for (const [key, group] of groups) {
      const { workspaceId, channel } = group[0]!;
      const handles = [...new Set(group.map((inbound) => inbound.sender.handle))];
      const contacts = await this.#scope.contacts.byHandles(workspaceId, channel, handles);
      const contactIds = [...new Set([...contacts.values()].map((contact) => contact.id))];
      const quoted = group.map((inbound) => quotedIdOf(inbound)).filter((id): id is string => id !== null);
      this.#known.set(key, {
        stored: await this.#scope.channels.storedChannelMessageIds(workspaceId, group.map((inbound) => inbound.channelMessageId)),
        blocked: await blockedHandles(this.#scope, workspaceId, channel, handles),
        contacts,
        conversations: await this.#scope.conversations.latestOfContacts(workspaceId, contactIds, channel),
        broadcastReplies: channel === 'whatsapp' ? await broadcastReplyCandidates(this.#scope, workspaceId, contactIds, quoted) : new Set(),
      });
    }
    return this.#known.get(lotKey(inbounds[0]!))!;
  }

  /** `receiveOne` for a plain message: logged now, written with the lot's others. */
  async #append(inbound: InboundMessage, contact: Contact, conversation: Conversation, known: Known): Promise<Message> {
    const message = inboundMessage(inbound, conversation, contact);
    const next = afterMessage(conversation, message);
    if (inbound.automatic) next.waitingSince = conversation.waitingSince;
    else if (next.status === 'resolved' || next.status === 'snoozed') next.status = 'open';
    if (!this.#pending.has(inbound.workspaceId)) this.#pending.set(inbound.workspaceId, { messages: [], conversations: new Map() });
    const pending = this.#pending.get(inbound.workspaceId)!;
    pending.messages.push(message);
    messageRecorded(this.#scope, next, message);
    const before = pending.conversations.get(next.id)?.inboundAt ?? null;
    const inboundAt = inbound.automatic || (before && before >= inbound.createdAt) ? before : inbound.createdAt;
    pending.conversations.set(next.id, { conversation: next, inboundAt });
    const current = { ...next, windowExpiresAt: windowAfter(inbound, next), referral: conversation.referral ?? null };
    known.conversations.set(contact.id, current);
    await conversationChanged(this.#scope, current, contact);
    return message;
  }

  /** Writes the plain messages appended so far: one insert for them, one update for their conversations. */
  async write(): Promise<void> {
    for (const [workspaceId, { messages, conversations }] of this.#pending) {
      await this.#scope.messages.insertMany(workspaceId, messages);
      await this.#scope.conversations.saveMany(workspaceId, [...conversations.values()]);
    }
    this.#pending.clear();
  }
}

/** The message a customer's delivery stores in `conversation`. */
function inboundMessage(inbound: InboundMessage, conversation: Conversation, contact: Contact): Message {
  return newMessage({
    workspaceId: inbound.workspaceId,
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
}

/** The reply window once the customer wrote: it runs from Meta's timestamp, never backwards. */
function windowAfter(inbound: InboundMessage, next: Conversation): string | null {
  const opened = replyWindowEnd(inbound.channel, inbound.createdAt);
  return opened && (!next.windowExpiresAt || opened > next.windowExpiresAt) ? opened : (next.windowExpiresAt ?? null);
}

/** The message a WhatsApp reply quotes (`context.id`), if any. */
function quotedIdOf(inbound: InboundMessage): string | null {
  const quoted = (inbound.content?.context as { id?: unknown } | undefined)?.id;
  return typeof quoted === 'string' ? quoted : null;
}

/** One message the whole way: duplicates, blocked senders, contact, conversation and what it says. */
async function receiveOne(scope: StoreScope, inbound: InboundMessage): Promise<Message | null> {
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

  const message = inboundMessage(inbound, conversation, contact);
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
  const broadcastId = inbound.channel === 'whatsapp' && !inbound.automatic
    ? await linkBroadcastReply(scope, workspaceId, contact.id, conversation.id, quotedIdOf(inbound))
    : null;
  if (broadcastId) next.broadcastId = broadcastId;
  if (contact.id !== next.contactId) {
    // The capture merged this contact into an older one: log the conversation as it is now.
    await conversationChanged(scope, await requireConversation(scope, workspaceId, conversation.id), contact, !current);
    return message;
  }
  const windowExpiresAt = windowAfter(inbound, next);
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
