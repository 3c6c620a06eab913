import { io, type Socket } from 'socket.io-client';
import type { Ack, CharlaError } from '@charla/protocol';
import type { ErrorCode } from '@charla/protocol/constants';
import { CharlaRequestError, toRequestError } from './errors.js';
import { ChangeSignal, type Listener } from './signal.js';
import { Outbox, type OutboxEntry } from './outbox.js';
import { defaultStorage, type KeyValueStorage } from './storage.js';
import { MessageLog, type MessageLike } from './message-log.js';
import { newClientId } from './ids.js';

/**
 * - `connecting`: first connection under way
 * - `online`: connected and caught up with the server
 * - `reconnecting`: the connection dropped; retrying (sends wait in the outbox)
 * - `unauthorized`: the server refused the credentials; no retry
 * - `closed`: `close()` was called
 */
export type ConnectionState = 'connecting' | 'online' | 'reconnecting' | 'unauthorized' | 'closed';

export interface BaseClientOptions {
  /** Server origin, e.g. `https://charla.example.com`. */
  url: string;
  /** Where the outbox and session survive reloads. Defaults to localStorage when available. */
  storage?: KeyValueStorage;
  /** Milliseconds a request may wait for its acknowledgement. */
  requestTimeout?: number;
  /** Connect on construction (default true). */
  autoConnect?: boolean;
  /** socket.io transports; defaults to websocket with polling fallback. */
  transports?: Array<'websocket' | 'polling'>;
}

interface SeqEvent {
  seq: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type RequestMap<R> = { [K in keyof R]: (payload: any, ack: (ack: any) => void) => void };
type AckData<F> = F extends (payload: never, ack: (ack: Ack<infer T>) => void) => void ? T : never;

/** What a message being sent looks like before the server has stored it. */
export interface PendingMessageFields {
  id: string;
  clientId: string;
  createdAt: string;
  status: 'pending' | 'failed';
  error: string | null;
}

/**
 * Connection, resync and outbox logic shared by the agent and the visitor clients. Subclasses
 * say how a session starts, how an event changes their store, and how a send is made.
 */
export abstract class BaseClient<Requests extends RequestMap<Requests>, Event extends SeqEvent, SendPayload extends { clientId: string }> {
  readonly socket: Socket;
  state: ConnectionState = 'connecting';
  /** The last change-log seq applied; a reconnect asks the server for everything after it. */
  lastSeq = 0;
  /** The last error a background operation (session start, sync) hit; null when healthy. */
  lastError: CharlaRequestError | null = null;

  protected readonly storage: KeyValueStorage;
  protected readonly outbox: Outbox<SendPayload>;
  readonly #changes = new ChangeSignal();
  readonly #requestTimeout: number;
  #sessionStarted = false;
  #syncing = false;
  #buffered: Event[] = [];
  #flushing = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #retryDelay = 1000;

  protected constructor(
    options: BaseClientOptions,
    namespace: string,
    /** The handshake's credentials; may wait (an agent's token provider). */
    auth: () => Record<string, unknown> | Promise<Record<string, unknown>>,
    outboxKey: string,
    /** Agents see every event of the workspace, so a seq gap means something was missed. */
    private readonly detectGaps: boolean,
  ) {
    this.storage = options.storage ?? defaultStorage();
    this.outbox = new Outbox<SendPayload>(this.storage, outboxKey);
    this.#requestTimeout = options.requestTimeout ?? 10_000;
    this.socket = io(new URL(namespace, options.url).href, {
      autoConnect: false,
      auth: (callback) => void Promise.resolve(auth()).then(callback, () => callback({})),
      transports: options.transports ?? ['websocket', 'polling'],
    });
    this.socket.on('connect', () => void this.#onConnect());
    this.socket.on('disconnect', (reason) => {
      if (this.state === 'closed') return;
      this.#setState('reconnecting');
      // socket.io does not retry after a server-side disconnect (e.g. a restart): we do.
      if (reason === 'io server disconnect') setTimeout(() => this.state !== 'closed' && this.socket.connect(), 500);
    });
    this.socket.on('connect_error', (error: Error & { data?: { code?: ErrorCode; details?: unknown } }) => {
      const code = error.data?.code;
      if (code === 'unauthorized' && this.recoverRefusal(new CharlaRequestError(code, error.message, error.data?.details))) {
        // The subclass gets new credentials and connects again.
        this.socket.disconnect();
        this.#setState('reconnecting');
      } else if (code === 'unauthorized' || code === 'not_found' || code === 'forbidden') {
        this.lastError = new CharlaRequestError(code, error.message);
        this.#setState('unauthorized');
        this.socket.disconnect();
      } else if (this.state !== 'connecting') {
        this.#setState('reconnecting');
      }
    });
    this.socket.on('events', (events: Event[]) => {
      for (const event of events) this.#onEvent(event);
    });
    if (options.autoConnect !== false) queueMicrotask(() => this.connect());
  }

  /** Subscribe to any change of the client's state; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    return this.#changes.subscribe(listener);
  }

  connect(): void {
    if (this.socket.connected) return;
    if (this.state === 'closed' || this.state === 'unauthorized') this.#setState('connecting');
    this.socket.connect();
  }

  /** Drops the connection (sends stay in the outbox and go when `connect()` is called again). */
  disconnect(): void {
    this.socket.disconnect();
    this.#setState('reconnecting');
  }

  /**
   * Starts the session over on a new connection (the server now knows the user as someone
   * else); the outbox is kept and delivered after it.
   */
  protected restartSession(): void {
    this.#sessionStarted = false;
    if (this.state === 'closed' || this.state === 'unauthorized') return;
    this.socket.disconnect();
    this.socket.connect();
  }

  close(): void {
    clearTimeout(this.#retryTimer);
    this.#setState('closed');
    this.socket.disconnect();
  }

  /** Sends a request and resolves with its data, or rejects with a `CharlaRequestError`. */
  async request<K extends keyof Requests & string>(
    name: K,
    payload: Parameters<Requests[K]>[0],
  ): Promise<AckData<Requests[K]>> {
    if (this.state === 'closed') throw new CharlaRequestError('offline', 'The client is closed');
    let ack: Ack<AckData<Requests[K]>>;
    try {
      ack = await this.socket.timeout(this.#requestTimeout).emitWithAck(name, payload);
    } catch {
      throw new CharlaRequestError(
        this.socket.connected ? 'timeout' : 'offline',
        this.socket.connected ? `The server did not answer "${name}" in time` : 'Not connected to the server',
      );
    }
    if (!ack || typeof ack !== 'object') throw new CharlaRequestError('internal', `Malformed answer to "${name}"`);
    if (!ack.ok) throw new CharlaRequestError(ack.error.code, ack.error.message, ack.error.details);
    return ack.data;
  }

  protected changed(): void {
    this.#changes.notify();
  }

  /** Loads a log's newest page, or with `older` the page before its oldest stored message. */
  protected async loadPage<M extends MessageLike>(
    log: MessageLog<M>,
    older: boolean,
    fetch: (before: string | undefined) => Promise<{ messages: M[]; hasMore: boolean }>,
  ): Promise<void> {
    if (log.loading || (older && !log.hasMore)) return;
    log.loading = true;
    log.error = null;
    this.changed();
    try {
      const page = await fetch(older ? log.oldestStoredId : undefined);
      log.merge(page.messages, older || !log.loaded ? page.hasMore : undefined);
      log.loaded = true;
    } catch (error) {
      log.error = toRequestError(error);
    } finally {
      log.loading = false;
      this.changed();
    }
  }

  /**
   * The server refused the connection's credentials: return true when new ones are on their way
   * (the subclass connects again with them); false ends in `unauthorized`.
   */
  protected recoverRefusal(_refusal: CharlaRequestError): boolean {
    return false;
  }

  /** Connects again with fresh credentials (after a refusal was recovered, or a token refresh). */
  protected reconnect(): void {
    if (this.state === 'closed' || this.state === 'unauthorized') return;
    if (this.socket.connected) this.socket.disconnect();
    this.#setState('reconnecting');
    this.socket.connect();
  }

  /** Ends in `unauthorized` with this error (credentials could not be had). */
  protected refused(error: CharlaRequestError): void {
    this.lastError = error;
    this.socket.disconnect();
    this.#setState('unauthorized');
  }

  /** Fetches the session and initial data; returns the seq the data is current up to. */
  protected abstract startSession(): Promise<number>;
  protected abstract applyEvent(event: Event): void;
  protected abstract sync(since: number): Promise<{ events: Event[]; seq: number; more: boolean }>;
  /** Sends one outbox entry; resolves with the stored message. */
  protected abstract deliver(payload: SendPayload): Promise<MessageLike>;
  /** The log an outbox entry belongs to, to show it optimistically. */
  protected abstract logFor(payload: SendPayload): MessageLog<MessageLike> | undefined;
  protected abstract pendingMessage(entry: OutboxEntry<SendPayload>): MessageLike;

  async #onConnect(): Promise<void> {
    try {
      if (!this.#sessionStarted) {
        this.lastSeq = await this.startSession();
        this.#sessionStarted = true;
        this.#drainBuffer();
      } else {
        await this.#catchUp();
      }
      this.lastError = null;
      this.#setState('online');
      void this.flushOutbox();
    } catch (error) {
      this.lastError = toRequestError(error);
      this.changed();
      // The connection is up but the session could not start: try again shortly.
      if (this.socket.connected) setTimeout(() => this.socket.connected && void this.#onConnect(), 2000);
    }
  }

  #onEvent(event: Event): void {
    if (!this.#sessionStarted || this.#syncing) {
      this.#buffered.push(event);
      return;
    }
    if (event.seq <= this.lastSeq) return;
    if (this.detectGaps && event.seq > this.lastSeq + 1) {
      this.#buffered.push(event);
      void this.#catchUp();
      return;
    }
    this.applyEvent(event);
    this.lastSeq = event.seq;
    this.changed();
  }

  /** Applies every event since `lastSeq`, then what arrived live in the meantime. */
  async #catchUp(): Promise<void> {
    if (this.#syncing) return;
    this.#syncing = true;
    try {
      let more = true;
      while (more) {
        const result = await this.sync(this.lastSeq);
        for (const event of result.events) {
          if (event.seq > this.lastSeq) {
            this.applyEvent(event);
            this.lastSeq = event.seq;
          }
        }
        more = result.more && result.events.length > 0;
        if (!more) this.lastSeq = Math.max(this.lastSeq, result.seq);
      }
    } finally {
      this.#syncing = false;
      this.#drainBuffer();
      this.changed();
    }
  }

  #drainBuffer(): void {
    const buffered = this.#buffered.sort((a, b) => a.seq - b.seq);
    this.#buffered = [];
    for (const event of buffered) {
      if (event.seq <= this.lastSeq) continue;
      if (this.detectGaps && event.seq > this.lastSeq + 1) {
        this.#buffered = buffered.filter((e) => e.seq >= event.seq);
        void this.#catchUp();
        return;
      }
      this.applyEvent(event);
      this.lastSeq = event.seq;
    }
    this.changed();
  }

  // ------------------------------------------------------------------ outbox

  /** Queues a send: shown at once as pending, delivered in order, retried until stored once. */
  protected enqueue(payload: Omit<SendPayload, 'clientId'>): string {
    const clientId = newClientId();
    const entry: OutboxEntry<SendPayload> = {
      clientId,
      payload: { ...payload, clientId } as SendPayload,
      createdAt: new Date().toISOString(),
    };
    this.outbox.add(entry);
    this.logFor(entry.payload)?.upsert(this.pendingMessage(entry));
    this.changed();
    void this.flushOutbox();
    return clientId;
  }

  /** Shows the outbox's entries in their logs (after a reload, or when a log is first created). */
  protected showPending(log: MessageLog<MessageLike>, belongs: (payload: SendPayload) => boolean): void {
    for (const entry of this.outbox.entries) {
      if (belongs(entry.payload)) log.upsert(this.pendingMessage(entry));
    }
  }

  /** Sends a failed message again (same client id: the server stores it at most once). */
  retry(clientId: string): void {
    const entry = this.outbox.get(clientId);
    if (!entry) return;
    this.outbox.setFailed(clientId, undefined);
    this.logFor(entry.payload)?.upsert(this.pendingMessage({ ...entry, failed: undefined }));
    this.changed();
    void this.flushOutbox();
  }

  /** Gives up on a message the server refused. */
  discard(clientId: string): void {
    const entry = this.outbox.get(clientId);
    if (!entry) return;
    this.outbox.remove(clientId);
    this.logFor(entry.payload)?.remove((message) => message.clientId === clientId && message.id.startsWith('local:'));
    this.changed();
  }

  /** Number of sends waiting for the server. */
  get pendingCount(): number {
    return this.outbox.entries.filter((entry) => !entry.failed).length;
  }

  protected async flushOutbox(): Promise<void> {
    if (this.#flushing || this.state !== 'online') return;
    this.#flushing = true;
    clearTimeout(this.#retryTimer);
    try {
      for (;;) {
        // Entries may be added while we wait for acks: always take the oldest still to send.
        const entry = this.outbox.entries.find((candidate) => !candidate.failed);
        if (!entry) break;
        try {
          const stored = await this.deliver(entry.payload);
          this.outbox.remove(entry.clientId);
          this.logFor(entry.payload)?.upsert(stored);
          this.#retryDelay = 1000;
        } catch (error) {
          const failure = toRequestError(error);
          if (failure.retriable) {
            // Keep order: later messages wait behind this one until it goes through.
            if (this.socket.connected) this.#scheduleRetry();
            return;
          }
          this.outbox.setFailed(entry.clientId, { code: failure.code, message: failure.message });
          this.logFor(entry.payload)?.upsert(this.pendingMessage(this.outbox.get(entry.clientId)!));
        } finally {
          this.changed();
        }
      }
    } finally {
      this.#flushing = false;
    }
  }

  #scheduleRetry(): void {
    const jitter = Math.random() * 0.3 * this.#retryDelay;
    this.#retryTimer = setTimeout(() => void this.flushOutbox(), this.#retryDelay + jitter);
    this.#retryDelay = Math.min(this.#retryDelay * 2, 30_000);
  }

  #setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    this.changed();
  }
}

/** Fields of an optimistic message built from an outbox entry. */
export function pendingFields(entry: OutboxEntry<{ clientId: string }>): PendingMessageFields {
  return {
    id: `local:${entry.clientId}`,
    clientId: entry.clientId,
    createdAt: entry.createdAt,
    status: entry.failed ? 'failed' : 'pending',
    error: entry.failed?.message ?? null,
  };
}

export type { CharlaError };
