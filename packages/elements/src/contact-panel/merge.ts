import { html, nothing, type ReactiveController, type ReactiveElement } from 'lit';
import type { CharlaClient } from '@charla/client';
import type { Contact, ContactMergePreview, ContactMergeRecord, DuplicateSuggestion, MergeConflict } from '@charla/protocol';
import type { Locale } from '../i18n/strings.js';
import { mergeString, type MergeString } from './merge.strings.js';

/** What the merge controller needs from the panel it lives in. */
export interface MergeHost {
  readonly element: ReactiveElement;
  readonly client: () => CharlaClient | undefined;
  readonly lang: () => Locale;
  /** Formats a date the way the panel does. */
  readonly day: (iso: string) => string;
  /** Two contacts became one: the panel shows the survivor and tells the host. */
  readonly merged: (survivorId: string, mergedId: string) => void;
}

/** Of two contacts, the one a merge keeps: the older one, as the server does for automatic merges. */
function survivorFirst(a: Contact, b: Contact): [Contact, Contact] {
  return a.createdAt <= b.createdAt ? [a, b] : [b, a];
}

/**
 * The contact panel's merging: link or merge with a searched contact after a preview of what
 * moves and how every conflicting value is kept, possible duplicates to review or dismiss, and
 * the undo of recent merges. Needs a client (everything here asks the server).
 */
export class ContactMerge implements ReactiveController {
  open = false;
  results: Contact[] = [];
  preview: ContactMergePreview | null = null;
  duplicates: DuplicateSuggestion[] = [];
  error: string | null = null;
  status: string | null = null;
  #contactId: string | null = null;
  #searchTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly host: MergeHost) {
    host.element.addController(this);
  }

  hostDisconnected(): void {
    clearTimeout(this.#searchTimer);
  }

  #update(): void {
    this.host.element.requestUpdate();
  }

  /** Moves focus to `selector` once rendered, where the agent continues. */
  async #focus(selector: string): Promise<void> {
    await this.host.element.updateComplete;
    this.host.element.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  #t(key: MergeString, values?: Record<string, string | number>): string {
    return mergeString(this.host.lang(), key, values);
  }

  #label(contact: Contact): string {
    return contact.name ?? contact.email ?? contact.phone ?? this.#t('someone');
  }

  #failed(error: unknown): void {
    this.error = (error as Error).message;
    this.#update();
  }

  /** Forgets what was shown for the previous contact. */
  reset(): void {
    this.#reset();
    this.duplicates = [];
    this.status = null;
  }

  /** Loads what the contact's panel shows about merging: its possible duplicates and undoable merges. */
  load(client: CharlaClient, contactId: string): void {
    this.#contactId = contactId;
    client.duplicates(contactId).then((duplicates) => {
      if (this.#contactId !== contactId) return;
      this.duplicates = duplicates;
      this.#update();
    }, () => undefined);
    client.loadMerges(contactId).catch(() => undefined);
  }

  #reset(): void {
    this.open = false;
    this.results = [];
    this.preview = null;
    this.error = null;
  }

  close(): void {
    this.#reset();
    this.#update();
  }

  #back(): void {
    this.preview = null;
    this.#update();
  }

  #start(): void {
    this.open = true;
    this.status = null;
    this.#update();
    void this.#focus('input.search');
  }

  #search(contact: Contact, query: string): void {
    clearTimeout(this.#searchTimer);
    this.preview = null;
    this.#searchTimer = setTimeout(async () => {
      const client = this.host.client();
      if (!client || !query) {
        this.results = [];
        this.#update();
        return;
      }
      try {
        this.results = (await client.searchContacts(query)).filter((found) => found.id !== contact.id);
        this.error = null;
        this.#update();
      } catch (error) {
        this.#failed(error);
      }
    }, 250);
  }

  /** Shows what merging the two would do; nothing changes until the agent confirms. */
  async review(contact: Contact, other: Contact): Promise<void> {
    const client = this.host.client();
    if (!client) return;
    const [survivor, merged] = survivorFirst(contact, other);
    try {
      this.open = true;
      this.preview = await client.previewMerge(survivor.id, merged.id);
      this.error = null;
      this.#update();
      await this.#focus('.preview');
    } catch (error) {
      this.#failed(error);
    }
  }

  async #confirm(): Promise<void> {
    const client = this.host.client();
    const preview = this.preview;
    if (!client || !preview) return;
    try {
      const survivor = await client.mergeContacts(preview.survivor.id, preview.merged.id);
      this.duplicates = this.duplicates.filter((d) => d.other.id !== preview.merged.id && d.other.id !== preview.survivor.id);
      this.close();
      this.host.merged(survivor.id, preview.merged.id);
    } catch (error) {
      this.#failed(error);
    }
  }

  async #dismiss(duplicate: DuplicateSuggestion): Promise<void> {
    try {
      await this.host.client()?.dismissDuplicate(duplicate.contact.id, duplicate.other.id);
      this.duplicates = this.duplicates.filter((d) => d !== duplicate);
      this.#update();
    } catch (error) {
      this.#failed(error);
    }
  }

  async #undo(contactId: string, record: ContactMergeRecord): Promise<void> {
    try {
      const { restored } = await this.host.client()!.unmergeContact(contactId, record.id);
      this.status = this.#t('undone', { name: this.#label(restored) });
      this.error = null;
      this.#update();
    } catch (error) {
      this.#failed(error);
    }
  }

  // ------------------------------------------------------------------ rendering

  /** Possible duplicates, the undo of recent merges, and the link/merge search with its preview. */
  render(contact: Contact) {
    return html`${this.#renderDuplicates(contact)} ${this.#renderMerges(contact)} ${this.#renderSearch(contact)}`;
  }

  #renderDuplicates(contact: Contact) {
    if (this.duplicates.length === 0 || this.preview) return nothing;
    return html`<section part="section duplicates" aria-labelledby="duplicates">
      <h3 id="duplicates">${this.#t('duplicates')}</h3>
      <p class="muted-text">${this.#t('duplicatesHint')}</p>
      <ul>
        ${this.duplicates.map(
          (duplicate) => html`<li class="duplicate">
            <span><strong>${this.#label(duplicate.other)}</strong> <span class="muted">· ${this.#t(`signal.${duplicate.signal}`)}</span></span>
            <span class="actions">
              <button class="small" aria-label=${this.#t('reviewWith', { name: this.#label(duplicate.other) })} @click=${() => this.review(contact, duplicate.other)}>
                ${this.#t('review')}
              </button>
              <button class="small" aria-label=${this.#t('dismissWith', { name: this.#label(duplicate.other) })} @click=${() => this.#dismiss(duplicate)}>
                ${this.#t('dismiss')}
              </button>
            </span>
          </li>`,
        )}
      </ul>
    </section>`;
  }

  #renderMerges(contact: Contact) {
    const merges = this.host.client()?.merges(contact.id) ?? [];
    if (merges.length === 0 && !this.status) return nothing;
    return html`<section part="section merges" aria-labelledby="merges">
      <h3 id="merges">${this.#t('merges')}</h3>
      ${this.status ? html`<p role="status">${this.status}</p>` : nothing}
      <ul>
        ${merges.map((record) => {
          const name = record.mergedName ?? this.#t('someone');
          return html`<li class="merge-record">
            <span>${this.#t('mergedOn', { name, date: this.host.day(record.createdAt) })}
              <span class="muted">· ${this.#t('undoUntil', { date: this.host.day(record.undoableUntil) })}</span></span>
            <button class="small" aria-label=${this.#t('undoWith', { name })} @click=${() => this.#undo(contact.id, record)}>${this.#t('undo')}</button>
          </li>`;
        })}
      </ul>
    </section>`;
  }

  /**
   * An unknown sender — nothing known but what their channel says (a handle, a profile name, the
   * WhatsApp number) — is linked to a contact; a known one absorbs another.
   */
  #renderSearch(contact: Contact) {
    const link = !contact.email && contact.nameSource !== 'agent' && (contact.tags ?? []).length === 0;
    const title = this.#t(link ? 'link' : 'merge');
    if (!this.open) {
      return html`<section part="section"><button class="small" @click=${() => this.#start()}>${title}…</button></section>`;
    }
    return html`<section part="section" aria-labelledby="merge">
      <h3 id="merge">${title}</h3>
      ${this.preview
        ? this.#renderPreview(this.preview)
        : html`<p class="muted-text">${this.#t(link ? 'linkHint' : 'mergeHint')}</p>
            <input
              class="search"
              type="search"
              aria-label=${this.#t('search')}
              placeholder=${this.#t('search')}
              @input=${(event: InputEvent) => this.#search(contact, (event.target as HTMLInputElement).value.trim())}
            />
            ${this.results.length > 0
              ? html`<ul class="results">
                  ${this.results.map(
                    (found) => html`<li>
                      <button class="result" @click=${() => this.review(contact, found)}>
                        <strong>${this.#label(found)}</strong>
                        <span>${[found.email, found.phone].filter(Boolean).join(' · ')}</span>
                      </button>
                    </li>`,
                  )}
                </ul>`
              : nothing}`}
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <button class="small" @click=${() => this.close()}>${this.#t('cancel')}</button>
    </section>`;
  }

  #conflictLine(conflict: MergeConflict): string {
    const field = conflict.field.startsWith('attributes.')
      ? this.#t('field.attribute', { name: conflict.field.slice('attributes.'.length) })
      : this.#t(`field.${conflict.field as 'name'}`);
    const where = conflict.keptIn === 'identity'
      ? this.#t('asIdentity', { channel: this.#t(`channel.${conflict.keptAs as 'email' | 'phone'}`) })
      : this.#t('asAttribute', { name: conflict.keptAs });
    const [kept, other] = conflict.resolution === 'replaced'
      ? [conflict.mergedValue, conflict.survivorValue]
      : [conflict.survivorValue, conflict.mergedValue];
    return this.#t(conflict.resolution, { field, kept, other, where });
  }

  #renderPreview(preview: ContactMergePreview) {
    const fields = preview.fills.map((field) => this.#t(`field.${field}`)).join(', ');
    return html`<div class="preview" role="group" tabindex="-1" aria-label=${this.#t('preview')}>
      <p>${this.#t('mergeInto', { merged: this.#label(preview.merged), survivor: this.#label(preview.survivor) })}</p>
      <p class="muted-text">${this.#t('moves', { ...preview.moves })}</p>
      ${preview.fills.length > 0 ? html`<p class="muted-text">${this.#t('fills', { fields })}</p>` : nothing}
      ${preview.tags.length > 0 ? html`<p class="muted-text">${this.#t('tags', { tags: preview.tags.join(', ') })}</p>` : nothing}
      ${preview.attributes.length > 0 ? html`<p class="muted-text">${this.#t('attributes', { names: preview.attributes.join(', ') })}</p>` : nothing}
      <h4>${this.#t('conflicts')}</h4>
      ${preview.conflicts.length === 0
        ? html`<p class="muted-text">${this.#t('noConflicts')}</p>`
        : html`<ul class="conflicts">
            ${preview.conflicts.map((conflict) => html`<li class="conflict" data-field=${conflict.field}>${this.#conflictLine(conflict)}</li>`)}
          </ul>`}
      <button class="small danger confirm" @click=${() => this.#confirm()}>${this.#t('confirm')}</button>
      <button class="small" @click=${() => this.#back()}>${this.#t('back')}</button>
    </div>`;
  }
}
