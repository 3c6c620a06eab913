import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import type { CharlaClient, ConversationQuery, StatusCounts } from '@charla/client';
import type { Agent, AgentSession, Contact, Conversation, Team } from '@charla/protocol';
import { CHANNELS, CONVERSATION_STATUSES, PRIORITIES, type Channel, type Priority } from '@charla/protocol/constants';
import { slaCalendar, slaDueAt, type BusinessCalendar } from '@charla/protocol/sla';
import { ClientElement } from '../controllers/client-element.js';
import { VirtualizerController } from '../controllers/virtualizer-controller.js';
import { CharlaElement } from '../base/charla-element.js';
import { avatar, avatarStyles, channelBadge, contactLabel } from '../shared/avatar.js';
import { controlStyles } from '../shared/controls.styles.js';
import { renderWith, type Renderer } from '../shared/renderer.js';
import { inboxStyles } from './inbox.styles.js';
import { inboxStrings } from './inbox.strings.js';
import { useStrings } from '../i18n/strings.js';

useStrings(inboxStrings);

export const INBOX_TABS = [...CONVERSATION_STATUSES, 'all'] as const;
export type InboxTab = (typeof INBOX_TABS)[number];

interface Row {
  conversation: Conversation;
  contact: Contact | undefined;
}

export interface ConversationSelectDetail {
  conversationId: string;
}

/** What `renderRow` is told besides the conversation. */
export interface InboxRowContext {
  /** The conversation's contact, once loaded. */
  contact: Contact | undefined;
  /** It is the open conversation. */
  selected: boolean;
  /** Its position in the list, from 0. */
  index: number;
}

/**
 * The conversation list: status tabs with counts, server-side search, and rows that show who is
 * writing, on which channel, what they said last, how long they have been waiting and who is
 * handling them. Filters by assignee, team, channel, priority and label. Virtualized: only the visible
 * rows are in the DOM however many conversations there are; the next page loads as you scroll,
 * and live reordering never moves what you are looking at. Keyboard: ↑/↓ or j/k move, Enter opens.
 *
 * @tag charla-inbox
 * @event charla-conversation-select - The user opened a conversation. `detail.conversationId`.
 * @csspart header - Search and tabs.
 * @csspart search - The search field.
 * @csspart tabs - The status tab list.
 * @csspart tab - A status tab.
 * @csspart filters - The assignee, channel, priority and label filters.
 * @csspart list - The scrolling list of conversations.
 * @csspart row - One conversation.
 * @csspart row-custom - A row whose content came from `renderRow` (also a `row`).
 * @csspart avatar - A contact's avatar.
 * @csspart channel - The channel badge.
 * @cssproperty --charla-inbox-background - Background of the list.
 * @cssproperty --charla-inbox-row-height - Height of a row (default 84px).
 */
export class CharlaInbox extends ClientElement {
  static override styles = [CharlaElement.styles, avatarStyles, controlStyles, inboxStyles];

  /** The status tab shown. */
  @property({ reflect: true }) status: InboxTab = 'open';
  /** The open conversation's id (highlighted). */
  @property() selected: string | null = null;
  /** Show only conversations assigned to this agent id, `me` or `unassigned`. */
  @property() assignee: string | null = null;
  /** Show only conversations on this channel. */
  @property() channel: Channel | null = null;
  /** Show only conversations with this priority. */
  @property() priority: Priority | null = null;
  /** Show only conversations carrying this label. */
  @property() label: string | null = null;
  /** Show only conversations routed to this team id. */
  @property() team: string | null = null;
  /** `breaching`: only waits due within 15 minutes or overdue. */
  @property() sla: 'breaching' | null = null;

  /** Data mode: conversations to show when there is no client. */
  @property({ attribute: false }) conversations: Conversation[] = [];
  /** Data mode: the contacts of those conversations. */
  @property({ attribute: false }) contacts: Contact[] = [];
  /** Data mode: agents, to show who handles each conversation. */
  @property({ attribute: false }) agents: Agent[] = [];
  /** Data mode: teams, for the team filter. */
  @property({ attribute: false }) teams: Team[] = [];
  /** Data mode: counts per tab. */
  @property({ attribute: false }) counts: Partial<StatusCounts> | null = null;
  /**
   * Renders a row's content: `(conversation, defaultContent, {contact, selected, index})` returns a
   * lit template, a DOM node, text or nothing (return `defaultContent` to keep Charla's). The row
   * itself stays Charla's (selection, keyboard, click); it has one height for every row
   * (`--charla-inbox-row-height`). Rows are virtualized, so this is a property, not a slot. What it
   * returns is shown as given: escaping the contact's text is the host's job.
   */
  @property({ attribute: false }) renderRow: Renderer<Conversation, InboxRowContext> | null = null;

  @state() private query = '';
  @state() private activeIndex = -1;
  #searchTimer: ReturnType<typeof setTimeout> | undefined;
  #appliedQuery = '';
  #rowsCache: { key: unknown[]; rows: Row[] } | undefined;
  #rowHeight = 84;
  #anchor: { id: string; delta: number } | undefined;
  readonly #virtual = new VirtualizerController(this, {
    count: 0,
    // Rows have one fixed height (see --charla-inbox-row-height): no per-row measuring while scrolling.
    estimateSize: () => this.#rowHeight,
    overscan: 6,
    getScrollElement: () => this.renderRoot?.querySelector<HTMLElement>('[part="list"]') ?? null,
  });

  /** The live list for the current tab and search, when a client is in use. */
  get #query(): ConversationQuery | undefined {
    return this.activeClient?.conversations({
      status: this.status,
      ...(this.#appliedQuery ? { query: this.#appliedQuery } : {}),
      ...(this.assignee ? { assignee: this.assignee } : {}),
      ...(this.channel ? { channel: this.channel } : {}),
      ...(this.priority ? { priority: this.priority } : {}),
      ...(this.label ? { label: this.label } : {}),
      ...(this.team ? { team: this.team } : {}),
      ...(this.sla ? { sla: this.sla } : {}),
    });
  }

  #rows(): Row[] {
    const client = this.activeClient;
    if (client) {
      const rows = (this.#query?.ids ?? []).flatMap((id) => {
        const conversation = client.conversation(id);
        return conversation ? [{ conversation, contact: client.contact(conversation.contactId) }] : [];
      });
      // Same conversations, same objects: keep the previous array so nothing downstream recomputes.
      const previous = this.#rowsCache?.rows;
      const same =
        previous?.length === rows.length &&
        rows.every((row, index) => row.conversation === previous[index]!.conversation && row.contact === previous[index]!.contact);
      if (same && previous) return previous;
      this.#rowsCache = { key: [], rows };
      return rows;
    }
    const key = [this.conversations, this.contacts, this.status, this.channel, this.priority, this.label, this.assignee, this.team];
    if (this.#rowsCache?.key.every((value, index) => value === key[index])) return this.#rowsCache.rows;
    const contacts = new Map(this.contacts.map((contact) => [contact.id, contact]));
    const rows = this.conversations
      .filter(
        (c) =>
          (this.status === 'all' || c.status === this.status) &&
          (!this.channel || c.channel === this.channel) &&
          (!this.priority || c.priority === this.priority) &&
          (!this.label || c.labels.includes(this.label)) &&
          (!this.team || c.teamId === this.team) &&
          (!this.assignee || (this.assignee === 'unassigned' ? c.assigneeId === null : c.assigneeId === this.assignee)),
      )
      .map((conversation) => ({ conversation, contact: contacts.get(conversation.contactId) }));
    this.#rowsCache = { key, rows };
    return rows;
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    super.willUpdate(changed);
    const rows = this.#rows();
    const virtualizer = this.#virtual.virtualizer;
    const list = virtualizer.scrollElement;
    // Remember the first visible conversation so a reorder above it does not move the view.
    if (list && list.scrollTop > 0) {
      const first = virtualizer.getVirtualItems().find((item) => item.end > list.scrollTop);
      const id = first ? this.#renderedIds[first.index] : undefined;
      this.#anchor = first && id ? { id, delta: first.start - list.scrollTop } : undefined;
    } else {
      this.#anchor = undefined;
    }
    if (rows !== this.#renderedRows) {
      this.#renderedRows = rows;
      this.#renderedIds = rows.map((row) => row.conversation.id);
      this.#labels = [...new Set(rows.flatMap((row) => row.conversation.labels))].sort();
      this.#virtual.update({ count: rows.length, getItemKey: (index) => this.#renderedIds[index] ?? index });
    }
  }

  #renderedRows: Row[] | undefined;
  #renderedIds: string[] = [];
  /** Labels present in the list, offered by the label filter. */
  #labels: string[] = [];

  override connectedCallback(): void {
    super.connectedCallback();
    const height = parseFloat(getComputedStyle(this).getPropertyValue('--charla-inbox-row-height'));
    if (height > 0 && height !== this.#rowHeight) {
      this.#rowHeight = height;
      this.#virtual.virtualizer.measure();
    }
  }

  protected override updated(): void {
    const virtualizer = this.#virtual.virtualizer;
    const anchor = this.#anchor;
    const list = virtualizer.scrollElement;
    if (anchor && list) {
      const index = this.#renderedIds.indexOf(anchor.id);
      const start = index >= 0 ? virtualizer.getOffsetForIndex(index, 'start')?.[0] : undefined;
      if (start !== undefined && Math.abs(start - anchor.delta - list.scrollTop) > 1) list.scrollTop = start - anchor.delta;
      this.#anchor = undefined;
    }
    // Fetch the next page before the user reaches the end of what is loaded.
    const query = this.#query;
    const last = virtualizer.getVirtualItems().at(-1);
    if (query?.hasMore && !query.loading && last && last.index >= this.#renderedIds.length - 10) {
      void this.activeClient?.loadMoreConversations(query);
    }
  }

  #agentName(id: string | null, client: CharlaClient | undefined): string | undefined {
    if (!id) return undefined;
    return (client?.agent(id) ?? this.agents.find((agent) => agent.id === id))?.name;
  }

  #select(conversationId: string): void {
    this.selected = conversationId;
    this.emit('charla-conversation-select', { detail: { conversationId } });
  }

  /** The list, on the open conversation (or the first); the search field while the list is empty. */
  protected override focusTarget(): HTMLElement | null {
    const list = this.renderRoot.querySelector<HTMLElement>('[part="list"]');
    return list && this.#renderedIds.length > 0 ? list : this.renderRoot.querySelector<HTMLElement>('[part="search"]');
  }

  #onSearch(event: InputEvent): void {
    this.query = (event.target as HTMLInputElement).value;
    clearTimeout(this.#searchTimer);
    this.#searchTimer = setTimeout(() => {
      this.#appliedQuery = this.query.trim();
      this.activeIndex = -1;
      this.requestUpdate();
    }, 250);
  }

  #onTabKey(event: KeyboardEvent): void {
    const delta = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!delta) return;
    event.preventDefault();
    const next = INBOX_TABS[(INBOX_TABS.indexOf(this.status) + delta + INBOX_TABS.length) % INBOX_TABS.length]!;
    this.status = next;
    this.activeIndex = -1;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${next}`)?.focus());
  }

  /** Where keyboard navigation starts: the open conversation, else the first row. */
  #startIndex(rows: Row[]): number {
    return Math.max(0, rows.findIndex((row) => row.conversation.id === this.selected));
  }

  #onListKey(event: KeyboardEvent, rows: Row[]): void {
    if (rows.length === 0) return;
    const moves: Record<string, number> = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1 };
    if (event.key in moves && this.activeIndex < 0) {
      // No row is active yet (focus came without a focus event): the first key lands on the open
      // conversation, else the first row.
      event.preventDefault();
      this.activeIndex = this.#startIndex(rows);
    } else if (event.key in moves) {
      event.preventDefault();
      this.activeIndex = Math.min(rows.length - 1, Math.max(0, this.activeIndex + moves[event.key]!));
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      this.activeIndex = event.key === 'Home' ? 0 : rows.length - 1;
    } else if ((event.key === 'Enter' || event.key === ' ') && this.activeIndex >= 0) {
      event.preventDefault();
      this.#select(rows[this.activeIndex]!.conversation.id);
      return;
    } else {
      return;
    }
    this.#virtual.virtualizer.scrollToIndex(this.activeIndex, { align: 'auto' });
  }

  protected override render() {
    const client = this.activeClient;
    const query = this.#query;
    const rows = this.#rows();
    const counts = query?.counts ?? this.counts;
    return html`
      <div part="header">
        <input
          part="search"
          class="search-field"
          type="search"
          .value=${live(this.query)}
          placeholder=${this.i18n.t('inbox.search')}
          aria-label=${this.i18n.t('inbox.search')}
          @input=${this.#onSearch}
        />
        <div part="tabs" role="tablist" aria-label=${this.i18n.t('inbox.label')} @keydown=${this.#onTabKey}>
          ${INBOX_TABS.map((tab) => {
            const selected = tab === this.status;
            const count = counts?.[tab];
            return html`<button
              part="tab${selected ? ' tab-selected' : ''}"
              id="tab-${tab}"
              role="tab"
              aria-selected=${selected ? 'true' : 'false'}
              aria-controls="list"
              tabindex=${selected ? 0 : -1}
              @click=${() => {
                this.status = tab;
                this.activeIndex = -1;
              }}
            >
              ${this.i18n.t(`status.${tab}`)} ${count !== undefined ? html`<span class="count">${count}</span>` : nothing}
            </button>`;
          })}
        </div>
        ${this.#renderFilters()}
      </div>
      ${this.#renderList(rows, client, query)}
    `;
  }

  #calendar: { session: AgentSession; calendar: BusinessCalendar } | null = null;

  /** The session's SLA calendar (wall clock or business hours), made once per session. */
  #calendarOf(session: AgentSession | null | undefined): BusinessCalendar | undefined {
    if (!session?.sla) return undefined;
    if (this.#calendar?.session !== session) this.#calendar = { session, calendar: slaCalendar(session.sla, session.hours) };
    return this.#calendar.calendar;
  }

  /** The service-level clock: time left when due within the hour, or the breach. */
  #renderSla(conversation: Conversation, client: CharlaClient | undefined) {
    const session = client?.session;
    const sla = session?.sla;
    const due = sla ? slaDueAt(conversation, sla, this.#calendarOf(session)) : null;
    const breached = (conversation.slaBreachedAt && conversation.waitingSince) || (conversation.resolutionBreachedAt && conversation.status !== 'resolved');
    if (breached) {
      return html`<span class="sla" data-state="breached">${this.i18n.t('inbox.slaBreached')}</span>`;
    }
    if (!due) return nothing;
    const left = Date.parse(due) - Date.now();
    if (left <= 0) return html`<span class="sla" data-state="breached">${this.i18n.t('inbox.slaBreached')}</span>`;
    if (left > 3_600_000) return nothing;
    return html`<span class="sla" data-state="soon">${this.i18n.t('inbox.slaLeft', { time: this.i18n.age(new Date(Date.now() - left).toISOString()) })}</span>`;
  }

  #renderFilters() {
    const client = this.activeClient;
    const agents = client?.session?.agents ?? this.agents;
    const teams = client?.session?.teams ?? this.teams;
    const labels = new Set(this.#labels);
    if (this.label) labels.add(this.label);
    const select = <T extends string>(
      label: string,
      value: T | null,
      options: Array<[T, string]>,
      set: (value: T | null) => void,
    ) => html`<select
      class="control"
      aria-label=${label}
      title=${label}
      @change=${(event: Event) => {
        set(((event.target as HTMLSelectElement).value as T) || null);
        this.activeIndex = -1;
      }}
    >
      <option value="" ?selected=${!value}>${label}</option>
      ${options.map(([option, text]) => html`<option value=${option} ?selected=${option === value}>${text}</option>`)}
    </select>`;
    return html`<div part="filters">
      ${select(
        this.i18n.t('filter.assignee'),
        this.assignee,
        [
          ['me', this.i18n.t('filter.mine')],
          ['unassigned', this.i18n.t('inbox.unassigned')],
          ...agents.filter((agent) => agent.id !== client?.me?.id).map((agent): [string, string] => [agent.id, agent.name]),
        ],
        (value) => (this.assignee = value),
      )}
      ${teams.length > 0
        ? select(
            this.i18n.t('filter.team'),
            this.team,
            teams.map((team): [string, string] => [team.id, team.name]),
            (value) => (this.team = value),
          )
        : nothing}
      ${select(
        this.i18n.t('filter.channel'),
        this.channel,
        CHANNELS.map((channel): [Channel, string] => [channel, this.i18n.t(`channel.${channel}`)]),
        (value) => (this.channel = value),
      )}
      ${select(
        this.i18n.t('filter.priority'),
        this.priority,
        PRIORITIES.filter((priority) => priority !== 'none').map((priority): [Priority, string] => [priority, this.i18n.t(`priority.${priority}`)]),
        (value) => (this.priority = value),
      )}
      ${client?.session?.sla && (client.session.sla.firstResponseMinutes || client.session.sla.nextResponseMinutes || client.session.sla.resolutionMinutes)
        ? select(this.i18n.t('filter.sla'), this.sla, [['breaching', this.i18n.t('filter.breaching')]], (value) => (this.sla = value))
        : nothing}
      ${labels.size > 0
        ? select(
            this.i18n.t('filter.label'),
            this.label,
            [...labels].sort().map((label): [string, string] => [label, label]),
            (value) => (this.label = value),
          )
        : nothing}
    </div>`;
  }

  #renderList(rows: Row[], client: CharlaClient | undefined, query: ConversationQuery | undefined) {
    const active = rows[this.activeIndex];
    const listBody = () => {
      if (query && !query.loaded && (query.loading || !query.error)) {
        return html`<div class="state" role="status"><span class="visually-hidden">${this.i18n.t('common.loading')}</span></div>
          ${[0, 1, 2, 3, 4].map(() => html`<div class="skeleton" aria-hidden="true"></div>`)}`;
      }
      if (query?.error && rows.length === 0) {
        return html`<div class="state" role="alert">
          <p>${this.i18n.t('inbox.error')}: ${query.error.message}</p>
          <button class="link" @click=${() => client?.reloadConversations(query)}>${this.i18n.t('common.retry')}</button>
        </div>`;
      }
      if (rows.length === 0) {
        return html`<p class="state">
          ${this.#appliedQuery ? this.i18n.t('inbox.emptySearch', { query: this.#appliedQuery }) : this.i18n.t('inbox.empty')}
        </p>`;
      }
      return nothing;
    };
    // Loading, error and empty states sit beside the listbox, which may hold only options.
    return html`${listBody()}<div
      part="list"
      id="list"
      role="listbox"
      tabindex="0"
      aria-label=${this.i18n.t('inbox.label')}
      aria-activedescendant=${active ? `row-${active.conversation.id}` : nothing}
      @keydown=${(event: KeyboardEvent) => this.#onListKey(event, rows)}
      @focus=${(event: FocusEvent) => {
        if (this.activeIndex < 0 && rows.length > 0) {
          this.activeIndex = this.#startIndex(rows);
          // Only a keyboard's focus scrolls: a tap or click on a scrolled list must land on the row under it.
          if ((event.currentTarget as HTMLElement).matches(':focus-visible')) {
            this.#virtual.virtualizer.scrollToIndex(this.activeIndex, { align: 'auto' });
          }
        }
      }}
    >
      <div class="rows" style=${styleMap({ height: `${this.#virtual.virtualizer.getTotalSize()}px` })}>
        ${repeat(
          this.#virtual.virtualizer.getVirtualItems(),
          (item) => item.key,
          (item) => {
            const row = rows[item.index];
            return row ? this.#renderRow(row.conversation, row.contact, item.index, rows.length, item.start, client) : nothing;
          },
        )}
      </div>
      ${query?.hasMore && rows.length > 0
        ? html`<div class="state">
            <button class="link" tabindex="-1" ?disabled=${query.loading} @click=${() => client?.loadMoreConversations(query)}>
              ${query.loading ? this.i18n.t('common.loading') : this.i18n.t('inbox.loadMore')}
            </button>
          </div>`
        : nothing}
    </div>`;
  }

  #renderRow(
    conversation: Conversation,
    contact: Contact | undefined,
    index: number,
    total: number,
    top: number,
    client: CharlaClient | undefined,
  ) {
    const selected = conversation.id === this.selected;
    const row = renderWith(
      this.renderRow,
      conversation,
      () => this.#rowContent(conversation, contact, client),
      () => ({ contact, selected, index }),
    );
    return html`<div
      part="row${selected ? ' row-selected' : ''}${row.custom ? ' row-custom' : ''}"
      id="row-${conversation.id}"
      role="option"
      aria-selected=${selected ? 'true' : 'false'}
      aria-setsize=${total}
      aria-posinset=${index + 1}
      data-index=${index}
      style="transform: translateY(${top}px)"

      data-status=${conversation.status}
      ?data-active=${index === this.activeIndex}
      ?data-unread=${conversation.unreadCount > 0}
      ?data-custom=${row.custom}
      @click=${() => {
        this.activeIndex = index;
        this.#select(conversation.id);
      }}
    >
      ${row.content}
    </div>`;
  }

  /** Charla's own row: avatar and channel, name, time, last message, unread count, waiting time, SLA, assignee, priority, labels. */
  #rowContent(conversation: Conversation, contact: Contact | undefined, client: CharlaClient | undefined) {
    const name = contactLabel(contact, conversation.channel, (key) => this.i18n.t(key));
    const assignee = this.#agentName(conversation.assigneeId, client);
    const channel = this.i18n.t(`channel.${conversation.channel}`);
    return html`<span class="avatar-wrap">${avatar(conversation.contactId, contact?.name, contact?.avatarUrl)}${channelBadge(conversation.channel, channel)}</span>
      <span class="name">${name}</span>
      <span class="time">${conversation.lastMessageAt ? this.i18n.age(conversation.lastMessageAt) : ''}</span>
      <span class="preview">${conversation.lastMessagePreview ?? ''}</span>
      ${conversation.unreadCount > 0
        ? html`<span class="unread" aria-label=${this.i18n.t('inbox.unread', { count: conversation.unreadCount })}
            >${conversation.unreadCount}</span
          >`
        : nothing}
      <span class="meta">
        ${conversation.waitingSince && conversation.status !== 'resolved'
          ? html`<span class="waiting">${this.i18n.t('inbox.waiting', { time: this.i18n.age(conversation.waitingSince) })}</span> ·`
          : nothing}
        ${this.#renderSla(conversation, client)}
        <span class="assignee" title=${assignee ? this.i18n.t('inbox.assignedTo', { name: assignee }) : this.i18n.t('inbox.unassigned')}
          >${assignee ? this.i18n.t('inbox.assignedTo', { name: assignee }) : this.i18n.t('inbox.unassigned')}</span
        >
        ${conversation.priority !== 'none'
          ? html`<span class="priority" data-priority=${conversation.priority}>${this.i18n.t(`priority.${conversation.priority}`)}</span>`
          : nothing}
        ${conversation.labels.slice(0, 1).map((label) => html`<span class="label" title=${label}>${label}</span>`)}
        ${conversation.labels.length > 1
          ? html`<span
              class="label more"
              title=${conversation.labels.slice(1).join(', ')}
              ><span aria-hidden="true">+${conversation.labels.length - 1}</span
              ><span class="visually-hidden"
                >${this.i18n.t('inbox.moreLabels', { count: conversation.labels.length - 1, labels: conversation.labels.slice(1).join(', ') })}</span
              ></span
            >`
          : nothing}
      </span>`;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'charla-conversation-select': CustomEvent<ConversationSelectDetail>;
  }
}
