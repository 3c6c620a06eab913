import { css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import { fetchCompany, searchCompanies, type CharlaClient, type CompanyOverview } from '@charla/client';
import { COMPANY_SORTS, type CompanySort, type CompanySummary } from '@charla/protocol';
import { CharlaElement } from '../base/charla-element.js';
import { ClientElement } from '../controllers/client-element.js';
import { avatar, avatarStyles } from '../shared/avatar.js';
import { controlStyles } from '../shared/controls.styles.js';
import { companiesString, type CompaniesString } from './companies.strings.js';

export interface CompanySelectDetail {
  companyId: string;
}

const PAGE = 50;

/**
 * Companies with their people, open deals, lifetime value and last interaction: a searchable,
 * sortable list; picking one shows its figures, its people (each opens with
 * `charla-contact-open`), its deals and its timeline (`<charla-timeline company-id>`).
 *
 * @tag charla-companies
 * @event charla-company-select - The user picked a company. `detail.companyId`.
 * @event charla-contact-open - The user opened one of the company's people. `detail.contactId`.
 * @csspart header - Search and sort.
 * @csspart search - The search field.
 * @csspart list - The list of companies.
 * @csspart company - A company of the list.
 * @csspart detail - The picked company.
 * @csspart figures - Its people, open deals, lifetime value and last interaction.
 * @csspart people - Its people.
 * @csspart deals - Its deals.
 * @csspart timeline - Its timeline.
 * @cssproperty --charla-companies-list-width - Width of the list beside the detail (default 340px).
 * @cssproperty --charla-companies-timeline-height - Height of the company's timeline (default 420px).
 */
export class CharlaCompanies extends ClientElement {
  static override styles = [
    CharlaElement.styles,
    avatarStyles,
    controlStyles,
    css`
      :host {
        display: block;
        min-height: 0;
        height: 100%;
        container-type: inline-size;
        background: var(--charla-color-surface, #fff);
      }
      .layout {
        display: grid;
        grid-template-columns: var(--charla-companies-list-width, 340px) minmax(0, 1fr);
        height: 100%;
      }
      .side {
        display: flex;
        flex-direction: column;
        min-height: 0;
        border-right: 1px solid var(--charla-color-border, #d9dee5);
      }
      [part='header'] {
        display: flex;
        flex-wrap: wrap;
        gap: var(--charla-space-s, 8px);
        padding: var(--charla-space-m, 12px);
        border-bottom: 1px solid var(--charla-color-border, #d9dee5);
      }
      [part='search'] {
        flex: 1 1 12em;
        min-width: 0;
      }
      .total {
        width: 100%;
        font-size: var(--charla-font-size-s, 12px);
        color: var(--charla-color-text-muted, #5b6777);
      }
      [part='list'] {
        flex: 1;
        min-height: 0;
        overflow-y: auto;
        margin: 0;
        padding: 0;
        list-style: none;
      }
      [part~='company'] button {
        all: unset;
        box-sizing: border-box;
        display: grid;
        grid-template-columns: 1fr auto;
        gap: 2px 8px;
        width: 100%;
        min-height: 44px;
        padding: 8px var(--charla-space-m, 12px);
        border-bottom: 1px solid var(--charla-color-border-subtle, #edf0f3);
        cursor: pointer;
      }
      [part~='company'] button:hover {
        background: var(--charla-color-surface-raised, #f6f8fa);
      }
      [part~='company'] button[aria-current='true'] {
        background: var(--charla-color-primary-soft, #e7f0ff);
      }
      [part~='company'] button:focus-visible {
        outline: 2px solid var(--charla-color-focus, #1f6feb);
        outline-offset: -2px;
      }
      .name {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .meta,
      .domain {
        font-size: var(--charla-font-size-s, 12px);
        color: var(--charla-color-text-muted, #5b6777);
      }
      .value {
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      [part='detail'] {
        min-height: 0;
        overflow-y: auto;
        /* The scrollbar appearing must not narrow the timeline, whose rows are measured by width. */
        scrollbar-gutter: stable;
        padding: var(--charla-space-m, 12px) var(--charla-space-l, 20px);
      }
      h2 {
        margin: 0;
        font-size: var(--charla-font-size-l, 18px);
      }
      h3 {
        margin: var(--charla-space-l, 20px) 0 var(--charla-space-s, 8px);
        font-size: var(--charla-font-size-s, 12px);
        text-transform: uppercase;
        letter-spacing: 0.04em;
        color: var(--charla-color-text-muted, #5b6777);
      }
      [part='figures'] {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(130px, 1fr));
        gap: var(--charla-space-s, 8px);
        margin: var(--charla-space-m, 12px) 0 0;
      }
      [part='figures'] div {
        padding: 8px 10px;
        border-radius: var(--charla-radius-m, 8px);
        background: var(--charla-color-surface-raised, #f6f8fa);
      }
      dt {
        font-size: var(--charla-font-size-s, 12px);
        color: var(--charla-color-text-muted, #5b6777);
      }
      dd {
        margin: 0;
        font-size: var(--charla-font-size-l, 16px);
        font-weight: 600;
      }
      ul.rows {
        margin: 0;
        padding: 0;
        list-style: none;
      }
      ul.rows li {
        display: flex;
        align-items: center;
        gap: 8px;
        min-height: 40px;
        border-bottom: 1px solid var(--charla-color-border-subtle, #edf0f3);
      }
      ul.rows button {
        all: unset;
        display: flex;
        align-items: center;
        gap: 8px;
        flex: 1;
        min-height: 40px;
        cursor: pointer;
      }
      ul.rows button {
        min-width: 0;
      }
      ul.rows .name {
        white-space: nowrap;
      }
      ul.rows .meta {
        flex: 1;
        min-width: 0;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      ul.rows button:focus-visible {
        outline: 2px solid var(--charla-color-focus, #1f6feb);
      }
      .state {
        margin: 0;
        padding: var(--charla-space-l, 20px) var(--charla-space-m, 12px);
        color: var(--charla-color-text-muted, #5b6777);
      }
      [role='alert'] {
        color: var(--charla-color-danger, #c62828);
      }
      /* A fixed height: the feed scrolls inside it (a height following its content would measure in a loop). */
      charla-timeline {
        display: block;
        height: var(--charla-companies-timeline-height, 420px);
        contain: strict;
      }
      @container (max-width: 700px) {
        .layout {
          grid-template-columns: minmax(0, 1fr);
          grid-template-rows: minmax(0, 45%) minmax(0, 1fr);
        }
        .side {
          border-right: 0;
          border-bottom: 1px solid var(--charla-color-border, #d9dee5);
        }
      }
    `,
  ];

  /** The picked company's id. */
  @property({ attribute: 'company-id' }) companyId: string | null = null;
  @property() sort: CompanySort = 'name';
  /** Data mode: the companies to list when there is no client. */
  @property({ attribute: false }) companies: CompanySummary[] = [];
  /** Data mode: the currency of lifetime values. */
  @property() currency = 'USD';

  @state() private query = '';
  @state() private list: CompanySummary[] = [];
  @state() private total: number | null = null;
  @state() private loading = false;
  @state() private error: string | null = null;
  @state() private overview: CompanyOverview | null = null;
  @state() private overviewError: string | null = null;
  #serverCurrency: string | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #generation = 0;

  #t(key: CompaniesString, values?: Record<string, string | number>): string {
    return companiesString(this.i18n.lang, key, values);
  }

  protected override clientChanged(client: CharlaClient | undefined): void {
    if (client) void this.#load(client, true);
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    super.willUpdate(changed);
    const client = this.activeClient;
    if (client && changed.has('sort') && changed.get('sort') !== undefined) void this.#load(client, true);
    if (client && changed.has('companyId')) void this.#loadOverview(client);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#timer);
  }

  async #load(client: CharlaClient, reset: boolean): Promise<void> {
    const generation = ++this.#generation;
    this.loading = true;
    this.error = null;
    try {
      const page = await searchCompanies(client, {
        ...(this.query.trim() ? { query: this.query.trim() } : {}),
        sort: this.sort, direction: this.sort === 'name' ? 'asc' : 'desc', offset: reset ? 0 : this.list.length, limit: PAGE,
      });
      if (generation !== this.#generation) return;
      this.list = reset ? page.companies : [...this.list, ...page.companies];
      this.total = page.total;
      this.#serverCurrency = page.currency;
    } catch (error) {
      if (generation === this.#generation) this.error = error instanceof Error ? error.message : String(error);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  async #loadOverview(client: CharlaClient): Promise<void> {
    this.overview = null;
    this.overviewError = null;
    const id = this.companyId;
    if (!id) return;
    try {
      const overview = await fetchCompany(client, id);
      if (this.companyId === id) this.overview = overview;
    } catch (error) {
      if (this.companyId === id) this.overviewError = error instanceof Error ? error.message : String(error);
    }
  }

  #pick(companyId: string): void {
    this.companyId = companyId;
    this.emit('charla-company-select', { detail: { companyId } });
  }

  #onSearch(event: InputEvent): void {
    this.query = (event.target as HTMLInputElement).value;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      const client = this.activeClient;
      if (client) void this.#load(client, true);
    }, 250);
  }

  get #currency(): string {
    return this.#serverCurrency ?? this.currency;
  }

  #shown(): CompanySummary[] {
    if (this.activeClient) return this.list;
    const query = this.query.trim().toLowerCase();
    return query ? this.companies.filter((c) => `${c.name} ${c.domain ?? ''}`.toLowerCase().includes(query)) : this.companies;
  }

  override render() {
    const companies = this.#shown();
    const total = this.activeClient ? this.total : companies.length;
    return html`<div class="layout"><div class="side">
        <div part="header">
          <input part="search" class="search-field" type="search" .value=${live(this.query)} placeholder=${this.#t('search')} aria-label=${this.#t('search')} @input=${this.#onSearch} />
          <select class="control" aria-label=${this.#t('sort')} @change=${(event: Event) => (this.sort = (event.target as HTMLSelectElement).value as CompanySort)}>
            ${COMPANY_SORTS.map((sort) => html`<option value=${sort} ?selected=${sort === this.sort}>${this.#t(`sort.${sort}`)}</option>`)}
          </select>
          <span class="total" role="status">${total === null ? '' : this.#t('total', { count: total.toLocaleString(this.i18n.lang) })}</span>
        </div>
        ${this.#renderList(companies, total)}
      </div>
      <section part="detail" aria-label=${this.overview?.company.name ?? this.#t('label')}>${this.#renderDetail()}</section></div>`;
  }

  #renderList(companies: CompanySummary[], total: number | null) {
    if (this.error) {
      return html`<div class="state" role="alert">${this.#t('error')}: ${this.error}
        <button class="small" @click=${() => this.activeClient && this.#load(this.activeClient, true)}>${this.i18n.t('common.retry')}</button></div>`;
    }
    if (this.activeClient && total === null) return html`<p class="state" role="status">${this.i18n.t('common.loading')}</p>`;
    if (companies.length === 0) {
      return html`<p class="state">${this.query.trim() ? this.#t('emptySearch', { query: this.query.trim() }) : this.#t('empty')}</p>`;
    }
    return html`<ul part="list" aria-label=${this.#t('label')}>
      ${repeat(companies, (company) => company.id, (company) => html`<li part="company">
        <button aria-current=${company.id === this.companyId ? 'true' : 'false'} data-id=${company.id} @click=${() => this.#pick(company.id)}>
          <span class="name">${company.name}</span>
          <span class="value">${this.i18n.money(company.ltv, this.#currency)}</span>
          <span class="meta">${this.#t(company.people === 1 ? 'onePerson' : 'peopleCount', { count: company.people })}${company.domain ? html` · <span class="domain">${company.domain}</span>` : nothing}</span>
          <span class="meta value">${company.openDeals > 0 ? this.#t(company.openDeals === 1 ? 'oneOpenDeal' : 'openDealsCount', { count: company.openDeals }) : ''}</span>
        </button>
      </li>`)}
      ${total !== null && companies.length < total
        ? html`<li><button class="small" ?disabled=${this.loading} @click=${() => this.activeClient && this.#load(this.activeClient, false)}>${this.#t('loadMore')}</button></li>`
        : nothing}
    </ul>`;
  }

  #renderDetail() {
    if (!this.companyId) return html`<p class="state">${this.#t('pick')}</p>`;
    if (this.overviewError) return html`<p class="state" role="alert">${this.#t('detailError')}: ${this.overviewError}</p>`;
    const overview = this.overview;
    if (!overview) {
      const known = this.#shown().find((company) => company.id === this.companyId);
      return known && !this.activeClient ? this.#renderFigures(known) : html`<p class="state" role="status">${this.i18n.t('common.loading')}</p>`;
    }
    const people = overview.people.contacts;
    return html`${this.#renderFigures(overview.company)}
      <h3 id="people">${this.#t('people')}</h3>
      ${people.length === 0
        ? html`<p class="meta">${this.#t('noPeople')}</p>`
        : html`<ul part="people" class="rows" aria-labelledby="people">
            ${people.map((person) => html`<li><button data-contact=${person.id} @click=${() => this.emit('charla-contact-open', { detail: { contactId: person.id } })}>
              ${avatar(person.id, person.name, person.avatarUrl)}
              <span class="name">${person.name ?? person.email ?? person.phone ?? this.#t('unnamed')}</span>
              <span class="meta">${person.email ?? person.phone ?? ''}</span>
            </button><span class="value">${this.i18n.money(person.ltv, this.#currency)}</span></li>`)}
          </ul>`}
      <h3 id="deals">${this.#t('deals')}</h3>
      ${overview.deals.length === 0
        ? html`<p class="meta">${this.#t('noDeals')}</p>`
        : html`<ul part="deals" class="rows" aria-labelledby="deals">
            ${overview.deals.map((deal) => html`<li><span class="name" style="flex: 1">${deal.title}</span>
              <span class="meta">${this.#t(`status.${deal.status}`)}</span>
              <span class="value">${this.i18n.money(deal.amount, deal.currency)}</span></li>`)}
          </ul>`}
      <h3 id="timeline">${this.#t('timeline')}</h3>
      <charla-timeline part="timeline" .client=${this.activeClient} company-id=${overview.company.id}></charla-timeline>`;
  }

  #renderFigures(company: CompanySummary) {
    return html`<h2>${company.name}</h2>
      ${company.domain ? html`<div class="domain">${company.domain}</div>` : nothing}
      <dl part="figures">
        <div><dt>${this.#t('people')}</dt><dd>${company.people}</dd></div>
        <div><dt>${this.#t('openDeals')}</dt><dd>${company.openDeals}</dd></div>
        <div><dt>${this.#t('ltv')}</dt><dd>${this.i18n.money(company.ltv, this.#currency)}</dd></div>
        <div><dt>${this.#t('lastInteraction')}</dt><dd>${company.lastInteractionAt ? this.i18n.age(company.lastInteractionAt) : this.#t('never')}</dd></div>
      </dl>`;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'charla-company-select': CustomEvent<CompanySelectDetail>;
  }
}
