/**
 * Email as a channel. Mail arrives through a provider's inbound webhook (the raw MIME posted to
 * `POST /webhooks/email/:inboxKey` with the inbox's secret) or from the inbox's own IMAP
 * mailbox (see imap.ts); both go through `receive`. Agents' replies leave over the inbox's SMTP
 * as durable send jobs (see outbound.ts), threaded with Charla's own Message-IDs,
 * In-Reply-To/References and a signed Reply-To token.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import {
  emailInboxCreateSchema, emailSettingsSchema, type Conversation, type EmailInboxView, type Message, type MessageType,
} from '@charla/protocol';
import express, { Router, type Request, type Response } from 'express';
import nodemailer, { type Transporter } from 'nodemailer';
import { CharlaFailure } from '../../failure.js';
import { authenticate, signedIn } from '../../http/api.js';
import { requireVisibleConversation } from '../../services/visibility.js';
import { CHARLA, settleKeys } from '../../identity/claim.js';
import { nowIso } from '../../ids.js';
import type { Logger } from '../../logger.js';
import type { Store, StoreScope, StoredEmailInbox } from '../../store/index.js';
import { parseInput } from '../../validation.js';
import { messageChanged, receiveMessage } from '../inbound.js';
import { emailInboxById, emailInboxes, inboxView, settingsChanged, type EmailInbox } from '../settings.js';
import { ImapReaders } from './imap.js';
import { MalformedMail, parseMail, type DeliveryReport, type ParsedMail } from './mime.js';
import { conversationOfAddress, ownMessageId, replyAddress, replySubject } from './threading.js';

export interface EmailOptions {
  mediaDir: string;
  /** The largest message accepted, in bytes (`CHARLA_EMAIL_MAX_BYTES`, default 25 MB). */
  maxBytes: number;
  logger: Logger;
  /** First reconnection delay of IMAP readers (default 1 s). */
  imapBackoffMs?: number;
  /** Certificate authorities (PEM) trusted for every inbox's SMTP besides the system's (`CHARLA_SMTP_TLS_CA`). */
  smtpTlsCa?: string;
}

/** The PEM of the file `CHARLA_SMTP_TLS_CA` names, if any (a missing file stops the server with its name). */
export function smtpTlsCaFrom(env: NodeJS.ProcessEnv): string | undefined {
  const path = env.CHARLA_SMTP_TLS_CA?.trim();
  if (!path) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`CHARLA_SMTP_TLS_CA: cannot read ${path}: ${(error as Error).message}`);
  }
}

export const DEFAULT_EMAIL_MAX_BYTES = 25 * 1024 * 1024;

export function emailMaxBytesFrom(given: number | undefined, env: NodeJS.ProcessEnv): number {
  if (given !== undefined) return given;
  const fromEnv = Number(env.CHARLA_EMAIL_MAX_BYTES);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_EMAIL_MAX_BYTES;
}

/** What became of an inbound message. */
export type EmailOutcome =
  | { outcome: 'received'; conversationId: string; messageId: string }
  | { outcome: 'duplicate' | 'loop' | 'ignored'; reason: string };

/** A refusal by the SMTP server (5xx: final) or a failure to reach it (worth retrying). */
export class EmailSendError extends Error {
  override readonly name = 'EmailSendError';
  constructor(message: string, readonly transient: boolean) {
    super(message);
  }

  describe(): string {
    return this.message;
  }
}

const MEDIA_TYPE: Array<[RegExp, MessageType]> = [[/^image\//, 'image'], [/^video\//, 'video'], [/^audio\//, 'audio']];

export class EmailChannel {
  readonly #store: Store;
  readonly #options: EmailOptions;
  readonly #transports = new Map<string, Transporter>();
  readonly imap: ImapReaders;

  constructor(store: Store, options: EmailOptions) {
    this.#store = store;
    this.#options = options;
    this.imap = new ImapReaders(store, options.logger, (workspaceId, raw, inboxId) => this.receive(workspaceId, raw, inboxId), options.imapBackoffMs);
  }

  /** `POST /webhooks/email/:inboxKey`: the raw message as the body, the secret in `X-Charla-Secret` or `?secret=`. */
  webhooks(): Router {
    const router = Router();
    const raw = express.raw({ type: () => true, limit: this.#options.maxBytes });
    router.post('/email/:inboxKey', raw, (req, res) => void this.#webhook(req, res));
    return router;
  }

  async #webhook(req: Request, res: Response): Promise<void> {
    const failure = (status: number, code: string, message: string) => res.status(status).json({ error: { code, message } });
    try {
      const given = req.get('x-charla-secret') ?? (typeof req.query.secret === 'string' ? req.query.secret : '');
      const inbox = await emailInboxById(this.#store, String(req.params.inboxKey));
      const secret = inbox?.settings.inboundSecret ?? '';
      if (!inbox || !secret || !sameSecret(given, secret)) return void failure(403, 'forbidden', 'Unknown inbox or wrong secret');
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (body.length === 0) return void failure(400, 'invalid_payload', 'The body must be the raw MIME message');
      res.json(await this.receive(inbox.workspaceId, body, inbox.id));
    } catch (error) {
      if (error instanceof MalformedMail) return void failure(400, 'invalid_payload', error.message);
      this.#options.logger.error('POST /webhooks/email failed', error);
      // The provider keeps the message and tries again.
      if (!res.headersSent) failure(500, 'internal', 'Something went wrong on the server');
    }
  }

  /**
   * Stores an inbound message: deduplicated on its Message-ID, joined to the conversation its
   * Reply-To token, In-Reply-To or References name (in that order; never by subject), else a new
   * conversation. Charla's own mail coming back, and machine mail that answers nothing, is
   * recorded as refused; auto-replies and bounces in a thread are stored without reopening it.
   */
  async receive(workspaceId: string, raw: Buffer, inboxId?: string): Promise<EmailOutcome> {
    const inboxes = (await emailInboxes(this.#store, workspaceId)).filter((inbox) => inbox.settings.address);
    const inbox = inboxes.find((candidate) => candidate.id === inboxId) ?? (inboxId ? undefined : inboxes[0]);
    if (!inbox) return { outcome: 'ignored', reason: 'The email inbox is not configured' };
    // The webhook refuses larger bodies before reading them; IMAP mail is checked here, unparsed.
    if (raw.length > this.#options.maxBytes) return { outcome: 'ignored', reason: 'The message is larger than the limit' };
    const mail = await parseMail(raw);
    // Mail any inbox of the workspace sent, coming back (one inbox copying another too).
    if (inboxes.some((own) => mail.loopMark === own.id || mail.from?.address === own.settings.address)) {
      return { outcome: 'loop', reason: 'The message was sent by this inbox' };
    }
    if (!mail.from) return { outcome: 'ignored', reason: 'The message names no sender' };
    const channelMessageId = mail.messageId;
    return this.#store.transaction(async (scope) => {
      if (await scope.channels.messageByChannelId(workspaceId, channelMessageId)) {
        return { outcome: 'duplicate', reason: `${channelMessageId} is already stored` } as const;
      }
      // A bounce names the reply it returns: that reply failed, and the bounce joins its conversation.
      const returned = mail.bounce && mail.dsn?.originalMessageId ? await scope.channels.messageByChannelId(workspaceId, mail.dsn.originalMessageId) : undefined;
      const bounced = returned?.direction === 'out' ? returned : undefined;
      const conversationId = bounced?.conversationId ?? (await threadOf(scope, workspaceId, inboxes, mail));
      const machine = mail.automatic || mail.bounce;
      if (machine && !conversationId) return { outcome: 'ignored', reason: 'Automatic mail that answers no conversation' } as const;
      const attachments = mail.attachments.filter((a) => a.bytes.length > 0);
      const first = attachments[0];
      const type: MessageType = mail.text || !first ? 'text' : (MEDIA_TYPE.find(([pattern]) => pattern.test(first.mimeType))?.[1] ?? 'document');
      const message = await receiveMessage(scope, {
        workspaceId,
        channel: 'email',
        channelMessageId,
        sender: { handle: mail.from!.address, name: mail.from!.name },
        type,
        body: mail.text || (first ? first.filename : mail.subject) || '(no text)',
        content: {
          email: {
            inboxId: inbox.id,
            inbox: inbox.settings.address,
            subject: mail.subject,
            from: mail.from,
            to: mail.to,
            cc: mail.cc,
            messageId: mail.messageId,
            inReplyTo: mail.inReplyTo,
            references: mail.references,
            html: mail.html,
            quoted: mail.quoted,
            automatic: mail.automatic,
            bounce: mail.bounce,
            ...(mail.dsn ? { dsn: { ...mail.dsn, messageId: bounced?.id ?? null } } : {}),
          },
        },
        createdAt: new Date().toISOString(),
        ...(conversationId ? { conversationId } : { newThread: true }),
        automatic: machine,
      });
      if (!message) return { outcome: 'duplicate', reason: `${channelMessageId} is already stored` } as const;
      if (!machine) {
        // The sender's address is the contact's email when they have none yet (the company follows its domain).
        const contact = await scope.contacts.get(workspaceId, message.senderId ?? '');
        if (contact && !contact.email) {
          await scope.contacts.update(workspaceId, contact.id, { email: mail.from!.address }, nowIso());
          await settleKeys(scope, workspaceId, contact.id, { actor: CHARLA, how: 'sent an email from it', via: 'message' });
        }
      }
      if (attachments.length > 0) await this.#keepAttachments(scope, workspaceId, message, attachments);
      if (bounced && mail.dsn?.action !== 'delayed' && mail.dsn?.action !== 'delivered') await failBounced(scope, bounced, mail.dsn!);
      return { outcome: 'received', conversationId: message.conversationId, messageId: message.id } as const;
    });
  }

  /** Attachments (inline images too) as stored media: `/api/v1/media/:messageId/:index`. */
  async #keepAttachments(scope: StoreScope, workspaceId: string, message: Message, attachments: ParsedMail['attachments']): Promise<void> {
    const dir = join(this.#options.mediaDir, workspaceId);
    await mkdir(dir, { recursive: true });
    const list = [];
    for (const [index, attachment] of attachments.entries()) {
      await writeFile(join(dir, `${message.id}.${index}`), attachment.bytes);
      list.push({
        type: attachment.mimeType, filename: attachment.filename, size: attachment.bytes.length, inline: attachment.inline,
        url: `/api/v1/media/${message.id}/${index}`,
      });
    }
    const [first] = list;
    const content = {
      ...message.content,
      attachments: list,
      ...(first && message.type !== 'text' ? { media: { url: first.url, mimeType: first.type, size: first.size, filename: first.filename } } : {}),
    };
    await scope.channels.setContent(workspaceId, message.id, content);
  }

  /** An agent's file for a reply, kept until the reply is sent: `X-Filename` (URI-encoded) names it. */
  async #keepUpload(workspaceId: string, conversationId: string, req: Request): Promise<Upload & { id: string }> {
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (bytes.length === 0) throw new CharlaFailure('invalid_payload', 'The body must be the file');
    let filename = '';
    try {
      filename = decodeURIComponent(req.get('x-filename') ?? '').trim();
    } catch {
      filename = '';
    }
    if (!filename || filename.length > 200 || /[\\/\u0000-\u001f]/.test(filename)) {
      throw new CharlaFailure('invalid_payload', 'X-Filename: Name the file (up to 200 characters, no slashes)');
    }
    const type = (req.get('content-type') ?? 'application/octet-stream').split(';')[0]!.trim().toLowerCase();
    if (!/^[a-z0-9.+-]+\/[a-z0-9.+-]+$/.test(type)) throw new CharlaFailure('invalid_payload', 'Content-Type: Give the file\'s type');
    const id = `upl_${randomBytes(12).toString('hex')}`;
    const upload: Upload = { conversationId, filename, type, size: bytes.length };
    const dir = join(this.#options.mediaDir, workspaceId);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, id), bytes);
    await writeFile(join(dir, `${id}.json`), JSON.stringify(upload));
    return { id, ...upload };
  }

  /** The uploads a reply names, as nodemailer attachments; each must be of the reply's conversation. */
  async #attachmentsOf(message: Message): Promise<Array<{ filename: string; contentType: string; content: Buffer }>> {
    const ids = ((message.content?.email as { attachments?: unknown } | undefined)?.attachments ?? []) as string[];
    const dir = join(this.#options.mediaDir, message.workspaceId);
    // Already kept as the reply's own files (a send tried again after they were): those are sent.
    const kept = (message.content?.attachments ?? []) as Array<{ filename: string; type: string }>;
    if (ids.length > 0 && kept.length === ids.length) {
      return Promise.all(kept.map(async (file, index) => ({ filename: file.filename, contentType: file.type, content: await readFile(join(dir, `${message.id}.${index}`)) })));
    }
    const files = [];
    for (const id of ids) {
      if (!/^upl_[0-9a-f]{24}$/.test(id)) throw new EmailSendError(`Attachment ${id} is not an upload`, false);
      let upload: Upload;
      let content: Buffer;
      try {
        upload = JSON.parse(await readFile(join(dir, `${id}.json`), 'utf8')) as Upload;
        content = await readFile(join(dir, id));
      } catch {
        throw new EmailSendError(`Attachment ${id} was not found`, false);
      }
      if (upload.conversationId !== message.conversationId) throw new EmailSendError(`Attachment ${id} belongs to another conversation`, false);
      files.push({ filename: upload.filename, contentType: upload.type, content });
    }
    return files;
  }

  /** Once sent, the reply's files are its attachments in the thread (`/api/v1/media/:messageId/:index`). */
  async #showAttachments(message: Message, files: Array<{ filename: string; contentType: string; content: Buffer }>): Promise<void> {
    if (files.length === 0) return;
    const dir = join(this.#options.mediaDir, message.workspaceId);
    const list: Array<Record<string, unknown>> = [];
    for (const [index, file] of files.entries()) {
      await writeFile(join(dir, `${message.id}.${index}`), file.content);
      list.push({ type: file.contentType, filename: file.filename, size: file.content.length, inline: false, url: `/api/v1/media/${message.id}/${index}` });
    }
    await this.#store.transaction(async (scope) => {
      const current = await scope.channels.message(message.workspaceId, message.id);
      if (current) await scope.channels.setContent(message.workspaceId, message.id, { ...current.content, attachments: list });
    });
    // The uploads now live as the reply's files (which erasing the conversation removes).
    const ids = ((message.content?.email as { attachments?: string[] } | undefined)?.attachments ?? []);
    await Promise.all(ids.flatMap((id) => [rm(join(dir, id), { force: true }), rm(join(dir, `${id}.json`), { force: true })]));
  }

  /** Sends an agent's reply over the inbox's SMTP; answers the Message-ID it went with. */
  async send(conversation: Conversation, to: string, message: Message): Promise<string> {
    const latest = await this.#store.channels.latestInboundEmail(conversation.workspaceId, conversation.id);
    const their = latest?.content?.email as { subject?: string; messageId?: string; references?: string[]; inboxId?: string } | undefined;
    // The reply leaves from the inbox the customer wrote to (the workspace's first when unknown).
    const inboxes = await emailInboxes(this.#store, conversation.workspaceId);
    const inbox = inboxes.find((candidate) => candidate.id === their?.inboxId) ?? inboxes[0];
    const settings = inbox?.settings;
    if (!inbox || !settings?.address || !settings.smtpUrl) throw new EmailSendError('Email is not configured for this workspace', false);
    const own = message.content?.email as { subject?: string; cc?: string[] } | undefined;
    const references = [...(their?.references ?? []), ...(their?.messageId ? [their.messageId] : [])].slice(-20);
    const messageId = ownMessageId(message.id, settings.address);
    const signature = settings.signature ? `\n\n-- \n${settings.signature}` : '';
    const subject = own?.subject || replySubject(their?.subject ?? '') || (await this.#fallbackSubject(conversation));
    const attachments = await this.#attachmentsOf(message);
    try {
      await this.#transport(inbox).sendMail({
        ...(attachments.length > 0 ? { attachments } : {}),
        from: { name: settings.fromName ?? '', address: settings.address },
        to,
        ...(own?.cc?.length ? { cc: own.cc } : {}),
        replyTo: replyAddress(settings.address, tokenSecret(inbox), conversation.id),
        subject,
        text: `${message.body}${signature}`,
        messageId,
        ...(their?.messageId ? { inReplyTo: their.messageId } : {}),
        ...(references.length > 0 ? { references } : {}),
        headers: { 'X-Charla-Loop': inbox.id },
      });
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      const text = (error as Error).message;
      throw new EmailSendError(code ? `${code}: ${text}` : text, !(code !== undefined && code >= 500));
    }
    await this.#showAttachments(message, attachments);
    return messageId;
  }

  async #fallbackSubject(conversation: Conversation): Promise<string> {
    const workspace = await this.#store.workspaces.byId(conversation.workspaceId);
    return workspace?.name ?? 'Charla';
  }

  /**
   * The inbox's SMTP connection: TLS (`smtps://`, or STARTTLS on `smtp://` when offered) verified
   * against the system's authorities, `CHARLA_SMTP_TLS_CA` and the inbox's own `smtpTlsCa`.
   */
  #transport(inbox: EmailInbox): Transporter {
    const { smtpUrl, smtpTlsCa } = inbox.settings;
    const key = `${inbox.id}|${smtpUrl}|${smtpTlsCa ?? ''}`;
    let transport = this.#transports.get(key);
    if (!transport) {
      const ca = [this.#options.smtpTlsCa, smtpTlsCa].filter((pem): pem is string => Boolean(pem));
      // A CA of one's own is trusted beside the system's, not instead of them.
      const tls = ca.length > 0 ? { ca: [...rootCertificates, ...ca] } : {};
      transport = nodemailer.createTransport({ url: smtpUrl!, tls } as Parameters<typeof nodemailer.createTransport>[0]);
      this.#transports.set(key, transport);
    }
    return transport;
  }

  /**
   * `GET|PUT /api/v1/channels/email` (the workspace's first inbox) and
   * `GET|POST /api/v1/channels/email/inboxes`, `PUT|DELETE /api/v1/channels/email/inboxes/:id` (admins).
   */
  api(): Router {
    const router = Router();
    const auth = authenticate(this.#store);
    const json = express.json({ limit: '64kb' });
    router.get('/channels/email', auth, async (_req, res) => {
      const agent = signedIn(res, 'admin');
      const [first] = await this.#store.channels.emailInboxes(agent.workspaceId);
      const { id: _id, ...view } = inboxView(first);
      res.json(view);
    });
    router.put('/channels/email', auth, json, async (req, res) => {
      const agent = signedIn(res, 'admin');
      const { id: _id, ...view } = await this.save(agent.workspaceId, parseInput(emailSettingsSchema, req.body) as Patch);
      res.json(view);
    });
    router.post('/conversations/:id/attachments', auth, express.raw({ type: () => true, limit: Math.min(this.#options.maxBytes, ATTACHMENT_MAX_BYTES) }), async (req, res) => {
      const agent = signedIn(res, 'agent');
      const conversation = await requireVisibleConversation(this.#store, agent, String(req.params.id));
      if (conversation.channel !== 'email') throw new CharlaFailure('invalid_payload', 'Files are attached to email conversations only');
      res.status(201).json(await this.#keepUpload(agent.workspaceId, conversation.id, req));
    });
    router.get('/channels/email/inboxes', auth, async (_req, res) => {
      const agent = signedIn(res, 'admin');
      res.json({ inboxes: (await this.#store.channels.emailInboxes(agent.workspaceId)).map(inboxView) });
    });
    router.post('/channels/email/inboxes', auth, json, async (req, res) => {
      const agent = signedIn(res, 'admin');
      const patch = parseInput(emailInboxCreateSchema, req.body) as Patch;
      res.status(201).json(await this.save(agent.workspaceId, patch, null));
    });
    router.put('/channels/email/inboxes/:id', auth, json, async (req, res) => {
      const agent = signedIn(res, 'admin');
      const patch = parseInput(emailSettingsSchema, req.body) as Patch;
      res.json(await this.save(agent.workspaceId, patch, String(req.params.id)));
    });
    router.delete('/channels/email/inboxes/:id', auth, async (req, res) => {
      const agent = signedIn(res, 'admin');
      const id = String(req.params.id);
      const deleted = await this.#store.transaction((scope) => scope.channels.deleteEmailInbox(agent.workspaceId, id));
      if (!deleted) throw new CharlaFailure('not_found', 'Inbox not found');
      settingsChanged();
      await this.imap.restart(id);
      res.status(204).end();
    });
    return router;
  }

  /**
   * Saves an inbox's settings and restarts its IMAP reader: `inboxId` names the inbox, null makes
   * a new one (its webhook key is its id), absent the workspace's first inbox (made when it has none).
   */
  async save(workspaceId: string, patch: Patch, inboxId?: string | null): Promise<EmailInboxView> {
    const saved = await this.#store.transaction(async (scope) => {
      const inboxes = await scope.channels.emailInboxes(workspaceId);
      const current = inboxId === undefined ? inboxes[0] : inboxId === null ? undefined : inboxes.find((inbox) => inbox.id === inboxId);
      if (inboxId && !current) throw new CharlaFailure('not_found', 'Inbox not found');
      const now = nowIso();
      const inbox: StoredEmailInbox = current
        ? { ...current, settings: { ...current.settings } }
        : { id: `inb_${randomBytes(12).toString('hex')}`, workspaceId, settings: {}, createdAt: now };
      for (const [field, value] of Object.entries(patch)) if (value !== undefined) inbox.settings[field] = value;
      const address = inbox.settings.address;
      if (address && inboxes.some((other) => other.id !== inbox.id && other.settings.address === address)) {
        throw new CharlaFailure('conflict', `address: Another inbox of this workspace is ${address}`);
      }
      await scope.channels.saveEmailInbox(inbox, now);
      return inbox;
    });
    settingsChanged();
    await this.imap.restart(saved.id);
    return inboxView(saved);
  }

  close(): Promise<void> {
    for (const transport of this.#transports.values()) transport.close();
    this.#transports.clear();
    return this.imap.stopAll();
  }
}

type Patch = Record<string, string | null | undefined>;

/** An agent's file waiting for its reply (kept beside it as `upl_….json`). */
interface Upload {
  conversationId: string;
  filename: string;
  type: string;
  size: number;
}

/** The largest file an agent attaches to a reply. */
const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

/** The key reply tokens are signed with: the inbox's own secret. */
function tokenSecret(inbox: EmailInbox): string {
  return `${inbox.settings.inboundSecret ?? ''}|${inbox.id}`;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The reply a bounce returns is failed, with the receiving server's reason. */
async function failBounced(scope: StoreScope, message: Message, dsn: DeliveryReport): Promise<void> {
  if (message.status === 'failed') return;
  const reason = dsn.diagnostic ?? (dsn.status ? `status ${dsn.status}` : 'no reason given');
  const error = `Bounced${dsn.recipient ? ` by ${dsn.recipient}` : ''}: ${reason}`.slice(0, 500);
  await scope.channels.setDelivery(message.workspaceId, message.id, { status: 'failed', error });
  const conversation = await scope.conversations.get(message.workspaceId, message.conversationId);
  if (conversation) messageChanged(scope, conversation, { ...message, status: 'failed', error });
}

/** The conversation a message answers: by Reply-To token, then In-Reply-To, then References. */
async function threadOf(scope: StoreScope, workspaceId: string, inboxes: EmailInbox[], mail: ParsedMail): Promise<string | null> {
  for (const address of mail.recipients) {
    for (const inbox of inboxes) {
      const id = conversationOfAddress(address, inbox.settings.address!, tokenSecret(inbox));
      if (id && (await scope.conversations.get(workspaceId, id))) return id;
    }
  }
  for (const id of [mail.inReplyTo, ...[...mail.references].reverse()]) {
    if (!id) continue;
    const known = await scope.channels.messageByChannelId(workspaceId, id);
    if (known) return known.conversationId;
  }
  return null;
}
