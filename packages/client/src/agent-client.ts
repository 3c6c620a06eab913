import type {
  AgentClientToServer, AgentSession, CannedResponse, ChangeEvent, ContactMergePreview, ContactMergeRecord, ContactUnmergedData, DuplicateSuggestion, MessageTemplate, Notification, Company, Contact, ContactProfile, ContactUpdateRequest, Conversation, ConversationUpdateRequest,
  AgentPresence, Message, MessageLink, MessageSendRequest, Note, PresenceMap, PresenceSignal, TypingSignal,
} from '@charla/protocol';
import { QuickActionRegistry, type QuickAction, type QuickActionState } from './actions.js';
import { AiStore } from './ai.js';
import { AgentToken, type TokenProvider } from './agent-token.js';
import { BaseClient, pendingFields, type BaseClientOptions } from './base-client.js';
import { ConversationQuery, type ConversationFilter } from './conversation-query.js';
import { DealStore, type CommerceSummary, type DealBoard } from './deals.js';
import { CharlaRequestError, toRequestError } from './errors.js';
import { MessageLog } from './message-log.js';
import { fetchMetric, type MetricQuery, type MetricResults } from './metrics.js';
import { newClientId } from './ids.js';
import type { OutboxEntry } from './outbox.js';
import { TypingTracker, type Typist } from './typing.js';

export interface CharlaClientOptions extends BaseClientOptions {
  /** The agent's bearer token: an API token, or a JWT the host's backend signed. */
  token?: string;
  /**
   * Gets a new agent token from the host's backend: called for the first one when `token` is not
   * given, a little before the current JWT expires, and when the server says it expired. With it,
   * the client stays signed in across token lifetimes (sends wait in the outbox meanwhile).
   */
  tokenProvider?: TokenProvider;
}

/** After this many refusals in a row with fresh tokens, the client stops asking and is `unauthorized`. */
const MAX_TOKEN_RETRIES = 3;

const PAGE = 50;

/** Attachment types an object URL may keep: inert in a browser. */
const SHOWABLE_MEDIA = /^(image\/(jpeg|png|gif|webp|avif)|audio\/[\w.+-]+|video\/[\w.+-]+)\s*(;|$)/;

/** A workspace-wide list the client loads once and then keeps live. */
interface LazyList<T> {
  items: T[];
  loaded: boolean;
  loading: boolean;
}
const lazyList = <T>(): LazyList<T> => ({ items: [], loaded: false, loading: false });

function filterKey(filter: ConversationFilter): string {
  const { status = 'open', assignee = '', channel = '', priority = '', label = '', team = '', sla = '', query = '' } = filter;
  return JSON.stringify([status, assignee, channel, priority, label, team, sla, query]);
}

/**
 * The agent-side client: one connection to `/agent`, a normalized store of conversations,
 * contacts and messages kept live by the workspace's change log, and an outbox for replies.
 *
 * ```ts
 * const client = new CharlaClient({ url: 'https://charla.example.com', token });
 * client.subscribe(() => render(client.conversations(filter)));
 * ```
 */
export class CharlaClient extends BaseClient<AgentClientToServer, ChangeEvent, MessageSendRequest> {
  session: AgentSession | null = null;
  readonly conversationsById = new Map<string, Conversation>();
  readonly contactsById = new Map<string, Contact>();
  readonly notesByContact = new Map<string, Note[]>();
  readonly #logs = new Map<string, MessageLog<Message>>();
  readonly #queries = new Map<string, ConversationQuery>();
  #countsTimer: ReturnType<typeof setTimeout> | undefined;
  /** Pipelines, deals, tasks and contacts' commerce summaries (see `DealStore`). */
  readonly sales: DealStore = new DealStore(
    this,
    () => this.changed(),
    (contacts) => contacts.forEach((contact) => this.contactsById.set(contact.id, contact)),
  );
  readonly #typing = new TypingTracker(() => this.changed());
  /** AI insights of contacts and reply suggestions (see `AiStore`). */
  readonly ai: AiStore = new AiStore(this, () => this.changed());
  readonly #actions = new QuickActionRegistry(() => this.changed());

  readonly #serverUrl: string;
  readonly #token: AgentToken;
  /** Refusals in a row since the last successful connection (token provider retries). */
  #refusals = 0;
  #providerError: unknown;

  constructor(options: CharlaClientOptions) {
    const scope = new URL(options.url).host;
    // A refreshed token is presented at once: the server ends a connection when its token expires.
    const token = new AgentToken(options.token, options.tokenProvider, () => this.socket.connected && this.reconnect());
    super(options, '/agent', async () => {
      try {
        this.#providerError = undefined;
        return { token: await token.get() };
      } catch (error) {
        this.#providerError = error;
        return { token: token.current ?? '' };
      }
    }, `charla:outbox:agent:${scope}`, true);
    this.#serverUrl = options.url;
    this.#token = token;
    this.socket.on('connect', () => {
      this.#refusals = 0;
    });
    this.socket.on('typing', (signal: TypingSignal) => {
      if (!(signal.from === 'agent' && signal.id === this.me?.id)) this.#typing.receive(signal);
    });
    this.socket.on('presence', (signal: PresenceSignal) => {
      this.#presence = { ...this.#presence, [signal.agentId]: signal.status };
      this.changed();
    });
    this.socket.on('conversation.hidden', ({ conversationId }: { conversationId: string }) => {
      if (!this.conversationsById.has(conversationId)) return;
      this.#forgetConversation(conversationId);
      this.#scheduleCounts();
      this.changed();
    });
  }

  #presence: PresenceMap = {};

  /** Attachments stored by the server, by path: an object URL once fetched, null when it failed. */
  readonly #media = new Map<string, string | null | 'loading'>();

  /**
   * A channel attachment the server stored (`/api/v1/media/…`, which needs the agent's token) as
   * a URL the page can show or download: an object URL once fetched, `undefined` while it loads
   * (views re-render when it arrives), `null` when it could not be fetched. Other URLs come back as
   * they are.
   */
  mediaUrl(url: string): string | null | undefined {
    if (!url.startsWith('/api/v1/media/')) return url;
    const known = this.#media.get(url);
    if (known !== undefined) return known === 'loading' ? undefined : known;
    this.#media.set(url, 'loading');
    void this.fetchApi(url)
      .then(async (response) => {
        if (!response.ok) throw new Error(`The server answered ${response.status}`);
        const blob = await response.blob();
        // An object URL has the page's origin: only what a browser shows without running code
        // (photos, audio, video) keeps its type; anything else (SVG, HTML, PDF…) is offered as a download.
        return URL.createObjectURL(SHOWABLE_MEDIA.test(blob.type) ? blob : new Blob([blob], { type: 'application/octet-stream' }));
      })
      .then(
        (objectUrl) => (this.state === 'closed' ? URL.revokeObjectURL(objectUrl) : this.#media.set(url, objectUrl)),
        () => this.#media.set(url, null),
      )
      .finally(() => this.changed());
    return undefined;
  }

  /**
   * A request of the REST API (a GET unless `init` says otherwise) with the agent's token; a token
   * the server says expired is replaced through the token provider and the request made once more.
   */
  async fetchApi(path: string, init: RequestInit = {}): Promise<Response> {
    const send = async () => fetch(new URL(path, this.#serverUrl), {
      ...init,
      headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${await this.#token.get()}` },
    });
    const response = await send();
    if (response.status !== 401 || !this.#token.canRefresh) return response;
    const body = (await response.clone().json().catch(() => null)) as { error?: { details?: { reason?: string } } } | null;
    if (body?.error?.details?.reason !== 'token_expired') return response;
    await this.#token.refresh();
    return send();
  }

  protected override recoverRefusal(refusal: CharlaRequestError): boolean {
    if (!this.#token.canRefresh || ++this.#refusals > MAX_TOKEN_RETRIES) {
      if (this.#providerError !== undefined) {
        const reason = this.#providerError instanceof Error ? this.#providerError.message : String(this.#providerError);
        this.lastError = new CharlaRequestError('unauthorized', `The token provider failed: ${reason}`);
      }
      return false;
    }
    const expired = (refusal.details as { reason?: unknown } | undefined)?.reason === 'token_expired';
    // A provider that failed is asked again after a pause; one that gave a token the server
    // refused is asked once more only when the token expired (any other refusal is final).
    if (this.#providerError === undefined && !expired) return false;
    const pause = this.#providerError === undefined ? 0 : 1000 * 2 ** (this.#refusals - 1);
    setTimeout(() => {
      if (this.state === 'closed' || this.state === 'unauthorized') return;
      this.#token.refresh().then(
        () => this.reconnect(),
        (error: unknown) => {
          this.#providerError = error;
          this.reconnect();
        },
      );
    }, pause);
    return true;
  }

  override connect(): void {
    this.#token.resume();
    super.connect();
  }

  override close(): void {
    this.#token.stop();
    for (const objectUrl of this.#media.values()) if (objectUrl && objectUrl !== 'loading') URL.revokeObjectURL(objectUrl);
    this.#media.clear();
    super.close();
  }

  /** An agent's presence: online, away (connected, no new work) or offline; known once the session started. */
  presenceOf(agentId: string): AgentPresence {
    return this.#presence[agentId] ?? 'offline';
  }

  /**
   * Sets the signed-in agent away (routing gives them no new work; the widget shows the away state
   * when nobody else is online) or back online. Applies to all their tabs.
   */
  async setPresence(status: 'online' | 'away'): Promise<void> {
    await this.request('presence.set', { status });
    if (this.me) this.#presence = { ...this.#presence, [this.me.id]: status };
    this.changed();
  }

  /** The signed-in agent, once the session started. */
  get me() {
    return this.session?.agent ?? null;
  }

  agent(id: string | null | undefined) {
    return id ? this.session?.agents.find((agent) => agent.id === id) : undefined;
  }

  protected async startSession(): Promise<number> {
    this.session = await this.request('session.get', {});
    this.#presence = await this.request('presence.list', {});
    // Lists loaded before the session (or under another one) reload with it.
    for (const query of this.#queries.values()) void this.#fetchPage(query, true);
    this.sales.reload();
    this.ai.reload();
    return this.session.seq;
  }

  protected sync(since: number) {
    return this.request('sync', { since });
  }

  protected applyEvent(event: ChangeEvent): void {
    this.#applyToStore(event);
    for (const listener of this.#eventListeners) listener(event);
  }

  readonly #eventListeners = new Set<(event: ChangeEvent) => void>();

  /**
   * Calls `listener` with each change-log event once the store holds it (live, or caught up after
   * a reconnect); views computed on the server (metrics) use it to know when to ask again.
   * Returns the unsubscribe.
   */
  onEvent(listener: (event: ChangeEvent) => void): () => void {
    this.#eventListeners.add(listener);
    return () => this.#eventListeners.delete(listener);
  }

  #applyToStore(event: ChangeEvent): void {
    switch (event.type) {
      case 'conversation.upserted':
        this.contactsById.set(event.data.contact.id, event.data.contact);
        this.#putConversation(event.data.conversation);
        break;
      case 'message.upserted':
        this.#logs.get(event.data.message.conversationId)?.upsert(event.data.message);
        this.#typing.clear(event.data.message.conversationId, event.data.message.senderId);
        this.sales.apply(event);
        break;
      case 'contact.upserted':
        this.contactsById.set(event.data.contact.id, event.data.contact);
        break;
      case 'contact.merged':
        // The merged contact is gone; its conversations arrive as upserts with the survivor.
        this.contactsById.delete(event.data.mergedId);
        this.contactsById.set(event.data.contact.id, event.data.contact);
        this.#rememberMerge(event.data.contact.id, event.data.merge);
        this.sales.apply(event);
        break;
      case 'contact.unmerged':
        // Both exist again; the restored contact's conversations arrive as upserts with it.
        this.contactsById.set(event.data.contact.id, event.data.contact);
        this.contactsById.set(event.data.restored.id, event.data.restored);
        this.#forgetMerge(event.data.contact.id, event.data.mergeId);
        this.sales.apply(event);
        break;
      case 'contact.deleted':
        this.contactsById.delete(event.data.contactId);
        this.sales.apply(event);
        for (const id of event.data.conversationIds) this.#forgetConversation(id);
        this.#scheduleCounts();
        break;
      case 'pipeline.upserted':
      case 'deal.upserted':
      case 'task.upserted':
      case 'business_event.created':
      case 'csat.submitted': // timelines show the answer
        this.sales.apply(event);
        break;
      case 'note.created': {
        const notes = this.notesByContact.get(event.data.note.contactId);
        if (notes && !notes.some((note) => note.id === event.data.note.id)) notes.unshift(event.data.note);
        this.sales.apply(event);
        break;
      }
      case 'notification.created': {
        const { notification } = event.data;
        if (notification.agentId !== this.session?.agent.id) break;
        const inbox = this.#notifications;
        if (!inbox.items.some((item) => item.id === notification.id)) {
          inbox.items = [notification, ...inbox.items];
          inbox.unread += 1;
          for (const listener of this.#notificationListeners) listener(notification);
        }
        break;
      }
      case 'notifications.read': {
        const { agentId, ids, readAt } = event.data;
        if (agentId !== this.session?.agent.id) break;
        const inbox = this.#notifications;
        inbox.items = inbox.items.map((item) => (!item.readAt && (ids === null || ids.includes(item.id)) ? { ...item, readAt } : item));
        inbox.unread = ids === null ? 0 : Math.max(0, inbox.unread - ids.length);
        break;
      }
      case 'ai.followup.upserted':
        this.ai.apply(event);
        break;
      case 'ai.insight.upserted':
        this.ai.apply(event);
        this.sales.apply(event); // timelines show the latest summary
        break;
      case 'service_levels.changed':
        // A new session object: views that cache per session (the inbox's SLA calendar) redo it.
        if (this.session) this.session = { ...this.session, sla: event.data.sla, hours: event.data.hours };
        break;
      case 'canned.changed': {
        const { response, deletedId } = event.data;
        const others = this.#canned.items.filter((item) => item.id !== (response?.id ?? deletedId));
        this.#canned.items = (response ? [...others, response] : others).sort((a, b) => a.shortcut.localeCompare(b.shortcut));
        break;
      }
    }
  }

  readonly #notifications: { items: Notification[]; unread: number; loaded: boolean } = { items: [], unread: 0, loaded: false };
  readonly #notificationListeners = new Set<(notification: Notification) => void>();

  /**
   * The signed-in agent's notifications (mentions, assignments), newest first, and the unread
   * count; loaded on first use and kept live.
   */
  notifications(): { readonly items: readonly Notification[]; readonly unread: number; readonly loaded: boolean } {
    const inbox = this.#notifications;
    if (!inbox.loaded && this.session) {
      inbox.loaded = true;
      this.request('notifications.list', {})
        .then((list) => {
          const live = inbox.items.filter((item) => !list.notifications.some((n) => n.id === item.id));
          inbox.items = [...live, ...list.notifications];
          inbox.unread = list.unread + live.filter((item) => !item.readAt).length;
          this.changed();
        })
        .catch(() => (inbox.loaded = false));
    }
    return inbox;
  }

  /** Calls `listener` for each new notification of the signed-in agent as it arrives; returns the unsubscribe. */
  onNotification(listener: (notification: Notification) => void): () => void {
    this.#notificationListeners.add(listener);
    return () => this.#notificationListeners.delete(listener);
  }

  /** Marks notifications read (all when no ids). */
  async readNotifications(ids?: string[]): Promise<void> {
    const { unread } = await this.request('notifications.read', ids ? { ids } : {});
    this.#notifications.unread = unread;
    this.changed();
  }

  readonly #templates = lazyList<MessageTemplate>();

  /** The workspace's WhatsApp templates (as last synced), loading on first use. */
  templates(): { readonly items: readonly MessageTemplate[]; readonly loaded: boolean } {
    return this.#loadOnce(this.#templates, () => this.request('templates.list', {}));
  }

  /** Sends an approved template (allowed after the 24-hour window closed); resolves with the stored message. */
  async sendTemplate(conversationId: string, name: string, language: string, parameters: string[]): Promise<Message> {
    const message = await this.request('template.send', { conversationId, clientId: newClientId(), name, language, parameters });
    this.#logs.get(conversationId)?.upsert(message);
    this.changed();
    return message;
  }

  readonly #canned = lazyList<CannedResponse>();

  /** One metric (`metrics.get`): conversation clocks or the pipeline's numbers, with the deals behind them. */
  metric<N extends keyof MetricResults>(name: N, query: MetricQuery = {}): Promise<MetricResults[N]> {
    return fetchMetric(this, name, query);
  }

  /** The workspace's canned responses (by shortcut), loading on first use and kept live. */
  cannedResponses(): { readonly items: readonly CannedResponse[]; readonly loaded: boolean } {
    return this.#loadOnce(this.#canned, () => this.request('canned.list', {}));
  }

  /** Starts loading a workspace-wide list the first time it is asked for (once a session exists). */
  #loadOnce<T>(list: LazyList<T>, fetch: () => Promise<T[]>): LazyList<T> {
    if (!list.loaded && !list.loading && this.session) {
      list.loading = true;
      fetch()
        .then((items) => {
          list.items = items;
          list.loaded = true;
        })
        .catch(() => undefined)
        .finally(() => {
          list.loading = false;
          this.changed();
        });
    }
    return list;
  }

  /** Drops a conversation from the store, its message log and every list. */
  #forgetConversation(id: string): void {
    this.conversationsById.delete(id);
    this.#logs.delete(id);
    for (const query of this.#queries.values()) query.remove(id);
  }

  #putConversation(conversation: Conversation): void {
    const previous = this.conversationsById.get(conversation.id);
    this.conversationsById.set(conversation.id, conversation);
    for (const query of this.#queries.values()) query.place(conversation, (id) => this.conversationsById.get(id));
    if (!previous || previous.status !== conversation.status || previous.assigneeId !== conversation.assigneeId) {
      this.#scheduleCounts();
    }
  }

  // ------------------------------------------------------------------ conversations

  /** A live list for these filters; the first call starts loading it. */
  conversations(filter: ConversationFilter = {}): ConversationQuery {
    const key = filterKey(filter);
    let query = this.#queries.get(key);
    if (!query) {
      query = new ConversationQuery({ status: 'open', ...filter }, () => this.session?.agent.id);
      this.#queries.set(key, query);
      if (this.session) void this.#fetchPage(query, true);
    }
    return query;
  }

  /** Loads the next page of a list. */
  async loadMoreConversations(query: ConversationQuery): Promise<void> {
    if (query.loading || !query.hasMore) return;
    await this.#fetchPage(query, false);
  }

  /** Forgets a list's pages and fetches its first page again (after an error, say). */
  async reloadConversations(query: ConversationQuery): Promise<void> {
    await this.#fetchPage(query, true);
  }

  async #fetchPage(query: ConversationQuery, reset: boolean): Promise<void> {
    query.loading = true;
    query.error = null;
    this.changed();
    try {
      const page = await this.request('conversations.list', {
        ...query.filter,
        limit: PAGE,
        ...(reset || !query.nextCursor ? {} : { cursor: query.nextCursor }),
      });
      for (const contact of page.contacts) this.contactsById.set(contact.id, contact);
      for (const conversation of page.conversations) this.conversationsById.set(conversation.id, conversation);
      const ids = page.conversations.map((conversation) => conversation.id);
      query.ids = reset ? ids : [...query.ids, ...ids.filter((id) => !query.ids.includes(id))];
      query.nextCursor = page.nextCursor;
      query.counts = page.counts;
      query.loaded = true;
    } catch (error) {
      query.error = toRequestError(error);
    } finally {
      query.loading = false;
      this.changed();
    }
  }

  /** Status counts change with assignments and status moves: refresh them once per burst. */
  #scheduleCounts(): void {
    clearTimeout(this.#countsTimer);
    this.#countsTimer = setTimeout(() => {
      for (const query of this.#queries.values()) {
        if (!query.loaded) continue;
        this.request('conversations.list', { ...query.filter, limit: 1 })
          .then((page) => {
            query.counts = page.counts;
            this.changed();
          })
          .catch(() => undefined);
      }
    }, 250);
  }

  conversation(id: string): Conversation | undefined {
    return this.conversationsById.get(id);
  }

  contact(id: string | null | undefined): Contact | undefined {
    return id ? this.contactsById.get(id) : undefined;
  }

  /** Fetches a conversation not in any loaded list (a deep link, say). */
  async loadConversation(id: string): Promise<Conversation> {
    const detail = await this.request('conversation.get', { conversationId: id });
    this.contactsById.set(detail.contact.id, detail.contact);
    this.#putConversation(detail.conversation);
    this.changed();
    return detail.conversation;
  }

  async updateConversation(update: ConversationUpdateRequest): Promise<Conversation> {
    const conversation = await this.request('conversation.update', update);
    this.#putConversation(conversation);
    this.changed();
    return conversation;
  }

  async markRead(conversationId: string): Promise<void> {
    const current = this.conversationsById.get(conversationId);
    if (current && current.unreadCount === 0) return;
    const conversation = await this.request('conversation.read', { conversationId });
    this.#putConversation(conversation);
    this.changed();
  }

  // ------------------------------------------------------------------ messages

  /** The loaded messages of a conversation (empty until `loadMessages`). */
  messages(conversationId: string): MessageLog<Message> {
    let log = this.#logs.get(conversationId);
    if (!log) {
      log = new MessageLog<Message>();
      this.showPending(log, (payload) => payload.conversationId === conversationId);
      this.#logs.set(conversationId, log);
    }
    return log;
  }

  /** Loads the newest page, or with `older` the page before the oldest loaded message. */
  async loadMessages(conversationId: string, { older = false } = {}): Promise<void> {
    await this.loadPage(this.messages(conversationId), older, (before) =>
      this.request('messages.list', { conversationId, limit: PAGE, ...(before ? { before } : {}) }),
    );
  }

  /**
   * Sends a reply (or, with `private`, a note only agents see). It shows at once as pending and
   * is delivered by the outbox: across disconnects and reloads, in order, stored exactly once.
   * Returns the message's client id.
   */
  send(
    conversationId: string,
    body: string,
    options: { private?: boolean; mentions?: string[]; email?: { subject?: string; cc?: string[]; attachments?: string[] }; link?: MessageLink } = {},
  ): string {
    if (this.session?.agent.role === 'viewer') {
      throw new CharlaRequestError('forbidden', 'Viewers cannot send messages');
    }
    this.#typing.sent(conversationId);
    const mentions = options.private && options.mentions?.length ? { mentions: options.mentions } : {};
    const email = !options.private && options.email && (options.email.subject || options.email.cc?.length) ? { email: options.email } : {};
    const link = !options.private && options.link ? { link: options.link } : {};
    return this.enqueue({ conversationId, body, private: options.private ?? false, ...mentions, ...email, ...link });
  }

  // ------------------------------------------------------------------ quick actions

  /**
   * Adds a quick action to every thread of this client (its toolbar and the composer's `/`
   * menu). `run(conversation)` does the host's work; the message it answers (a text, or
   * `{body, link: {title, url}}`) is sent in the conversation as the agent's reply, through the
   * outbox like any reply, so it reaches the customer on their channel. Registering an id again
   * replaces the action. Returns the function that removes it.
   */
  registerAction(action: QuickAction): () => void {
    return this.#actions.register(action);
  }

  /** Removes a quick action; false when none had that id. */
  unregisterAction(id: string): boolean {
    return this.#actions.unregister(id);
  }

  /** The registered quick actions, in the order they were registered. */
  actions(): QuickAction[] {
    return this.#actions.list();
  }

  /** Whether an action runs in a conversation now, or why its last run failed (undefined: idle). */
  actionState(actionId: string, conversationId: string): QuickActionState | undefined {
    return this.#actions.state(actionId, conversationId);
  }

  /** Forgets a failed run's error (the thread's dismiss). */
  dismissActionError(actionId: string, conversationId: string): void {
    this.#actions.clearError(actionId, conversationId);
  }

  /**
   * Runs a quick action in a conversation: its returned message is sent as a reply; when `run`
   * rejects, nothing is sent and the reason is `actionState(...).error`. Resolves once done.
   */
  async runAction(actionId: string, conversationId: string): Promise<void> {
    const conversation = this.conversationsById.get(conversationId) ?? (await this.loadConversation(conversationId));
    await this.#actions.run(actionId, conversation, ({ body, link }) => void this.send(conversationId, body, link ? { link } : {}));
  }

  /**
   * Who else is typing in a conversation (the customer, or another agent), or null. Cleared when
   * their message arrives or a few seconds after their last keystroke.
   */
  typingIn(conversationId: string): Typist | null {
    return this.#typing.get(conversationId);
  }

  /**
   * Tells the customer (on webchat) and the other agents that this agent is typing a reply. Call
   * it on every input of the reply field (not of a private note); repeats are throttled.
   */
  notifyTyping(conversationId: string): void {
    if (this.state !== 'online' || !this.#typing.shouldSend(conversationId)) return;
    this.socket.emit('typing', { conversationId });
  }

  protected deliver(payload: MessageSendRequest): Promise<Message> {
    return this.request('message.send', payload);
  }

  protected logFor(payload: MessageSendRequest) {
    return this.#logs.get(payload.conversationId);
  }

  protected pendingMessage(entry: OutboxEntry<MessageSendRequest>): Message {
    const agent = this.session?.agent;
    return {
      ...pendingFields(entry),
      workspaceId: agent?.workspaceId ?? '',
      conversationId: entry.payload.conversationId,
      direction: 'out',
      senderKind: 'agent',
      senderId: agent?.id ?? null,
      senderName: agent?.name ?? null,
      type: 'text',
      body: entry.payload.body,
      ...(entry.payload.link ? { content: { link: entry.payload.link } } : {}),
      private: entry.payload.private ?? false,
      channelMessageId: null,
    };
  }

  // ------------------------------------------------------------------ sales

  /** A pipeline's board, loading on first use; its deals are `sales.dealsOf(pipelineId)`. */
  board(pipelineId: string): DealBoard {
    return this.sales.board(pipelineId);
  }

  /** Moves a deal to a stage (optimistic; put back when the server refuses). */
  moveDeal(dealId: string, stageId: string, options: { lostReason?: string } = {}) {
    return this.sales.moveDeal(dealId, stageId, options);
  }

  /**
   * A contact's lifetime value and pending balance per currency, open invoices, open deals and
   * open tasks, loaded on first use and kept live (`summary.data`, null until loaded).
   */
  contactCommerce(contactId: string): CommerceSummary {
    return this.sales.contactCommerce(contactId);
  }

  // ------------------------------------------------------------------ contacts

  async loadContact(contactId: string): Promise<Contact> {
    const contact = await this.request('contact.get', { contactId });
    this.contactsById.set(contact.id, contact);
    this.changed();
    return contact;
  }

  readonly companiesById = new Map<string, Company>();

  /** Loads what a contact's profile shows: the contact, its company and the latest notes. */
  async loadProfile(contactId: string): Promise<ContactProfile> {
    const profile = await this.request('contact.profile', { contactId });
    this.contactsById.set(profile.contact.id, profile.contact);
    if (profile.company) this.companiesById.set(profile.company.id, profile.company);
    this.notesByContact.set(contactId, profile.notes);
    this.changed();
    return profile;
  }

  /** Edits a contact (name, email, phone, avatar); the server validates and answers with the stored contact. */
  async updateContact(contactId: string, patch: ContactUpdateRequest['patch']): Promise<Contact> {
    const contact = await this.request('contact.update', { contactId, patch });
    this.contactsById.set(contact.id, contact);
    this.changed();
    return contact;
  }

  /** Contacts matching a name, email, phone or handle. */
  async searchContacts(query: string, limit = 10): Promise<Contact[]> {
    const contacts = await this.request('contacts.search', { query, limit });
    for (const contact of contacts) this.contactsById.set(contact.id, contact);
    return contacts;
  }

  /** What merging `mergeId` into `contactId` would move, fill, and how each conflicting value is kept. */
  previewMerge(contactId: string, mergeId: string): Promise<ContactMergePreview> {
    return this.request('contact.mergePreview', { contactId, mergeId });
  }

  /** Merges `mergeId` into `contactId` (nothing is lost) and reloads the survivor's profile and merges. */
  async mergeContacts(contactId: string, mergeId: string): Promise<Contact> {
    const contact = await this.request('contact.merge', { contactId, mergeId });
    this.contactsById.set(contact.id, contact);
    this.contactsById.delete(mergeId);
    this.#merges.delete(contact.id);
    await Promise.all([this.loadProfile(contact.id), this.loadMerges(contact.id)]).catch(() => undefined);
    return contact;
  }

  readonly #merges = new Map<string, ContactMergeRecord[]>();

  /** A merge someone just made joins the survivor's undoable merges, when those are shown. */
  #rememberMerge(contactId: string, merge: ContactMergeRecord | undefined): void {
    const known = this.#merges.get(contactId);
    if (merge && known && !known.some((record) => record.id === merge.id)) this.#merges.set(contactId, [merge, ...known]);
  }

  #forgetMerge(contactId: string, mergeId: string): void {
    const known = this.#merges.get(contactId);
    if (known) this.#merges.set(contactId, known.filter((record) => record.id !== mergeId));
  }

  /** The merges into a contact that can still be undone (loaded with `loadMerges`), newest first. */
  merges(contactId: string): ContactMergeRecord[] | undefined {
    return this.#merges.get(contactId);
  }

  async loadMerges(contactId: string): Promise<ContactMergeRecord[]> {
    const merges = await this.request('contact.merges', { contactId });
    this.#merges.set(contactId, merges);
    this.changed();
    return merges;
  }

  /** Undoes a merge into `contactId`: both contacts are back, each with what came from it. */
  async unmergeContact(contactId: string, mergeId: string): Promise<ContactUnmergedData> {
    const result = await this.request('contact.unmerge', { contactId, mergeId });
    this.contactsById.set(result.contact.id, result.contact);
    this.contactsById.set(result.restored.id, result.restored);
    await this.loadMerges(contactId).catch(() => undefined);
    return result;
  }

  /** Possible duplicates (same or similar name) of a contact, or of the workspace. */
  async duplicates(contactId?: string): Promise<DuplicateSuggestion[]> {
    const suggestions = await this.request('contacts.duplicates', contactId ? { contactId } : {});
    for (const { contact, other } of suggestions) {
      this.contactsById.set(contact.id, contact);
      this.contactsById.set(other.id, other);
    }
    return suggestions;
  }

  /** Says two contacts are different people: they are not suggested again. */
  async dismissDuplicate(contactId: string, otherId: string): Promise<void> {
    await this.request('contacts.dismissDuplicate', { contactId, otherId });
  }

  async addNote(contactId: string, body: string): Promise<Note> {
    const note = await this.request('note.create', { contactId, body });
    const notes = this.notesByContact.get(contactId) ?? [];
    if (!notes.some((existing) => existing.id === note.id)) notes.unshift(note);
    this.notesByContact.set(contactId, notes);
    this.changed();
    return note;
  }
}
