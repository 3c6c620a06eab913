import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import {
  cancelBroadcast, createBroadcast, fetchBroadcast, fetchBroadcastRecipients, fetchBroadcasts, fetchSegments, previewBroadcast, type CharlaClient,
} from '@charla/client';
import {
  CONTACT_FIELDS, RECIPIENT_STATUSES,
  type Broadcast, type BroadcastChangedData, type BroadcastParameter, type BroadcastPreview, type BroadcastRecipient, type ContactSelection,
  type MessageTemplate, type RecipientStatus, type Segment,
} from '@charla/protocol';
import { CharlaElement } from '../base/charla-element.js';
import { ClientElement } from '../controllers/client-element.js';
import { contactsString, type ContactsString } from '../contacts/contacts.strings.js';
import { controlStyles } from '../shared/controls.styles.js';
import { broadcastsString, type BroadcastsString } from './broadcasts.strings.js';
import { broadcastsStyles } from './broadcasts.styles.js';

type View = { kind: 'list' } | { kind: 'compose' } | { kind: 'detail'; id: string };
/** How a parameter row is filled: a contact field, or the same text for everyone. */
type Source = (typeof CONTACT_FIELDS)[number] | 'text';

const PAGE = 100;
const COUNTED: RecipientStatus[] = ['queued', 'sent', 'delivered', 'read', 'replied', 'failed', 'skipped'];

const placeholdersOf = (template: MessageTemplate | undefined): number => {
  const body = template?.components.find((c) => String(c.type).toUpperCase() === 'BODY');
  return new Set(typeof body?.text === 'string' ? (body.text.match(/\{\{\d+\}\}/g) ?? []) : []).size;
};

/**
 * Template broadcasts on WhatsApp (admins): the list of broadcasts with their counts, a composer
 * (approved template, each parameter filled from a contact field or a fixed text, the audience —
 * the host's selection or a segment —, a preview with the count, the rendered message and who is
 * skipped, send now or schedule), and a broadcast's detail with each recipient's status, live.
 * Keyboard: every control is a native button, select or input.
 *
 * @tag charla-broadcasts
 * @csspart header - The title and the view's actions.
 * @csspart list - The broadcasts.
 * @csspart composer - The new broadcast's form.
 * @csspart preview - The preview: count, message, skipped contacts.
 * @csspart counts - A broadcast's counts per status.
 * @csspart recipients - A broadcast's recipients.
 * @cssproperty --charla-broadcasts-background - Background of the view.
 * @cssproperty --charla-broadcasts-bubble-background - Background of the rendered message.
 */
export class CharlaBroadcasts extends ClientElement {
  static override styles = [CharlaElement.styles, controlStyles, broadcastsStyles];

  /** Contacts to broadcast to (from `<charla-contacts>`' "Send broadcast"): opens the composer with them. */
  @property({ attribute: false }) selection: ContactSelection | null = null;
  /** How many contacts `selection` holds (shown in the composer). */
  @property({ type: Number }) selectionCount = 0;
  /** Data mode: the broadcasts to list when there is no client. */
  @property({ attribute: false }) broadcasts: Broadcast[] = [];

  @state() private view: View = { kind: 'list' };
  @state() private loading = false;
  @state() private error: string | null = null;
  @state() private message: { kind: 'status' | 'error'; text: string } | null = null;
  @state() private busy = false;

  #list: Broadcast[] | null = null;
  #detail: Broadcast | null = null;
  #recipients: BroadcastRecipient[] = [];
  #recipientTotal = 0;
  #statusFilter: RecipientStatus | '' = '';
  #segments: Segment[] = [];

  // The composer's fields.
  #name = '';
  #template = '';
  #sources: Source[] = [];
  #texts: string[] = [];
  #segment = '';
  #scheduled = false;
  #when = '';
  #preview: BroadcastPreview | null = null;
  #stopLive?: () => void;

  #t(key: BroadcastsString, values?: Record<string, string | number>): string {
    return broadcastsString(this.i18n.lang, key, values);
  }

  protected override clientChanged(client: CharlaClient | undefined): void {
    this.#stopLive?.();
    this.#stopLive = undefined;
    this.#list = null;
    if (!client) return;
    void this.#loadList(client);
    const onChanged = (data: BroadcastChangedData) => this.#apply(data);
    // Changes are live only (no change log): after a reconnection what is shown loads again.
    let connected = client.socket?.connected ?? false;
    const onConnect = () => {
      if (connected) void (this.view.kind === 'detail' ? this.#open(this.view.id) : this.#loadList(client));
      connected = true;
    };
    client.socket?.on('broadcast.changed', onChanged);
    client.socket?.on('connect', onConnect);
    this.#stopLive = () => {
      client.socket?.off('broadcast.changed', onChanged);
      client.socket?.off('connect', onConnect);
    };
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopLive?.();
    this.#stopLive = undefined;
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    super.willUpdate(changed);
    if (changed.has('selection') && this.selection) this.#compose();
  }

  /** A live change: the broadcast's counts and state, and the recipients shown. */
  #apply({ broadcast, recipients }: BroadcastChangedData): void {
    if (this.#list) {
      const known = this.#list.some((b) => b.id === broadcast.id);
      this.#list = known ? this.#list.map((b) => (b.id === broadcast.id ? broadcast : b)) : [broadcast, ...this.#list];
    }
    if (this.#detail?.id === broadcast.id) {
      this.#detail = broadcast;
      const byId = new Map(recipients.map((r) => [r.id, r]));
      this.#recipients = this.#recipients.map((r) => byId.get(r.id) ?? r).filter((r) => !this.#statusFilter || r.status === this.#statusFilter);
    }
    this.requestUpdate();
  }

  async #run<T>(work: () => Promise<T>): Promise<T | undefined> {
    this.loading = true;
    this.error = null;
    try {
      return await work();
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
      return undefined;
    } finally {
      this.loading = false;
    }
  }

  async #loadList(client: CharlaClient): Promise<void> {
    await this.#run(async () => {
      this.#list = await fetchBroadcasts(client);
    });
  }

  async #open(id: string): Promise<void> {
    const client = this.activeClient;
    this.view = { kind: 'detail', id };
    this.message = null;
    if (!client) return;
    this.#detail = this.#list?.find((b) => b.id === id) ?? null;
    this.#recipients = [];
    await this.#run(async () => {
      const [broadcast, page] = await Promise.all([
        fetchBroadcast(client, id),
        fetchBroadcastRecipients(client, id, { limit: PAGE, ...(this.#statusFilter ? { status: this.#statusFilter } : {}) }),
      ]);
      this.#detail = broadcast;
      this.#recipients = page.recipients;
      this.#recipientTotal = page.total;
    });
  }

  async #more(): Promise<void> {
    const client = this.activeClient;
    const detail = this.#detail;
    if (!client || !detail) return;
    const page = await this.#run(() =>
      fetchBroadcastRecipients(client, detail.id, { offset: this.#recipients.length, limit: PAGE, ...(this.#statusFilter ? { status: this.#statusFilter } : {}) }));
    if (page) {
      this.#recipients = [...this.#recipients, ...page.recipients];
      this.#recipientTotal = page.total;
    }
  }

  #compose(): void {
    this.view = { kind: 'compose' };
    this.#preview = null;
    this.message = null;
    this.error = null;
    const client = this.activeClient;
    if (client) {
      client.templates();
      void fetchSegments(client).then((segments) => {
        this.#segments = segments;
        this.requestUpdate();
      }, () => undefined);
    }
  }

  get #approved(): MessageTemplate[] {
    return (this.activeClient?.templates().items ?? []).filter((t) => t.status === 'APPROVED');
  }

  get #chosen(): MessageTemplate | undefined {
    return this.#approved.find((t) => `${t.name}|${t.language}` === this.#template);
  }

  #parameters(): BroadcastParameter[] {
    return this.#sources.map((source, index) => {
      const text = this.#texts[index]?.trim() ?? '';
      if (source === 'text') return { text };
      return text ? { field: source, fallback: text } : { field: source };
    });
  }

  get #audience(): ContactSelection | null {
    if (this.selection) return this.selection;
    return this.#segment ? { filter: { segment: this.#segment } } : null;
  }

  #request() {
    const template = this.#chosen;
    const audience = this.#audience;
    if (!template || !audience) return null;
    return { template: { name: template.name, language: template.language }, parameters: this.#parameters(), audience };
  }

  async #doPreview(): Promise<void> {
    const client = this.activeClient;
    const request = this.#request();
    if (!client || !request) return;
    this.busy = true;
    this.message = null;
    try {
      this.#preview = await previewBroadcast(client, request);
    } catch (error) {
      this.#preview = null;
      this.message = { kind: 'error', text: error instanceof Error ? error.message : String(error) };
    } finally {
      this.busy = false;
    }
  }

  async #send(): Promise<void> {
    const client = this.activeClient;
    const request = this.#request();
    if (!client || !request || this.busy) return;
    this.busy = true;
    this.message = null;
    try {
      const scheduledAt = this.#scheduled && this.#when ? new Date(this.#when).toISOString() : undefined;
      const broadcast = await createBroadcast(client, {
        ...request, name: this.#name.trim() || this.#chosen!.name, ...(scheduledAt ? { scheduledAt } : {}),
      });
      this.#list = [broadcast, ...(this.#list ?? []).filter((b) => b.id !== broadcast.id)];
      this.selection = null;
      this.#preview = null;
      await this.#open(broadcast.id);
    } catch (error) {
      this.message = { kind: 'error', text: error instanceof Error ? error.message : String(error) };
    } finally {
      this.busy = false;
    }
  }

  async #cancel(id: string): Promise<void> {
    const client = this.activeClient;
    if (!client || this.busy) return;
    this.busy = true;
    try {
      this.#detail = await cancelBroadcast(client, id);
      this.message = { kind: 'status', text: this.#t('canceled') };
      await this.#open(id);
      this.message = { kind: 'status', text: this.#t('canceled') };
    } catch (error) {
      this.message = { kind: 'error', text: error instanceof Error ? error.message : String(error) };
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const client = this.activeClient;
    const offline = client && (client.state === 'reconnecting' || client.state === 'connecting') && this.#list !== null;
    const view = this.view;
    return html`${offline ? html`<div class="offline" role="status">${this.#t('offline')}</div>` : nothing}
      ${view.kind === 'compose' ? this.#renderComposer() : view.kind === 'detail' ? this.#renderDetail() : this.#renderList()}`;
  }

  #state() {
    if (this.error) {
      return html`<div class="state" role="alert"><p>${this.#t('error')}: ${this.error}</p>
        <button class="small" @click=${() => (this.view.kind === 'detail' ? this.#open(this.view.id) : this.activeClient && this.#loadList(this.activeClient))}>${this.i18n.t('common.retry')}</button></div>`;
    }
    if (this.loading) return html`<p class="state" role="status">${this.i18n.t('common.loading')}</p>`;
    return nothing;
  }

  #stateBadge(broadcast: Broadcast) {
    return html`<span class="badge" data-state=${broadcast.state}>${this.#t(`state.${broadcast.state}`)}</span>`;
  }

  #counts(broadcast: Broadcast) {
    return html`<dl part="counts">${COUNTED.map((status) => html`<div data-status=${status}>
      <dt>${this.#t(`status.${status}`)}</dt> <dd>${broadcast.counts[status].toLocaleString(this.i18n.lang)}</dd></div>`)}</dl>`;
  }

  #renderList() {
    const client = this.activeClient;
    const list = client ? this.#list : this.broadcasts;
    // Until the session says who this is, nobody is told they may not.
    const isAdmin = !client?.me || client.me.role === 'admin';
    return html`<div part="header">
        <h2>${this.#t('label')}</h2>
        ${isAdmin ? html`<button class="primary" data-action="new" @click=${() => this.#compose()}>${this.#t('newBroadcast')}</button>` : nothing}
      </div>
      ${!isAdmin ? html`<p class="state">${this.#t('adminsOnly')}</p>` : this.#state()}
      ${list && list.length === 0 && !this.loading && !this.error ? html`<p class="state">${this.#t('empty')}</p>` : nothing}
      ${list && list.length > 0
        ? html`<ul part="list">${list.map((b) => html`<li>
            <button class="row" data-id=${b.id} @click=${() => this.#open(b.id)}>
              <span class="title"><strong>${b.name}</strong> ${this.#stateBadge(b)}</span>
              <span class="muted">${b.template.name} · ${b.scheduledAt && b.state === 'scheduled'
                ? this.#t('scheduledFor', { time: new Date(b.scheduledAt).toLocaleString(this.i18n.lang) })
                : new Date(b.createdAt).toLocaleString(this.i18n.lang)}</span>
              ${this.#counts(b)}
            </button></li>`)}</ul>`
        : nothing}`;
  }

  #renderComposer() {
    const templates = this.#approved;
    const chosen = this.#chosen;
    const count = placeholdersOf(chosen);
    if (this.#sources.length !== count) {
      this.#sources = Array.from({ length: count }, (_, i) => this.#sources[i] ?? (i === 0 ? 'firstName' : 'text'));
      this.#texts = Array.from({ length: count }, (_, i) => this.#texts[i] ?? '');
    }
    const changed = () => {
      this.#preview = null;
      this.requestUpdate();
    };
    const ready = this.#request() !== null;
    const preview = this.#preview;
    return html`<div part="header">
        <button class="link" data-action="back" @click=${() => (this.view = { kind: 'list' })}>← ${this.#t('back')}</button>
        <h2>${this.#t('newBroadcast')}</h2>
      </div>
      <form part="composer" @submit=${(event: Event) => {
        event.preventDefault();
        void this.#doPreview();
      }}>
        <label>${this.#t('name')}<input class="control" name="name" maxlength="80" .value=${this.#name}
          @input=${(e: Event) => (this.#name = (e.target as HTMLInputElement).value)} /></label>
        <label>${this.#t('template')}
          <select class="control" name="template" @change=${(e: Event) => {
            this.#template = (e.target as HTMLSelectElement).value;
            this.#sources = [];
            changed();
          }}>
            <option value="" ?selected=${!this.#template}>${this.#t('chooseTemplate')}</option>
            ${templates.map((t) => html`<option value=${`${t.name}|${t.language}`} ?selected=${`${t.name}|${t.language}` === this.#template}>${t.name} (${t.language})</option>`)}
          </select>
        </label>
        ${this.activeClient?.templates().loaded && templates.length === 0 ? html`<p class="state" role="status">${this.#t('noTemplates')}</p>` : nothing}
        ${this.#sources.map((source, index) => html`<fieldset class="parameter">
          <legend>${this.#t('parameter', { n: `{{${index + 1}}}` })}</legend>
          <label>${this.#t('fromField')}
            <select class="control" data-parameter=${index} @change=${(e: Event) => {
              this.#sources[index] = (e.target as HTMLSelectElement).value as Source;
              changed();
            }}>
              ${CONTACT_FIELDS.map((field) => html`<option value=${field} ?selected=${source === field}>${this.#t(`field.${field}`)}</option>`)}
              <option value="text" ?selected=${source === 'text'}>${this.#t('fixedText')}</option>
            </select>
          </label>
          <label>${source === 'text' ? this.#t('text') : this.#t('fallback')}
            <input class="control" data-parameter-text=${index} maxlength=${source === 'text' ? 1024 : 200} .value=${this.#texts[index] ?? ''}
              @input=${(e: Event) => {
                this.#texts[index] = (e.target as HTMLInputElement).value;
                this.#preview = null;
              }} @change=${changed} />
          </label>
        </fieldset>`)}
        <div class="field">
          <span class="label">${this.#t('audience')}</span>
          ${this.selection
            ? html`<strong data-audience="selection">${this.#t('selection', { count: this.selectionCount.toLocaleString(this.i18n.lang) })}</strong>`
            : html`<select class="control" name="segment" aria-label=${this.#t('segment')} @change=${(e: Event) => {
                this.#segment = (e.target as HTMLSelectElement).value;
                changed();
              }}>
                <option value="" ?selected=${!this.#segment}>${this.#t('chooseSegment')}</option>
                ${this.#segments.map((s) => html`<option value=${s.id} ?selected=${s.id === this.#segment}>${s.builtIn ? contactsString(this.i18n.lang, `segment.${s.id}` as ContactsString) : s.name} (${s.count})</option>`)}
              </select>`}
        </div>
        <fieldset class="when">
          <legend>${this.#t('when')}</legend>
          <label class="inline"><input type="radio" name="when" value="now" .checked=${!this.#scheduled} @change=${() => {
            this.#scheduled = false;
            this.requestUpdate();
          }} />${this.#t('now')}</label>
          <label class="inline"><input type="radio" name="when" value="later" .checked=${this.#scheduled} @change=${() => {
            this.#scheduled = true;
            this.requestUpdate();
          }} />${this.#t('later')}</label>
          ${this.#scheduled
            ? html`<label>${this.#t('scheduledAt')}<input class="control" type="datetime-local" name="scheduledAt" .value=${this.#when}
                @change=${(e: Event) => {
                  this.#when = (e.target as HTMLInputElement).value;
                  this.requestUpdate();
                }} /></label>`
            : nothing}
        </fieldset>
        <div class="actions">
          <button class="small" type="submit" data-action="preview" ?disabled=${!ready || this.busy}>${this.busy && !preview ? this.#t('previewing') : this.#t('preview')}</button>
          ${preview && preview.count > 0
            ? html`<button class="primary" type="button" data-action="send" ?disabled=${this.busy || (this.#scheduled && !this.#when)} @click=${() => this.#send()}>
                ${this.busy ? this.#t('sending') : this.#t(this.#scheduled ? 'schedule' : 'send', { count: preview.count.toLocaleString(this.i18n.lang) })}</button>`
            : nothing}
        </div>
      </form>
      ${this.message ? html`<div class="message" data-kind=${this.message.kind} role=${this.message.kind === 'error' ? 'alert' : 'status'}>${this.message.text}</div>` : nothing}
      ${preview ? this.#renderPreview(preview) : nothing}`;
  }

  #renderPreview(preview: BroadcastPreview) {
    return html`<section part="preview" aria-label=${this.#t('preview')}>
      <p role="status"><strong>${this.#t('willReach', { count: preview.count.toLocaleString(this.i18n.lang) })}</strong>
        ${preview.skippedTotal > 0 ? html` · ${this.#t('skippedCount', { count: preview.skippedTotal.toLocaleString(this.i18n.lang) })}` : nothing}</p>
      <p class="bubble">${preview.message}</p>
      ${preview.remaining !== null ? html`<p class="muted">${this.#t('remaining', { count: preview.remaining.toLocaleString(this.i18n.lang) })}</p>` : nothing}
      ${preview.skipped.length > 0
        ? html`<ul class="skipped">${preview.skipped.map((s) => html`<li><span>${s.name ?? '—'}</span><span class="muted">${this.#t(`reason.${s.reason}`)}</span></li>`)}</ul>`
        : nothing}
    </section>`;
  }

  #renderDetail() {
    const detail = this.#detail;
    const view = this.view as { kind: 'detail'; id: string };
    return html`<div part="header">
        <button class="link" data-action="back" @click=${() => {
          this.view = { kind: 'list' };
          this.message = null;
        }}>← ${this.#t('back')}</button>
        ${detail ? html`<h2>${detail.name}</h2>${this.#stateBadge(detail)}` : nothing}
        ${detail && (detail.state === 'scheduled' || detail.state === 'sending')
          ? html`<button class="small danger" data-action="cancel" ?disabled=${this.busy} @click=${() => this.#cancel(view.id)}>${this.#t('cancelBroadcast')}</button>`
          : nothing}
      </div>
      ${this.message ? html`<div class="message" data-kind=${this.message.kind} role=${this.message.kind === 'error' ? 'alert' : 'status'}>${this.message.text}</div>` : nothing}
      ${this.#state()}
      ${detail
        ? html`<p class="bubble">${detail.body}</p>
          ${this.#counts(detail)}
          <div class="recipients-head">
            <h3>${this.#t('recipients')}</h3>
            <select class="control" aria-label=${this.#t('status')} @change=${(e: Event) => {
              this.#statusFilter = (e.target as HTMLSelectElement).value as RecipientStatus | '';
              void this.#open(view.id);
            }}>
              <option value="" ?selected=${!this.#statusFilter}>${this.#t('allStatuses')}</option>
              ${RECIPIENT_STATUSES.map((s) => html`<option value=${s} ?selected=${s === this.#statusFilter}>${this.#t(`status.${s}`)}</option>`)}
            </select>
          </div>
          ${this.#recipients.length === 0 && !this.loading ? html`<p class="state">${this.#t('noRecipients')}</p>` : nothing}
          ${this.#recipients.length > 0
            ? html`<table part="recipients">
                <thead><tr><th scope="col">${this.#t('contact')}</th><th scope="col">${this.#t('whatsapp')}</th><th scope="col">${this.#t('status')}</th><th scope="col">${this.#t('detail')}</th></tr></thead>
                <tbody>${this.#recipients.map((r) => html`<tr data-id=${r.id} data-status=${r.status}>
                  <td>${r.contactName ?? '—'}</td>
                  <td class="muted">${r.handle ?? '—'}</td>
                  <td><span class="badge" data-status=${r.status}>${this.#t(`status.${r.status}`)}</span></td>
                  <td class="muted">${r.reason ? (r.status === 'skipped' ? this.#t(`reason.${r.reason}` as BroadcastsString) : r.reason) : ''}</td>
                </tr>`)}</tbody>
              </table>`
            : nothing}
          ${this.#recipients.length < this.#recipientTotal
            ? html`<button class="small" data-action="more" @click=${() => this.#more()}>${this.#t('loadMore')}</button>`
            : nothing}`
        : nothing}`;
  }
}
