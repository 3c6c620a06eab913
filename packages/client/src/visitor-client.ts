import type {
  VisitorChangeEvent, VisitorClientToServer, VisitorMessage, VisitorMessageSendRequest, VisitorProfile,
  VisitorSession,
} from '@charla/protocol';
import { BaseClient, pendingFields, type BaseClientOptions } from './base-client.js';
import { MessageLog } from './message-log.js';
import type { OutboxEntry } from './outbox.js';

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
  }

  get messages(): readonly VisitorMessage[] {
    return this.log.items;
  }

  protected async startSession(): Promise<number> {
    const session = await this.request('session.get', {});
    const previous = this.session;
    this.session = session;
    this.storage.setItem(this.#tokenKey, session.token);
    if (previous && previous.contactId !== session.contactId) {
      this.log.items = [];
      this.log.loaded = false;
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
    return this.enqueue({ body });
  }

  async updateProfile(profile: VisitorProfile): Promise<void> {
    await this.request('profile.update', profile);
  }

  /** Forgets this visitor (logout): the next connection starts a new anonymous visitor. */
  reset(): void {
    this.storage.removeItem(this.#tokenKey);
    this.session = null;
    this.log.items = [];
    this.log.loaded = false;
    this.socket.disconnect();
    this.socket.connect();
    this.changed();
  }

  protected deliver(payload: VisitorMessageSendRequest): Promise<VisitorMessage> {
    return this.request('message.send', payload);
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
