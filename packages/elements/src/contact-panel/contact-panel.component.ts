import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { CharlaClient } from '@charla/client';
import type { Company, Contact, ContactCommerce, ContactInsights, Deal, Note } from '@charla/protocol';
import { CharlaElement } from '../base/charla-element.js';
import { ClientElement } from '../controllers/client-element.js';
import { avatar, avatarStyles, channelBadge } from '../shared/avatar.js';
import { controlStyles } from '../shared/controls.styles.js';
import { firstControl } from '../shared/focus.js';
import type { DealSavedDetail } from '../shared/deal-editor.js';
import { dealEditorIn, taskEditorIn } from '../shared/editors.js';
import { editorString } from '../shared/editors.strings.js';
import type { TaskCreatedDetail } from '../shared/task-editor.js';
import { aiFieldMark, aiInsightsStyles, renderAiInsights } from './ai-insights.js';
import { contactPanelStyles } from './contact-panel.styles.js';
import { ContactPrivacy } from './privacy.js';
import { ContactMerge } from './merge.js';
import { inboxStrings } from '../inbox/inbox.strings.js';
import { composerStrings } from '../thread/composer.strings.js';
import { contactStrings } from './contact.strings.js';
import { useStrings } from '../i18n/strings.js';

useStrings(inboxStrings, composerStrings, contactStrings);

export const EDITABLE_FIELDS = ['name', 'email', 'phone'] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];

/** The built-in sections, in the order they appear (the header with the name is always shown). */
export const CONTACT_PANEL_SECTIONS = ['details', 'insights', 'channels', 'tags', 'value', 'deals', 'tasks', 'notes', 'merge', 'privacy'] as const;
export type ContactPanelSection = (typeof CONTACT_PANEL_SECTIONS)[number];

const isSection = (name: string): name is ContactPanelSection => (CONTACT_PANEL_SECTIONS as readonly string[]).includes(name);

/** `sections="details deals notes"`: the names, in any order; unknown ones are named in a warning and skipped. */
const sectionsConverter = {
  fromAttribute(value: string | null): ContactPanelSection[] | null {
    if (value === null) return null;
    const names = value.split(/[\s,]+/).filter(Boolean);
    const unknown = names.filter((name) => !isSection(name));
    if (unknown.length > 0) console.warn(`<charla-contact-panel sections>: no section named ${unknown.join(', ')} (known: ${CONTACT_PANEL_SECTIONS.join(' ')})`);
    return names.filter(isSection);
  },
};

export interface ContactEditDetail {
  contactId: string;
  patch: Partial<Record<EditableField, string | null>> & { tags?: string[]; attributes?: Record<string, string>; marketingOptOut?: boolean };
}

export interface MessageRevealDetail {
  conversationId: string;
  messageId: string;
}

export interface ContactMergeDetail {
  /** The contact that remains. */
  survivorId: string;
  /** The contact merged into it (it no longer exists). */
  mergedId: string;
}

export interface NoteCreateDetail {
  contactId: string;
  body: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

/**
 * The profile beside the chat: who the person is on every channel, their company, what they are
 * worth (lifetime value, pending balance, open invoices), open deals and tasks, and the team's
 * notes. Name, email and phone are edited in place (Enter saves, Escape cancels), validated here
 * and on the server.
 *
 * With a client it also offers merging: link or merge with a searched contact after a preview of
 * what moves and how every conflicting value is kept; possible duplicates (same or similar name)
 * to review or dismiss; and "undo merge" for 30 days after a merge.
 *
 * @tag charla-contact-panel
 * @event charla-contact-edit - The user saved a field (cancelable: cancel it to save it yourself). `detail: {contactId, patch}`.
 * @event charla-note-create - The user added a note (cancelable). `detail: {contactId, body}`.
 * @event charla-contact-merge - Two contacts became one (after the user confirmed). `detail: {survivorId, mergedId}`.
 * @event charla-message-reveal - The user asked to see the message an AI-filled field came from: show that conversation and call the thread's `revealMessage(messageId)`. `detail: {conversationId, messageId}`.
 * A host adds its own sections (say, the customer's orders) as children with `slot="section"`,
 * each with its own heading; they follow the built-in ones while a contact is shown. `sections`
 * picks the built-in sections to show.
 *
 * @slot section - The host's own sections, after the built-in ones (each gets a section's padding and rule; give it a heading).
 * @csspart header - Avatar, name and company.
 * @csspart section - Each section (details, identities, value, deals, tasks, notes).
 * @event charla-deal-saved - The user edited one of the contact's deals (its ✎ button). `detail: {deal, changes}`.
 * @event charla-task-created - The user created a task for the contact or one of its deals. `detail: {task}`.
 * @csspart duplicates - The possible duplicates section (also a `section`).
 * @csspart privacy - Admins only: "Download data" (the person's whole archive) and "Erase this person" (also a `section`).
 * @event charla-contact-erase - An admin erased the person shown (after confirming). `detail: {contactId}`.
 * @csspart merges - The recent merges that can be undone (also a `section`).
 * @csspart avatar - The contact's avatar.
 * @csspart channel - A channel badge.
 * @csspart ai-insights - The AI insights section (summary, sentiment, topics, next action, qualification, AI-filled fields).
 * @csspart ai-verdict - The qualification verdict with its BANT answers.
 * @cssproperty --charla-contact-panel-background - Background of the panel.
 */
export class CharlaContactPanel extends ClientElement {
  static override styles = [CharlaElement.styles, avatarStyles, controlStyles, contactPanelStyles, aiInsightsStyles];

  /** The contact shown. */
  @property({ attribute: 'contact-id' }) contactId: string | null = null;
  /** Data mode: the contact. */
  @property({ attribute: false }) contact: Contact | null = null;
  /** Data mode: its company. */
  @property({ attribute: false }) company: Company | null = null;
  /** Data mode: notes, newest first. */
  @property({ attribute: false }) notes: Note[] = [];
  /** Data mode: value, invoices, deals and tasks. */
  @property({ attribute: false }) commerce: ContactCommerce | null = null;
  /** Data mode: the AI insights (latest analysis and AI-filled fields). */
  @property({ attribute: false }) insights: ContactInsights | null = null;
  /** Read-only: no editing (viewers get this automatically). */
  @property({ type: Boolean, reflect: true }) readonly = false;
  /**
   * The built-in sections to show, by name (`sections="details deals notes"`; order is always the
   * panel's own): `details` (email, phone), `insights` (AI), `channels`, `tags` (tags and
   * attributes), `value` (lifetime value, balance, invoices), `deals`, `tasks`, `notes`, `merge`
   * (duplicates, undo, link or merge), `privacy` (admins: download data, erase). Unset: all of them.
   */
  @property({ converter: sectionsConverter }) sections: ContactPanelSection[] | null = null;

  @state() private editing: EditableField | null = null;
  @state() private draft = '';
  @state() private fieldError: string | null = null;
  @state() private saving = false;
  @state() private loadError: string | null = null;
  @state() private noteBody = '';
  @state() private noteError: string | null = null;
  @state() private extrasError: string | null = null;
  readonly #merge = new ContactMerge({
    element: this,
    client: () => this.activeClient,
    lang: () => this.i18n.lang,
    day: (iso) => this.i18n.day(iso),
    merged: (survivorId, mergedId) => {
      this.contactId = survivorId;
      this.emit('charla-contact-merge', { detail: { survivorId, mergedId } });
    },
  });

  readonly #privacy = new ContactPrivacy({
    element: this,
    client: () => this.activeClient,
    lang: () => this.i18n.lang,
    erased: (contactId) => {
      this.contactId = null;
      this.emit('charla-contact-erase', { detail: { contactId } });
    },
  });

  get #contact(): Contact | null {
    return (this.contactId && this.activeClient?.contact(this.contactId)) || this.contact;
  }

  get #readonly(): boolean {
    return this.readonly || this.activeClient?.me?.role === 'viewer';
  }

  #shows(section: ContactPanelSection): boolean {
    return this.sections === null || this.sections.includes(section);
  }

  /** The first control: the name's edit button, or the first one below it. */
  protected override focusTarget(): HTMLElement | null {
    return firstControl(this.renderRoot);
  }

  protected override clientChanged(client: CharlaClient | undefined): void {
    if (client) this.#load(client);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('contactId')) {
      this.editing = null;
      this.fieldError = null;
      this.noteBody = '';
      this.#merge.reset();
      this.#privacy.reset();
      if (this.activeClient) this.#load(this.activeClient);
    }
  }

  #load(client: CharlaClient): void {
    const id = this.contactId;
    if (!id) return;
    this.loadError = null;
    client.loadProfile(id).catch((error: Error) => {
      if (this.contactId === id) this.loadError = error.message;
    });
    this.#merge.load(client, id);
  }

  // ------------------------------------------------------------------ editing

  #startEdit(field: EditableField): void {
    if (this.#readonly) return;
    this.editing = field;
    this.draft = this.#contact?.[field] ?? '';
    this.fieldError = null;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>(`#edit-${field}`)?.focus());
  }

  #validate(field: EditableField, value: string): string | null {
    if (field === 'email' && value && !EMAIL.test(value)) return this.i18n.t('contact.invalidEmail');
    if (field === 'name' && !value) return this.i18n.t('contact.nameRequired');
    return null;
  }

  async #save(): Promise<void> {
    const field = this.editing;
    const contact = this.#contact;
    if (!field || !contact) return;
    const value = this.draft.trim();
    const problem = this.#validate(field, value);
    if (problem) {
      this.fieldError = problem;
      return;
    }
    if (value === (contact[field] ?? '')) {
      this.editing = null;
      return;
    }
    const patch = { [field]: value || null };
    if (!this.emit('charla-contact-edit', { detail: { contactId: contact.id, patch }, cancelable: true })) {
      this.editing = null;
      return;
    }
    const client = this.activeClient;
    if (!client) {
      this.editing = null;
      return;
    }
    this.saving = true;
    try {
      await client.updateContact(contact.id, patch);
      this.editing = null;
      this.fieldError = null;
    } catch (error) {
      // The server reads a phone in the contact's country and refuses one that is no valid number.
      const refusedPhone = field === 'phone' && (error as { code?: string }).code === 'invalid_payload';
      this.fieldError = refusedPhone ? this.i18n.t('contact.invalidPhone') : (error as Error).message;
    } finally {
      this.saving = false;
    }
  }

  #onFieldKey(event: KeyboardEvent): void {
    if (event.key === 'Enter') {
      event.preventDefault();
      void this.#save();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      this.editing = null;
      this.fieldError = null;
    }
  }

  async #addNote(event: Event): Promise<void> {
    event.preventDefault();
    const contact = this.#contact;
    const body = this.noteBody.trim();
    if (!contact || !body) return;
    if (!this.emit('charla-note-create', { detail: { contactId: contact.id, body }, cancelable: true })) return;
    this.noteError = null;
    try {
      await this.activeClient?.addNote(contact.id, body);
      this.noteBody = '';
    } catch (error) {
      this.noteError = (error as Error).message;
    }
  }

  /** Saves tags or attributes (replaced as a whole); failures are shown in the section. */
  async #savePatch(patch: { tags?: string[]; attributes?: Record<string, string>; marketingOptOut?: boolean }): Promise<void> {
    const contact = this.#contact;
    if (!contact || !this.emit('charla-contact-edit', { detail: { contactId: contact.id, patch }, cancelable: true })) return;
    this.extrasError = null;
    try {
      await this.activeClient?.updateContact(contact.id, patch);
    } catch (error) {
      this.extrasError = (error as Error).message;
    }
  }

  #addTag(event: KeyboardEvent): void {
    const input = event.target as HTMLInputElement;
    const tag = input.value.trim();
    const contact = this.#contact;
    if (event.key !== 'Enter' || !tag || !contact) return;
    event.preventDefault();
    input.value = '';
    const tags = contact.tags ?? [];
    if (!tags.includes(tag)) void this.#savePatch({ tags: [...tags, tag] });
  }

  #addAttribute(event: Event): void {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const key = (form.elements.namedItem('key') as HTMLInputElement).value.trim();
    const value = (form.elements.namedItem('value') as HTMLInputElement).value.trim();
    const contact = this.#contact;
    if (!key || !contact) return;
    form.reset();
    void this.#savePatch({ attributes: { ...(contact.attributes ?? {}), [key]: value } });
  }

  #renderExtras(contact: Contact) {
    const tags = contact.tags ?? [];
    const attributes = Object.entries(contact.attributes ?? {});
    const editable = !this.#readonly && this.activeClient !== undefined;
    if (!editable && tags.length === 0 && attributes.length === 0) return nothing;
    return html`<section part="section" aria-labelledby="tags">
      <h3 id="tags">${this.i18n.t('contact.tags')}</h3>
      <div class="chips">
        ${tags.map(
          (tag) => html`<span class="chip"
            >${tag}${editable
              ? html`<button class="chip-remove" aria-label=${this.i18n.t('contact.removeTag', { tag })} @click=${() => this.#savePatch({ tags: tags.filter((t) => t !== tag) })}>
                  ×
                </button>`
              : nothing}</span
          >`,
        )}
        ${editable
          ? html`<input class="chip-input" maxlength="40" aria-label=${this.i18n.t('contact.addTag')} placeholder=${this.i18n.t('contact.addTag')} @keydown=${this.#addTag} />`
          : nothing}
      </div>
      ${attributes.length > 0 || editable
        ? html`<h3 class="sub">${this.i18n.t('contact.attributes')}</h3>
            <dl>
              ${attributes.map(
                ([key, value]) => html`<dt>${key}</dt>
                  <dd class="attribute">
                    <span>${value}</span>
                    ${editable
                      ? html`<button
                          class="chip-remove"
                          aria-label=${this.i18n.t('contact.removeAttribute', { name: key })}
                          @click=${() => {
                            const next = { ...(contact.attributes ?? {}) };
                            delete next[key];
                            void this.#savePatch({ attributes: next });
                          }}
                        >
                          ×
                        </button>`
                      : nothing}
                  </dd>`,
              )}
            </dl>
            ${editable
              ? html`<form class="attribute-form" @submit=${this.#addAttribute}>
                  <input class="control" name="key" maxlength="40" required aria-label=${this.i18n.t('contact.attributeName')} placeholder=${this.i18n.t('contact.attributeName')} />
                  <input class="control" name="value" maxlength="500" aria-label=${this.i18n.t('contact.attributeValue')} placeholder=${this.i18n.t('contact.attributeValue')} />
                  <button class="small" type="submit">${this.i18n.t('contact.add')}</button>
                </form>`
              : nothing}`
        : nothing}
      ${this.extrasError ? html`<p class="error" role="alert">${this.extrasError}</p>` : nothing}
    </section>`;
  }

  // ------------------------------------------------------------------ rendering

  protected override render() {
    const contact = this.#contact;
    if (!contact) {
      if (this.loadError) return html`<p class="state" role="alert">${this.i18n.t('contact.error')}: ${this.loadError}</p>`;
      return html`<p class="state" role="status">${this.contactId ? this.i18n.t('common.loading') : this.i18n.t('contact.none')}</p>`;
    }
    const client = this.activeClient;
    const company = (contact.companyId && client?.companiesById.get(contact.companyId)) || this.company;
    const notes = client ? (client.notesByContact.get(contact.id) ?? []) : this.notes;
    const commerce = client ? client.contactCommerce(contact.id).data : this.commerce;
    const insights = client ? client.ai.insights(contact.id) : null;
    const aiData = insights ? insights.data : this.insights;
    return html`
      <header part="header">
        ${avatar(contact.id, contact.name, contact.avatarUrl)}
        ${this.#renderField('name', contact, html`<p class="name">${contact.name ?? this.i18n.t('inbox.unknownContact')}</p>`)}
        ${company ? html`<span class="company">${company.name}${company.domain ? ` · ${company.domain}` : ''}</span>` : nothing}
      </header>
      ${this.#shows('details')
        ? html`<section part="section" aria-labelledby="details">
            <h3 id="details">${this.i18n.t('contact.details')}</h3>
            <dl>
              <dt>${this.i18n.t('contact.email')}</dt>
              <dd>${this.#renderField('email', contact)}${aiFieldMark(this.i18n, aiData, 'email')}</dd>
              <dt>${this.i18n.t('contact.phone')}</dt>
              <dd>${this.#renderField('phone', contact)}${aiFieldMark(this.i18n, aiData, 'phone')}</dd>
              <dt>${this.i18n.t('contact.marketing')}</dt>
              <dd>${this.#renderConsent(contact)}</dd>
            </dl>
            ${this.extrasError && !this.#shows('tags') ? html`<p class="error" role="alert">${this.extrasError}</p>` : nothing}
          </section>`
        : nothing}
      ${this.#shows('insights')
        ? renderAiInsights(this.i18n, aiData, insights?.loading ?? false, ({ conversationId, messageId }) =>
            this.emit('charla-message-reveal', { detail: { conversationId, messageId } }))
        : nothing}
      ${this.#shows('channels') ? this.#renderIdentities(contact) : nothing} ${this.#shows('tags') ? this.#renderExtras(contact) : nothing}
      ${commerce ? this.#renderCommerce(commerce) : nothing}
      ${this.#shows('notes') ? this.#renderNotes(contact, notes) : nothing}
      ${this.#readonly || !client || !this.#shows('merge') ? nothing : this.#merge.render(contact)}
      ${this.#shows('privacy') ? this.#privacy.render(contact) : nothing}
      <slot name="section"></slot>
      <charla-deal-editor .client=${client} @charla-deal-saved=${this.#onDealSaved}></charla-deal-editor>
      <charla-task-editor .client=${client} @charla-task-created=${this.#onTaskCreated}></charla-task-editor>
    `;
  }

  /** Whether the person gets campaigns: since when and how they opted out, and the switch for agents. */
  #renderConsent(contact: Contact) {
    const optOut = contact.marketingOptOut;
    const how = !optOut
      ? ''
      : optOut.source === 'keyword' && optOut.keyword
        ? this.i18n.t('contact.optedOutKeyword', { keyword: optOut.keyword, channel: optOut.channel ? this.i18n.t(`channel.${optOut.channel}`) : '' })
        : optOut.byName
          ? this.i18n.t('contact.optedOutBy', { name: optOut.byName })
          : '';
    return html`<span class="consent" data-opted-out=${optOut ? 'true' : 'false'}>
      <span>${optOut ? this.i18n.t('contact.optedOut', { date: this.i18n.day(optOut.at) }) : this.i18n.t('contact.subscribed')}${how ? html`<span class="muted"> · ${how}</span>` : nothing}</span>
      ${this.#readonly
        ? nothing
        : html`<button class="small" type="button" @click=${() => this.#savePatch({ marketingOptOut: !optOut })}>
            ${this.i18n.t(optOut ? 'contact.optIn' : 'contact.optOut')}
          </button>`}
    </span>`;
  }

  #renderField(field: EditableField, contact: Contact, display?: unknown) {
    const value = contact[field];
    const label = this.i18n.t(`contact.${field}`);
    if (this.editing === field) {
      return html`<span class="field">
          <input
            class="control"
            id="edit-${field}"
            type=${field === 'email' ? 'email' : field === 'phone' ? 'tel' : 'text'}
            .value=${this.draft}
            aria-label=${label}
            aria-invalid=${this.fieldError ? 'true' : 'false'}
            aria-describedby="error-${field}"
            ?disabled=${this.saving}
            placeholder=${field === 'phone' ? '+52 55 1234 5678' : ''}
            @input=${(event: InputEvent) => (this.draft = (event.target as HTMLInputElement).value)}
            @keydown=${this.#onFieldKey}
          />
          <button class="small" @click=${this.#save} ?disabled=${this.saving}>${this.i18n.t('contact.save')}</button>
        </span>
        ${this.fieldError ? html`<p class="error" id="error-${field}" role="alert">${this.fieldError}</p>` : nothing}`;
    }
    const shown = display ?? (value ? html`${value}` : html`<span class="empty">${this.i18n.t('contact.add')}</span>`);
    if (this.#readonly) return shown;
    // The accessible name starts with what is visible ("maria@lopez.mx, edit email").
    const visible = field === 'name' ? (value ?? this.i18n.t('inbox.unknownContact')) : (value ?? this.i18n.t('contact.add'));
    return html`<button
      class="value-button"
      data-field=${field}
      aria-label="${visible}, ${this.i18n.t('contact.edit', { field: label.toLowerCase() })}"
      @click=${() => this.#startEdit(field)}
    >
      ${shown}
    </button>`;
  }

  #renderIdentities(contact: Contact) {
    if (contact.identities.length === 0) return nothing;
    return html`<section part="section" aria-labelledby="identities">
      <h3 id="identities">${this.i18n.t('contact.channels')}</h3>
      <ul>
        ${contact.identities.map((identity) => {
          const channel = this.i18n.t(`channel.${identity.channel}`);
          return html`<li class="identity">
            ${channelBadge(identity.channel, channel)}
            <span class="handle" title=${identity.handle}>${identity.channel === 'webchat' ? channel : identity.handle}</span>
            ${identity.verified ? html`<span class="verified">✓ ${this.i18n.t('contact.verified')}</span>` : nothing}
          </li>`;
        })}
      </ul>
    </section>`;
  }

  #sums(byCurrency: Record<string, number>): string {
    const entries = Object.entries(byCurrency).filter(([, amount]) => amount !== 0);
    return entries.length === 0 ? '—' : entries.map(([currency, amount]) => this.i18n.money(amount, currency)).join(' · ');
  }

  #renderCommerce(commerce: ContactCommerce) {
    const client = this.activeClient;
    const stages = new Map((client?.sales.pipelines ?? []).flatMap((pipeline) => pipeline.stages.map((stage) => [stage.id, stage.name] as const)));
    const now = Date.now();
    return html`${this.#shows('value') ? this.#renderValue(commerce, now) : nothing}
      ${this.#shows('deals') ? this.#renderDeals(commerce, stages) : nothing}
      ${this.#shows('tasks') ? this.#renderTasks(commerce, now) : nothing}`;
  }

  #renderValue(commerce: ContactCommerce, now: number) {
    return html`<section part="section" aria-labelledby="value">
        <h3 id="value">${this.i18n.t('contact.value')}</h3>
        <div class="money">
          <div><strong>${this.#sums(commerce.ltv)}</strong><span>${this.i18n.t('contact.ltv')}</span></div>
          <div><strong>${this.#sums(commerce.pendingBalance)}</strong><span>${this.i18n.t('contact.pending')}</span></div>
        </div>
        ${commerce.openInvoices.length > 0
          ? html`<ul style="margin-top: 8px">
              ${commerce.openInvoices.map(
                (invoice) => html`<li class="item">
                  <span>${invoice.reference ?? this.i18n.t('contact.invoice')}
                    ${invoice.dueDate
                      ? html`<span class="muted ${Date.parse(invoice.dueDate) < now ? 'overdue' : ''}">· ${this.i18n.t('contact.due', { date: this.i18n.day(invoice.dueDate) })}</span>`
                      : nothing}</span>
                  <span>${this.i18n.money(invoice.amount - invoice.amountPaid, invoice.currency)}</span>
                </li>`,
              )}
            </ul>`
          : nothing}
      </section>`;
  }

  #renderDeals(commerce: ContactCommerce, stages: ReadonlyMap<string, string>) {
    return html`<section part="section" aria-labelledby="deals">
        <h3 id="deals">${this.i18n.t('contact.deals')}</h3>
        ${commerce.openDeals.length === 0
          ? html`<p class="empty">${this.i18n.t('contact.noDeals')}</p>`
          : html`<ul>
              ${commerce.openDeals.map(
                (deal) => html`<li class="item deal" data-deal=${deal.id}>
                  <span>${deal.title}${stages.get(deal.stageId) ? html` <span class="muted">· ${stages.get(deal.stageId)}</span>` : nothing}</span>
                  ${deal.amount === 0
                    ? html`<span class="muted">${editorString(this.i18n.lang, 'noAmount')}</span>`
                    : html`<strong>${this.i18n.money(deal.amount, deal.currency)}</strong>`}
                  ${this.#readonly
                    ? nothing
                    : html`<span class="row-actions"><button class="icon" type="button" data-edit=${deal.id} title=${editorString(this.i18n.lang, 'editDeal')}
                        aria-label=${editorString(this.i18n.lang, deal.amount === 0 ? 'addAmount' : 'editDealNamed', { title: deal.title })}
                        @click=${(event: MouseEvent) => this.#editDeal(deal, event.currentTarget as HTMLElement)}>✎</button
                      ><button class="icon" type="button" data-new-task=${deal.id} title=${editorString(this.i18n.lang, 'newTask')}
                        aria-label=${`${editorString(this.i18n.lang, 'newTask')}: ${deal.title}`}
                        @click=${(event: MouseEvent) => this.#newTask(event.currentTarget as HTMLElement, deal)}>+</button></span>`}
                </li>`,
              )}
            </ul>`}
      </section>`;
  }

  #renderTasks(commerce: ContactCommerce, now: number) {
    return html`<section part="section" aria-labelledby="tasks">
        <div class="section-head">
          <h3 id="tasks">${this.i18n.t('contact.tasks')}</h3>
          ${this.#readonly
            ? nothing
            : html`<button class="small" type="button" data-action="new-task"
                @click=${(event: MouseEvent) => this.#newTask(event.currentTarget as HTMLElement)}>${editorString(this.i18n.lang, 'newTask')}</button>`}
        </div>
        ${commerce.openTasks.length === 0
          ? html`<p class="empty">${this.i18n.t('contact.noTasks')}</p>`
          : html`<ul>
              ${commerce.openTasks.map(
                (task) => html`<li class="item">
                  <span>${task.title}</span>
                  ${task.dueAt
                    ? html`<span class="muted ${Date.parse(task.dueAt) < now ? 'overdue' : ''}">${this.i18n.day(task.dueAt)}</span>`
                    : nothing}
                </li>`,
              )}
            </ul>`}
      </section>`;
  }

  #editDeal(deal: Deal, opener: HTMLElement): void {
    void dealEditorIn(this.renderRoot).then((editor) => editor?.edit(deal, opener));
  }

  #newTask(opener: HTMLElement, deal?: Deal): void {
    const contact = this.#contact;
    void taskEditorIn(this.renderRoot).then((editor) => editor?.create({
      contactId: contact?.id ?? null,
      contactName: contact?.name ?? null,
      dealId: deal?.id ?? null,
      dealTitle: deal?.title ?? null,
    }, opener));
  }

  /** Data mode lists the new task in `.commerce`; a client refreshes the summary itself. */
  #onTaskCreated(event: CustomEvent<TaskCreatedDetail>): void {
    const { task } = event.detail;
    if (this.activeClient || !this.commerce || task.contactId !== this.#contact?.id) return;
    this.commerce = { ...this.commerce, openTasks: [...this.commerce.openTasks, task] };
  }

  /** Data mode keeps the edited deal in `.commerce`; a client already holds it. */
  #onDealSaved(event: CustomEvent<DealSavedDetail>): void {
    const saved = event.detail.deal;
    if (this.activeClient || !this.commerce) return;
    this.commerce = { ...this.commerce, openDeals: this.commerce.openDeals.map((deal) => (deal.id === saved.id ? saved : deal)) };
  }

  #renderNotes(contact: Contact, notes: readonly Note[]) {
    const client = this.activeClient;
    return html`<section part="section" aria-labelledby="notes">
      <h3 id="notes">${this.i18n.t('contact.notes')}</h3>
      ${this.#readonly
        ? nothing
        : html`<form @submit=${this.#addNote}>
            <textarea
              aria-label=${this.i18n.t('contact.addNote')}
              placeholder=${this.i18n.t('contact.addNote')}
              maxlength="4096"
              .value=${this.noteBody}
              @input=${(event: InputEvent) => (this.noteBody = (event.target as HTMLTextAreaElement).value)}
            ></textarea>
            <button class="small" type="submit" ?disabled=${!this.noteBody.trim()}>${this.i18n.t('composer.addNote')}</button>
            ${this.noteError ? html`<p class="error" role="alert">${this.noteError}</p>` : nothing}
          </form>`}
      ${notes.length === 0
        ? html`<p class="empty">${this.i18n.t('contact.noNotes')}</p>`
        : html`<ul style="margin-top: 8px">
            ${notes.map(
              (note) => html`<li class="note">
                ${note.body}
                <footer>${client?.agent(note.authorId)?.name ?? ''} · ${this.i18n.day(note.createdAt)}</footer>
              </li>`,
            )}
          </ul>`}
    </section>`;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'charla-contact-edit': CustomEvent<ContactEditDetail>;
    'charla-note-create': CustomEvent<NoteCreateDetail>;
    'charla-contact-merge': CustomEvent<ContactMergeDetail>;
    'charla-message-reveal': CustomEvent<MessageRevealDetail>;
    'charla-contact-erase': CustomEvent<{ contactId: string }>;
  }
}
