import { css, html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { live } from 'lit/directives/live.js';
import type { CharlaClient } from '@charla/client';
import type { QuoteDraft, QuoteLanguage } from '@charla/protocol';
import type { LocalizeController } from '../i18n/localize-controller.js';
import { composerStrings } from './composer.strings.js';
import { useStrings } from '../i18n/strings.js';

useStrings(composerStrings);

export interface QuoteDraftDetail {
  conversationId: string;
}

export interface QuoteSendDetail {
  conversationId: string;
  currency: string;
  language: QuoteLanguage;
  items: Array<{ description: string; quantity: number; unitPrice: number }>;
  note?: string;
}

/** A line as the agent edits it (numbers as typed, checked before sending). */
interface EditedLine {
  key: number;
  description: string;
  quantity: string;
  unitPrice: string;
  /** Where the drafted price came from (the knowledge entry's title). */
  from: string | null;
}

const amount = (text: string) => (text.trim() === '' ? NaN : Number(text.replace(',', '.')));
const twoDecimals = (value: number) => Math.abs(Math.round(value * 100) - value * 100) < 1e-6;

/**
 * The composer's "Draft quote": asks the server for a quote drafted from the conversation (items,
 * quantities, the knowledge base's prices), shows it as lines the agent edits (description,
 * quantity, unit price; add or remove lines; a note), with the total, and sends it as a message
 * that also sets the conversation's deal amount. Nothing is sent until the agent presses "Send quote".
 */
export class QuoteDraftController implements ReactiveController {
  open = false;
  loading = false;
  sending = false;
  error: string | null = null;
  lines: EditedLine[] = [];
  currency = 'USD';
  language: QuoteLanguage = 'es';
  note = '';
  #for: string | null = null;
  #keys = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    /** Fires `charla-quote-draft` (cancelable); false when the host canceled it. */
    private readonly announceDraft: (detail: QuoteDraftDetail) => boolean,
    /** Fires `charla-quote-send` (cancelable); false when the host canceled it (and sends it itself). */
    private readonly announceSend: (detail: QuoteSendDetail) => boolean,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** The quote belongs to one conversation: switching closes it (call it while the host updates). */
  forConversation(conversationId: string | null): void {
    if (conversationId === this.#for) return;
    this.#for = conversationId;
    this.#reset();
  }

  #reset(): void {
    this.open = false;
    this.loading = false;
    this.sending = false;
    this.error = null;
    this.lines = [];
    this.note = '';
  }

  close(): void {
    this.#reset();
    this.host.requestUpdate();
  }

  /** Data mode, or the server's answer: opens the editor with the draft's lines. */
  show(draft: QuoteDraft): void {
    this.open = true;
    this.currency = draft.currency;
    this.language = draft.language;
    this.lines = draft.items.map((item) => ({
      key: this.#keys++,
      description: item.description,
      quantity: String(item.quantity),
      unitPrice: item.unitPrice === null ? '' : String(item.unitPrice),
      from: item.source?.title ?? null,
    }));
    if (this.lines.length === 0) this.#addLine();
  }

  async request(client: CharlaClient | undefined, conversationId: string): Promise<void> {
    if (!this.announceDraft({ conversationId }) || !client) return;
    this.loading = true;
    this.error = null;
    this.host.requestUpdate();
    try {
      const draft = await client.ai.quoteDraft(conversationId);
      if (this.#for === conversationId) this.show(draft);
    } catch (error) {
      if (this.#for === conversationId) this.error = (error as Error).message;
    } finally {
      this.loading = false;
      this.host.requestUpdate();
    }
  }

  #addLine(): void {
    this.lines = [...this.lines, { key: this.#keys++, description: '', quantity: '1', unitPrice: '', from: null }];
  }

  #edit(key: number, field: 'description' | 'quantity' | 'unitPrice', value: string): void {
    this.lines = this.lines.map((line) => (line.key === key ? { ...line, [field]: value, ...(field === 'unitPrice' ? { from: null } : {}) } : line));
    this.host.requestUpdate();
  }

  #valid(): boolean {
    return this.lines.length > 0 && this.lines.every((line) => {
      const quantity = amount(line.quantity);
      const price = amount(line.unitPrice);
      return line.description.trim() !== '' && quantity > 0 && price >= 0 && twoDecimals(price);
    });
  }

  #total(): number {
    return Math.round(this.lines.reduce((sum, line) => sum + (amount(line.quantity) || 0) * (amount(line.unitPrice) || 0), 0) * 100) / 100;
  }

  async #send(client: CharlaClient | undefined, conversationId: string): Promise<void> {
    if (!this.#valid() || this.sending) return;
    const detail: QuoteSendDetail = {
      conversationId,
      currency: this.currency,
      language: this.language,
      items: this.lines.map((line) => ({ description: line.description.trim(), quantity: amount(line.quantity), unitPrice: amount(line.unitPrice) })),
      ...(this.note.trim() ? { note: this.note.trim() } : {}),
    };
    if (!this.announceSend(detail) || !client) {
      this.close();
      return;
    }
    this.sending = true;
    this.error = null;
    this.host.requestUpdate();
    try {
      await client.ai.sendQuote(detail);
      if (this.#for === conversationId) this.#reset();
    } catch (error) {
      if (this.#for === conversationId) this.error = (error as Error).message;
    } finally {
      this.sending = false;
      this.host.requestUpdate();
    }
  }

  renderEditor(i18n: LocalizeController, client: CharlaClient | undefined, conversationId: string | null) {
    if (!this.open) {
      return this.error ? html`<p class="hint error" role="alert">${i18n.t('composer.quoteFailed', { reason: this.error })}</p>` : nothing;
    }
    const money = (value: number) => i18n.money(value, this.currency);
    const valid = this.#valid();
    return html`<section class="quote-editor" part="quote-editor" aria-label=${i18n.t('composer.quoteTitle')}
      @keydown=${(event: KeyboardEvent) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          this.close();
        }
      }}>
      <h3 class="quote-title">${i18n.t('composer.quoteTitle')} <span class="hint">${this.currency}</span></h3>
      <div class="quote-lines" role="table" aria-label=${i18n.t('composer.quoteTitle')}>
        <div class="quote-line quote-head" role="row">
          <span role="columnheader">${i18n.t('composer.quoteItem')}</span>
          <span role="columnheader">${i18n.t('composer.quoteQuantity')}</span>
          <span role="columnheader">${i18n.t('composer.quoteUnitPrice')}</span>
          <span role="columnheader">${i18n.t('composer.quoteLineTotal')}</span>
          <span role="columnheader"><span class="visually-hidden">${i18n.t('composer.quoteRemove')}</span></span>
        </div>
        ${this.lines.map((line, index) => {
          const lineTotal = (amount(line.quantity) || 0) * (amount(line.unitPrice) || 0);
          const n = index + 1;
          return html`<div class="quote-line" role="row">
            <span role="cell"><input class="quote-description" aria-label=${i18n.t('composer.quoteItemN', { n })} .value=${live(line.description)} maxlength="200"
              @input=${(event: Event) => this.#edit(line.key, 'description', (event.target as HTMLInputElement).value)} /></span>
            <span role="cell"><input class="quote-quantity" type="number" min="0" step="any" inputmode="decimal" aria-label=${i18n.t('composer.quoteQuantityN', { n })}
              .value=${live(line.quantity)} @input=${(event: Event) => this.#edit(line.key, 'quantity', (event.target as HTMLInputElement).value)} /></span>
            <span role="cell"><input class="quote-price" type="number" min="0" step="0.01" inputmode="decimal" aria-label=${i18n.t('composer.quoteUnitPriceN', { n })}
              placeholder=${i18n.t('composer.quoteNoPrice')} .value=${live(line.unitPrice)}
              @input=${(event: Event) => this.#edit(line.key, 'unitPrice', (event.target as HTMLInputElement).value)} />
              ${line.from ? html`<small class="quote-source">${i18n.t('composer.quoteFrom', { title: line.from })}</small>` : nothing}</span>
            <span role="cell" class="quote-amount">${money(lineTotal)}</span>
            <span role="cell"><button class="small quote-remove" aria-label=${i18n.t('composer.quoteRemoveN', { n })}
              @click=${() => {
                this.lines = this.lines.filter((other) => other.key !== line.key);
                this.host.requestUpdate();
              }}>✕</button></span>
          </div>`;
        })}
      </div>
      <button class="small quote-add" @click=${() => {
        this.#addLine();
        this.host.requestUpdate();
      }}>${i18n.t('composer.quoteAddLine')}</button>
      <p class="quote-total" part="quote-total" aria-live="polite">${i18n.t('composer.quoteTotal')}: <strong>${money(this.#total())}</strong></p>
      <label class="quote-note">${i18n.t('composer.quoteNote')}
        <textarea rows="2" maxlength="1000" .value=${live(this.note)} @input=${(event: Event) => {
          this.note = (event.target as HTMLTextAreaElement).value;
        }}></textarea></label>
      <p class="hint">${i18n.t('composer.quoteDeal')}</p>
      ${!valid ? html`<p class="hint" id="quote-invalid">${i18n.t('composer.quoteInvalid')}</p>` : nothing}
      ${this.error ? html`<p class="hint error" role="alert">${i18n.t('composer.quoteSendFailed', { reason: this.error })}</p>` : nothing}
      <div class="quote-actions">
        <button class="small" @click=${() => this.close()}>${i18n.t('composer.quoteCancel')}</button>
        <button class="primary quote-send" ?disabled=${!valid || this.sending || !conversationId} aria-describedby=${valid ? nothing : 'quote-invalid'}
          @click=${() => conversationId && this.#send(client, conversationId)}>${i18n.t('composer.quoteSend')}</button>
      </div>
    </section>`;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'charla-quote-draft': CustomEvent<QuoteDraftDetail>;
    'charla-quote-send': CustomEvent<QuoteSendDetail>;
  }
}

export const quoteDraftStyles = css`
  .quote-editor {
    display: grid;
    gap: var(--charla-space-s, 8px);
    padding: var(--charla-space-s, 8px);
    border: 1px solid var(--charla-color-border, #d8dee6);
    border-radius: var(--charla-radius-m, 8px);
    background: var(--charla-color-surface, #fff);
    max-height: 50vh;
    overflow: auto;
    /* The thread can be a narrow column of a wide page: the lines follow the editor's width, not the viewport's. */
    container-type: inline-size;
  }
  .quote-editor p {
    margin: 0;
  }
  .quote-title {
    margin: 0;
    font-size: 1em;
  }
  .quote-lines {
    display: grid;
    gap: 4px;
  }
  .quote-line {
    display: grid;
    grid-template-columns: minmax(8em, 3fr) minmax(4em, 1fr) minmax(6em, 1.5fr) minmax(6em, 1.5fr) auto;
    gap: 6px;
    align-items: start;
  }
  .quote-line input {
    width: 100%;
    box-sizing: border-box;
    font: inherit;
  }
  .quote-head {
    font-size: 0.8em;
    color: var(--charla-color-text-muted, #5b6777);
  }
  .quote-amount {
    text-align: right;
    padding-top: 6px;
    font-variant-numeric: tabular-nums;
  }
  .quote-source {
    display: block;
    color: var(--charla-color-text-muted, #5b6777);
  }
  .quote-total {
    margin: 0;
    text-align: right;
  }
  .quote-note {
    display: grid;
    gap: 2px;
  }
  .quote-note textarea {
    font: inherit;
  }
  .quote-actions {
    display: flex;
    justify-content: flex-end;
    gap: var(--charla-space-s, 8px);
  }
  .quote-add {
    justify-self: start;
  }
  @container (max-width: 520px) {
    .quote-line {
      grid-template-columns: minmax(3.5em, 1fr) minmax(5em, 1.3fr) minmax(6em, 1.5fr) auto;
      padding-bottom: 6px;
      border-bottom: 1px solid var(--charla-color-border, #d8dee6);
    }
    .quote-head {
      border-bottom: none;
    }
    .quote-line > :first-child {
      grid-column: 1 / -1;
    }
  }
`;
