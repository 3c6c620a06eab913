import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { ref } from 'lit/directives/ref.js';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import type { CharlaClient } from '@charla/client';
import type { Agent, CannedResponse, Contact, Conversation, Deal, FollowUpDraft, Message, MessageTemplate, QuoteDraft, ReplySource } from '@charla/protocol';
import { LIMITS, PRIORITIES, type Priority } from '@charla/protocol/constants';
import { CharlaElement } from '../base/charla-element.js';
import { ClientElement } from '../controllers/client-element.js';
import { VirtualizerController } from '../controllers/virtualizer-controller.js';
import { emailDocument, emailOf, messageContent } from './message-content.js';
import { systemLineIn } from './system-lines.js';
import type { StringKey } from '../i18n/localize-controller.js';
import { threadRows, type ThreadRow } from './thread-rows.js';
import { applySuggestion, suggestionsFor, type Suggestion } from './suggestions.js';
import { ReplySuggestionsController, replySuggestionStyles } from './reply-suggestions.js';
import type { QuoteDraftController } from './quote-draft.js';
import type { FollowUpController } from './follow-up-draft.js';
import { avatar, avatarStyles, channelBadge, contactLabel } from '../shared/avatar.js';
import { renderWith, type Renderer } from '../shared/renderer.js';
import { controlStyles } from '../shared/controls.styles.js';
import { dealEditorIn, taskEditorIn } from '../shared/editors.js';
import { editorString } from '../shared/editors.strings.js';
import { threadStyles } from './thread.styles.js';
import { threadString, type ThreadString } from './thread.strings.js';
import { inboxStrings } from '../inbox/inbox.strings.js';
import { composerStrings } from './composer.strings.js';
import { conversationStrings } from './conversation.strings.js';
import { useStrings } from '../i18n/strings.js';
import { clipIcon } from '../shared/icons.js';

useStrings(inboxStrings, composerStrings, conversationStrings);

export interface MessageSendDetail {
  conversationId: string;
  body: string;
  private: boolean;
  /** Email replies: the subject and CC the agent typed (absent: `Re:` the customer's subject, no copies). */
  email?: { subject?: string; cc?: string[] };
}

export interface MessageRetryDetail {
  clientId: string;
}

/** What `renderMessage` is told besides the message. */
export interface MessageRenderContext {
  /** The signed-in agent sent it. */
  mine: boolean;
  /** The conversation shown. */
  conversation: Conversation | null;
  /** Its contact. */
  contact: Contact | null;
}

/** The quote editor and drafts' module, imported once for every thread. */
let loadingDrafts: Promise<typeof import('./ai-drafts.js')> | null = null;

/** Unsent text per conversation, so switching conversations never loses a draft. */
const drafts = new Map<string, { body: string; note: boolean }>();

const TICKS: Record<Message['status'], string> = { pending: '◷', sent: '✓', delivered: '✓✓', read: '✓✓', failed: '!' };

/**
 * One conversation: its history (`role="log"`, virtualized: thousands of messages open at once,
 * older pages load as you scroll up), day separators, an unread marker, jump-to-latest, rich
 * channel content, delivery state of every reply, private notes and system events set apart;
 * conversation actions (assign or claim, priority, labels, resolve, snooze, reopen); and a composer
 * that sends replies or notes (Enter sends, Shift+Enter adds a line). Drafts survive switching
 * conversations.
 *
 * @tag charla-thread
 * @event charla-message-send - The user sent a reply or note (cancelable: cancel it to send it yourself). `detail: {conversationId, body, private, email?: {subject?, cc?, attachments?}}`.
 * @event charla-message-retry - The user asked to resend a failed message. `detail.clientId`.
 * @csspart header - Contact, channel and conversation actions.
 * @csspart actions - Assignee, priority, status and label controls.
 * @csspart labels - The conversation's labels.
 * @csspart jump - The jump-to-latest button.
 * @csspart log - The scrolling message history.
 * @csspart message - One message (with sender and delivery state).
 * @csspart bubble - A message's text.
 * @csspart bubble-custom - A bubble whose content came from `renderMessage` (also a `bubble`).
 * @csspart link-card - A link card a reply carries (a quick action's payment link): its title and address.
 * @csspart email-subject - An email's subject, above its text.
 * @csspart email-frame - An email's HTML (sanitized by the server) in a sandboxed frame: no scripts, no remote images.
 * @csspart email-toggle - Switches an email between its formatted frame and its text.
 * @csspart email-attachment - A file attached to the email reply being written (with its remove button).
 * @event charla-reply-suggest - The agent asked for suggested replies (cancelable). `detail: {conversationId}`.
 * @event charla-quote-draft - The agent asked for a drafted quote (cancelable). `detail: {conversationId}`.
 * @event charla-quote-send - The agent sent the edited quote (cancelable: cancel it to send it yourself). `detail: {conversationId, currency, language, items, note?}`.
 * @event charla-follow-up-approve - The owner sent the AI's re-engagement draft (cancelable). `detail: {followUp, body?}`.
 * @event charla-follow-up-dismiss - The owner dismissed it (cancelable). `detail: {followUp}`.
 * @csspart composer - The reply/note editor.
 * @csspart reply-suggestions - Suggested replies above the composer (a click puts one in the composer; nothing is sent).
 * @csspart quote-editor - The quote being drafted: its lines, total, note and "Send quote".
 * @csspart quote-total - The quote's total.
 * @csspart follow-up - The AI's re-engagement draft waiting for the owner's "Send follow-up" or "Dismiss".
 * @csspart avatar - The contact's avatar.
 * @csspart channel - The channel badge.
 * @cssproperty --charla-thread-background - Background behind the messages.
 */
export class CharlaThread extends ClientElement {
  static override styles = [CharlaElement.styles, avatarStyles, controlStyles, threadStyles, replySuggestionStyles];

  /** The conversation shown. */
  @property({ attribute: 'conversation-id' }) conversationId: string | null = null;

  /** Data mode: the conversation (when there is no client). */
  @property({ attribute: false }) conversation: Conversation | null = null;
  /** Data mode: its contact. */
  @property({ attribute: false }) contact: Contact | null = null;
  /** Data mode: its messages, oldest first. */
  @property({ attribute: false }) messages: Message[] = [];
  /** Data mode: canned responses offered after `/` in the composer. */
  @property({ attribute: false }) cannedResponses: CannedResponse[] = [];
  /** Data mode: agents offered after `@` in a note. */
  @property({ attribute: false }) agents: Agent[] = [];
  /** Data mode: WhatsApp templates offered when the 24-hour window is closed. */
  @property({ attribute: false }) templates: MessageTemplate[] = [];
  /** Data mode: who is typing in the conversation (a name), or null. */
  @property({ attribute: false }) typing: string | null = null;
  /** Read-only: no composer or actions (viewers get this automatically). */
  @property({ type: Boolean, reflect: true }) readonly = false;
  /** Data mode: suggested replies shown above the composer (with a client they come from the server). */
  @property({ attribute: false }) replySuggestions: string[] = [];
  /** What each suggested reply used, shown under it (`replySuggestionSources[i]` for `replySuggestions[i]`). */
  @property({ attribute: false }) replySuggestionSources: ReplySource[][] = [];
  /** Data mode: a drafted quote to show in the quote editor (with a client, "Draft quote" asks the server). */
  @property({ attribute: false }) quoteDraft: QuoteDraft | null = null;
  /** Data mode: the conversation's re-engagement drafts waiting for approval (with a client they come from the server, live). */
  @property({ attribute: false }) followUps: FollowUpDraft[] = [];
  /**
   * Renders a message's bubble: `(message, defaultContent, {mine, conversation, contact})` returns a
   * lit template, a DOM node, text or nothing (return `defaultContent` to keep Charla's). The sender,
   * time, delivery state and Retry stay around it. What it returns is shown as given: escaping the
   * customer's text is the host's job (lit's `html` does it for every `${value}`).
   */
  @property({ attribute: false }) renderMessage: Renderer<Message, MessageRenderContext> | null = null;
  readonly #replies = new ReplySuggestionsController(this, (detail) => this.emit('charla-reply-suggest', { detail, cancelable: true }));
  /** The quote editor and the re-engagement drafts: loaded on first use (most conversations need neither). */
  #quote: QuoteDraftController | null = null;
  #followUp: FollowUpController | null = null;

  @state() private body = '';
  @state() private note = false;
  /** Email replies: the subject typed (empty: `Re:` the customer's) and the CC addresses. */
  @state() private emailSubject = '';
  @state() private emailCc = '';
  /** Files uploaded for the email reply being written (sent with it as attachments). */
  @state() private emailFiles: Array<{ id: string; filename: string }> = [];
  /** What the file picker is doing: uploading a file, or why one failed. */
  @state() private attachState: { uploading: string | null; error: string | null } = { uploading: null, error: null };
  /** Emails shown as their text rather than in their formatted (HTML) frame. */
  @state() private emailAsText = new Set<string>();
  @state() private awayFromEnd = false;
  @state() private suggestions: Suggestion[] = [];
  @state() private templateKey = '';
  @state() private templateParameters: string[] = [];
  @state() private templateError: string | null = null;
  @state() private suggestionIndex = 0;
  /** Agents mentioned in the note being written. */
  #mentions = new Set<string>();
  @state() private actionError: string | null = null;
  @state() private snoozeOpen = false;
  /** The "More" menu of the less used actions (team, priority, snooze, new deal, new task). */
  @state() private moreOpen = false;
  @query('[part="more-button"]') private moreButton?: HTMLButtonElement;
  @state() private dealOpen = false;
  @state() private dealNotice: string | null = null;
  /** The message `revealMessage` brought into view, marked for a moment. */
  @state() private revealed: string | null = null;
  #revealTimer: ReturnType<typeof setTimeout> | undefined;
  @query('[part="log"]') private log?: HTMLElement;
  @query('textarea') private textarea?: HTMLTextAreaElement;
  /** Unread customer messages when the conversation was opened: where the "new" marker goes. */
  #unreadAtOpen = 0;
  #rows: ThreadRow[] = [];
  #rowsFor: { messages: readonly Message[]; unread: number } | undefined;
  #scrollToEndPending = true;
  readonly #virtual = new VirtualizerController(this, {
    count: 0,
    estimateSize: () => 64,
    overscan: 8,
    // Chat behaviour: older pages prepended keep what you read in place; new messages follow
    // when you are at the bottom.
    anchorTo: 'end',
    followOnAppend: true,
    // Measure in the next frame: re-measuring inside the observer callback loops the observer.
    useAnimationFrameWithResizeObserver: true,
    getScrollElement: () => this.log ?? null,
  });
  /** A moment as the thread says it: day and time. */
  #when(iso: string): string {
    return `${this.i18n.day(iso)} ${this.i18n.time(iso)}`;
  }

  /** Stored attachments load through the client (they need the agent's token); in data mode URLs are used as given. */
  readonly #resolveMedia = (url: string): string | null | undefined => {
    const client = this.activeClient;
    return client ? client.mediaUrl(url) : url;
  };

  readonly #measure = (element?: Element) => {
    if (element) this.#virtual.virtualizer.measureElement(element as HTMLElement);
  };

  get #conversation(): Conversation | null {
    const id = this.conversationId;
    return (id && this.activeClient?.conversation(id)) || this.conversation;
  }

  get #contact(): Contact | null {
    const conversation = this.#conversation;
    return (conversation && this.activeClient?.contact(conversation.contactId)) || this.contact;
  }

  get #messages(): readonly Message[] {
    const client = this.activeClient;
    return client && this.conversationId ? client.messages(this.conversationId).items : this.messages;
  }

  get #readonly(): boolean {
    return this.readonly || this.activeClient?.me?.role === 'viewer';
  }

  protected override clientChanged(client: CharlaClient | undefined): void {
    if (client) this.#open(client);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('conversationId')) {
      const previous = changed.get('conversationId');
      if (previous) drafts.set(previous, { body: this.body, note: this.note });
      const draft = this.conversationId ? drafts.get(this.conversationId) : undefined;
      this.body = draft?.body ?? '';
      this.note = draft?.note ?? false;
      this.actionError = null;
      this.#suggestFor = null;
      this.#unreadAtOpen = this.#conversation?.unreadCount ?? 0;
      this.#scrollToEndPending = true;
      if (this.activeClient) this.#open(this.activeClient);
    }
    if (this.#suggestFor !== null) this.#suggest();
    const shown = this.conversationId ?? this.conversation?.id ?? null;
    this.#replies.forConversation(shown);
    this.#quote?.forConversation(shown);
    this.#followUp?.forConversation(shown);
    if (changed.has('quoteDraft') && this.quoteDraft) {
      const draft = this.quoteDraft;
      void this.#loadDrafts().then((quote) => {
        quote.show(draft);
        this.requestUpdate();
      });
    }
    if (changed.has('replySuggestions') || changed.has('replySuggestionSources')) this.#replies.show(this.replySuggestions, this.replySuggestionSources);
    const messages = this.#messages;
    if (this.#rowsFor?.messages !== messages || this.#rowsFor.unread !== this.#unreadAtOpen) {
      this.#rowsFor = { messages, unread: this.#unreadAtOpen };
      this.#rows = threadRows(messages, this.#unreadAtOpen);
      const rows = this.#rows;
      this.#virtual.update({ count: rows.length, getItemKey: (index) => rows[index]?.key ?? index });
    }
  }

  protected override updated(): void {
    const virtualizer = this.#virtual.virtualizer;
    if (this.#scrollToEndPending && this.#rows.length > 0 && this.log) {
      this.#scrollToEndPending = false;
      virtualizer.scrollToIndex(this.#rows.length - 1, { align: 'end' });
    }
    const client = this.activeClient;
    const conversation = this.#conversation;
    if (client && conversation && conversation.unreadCount > 0 && !this.#readonly && document.visibilityState !== 'hidden') {
      client.markRead(conversation.id).catch(() => undefined);
    }
  }

  #open(client: CharlaClient): void {
    const id = this.conversationId;
    if (!id) return;
    if (!client.conversation(id)) client.loadConversation(id).catch(() => undefined);
    if (!client.messages(id).loaded) void client.loadMessages(id);
    client.cannedResponses();
  }

  /**
   * Scrolls to a message of this conversation (loading older pages until it is there), marks it
   * for a moment and moves focus to it. Resolves false when the conversation has no such message.
   */
  async revealMessage(messageId: string): Promise<boolean> {
    for (let page = 0; ; page++) {
      await this.updateComplete;
      const index = this.#rows.findIndex((row) => row.kind === 'message' && row.message.id === messageId);
      if (index >= 0) {
        this.#scrollToEndPending = false;
        this.#virtual.virtualizer.scrollToIndex(index, { align: 'center' });
        this.revealed = messageId;
        clearTimeout(this.#revealTimer);
        this.#revealTimer = setTimeout(() => (this.revealed = null), 3000);
        await this.updateComplete;
        await new Promise((resolve) => requestAnimationFrame(resolve));
        this.renderRoot.querySelector<HTMLElement>('[data-revealed]')?.focus({ preventScroll: true });
        return true;
      }
      const client = this.activeClient;
      const id = this.conversationId;
      if (!client || !id || page >= 50) return false;
      const state = client.messages(id);
      if (state.loading) {
        // A page is on its way (the conversation was just opened): wait for it.
        const deadline = Date.now() + 10_000;
        while (state.loading && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
        this.requestUpdate();
        continue;
      }
      if ((state.loaded && !state.hasMore) || state.error) return false;
      await client.loadMessages(id, { older: state.loaded });
      this.requestUpdate();
    }
  }

  /** The composer (or, when there is none, the history): where a keyboard user writes. */
  protected override focusTarget(): HTMLElement | null {
    return this.textarea ?? this.renderRoot.querySelector<HTMLElement>('[part="composer"] select') ?? this.log ?? null;
  }

  #loadOlder(): void {
    const client = this.activeClient;
    if (client && this.conversationId) void client.loadMessages(this.conversationId, { older: true });
  }

  #onScroll(): void {
    const log = this.log;
    if (!log) return;
    this.awayFromEnd = log.scrollHeight - log.scrollTop - log.clientHeight > 240;
    const client = this.activeClient;
    if (!client || !this.conversationId) return;
    const messages = client.messages(this.conversationId);
    if (log.scrollTop < 200 && messages.hasMore && messages.loaded && !messages.loading) this.#loadOlder();
  }

  #jumpToLatest(): void {
    this.#virtual.virtualizer.scrollToIndex(this.#rows.length - 1, { align: 'end' });
  }

  #send(): void {
    const conversationId = this.conversationId ?? this.conversation?.id;
    const body = this.body;
    if (!conversationId || !body.trim() || body.length > LIMITS.messageBody || this.#readonly) return;
    const email = this.#emailFields();
    if (email === false) return;
    const detail = { conversationId, body, private: this.note, ...(email ? { email } : {}) };
    if (!this.emit('charla-message-send', { detail, cancelable: true })) return;
    const mentions = this.note ? this.#mentionedIn(body) : [];
    this.activeClient?.send(conversationId, body, { private: this.note, ...(mentions.length > 0 ? { mentions } : {}), ...(email ? { email } : {}) });
    this.emailSubject = '';
    this.emailCc = '';
    this.emailFiles = [];
    this.#mentions.clear();
    this.body = '';
    this.#suggestFor = null;
    drafts.delete(conversationId);
    this.#jumpToLatest();
  }

  /** Whether this reply goes by email (so the composer has a subject and CC). */
  get #byEmail(): boolean {
    return !this.note && this.#conversation?.channel === 'email';
  }

  #ccAddresses(): string[] {
    return this.emailCc.split(/[,;\s]+/).map((value) => value.trim()).filter(Boolean);
  }

  #badCc(): string | null {
    return this.#ccAddresses().find((value) => !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) ?? null;
  }

  /** The email fields of a reply: none, or false when a CC is not an address (the reply waits). */
  #emailFields(): { subject?: string; cc?: string[]; attachments?: string[] } | null | false {
    if (!this.#byEmail) return null;
    if (this.#badCc() || this.attachState.uploading) return false;
    const subject = this.emailSubject.trim();
    const cc = this.#ccAddresses();
    const attachments = this.emailFiles.map((file) => file.id);
    if (!subject && cc.length === 0 && attachments.length === 0) return null;
    return { ...(subject ? { subject } : {}), ...(cc.length > 0 ? { cc } : {}), ...(attachments.length > 0 ? { attachments } : {}) };
  }

  /** Uploads the chosen files to the conversation, one after the other; each becomes a chip. */
  async #attach(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    const conversationId = this.conversationId ?? this.conversation?.id;
    const client = this.activeClient;
    if (!client || !conversationId) return;
    for (const file of files) {
      this.attachState = { uploading: file.name, error: null };
      try {
        const response = await client.fetchApi(`/api/v1/conversations/${encodeURIComponent(conversationId)}/attachments`, {
          method: 'POST', body: file, headers: { 'content-type': file.type || 'application/octet-stream', 'x-filename': encodeURIComponent(file.name) },
        });
        const answer = (await response.json().catch(() => ({}))) as { id?: string; filename?: string; error?: { message?: string } };
        if (!response.ok || !answer.id) throw new Error(answer.error?.message ?? `HTTP ${response.status}`);
        this.emailFiles = [...this.emailFiles, { id: answer.id, filename: answer.filename ?? file.name }];
        this.attachState = { uploading: null, error: null };
      } catch (error) {
        this.attachState = { uploading: null, error: this.i18n.t('composer.attachFailed', { name: file.name, reason: error instanceof Error ? error.message : String(error) }) };
        return;
      }
    }
  }

  #renderEmailFields() {
    const bad = this.#badCc();
    return html`<div class="email-fields">
      <label
        >${this.i18n.t('composer.subject')}
        <input class="control" .value=${live(this.emailSubject)} maxlength="300" placeholder=${this.i18n.t('composer.subjectDefault')}
          @input=${(event: Event) => (this.emailSubject = (event.target as HTMLInputElement).value)} />
      </label>
      <label
        >${this.i18n.t('composer.cc')}
        <input class="control" type="text" inputmode="email" autocomplete="off" .value=${live(this.emailCc)} placeholder=${this.i18n.t('composer.ccHint')}
          aria-invalid=${bad ? 'true' : 'false'} aria-describedby=${bad ? 'cc-error' : nothing}
          @input=${(event: Event) => (this.emailCc = (event.target as HTMLInputElement).value)} />
      </label>
      ${bad ? html`<span id="cc-error" class="hint error" role="alert">${this.i18n.t('composer.ccInvalid', { value: bad })}</span>` : nothing}
      <div class="email-files">
        <label class="attach"
          ><span>${clipIcon} ${this.i18n.t('composer.attach')}</span>
          <input type="file" multiple ?disabled=${Boolean(this.attachState.uploading)}
            @change=${(event: Event) => void this.#attach(event)} /></label>
        ${this.emailFiles.map((file) => html`<span class="chip" part="email-attachment"
          >${file.filename}<button type="button" aria-label=${this.i18n.t('composer.removeAttachment', { name: file.filename })}
            @click=${() => (this.emailFiles = this.emailFiles.filter((other) => other.id !== file.id))}>×</button></span>`)}
        ${this.attachState.uploading ? html`<span class="hint" role="status">${this.i18n.t('composer.attaching', { name: this.attachState.uploading })}</span>` : nothing}
        ${this.attachState.error ? html`<span class="hint error" role="alert">${this.attachState.error}</span>` : nothing}
      </div>
    </div>`;
  }

  #onKeydown(event: KeyboardEvent): void {
    if (this.suggestions.length > 0) {
      const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1 };
      if (event.key in moves) {
        event.preventDefault();
        this.suggestionIndex = (this.suggestionIndex + moves[event.key]! + this.suggestions.length) % this.suggestions.length;
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        this.#choose(this.suggestions[this.suggestionIndex]!);
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        this.#suggestFor = null;
        this.suggestions = [];
        return;
      }
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.#send();
    }
  }

  /** Agents picked from the list whose `@Name` is still in the text. */
  #mentionedIn(body: string): string[] {
    const agents = this.activeClient?.session?.agents ?? this.agents;
    return [...this.#mentions].filter((id) => {
      const name = agents.find((agent) => agent.id === id)?.name;
      return name !== undefined && body.includes(`@${name}`);
    });
  }

  #onInput(event: InputEvent): void {
    const textarea = event.target as HTMLTextAreaElement;
    this.body = textarea.value;
    const client = this.activeClient;
    // Notes are for the team: only replies tell the customer someone is typing.
    if (client && this.conversationId && !this.note && textarea.value.trim()) client.notifyTyping(this.conversationId);
    this.#suggestFor = textarea.value.slice(0, textarea.selectionStart);
    this.suggestionIndex = 0;
    this.#suggest();
  }

  /** The text before the caret that suggestions follow; null once the list was dismissed. */
  #suggestFor: string | null = null;

  /** Recomputes the suggestions (also when canned responses finish loading after the first keystrokes). */
  #suggest(): void {
    if (this.#suggestFor === null) {
      if (this.suggestions.length > 0) this.suggestions = [];
      return;
    }
    const client = this.activeClient;
    const canned = client ? client.cannedResponses().items : this.cannedResponses;
    const agents = (client?.session?.agents ?? this.agents).filter((agent) => agent.id !== client?.me?.id);
    const next = suggestionsFor(this.#suggestFor, { canned, agents, note: this.note, actions: client?.actions() ?? [], actionDetail: this.i18n.t('composer.quickAction') });
    const same = next.length === this.suggestions.length && next.every((item, i) => item.id === this.suggestions[i]!.id);
    if (!same) {
      this.suggestions = next;
      this.suggestionIndex = Math.min(this.suggestionIndex, Math.max(0, next.length - 1));
    }
  }

  #choose(suggestion: Suggestion): void {
    if (suggestion.kind === 'action') this.#runAction(suggestion.action.id);
    const textarea = this.textarea;
    const caret = textarea?.selectionStart ?? this.body.length;
    const { text, caret: next } = applySuggestion(this.body, caret, suggestion);
    if (suggestion.kind === 'mention') this.#mentions.add(suggestion.agent.id);
    this.body = text;
    this.#suggestFor = null;
    this.suggestions = [];
    void this.updateComplete.then(() => {
      textarea?.focus();
      textarea?.setSelectionRange(next, next);
    });
  }


  /** Applies a conversation action; a refusal (e.g. read-only access) is shown, not thrown. */
  async #update(change: {
    status?: Conversation['status'];
    priority?: Priority;
    assigneeId?: string | null;
    teamId?: string | null;
    labels?: string[];
    snoozedUntil?: string | null;
  }) {
    const conversation = this.#conversation;
    const client = this.activeClient;
    if (!conversation || !client) return;
    this.actionError = null;
    try {
      await client.updateConversation({ conversationId: conversation.id, ...change });
    } catch (error) {
      this.actionError = (error as Error).message;
    }
  }

  #addLabel(event: KeyboardEvent): void {
    const input = event.target as HTMLInputElement;
    const label = input.value.trim();
    const conversation = this.#conversation;
    if (event.key !== 'Enter' || !label || !conversation) return;
    event.preventDefault();
    input.value = '';
    if (!conversation.labels.includes(label)) void this.#update({ labels: [...conversation.labels, label] });
  }

  protected override render() {
    const conversation = this.#conversation;
    if (!conversation && !this.conversationId) {
      return html`<p class="state">${this.i18n.t('thread.empty')}</p>`;
    }
    return html`${this.#renderHeader(conversation)}${conversation ? this.#renderLabels(conversation) : nothing}${this.#renderLog()}${this.#renderComposer()}
      <charla-deal-editor .client=${this.activeClient}></charla-deal-editor>
      <charla-task-editor .client=${this.activeClient}></charla-task-editor>`;
  }

  #renderHeader(conversation: Conversation | null) {
    if (!conversation) return html`<div part="header"><span class="who"><strong>${this.i18n.t('common.loading')}</strong></span></div>`;
    const contact = this.#contact;
    const name = contactLabel(contact, conversation.channel, (key) => this.i18n.t(key));
    const channel = this.i18n.t(`channel.${conversation.channel}`);
    return html`<div part="header">
      ${avatar(conversation.contactId, contact?.name, contact?.avatarUrl)}
      <span class="who">
        <strong>${name}</strong>
        <span
          >${channelBadge(conversation.channel, channel)} ${channel}
          <span class="status-pill" data-status=${conversation.status}
            >${conversation.status === 'snoozed' && conversation.snoozedUntil
              ? this.i18n.t('snooze.until', { when: this.#when(conversation.snoozedUntil) })
              : this.i18n.t(`status.${conversation.status}`)}</span
          ></span
        >
      </span>
      ${this.activeClient && !this.#readonly ? this.#renderActions(conversation) : nothing}
    </div>
    ${this.actionError ? html`<p class="hint error action-error" role="alert">${this.actionError}</p>` : nothing}
    ${this.#renderActionErrors(conversation)}
    ${this.dealNotice ? html`<p class="hint action-error" role="status">${this.dealNotice}</p>` : nothing}`;
  }

  #renderActions(conversation: Conversation) {
    const client = this.activeClient!;
    const me = client.me;
    const agents = client.session?.agents.filter((agent) => agent.role !== 'viewer') ?? [];
    const resolved = conversation.status === 'resolved';
    return html`<div part="actions" role="toolbar" aria-label=${this.i18n.t('actions.label')}>
      <select
        class="control"
        aria-label=${this.i18n.t('actions.assignee')}
        @change=${(event: Event) => this.#update({ assigneeId: (event.target as HTMLSelectElement).value || null })}
      >
        <option value="" ?selected=${!conversation.assigneeId}>${this.i18n.t('inbox.unassigned')}</option>
        ${agents.map((agent) => html`<option value=${agent.id} ?selected=${agent.id === conversation.assigneeId}>${agent.name}</option>`)}
      </select>
      ${me && conversation.assigneeId !== me.id
        ? html`<button class="secondary" @click=${() => this.#update({ assigneeId: me.id })}>${this.i18n.t('actions.claim')}</button>`
        : nothing}
      ${this.#renderDealEdit(conversation)} ${this.#renderQuickActions(conversation)} ${this.#renderMore(conversation)}
      <button class="primary small-primary" @click=${() => this.#update({ status: resolved || conversation.status === 'snoozed' ? 'open' : 'resolved' })}>
        ${resolved || conversation.status === 'snoozed' ? this.i18n.t('thread.reopen') : this.i18n.t('thread.resolve')}
      </button>
    </div>`;
  }

  /** The host's quick actions (`client.registerAction`): a button each, busy while it runs. */
  #renderQuickActions(conversation: Conversation) {
    const client = this.activeClient!;
    return client.actions().map((action) => {
      const running = client.actionState(action.id, conversation.id)?.running ?? false;
      return html`<button class="secondary quick-action" data-quick-action=${action.id} ?disabled=${running} aria-busy=${running ? 'true' : 'false'}
        @click=${() => this.#runAction(action.id)}>${action.icon ? html`<span aria-hidden="true">${action.icon}</span> ` : nothing}${running
          ? this.i18n.t('composer.actionRunning', { label: action.label })
          : action.label}</button>`;
    });
  }

  /** Why the quick actions that failed in this conversation failed (nothing was sent), each dismissable. */
  #renderActionErrors(conversation: Conversation) {
    const client = this.activeClient;
    if (!client) return nothing;
    return client.actions().map((action) => {
      const error = client.actionState(action.id, conversation.id)?.error;
      return error
        ? html`<p class="hint error action-error" role="alert" data-quick-action-error=${action.id}>${this.i18n.t('composer.actionFailed', { label: action.label, reason: error })}
            <button class="secondary" @click=${() => client.dismissActionError(action.id, conversation.id)}>${this.i18n.t('composer.dismiss')}</button></p>`
        : nothing;
    });
  }

  #runAction(actionId: string): void {
    const conversationId = this.conversationId ?? this.conversation?.id;
    if (conversationId) void this.activeClient?.runAction(actionId, conversationId);
  }

  /** The conversation's deal: the open one it opened, else the contact's most recent open one. */
  #deal(conversation: Conversation): Deal | null {
    const client = this.activeClient;
    if (!client || !conversation.contactId) return null;
    const open = client.contactCommerce(conversation.contactId).data?.openDeals ?? [];
    const current = open.map((deal) => client.sales.dealsById.get(deal.id) ?? deal).filter((deal) => deal.status === 'open');
    return current.find((deal) => deal.conversationId === conversation.id)
      ?? current.toSorted((a, b) => b.createdAt.localeCompare(a.createdAt))[0] ?? null;
  }

  /** The conversation's deal as a button that opens the deal editor; "no amount" when it has none. */
  #renderDealEdit(conversation: Conversation) {
    const deal = this.#deal(conversation);
    if (!deal) return nothing;
    const lang = this.i18n.lang;
    const shown = deal.amount === 0 ? editorString(lang, 'noAmount') : this.i18n.money(deal.amount, deal.currency);
    // The name starts with what the button shows, so speech users can say it (axe: label-content-name-mismatch).
    return html`<button class="secondary deal-chip" data-action="edit-deal" title=${editorString(lang, 'editDeal')}
      aria-label=${`${shown}: ${editorString(lang, deal.amount === 0 ? 'addAmount' : 'editDealNamed', { title: deal.title })}`}
      @click=${(event: MouseEvent) => {
        const opener = event.currentTarget as HTMLElement;
        void dealEditorIn(this.renderRoot).then((editor) => editor?.edit(deal, opener));
      }}>
      <span aria-hidden="true">✎</span> ${shown}
    </button>`;
  }

  /** "New task" from the conversation: linked to it, its contact and its deal. */
  #newTask(conversation: Conversation, opener: HTMLElement): void {
    const deal = this.#deal(conversation);
    void taskEditorIn(this.renderRoot).then((editor) => editor?.create({
      conversationId: conversation.id,
      contactId: conversation.contactId,
      contactName: this.#contact?.name ?? null,
      dealId: deal?.id ?? null,
      dealTitle: deal?.title ?? null,
    }, opener));
  }

  /** "New deal" from the conversation: pipeline, title, amount and currency; linked to this contact and conversation. */
  #renderDealForm(conversation: Conversation) {
    const client = this.activeClient!;
    const pipelines = client.sales.pipelines;
    const submit = async (event: Event) => {
      event.preventDefault();
      const form = event.target as HTMLFormElement;
      const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement).value.trim();
      try {
        const deal = await client.sales.createDeal({
          pipelineId: value('pipeline'),
          title: value('title'),
          amount: Number(value('amount') || 0),
          currency: value('currency').toUpperCase(),
          contactId: conversation.contactId,
          conversationId: conversation.id,
        });
        this.dealOpen = false;
        this.dealNotice = this.i18n.t('deal.created', { title: deal.title });
      } catch (error) {
        this.dealNotice = (error as Error).message;
      }
    };
    const contact = this.#contact;
    return this.dealOpen
        ? html`<form class="menu deal-form" part="deal-form" aria-label=${this.i18n.t('deal.new')} @submit=${submit} @keydown=${this.#closeOnEscape}>
            <label>${this.i18n.t('deal.pipeline')}
              <select class="control" name="pipeline" required>
                ${pipelines.map((pipeline) => html`<option value=${pipeline.id}>${pipeline.name}</option>`)}
              </select></label
            >
            <label>${this.i18n.t('deal.title')}
              <input class="control" name="title" required maxlength="200" .value=${contact?.name ?? ''} /></label>
            <span class="deal-money">
              <label>${this.i18n.t('deal.amount')}
                <input class="control" name="amount" type="number" min="0" step="0.01" inputmode="decimal" /></label>
              <label>${this.i18n.t('deal.currency')}
                <input class="control" name="currency" required pattern="[A-Za-z]{3}" maxlength="3" value="MXN" /></label>
            </span>
            <button class="primary small-primary" type="submit" ?disabled=${pipelines.length === 0}>${this.i18n.t('deal.create')}</button>
          </form>`
        : nothing;
  }

  #renderSnooze() {
    const at = (date: Date) => date.toISOString();
    const tomorrow = new Date();
    tomorrow.setDate(tomorrow.getDate() + 1);
    tomorrow.setHours(9, 0, 0, 0);
    const monday = new Date();
    monday.setDate(monday.getDate() + ((8 - monday.getDay()) % 7 || 7));
    monday.setHours(9, 0, 0, 0);
    const options: Array<[string, string | null]> = [
      [this.i18n.t('snooze.hour'), at(new Date(Date.now() + 3_600_000))],
      [this.i18n.t('snooze.tomorrow'), at(tomorrow)],
      [this.i18n.t('snooze.monday'), at(monday)],
      [this.i18n.t('snooze.untilReply'), null],
    ];
    const choose = (until: string | null) => {
      this.snoozeOpen = false;
      void this.#update(until ? { snoozedUntil: until } : { status: 'snoozed' });
    };
    return this.snoozeOpen
        ? html`<div class="menu" part="snooze-menu" role="group" aria-label=${this.i18n.t('actions.snooze')} @keydown=${this.#closeOnEscape}>
            ${options.map(([label, until]) => html`<button class="menu-item" @click=${() => choose(until)}>${label}</button>`)}
            <label class="menu-item custom"
              >${this.i18n.t('snooze.custom')}
              <input
                class="control"
                type="datetime-local"
                @change=${(event: Event) => {
                  const value = (event.target as HTMLInputElement).value;
                  if (value) choose(new Date(value).toISOString());
                }}
            /></label>
          </div>`
        : nothing;
  }

  #t(key: ThreadString): string {
    return threadString(this.i18n.lang, key);
  }

  /**
   * The less used actions behind one "More" button (WAI-ARIA menu button): priority and team as
   * radio items, then snooze, new deal and new task, which open their own forms beside it. The
   * menu stays in the DOM, hidden, while closed.
   */
  #renderMore(conversation: Conversation) {
    const client = this.activeClient!;
    const teams = client.session?.teams ?? [];
    const snoozable = conversation.status === 'open' || conversation.status === 'pending';
    const radio = (label: string, checked: boolean, choose: () => void) => html`<button
      class="menu-item"
      role="menuitemradio"
      tabindex="-1"
      aria-checked=${checked ? 'true' : 'false'}
      @click=${() => {
        this.#closeMore(true);
        choose();
      }}
    >
      <span class="check" aria-hidden="true">${checked ? '✓' : ''}</span>${label}
    </button>`;
    return html`<span class="menu-wrap" @focusout=${this.#onMoreFocusOut}>
      <button
        part="more-button"
        id="more-button"
        class="secondary"
        aria-haspopup="menu"
        aria-expanded=${this.moreOpen ? 'true' : 'false'}
        aria-controls="more-menu"
        aria-label=${this.#t('moreLabel')}
        @click=${() => (this.moreOpen ? this.#closeMore(false) : this.#openMore('first'))}
        @keydown=${this.#onMoreButtonKeydown}
      >
        ${this.#t('more')} <span aria-hidden="true">▾</span>
      </button>
      <div part="more-menu" id="more-menu" class="menu more-menu" role="menu" aria-labelledby="more-button" ?hidden=${!this.moreOpen} @keydown=${this.#onMoreMenuKeydown}>
        <div role="group" aria-label=${this.i18n.t('actions.priority')}>
          <span class="menu-heading" aria-hidden="true">${this.i18n.t('actions.priority')}</span>
          ${PRIORITIES.map((priority) => radio(this.i18n.t(`priority.${priority}`), priority === conversation.priority, () => void this.#update({ priority })))}
        </div>
        ${teams.length > 0
          ? html`<div role="separator"></div>
              <div role="group" aria-label=${this.i18n.t('actions.team')}>
                <span class="menu-heading" aria-hidden="true">${this.i18n.t('actions.team')}</span>
                ${radio(this.i18n.t('actions.noTeam'), !conversation.teamId, () => void this.#update({ teamId: null }))}
                ${teams.map((team) => radio(team.name, team.id === conversation.teamId, () => void this.#update({ teamId: team.id })))}
              </div>`
          : nothing}
        <div role="separator"></div>
        ${snoozable
          ? html`<button class="menu-item" role="menuitem" tabindex="-1" data-action="snooze" @click=${() => this.#openForm('snooze')}>${this.#t('snooze')}</button>`
          : nothing}
        <button class="menu-item" role="menuitem" tabindex="-1" data-action="new-deal" @click=${() => this.#openForm('deal')}>${this.#t('newDeal')}</button>
        <button class="menu-item" role="menuitem" tabindex="-1" data-action="new-task" @click=${() => {
          this.#closeMore(false);
          this.#newTask(conversation, this.moreButton ?? this);
        }}>${this.#t('newTask')}</button>
      </div>
      ${snoozable ? this.#renderSnooze() : nothing} ${this.#renderDealForm(conversation)}
    </span>`;
  }

  get #moreItems(): HTMLElement[] {
    return [...this.renderRoot.querySelectorAll<HTMLElement>('#more-menu [role^="menuitem"]')];
  }

  async #openMore(focus: 'first' | 'last'): Promise<void> {
    this.snoozeOpen = false;
    this.dealOpen = false;
    this.moreOpen = true;
    await this.updateComplete;
    const items = this.#moreItems;
    (focus === 'first' ? items[0] : items.at(-1))?.focus();
  }

  #closeMore(refocus: boolean): void {
    this.moreOpen = false;
    if (refocus) this.moreButton?.focus();
  }

  /** A form opened from the menu (snooze times, new deal) takes focus; Escape brings it back to "More". */
  async #openForm(form: 'snooze' | 'deal'): Promise<void> {
    this.#closeMore(false);
    this.snoozeOpen = form === 'snooze';
    this.dealOpen = form === 'deal';
    this.dealNotice = null;
    const sales = this.activeClient?.sales;
    if (form === 'deal' && sales && !sales.pipelinesLoaded) void sales.loadPipelines().catch(() => undefined);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(form === 'snooze' ? '[part="snooze-menu"] button' : '[part="deal-form"] select, [part="deal-form"] input')?.focus();
  }

  readonly #closeOnEscape = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    this.snoozeOpen = false;
    this.dealOpen = false;
    this.moreButton?.focus();
  };

  #onMoreButtonKeydown(event: KeyboardEvent): void {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    void this.#openMore(event.key === 'ArrowDown' ? 'first' : 'last');
  }

  #onMoreMenuKeydown(event: KeyboardEvent): void {
    const items = this.#moreItems;
    const index = items.indexOf(event.composedPath()[0] as HTMLElement);
    const focusAt = (next: number) => items[(next + items.length) % items.length]?.focus();
    switch (event.key) {
      case 'ArrowDown':
        focusAt(index + 1);
        break;
      case 'ArrowUp':
        focusAt(index - 1);
        break;
      case 'Home':
        focusAt(0);
        break;
      case 'End':
        focusAt(items.length - 1);
        break;
      case 'Escape':
        this.#closeMore(true);
        break;
      case 'Tab':
        this.moreOpen = false;
        return;
      default:
        return;
    }
    event.preventDefault();
  }

  /** Focus leaving the menu (a click elsewhere, Tab) closes it. */
  #onMoreFocusOut(event: FocusEvent): void {
    const next = event.relatedTarget as Node | null;
    const menu = this.renderRoot.querySelector('#more-menu');
    if (this.moreOpen && !(next && menu?.contains(next)) && next !== this.moreButton) this.moreOpen = false;
  }

  #renderLabels(conversation: Conversation) {
    const editable = this.activeClient && !this.#readonly;
    if (!editable && conversation.labels.length === 0) return nothing;
    return html`<div part="labels">
      ${conversation.labels.map(
        (label) => html`<span class="chip"
          >${label}${editable
            ? html`<button
                class="chip-remove"
                aria-label=${this.i18n.t('actions.removeLabel', { label })}
                @click=${() => this.#update({ labels: conversation.labels.filter((l) => l !== label) })}
              >
                ×
              </button>`
            : nothing}</span
        >`,
      )}
      ${editable
        ? html`<input class="chip-input label-input" maxlength="40" aria-label=${this.i18n.t('actions.addLabel')} placeholder=${this.i18n.t('actions.addLabel')} @keydown=${this.#addLabel} />`
        : nothing}
    </div>`;
  }

  #renderLog() {
    const client = this.activeClient;
    const state = client && this.conversationId ? client.messages(this.conversationId) : null;
    const virtualizer = this.#virtual.virtualizer;
    const rows = this.#rows;
    return html`<div class="log-wrap">
      <div
        part="log"
        role="log"
        aria-live="polite"
        aria-relevant="additions"
        aria-label=${this.i18n.t('thread.history')}
        tabindex="0"
        @scroll=${this.#onScroll}
      >
        ${state?.loaded && state.hasMore
          ? html`<button class="secondary load-older" @click=${this.#loadOlder} ?disabled=${state.loading}>
              ${state.loading ? this.i18n.t('common.loading') : this.i18n.t('thread.loadOlder')}
            </button>`
          : nothing}
        ${state && !state.loaded && state.loading ? html`<p class="state" role="status">${this.i18n.t('common.loading')}</p>` : nothing}
        ${state?.error && !state.loaded
          ? html`<div class="state" role="alert">
              <p>${this.i18n.t('thread.error')}: ${state.error.message}</p>
              <button class="secondary" @click=${() => client!.loadMessages(this.conversationId!)}>${this.i18n.t('common.retry')}</button>
            </div>`
          : nothing}
        ${rows.length === 0 && (!state || state.loaded) ? html`<p class="state">${this.i18n.t('thread.noMessages')}</p>` : nothing}
        <div class="rows" style=${styleMap({ height: `${virtualizer.getTotalSize()}px` })}>
          ${repeat(
            virtualizer.getVirtualItems(),
            (item) => item.key,
            (item) => {
              const row = rows[item.index];
              return row
                ? html`<div class="row" data-index=${item.index} style="transform: translateY(${item.start}px)" ${ref(this.#measure)}>
                    ${this.#renderRow(row)}
                  </div>`
                : nothing;
            },
          )}
        </div>
      </div>
      ${this.awayFromEnd
        ? html`<button part="jump" class="jump" @click=${this.#jumpToLatest}>↓ ${this.i18n.t('thread.jumpToLatest')}</button>`
        : nothing}
    </div>
    ${this.#renderTyping()}`;
  }

  #renderTyping() {
    const client = this.activeClient;
    const typist = client && this.conversationId ? client.typingIn(this.conversationId) : null;
    const name = typist ? (typist.name ?? this.#contact?.name ?? this.i18n.t('thread.someone')) : this.typing;
    return html`<div part="typing" role="status" aria-live="polite">
      ${name ? html`<span class="dots" aria-hidden="true"><i></i><i></i><i></i></span> ${this.i18n.t('thread.typing', { name })}` : nothing}
    </div>`;
  }

  #renderRow(row: ThreadRow) {
    switch (row.kind) {
      case 'day':
        return html`<div class="day" role="separator">${this.#dayLabel(row.at)}</div>`;
      case 'unread':
        return html`<div class="unread-marker" role="separator">${this.i18n.t('thread.newMessages', { count: row.count })}</div>`;
      case 'message':
        return this.#renderMessage(row.message);
    }
  }

  #dayLabel(iso: string): string {
    const date = new Date(iso);
    const today = new Date();
    const yesterday = new Date(Date.now() - 86_400_000);
    if (date.toDateString() === today.toDateString()) return this.i18n.t('thread.today');
    if (date.toDateString() === yesterday.toDateString()) return this.i18n.t('thread.yesterday');
    return this.i18n.date(iso);
  }

  #renderMessage(message: Message) {
    const mine = message.senderKind === 'agent' && message.senderId !== null && message.senderId === this.activeClient?.me?.id;
    const sender = message.senderKind === 'system' ? null : mine ? this.i18n.t('thread.you') : message.senderName;
    const bubble = renderWith(
      this.renderMessage,
      message,
      () => html`${this.#messageContent(message)}`,
      () => ({ mine, conversation: this.#conversation, contact: this.#contact }),
    );
    return html`<div
      part="message${message.private ? ' message-note' : ''}"
      data-direction=${message.direction}
      data-kind=${message.senderKind}
      data-status=${message.status}
      ?data-private=${message.private && message.senderKind !== 'system'}
      ?data-revealed=${this.revealed === message.id}
      tabindex=${this.revealed === message.id ? '-1' : nothing}
    >
      ${sender ? html`<span class="sender">${sender}</span>` : nothing}
      <div part="bubble${bubble.custom ? ' bubble-custom' : ''}">${bubble.content}</div>
      ${message.senderKind === 'system' ? nothing : this.#renderMeta(message)}
    </div>`;
  }

  /** Charla's own content of a message: the system line, or what the customer or agent sent. */
  #messageContent(message: Message) {
    if (message.senderKind === 'system') {
      return systemLineIn(this.i18n.lang, message, { channel: (channel) => this.i18n.t(`channel.${channel}` as StringKey), when: (iso) => this.#when(iso) });
    }
    const content = messageContent(message, (key, values) => this.i18n.t(key, values), this.#resolveMedia);
    const email = emailOf(message);
    if (!email) return content;
    const formatted = Boolean(email.html) && !this.emailAsText.has(message.id);
    const toggle = () => {
      const next = new Set(this.emailAsText);
      if (next.has(message.id)) next.delete(message.id);
      else next.add(message.id);
      this.emailAsText = next;
    };
    return html`${email.subject ? html`<span class="subject" part="email-subject">${this.i18n.t('content.emailSubject', { subject: email.subject })}</span>` : nothing}${formatted
      ? html`<iframe class="email-frame" part="email-frame" sandbox="" referrerpolicy="no-referrer" loading="lazy"
          title=${this.i18n.t('content.emailFrame')} srcdoc=${emailDocument(email.html!)}></iframe>`
      : content}${email.html
      ? html`<button type="button" class="email-toggle" part="email-toggle" aria-pressed=${formatted ? 'false' : 'true'} @click=${toggle}
          >${this.i18n.t(formatted ? 'content.emailAsText' : 'content.emailFormatted')}</button>`
      : nothing}`;
  }

  #renderMeta(message: Message) {
    const failed = message.status === 'failed';
    return html`<span class="meta">
      ${message.private ? html`<span class="note-tag">${this.i18n.t('thread.note')}</span>` : nothing}
      <time datetime=${message.createdAt}>${this.i18n.time(message.createdAt)}</time>
      ${message.direction === 'out' && !message.private
        ? html`<span class="tick" data-status=${message.status} title=${this.i18n.t(`delivery.${message.status}`)}
            ><span aria-hidden="true">${TICKS[message.status]}</span><span class="visually-hidden"
              >${this.i18n.t(`delivery.${message.status}`)}</span
            ></span
          >`
        : nothing}
      ${failed
        ? html`<span class="failed">${this.i18n.t('delivery.failed')}${message.error ? `: ${message.error}` : ''}</span>
            ${message.clientId
              ? html`<button class="small" @click=${() => this.#retry(message.clientId!)}>${this.i18n.t('common.retry')}</button>
                  <button class="small" @click=${() => this.activeClient?.discard(message.clientId!)}>
                    ${this.i18n.t('delivery.discard')}
                  </button>`
              : nothing}`
        : nothing}
    </span>`;
  }

  #retry(clientId: string): void {
    if (this.emit('charla-message-retry', { detail: { clientId }, cancelable: true })) this.activeClient?.retry(clientId);
  }

  #renderComposer() {
    if (this.#readonly) {
      return html`<div part="composer"><span class="hint">${this.i18n.t('composer.viewer')}</span></div>`;
    }
    const over = this.body.length - LIMITS.messageBody;
    const mode = this.note ? 'note' : 'reply';
    const window = this.#window();
    const modes = html`<div class="modes" role="group" aria-label=${this.i18n.t('composer.mode')}>
      <button aria-pressed=${this.note ? 'false' : 'true'} @click=${() => this.#setNote(false)}>${this.i18n.t('composer.reply')}</button>
      <button aria-pressed=${this.note ? 'true' : 'false'} @click=${() => this.#setNote(true)}>${this.i18n.t('composer.note')}</button>
      ${this.note
        ? html`<span class="hint">${this.i18n.t('thread.noteHint')}</span>`
        : window.state === 'open' && window.hoursLeft < 24 * 7
          ? html`<span class="hint">${this.i18n.t('composer.windowOpen', { hours: window.hoursLeft })}</span>`
          : nothing}
      ${!this.note && window.state !== 'closed'
        ? html`${this.#replies.renderButton(this.i18n, () => this.#askReplies())}${this.#renderQuoteButton()}`
        : nothing}
    </div>`;
    const followUps = this.#followUps;
    if (followUps.length > 0 && !this.#followUp) void this.#loadDrafts();
    const followUp = this.#followUp?.render(this.i18n, this.activeClient, followUps, window.state === 'closed') ?? nothing;
    if (!this.note && window.state === 'closed') {
      return html`<div part="composer" data-mode="template">${followUp}${modes}${this.#renderTemplates(window.channel)}</div>`;
    }
    return html`<div part="composer" data-mode=${mode}>
      ${followUp}
      ${modes}
      ${this.note || !this.#quote ? nothing : this.#quote.renderEditor(this.i18n, this.activeClient, this.conversationId ?? this.conversation?.id ?? null)}
      ${this.note ? nothing : this.#replies.renderList(this.i18n, (text) => this.#useReply(text))}
      ${this.#renderSuggestions()}
      ${this.#byEmail ? this.#renderEmailFields() : nothing}
      <div class="composer-row">
        <textarea
          rows="2"
          .value=${live(this.body)}
          aria-label=${this.note ? this.i18n.t('composer.placeholderNote') : this.i18n.t('composer.placeholderReply')}
          placeholder=${this.note ? this.i18n.t('composer.placeholderNote') : this.i18n.t('composer.placeholderReply')}
          aria-controls="suggestions"
          aria-activedescendant=${this.suggestions.length > 0 ? `suggestion-${this.suggestionIndex}` : nothing}
          @input=${this.#onInput}
          @keydown=${this.#onKeydown}
          @blur=${() =>
            setTimeout(() => {
              this.#suggestFor = null;
              this.suggestions = [];
            }, 150)}
        ></textarea>
        <button class="primary" ?disabled=${!this.body.trim() || over > 0 || (this.#byEmail && Boolean(this.#badCc()))} @click=${this.#send}>
          ${this.note ? this.i18n.t('composer.addNote') : this.i18n.t('composer.send')}
        </button>
      </div>
      ${over > 0 ? html`<span class="hint error" role="alert">${this.i18n.t('composer.tooLong', { count: over })}</span>` : nothing}
    </div>`;
  }

  /** The conversation's re-engagement drafts waiting for approval. */
  get #followUps(): readonly FollowUpDraft[] {
    const client = this.activeClient;
    if (!client || this.#readonly) return client ? [] : this.followUps;
    return this.conversationId ? client.ai.followUps(this.conversationId).items : [];
  }

  #renderQuoteButton() {
    const loading = this.#quote?.loading ?? false;
    return html`<button class="draft-quote" ?disabled=${loading} aria-busy=${loading ? 'true' : 'false'} aria-expanded=${this.#quote?.open ? 'true' : 'false'}
      @click=${() => this.#askQuote()}>${loading ? this.i18n.t('composer.draftingQuote') : this.i18n.t('composer.draftQuote')}</button>`;
  }

  /** Loads the quote editor and the drafts' view once, with their styles; resolves with the quote editor. */
  async #loadDrafts(): Promise<QuoteDraftController> {
    if (this.#quote) return this.#quote;
    const drafts = await (loadingDrafts ??= import('./ai-drafts.js'));
    if (this.#quote) return this.#quote;
    const root = this.renderRoot as ShadowRoot;
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, ...[drafts.quoteDraftStyles, drafts.followUpStyles].flatMap((style) => style.styleSheet ?? [])];
    const shown = this.conversationId ?? this.conversation?.id ?? null;
    this.#quote = new drafts.QuoteDraftController(
      this,
      (detail) => this.emit('charla-quote-draft', { detail, cancelable: true }),
      (detail) => this.emit('charla-quote-send', { detail, cancelable: true }),
    );
    this.#followUp = new drafts.FollowUpController(this, (decision, detail) =>
      this.emit(decision === 'approve' ? 'charla-follow-up-approve' : 'charla-follow-up-dismiss', { detail, cancelable: true }));
    this.#quote.forConversation(shown);
    this.#followUp.forConversation(shown);
    this.requestUpdate();
    return this.#quote;
  }

  #askQuote(): void {
    const conversationId = this.conversationId ?? this.conversation?.id;
    if (conversationId) void this.#loadDrafts().then((quote) => quote.request(this.activeClient, conversationId));
  }

  #askReplies(): void {
    const conversationId = this.conversationId ?? this.conversation?.id;
    if (conversationId) void this.#replies.request(this.activeClient, conversationId);
  }

  /** A suggested reply goes into the composer for the agent to edit and send. */
  #useReply(text: string): void {
    this.body = text;
    this.#replies.clear();
    void this.updateComplete.then(() => {
      this.textarea?.focus();
      this.textarea?.setSelectionRange(text.length, text.length);
    });
  }

  #renderSuggestions() {
    const kind = this.suggestions[0]?.kind;
    return html`<ul
      id="suggestions"
      part="suggestions"
      role="listbox"
      aria-label=${kind === 'mention' ? this.i18n.t('composer.mentions') : this.suggestions.some((s) => s.kind === 'action') ? this.i18n.t('composer.slashMenu') : this.i18n.t('composer.canned')}
      ?hidden=${this.suggestions.length === 0}
    >
      ${this.suggestions.map(
        (suggestion, index) => html`<li
          id="suggestion-${index}"
          role="option"
          aria-selected=${index === this.suggestionIndex ? 'true' : 'false'}
          @mousedown=${(event: Event) => {
            event.preventDefault();
            this.#choose(suggestion);
          }}
        >
          <strong>${suggestion.label}</strong> <span>${suggestion.detail}</span>
        </li>`,
      )}
    </ul>`;
  }

  /** The channel's customer-service window: replies are free text only while it is open. */
  #window(): { state: 'none' } | { state: 'open'; hoursLeft: number } | { state: 'closed'; channel: 'whatsapp' | 'instagram' | 'messenger' } {
    const conversation = this.#conversation;
    if (!conversation || (conversation.channel !== 'whatsapp' && conversation.channel !== 'instagram' && conversation.channel !== 'messenger')) return { state: 'none' };
    if (conversation.windowExpiresAt === undefined) return { state: 'none' };
    const left = conversation.windowExpiresAt ? Date.parse(conversation.windowExpiresAt) - Date.now() : 0;
    if (left <= 0) return { state: 'closed', channel: conversation.channel };
    return { state: 'open', hoursLeft: Math.max(1, Math.round(left / 3_600_000)) };
  }

  #renderTemplates(channel: 'whatsapp' | 'instagram' | 'messenger') {
    if (channel !== 'whatsapp') {
      return html`<p class="window-closed" role="status">${this.i18n.t(channel === 'instagram' ? 'composer.instagramClosed' : 'composer.messengerClosed')}</p>`;
    }
    const client = this.activeClient;
    const templates = (client ? client.templates().items : this.templates).filter((t) => t.status === 'APPROVED');
    const key = (t: MessageTemplate) => `${t.name}|${t.language}`;
    const chosen = templates.find((t) => key(t) === this.templateKey) ?? templates[0];
    const body = String(chosen?.components.find((c) => String(c['type']).toUpperCase() === 'BODY')?.['text'] ?? '');
    const slots = [...new Set(body.match(/\{\{\d+\}\}/g) ?? [])].length;
    const values = Array.from({ length: slots }, (_, i) => this.templateParameters[i] ?? '');
    const preview = body.replace(/\{\{(\d+)\}\}/g, (whole, n: string) => values[Number(n) - 1] || whole);
    const ready = chosen !== undefined && values.every((value) => value.trim());
    return html`<p class="window-closed" role="status">${this.i18n.t('composer.windowClosed')}</p>
      ${templates.length === 0
        ? html`<p class="hint">${this.i18n.t('composer.noTemplates')}</p>`
        : html`<div class="template-form">
            <label
              >${this.i18n.t('composer.template')}
              <select
                class="control"
                @change=${(event: Event) => {
                  this.templateKey = (event.target as HTMLSelectElement).value;
                  this.templateParameters = [];
                }}
              >
                ${templates.map((t) => html`<option value=${key(t)} ?selected=${t === chosen}>${t.name} (${t.language})</option>`)}
              </select></label
            >
            ${values.map(
              (value, index) => html`<label
                >{{${index + 1}}}
                <input
                  class="control"
                  .value=${live(value)}
                  maxlength="1024"
                  @input=${(event: InputEvent) => {
                    const next = [...values];
                    next[index] = (event.target as HTMLInputElement).value;
                    this.templateParameters = next;
                  }}
              /></label>`,
            )}
            <p class="template-preview" aria-label=${this.i18n.t('composer.preview')}>${preview}</p>
            <button class="primary" ?disabled=${!ready} @click=${() => chosen && this.#sendTemplate(chosen, values)}>
              ${this.i18n.t('composer.sendTemplate')}
            </button>
            ${this.templateError ? html`<p class="hint error" role="alert">${this.templateError}</p>` : nothing}
          </div>`}`;
  }

  async #sendTemplate(template: MessageTemplate, parameters: string[]): Promise<void> {
    const client = this.activeClient;
    if (!client || !this.conversationId) return;
    this.templateError = null;
    try {
      await client.sendTemplate(this.conversationId, template.name, template.language, parameters);
      this.templateParameters = [];
      this.#jumpToLatest();
    } catch (error) {
      this.templateError = (error as Error).message;
    }
  }

  #setNote(note: boolean): void {
    this.note = note;
    this.textarea?.focus();
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'charla-message-send': CustomEvent<MessageSendDetail>;
    'charla-message-retry': CustomEvent<MessageRetryDetail>;
  }
}
