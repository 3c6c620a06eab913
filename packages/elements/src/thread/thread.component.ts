import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import type { CharlaClient } from '@charla/client';
import type { Contact, Conversation, Message } from '@charla/protocol';
import { LIMITS } from '@charla/protocol/constants';
import { CharlaElement } from '../base/charla-element.js';
import { ClientElement } from '../controllers/client-element.js';
import { avatar, avatarStyles, channelBadge, contactLabel } from '../shared/avatar.js';
import { threadStyles } from './thread.styles.js';

export interface MessageSendDetail {
  conversationId: string;
  body: string;
  private: boolean;
}

export interface MessageRetryDetail {
  clientId: string;
}

/** Unsent text per conversation, so switching conversations never loses a draft. */
const drafts = new Map<string, { body: string; note: boolean }>();

const TICKS: Record<Message['status'], string> = { pending: '◷', sent: '✓', delivered: '✓✓', read: '✓✓', failed: '!' };

/**
 * One conversation: its history (`role="log"`), day separators, delivery state of every reply,
 * private notes set apart, and a composer that sends replies or notes (Enter sends, Shift+Enter
 * adds a line). Drafts survive switching conversations.
 *
 * @tag charla-thread
 * @event charla-message-send - The user sent a reply or note (cancelable: cancel it to send it yourself). `detail: {conversationId, body, private}`.
 * @event charla-message-retry - The user asked to resend a failed message. `detail.clientId`.
 * @csspart header - Contact, channel and conversation actions.
 * @csspart log - The scrolling message history.
 * @csspart message - One message (with sender and delivery state).
 * @csspart bubble - A message's text.
 * @csspart composer - The reply/note editor.
 * @csspart avatar - The contact's avatar.
 * @csspart channel - The channel badge.
 * @cssproperty --charla-thread-background - Background behind the messages.
 */
export class CharlaThread extends ClientElement {
  static override styles = [CharlaElement.styles, avatarStyles, threadStyles];

  /** The conversation shown. */
  @property({ attribute: 'conversation-id' }) conversationId: string | null = null;

  /** Data mode: the conversation (when there is no client). */
  @property({ attribute: false }) conversation: Conversation | null = null;
  /** Data mode: its contact. */
  @property({ attribute: false }) contact: Contact | null = null;
  /** Data mode: its messages, oldest first. */
  @property({ attribute: false }) messages: Message[] = [];
  /** Read-only: no composer or actions (viewers get this automatically). */
  @property({ type: Boolean, reflect: true }) readonly = false;

  @state() private body = '';
  @state() private note = false;
  @query('[part="log"]') private log?: HTMLElement;
  @query('textarea') private textarea?: HTMLTextAreaElement;
  #stickToBottom = true;
  #restoreFrom: { height: number; top: number } | null = null;

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
      this.#stickToBottom = true;
      if (this.activeClient) this.#open(this.activeClient);
    }
    // Decide before rendering whether new messages should keep the view at the bottom.
    const log = this.log;
    if (log && !this.#restoreFrom) this.#stickToBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 48;
  }

  protected override updated(): void {
    const log = this.log;
    if (!log) return;
    if (this.#restoreFrom) {
      log.scrollTop = log.scrollHeight - this.#restoreFrom.height + this.#restoreFrom.top;
      this.#restoreFrom = null;
    } else if (this.#stickToBottom) {
      log.scrollTop = log.scrollHeight;
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
  }

  #loadOlder(): void {
    const client = this.activeClient;
    const log = this.log;
    if (!client || !this.conversationId || !log) return;
    this.#restoreFrom = { height: log.scrollHeight, top: log.scrollTop };
    void client.loadMessages(this.conversationId, { older: true });
  }

  #onScroll(): void {
    const log = this.log;
    const client = this.activeClient;
    if (!log || !client || !this.conversationId) return;
    const messages = client.messages(this.conversationId);
    if (log.scrollTop < 80 && messages.hasMore && messages.loaded && !messages.loading) this.#loadOlder();
  }

  #send(): void {
    const conversationId = this.conversationId ?? this.conversation?.id;
    const body = this.body;
    if (!conversationId || !body.trim() || body.length > LIMITS.messageBody || this.#readonly) return;
    const detail = { conversationId, body, private: this.note };
    if (!this.emit('charla-message-send', { detail, cancelable: true })) return;
    this.activeClient?.send(conversationId, body, { private: this.note });
    this.body = '';
    drafts.delete(conversationId);
    this.#stickToBottom = true;
  }

  #onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.#send();
    }
  }

  async #setStatus(status: Conversation['status']): Promise<void> {
    const conversation = this.#conversation;
    if (!conversation) return;
    await this.activeClient?.updateConversation({ conversationId: conversation.id, status }).catch(() => undefined);
  }

  protected override render() {
    const conversation = this.#conversation;
    if (!conversation && !this.conversationId) {
      return html`<p class="state">${this.i18n.t('thread.empty')}</p>`;
    }
    return html`${this.#renderHeader(conversation)}${this.#renderLog()}${this.#renderComposer()}`;
  }

  #renderHeader(conversation: Conversation | null) {
    if (!conversation) return html`<div part="header"><span class="who"><strong>${this.i18n.t('common.loading')}</strong></span></div>`;
    const contact = this.#contact;
    const name = contactLabel(contact, conversation.channel, (key) => this.i18n.t(key));
    const channel = this.i18n.t(`channel.${conversation.channel}`);
    const resolved = conversation.status === 'resolved';
    return html`<div part="header">
      ${avatar(conversation.contactId, contact?.name, contact?.avatarUrl)}
      <span class="who">
        <strong>${name}</strong>
        <span
          >${channelBadge(conversation.channel, channel)} ${channel}
          <span class="status-pill" data-status=${conversation.status}>${this.i18n.t(`status.${conversation.status}`)}</span></span
        >
      </span>
      ${this.activeClient && !this.#readonly
        ? html`<button class="secondary" @click=${() => this.#setStatus(resolved ? 'open' : 'resolved')}>
            ${resolved ? this.i18n.t('thread.reopen') : this.i18n.t('thread.resolve')}
          </button>`
        : nothing}
    </div>`;
  }

  #renderLog() {
    const client = this.activeClient;
    const state = client && this.conversationId ? client.messages(this.conversationId) : null;
    const messages = this.#messages;
    let lastDay = '';
    return html`<div
      part="log"
      role="log"
      aria-live="polite"
      aria-relevant="additions"
      aria-label=${this.i18n.t('inbox.label')}
      tabindex="0"
      @scroll=${this.#onScroll}
    >
      ${state?.loaded && state.hasMore
        ? html`<button class="secondary" style="align-self:center" @click=${this.#loadOlder} ?disabled=${state.loading}>
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
      ${messages.length === 0 && (!state || state.loaded) ? html`<p class="state">${this.i18n.t('thread.noMessages')}</p>` : nothing}
      ${repeat(
        messages,
        (message) => message.clientId ?? message.id,
        (message) => {
          const day = message.createdAt.slice(0, 10);
          const separator = day !== lastDay ? html`<div class="day" role="separator">${this.#dayLabel(message.createdAt)}</div>` : nothing;
          lastDay = day;
          return html`${separator}${this.#renderMessage(message)}`;
        },
      )}
    </div>`;
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
    return html`<div
      part="message${message.private ? ' message-note' : ''}"
      data-direction=${message.direction}
      data-kind=${message.senderKind}
      data-status=${message.status}
      ?data-private=${message.private && message.senderKind !== 'system'}
    >
      ${sender ? html`<span class="sender">${sender}</span>` : nothing}
      <div part="bubble">${message.body}</div>
      ${message.senderKind === 'system' ? nothing : this.#renderMeta(message)}
    </div>`;
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
    return html`<div part="composer" data-mode=${mode}>
      <div class="modes" role="group" aria-label=${this.i18n.t('composer.mode')}>
        <button aria-pressed=${this.note ? 'false' : 'true'} @click=${() => this.#setNote(false)}>${this.i18n.t('composer.reply')}</button>
        <button aria-pressed=${this.note ? 'true' : 'false'} @click=${() => this.#setNote(true)}>${this.i18n.t('composer.note')}</button>
        ${this.note ? html`<span class="hint">${this.i18n.t('thread.noteHint')}</span>` : nothing}
      </div>
      <div class="row">
        <textarea
          rows="2"
          .value=${live(this.body)}
          aria-label=${this.note ? this.i18n.t('composer.placeholderNote') : this.i18n.t('composer.placeholderReply')}
          placeholder=${this.note ? this.i18n.t('composer.placeholderNote') : this.i18n.t('composer.placeholderReply')}
          @input=${(event: InputEvent) => (this.body = (event.target as HTMLTextAreaElement).value)}
          @keydown=${this.#onKeydown}
        ></textarea>
        <button class="primary" ?disabled=${!this.body.trim() || over > 0} @click=${this.#send}>
          ${this.note ? this.i18n.t('composer.addNote') : this.i18n.t('composer.send')}
        </button>
      </div>
      ${over > 0 ? html`<span class="hint error" role="alert">${this.i18n.t('composer.tooLong', { count: over })}</span>` : nothing}
    </div>`;
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
