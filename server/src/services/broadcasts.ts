/**
 * Broadcasts: an approved WhatsApp template to a segment or a selection.
 *
 * The audience is read once, when the broadcast is created: each contact becomes a recipient,
 * `queued` with its own parameters (from contact fields) or `skipped` with the reason (opted
 * out, no WhatsApp, a parameter missing). One durable job per broadcast sends the queued ones in
 * order, each through a send slot of the workspace's pace (`takeSlot`, shared by every process
 * and every broadcast of the number), and marks a recipient `sending` in its own commit before
 * calling Meta: after a crash the next worker never takes it again, so nobody gets it twice. A
 * send whose answer was lost stays `sending` until Meta's status webhook names it (the recipient
 * id travels as `biz_opaque_callback_data`). Status webhooks move recipients forwards only; a
 * customer's reply marks them `replied` and links their conversation to the broadcast. Admins
 * see every move live as `broadcast.changed`.
 */
import {
  TIER_LIMITS,
  type Agent, type Broadcast, type BroadcastChangedData, type BroadcastParameter, type BroadcastPreview, type BroadcastRecipientPage,
  type BroadcastSettings, type Contact, type MessageTemplate, type MessagingTier, type RecipientStatus, type SkipReason,
  type broadcastCreateSchema, type broadcastPreviewSchema, type broadcastRecipientsRequestSchema, type broadcastSettingsSchema,
} from '@charla/protocol';
import type { Server } from 'socket.io';
import type { z } from 'zod';
import { GRAPH_ERRORS, GraphError, type GraphClient } from '../channels/graph.js';
import { renderTemplate } from '../channels/outbound.js';
import { whatsappSettings } from '../channels/settings.js';
import { adminRoom } from '../events.js';
import { CharlaFailure, notFound } from '../failure.js';
import { newId, nowIso } from '../ids.js';
import { enqueueJob, Postpone, type JobQueue } from '../jobs/queue.js';
import type { Logger } from '../logger.js';
import type { Job, NewRecipient, QueuedRecipient, Store, StoreScope } from '../store/index.js';
import { marketingAudience } from './consent.js';
import { selectedIds, type Clock } from './directory.js';

export const BROADCAST_JOB = 'broadcast.send';
export const DEFAULT_BROADCAST_SETTINGS = { tier: 'TIER_1K' as MessagingTier, messagesPerSecond: 80 };
/** A reply this long after a broadcast reached a customer still answers it. */
const REPLY_LINK_MS = 7 * 24 * 3600_000;
const MAX_SCHEDULE_MS = 30 * 24 * 3600_000;
/** A send job works this long, then makes way for other jobs and comes back (so it never outlives its lease). */
const CHUNK_MS = 2000;
/** Sends in flight at once for one broadcast, at most. */
const MAX_LANES = 16;
/** How many skipped contacts a preview lists (the count is always whole). */
const PREVIEW_SKIPPED = 500;

type PreviewRequest = z.output<typeof broadcastPreviewSchema>;
type CreateRequest = z.output<typeof broadcastCreateSchema>;

/** Told after the commit of every change to a broadcast (the services of this process listen). */
const listeners = new Set<(workspaceId: string, broadcastId: string, recipientIds: string[]) => void>();

function broadcastMoved(scope: StoreScope, workspaceId: string, broadcastId: string, recipientIds: string[] = []): void {
  scope.afterCommit(() => listeners.forEach((listener) => listener(workspaceId, broadcastId, recipientIds)));
}

// ---------------------------------------------------------------- audience

interface Audience {
  template: MessageTemplate;
  recipients: NewRecipient[];
  skipped: Array<{ contactId: string; name: string | null; reason: SkipReason }>;
  names: Map<string, string | null>;
}

/** The approved template the request names, and that its parameters fit. */
async function templateOf(store: Store, workspaceId: string, request: PreviewRequest): Promise<MessageTemplate> {
  const { name, language } = request.template;
  const template = (await store.channels.templates(workspaceId)).find((t) => t.name === name && t.language === language);
  if (!template) throw new CharlaFailure('invalid_payload', `template: No synced template "${name}" in ${language} (sync the WhatsApp templates first)`);
  if (template.status !== 'APPROVED') throw new CharlaFailure('invalid_payload', `template: "${name}" is ${template.status}, not approved`);
  const placeholders = new Set(renderTemplate(template, []).match(/\{\{\d+\}\}/g) ?? []).size;
  if (request.parameters.length !== placeholders) {
    throw new CharlaFailure('invalid_payload', `parameters: The template "${name}" takes ${placeholders} parameter(s); ${request.parameters.length} given`);
  }
  return template;
}

/** Meta refuses parameters with line breaks, tabs or runs of spaces: one line of text. */
const oneLine = (value: string | null | undefined): string => (value ?? '').replace(/\s+/g, ' ').trim().slice(0, 1024);

function parameterValue(parameter: BroadcastParameter, contact: Contact, companyName: string | null): string | null {
  if ('text' in parameter) return parameter.text;
  const value =
    'attribute' in parameter
      ? contact.attributes?.[parameter.attribute]
      : parameter.field === 'firstName'
        ? contact.name?.trim().split(/\s+/)[0]
        : parameter.field === 'company'
          ? companyName
          : contact[parameter.field];
  return oneLine(value) || parameter.fallback || null;
}

/** Where a contact's WhatsApp message goes: their WhatsApp id, else their phone number's digits. */
function whatsappHandle(contact: Contact): string | null {
  const identity = contact.identities.find((i) => i.channel === 'whatsapp');
  if (identity) return identity.handle;
  const digits = contact.phone?.replace(/\D/g, '') ?? '';
  return digits.length >= 8 ? digits : null;
}

async function audienceOf(store: Store, agent: Agent, request: PreviewRequest, clock: Clock): Promise<Audience> {
  const template = await templateOf(store, agent.workspaceId, request);
  const ids = await selectedIds(store, agent, request.audience, clock);
  if (ids.length === 0) throw new CharlaFailure('invalid_payload', 'audience: No contact of this workspace is selected');
  const { optedOut } = await marketingAudience(store, agent.workspaceId, ids);
  const skippedIds = new Set(optedOut);
  const contacts = new Map((await store.contacts.many(agent.workspaceId, ids)).map((contact) => [contact.id, contact]));
  const companies = await store.broadcasts.companyNames(agent.workspaceId, [...new Set([...contacts.values()].map((c) => c.companyId).filter((id) => id !== null))]);
  const audience: Audience = { template, recipients: [], skipped: [], names: new Map() };
  for (const id of new Set(ids)) {
    const contact = contacts.get(id);
    if (!contact) continue;
    audience.names.set(id, contact.name);
    const skip = (reason: SkipReason) => {
      audience.skipped.push({ contactId: id, name: contact.name, reason });
      audience.recipients.push({ id: newId('brc'), contactId: id, handle: null, text: null, parameters: null, status: 'skipped', reason });
    };
    if (skippedIds.has(id)) {
      skip('opted_out');
      continue;
    }
    const handle = whatsappHandle(contact);
    if (!handle) {
      skip('no_whatsapp');
      continue;
    }
    const values = request.parameters.map((parameter) => parameterValue(parameter, contact, contact.companyId ? (companies.get(contact.companyId) ?? null) : null));
    if (values.some((value) => value === null)) {
      skip('missing_parameter');
      continue;
    }
    const parameters = values as string[];
    audience.recipients.push({ id: newId('brc'), contactId: id, handle, text: renderTemplate(template, parameters), parameters, status: 'queued', reason: null });
  }
  return audience;
}

// ---------------------------------------------------------------- settings and limits

async function settingsOf(store: Store | StoreScope, workspaceId: string): Promise<{ tier: MessagingTier; messagesPerSecond: number }> {
  return (await store.broadcasts.settings(workspaceId)) ?? DEFAULT_BROADCAST_SETTINGS;
}

/** Customers the tier still allows in the next 24 hours: those reached in the last 24 hours and those queued count. */
async function remainingOf(store: Store | StoreScope, workspaceId: string, tier: MessagingTier): Promise<number | null> {
  const limit = TIER_LIMITS[tier];
  if (!Number.isFinite(limit)) return null;
  const since = new Date(Date.now() - 24 * 3600_000).toISOString();
  const [reached, pending] = await Promise.all([store.broadcasts.reachedSince(workspaceId, since), store.broadcasts.pendingContacts(workspaceId)]);
  return Math.max(0, limit - reached - pending);
}

export async function broadcastSettings(store: Store, agent: Agent): Promise<BroadcastSettings> {
  const settings = await settingsOf(store, agent.workspaceId);
  const remaining = await remainingOf(store, agent.workspaceId, settings.tier);
  const sentLast24h = await store.broadcasts.reachedSince(agent.workspaceId, new Date(Date.now() - 24 * 3600_000).toISOString());
  return { ...settings, sentLast24h, remaining };
}

export async function updateBroadcastSettings(store: Store, agent: Agent, patch: z.output<typeof broadcastSettingsSchema>): Promise<BroadcastSettings> {
  const current = await settingsOf(store, agent.workspaceId);
  const next = { tier: patch.tier ?? current.tier, messagesPerSecond: patch.messagesPerSecond ?? current.messagesPerSecond };
  await store.transaction(async (scope) => {
    await scope.broadcasts.saveSettings(agent.workspaceId, next);
    await scope.audit.record({
      workspaceId: agent.workspaceId, actorKind: 'agent', actorId: agent.id, action: 'broadcast.settings', targetKind: 'workspace', targetId: agent.workspaceId, data: next,
    });
  });
  return broadcastSettings(store, agent);
}

// ---------------------------------------------------------------- preview, create, cancel, read

export async function previewBroadcast(store: Store, agent: Agent, request: PreviewRequest, clock: Clock): Promise<BroadcastPreview> {
  const audience = await audienceOf(store, agent, request, clock);
  const queued = audience.recipients.filter((r) => r.status === 'queued');
  const settings = await settingsOf(store, agent.workspaceId);
  return {
    count: queued.length,
    message: queued[0]?.text ?? renderTemplate(audience.template, []),
    sample: queued.slice(0, 5).map((r) => ({ contactId: r.contactId, name: audience.names.get(r.contactId) ?? null, text: r.text ?? '' })),
    skipped: audience.skipped.slice(0, PREVIEW_SKIPPED),
    skippedTotal: audience.skipped.length,
    remaining: await remainingOf(store, agent.workspaceId, settings.tier),
  };
}

export async function createBroadcast(store: Store, agent: Agent, request: CreateRequest, clock: Clock): Promise<Broadcast> {
  const wa = await whatsappSettings(store, agent.workspaceId);
  if (!wa?.phoneNumberId || !wa.accessToken) throw new CharlaFailure('invalid_payload', 'WhatsApp is not set up for this workspace: broadcasts go out on its number');
  const now = Date.now();
  const scheduledAt = request.scheduledAt ? Date.parse(request.scheduledAt) : null;
  if (scheduledAt !== null && scheduledAt < now - 60_000) throw new CharlaFailure('invalid_payload', 'scheduledAt: The time has passed; leave it out to send now');
  if (scheduledAt !== null && scheduledAt > now + MAX_SCHEDULE_MS) throw new CharlaFailure('invalid_payload', 'scheduledAt: At most 30 days ahead');
  const audience = await audienceOf(store, agent, request, clock);
  const queued = audience.recipients.filter((r) => r.status === 'queued').length;
  if (queued === 0) {
    throw new CharlaFailure('invalid_payload', `audience: Nobody in it can receive the broadcast (${audience.skipped.length} skipped: opted out, no WhatsApp or a parameter missing)`);
  }
  const settings = await settingsOf(store, agent.workspaceId);
  const remaining = await remainingOf(store, agent.workspaceId, settings.tier);
  if (remaining !== null && queued > remaining) {
    throw new CharlaFailure(
      'invalid_payload',
      `audience: The number's messaging tier (${settings.tier}) allows ${remaining} more customer(s) in 24 hours; this broadcast would reach ${queued}`,
      { remaining, count: queued },
    );
  }
  const id = newId('bc');
  const createdAt = nowIso();
  const future = scheduledAt !== null && scheduledAt > now;
  await store.transaction(async (scope) => {
    await scope.broadcasts.insert(
      {
        id, workspaceId: agent.workspaceId, name: request.name, template: request.template, parameters: request.parameters,
        body: renderTemplate(audience.template, []), state: future ? 'scheduled' : 'sending', scheduledAt: future ? new Date(scheduledAt).toISOString() : null,
        createdBy: agent.id, createdAt, startedAt: future ? null : createdAt, finishedAt: null, canceledAt: null,
      },
      audience.recipients,
    );
    await enqueueJob(scope, {
      kind: BROADCAST_JOB, workspaceId: agent.workspaceId, payload: { workspaceId: agent.workspaceId, broadcastId: id },
      ...(future ? { runAt: new Date(scheduledAt) } : {}),
    });
    await scope.audit.record({
      workspaceId: agent.workspaceId, actorKind: 'agent', actorId: agent.id, action: 'broadcast.create', targetKind: 'broadcast', targetId: id,
      data: { name: request.name, template: request.template, recipients: queued, skipped: audience.skipped.length, scheduledAt: request.scheduledAt ?? null },
    });
    broadcastMoved(scope, agent.workspaceId, id);
  });
  return requireBroadcast(store, agent, id);
}

export async function cancelBroadcast(store: Store, agent: Agent, id: string): Promise<Broadcast> {
  await store.transaction(async (scope) => {
    const broadcast = await scope.broadcasts.get(agent.workspaceId, id);
    if (!broadcast) throw notFound('Broadcast');
    const now = nowIso();
    if (!(await scope.broadcasts.setState(agent.workspaceId, id, 'canceled', ['scheduled', 'sending'], now))) {
      throw new CharlaFailure('conflict', `The broadcast is ${broadcast.state}; only a scheduled or sending one can be canceled`);
    }
    const canceled = await scope.broadcasts.cancelQueued(agent.workspaceId, id, now);
    await scope.audit.record({
      workspaceId: agent.workspaceId, actorKind: 'agent', actorId: agent.id, action: 'broadcast.cancel', targetKind: 'broadcast', targetId: id, data: { canceled },
    });
    broadcastMoved(scope, agent.workspaceId, id);
  });
  return requireBroadcast(store, agent, id);
}

export async function requireBroadcast(store: Store, agent: Agent, id: string): Promise<Broadcast> {
  const broadcast = await store.broadcasts.get(agent.workspaceId, id);
  if (!broadcast) throw notFound('Broadcast');
  return broadcast;
}

export async function listBroadcasts(store: Store, agent: Agent): Promise<{ broadcasts: Broadcast[] }> {
  return { broadcasts: await store.broadcasts.list(agent.workspaceId) };
}

export async function broadcastRecipients(
  store: Store,
  agent: Agent,
  id: string,
  request: z.output<typeof broadcastRecipientsRequestSchema>,
): Promise<BroadcastRecipientPage> {
  await requireBroadcast(store, agent, id);
  const page = await store.broadcasts.recipients(agent.workspaceId, id, request);
  return { ...page, offset: request.offset };
}

// ---------------------------------------------------------------- statuses and replies

const FORWARD: RecipientStatus[] = ['queued', 'sending', 'sent', 'delivered', 'read', 'replied'];
const FINAL = new Set<RecipientStatus>(['failed', 'skipped', 'canceled', 'replied']);

/**
 * Applies a WhatsApp delivery status to the broadcast recipient it is about (forwards only;
 * `failed` carries Meta's reason). Returns false when it is about no recipient.
 */
export async function applyBroadcastStatus(
  scope: StoreScope,
  workspaceId: string,
  status: { channelMessageId: string; status: 'sent' | 'delivered' | 'read' | 'failed' | string; error: string | null; callbackData: string | null },
): Promise<boolean> {
  const recipient = await scope.broadcasts.byMessage(workspaceId, status.channelMessageId, status.callbackData);
  if (!recipient) return false;
  const next = status.status as RecipientStatus;
  const moves = next === 'failed'
    ? !FINAL.has(recipient.status) && recipient.status !== 'read'
    : !FINAL.has(recipient.status) && FORWARD.indexOf(next) > FORWARD.indexOf(recipient.status);
  if (!moves) return true;
  await scope.broadcasts.setStatus(recipient.id, next, {
    reason: next === 'failed' ? (status.error ?? 'Failed') : null,
    ...(recipient.channelMessageId === null ? { channelMessageId: status.channelMessageId } : {}),
  }, nowIso());
  broadcastMoved(scope, workspaceId, recipient.broadcastId, [recipient.id]);
  return true;
}

/** Of `contactIds`, those whose reply `linkBroadcastReply` may link (one read for a webhook's lot). */
export function broadcastReplyCandidates(scope: StoreScope, workspaceId: string, contactIds: readonly string[], quotedIds: readonly string[]): Promise<Set<string>> {
  return scope.broadcasts.awaitingReply(workspaceId, contactIds, quotedIds, new Date(Date.now() - REPLY_LINK_MS).toISOString());
}

/**
 * A customer wrote on WhatsApp: when it answers a broadcast (quotes its message, or came within
 * days of it), their recipient is `replied` and the conversation is linked to the broadcast.
 * Returns the broadcast's id when it linked one.
 */
export async function linkBroadcastReply(
  scope: StoreScope,
  workspaceId: string,
  contactId: string,
  conversationId: string,
  quotedId: string | null,
): Promise<string | null> {
  const recipient = await scope.broadcasts.answered(workspaceId, contactId, quotedId, new Date(Date.now() - REPLY_LINK_MS).toISOString());
  if (!recipient || FINAL.has(recipient.status)) return null;
  await scope.broadcasts.setStatus(recipient.id, 'replied', { conversationId }, nowIso());
  await scope.broadcasts.linkConversation(workspaceId, conversationId, recipient.broadcastId);
  broadcastMoved(scope, workspaceId, recipient.broadcastId, [recipient.id]);
  return recipient.broadcastId;
}

// ---------------------------------------------------------------- sending

interface BroadcastPayload {
  workspaceId: string;
  broadcastId: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The send job and the live view: `broadcast.changed` to the workspace's admins, at most one
 * per broadcast every `notifyMs` (a broadcast to thousands moves many recipients a second).
 */
export class BroadcastService {
  readonly #store: Store;
  readonly #graph: GraphClient;
  readonly #io: Server;
  readonly #logger: Logger;
  readonly #notifyMs: number;
  readonly #pending = new Map<string, { workspaceId: string; recipientIds: Set<string>; timer: ReturnType<typeof setTimeout> }>();
  readonly #listener = (workspaceId: string, broadcastId: string, recipientIds: string[]) => this.#schedule(workspaceId, broadcastId, recipientIds);

  constructor(store: Store, queue: JobQueue, graph: GraphClient, io: Server, options: { logger: Logger; notifyMs?: number }) {
    this.#store = store;
    this.#graph = graph;
    this.#io = io;
    this.#logger = options.logger;
    this.#notifyMs = options.notifyMs ?? 250;
    listeners.add(this.#listener);
    queue.register(BROADCAST_JOB, { maxAttempts: 20, handle: (job) => this.#send(job) });
  }

  stop(): void {
    listeners.delete(this.#listener);
    for (const { timer } of this.#pending.values()) clearTimeout(timer);
    this.#pending.clear();
  }

  #schedule(workspaceId: string, broadcastId: string, recipientIds: string[]): void {
    const pending = this.#pending.get(broadcastId);
    if (pending) {
      recipientIds.forEach((id) => pending.recipientIds.add(id));
      return;
    }
    const timer = setTimeout(() => {
      const entry = this.#pending.get(broadcastId);
      this.#pending.delete(broadcastId);
      if (entry) this.#notify(workspaceId, broadcastId, [...entry.recipientIds]).catch((error: unknown) => this.#logger.warn('A broadcast change could not be told', error));
    }, this.#notifyMs);
    this.#pending.set(broadcastId, { workspaceId, recipientIds: new Set(recipientIds), timer });
  }

  async #notify(workspaceId: string, broadcastId: string, recipientIds: string[]): Promise<void> {
    const broadcast = await this.#store.broadcasts.get(workspaceId, broadcastId);
    if (!broadcast) return;
    const data: BroadcastChangedData = { broadcast, recipients: await this.#store.broadcasts.recipientsById(workspaceId, recipientIds) };
    this.#io.of('/agent').to(adminRoom(workspaceId)).emit('broadcast.changed', data);
  }

  /** Sends queued recipients for a while, then comes back (Postpone) until none is left. */
  async #send(job: Job): Promise<void> {
    const { workspaceId, broadcastId } = job.payload as BroadcastPayload;
    const store = this.#store;
    const broadcast = await store.broadcasts.get(workspaceId, broadcastId);
    if (!broadcast || broadcast.state === 'done' || broadcast.state === 'canceled') return;
    if (broadcast.state === 'scheduled') {
      await store.transaction(async (scope) => {
        if (await scope.broadcasts.setState(workspaceId, broadcastId, 'sending', ['scheduled'], nowIso())) broadcastMoved(scope, workspaceId, broadcastId);
      });
    }
    const wa = await whatsappSettings(store, workspaceId);
    const settings = await settingsOf(store, workspaceId);
    await store.broadcasts.ensureSettings(workspaceId, settings);
    const interval = Math.ceil(1000 / settings.messagesPerSecond);
    const until = Date.now() + CHUNK_MS;
    // Several sends in flight at once (each waits for Meta and for its commits), all paced by the shared slots.
    const lanes = Math.min(MAX_LANES, Math.ceil(settings.messagesPerSecond / 10));
    // A lane reserves a few consecutive slots at a time (about a fifth of a second's worth): fewer commits at high paces.
    const perReservation = Math.max(1, Math.floor(settings.messagesPerSecond / (lanes * 5)));
    const lane = async (): Promise<'empty' | 'more'> => {
      while (Date.now() < until) {
        const first = await store.broadcasts.takeSlot(workspaceId, Date.now(), interval * perReservation);
        for (let n = 0; n < perReservation; n += 1) {
          const slot = first + n * interval;
          if (slot > Date.now()) await sleep(slot - Date.now());
          const recipient = await store.broadcasts.claimNext(workspaceId, broadcastId, nowIso());
          if (!recipient) return 'empty';
          await this.#sendOne(broadcast, recipient, wa);
        }
      }
      return 'more';
    };
    const results = await Promise.allSettled(Array.from({ length: lanes }, lane));
    const failure = results.find((r) => r.status === 'rejected' && !(r.reason instanceof Postpone)) ?? results.find((r) => r.status === 'rejected');
    if (failure?.status === 'rejected') throw failure.reason;
    if (results.every((r) => r.status === 'fulfilled' && r.value === 'empty')) await this.#finish(workspaceId, broadcastId);
    else throw new Postpone('More recipients to send', 0);
  }

  /** One recipient, already marked `sending` (so never sent again, whatever happens next). */
  async #sendOne(broadcast: Broadcast, recipient: QueuedRecipient, wa: Awaited<ReturnType<typeof whatsappSettings>>): Promise<void> {
    const { workspaceId, id: broadcastId } = broadcast;
    const changed = (fn: (scope: StoreScope) => Promise<unknown>) =>
      this.#store.transaction(async (scope) => {
        await fn(scope);
        broadcastMoved(scope, workspaceId, broadcastId, [recipient.id]);
      });
    if (!wa?.phoneNumberId || !wa.accessToken) {
      await changed((scope) => scope.broadcasts.markFailed(recipient.id, 'WhatsApp is not set up for this workspace', nowIso()));
      return;
    }
    try {
      const answer = await this.#graph.post<{ messages?: Array<{ id?: string }> }>(`${wa.phoneNumberId}/messages`, wa.accessToken, {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: recipient.handle,
        type: 'template',
        template: {
          name: broadcast.template.name,
          language: { code: broadcast.template.language },
          components: recipient.parameters.length > 0 ? [{ type: 'body', parameters: recipient.parameters.map((text) => ({ type: 'text', text })) }] : [],
        },
        // Comes back on its status webhooks: names the recipient even when this answer is lost.
        biz_opaque_callback_data: recipient.id,
      });
      const messageId = answer.messages?.[0]?.id;
      await changed((scope) =>
        messageId
          ? scope.broadcasts.markSent(recipient.id, messageId, nowIso())
          : scope.broadcasts.markFailed(recipient.id, 'The Graph API accepted the message without giving its id', nowIso()));
    } catch (error) {
      if (!(error instanceof GraphError)) throw error;
      if (error.code !== null && (GRAPH_ERRORS.rateLimits as readonly number[]).includes(error.code)) {
        // Meta refused it for the pace: it waits its turn again, and the whole broadcast waits out the limit.
        await changed((scope) => scope.broadcasts.requeue(recipient.id, nowIso()));
        throw new Postpone(`Meta asked to wait: ${error.describe()}`, 1000 + Math.round(Math.random() * 1000));
      }
      if (error.transient) {
        // No answer, or Meta failed: it may have gone out. Never sent again; its status webhook will tell.
        await changed((scope) => scope.broadcasts.noteUncertain(recipient.id, `No clear answer from Meta: ${error.describe()}`, nowIso()));
        return;
      }
      await changed((scope) => scope.broadcasts.markFailed(recipient.id, error.describe(), nowIso()));
    }
  }

  /**
   * Nothing left to send. Recipients still `sending` now were taken by a worker that died (this
   * job is the broadcast's only one): they say so, and wait for a status webhook that may come.
   */
  async #finish(workspaceId: string, broadcastId: string): Promise<void> {
    await this.#store.transaction(async (scope) => {
      await scope.broadcasts.noteOrphans(workspaceId, broadcastId, 'The server stopped while sending it: not sent again, in case Meta has it', nowIso());
      if (await scope.broadcasts.setState(workspaceId, broadcastId, 'done', ['sending'], nowIso())) broadcastMoved(scope, workspaceId, broadcastId);
    });
  }
}

