import { html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { AuditEntry, AuditPage, WorkspaceAgent } from '@charla/protocol';
import { SettingsSection } from './settings-section.js';
import { privacySettingsString, type PrivacySettingsString } from './privacy-settings.strings.js';

/** The kinds of activity the filter offers (an action and its sub-actions: `contact` also finds `contact.update`). */
const ACTIONS = [
  'contact', 'contacts.export', 'contacts.search', 'contact.data_export', 'contact.erase', 'conversation', 'deal', 'workspace', 'privacy', 'retention', 'agent',
] as const;

interface Filters {
  actor: string;
  action: string;
  /** Calendar days (yyyy-mm-dd) in the admin's time zone; `to` included. */
  from: string;
  to: string;
}

const PAGE = 50;

/**
 * Activity: the workspace's audit log, newest first: who changed what and when, every export of
 * personal data and search across contacts, every refused export, erasures and retention sweeps;
 * filtered by who, what and dates, older entries page by page. Erased people's entries keep the
 * fact, not the data.
 *
 * @tag charla-settings-activity
 * @csspart heading - The section's title.
 * @csspart body - The section's content.
 */
export class CharlaSettingsActivity extends SettingsSection {
  protected readonly heading = 'activity' as const;
  protected readonly hint = 'activityHint' as const;
  @state() private agents: WorkspaceAgent[] = [];
  @state() private entries: AuditEntry[] = [];
  @state() private nextCursor: string | null = null;
  @state() private listState: 'ready' | 'loading' | 'error' = 'ready';
  @state() private listError = '';
  @state() private filters: Filters = { actor: '', action: '', from: '', to: '' };
  /** Answers to an older request are dropped. */
  #request = 0;

  #p(key: PrivacySettingsString): string {
    return privacySettingsString(this.i18n.lang, key);
  }

  #query(cursor: string | null): string {
    const query = new URLSearchParams({ limit: String(PAGE) });
    const { actor, action, from, to } = this.filters;
    if (actor) query.set('actor', actor);
    if (action) query.set('action', action);
    // Days are the admin's own: midnight where they are, sent as an instant.
    if (from) query.set('from', new Date(`${from}T00:00:00`).toISOString());
    if (to) {
      const end = new Date(`${to}T00:00:00`);
      end.setDate(end.getDate() + 1);
      query.set('to', end.toISOString());
    }
    if (cursor) query.set('cursor', cursor);
    return `/api/v1/audit?${query}`;
  }

  protected async load(): Promise<void> {
    const [agents, page] = await Promise.all([this.api<WorkspaceAgent[]>('GET', '/api/v1/agents'), this.api<AuditPage>('GET', this.#query(null))]);
    this.agents = agents;
    this.entries = page.entries;
    this.nextCursor = page.nextCursor;
    this.listState = 'ready';
  }

  async #fetch(more: boolean): Promise<void> {
    const request = ++this.#request;
    this.listState = 'loading';
    try {
      const page = await this.api<AuditPage>('GET', this.#query(more ? this.nextCursor : null));
      if (request !== this.#request) return;
      this.entries = more ? [...this.entries, ...page.entries] : page.entries;
      this.nextCursor = page.nextCursor;
      this.listState = 'ready';
    } catch (error) {
      if (request !== this.#request) return;
      this.listError = error instanceof Error ? error.message : String(error);
      this.listState = 'error';
    }
  }

  #filter(key: keyof Filters, value: string): void {
    this.filters = { ...this.filters, [key]: value };
    void this.#fetch(false);
  }

  #who(entry: AuditEntry): string {
    if (entry.actorName) return entry.actorName;
    if (entry.actorKind === 'system') return this.#p('system');
    return entry.actorKind === 'visitor' ? this.#p('visitor') : this.#p('formerAgent');
  }

  #what(entry: AuditEntry): string {
    const base = entry.action.endsWith('.refused') ? entry.action.slice(0, -'.refused'.length) : entry.action;
    return (ACTIONS as readonly string[]).includes(base) ? this.#p(`action.${base}` as PrivacySettingsString) : base;
  }

  /** What the entry's data says, briefly, as text (never markup). */
  #details(entry: AuditEntry): string {
    const data = entry.data;
    if (data.redacted === true) return this.#p('redacted');
    const parts: string[] = [];
    const changes = data.changes as Record<string, { from: unknown; to: unknown }> | undefined;
    if (changes && typeof changes === 'object') {
      for (const [field, change] of Object.entries(changes)) parts.push(`${field}: ${String(change.from ?? '—')} → ${String(change.to ?? '—')}`);
    }
    for (const [key, value] of Object.entries(data)) {
      if (key === 'changes') continue;
      if (Array.isArray(value)) parts.push(`${key}: ${value.length > 0 && value.every((v) => typeof v === 'string') ? value.join(', ') : value.length}`);
      else if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) parts.push(`${key}: ${String(value)}`);
    }
    return parts.slice(0, 8).join(' · ');
  }

  #when(iso: string): string {
    return `${this.i18n.day(iso)} ${this.i18n.time(iso)}`;
  }

  #renderFilters() {
    const id = (key: string) => `${this.uid}-${key}`;
    const onChange = (key: keyof Filters) => (event: Event) => this.#filter(key, (event.target as HTMLInputElement | HTMLSelectElement).value);
    return html`<form class="card" aria-label=${this.#p('filter')} @submit=${(event: Event) => event.preventDefault()}>
      <div class="fields">
        <div class="field">
          <label for=${id('actor')}>${this.#p('who')}</label>
          <select id=${id('actor')} @change=${onChange('actor')}>
            <option value="" ?selected=${!this.filters.actor}>${this.#p('anyone')}</option>
            ${this.agents.map((agent) => html`<option value=${agent.id} ?selected=${this.filters.actor === agent.id}>${agent.name}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for=${id('action')}>${this.#p('what')}</label>
          <select id=${id('action')} @change=${onChange('action')}>
            <option value="" ?selected=${!this.filters.action}>${this.#p('anything')}</option>
            ${ACTIONS.map((action) => html`<option value=${action} ?selected=${this.filters.action === action}>${this.#p(`action.${action}`)}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for=${id('from')}>${this.#p('from')}</label>
          <input id=${id('from')} type="date" .value=${this.filters.from} max=${this.filters.to || nothing} @change=${onChange('from')} />
        </div>
        <div class="field">
          <label for=${id('to')}>${this.#p('to')}</label>
          <input id=${id('to')} type="date" .value=${this.filters.to} min=${this.filters.from || nothing} @change=${onChange('to')} />
        </div>
      </div>
    </form>`;
  }

  #renderEntries() {
    if (this.entries.length === 0) {
      if (this.listState === 'loading') return html`<p class="empty" role="status">${this.t('loading')}</p>`;
      return this.listState === 'error' ? nothing : html`<p class="empty">${this.#p('noEntries')}</p>`;
    }
    return html`<table aria-label=${this.#p('entries')} aria-busy=${this.listState === 'loading' ? 'true' : 'false'}>
      <thead><tr><th scope="col">${this.#p('when')}</th><th scope="col">${this.#p('who')}</th><th scope="col">${this.#p('what')}</th><th scope="col">${this.#p('details')}</th></tr></thead>
      <tbody>
        ${repeat(this.entries, (entry) => entry.id, (entry) => html`<tr data-action=${entry.action}>
          <td data-label=${this.#p('when')}><time datetime=${entry.createdAt}>${this.#when(entry.createdAt)}</time></td>
          <td data-label=${this.#p('who')}>${this.#who(entry)}</td>
          <td data-label=${this.#p('what')}>
            ${this.#what(entry)}
            ${entry.action.endsWith('.refused') ? html`<span class="badge" data-tone="bad">${this.#p('refused')}</span>` : nothing}
            <span class="sub">${entry.targetKind} ${entry.targetId}</span>
          </td>
          <td data-label=${this.#p('details')}><span class="sub">${this.#details(entry)}</span></td>
        </tr>`)}
      </tbody>
    </table>`;
  }

  protected renderBody() {
    return html`${this.#renderFilters()}
      ${this.listState === 'error'
        ? html`<p class="error" role="alert">${this.t('loadFailed', { reason: this.listError })}</p>
            <button type="button" @click=${() => void this.#fetch(false)}>${this.t('retry')}</button>`
        : nothing}
      ${this.#renderEntries()}
      ${this.nextCursor
        ? html`<div class="actions" style="margin-top: 12px">
            <button type="button" ?disabled=${this.listState === 'loading'} @click=${() => void this.#fetch(true)}>
              ${this.listState === 'loading' ? this.t('loading') : this.#p('older')}
            </button>
          </div>`
        : nothing}`;
  }
}
