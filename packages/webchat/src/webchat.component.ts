import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import { LIMITS, type DeliveryStatus } from '@charla/protocol/constants';
import { imageSource } from '@charla/protocol/urls';
import type { PreChatAnswers, PreChatField, PreChatFieldMode, VisitorIdentity, VisitorMessage } from '@charla/protocol';
import type { ConnectionState, VisitorClient } from '@charla/client';
import { LocaleController } from './locale-controller.js';
import { readableTextOn } from './loader/options.js';
import { VisitorClientController } from './visitor-client-controller.js';
import { dayKey, formatDay, formatTime, initials, splitLinks } from './format.js';
import type { WebchatStrings } from './i18n.js';
import { webchatEvent } from './webchat.events.js';
import {
  alertIcon, arrowDownIcon, checkIcon, clockIcon, closeIcon, doubleCheckIcon, offlineIcon, sendIcon,
} from './icons.js';
import { webchatStyles } from './webchat.styles.js';

/** What the panel shows, whether it comes from a live client or from plain data properties. */
interface WebchatView {
  state: ConnectionState;
  messages: readonly VisitorMessage[];
  /** Older messages exist before the first one shown. */
  hasMore: boolean;
  loading: boolean;
  /** The newest page has been fetched (or data was given). */
  loaded: boolean;
  error: Error | null;
  workspaceName: string | undefined;
  greeting: string | null | undefined;
  agentName: (message: VisitorMessage) => string | null;
  /** No agent online, or outside business hours. */
  away: boolean;
  /** The pre-chat form to fill before the first message, or null. */
  preChat: PreChatForm | null;
  /** Name of the agent typing (null: unnamed), or undefined when no one is. */
  typist: string | null | undefined;
  /** The agent the conversation is assigned to. */
  assignee: { name: string; avatarUrl: string | null } | undefined;
}

/** How the pre-chat form asks each field (fields left out are not asked). */
export type PreChatForm = Partial<Record<PreChatField, PreChatFieldMode>>;

/** Pre-chat fields in the order the form shows them, with their input types. */
const FORM_FIELDS = [['name', 'text', 'name'], ['email', 'email', 'email'], ['phone', 'tel', 'tel']] as const;

type Row =
  | { kind: 'day'; key: string; label: string }
  | { kind: 'message'; key: string; message: VisitorMessage; mine: boolean; first: boolean; last: boolean };

/** Two messages of one sender a few minutes apart share one bubble group (one name, one time). */
const GROUP_WINDOW_MS = 5 * 60_000;
/** How close to the bottom (px) still counts as reading the newest messages. */
const BOTTOM_SLACK = 40;
/** Messages drawn at first, and how many more each "Load earlier messages" draws. */
const WINDOW = 200;
const WINDOW_STEP = 100;
/** Show the remaining characters once a draft gets this close to the limit. */
const COUNTER_FROM = LIMITS.messageBody - 200;

const STATUS_ICONS: Record<DeliveryStatus, TemplateResult> = {
  pending: clockIcon,
  sent: checkIcon,
  delivered: doubleCheckIcon,
  read: doubleCheckIcon,
  failed: alertIcon,
};

const fromBusiness = (message: VisitorMessage) => message.direction === 'out';
const isLocal = (message: VisitorMessage) => message.id.startsWith('local:');
const messageKey = (message: VisitorMessage) => message.clientId ?? message.id;

/**
 * The visitor's side of a conversation with a business: header, message log, composer.
 * Connects by itself with `workspace` (and `server`), uses a given `.client`, or renders plain
 * data (`.messages`, `state`) for stories and static pages.
 *
 * @tag charla-webchat
 * @summary Visitor webchat panel.
 *
 * @attribute lang - Locale of the texts (`es`, `en`, `pt`); defaults to the document's, then the browser's.
 *
 * @event charla-webchat-close - The visitor asked to close the chat (close button or Escape).
 * @event charla-webchat-send - The visitor sent a message. `detail: { body, clientId }`.
 * @event charla-webchat-message - A message was newly stored in the conversation (not loaded from history). `detail: { message }`.
 *
 * @csspart base - The panel's frame.
 * @csspart header - The top bar with the workspace name.
 * @csspart avatar - Photo or initials of the answering agent (or initials of the workspace).
 * @csspart title - The workspace name.
 * @csspart subtitle - Who is answering, or the usual reply time.
 * @csspart close-button - The button that closes the chat.
 * @csspart banner - The connection notice (reconnecting).
 * @csspart log - The scrolling message list.
 * @csspart load-more - The "Load earlier messages" button.
 * @csspart skeleton - Placeholder bubbles while the first connection is made.
 * @csspart day - A day divider.
 * @csspart message - One message (with `message-visitor` or `message-agent`).
 * @csspart sender - The name above an agent's messages.
 * @csspart bubble - The text of a message.
 * @csspart link-card - A link an agent sent as a card (a payment link): a button under the message's text.
 * @csspart meta - Time and delivery state under a message.
 * @csspart status - The delivery state of a visitor's message.
 * @csspart retry-button - Sends a failed message again.
 * @csspart discard-button - Gives up on a failed message.
 * @csspart new-messages - The button that jumps to messages that arrived while scrolled up.
 * @csspart typing - The dots shown while an agent is typing (a status for screen readers).
 * @csspart away - The notice shown while no one can answer, with its email field.
 * @csspart pre-chat - The form asked before the first message (in place of the composer).
 * @csspart input - A field of the away or pre-chat form.
 * @csspart form-button - The button of the away or pre-chat form.
 * @csspart unavailable - The notice shown when the chat cannot be used (unknown workspace).
 * @csspart composer - The form at the bottom.
 * @csspart textarea - The message field.
 * @csspart counter - Characters used, shown near the length limit.
 * @csspart send-button - The send button.
 *
 * @cssproperty --charla-webchat-primary - Header, visitor bubbles, buttons. Falls back to `--charla-color-primary`.
 * @cssproperty --charla-webchat-on-primary - Text on the primary color. Falls back to `--charla-color-primary-text`.
 * @cssproperty --charla-webchat-surface - Panel background. Falls back to `--charla-color-surface`.
 * @cssproperty --charla-webchat-surface-alt - Agent bubbles and the message field. Falls back to `--charla-color-surface-sunken`.
 * @cssproperty --charla-webchat-text - Text color. Falls back to `--charla-color-text`.
 * @cssproperty --charla-webchat-text-muted - Names, times, placeholders. Falls back to `--charla-color-text-muted`.
 * @cssproperty --charla-webchat-border - Separators. Falls back to `--charla-color-border`.
 * @cssproperty --charla-webchat-danger - Failed messages. Falls back to `--charla-color-danger`.
 * @cssproperty --charla-webchat-radius - Corner radius of the panel. Falls back to `--charla-radius-l`.
 * @cssproperty --charla-webchat-bubble-radius - Corner radius of the bubbles.
 * @cssproperty --charla-webchat-font - Font family. Falls back to `--charla-font-family`.
 * @cssproperty --charla-webchat-shadow - Shadow of the panel.
 * @cssproperty --charla-webchat-height - Height of the element (default: its container's).
 * @cssproperty --charla-webchat-visitor-bubble - Background of the visitor's bubbles.
 * @cssproperty --charla-webchat-visitor-bubble-text - Text of the visitor's bubbles.
 * @cssproperty --charla-webchat-agent-bubble - Background of the business's bubbles.
 * @cssproperty --charla-webchat-agent-bubble-text - Text of the business's bubbles.
 */
export class CharlaWebchat extends LitElement {
  static override styles = webchatStyles;

  /** The workspace's public widget key; with it the element connects by itself. */
  @property() workspace = '';

  /** Origin of the Charla server. Defaults to the page's origin. */
  @property() server = '';

  /** Overrides the workspace's greeting, shown as the first message. */
  @property() greeting = '';

  /** Workspace name for the header in data mode (a connected client knows it). */
  @property({ attribute: 'workspace-name' }) workspaceName = '';

  /**
   * `dark` uses the dark palette, `dark="auto"` follows the system's preference; without it the
   * light palette, or the page's global `--charla-color-*` tokens when it defines them.
   */
  @property({
    reflect: true,
    converter: {
      fromAttribute: (value: string | null) => (value === null ? false : value === 'auto' ? 'auto' : true),
      toAttribute: (value: boolean | 'auto') => (value === 'auto' ? 'auto' : value ? '' : null),
    },
  })
  dark: boolean | 'auto' = false;

  /** A client to use instead of creating one (shared, or prepared in tests). */
  @property({ attribute: false }) client: VisitorClient | undefined;

  /** Data mode: the conversation's messages, oldest first. */
  @property({ attribute: false }) messages: readonly VisitorMessage[] = [];

  /** Data mode: the connection state to show. */
  @property() state: ConnectionState = 'online';

  /** Data mode: whether to offer "Load earlier messages". */
  @property({ type: Boolean, attribute: 'has-more' }) hasMore = false;

  /** Data mode: show the away notice (no agent online or outside business hours). */
  @property({ type: Boolean }) away = false;

  /** Data mode: the pre-chat form to show instead of the composer. */
  @property({ attribute: false }) preChat: PreChatForm | null = null;

  /** Data mode: the name of the agent typing (`typing="Ana"`). */
  @property() typing: string | undefined;

  /** Keeps Tab inside the chat (set while it covers the page, as on phones). */
  @property({ type: Boolean, reflect: true }) modal = false;

  @state() private draft = '';
  /** The email the visitor left while away (then thanked instead of asked again). */
  @state() private awayEmail = '';
  /** Fields of a form the server refused (shown with an error). */
  @state() private invalidFields: readonly string[] = [];
  /** The pre-chat form was sent from this device. */
  @state() private preChatSent = false;
  #surveyCard?: typeof import('./survey-card.js');
  /** New messages arrived while the visitor was reading older ones. */
  @state() private unseen = false;

  @query('.log') private logElement?: HTMLElement;
  @query('textarea') private textarea?: HTMLTextAreaElement;

  readonly #locale = new LocaleController(this);
  readonly #connection = new VisitorClientController(this);
  /** createdAt of the newest stored message already announced; undefined before the first page. */
  #newestAnnounced: string | undefined;
  /** Keys of the first and last message rendered, to tell new messages from older ones. */
  #edges = { first: '', last: '' };
  #scrollPlan: 'bottom' | { top: number; height: number } | null = null;
  #forceScroll = true;
  #window = WINDOW;

  /** Moves focus to the message field (or to the close button when the chat is unavailable). */
  override focus(options?: FocusOptions): void {
    void this.updateComplete.then(() => {
      const target = this.textarea ?? this.renderRoot.querySelector<HTMLElement>('.icon-button');
      target?.focus(options);
    });
  }

  /**
   * Tells the business who the visitor is, once connected: `{id, name, email, phone, hash}`, where
   * `hash` is HMAC-SHA256(workspace secret, id) computed by the site's server.
   */
  identify(profile: VisitorIdentity): void {
    this.#connection.identify(profile);
  }

  /** Forgets the visitor on this device: the next message starts a new conversation. */
  reset(): void {
    this.#connection.client?.reset();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('client') || changed.has('workspace') || changed.has('server')) {
      this.#connection.use(this.client, this.workspace, this.server || location.origin);
    }
    this.#announceNewMessages();
    this.#planScroll();
  }

  protected override updated(): void {
    this.#applyWorkspaceColor();
    const log = this.logElement;
    const plan = this.#scrollPlan;
    this.#scrollPlan = null;
    if (!log || !plan) return;
    if (plan === 'bottom') this.#scrollToBottom();
    // Older messages were added above: keep the ones being read where they were.
    else log.scrollTop = plan.top + (log.scrollHeight - plan.height);
  }

  /** The color the workspace's admin chose for the widget, unless the site themes it itself. */
  #appliedColor: string | null = null;
  #applyWorkspaceColor(): void {
    const color = this.#connection.client?.session?.availability.color ?? null;
    if (color === this.#appliedColor) return;
    // The site's own --charla-webchat-primary wins over the workspace's choice.
    if (this.#appliedColor === null && getComputedStyle(this).getPropertyValue('--charla-webchat-primary').trim()) return;
    if (color) {
      this.style.setProperty('--charla-webchat-primary', color);
      this.style.setProperty('--charla-webchat-on-primary', readableTextOn(color) ?? '#fff');
    } else {
      this.style.removeProperty('--charla-webchat-primary');
      this.style.removeProperty('--charla-webchat-on-primary');
    }
    this.#appliedColor = color;
  }

  protected override render(): TemplateResult {
    const s = this.#locale.strings;
    const view = this.#view;
    const agent = view.assignee?.name ?? this.#latestAgent(view);
    const photo = imageSource(view.assignee?.avatarUrl);
    const title = view.workspaceName || s.title;
    const unavailable = view.state === 'unauthorized';
    return html`
      <div part="base" class="base" @keydown=${this.#onKeydown}>
        <div part="header" class="header">
          <span part="avatar" class="avatar" aria-hidden="true">${photo ? html`<img src=${photo} alt="" />` : initials(agent ?? title)}</span>
          <div class="heading">
            <h2 part="title" class="title">${title}</h2>
            <p part="subtitle" class="subtitle">${view.away ? s.awayTitle : agent ? s.chattingWith(agent) : s.replyTime}</p>
          </div>
          <button part="close-button" class="icon-button" type="button" aria-label=${s.close} @click=${this.#close}>
            ${closeIcon}
          </button>
        </div>
        <div part="banner" class="banner" role="status">${view.state === 'reconnecting' ? html`${alertIcon}<span>${s.reconnecting}</span>` : nothing}</div>
        ${unavailable
          ? this.#renderUnavailable(s)
          : html`${this.#renderLog(view, s, title)}${view.preChat ? this.#renderPreChat(view.preChat, s) : this.#renderComposer(s)}`}
      </div>
    `;
  }

  #renderUnavailable(s: WebchatStrings): TemplateResult {
    return html`
      <div part="unavailable" class="unavailable" role="alert">
        ${offlineIcon}
        <h3>${s.unavailableTitle}</h3>
        <p>${s.unavailable}</p>
      </div>
    `;
  }

  #renderLog(view: WebchatView, s: WebchatStrings, title: string): TemplateResult {
    const waiting = !view.loaded && view.messages.length === 0 && !view.error;
    return html`
      <div class="log-area">
        <div part="log" class="log" role="log" aria-live="polite" aria-label=${s.conversation} aria-busy=${waiting}
          tabindex="0" @scroll=${this.#onScroll}>
          ${view.hasMore
            ? html`<button part="load-more" class="load-more" type="button" ?disabled=${view.loading} @click=${this.#loadOlder}>
                ${view.loading ? s.loading : s.loadEarlier}
              </button>`
            : nothing}
          ${view.error
            ? html`<div class="load-error">${s.loadError}
                <button class="text-button" type="button" @click=${() => void this.#connection.client?.loadMessages()}>${s.tryAgain}</button>
              </div>`
            : nothing}
          ${waiting
            ? html`<div part="skeleton" class="skeleton" aria-hidden="true"><span></span><span></span><span></span></div>
                <span class="visually-hidden">${s.connecting}</span>`
            : nothing}
          ${!waiting && !view.hasMore ? this.#renderGreeting(view, s, title) : nothing}
          ${repeat(this.#rows(view, s), (row) => row.key, (row) =>
            row.kind === 'day' ? html`<div part="day" class="day">${row.label}</div>` : this.#renderMessage(row, view, s))}
          ${view.away && !waiting ? this.#renderAway(s, !view.preChat) : nothing}
          ${view.typist !== undefined
            ? html`<div part="typing" class="typing" role="status"><span class="dots" aria-hidden="true"><i></i><i></i><i></i></span>
                <span class="visually-hidden">${s.typing(view.typist)}</span></div>`
            : nothing}
        </div>
        ${this.unseen
          ? html`<button part="new-messages" class="new-messages" type="button" @click=${this.#scrollToBottom}>
              ${arrowDownIcon}${s.newMessages}
            </button>`
          : nothing}
      </div>
    `;
  }

  #renderGreeting(view: WebchatView, s: WebchatStrings, title: string): TemplateResult {
    return html`
      <div part="message message-agent" class="message theirs first last greeting">
        <span part="sender" class="sender">${title}</span>
        <div part="bubble" class="bubble">${this.greeting || view.greeting || s.greeting}</div>
      </div>
    `;
  }

  #renderMessage(row: Extract<Row, { kind: 'message' }>, view: WebchatView, s: WebchatStrings): TemplateResult {
    const { message, mine, first, last } = row;
    if (message.senderKind === 'system') {
      return html`<div part="message message-system" class="message system"><div part="bubble" class="bubble">${message.body}</div></div>`;
    }
    if (message.content?.['csat']) return this.#renderSurvey(message);
    const failed = mine && message.status === 'failed';
    // A link card (an agent's quick action: a payment link) is a button under the text, for http(s) only.
    const link = message.content?.['link'] as { title?: string; url?: string } | undefined;
    const card = link?.title && link.url && splitLinks(link.url)[0]?.href === link.url ? link : null;
    const showMeta = last || (mine && (message.status === 'pending' || failed));
    const classes = `message ${mine ? 'mine' : 'theirs'} ${message.status}${first ? ' first' : ''}${last ? ' last' : ''}`;
    return html`
      <div part="message ${mine ? 'message-visitor' : 'message-agent'}" class=${classes}>
        ${mine
          ? html`<span class="visually-hidden">${s.you}:</span>`
          : first
            ? html`<span part="sender" class="sender">${view.agentName(message) ?? view.workspaceName ?? s.title}</span>`
            : nothing}
        <div part="bubble" class="bubble">${splitLinks(message.body).map((run) =>
          run.href ? html`<a href=${run.href} target="_blank" rel="noopener noreferrer nofollow">${run.text}</a>` : run.text)}${card
          ? html`<a part="link-card" class="link-card" href=${card.url!} target="_blank" rel="noopener noreferrer nofollow">${card.title}</a>`
          : nothing}</div>
        ${showMeta
          ? html`<div part="meta" class="meta">
              <time datetime=${message.createdAt}>${formatTime(message.createdAt, this.#locale.locale)}</time>
              ${mine ? this.#renderStatus(message, s) : nothing}
            </div>`
          : nothing}
        ${failed
          ? html`<div class="actions">
              <button part="retry-button" class="text-button primary" type="button" @click=${() => this.#retry(message)}>${s.retry}</button>
              <button part="discard-button" class="text-button" type="button" @click=${() => this.#discard(message)}>${s.discard}</button>
            </div>`
          : nothing}
      </div>
    `;
  }

  /** A satisfaction survey's card, drawn once its module (loaded with the first survey) is here. */
  #renderSurvey(message: VisitorMessage): TemplateResult {
    const redraw = () => this.requestUpdate();
    if (!this.#surveyCard) void import('./survey-card.js').then((module) => (this.#surveyCard = module) && redraw());
    return this.#surveyCard?.surveyCard(html, message, this.#locale.locale, this.#connection.client, redraw) ?? html``;
  }

  #renderStatus(message: VisitorMessage, s: WebchatStrings): TemplateResult {
    const { status } = message;
    // Only a failure needs words on screen; the other states are icons with words for screen readers.
    return html`<span part="status" class="status ${status}">${STATUS_ICONS[status]}<span class=${status === 'failed' ? '' : 'visually-hidden'}>${s[status]}</span></span>`;
  }

  /** The away notice, asking for an email to answer at unless the pre-chat form asks (the visitor may still write). */
  #renderAway(s: WebchatStrings, askEmail: boolean): TemplateResult {
    return html`
      <div part="away" class="card away">
        <h3>${s.awayTitle}</h3>
        ${this.awayEmail
          ? html`<p role="status">${s.emailSaved(this.awayEmail)}</p>`
          : html`<p>${s.away}</p>
              ${askEmail ? html`<form class="inline-form" data-form="away" @submit=${this.#onAwaySubmit} novalidate>
                ${this.#input('away', 'email', 'email', 'email', s.email, true, s)}
                <button part="form-button" class="form-button" type="submit">${s.notifyMe}</button>
              </form>` : nothing}`}
      </div>
    `;
  }

  /** The pre-chat form, in place of the composer until it is sent. */
  #renderPreChat(form: PreChatForm, s: WebchatStrings): TemplateResult {
    return html`
      <form part="pre-chat" class="card pre-chat" data-form="pre-chat" @submit=${this.#onPreChatSubmit} novalidate>
        <h3>${s.preChatTitle}</h3>
        ${FORM_FIELDS.map(([field, type, autocomplete]) => {
          const mode = form[field];
          if (!mode || mode === 'off') return nothing;
          const label = mode === 'optional' ? `${s[field]} (${s.optional})` : s[field];
          return this.#input('pre-chat', field, type, autocomplete, label, mode === 'required', s);
        })}
        <button part="form-button" class="form-button" type="submit">${s.startChat}</button>
      </form>
    `;
  }

  /** A labelled field of the `form` form; errors are kept per form (`form:name`). */
  #input(form: string, name: string, type: string, autocomplete: string, label: string, required: boolean, s: WebchatStrings): TemplateResult {
    const invalid = this.invalidFields.includes(`${form}:${name}`);
    return html`
      <label class="input">
        <span>${label}</span>
        <input part="input" name=${name} type=${type} autocomplete=${autocomplete} ?required=${required}
          aria-invalid=${invalid} aria-describedby=${invalid ? `${form}-${name}-error` : nothing} />
        ${invalid ? html`<span class="input-error" id="${form}-${name}-error">${s.invalidField}</span>` : nothing}
      </label>
    `;
  }

  #renderComposer(s: WebchatStrings): TemplateResult {
    const length = this.draft.length;
    return html`
      <form part="composer" class="composer" @submit=${this.#onSubmit}>
        <div class="field">
          <textarea part="textarea" rows="1" aria-label=${s.messageLabel} placeholder=${s.placeholder}
            maxlength=${LIMITS.messageBody} .value=${live(this.draft)} @input=${this.#onInput} @keydown=${this.#onComposerKeydown}></textarea>
          ${length >= COUNTER_FROM
            ? html`<span part="counter" class="counter ${length >= LIMITS.messageBody ? 'over' : ''}">${length}/${LIMITS.messageBody}</span>`
            : nothing}
        </div>
        <button part="send-button" class="send" type="submit" aria-label=${s.send} ?disabled=${!this.draft.trim()}>${sendIcon}</button>
      </form>
    `;
  }

  // ------------------------------------------------------------------ view model

  /**
   * What is drawn: at most the newest `#window` messages, so the page holds a bounded number of
   * nodes however long the conversation; earlier ones come back with "Load earlier messages".
   */
  get #view(): WebchatView {
    const view = this.#fullView;
    const hidden = view.messages.length - this.#window;
    return hidden > 0 ? { ...view, messages: view.messages.slice(hidden), hasMore: true } : view;
  }

  get #fullView(): WebchatView {
    const client = this.#connection.client;
    if (!client) {
      return {
        state: this.state,
        messages: this.messages,
        hasMore: this.hasMore,
        loading: false,
        loaded: this.state !== 'connecting',
        error: null,
        workspaceName: this.workspaceName || undefined,
        greeting: undefined,
        agentName: (message) => message.senderName,
        away: this.away,
        preChat: this.preChat,
        typist: this.typing,
        assignee: undefined,
      };
    }
    const { log, session } = client;
    return {
      state: client.state,
      messages: log.items,
      hasMore: log.loaded && log.hasMore,
      loading: log.loading,
      loaded: log.loaded,
      error: log.error,
      workspaceName: session?.workspace.name || this.workspaceName || undefined,
      greeting: session?.availability.greeting ?? session?.workspace.greeting,
      away: !client.available,
      preChat: this.#preChatOf(client),
      typist: client.typing ? client.typing.name : undefined,
      assignee: session?.agents.find((agent) => agent.id === session.conversation?.assigneeId),
      agentName: (message) =>
        message.senderName ?? session?.agents.find((agent) => agent.id === message.senderId)?.name ?? null,
    };
  }

  /** The workspace's pre-chat form, while this visitor has yet to fill it (never for known visitors). */
  #preChatOf(client: VisitorClient): PreChatForm | null {
    const session = client.session;
    if (!session || this.preChatSent || session.verified || session.conversation || client.log.items.length > 0) return null;
    const form = session.availability.preChat;
    return Object.values(form).some((mode) => mode !== 'off') ? form : null;
  }

  /** The name of the agent who answered last, for the header. */
  #latestAgent(view: WebchatView): string | null {
    for (let i = view.messages.length - 1; i >= 0; i--) {
      const message = view.messages[i]!;
      if (message.senderKind === 'agent') return view.agentName(message);
    }
    return null;
  }

  #rows(view: WebchatView, s: WebchatStrings): Row[] {
    const rows: Row[] = [];
    const messages = view.messages;
    const sameGroup = (a: VisitorMessage | undefined, b: VisitorMessage | undefined) =>
      !!a && !!b && a.direction === b.direction && a.senderKind === b.senderKind && a.senderKind !== 'system' &&
      (a.direction === 'in' || a.senderId === b.senderId) && dayKey(a.createdAt) === dayKey(b.createdAt) &&
      Date.parse(b.createdAt) - Date.parse(a.createdAt) < GROUP_WINDOW_MS;
    messages.forEach((message, index) => {
      const previous = messages[index - 1];
      if (!previous || dayKey(previous.createdAt) !== dayKey(message.createdAt)) {
        rows.push({ kind: 'day', key: `day:${dayKey(message.createdAt)}`, label: formatDay(message.createdAt, this.#locale.locale, s) });
      }
      rows.push({
        kind: 'message',
        key: messageKey(message),
        message,
        mine: !fromBusiness(message),
        first: !sameGroup(previous, message),
        last: !sameGroup(message, messages[index + 1]),
      });
    });
    return rows;
  }

  /** Fires `charla-webchat-message` for messages stored since the last render (live, not history). */
  #announceNewMessages(): void {
    const client = this.#connection.client;
    if (!client?.log.loaded) return;
    const stored = client.log.items.filter((message) => !isLocal(message));
    const newest = stored.at(-1)?.createdAt ?? '';
    if (this.#newestAnnounced !== undefined) {
      for (const message of stored) {
        if (message.createdAt > this.#newestAnnounced) this.dispatchEvent(webchatEvent('charla-webchat-message', { message }));
      }
    }
    if (this.#newestAnnounced === undefined || newest > this.#newestAnnounced) this.#newestAnnounced = newest;
  }

  // ------------------------------------------------------------------ actions

  #send(): void {
    const body = this.draft;
    if (!body.trim() || body.length > LIMITS.messageBody) return;
    const clientId = this.#connection.client?.send(body) ?? null;
    this.draft = '';
    this.#forceScroll = true;
    this.dispatchEvent(webchatEvent('charla-webchat-send', { body, clientId }));
    void this.updateComplete.then(() => this.#fitTextarea());
  }

  #retry(message: VisitorMessage): void {
    if (message.clientId) this.#connection.client?.retry(message.clientId);
  }

  #discard(message: VisitorMessage): void {
    if (message.clientId) this.#connection.client?.discard(message.clientId);
  }

  #loadOlder(): void {
    const stored = this.#fullView.messages.length;
    // Draw more of what is in memory first; once all of it is drawn, ask the server.
    if (stored <= this.#window) void this.#connection.client?.loadMessages({ older: true });
    this.#window = Math.min(this.#window, stored) + WINDOW_STEP;
    this.requestUpdate();
  }

  #close(): void {
    this.dispatchEvent(webchatEvent('charla-webchat-close', {}));
  }

  /**
   * Decides, before rendering, how the log should scroll after it: follow new messages when the
   * visitor is at the bottom (or just sent one), otherwise offer a jump to them; keep the reading
   * position when older messages are inserted above.
   */
  #planScroll(): void {
    const messages = this.#view.messages;
    const first = messages[0] ? messageKey(messages[0]) : '';
    const last = messages.at(-1) ? messageKey(messages.at(-1)!) : '';
    const previous = this.#edges;
    this.#edges = { first, last };
    const log = this.logElement;
    const atBottom = !log || log.scrollHeight - log.scrollTop - log.clientHeight <= BOTTOM_SLACK;
    if (this.#forceScroll || (last !== previous.last && atBottom)) this.#scrollPlan = 'bottom';
    else if (last !== previous.last) this.unseen = true;
    else if (log && previous.first && first !== previous.first) this.#scrollPlan = { top: log.scrollTop, height: log.scrollHeight };
  }

  #scrollToBottom(): void {
    const log = this.logElement;
    if (log) log.scrollTop = log.scrollHeight;
    this.unseen = false;
    this.#forceScroll = false;
  }

  #onScroll(): void {
    const log = this.logElement!;
    if (this.unseen && log.scrollHeight - log.scrollTop - log.clientHeight <= BOTTOM_SLACK) this.unseen = false;
  }

  #onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    this.#send();
  }

  /** The fields of a form as answers; fields left empty are not sent. Marks the invalid ones. */
  #answers(form: HTMLFormElement): PreChatAnswers | null {
    const answers: Record<string, string> = {};
    const invalid: string[] = [];
    for (const input of form.querySelectorAll('input')) {
      const value = input.value.trim();
      if (!input.checkValidity() || (input.required && !value)) invalid.push(`${form.dataset.form}:${input.name}`);
      else if (value) answers[input.name] = value;
    }
    this.invalidFields = invalid;
    return invalid.length ? null : answers;
  }

  /** Sends a form's answers; fields the server refuses are marked (its error names them). */
  async #submitForm(event: SubmitEvent, submit: (client: VisitorClient, answers: PreChatAnswers) => Promise<void>): Promise<boolean> {
    event.preventDefault();
    const answers = this.#answers(event.target as HTMLFormElement);
    const client = this.#connection.client;
    if (!answers) return false;
    try {
      if (client) await submit(client, answers);
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : '';
      const form = (event.target as HTMLFormElement).dataset.form;
      this.invalidFields = FORM_FIELDS.filter(([field]) => message.includes(field)).map(([field]) => `${form}:${field}`);
      return false;
    }
  }

  async #onAwaySubmit(event: SubmitEvent): Promise<void> {
    const email = ((event.target as HTMLFormElement).elements.namedItem('email') as HTMLInputElement).value.trim();
    if (await this.#submitForm(event, (client, answers) => client.updateProfile(answers))) this.awayEmail = email;
  }

  async #onPreChatSubmit(event: SubmitEvent): Promise<void> {
    if (await this.#submitForm(event, (client, answers) => client.submitPreChat(answers))) {
      this.preChatSent = true;
      this.preChat = null;
      this.focus();
    }
  }

  #onInput(event: InputEvent): void {
    this.#connection.client?.notifyTyping();
    this.draft = (event.target as HTMLTextAreaElement).value;
    this.#fitTextarea();
  }

  #onComposerKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.#send();
    }
  }

  #onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape' && !event.isComposing) {
      event.stopPropagation();
      this.#close();
    } else if (event.key === 'Tab' && this.modal) {
      // Covering the page, the chat keeps focus inside: past the last control comes the first.
      const controls = [...this.renderRoot.querySelectorAll<HTMLElement>('button:not(:disabled),textarea,input,a[href],[tabindex="0"]')];
      const active = this.shadowRoot?.activeElement;
      const edge = event.shiftKey ? controls[0] : controls.at(-1);
      if (active === edge) {
        event.preventDefault();
        (event.shiftKey ? controls.at(-1) : controls[0])?.focus();
      }
    }
  }

  /** Grows the field with its text up to its CSS max-height. */
  #fitTextarea(): void {
    const textarea = this.textarea;
    if (!textarea) return;
    textarea.style.height = 'auto';
    textarea.style.height = `${textarea.scrollHeight + 2}px`;
  }
}
