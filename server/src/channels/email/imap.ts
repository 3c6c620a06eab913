/**
 * Inboxes the business already has, read over IMAP with imapflow: one reader per inbox that has
 * an `imapUrl`. It takes what arrived since its stored cursor (the mailbox's UIDVALIDITY and the
 * last UID taken), then waits in IDLE for new mail; a dropped connection is reopened with a
 * growing delay (up to a minute). Each message goes through the same path as the webhook's.
 */
import { ImapFlow } from 'imapflow';
import { nowIso } from '../../ids.js';
import type { Logger } from '../../logger.js';
import type { Store } from '../../store/index.js';
import { emailInboxById } from '../settings.js';
import { MalformedMail } from './mime.js';

/** On first connection, how many of the mailbox's latest messages are taken. */
const FIRST_READ = 20;
const MAX_BACKOFF_MS = 60_000;

type Receive = (workspaceId: string, raw: Buffer, inboxId: string) => Promise<unknown>;

class ImapReader {
  #client: ImapFlow | null = null;
  #stopped = false;
  #failures = 0;
  #timer: NodeJS.Timeout | null = null;
  #reading: Promise<void> = Promise.resolve();
  /** Whether new mail arrived while a read was under way. */
  #again = false;
  #busy = false;

  constructor(
    readonly inboxId: string,
    readonly workspaceId: string,
    readonly url: URL,
    readonly store: Store,
    readonly logger: Logger,
    readonly receive: Receive,
    readonly backoffMs: number,
  ) {}

  start(): void {
    void this.#connect();
  }

  async #connect(): Promise<void> {
    if (this.#stopped) return;
    const secure = this.url.protocol === 'imaps:';
    const client = new ImapFlow({
      host: this.url.hostname,
      port: Number(this.url.port) || (secure ? 993 : 143),
      secure,
      auth: { user: decodeURIComponent(this.url.username), pass: decodeURIComponent(this.url.password) },
      logger: false,
      // Waits in IDLE soon after each read, so new mail is heard of at once.
      autoIdleDelay: 500,
      // A loopback or private server may have a certificate of its own making.
      tls: { rejectUnauthorized: !['127.0.0.1', 'localhost', '::1'].includes(this.url.hostname) },
    });
    this.#client = client;
    client.on('error', (error: Error) => this.logger.warn(`IMAP (${this.inboxId}): ${error.message}`));
    client.on('close', () => this.#retry());
    client.on('exists', () => this.#read());
    try {
      await client.connect();
      await client.mailboxOpen('INBOX');
      this.#failures = 0;
      this.#read();
      await this.#reading;
    } catch (error) {
      this.logger.warn(`IMAP (${this.inboxId}) could not read ${this.url.hostname}: ${(error as Error).message}`);
      client.close();
      this.#retry();
    }
  }

  #retry(): void {
    if (this.#stopped || this.#timer) return;
    this.#client = null;
    const delay = Math.min(MAX_BACKOFF_MS, this.backoffMs * 2 ** this.#failures);
    this.#failures += 1;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#connect();
    }, delay);
  }

  /** Reads what is new; a read asked for while one runs makes that one go around again. */
  #read(): void {
    if (this.#busy) {
      this.#again = true;
      return;
    }
    this.#busy = true;
    this.#reading = (async () => {
      try {
        do {
          this.#again = false;
          await this.#readNew();
        } while (this.#again && !this.#stopped);
      } catch (error) {
        this.logger.warn(`IMAP (${this.inboxId}) read failed: ${(error as Error).message}`);
        this.#client?.close();
      } finally {
        this.#busy = false;
      }
    })();
  }

  async #readNew(): Promise<void> {
    const client = this.#client;
    const mailbox = client?.mailbox;
    if (!client || !mailbox) return;
    const uidValidity = String(mailbox.uidValidity);
    const stored = await this.store.channels.emailCursor(this.inboxId);
    let lastUid = stored?.uidValidity === uidValidity ? stored.lastUid : Math.max(0, mailbox.uidNext - 1 - FIRST_READ);
    if (mailbox.exists === 0) return;
    const found: Array<{ uid: number; source: Buffer }> = [];
    for await (const message of client.fetch(`${lastUid + 1}:*`, { uid: true, source: true }, { uid: true })) {
      // `n:*` always names the last message, even one already taken.
      if (message.uid > lastUid && message.source) found.push({ uid: message.uid, source: message.source });
    }
    for (const message of found.sort((a, b) => a.uid - b.uid)) {
      if (this.#stopped) return;
      try {
        await this.receive(this.workspaceId, message.source, this.inboxId);
      } catch (error) {
        // A message that cannot be read is skipped (and logged); anything else is tried again.
        if (!(error instanceof MalformedMail)) throw error;
        this.logger.warn(`IMAP (${this.inboxId}) skipped UID ${message.uid}: ${error.message}`);
      }
      lastUid = message.uid;
      await this.store.channels.saveEmailCursor(this.inboxId, { uidValidity, lastUid }, nowIso());
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const client = this.#client;
    this.#client = null;
    await this.#reading.catch(() => undefined);
    if (client) await client.logout().catch(() => client.close());
  }
}

/**
 * One reader per email inbox that has an IMAP URL, in one process of the cluster:
 * the one that runs the periodic work (several readers of one mailbox would race). Every
 * `everyMs` it checks that it still leads and that its readers match the stored settings (an
 * admin may have saved them through another process).
 */
export class ImapReaders {
  readonly #readers = new Map<string, ImapReader>();
  #leading = false;
  #timer: NodeJS.Timeout | null = null;
  #tick: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly receive: Receive,
    private readonly backoffMs = 1000,
  ) {}

  /** Runs the readers while `leads()` says this process leads; checks again every `everyMs`. */
  async follow(leads: () => Promise<boolean>, everyMs = 15_000): Promise<void> {
    const check = async () => {
      try {
        this.#leading = await leads();
        await (this.#leading ? this.#sync() : this.#stopReaders());
      } catch (error) {
        this.logger.warn(`IMAP readers: ${(error as Error).message}`);
      }
    };
    await check();
    this.#timer = setInterval(() => {
      this.#tick = this.#tick.then(check);
    }, everyMs);
    this.#timer.unref();
  }

  /** Starts the readers settings ask for and this process lacks; stops those no longer asked for. */
  async #sync(): Promise<void> {
    const wanted = new Map<string, { workspaceId: string; url: string }>();
    for (const inbox of await this.store.channels.allEmailInboxes()) {
      const url = inbox.settings.imapUrl;
      if (url && URL.canParse(url)) wanted.set(inbox.id, { workspaceId: inbox.workspaceId, url: new URL(url).href });
    }
    for (const [inboxId, reader] of this.#readers) {
      if (wanted.get(inboxId)?.url !== reader.url.href) await this.#stop(inboxId);
    }
    for (const [inboxId, { workspaceId, url }] of wanted) if (!this.#readers.has(inboxId)) this.#start(inboxId, workspaceId, url);
  }

  /** (Re)starts an inbox's reader after its settings changed here (stops it when IMAP or the inbox was removed). */
  async restart(inboxId: string): Promise<void> {
    await this.#stop(inboxId);
    if (!this.#leading) return;
    const inbox = await emailInboxById(this.store, inboxId);
    if (inbox?.settings.imapUrl) this.#start(inboxId, inbox.workspaceId, inbox.settings.imapUrl);
  }

  #start(inboxId: string, workspaceId: string, url: string): void {
    const reader = new ImapReader(inboxId, workspaceId, new URL(url), this.store, this.logger, this.receive, this.backoffMs);
    this.#readers.set(inboxId, reader);
    reader.start();
  }

  async #stop(inboxId: string): Promise<void> {
    const reader = this.#readers.get(inboxId);
    this.#readers.delete(inboxId);
    await reader?.stop();
  }

  async #stopReaders(): Promise<void> {
    await Promise.all([...this.#readers.keys()].map((inboxId) => this.#stop(inboxId)));
  }

  async stopAll(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#leading = false;
    await this.#tick.catch(() => undefined);
    await this.#stopReaders();
  }
}
