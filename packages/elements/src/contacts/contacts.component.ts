import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import {
  bulkUpdateContacts, exportContacts, fetchSegments, searchDirectory, type CharlaClient, type ContactBulkChange,
} from '@charla/client';
import type { Agent, ChangeEvent, ContactSelection, DirectoryContact, DirectoryFilter, DirectorySort, Segment, SegmentChangedData } from '@charla/protocol';
import { CHANNELS, type Channel } from '@charla/protocol/constants';
import { CharlaElement } from '../base/charla-element.js';
import { ClientElement } from '../controllers/client-element.js';
import { VirtualizerController } from '../controllers/virtualizer-controller.js';
import { useStrings } from '../i18n/strings.js';
import { inboxStrings } from '../inbox/inbox.strings.js';
import { avatar, avatarStyles } from '../shared/avatar.js';
import { controlStyles } from '../shared/controls.styles.js';
import { contactsString, type ContactsString } from './contacts.strings.js';
import { contactsStyles } from './contacts.styles.js';
import { CONTACT_COLUMNS, type ContactColumn } from '../view-names.js';

useStrings(inboxStrings);

export { CONTACT_COLUMNS, type ContactColumn };

/** The selection an admin wants to broadcast to (`charla-broadcast-compose`). */
export interface BroadcastComposeDetail {
  selection: ContactSelection;
  count: number;
}

export interface ContactOpenDetail {
  contactId: string;
  /** Where the contact is opened from a conversation it belongs to (the dashboard's customers: the one they first wrote in). */
  conversationId?: string | null;
}

const DEFAULT_COLUMNS: ContactColumn[] = ['name', 'phone', 'email', 'company', 'tags', 'ltv', 'lastInteractionAt', 'owner'];
const SORTABLE: Partial<Record<ContactColumn, DirectorySort>> = { name: 'name', ltv: 'ltv', lastInteractionAt: 'lastInteractionAt', createdAt: 'createdAt' };
const WIDTHS: Partial<Record<ContactColumn, string>> = {
  name: '220px', phone: '150px', email: '220px', company: '160px', channels: '150px', tags: '170px', ltv: '150px',
  lastInteractionAt: '140px', owner: '140px', openDeals: '110px', createdAt: '120px',
};
const HEAD_HEIGHT = 40;
/** Rows are fetched a page at a time, as they scroll into view. */
const PAGE = 100;

/**
 * The contacts directory: a virtualized table of every contact (only the visible rows are in the
 * DOM, pages load as they scroll into view), with the columns the host chooses, sorting by the
 * column headers, server-side search and filters (segment, channel, owner, tag, lifetime value),
 * selection (click the box; shift-click selects a range; "select all N matching") and bulk
 * actions on the selection: add or remove a tag, assign an owner, export CSV or JSON, merge two,
 * send a broadcast (admins).
 * Keyboard: ↑/↓ move, Space selects, Shift+Space selects the range, Enter opens.
 *
 * @tag charla-contacts
 * @event charla-contact-open - The user opened a contact (click or Enter on its row). `detail.contactId`.
 * @event charla-broadcast-compose - An admin chose "Send broadcast" for the selection: `detail.selection` (a contact selection) and `detail.count`; give them to `<charla-broadcasts>`.
 * @csspart header - Search and filters.
 * @csspart search - The search field.
 * @csspart filters - The filter controls.
 * @csspart bulk-bar - The actions on the selection, shown while contacts are selected.
 * @csspart table - The scrolling table.
 * @csspart head - The column headers.
 * @csspart row - One contact.
 * @csspart avatar - A contact's avatar.
 * @cssproperty --charla-contacts-background - Background of the table.
 * @cssproperty --charla-contacts-row-height - Height of a row (default 48px).
 * @cssproperty --charla-contacts-selected-background - Background of selected rows.
 * @cssproperty --charla-contacts-bulk-background - Background of the bulk bar.
 * @cssproperty --charla-contacts-link-color - Color of the bulk bar's links ("select all N matching", "clear").
 */
export class CharlaContacts extends ClientElement {
  static override styles = [CharlaElement.styles, avatarStyles, controlStyles, contactsStyles];

  /** Which columns to show, in order (see `CONTACT_COLUMNS`; `attributes.plan` shows that attribute). */
  @property({ attribute: false }) columns: ContactColumn[] = DEFAULT_COLUMNS;
  /** Filters applied besides what the user picks (e.g. `{segment: 'at_risk'}` for a page of its own). */
  @property({ attribute: false }) filter: DirectoryFilter = {};
  @property() sort: DirectorySort = 'createdAt';
  @property() direction: 'asc' | 'desc' = 'desc';
  /** Data mode: the contacts to show when there is no client. */
  @property({ attribute: false }) contacts: DirectoryContact[] = [];
  /** Data mode: agents, to name owners. */
  @property({ attribute: false }) agents: Agent[] = [];
  /** Data mode: the currency of lifetime values. */
  @property() currency = 'USD';

  @state() private query = '';
  @state() private segment = '';
  @state() private channel: Channel | '' = '';
  @state() private owner = '';
  @state() private tag = '';
  @state() private ltvMin = '';
  @state() private activeIndex = -1;
  @state() private message: { kind: 'status' | 'error'; text: string } | null = null;
  @state() private confirmingMerge = false;
  @state() private busy = false;

  #segments: Segment[] = [];
  #pages = new Map<number, DirectoryContact[] | 'loading'>();
  #total: number | null = null;
  #serverCurrency: string | null = null;
  #error: string | null = null;
  /** Bumped whenever the filter or sort changes, so answers to older requests are dropped. */
  #generation = 0;
  #requestKey = '';
  #searchTimer: ReturnType<typeof setTimeout> | undefined;
  #appliedQuery = '';

  #selected = new Set<string>();
  /** "All matching" mode: every contact of the filter except `#except`. */
  #allMatching = false;
  #except = new Set<string>();
  #anchor = -1;
  #rowHeight = 48;

  readonly #virtual = new VirtualizerController(this, {
    count: 0,
    estimateSize: () => this.#rowHeight,
    overscan: 8,
    getScrollElement: () => this.renderRoot?.querySelector<HTMLElement>('[part="table"]') ?? null,
    // The column headers (40 px) sit above the rows in the same scroller.
    scrollMargin: HEAD_HEIGHT,
  });

  #t(key: ContactsString, values?: Record<string, string | number>): string {
    return contactsString(this.i18n.lang, key, values);
  }

  /** The filter the server is asked for: the host's, then what the user picked. */
  get #filter(): DirectoryFilter {
    const ltvMin = Number(this.ltvMin);
    return {
      ...this.filter,
      ...(this.#appliedQuery ? { query: this.#appliedQuery } : {}),
      ...(this.segment ? { segment: this.segment } : {}),
      ...(this.channel ? { channels: [this.channel] } : {}),
      ...(this.owner ? { ownerId: this.owner } : {}),
      ...(this.tag.trim() ? { tags: [...(this.filter.tags ?? []), this.tag.trim()] } : {}),
      ...(this.ltvMin !== '' && Number.isFinite(ltvMin) && ltvMin >= 0 ? { ltvMin } : {}),
    };
  }

  protected override clientChanged(client: CharlaClient | undefined): void {
    this.#stopSegmentCounts?.();
    this.#stopSegmentCounts = undefined;
    this.#reset();
    if (!client) return;
    void this.#loadSegments(client);
    // Segments are live: a count that moved updates the menu, and the list when it shows that segment.
    const onChanged = ({ segmentId, count }: SegmentChangedData) => {
      if (!this.#segments.some((segment) => segment.id === segmentId && segment.count !== count)) return;
      this.#segments = this.#segments.map((segment) => (segment.id === segmentId ? { ...segment, count } : segment));
      if (this.segment === segmentId) this.#reset();
      this.requestUpdate();
    };
    client.socket?.on('segment.changed', onChanged);
    // Another agent's change to a contact shown loads its page again; a merge or a deletion, every loaded page (rows shift).
    const onEvents = (events: ChangeEvent[]) => {
      for (const event of events) {
        if (event.type === 'contact.upserted') this.#refreshRows(client, [event.data.contact.id]);
        else if (event.type === 'contact.merged' || event.type === 'contact.unmerged' || event.type === 'contact.deleted') this.#refreshRows(client, null);
      }
    };
    client.socket?.on('events', onEvents);
    this.#stopSegmentCounts = () => {
      client.socket?.off('segment.changed', onChanged);
      client.socket?.off('events', onEvents);
      clearTimeout(this.#refreshTimer);
    };
  }

  /** Contacts changed since the last refresh (null: all of them), reloaded together shortly after. */
  #stale: Set<string> | null = new Set();
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;

  #refreshRows(client: CharlaClient, ids: string[] | null): void {
    if (ids === null) this.#stale = null;
    else ids.forEach((id) => this.#stale?.add(id));
    if (this.#refreshTimer !== undefined) return;
    this.#refreshTimer = setTimeout(() => {
      this.#refreshTimer = undefined;
      const stale = this.#stale;
      this.#stale = new Set();
      for (const [page, rows] of this.#pages) {
        if (Array.isArray(rows) && (stale === null || rows.some((row) => stale.has(row.id)))) void this.#fetchPage(client, page);
      }
    }, 300);
  }

  #stopSegmentCounts?: () => void;

  async #loadSegments(client: CharlaClient): Promise<void> {
    try {
      this.#segments = await fetchSegments(client);
      this.requestUpdate();
    } catch {
      // The segment menu then offers the built-in ones without counts.
    }
  }

  /** Forgets loaded pages and the selection (the filter or sort changed). */
  #reset(): void {
    this.#generation += 1;
    this.#pages.clear();
    this.#total = null;
    this.#error = null;
    this.#clearSelection();
    this.activeIndex = -1;
  }

  #clearSelection(): void {
    this.#selected.clear();
    this.#except.clear();
    this.#allMatching = false;
    this.#anchor = -1;
    this.confirmingMerge = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const height = parseFloat(getComputedStyle(this).getPropertyValue('--charla-contacts-row-height'));
    if (height > 0) this.#rowHeight = height;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#searchTimer);
    this.#stopSegmentCounts?.();
    this.#stopSegmentCounts = undefined;
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    super.willUpdate(changed);
    const client = this.activeClient;
    const key = JSON.stringify([this.#filter, this.sort, this.direction]);
    if (client && key !== this.#requestKey) {
      this.#requestKey = key;
      this.#reset();
    }
    const count = client ? (this.#total ?? 0) : this.#dataRows().length;
    if (count !== this.#virtual.virtualizer.options.count) this.#virtual.update({ count });
  }

  protected override updated(): void {
    const client = this.activeClient;
    if (!client) return;
    if (this.#total === null) {
      void this.#loadPage(client, 0);
      return;
    }
    const items = this.#virtual.virtualizer.getVirtualItems();
    const first = items[0]?.index ?? 0;
    const last = items.at(-1)?.index ?? 0;
    for (let page = Math.floor(first / PAGE); page <= Math.floor(last / PAGE); page += 1) void this.#loadPage(client, page);
  }

  async #loadPage(client: CharlaClient, page: number): Promise<void> {
    if (this.#pages.has(page) || this.#error) return;
    this.#pages.set(page, 'loading');
    await this.#fetchPage(client, page);
  }

  /** Fetches a page (again): rows already shown stay until the new ones arrive. */
  async #fetchPage(client: CharlaClient, page: number): Promise<void> {
    const generation = this.#generation;
    try {
      const answer = await searchDirectory(client, {
        filter: this.#filter, sort: this.sort, direction: this.direction, offset: page * PAGE, limit: PAGE,
      });
      if (generation !== this.#generation) return;
      this.#pages.set(page, answer.contacts);
      this.#total = answer.total;
      this.#serverCurrency = answer.currency;
    } catch (error) {
      if (generation !== this.#generation) return;
      this.#pages.delete(page);
      this.#error = error instanceof Error ? error.message : String(error);
    }
    this.requestUpdate();
  }

  #retry(): void {
    this.#error = null;
    this.#pages.clear();
    this.#total = null;
    this.requestUpdate();
  }

  #dataRows(): DirectoryContact[] {
    return this.contacts;
  }

  #row(index: number): DirectoryContact | undefined {
    if (!this.activeClient) return this.#dataRows()[index];
    const page = this.#pages.get(Math.floor(index / PAGE));
    return Array.isArray(page) ? page[index % PAGE] : undefined;
  }

  get #count(): number {
    return this.activeClient ? (this.#total ?? 0) : this.#dataRows().length;
  }

  #isSelected(id: string): boolean {
    return this.#allMatching ? !this.#except.has(id) : this.#selected.has(id);
  }

  get #selectedCount(): number {
    return this.#allMatching ? Math.max(0, this.#count - this.#except.size) : this.#selected.size;
  }

  #selection(): ContactSelection {
    return this.#allMatching
      ? { filter: this.#filter, ...(this.#except.size > 0 ? { except: [...this.#except] } : {}) }
      : { ids: [...this.#selected] };
  }

  #setSelected(id: string, selected: boolean): void {
    const set = this.#allMatching ? this.#except : this.#selected;
    if (selected !== this.#allMatching) set.add(id);
    else set.delete(id);
  }

  /** Toggles the row; with `range`, sets every loaded row from the last toggled one to it the same way. */
  #toggle(index: number, range: boolean): void {
    const row = this.#row(index);
    if (!row) return;
    const select = !this.#isSelected(row.id);
    if (range && this.#anchor >= 0) {
      const [from, to] = this.#anchor < index ? [this.#anchor, index] : [index, this.#anchor];
      for (let i = from; i <= to; i += 1) {
        const other = this.#row(i);
        if (other) this.#setSelected(other.id, select);
      }
    } else {
      this.#setSelected(row.id, select);
    }
    this.#anchor = index;
    this.confirmingMerge = false;
    this.requestUpdate();
  }

  #open(index: number): void {
    const row = this.#row(index);
    if (!row) return;
    this.activeIndex = index;
    this.emit('charla-contact-open', { detail: { contactId: row.id } });
  }

  protected override focusTarget(): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>('[part="search"]');
  }

  #onSearch(event: InputEvent): void {
    this.query = (event.target as HTMLInputElement).value;
    clearTimeout(this.#searchTimer);
    this.#searchTimer = setTimeout(() => {
      this.#appliedQuery = this.query.trim();
      this.requestUpdate();
    }, 250);
  }

  #onKey(event: KeyboardEvent): void {
    const count = this.#count;
    if (count === 0) return;
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10 };
    if (event.key in moves) {
      event.preventDefault();
      this.activeIndex = this.activeIndex < 0 ? 0 : Math.min(count - 1, Math.max(0, this.activeIndex + moves[event.key]!));
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      this.activeIndex = event.key === 'Home' ? 0 : count - 1;
    } else if (event.key === ' ' && this.activeIndex >= 0) {
      event.preventDefault();
      this.#toggle(this.activeIndex, event.shiftKey);
      return;
    } else if (event.key === 'Enter' && this.activeIndex >= 0) {
      event.preventDefault();
      this.#open(this.activeIndex);
      return;
    } else {
      return;
    }
    this.#virtual.virtualizer.scrollToIndex(this.activeIndex, { align: 'auto' });
  }

  #sortBy(sort: DirectorySort): void {
    if (this.sort === sort) this.direction = this.direction === 'asc' ? 'desc' : 'asc';
    else {
      this.sort = sort;
      this.direction = sort === 'name' ? 'asc' : 'desc';
    }
  }

  /** Runs a bulk action, says how it went, and reloads what is shown. */
  async #act(run: (client: CharlaClient) => Promise<string>): Promise<void> {
    const client = this.activeClient;
    if (!client || this.busy) return;
    this.busy = true;
    try {
      const text = await run(client);
      this.message = { kind: 'status', text };
    } catch (error) {
      this.message = { kind: 'error', text: error instanceof Error ? error.message : String(error) };
    } finally {
      this.busy = false;
    }
  }

  #bulk(change: ContactBulkChange): Promise<void> {
    return this.#act(async (client) => {
      const result = await bulkUpdateContacts(client, this.#selection(), change);
      // The loaded rows load again (with their new tags or owner); the count and scroll stay.
      await Promise.all([...this.#pages.keys()].map((page) => this.#fetchPage(client, page)));
      void this.#loadSegments(client);
      return this.#t('tagged', { count: result.updated });
    });
  }

  #export(format: 'csv' | 'json'): Promise<void> {
    return this.#act(async (client) => {
      const count = this.#selectedCount;
      const blob = await exportContacts(client, this.#selection(), format);
      const url = URL.createObjectURL(blob);
      const link = Object.assign(document.createElement('a'), { href: url, download: `contacts.${format}` });
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      return this.#t('exported', { count });
    });
  }

  /** The two selected contacts, the older first (it survives, as every merge keeps the older). */
  #mergePair(): [DirectoryContact, DirectoryContact] | null {
    if (this.#allMatching || this.#selected.size !== 2) return null;
    const rows = [...this.#pages.values()].flatMap((page) => (Array.isArray(page) ? page : [])).filter((row) => this.#selected.has(row.id));
    if (rows.length !== 2) return null;
    const [a, b] = rows.sort((x, y) => x.createdAt.localeCompare(y.createdAt) || x.id.localeCompare(y.id)) as [DirectoryContact, DirectoryContact];
    return [a, b];
  }

  #merge(): Promise<void> {
    const pair = this.#mergePair();
    if (!pair) return Promise.resolve();
    return this.#act(async (client) => {
      const survivor = await client.mergeContacts(pair[0].id, pair[1].id);
      this.#reset();
      return this.#t('merged', { name: survivor.name ?? this.#t('unnamed') });
    });
  }

  #agentName(id: string | null): string | null {
    if (!id) return null;
    return (this.activeClient?.agent(id) ?? this.agents.find((agent) => agent.id === id))?.name ?? null;
  }

  get #agents(): Agent[] {
    return this.activeClient?.session?.agents ?? this.agents;
  }

  override render() {
    const client = this.activeClient;
    const offline = client && (client.state === 'reconnecting' || client.state === 'connecting') && this.#total !== null;
    return html`${this.#renderHeader()}
      ${offline ? html`<div class="offline" role="status">${this.#t('offline')}</div>` : nothing}
      ${this.#renderBulkBar()}
      ${this.message
        ? html`<div class="message" data-kind=${this.message.kind} role=${this.message.kind === 'error' ? 'alert' : 'status'}>${this.message.text}</div>`
        : nothing}
      ${this.#renderTable()}`;
  }

  #renderHeader() {
    const segmentLabel = (segment: Segment) => {
      const name = segment.builtIn ? this.#t(`segment.${segment.id}` as ContactsString) : segment.name;
      return `${name} (${segment.count})`;
    };
    const builtIns: Segment[] = this.#segments.length > 0
      ? this.#segments
      : (['new', 'active', 'at_risk', 'high_value', 'frequent_buyers', 'need_follow_up'] as const).map((id) => ({
          id, name: id, builtIn: true, filter: {}, count: 0, createdBy: null, createdAt: null, updatedAt: null,
        }));
    const select = (label: string, value: string, options: Array<[string, string]>, set: (value: string) => void, empty: string) =>
      html`<select class="control" aria-label=${label} title=${label} @change=${(event: Event) => set((event.target as HTMLSelectElement).value)}>
        <option value="" ?selected=${!value}>${empty}</option>
        ${options.map(([option, text]) => html`<option value=${option} ?selected=${option === value}>${text}</option>`)}
      </select>`;
    return html`<div part="header">
      <input part="search" class="search-field" type="search" .value=${live(this.query)} placeholder=${this.#t('search')} aria-label=${this.#t('search')} @input=${this.#onSearch} />
      <span part="filters" style="display: contents">
        ${select(
          this.#t('segment'), this.segment,
          builtIns.map((segment) => [segment.id, this.#segments.length > 0 ? segmentLabel(segment) : this.#t(`segment.${segment.id}` as ContactsString)]),
          (value) => (this.segment = value), this.#t('allContacts'),
        )}
        ${select(this.#t('channel'), this.channel, CHANNELS.map((channel) => [channel, this.i18n.t(`channel.${channel}`)]), (value) => (this.channel = value as Channel | ''), this.#t('anyChannel'))}
        ${select(this.#t('owner'), this.owner, [['none', this.#t('noOwner')], ...this.#agents.map((agent): [string, string] => [agent.id, agent.name])], (value) => (this.owner = value), this.#t('anyOwner'))}
        <input class="control" type="text" placeholder=${this.#t('tag')} aria-label=${this.#t('tag')} .value=${live(this.tag)}
          @change=${(event: Event) => (this.tag = (event.target as HTMLInputElement).value)} />
        <input class="control" type="number" min="0" placeholder=${this.#t('ltvMin')} aria-label=${this.#t('ltvMin')} .value=${live(this.ltvMin)}
          @change=${(event: Event) => (this.ltvMin = (event.target as HTMLInputElement).value)} />
      </span>
      <span class="total" role="status">${this.#total !== null || !this.activeClient ? this.#t('total', { count: this.#count.toLocaleString(this.i18n.lang) }) : ''}</span>
    </div>`;
  }

  #renderBulkBar() {
    const count = this.#selectedCount;
    if (count === 0) return nothing;
    const client = this.activeClient;
    const canChange = client && client.me?.role !== 'viewer';
    const pair = this.#mergePair();
    const tagInput = () => this.renderRoot.querySelector<HTMLInputElement>('#bulk-tag')?.value.trim() ?? '';
    const ownerInput = () => this.renderRoot.querySelector<HTMLSelectElement>('#bulk-owner')?.value ?? '';
    return html`<div part="bulk-bar" role="region" aria-label=${this.#t('selected', { count })}>
      <strong>${this.#t('selected', { count: count.toLocaleString(this.i18n.lang) })}</strong>
      ${!this.#allMatching && count < this.#count
        ? html`<button class="link" data-action="select-all" @click=${() => {
            this.#allMatching = true;
            this.#except.clear();
            this.#selected.clear();
            this.requestUpdate();
          }}>${this.#t('selectAll', { count: this.#count.toLocaleString(this.i18n.lang) })}</button>`
        : nothing}
      <button class="link" data-action="clear" @click=${() => {
        this.#clearSelection();
        this.requestUpdate();
      }}>${this.#t('clear')}</button>
      ${canChange
        ? html`<input id="bulk-tag" class="chip-input" type="text" maxlength="40" placeholder=${this.#t('tagName')} aria-label=${this.#t('tagName')} />
            <button class="small" data-action="add-tag" ?disabled=${this.busy} @click=${() => tagInput() && this.#bulk({ addTags: [tagInput()] })}>${this.#t('addTag')}</button>
            <button class="small" data-action="remove-tag" ?disabled=${this.busy} @click=${() => tagInput() && this.#bulk({ removeTags: [tagInput()] })}>${this.#t('removeTag')}</button>
            <select id="bulk-owner" class="control" aria-label=${this.#t('owner')}>
              <option value="none">${this.#t('noOwner')}</option>
              ${this.#agents.map((agent) => html`<option value=${agent.id}>${agent.name}</option>`)}
            </select>
            <button class="small" data-action="assign" ?disabled=${this.busy} @click=${() => this.#bulk({ ownerId: ownerInput() === 'none' ? null : ownerInput() })}>${this.#t('assign')}</button>
            <button class="small" data-action="export-csv" ?disabled=${this.busy} @click=${() => this.#export('csv')}>${this.#t('exportCsv')}</button>
            <button class="small" data-action="export-json" ?disabled=${this.busy} @click=${() => this.#export('json')}>${this.#t('exportJson')}</button>
            ${client?.me?.role === 'admin'
              ? html`<button class="small" data-action="broadcast" @click=${() =>
                  this.emit('charla-broadcast-compose', { detail: { selection: this.#selection(), count: this.#selectedCount } })}>${this.#t('broadcast')}</button>`
              : nothing}
            ${pair ? html`<button class="small" data-action="merge" ?disabled=${this.busy} @click=${() => (this.confirmingMerge = true)}>${this.#t('merge')}</button>` : nothing}`
        : nothing}
      ${pair && this.confirmingMerge
        ? html`<span role="alert">${this.#t('mergeConfirm', { merged: pair[1].name ?? this.#t('unnamed'), survivor: pair[0].name ?? this.#t('unnamed') })}</span>
            <button class="small" data-action="confirm-merge" @click=${() => this.#merge()}>${this.#t('confirm')}</button>
            <button class="small" @click=${() => (this.confirmingMerge = false)}>${this.#t('cancel')}</button>`
        : nothing}
    </div>`;
  }

  get #template(): string {
    return ['40px', ...this.columns.map((column) => WIDTHS[column as keyof typeof WIDTHS] ?? '160px')].join(' ');
  }

  #columnLabel(column: ContactColumn): string {
    return column.startsWith('attributes.') ? column.slice('attributes.'.length) : this.#t(`column.${column}` as ContactsString);
  }

  #renderTable() {
    const client = this.activeClient;
    const count = this.#count;
    const template = this.#template;
    const active = this.activeIndex >= 0 ? this.#row(this.activeIndex) : undefined;
    const state = () => {
      if (client && this.#error) {
        return html`<div class="state" role="alert"><p>${this.#t('error')}: ${this.#error}</p>
          <button class="small" @click=${() => this.#retry()}>${this.i18n.t('common.retry')}</button></div>`;
      }
      if (client && this.#total === null) return html`<p class="state" role="status">${this.i18n.t('common.loading')}</p>`;
      if (count === 0) {
        const filtered = Object.keys(this.#filter).length > 0;
        return html`<p class="state">${filtered ? this.#t('emptyFilter') : this.#t('empty')}</p>`;
      }
      return nothing;
    };
    return html`${state()}<div
      part="table"
      role="grid"
      tabindex="0"
      aria-label=${this.#t('label')}
      aria-rowcount=${count + 1}
      aria-multiselectable="true"
      aria-activedescendant=${active ? `row-${active.id}` : nothing}
      @keydown=${this.#onKey}
      ?hidden=${count === 0}
    >
      <div role="rowgroup" style="position: sticky; top: 0; z-index: 2">
        <div part="head" class="grid-row" role="row" aria-rowindex="1" style=${styleMap({ gridTemplateColumns: template })}>
          <span class="cell check" role="columnheader"><span class="visually-hidden">${this.#t('selectPage')}</span></span>
          ${this.columns.map((column) => {
            const sort = SORTABLE[column];
            const label = this.#columnLabel(column);
            const current = sort && this.sort === sort;
            return html`<span class="cell ${column === 'name' ? 'name' : ''}" role="columnheader"
              aria-sort=${current ? (this.direction === 'asc' ? 'ascending' : 'descending') : 'none'}>
              ${sort && client
                ? html`<button class="sort" data-sort=${sort} @click=${() => this.#sortBy(sort)}>${label}<span aria-hidden="true">${current ? (this.direction === 'asc' ? '▲' : '▼') : ''}</span></button>`
                : label}
            </span>`;
          })}
        </div>
      </div>
      <div class="rows" role="rowgroup" style=${styleMap({ height: `${this.#virtual.virtualizer.getTotalSize()}px` })}>
        ${repeat(
          this.#virtual.virtualizer.getVirtualItems(),
          (item) => item.key,
          (item) => this.#renderRow(item.index, item.start - HEAD_HEIGHT, template),
        )}
      </div>
    </div>`;
  }

  #renderRow(index: number, top: number, template: string) {
    const row = this.#row(index);
    const style = styleMap({ transform: `translateY(${top}px)`, gridTemplateColumns: template });
    if (!row) {
      return html`<div part="row" class="grid-row" role="row" aria-rowindex=${index + 2} style=${style}>
        <span class="cell check" role="gridcell"></span>
        ${this.columns.map(() => html`<span class="cell" role="gridcell"><span class="skeleton" aria-hidden="true"></span></span>`)}
      </div>`;
    }
    const selected = this.#isSelected(row.id);
    const name = row.name ?? row.email ?? row.phone ?? this.#t('unnamed');
    return html`<div
      part="row"
      class="grid-row"
      id="row-${row.id}"
      role="row"
      aria-rowindex=${index + 2}
      aria-selected=${selected ? 'true' : 'false'}
      data-id=${row.id}
      ?data-active=${index === this.activeIndex}
      style=${style}
      @click=${(event: MouseEvent) => {
        if ((event.target as HTMLElement).closest('.check')) return;
        this.#open(index);
      }}
    >
      <span class="cell check" role="gridcell">
        <input type="checkbox" tabindex="-1" .checked=${live(selected)} aria-label=${this.#t('selectRow', { name })}
          @click=${(event: MouseEvent) => {
            event.preventDefault();
            this.activeIndex = index;
            this.#toggle(index, event.shiftKey);
          }} />
      </span>
      ${this.columns.map((column) => this.#cell(row, column, name))}
    </div>`;
  }

  #cell(row: DirectoryContact, column: ContactColumn, name: string) {
    const text = (value: string | null | undefined, className = '') =>
      html`<span class="cell ${value ? className : 'muted'}" role="gridcell" title=${value ?? ''}>${value || '—'}</span>`;
    switch (column) {
      case 'name':
        return html`<span class="cell name" role="gridcell">${avatar(row.id, row.name, row.avatarUrl)}<span title=${name}>${name}</span></span>`;
      case 'phone':
        return text(row.phone);
      case 'email':
        return text(row.email);
      case 'company':
        return text(row.companyName);
      case 'channels':
        return text([...new Set(row.identities.map((identity) => this.i18n.t(`channel.${identity.channel}`)))].join(', '));
      case 'tags':
        return html`<span class="cell" role="gridcell" title=${(row.tags ?? []).join(', ')}>${(row.tags ?? []).map((tag) => html`<span class="chip">${tag}</span>`)}</span>`;
      case 'ltv':
        return text(this.i18n.money(row.ltv, this.#serverCurrency ?? this.currency), 'number');
      case 'lastInteractionAt':
        return text(row.lastInteractionAt ? this.i18n.age(row.lastInteractionAt) : this.#t('never'));
      case 'owner':
        return text(this.#agentName(row.ownerId));
      case 'openDeals':
        return text(String(row.openDeals), 'number');
      case 'createdAt':
        return text(new Date(row.createdAt).toLocaleDateString(this.i18n.lang));
      default:
        return text(row.attributes?.[column.slice('attributes.'.length)]);
    }
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'charla-contact-open': CustomEvent<ContactOpenDetail>;
    'charla-broadcast-compose': CustomEvent<BroadcastComposeDetail>;
  }
}
