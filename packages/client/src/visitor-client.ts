import type {
  PreChatAnswers, TypingSignal, VisitorChangeEvent, VisitorClientToServer, VisitorIdentifyResult, VisitorIdentity, VisitorMessage,
  VisitorMessageSendRequest, VisitorProfile, VisitorSession, WidgetAvailability,
} from '@charla/protocol';
import { BaseClient, pendingFields, type BaseClientOptions } from './base-client.js';
import { CharlaRequestError } from './errors.js';
import { MessageLog } from './message-log.js';
import type { OutboxEntry } from './outbox.js';
import { TypingTracker, type Typist } from './typing.js';

export interface VisitorClientOptions extends BaseClientOptions {
  /** The workspace's public widget key. */
  workspace: string;
}

const PAGE = 50;

/**
 * The visitor-side client used by the webchat widget: one conversation with the business,
 * continued across reloads and tabs through a token kept in storage.
 */
export class VisitorClient extends BaseClient<VisitorClientToServer, VisitorChangeEvent, VisitorMessageSendRequest> {
  session: VisitorSession | null = null;
  readonly log = new MessageLog<VisitorMessage>();
  readonly #tokenKey: string;
  readonly #typing = new TypingTracker(() => this.changed());

  constructor(options: VisitorClientOptions) {
    const tokenKey = `charla:visitor:${options.workspace}`;
    super(
      options,
      '/visitor',
      () => {
        const token = this.storage.getItem(tokenKey);
        return token ? { workspace: options.workspace, token } : { workspace: options.workspace };
      },
      `charla:outbox:visitor:${options.workspace}`,
      false,
    );
    this.#tokenKey = tokenKey;
    this.showPending(this.log, () => true);
    // Another tab identified the visitor: continue as them, with the token it stored.
    this.socket.on('session.changed', () => this.restartSession());
    this.socket.on('typing', (signal: TypingSignal) => this.#typing.receive(signal));
    this.socket.on('conversation', (conversation: NonNullable<VisitorSession['conversation']>) => {
      // Only the current conversation (agents may also touch the contact's older ones).
      if (!this.session || (this.session.conversation && this.session.conversation.id !== conversation.id)) return;
      this.session = { ...this.session, conversation };
      this.changed();
    });
    this.socket.on('availability', (availability: WidgetAvailability) => {
      if (!this.session) return;
      this.session = { ...this.session, availability };
      this.changed();
    });
  }

  /** The agent typing in the visitor's conversation, or null (cleared when they go quiet). */
  get typing(): Typist | null {
    const conversationId = this.session?.conversation?.id;
    return conversationId ? this.#typing.get(conversationId) : null;
  }

  /** Whether an agent can answer now: one is online and it is within business hours. */
  get available(): boolean {
    const availability = this.session?.availability;
    return !availability || (availability.agentsOnline && availability.withinHours);
  }

  get messages(): readonly VisitorMessage[] {
    return this.log.items;
  }

  protected async startSession(): Promise<number> {
    const session = await this.request('session.get', {});
    const previous = this.session;
    this.session = session;
    this.storage.setItem(this.#tokenKey, session.token);
    // Another session (identified, or anonymous again once it expired) sees other conversations.
    if (previous && previous.token !== session.token) {
      this.log.items = [];
      this.log.loaded = false;
      this.showPending(this.log, () => true);
    }
    await this.loadMessages();
    return session.seq;
  }

  protected sync(since: number) {
    return this.request('sync', { since });
  }

  protected applyEvent(event: VisitorChangeEvent): void {
    const { message } = event.data;
    this.log.upsert(message);
    this.#typing.clear(message.conversationId, message.senderId);
    if (this.session && (!this.session.conversation || this.session.conversation.id !== message.conversationId)) {
      this.session = { ...this.session, conversation: { id: message.conversationId, status: 'open', assigneeId: null } };
    }
  }

  /** Loads the newest page, or with `older` the page before the oldest loaded message. */
  async loadMessages({ older = false } = {}): Promise<void> {
    await this.loadPage(this.log, older, (before) =>
      this.request('messages.list', { limit: PAGE, ...(before ? { before } : {}) }),
    );
  }

  /** Sends a message; it shows at once and is delivered once, even across reconnects and reloads. */
  send(body: string): string {
    this.#typing.sent('visitor');
    return this.enqueue({ body });
  }

  /** Tells the agents the visitor is typing. Call it on every input; repeats are throttled. */
  notifyTyping(): void {
    if (this.state !== 'online' || !this.session?.conversation || !this.#typing.shouldSend('visitor')) return;
    this.socket.emit('typing', {});
  }

  /**
   * Tells the business who the visitor is. With `id` and the `hash` the site's server computed,
   * the visitor becomes that contact (history included) and the session starts over as them,
   * under the session token the server answers (kept instead of the hash; it expires unused).
   */
  async identify(identity: VisitorIdentity): Promise<VisitorIdentifyResult> {
    const result = await this.request('identify', identity);
    if (result.token) this.storage.setItem(this.#tokenKey, result.token);
    if (result.token || result.linked) this.restartSession();
    return result;
  }

  /** The pre-chat form's answers (the server checks them against the workspace's form). */
  async submitPreChat(answers: PreChatAnswers): Promise<void> {
    await this.request('prechat.submit', answers);
  }

  async updateProfile(profile: VisitorProfile): Promise<void> {
    await this.request('profile.update', profile);
  }

  /**
   * Forgets this visitor (logout): the next connection starts a new anonymous visitor. Messages
   * still waiting to be sent are forgotten too: they were the previous visitor's words.
   */
  reset(): void {
    this.storage.removeItem(this.#tokenKey);
    for (const entry of this.outbox.entries) this.outbox.remove(entry.clientId);
    this.session = null;
    this.log.items = [];
    this.log.loaded = false;
    this.restartSession();
    this.changed();
  }

  protected async deliver(payload: VisitorMessageSendRequest): Promise<VisitorMessage> {
    try {
      return await this.request('message.send', payload);
    } catch (error) {
      // The session ended (it expired, or another tab identified the visitor): the server told
      // this connection to start again, and the message waits for the new session.
      if (error instanceof CharlaRequestError && error.code === 'unauthorized') throw new CharlaRequestError('offline', error.message);
      throw error;
    }
  }

  protected logFor() {
    return this.log;
  }

  protected pendingMessage(entry: OutboxEntry<VisitorMessageSendRequest>): VisitorMessage {
    return {
      ...pendingFields(entry),
      conversationId: this.session?.conversation?.id ?? '',
      direction: 'in',
      senderKind: 'contact',
      senderId: this.session?.contactId ?? null,
      senderName: null,
      type: 'text',
      body: entry.payload.body,
    };
  }
}
