/**
 * WhatsApp Cloud API, Instagram and Messenger: webhooks (handshake, signature, durable intake),
 * the jobs that process what arrives and deliver what agents send, and the channel API
 * (settings for admins, templates, media).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import {
  CONFIGURABLE_CHANNELS, LIMITS, instagramSettingsSchema, messengerSettingsSchema, templateSendRequestSchema, whatsappSettingsSchema,
  type Agent, type ConfigurableChannel, type Message,
} from '@charla/protocol';
import express, { Router, type Request, type Response } from 'express';
import { CharlaFailure } from '../failure.js';
import { nowIso } from '../ids.js';
import { authenticate, signedIn } from '../http/api.js';
import { enqueueJob, PermanentFailure, RetryLater, type JobQueue } from '../jobs/queue.js';
import type { Logger } from '../logger.js';
import { contactChanged, requireContact, requireConversation } from '../services/changes.js';
import { visibleConversationIds } from '../services/visibility.js';
import type { Job, Store, StoreScope } from '../store/index.js';
import { parseInput, requireObject } from '../validation.js';
import { EmailChannel } from './email/index.js';
import { GraphClient, GraphError } from './graph.js';
import { fetchMedia, MediaFetchError, type MediaPolicy } from './media-fetch.js';
import { registerConversions } from './conversions.js';
import { applyDeliveryStatus, messageChanged, receiveEcho, receiveMessage, receiveMessages, type InboundMessage } from './inbound.js';
import { pageAccounts, parsePageWebhook } from './instagram/parse.js';
import { registerReadJob, registerSendJob, sendTemplate, syncTemplates } from './outbound.js';
import { updateChannelSettings } from './ownership.js';
import { instagramSettings, messengerSettings, settingsOfAccount, viewOf, whatsappSettings } from './settings.js';
import { verifySignature } from './signature.js';
import { parseWhatsappWebhook, whatsappAccounts, type WhatsappStatus } from './whatsapp/parse.js';
import { applyBroadcastStatus } from '../services/broadcasts.js';

export interface ChannelOptions {
  graphUrl: string;
  /** The largest email accepted, in bytes. */
  emailMaxBytes: number;
  /** Certificate authorities (PEM) trusted for SMTP besides the system's. */
  smtpTlsCa?: string | undefined;
  /** First reconnection delay of IMAP readers (tests shorten it). */
  imapBackoffMs?: number;
  /** Where downloaded media is kept. */
  mediaDir: string;
  /** Where media may be downloaded from, how much and how long (see media-fetch.ts). */
  media: MediaPolicy;
  logger: Logger;
}

const WEBHOOK_JOB: Record<ConfigurableChannel, string> = {
  whatsapp: 'whatsapp.webhook', instagram: 'instagram.webhook', messenger: 'messenger.webhook',
};
const STATUS_JOB = 'whatsapp.status';
const MEDIA_JOB = 'whatsapp.media';
const IG_MEDIA_JOB = 'instagram.media';
/** Reads a Messenger or Instagram customer's profile (name, picture) from the Graph API. */
const PROFILE_JOB = 'page.profile';
const MEDIA_TYPES = new Set(['image', 'video', 'audio', 'document', 'sticker']);
/** The largest webhook delivery accepted. */
const WEBHOOK_MAX_BYTES = 5 * 1024 * 1024;
const WEBHOOK_PATH = new RegExp(`^/webhooks/(${CONFIGURABLE_CHANNELS.join('|')})/?(?:\\?.*)?$`);

/** What a webhook delivery is answered. */
interface WebhookAnswer {
  status: number;
  type: string;
  body: string;
}
const webhookFailure = (status: number, code: string, message: string): WebhookAnswer => ({
  status, type: 'application/json; charset=utf-8', body: JSON.stringify({ error: { code, message } }),
});
/** As express's body reader words it for the routes it reads (see http/errors.ts). */
const WEBHOOK_TOO_LARGE = webhookFailure(413, 'invalid_payload', `The body is larger than the limit of ${WEBHOOK_MAX_BYTES} bytes`);

function send(res: ServerResponse, answer: WebhookAnswer, headers: Record<string, string> = {}): void {
  res.writeHead(answer.status, { 'Content-Type': answer.type, ...headers }).end(answer.body);
}

interface WebhookPayload {
  workspaceId: string;
  body: string;
}

/** A WhatsApp status about a broadcast's recipient or else an agent's message; false when about neither (yet). */
async function applyStatus(scope: StoreScope, workspaceId: string, status: WhatsappStatus): Promise<boolean> {
  return (
    (await applyBroadcastStatus(scope, workspaceId, status)) ||
    applyDeliveryStatus(scope, workspaceId, status.channelMessageId, status.status, status.error)
  );
}

/** What a media job names: the message whose media it keeps. */
interface MediaPayload {
  workspaceId: string;
  messageId: string;
}

/** Deliveries of one queue (see `Channels.#intake`). */
interface IntakeQueue {
  pending: Array<{ channel: ConfigurableChannel; workspaces: string[]; body: string; resolve: () => void; reject: (error: unknown) => void }>;
  flushing: boolean;
}

export class Channels {
  readonly graph: GraphClient;
  readonly email: EmailChannel;
  readonly #store: Store;
  readonly #queue: JobQueue;
  readonly #options: ChannelOptions;

  constructor(store: Store, queue: JobQueue, options: ChannelOptions) {
    this.#store = store;
    this.#queue = queue;
    this.#options = options;
    this.graph = new GraphClient(options.graphUrl);
    this.email = new EmailChannel(store, {
      mediaDir: options.mediaDir, maxBytes: options.emailMaxBytes, logger: options.logger,
      ...(options.smtpTlsCa ? { smtpTlsCa: options.smtpTlsCa } : {}),
      ...(options.imapBackoffMs !== undefined ? { imapBackoffMs: options.imapBackoffMs } : {}),
    });
    registerSendJob(queue, store, this.graph, this.email);
    registerReadJob(queue, store, this.graph);
    registerConversions(queue, store, this.graph, options.logger);
    queue.register(WEBHOOK_JOB.whatsapp, {
      maxAttempts: 10,
      handleIn: (scope, job) => this.#processWhatsapp(scope, [job]),
      handleManyIn: (scope, jobs) => this.#processWhatsapp(scope, jobs),
    });
    queue.register(WEBHOOK_JOB.instagram, { maxAttempts: 10, handleIn: (scope, job) => this.#processPage('instagram', scope, job) });
    queue.register(WEBHOOK_JOB.messenger, { maxAttempts: 10, handleIn: (scope, job) => this.#processPage('messenger', scope, job) });
    queue.register(STATUS_JOB, { maxAttempts: 6, handle: (job) => this.#applyLateStatus(job) });
    const mediaUnavailable = (job: Job, error: Error) => this.#mediaUnavailable(job, error);
    queue.register(MEDIA_JOB, { maxAttempts: 6, handle: (job) => this.#downloadMedia(job), onGiveUp: mediaUnavailable });
    queue.register(IG_MEDIA_JOB, { maxAttempts: 6, handle: (job) => this.#downloadInstagramMedia(job), onGiveUp: mediaUnavailable });
    queue.register(PROFILE_JOB, { maxAttempts: 5, handle: (job) => this.#readProfile(job) });
  }

  /** `GET|POST /webhooks/whatsapp`, `/webhooks/instagram` and `/webhooks/messenger`. */
  webhooks(): Router {
    const router = Router();
    router.use(this.email.webhooks());
    for (const channel of CONFIGURABLE_CHANNELS) {
      router.get(`/${channel}`, (req, res) => {
        this.#handshake(channel, req, res).catch((error: unknown) => {
          this.#options.logger.error(`GET /webhooks/${channel} failed`, error);
          if (!res.headersSent) res.status(500).type('text/plain').send('Something went wrong on the server');
        });
      });
      router.post(`/${channel}`, express.raw({ type: () => true, limit: WEBHOOK_MAX_BYTES }), (req, res) => void this.#receive(channel, req, res));
    }
    return router;
  }

  /**
   * `POST /webhooks/whatsapp|instagram|messenger` taken straight off the HTTP server, before the
   * express app: Meta's deliveries are the busiest requests, and nothing of the app's middleware
   * (security headers for pages, JSON bodies, sessions) applies to them. Returns false for any
   * other request, and for a compressed body (left to the router, which inflates it).
   */
  intake(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'POST') return false;
    const match = WEBHOOK_PATH.exec(req.url ?? '');
    const encoding = req.headers['content-encoding'];
    if (!match || (encoding && encoding !== 'identity')) return false;
    const channel = match[1] as ConfigurableChannel;
    const declared = Number(req.headers['content-length'] ?? 0);
    const refuse = () => send(res, WEBHOOK_TOO_LARGE, { Connection: 'close' });
    if (declared > WEBHOOK_MAX_BYTES) {
      refuse();
      req.resume();
      return true;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > WEBHOOK_MAX_BYTES) {
        refuse();
        req.destroy();
      } else {
        chunks.push(chunk);
      }
    });
    req.once('error', () => res.destroy());
    req.once('end', () => {
      if (res.headersSent) return;
      const signature = req.headers['x-hub-signature-256'];
      void this.accept(channel, Buffer.concat(chunks, size), typeof signature === 'string' ? signature : undefined).then((answer) => send(res, answer));
    });
    return true;
  }

  /** Meta's verification: the configured verify token of some workspace, then the bare challenge. */
  async #handshake(channel: ConfigurableChannel, req: Request, res: Response): Promise<void> {
    const mode = req.query['hub.mode'];
    const token = req.query['hub.verify_token'];
    const challenge = req.query['hub.challenge'];
    const all = await this.#store.channels.allSettings(channel);
    const known = typeof token === 'string' && all.some((s) => s.settings.verifyToken === token);
    if (mode === 'subscribe' && known && typeof challenge === 'string') {
      res.status(200).type('text/plain').send(challenge);
      return;
    }
    res.status(403).type('text/plain').send('Verification failed');
  }

  /**
   * A webhook delivery: accepted only when signed with the app secret of the workspace it is
   * addressed to; then stored as a job (durable) and answered 200 at once.
   */
  async #receive(channel: ConfigurableChannel, req: Request, res: Response): Promise<void> {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    send(res, await this.accept(channel, raw, req.get('x-hub-signature-256')));
  }

  /**
   * A webhook delivery as raw bytes and its signature header: accepted only when signed with the
   * app secret of a workspace it is addressed to, then processed (or stored, see `#intake`) before
   * the answer. Transport-free, so the HTTP server can take deliveries on its fast path.
   */
  async accept(channel: ConfigurableChannel, raw: Buffer, signature: string | undefined): Promise<WebhookAnswer> {
    try {
      if (!signature) return webhookFailure(401, 'unauthorized', 'X-Hub-Signature-256 is missing');
      let payload: unknown;
      try {
        payload = JSON.parse(raw.toString('utf8'));
      } catch {
        return webhookFailure(400, 'invalid_payload', 'The body is not valid JSON');
      }
      const accounts = channel === 'whatsapp' ? whatsappAccounts(payload) : pageAccounts(payload);
      const candidates = (await Promise.all(accounts.map((id) => settingsOfAccount(this.#store, channel, id)))).flat();
      const workspaces = [
        ...new Set(candidates.filter((s) => verifySignature(raw, signature, s.settings.appSecret ?? '')).map((s) => s.workspaceId)),
      ];
      if (workspaces.length === 0) return webhookFailure(403, 'forbidden', 'The signature does not match');
      await this.#intake(channel, workspaces, raw.toString('utf8'));
      // Meta only reads the status.
      return { status: 200, type: 'text/plain; charset=utf-8', body: 'EVENT_RECEIVED' };
    } catch (error) {
      this.#options.logger.error(`POST /webhooks/${channel} failed`, error);
      return webhookFailure(500, 'internal', 'Something went wrong on the server');
    }
  }

  /**
   * Processes deliveries at once and answers once they are stored: in one transaction when all
   * go well (no job record left), else as durable jobs retried one by one (see `runNow`).
   * Deliveries that arrive while a lot is in progress wait and go together in the next one, and a
   * lot starts only once the event loop has read every request that was ready: under load, one
   * commit takes many (SQLite's statements do not give the loop a turn, so without that wait each
   * delivery would be a lot of its own).
   *
   * On SQLite one lot holds every workspace's deliveries (one writer, statements in place: one
   * commit is cheapest). On PostgreSQL each workspace has its own queue and lots, run side by side
   * on the pool under its workspace's lock and REPEATABLE READ: a lot of many workspaces was a
   * round trip per statement per workspace in one transaction, and lots side by side under
   * SERIALIZABLE collided through the index pages they share and ran again.
   */
  #intake(channel: ConfigurableChannel, workspaces: string[], body: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const key = this.#store.engine === 'postgres' ? workspaces.join('\n') : '';
      let queue = this.#queues.get(key);
      if (!queue) this.#queues.set(key, (queue = { pending: [], flushing: false }));
      queue.pending.push({ channel, workspaces, body, resolve, reject });
      if (queue.flushing) return;
      queue.flushing = true;
      setImmediate(() => void this.#flush(key, queue));
    });
  }

  /** Deliveries waiting for their lot, by workspace on PostgreSQL (one queue on SQLite). */
  readonly #queues = new Map<string, IntakeQueue>();

  async #flush(key: string, queue: IntakeQueue): Promise<void> {
    while (queue.pending.length > 0) {
      const batch = queue.pending.splice(0);
      try {
        await this.#queue.runNow(
          batch.flatMap(({ channel, workspaces, body }) =>
            workspaces.map((workspaceId) => ({ kind: WEBHOOK_JOB[channel], workspaceId, payload: { workspaceId, body } satisfies WebhookPayload }))),
          { isolation: 'repeatable read' },
        );
        for (const entry of batch) entry.resolve();
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
    queue.flushing = false;
    if (this.#queues.get(key) === queue) this.#queues.delete(key);
  }

  /**
   * WhatsApp deliveries, in order: their messages stored as one lot (see `receiveMessages`), then
   * their statuses.
   */
  async #processWhatsapp(scope: StoreScope, jobs: readonly Job[]): Promise<void> {
    const inbounds: Array<{ message: InboundMessage; mediaId: string | null }> = [];
    const statuses: Array<{ workspaceId: string; status: WhatsappStatus }> = [];
    for (const job of jobs) {
      const { workspaceId, body } = job.payload as WebhookPayload;
      const settings = await whatsappSettings(this.#store, workspaceId);
      const parsed = parseWhatsappWebhook(JSON.parse(body));
      for (const inbound of parsed.messages) {
        if (inbound.phoneNumberId !== settings?.phoneNumberId) continue;
        const phone = /^\d{8,15}$/.test(inbound.from) ? inbound.from : null;
        inbounds.push({
          mediaId: inbound.mediaId,
          message: {
            workspaceId,
            channel: 'whatsapp',
            channelMessageId: inbound.channelMessageId,
            sender: { handle: inbound.from, name: inbound.profileName, phone },
            type: inbound.type,
            body: inbound.body,
            content: inbound.content,
            createdAt: inbound.createdAt,
            referral: inbound.referral,
          },
        });
      }
      for (const status of parsed.statuses) if (status.phoneNumberId === settings?.phoneNumberId) statuses.push({ workspaceId, status });
    }
    const stored = await receiveMessages(scope, inbounds.map(({ message }) => message));
    for (const [index, message] of stored.entries()) {
      const { mediaId, message: { workspaceId } } = inbounds[index]!;
      if (message && mediaId) await enqueueJob(scope, { kind: MEDIA_JOB, workspaceId, payload: { workspaceId, messageId: message.id, mediaId } });
    }
    for (const { workspaceId, status } of statuses) {
      const applied = await applyStatus(scope, workspaceId, status);
      // The status may overtake the send's own answer: try again shortly.
      if (!applied) {
        await enqueueJob(scope, { kind: STATUS_JOB, workspaceId, payload: { workspaceId, ...status }, runAt: new Date(Date.now() + 500) });
      }
    }
  }

  async #applyLateStatus(job: Job): Promise<void> {
    const status = job.payload as WhatsappStatus & { workspaceId: string };
    const applied = await this.#store.transaction((scope) => applyStatus(scope, status.workspaceId, { ...status, callbackData: status.callbackData ?? null }));
    if (!applied) throw new RetryLater(`No message has the id ${status.channelMessageId} yet`);
  }

  /** Instagram and Messenger: one envelope (`entry[].messaging[]`), the account being the IG account or the Page. */
  /**
   * `GET /{PSID}?fields=name,profile_pic` (Messenger) or `GET /{IGSID}?fields=name,username,profile_pic`
   * (Instagram) with the account's token: the name (Instagram: else the username) fills the
   * contact's when it still has none — a name an agent or anything else gave is never replaced.
   * (The picture is not kept: Meta's links to it expire.) A profile Meta will not give is left unread.
   */
  async #readProfile(job: Job): Promise<void> {
    const { workspaceId, channel, handle } = job.payload as { workspaceId: string; channel: 'instagram' | 'messenger'; handle: string };
    const token = channel === 'instagram' ? (await instagramSettings(this.#store, workspaceId))?.accessToken : (await messengerSettings(this.#store, workspaceId))?.accessToken;
    if (!token) return;
    const fields = channel === 'instagram' ? 'name,username,profile_pic' : 'name,profile_pic';
    let profile: { name?: unknown; username?: unknown; profile_pic?: unknown };
    try {
      profile = await this.graph.get(`${encodeURIComponent(handle)}?fields=${fields}`, token);
    } catch (error) {
      if (error instanceof GraphError && error.transient) throw new RetryLater(error.describe());
      if (error instanceof GraphError) throw new PermanentFailure(error.describe());
      throw error;
    }
    const given = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim().slice(0, LIMITS.name) : null);
    const name = given(profile.name) ?? given(profile.username);
    if (!name) return;
    await this.#store.transaction(async (scope) => {
      const contact = await scope.contacts.byHandle(workspaceId, channel, handle);
      if (!contact || contact.name) return;
      await scope.contacts.update(workspaceId, contact.id, { name, nameSource: 'profile' }, nowIso());
      contactChanged(scope, await requireContact(scope, workspaceId, contact.id));
    });
  }

  async #processPage(channel: 'instagram' | 'messenger', scope: StoreScope, job: Job): Promise<void> {
    const { workspaceId, body } = job.payload as WebhookPayload;
    const accountId =
      channel === 'instagram' ? (await instagramSettings(this.#store, workspaceId))?.accountId : (await messengerSettings(this.#store, workspaceId))?.pageId;
    for (const event of parsePageWebhook(JSON.parse(body))) {
      if (!accountId || event.accountId !== accountId) continue;
      const common = { workspaceId, channel, channelMessageId: event.channelMessageId, body: event.body, content: event.content };
      if (event.echo) await receiveEcho(scope, { ...common, recipientHandle: event.customerId });
      else {
        const message = await receiveMessage(scope, { ...common, sender: { handle: event.customerId, name: null }, type: event.type, createdAt: event.createdAt });
        // Meta's webhooks carry no name: the customer's profile is read once their contact has none.
        const sender = message?.senderId ? await scope.contacts.get(workspaceId, message.senderId) : undefined;
        if (sender && !sender.name) await enqueueJob(scope, { kind: PROFILE_JOB, workspaceId, payload: { workspaceId, channel, handle: event.customerId }, maxAttempts: 5 });
        const attachment = (event.content?.attachments as Array<{ type: string | null; url: string | null }> | undefined)?.[0];
        if (message && attachment?.url && /^https?:\/\//.test(attachment.url) && MEDIA_TYPES.has(message.type)) {
          await enqueueJob(scope, { kind: IG_MEDIA_JOB, workspaceId, payload: { workspaceId, messageId: message.id, url: attachment.url } });
        }
      }
    }
  }

  /**
   * `GET /{media-id}` → `{url}`, then the bytes, kept under mediaDir. The token goes with the
   * download only where the media policy allows the URL Graph gave (see media-fetch.ts).
   */
  async #downloadMedia(job: Job): Promise<void> {
    const { workspaceId, messageId, mediaId } = job.payload as MediaPayload & { mediaId: string };
    const settings = await whatsappSettings(this.#store, workspaceId);
    if (!settings?.accessToken) throw new PermanentFailure('WhatsApp is not configured for this workspace');
    const accessToken = settings.accessToken;
    await this.#keepMedia(workspaceId, messageId, async () => {
      const media = await this.graph.get<{ url?: string; mime_type?: string }>(encodeURIComponent(mediaId), accessToken);
      if (!media.url) throw new PermanentFailure('The Graph API gave no URL for the media');
      return { ...(await this.#fetchMedia(media.url, accessToken)), mimeType: media.mime_type ?? null };
    });
  }

  /**
   * Instagram and Messenger attachments come as CDN links that expire: their bytes are kept like WhatsApp's.
   * The sender chose the link, so it is fetched under the media policy and without any token.
   */
  async #downloadInstagramMedia(job: Job): Promise<void> {
    const { workspaceId, messageId, url } = job.payload as MediaPayload & { url: string };
    await this.#keepMedia(workspaceId, messageId, async () => ({ ...(await this.#fetchMedia(url)), mimeType: null }));
  }

  #fetchMedia(url: string, token?: string): Promise<{ bytes: Buffer; contentType: string | null }> {
    return fetchMedia(this.#options.media, { url, ...(token ? { token } : {}), trustedOrigin: new URL(this.graph.baseUrl).origin });
  }

  /**
   * Stores the bytes `fetchFile` gets under mediaDir and points the message's `content.media` at
   * `/api/v1/media/:messageId`, live for the agents.
   */
  async #keepMedia(
    workspaceId: string,
    messageId: string,
    fetchFile: () => Promise<{ bytes: Buffer; contentType: string | null; mimeType: string | null }>,
  ): Promise<void> {
    let file: { bytes: Buffer; contentType: string | null; mimeType: string | null };
    try {
      file = await fetchFile();
    } catch (error) {
      if (error instanceof GraphError || error instanceof MediaFetchError) {
        const reason = error instanceof GraphError ? error.describe() : error.message;
        throw error.transient ? new RetryLater(reason) : new PermanentFailure(reason);
      }
      throw error;
    }
    const dir = join(this.#options.mediaDir, workspaceId);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, messageId), file.bytes);
    await this.#setMedia(workspaceId, messageId, { url: `/api/v1/media/${messageId}`, mimeType: file.mimeType ?? file.contentType, size: file.bytes.length });
  }

  /** Media that could not be kept (refused by the policy, or gone): the message stays, its media marked unavailable. */
  async #mediaUnavailable(job: Job, error: Error): Promise<void> {
    const { workspaceId, messageId } = job.payload as MediaPayload;
    this.#options.logger.warn(`Media of message ${messageId} not kept: ${error.message}`);
    await this.#setMedia(workspaceId, messageId, { unavailable: true, error: error.message });
  }

  /** Merges `fields` into the message's `content.media`, live for the agents. */
  async #setMedia(workspaceId: string, messageId: string, fields: Record<string, unknown>): Promise<void> {
    await this.#store.transaction(async (scope) => {
      const message = await scope.channels.message(workspaceId, messageId);
      if (!message) return;
      const content = { ...message.content, media: { ...(message.content?.media as Record<string, unknown> | undefined), ...fields } };
      await scope.channels.setContent(workspaceId, messageId, content);
      const conversation = await requireConversation(scope, workspaceId, message.conversationId);
      messageChanged(scope, conversation, { ...message, content });
    });
  }


  /** The channel API under /api/v1 (its own routes only; everything else falls through). */
  api(): Router {
    const router = Router();
    const auth = authenticate(this.#store);
    const json = express.json({ limit: '1mb' });
    const store = this.#store;
    router.use(this.email.api());

    router.get('/channels/:channel', auth, async (req, res) => {
      const channel = channelOf(String(req.params.channel));
      const agent = signedIn(res, 'admin');
      res.json(viewOf(channel, await store.channels.settings(agent.workspaceId, channel)));
    });
    router.put('/channels/:channel', auth, json, async (req, res) => {
      const channel = channelOf(String(req.params.channel));
      const agent = signedIn(res, 'admin');
      const schema = channel === 'whatsapp' ? whatsappSettingsSchema : channel === 'instagram' ? instagramSettingsSchema : messengerSettingsSchema;
      const patch = parseInput(schema, req.body) as Record<string, string | null | undefined>;
      res.json(await updateChannelSettings(store, this.graph, agent.workspaceId, channel, patch));
    });
    router.post('/channels/whatsapp/templates/sync', auth, async (_req, res) => {
      const agent = signedIn(res, 'admin');
      res.json({ templates: await syncTemplates(store, this.graph, agent.workspaceId) });
    });
    router.get('/channels/whatsapp/templates', auth, async (_req, res) => {
      const agent = signedIn(res);
      res.json({ templates: await store.channels.templates(agent.workspaceId) });
    });
    router.post('/conversations/:id/templates', auth, json, async (req, res) => {
      const agent = signedIn(res, 'agent');
      const input = parseInput(templateSendRequestSchema, { ...requireObject(req.body), conversationId: req.params.id });
      const { message, created } = await sendTemplate(store, agent, input);
      res.status(created ? 201 : 200).json(message);
    });
    router.get('/media/:messageId', auth, async (req, res) => {
      const agent = signedIn(res);
      const message = await visibleMessage(store, agent, String(req.params.messageId));
      const media = message?.content?.media as { url?: string | null; mimeType?: string | null } | undefined;
      if (!message || !media?.url) throw new CharlaFailure('not_found', 'Media not found');
      const bytes = await readFile(join(this.#options.mediaDir, agent.workspaceId, message.id));
      // What a customer sent never runs as a page of this origin.
      res.set({ 'Content-Security-Policy': 'sandbox', 'X-Content-Type-Options': 'nosniff' });
      res.type(media.mimeType ?? 'application/octet-stream').send(bytes);
    });
    router.get('/media/:messageId/:index', auth, async (req, res) => {
      const agent = signedIn(res);
      const message = await visibleMessage(store, agent, String(req.params.messageId));
      const index = Number(req.params.index);
      const attachment = (message?.content?.attachments as Array<{ type?: string; filename?: string; url?: string }> | undefined)?.[index];
      if (!message || !Number.isInteger(index) || !attachment?.url?.startsWith('/api/v1/media/')) throw new CharlaFailure('not_found', 'Attachment not found');
      const bytes = await readFile(join(this.#options.mediaDir, agent.workspaceId, `${message.id}.${index}`));
      res.set({ 'Content-Security-Policy': 'sandbox', 'X-Content-Type-Options': 'nosniff' });
      res.attachment(attachment.filename ?? `attachment-${index + 1}`);
      res.type(attachment.type ?? 'application/octet-stream').send(bytes);
    });
    return router;
  }
}

/** The message behind a media URL, when the agent may see its conversation (else as if there were none). */
async function visibleMessage(store: Store, agent: Agent, messageId: string): Promise<Message | undefined> {
  const message = await store.channels.message(agent.workspaceId, messageId);
  if (!message || !(await visibleConversationIds(store, agent, [message.conversationId])).has(message.conversationId)) return undefined;
  return message;
}

function channelOf(value: string | undefined): ConfigurableChannel {
  if ((CONFIGURABLE_CHANNELS as readonly string[]).includes(value ?? '')) return value as ConfigurableChannel;
  throw new CharlaFailure('not_found', `No channel "${value ?? ''}" has settings`);
}
