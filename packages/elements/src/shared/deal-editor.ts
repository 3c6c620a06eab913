import { html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { CharlaClient } from '@charla/client';
import type { Agent, Deal, DealUpdateRequest } from '@charla/protocol';
import { CharlaElement } from '../base/charla-element.js';
import { LocalizeController } from '../i18n/localize-controller.js';
import { dialogStyles } from './dialog.styles.js';
import { editorString, type EditorString } from './editors.strings.js';

/** The fields the dialog edits, as the server takes them. */
export type DealChanges = Omit<DealUpdateRequest, 'dealId' | 'stageId' | 'lostReason' | 'contactId' | 'companyId' | 'externalIds'>;

export interface DealSavedDetail {
  deal: Deal;
  changes: DealChanges;
}

/** Latin American currencies first (where Charla's customers sell), then the usual foreign ones. */
export const COMMON_CURRENCIES = ['MXN', 'BRL', 'COP', 'ARS', 'CLP', 'PEN', 'UYU', 'USD', 'EUR'] as const;

/** The server's limits (DEAL_LIMITS in @charla/protocol), repeated so the elements need no zod at run time. */
const TITLE_MAX = 200;
const AMOUNT_MAX = 1_000_000_000_000;

type Field = 'title' | 'amount' | 'currency' | 'expectedCloseDate' | 'probability' | 'ownerId';
interface Draft {
  title: string;
  amount: string;
  currency: string;
  expectedCloseDate: string;
  probability: string;
  ownerId: string;
}

let allCurrencies: string[] | undefined;
function otherCurrencies(): string[] {
  allCurrencies ??= (typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('currency') : [])
    .filter((code) => !(COMMON_CURRENCIES as readonly string[]).includes(code));
  return allCurrencies;
}

/**
 * Reads an amount as people type it: "1500", "1500.50", "1.500,50", "1,500.50", "7 020". The last
 * separator followed by one or two digits is the decimal one; the others group thousands.
 */
export function parseAmount(text: string): number | null {
  const compact = text.replace(/[\s\u00a0]/g, '');
  if (!/^-?[\d.,]+$/.test(compact) || !/\d/.test(compact)) return null;
  const decimal = /[.,](\d{1,2})$/.exec(compact);
  const whole = (decimal ? compact.slice(0, decimal.index) : compact).replace(/[.,]/g, '');
  const value = Number(`${whole}${decimal ? `.${decimal[1]}` : ''}`);
  return Number.isFinite(value) ? value : null;
}

/**
 * The dialog that edits a deal's title, amount, currency, expected close, probability and owner.
 * Hosts (the kanban card, the contact panel, the thread) render one and call `edit(deal, opener)`.
 * Saving goes through the client (`deal.update`, only the fields that changed); without a client
 * the edited deal is handed back in `charla-deal-saved` for the host to keep. Invalid input is
 * explained beside its field and nothing is sent; a refusal from the server is shown in the dialog
 * with everything typed kept. Escape or Cancel closes it; focus goes back to the opener.
 *
 * @tag charla-deal-editor
 * @event charla-deal-saved - The deal was saved. `detail: {deal, changes}`.
 * @csspart dialog - The dialog.
 */
export class CharlaDealEditor extends CharlaElement {
  static override styles = [CharlaElement.styles, dialogStyles];

  /** Saves through this client; without one the host applies `charla-deal-saved` itself. */
  @property({ attribute: false }) client?: CharlaClient;
  /** Owners to choose from (the client's agents when unset). */
  @property({ attribute: false }) agents: Agent[] = [];

  @state() private deal: Deal | null = null;
  @state() private draft: Draft = { title: '', amount: '', currency: 'MXN', expectedCloseDate: '', probability: '', ownerId: '' };
  @state() private errors: Partial<Record<Field, string>> = {};
  @state() private failure: string | null = null;
  @state() private saving = false;

  @query('dialog') private dialog!: HTMLDialogElement;

  readonly #i18n = new LocalizeController(this);
  #opener: HTMLElement | null = null;

  #t(key: EditorString, values?: Record<string, string | number>): string {
    return editorString(this.#i18n.lang, key, values);
  }

  /** Whether the dialog is showing. */
  get isOpen(): boolean {
    return this.dialog?.open ?? false;
  }

  /** Opens the dialog on `deal`; focus returns to `opener` (default: what had focus) when it closes. */
  async edit(deal: Deal, opener?: HTMLElement | null): Promise<void> {
    this.#opener = opener ?? deepActiveElement();
    this.deal = deal;
    this.draft = {
      title: deal.title,
      amount: deal.amount === 0 ? '' : String(deal.amount),
      currency: deal.currency,
      expectedCloseDate: deal.expectedCloseDate?.slice(0, 10) ?? '',
      probability: String(deal.probability),
      ownerId: deal.ownerId ?? '',
    };
    this.errors = {};
    this.failure = null;
    this.saving = false;
    await this.updateComplete;
    if (!this.dialog.open) this.dialog.showModal();
    // A deal without an amount is usually opened to add one.
    this.renderRoot.querySelector<HTMLInputElement>(deal.amount === 0 ? '#amount' : '#title')?.focus();
  }

  /** Closes without saving. */
  close(): void {
    if (this.dialog?.open) this.dialog.close();
  }

  #onClose = (): void => {
    this.deal = null;
    const opener = this.#opener;
    this.#opener = null;
    if (opener?.isConnected) opener.focus();
  };

  #agents(): Agent[] {
    const agents = this.agents.length > 0 ? this.agents : (this.client?.session?.agents ?? []);
    return agents.filter((agent) => agent.role !== 'viewer' || agent.id === this.deal?.ownerId);
  }

  /** Checks the draft the way the server will; returns the changed fields, or null with `errors` set. */
  #validate(deal: Deal): DealChanges | null {
    const draft = this.draft;
    const errors: Partial<Record<Field, string>> = {};
    const title = draft.title.trim();
    if (!title) errors.title = this.#t('titleRequired');
    else if (title.length > TITLE_MAX) errors.title = this.#t('titleTooLong', { max: TITLE_MAX });
    const amount = draft.amount.trim() === '' ? 0 : parseAmount(draft.amount);
    if (amount === null) errors.amount = this.#t('amountInvalid');
    else if (amount < 0) errors.amount = this.#t('amountNegative');
    else if (amount > AMOUNT_MAX) errors.amount = this.#t('amountTooLarge');
    else if (Math.abs(Math.round(amount * 100) - amount * 100) > 1e-6) errors.amount = this.#t('amountCents');
    const probabilityText = draft.probability.trim();
    const probability = Number(probabilityText);
    if (!/^\d{1,3}$/.test(probabilityText) || probability > 100) errors.probability = this.#t('probabilityRange');
    const close = draft.expectedCloseDate;
    if (close && !/^\d{4}-\d{2}-\d{2}$/.test(close)) errors.expectedCloseDate = this.#t('dateInvalid');
    this.errors = errors;
    if (Object.keys(errors).length > 0) return null;
    const changes: DealChanges = {};
    if (title !== deal.title) changes.title = title;
    if (amount !== deal.amount) changes.amount = amount!;
    if (draft.currency !== deal.currency) changes.currency = draft.currency;
    if (probability !== deal.probability) changes.probability = probability;
    if ((close || null) !== (deal.expectedCloseDate?.slice(0, 10) ?? null)) changes.expectedCloseDate = close || null;
    if ((draft.ownerId || null) !== deal.ownerId) changes.ownerId = draft.ownerId || null;
    return changes;
  }

  #submit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const deal = this.deal;
    if (!deal || this.saving) return;
    this.failure = null;
    const changes = this.#validate(deal);
    if (!changes) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    if (Object.keys(changes).length === 0) {
      this.close();
      return;
    }
    this.saving = true;
    try {
      const saved = this.client
        ? await this.client.sales.updateDeal({ dealId: deal.id, ...changes })
        : { ...deal, ...changes, updatedAt: new Date().toISOString() };
      this.saving = false;
      this.close();
      this.emit('charla-deal-saved', { detail: { deal: saved, changes } });
    } catch (error) {
      this.saving = false;
      this.failure = this.#t('saveFailed', { reason: error instanceof Error ? error.message : String(error) });
    }
  };

  #set(field: Field) {
    return (event: Event) => {
      this.draft = { ...this.draft, [field]: (event.target as HTMLInputElement | HTMLSelectElement).value };
      if (this.errors[field]) this.errors = { ...this.errors, [field]: undefined };
    };
  }

  #field(field: Field, label: string, control: (attrs: { invalid: boolean; describedBy: string | typeof nothing }) => unknown) {
    const error = this.errors[field];
    return html`<div class="field">
      <label for=${field}>${label}</label>
      ${control({ invalid: Boolean(error), describedBy: error ? `${field}-error` : nothing })}
      ${error ? html`<p class="error" id="${field}-error">${error}</p>` : nothing}
    </div>`;
  }

  override render() {
    const deal = this.deal;
    const draft = this.draft;
    const currencies = (COMMON_CURRENCIES as readonly string[]).includes(draft.currency) || otherCurrencies().includes(draft.currency)
      ? [] : [draft.currency];
    return html`<dialog part="dialog" aria-labelledby="deal-editor-title" @close=${this.#onClose}>
      ${deal
        ? html`<form novalidate @submit=${this.#submit}>
            <h2 id="deal-editor-title">${this.#t('editDeal')}</h2>
            ${this.#field('title', this.#t('title'), ({ invalid, describedBy }) => html`<input id="title" name="title" required
              maxlength=${TITLE_MAX + 50} autocomplete="off" .value=${draft.title} @input=${this.#set('title')}
              aria-invalid=${invalid ? 'true' : 'false'} aria-describedby=${describedBy} />`)}
            <div class="row">
              ${this.#field('amount', this.#t('amount'), ({ invalid, describedBy }) => html`<input id="amount" name="amount" inputmode="decimal"
                autocomplete="off" placeholder="0" .value=${draft.amount} @input=${this.#set('amount')}
                aria-invalid=${invalid ? 'true' : 'false'} aria-describedby=${describedBy} />`)}
              ${this.#field('currency', this.#t('currency'), () => html`<select id="currency" name="currency" @change=${this.#set('currency')}>
                ${currencies.map((code) => html`<option value=${code} selected>${code}</option>`)}
                <optgroup label=${this.#t('commonCurrencies')}>
                  ${COMMON_CURRENCIES.map((code) => html`<option value=${code} ?selected=${code === draft.currency}>${code}</option>`)}
                </optgroup>
                <optgroup label=${this.#t('otherCurrencies')}>
                  ${otherCurrencies().map((code) => html`<option value=${code} ?selected=${code === draft.currency}>${code}</option>`)}
                </optgroup>
              </select>`)}
            </div>
            <div class="row">
              ${this.#field('expectedCloseDate', this.#t('expectedClose'), ({ invalid, describedBy }) => html`<input id="expectedCloseDate"
                name="expectedCloseDate" type="date" .value=${draft.expectedCloseDate} @input=${this.#set('expectedCloseDate')}
                aria-invalid=${invalid ? 'true' : 'false'} aria-describedby=${describedBy} />`)}
              ${this.#field('probability', this.#t('probability'), ({ invalid, describedBy }) => html`<input id="probability"
                name="probability" inputmode="numeric" autocomplete="off" .value=${draft.probability} @input=${this.#set('probability')}
                aria-invalid=${invalid ? 'true' : 'false'} aria-describedby=${describedBy} />`)}
            </div>
            ${this.#field('ownerId', this.#t('owner'), () => html`<select id="ownerId" name="ownerId" @change=${this.#set('ownerId')}>
              <option value="" ?selected=${!draft.ownerId}>${this.#t('unassigned')}</option>
              ${this.#agents().map((agent) => html`<option value=${agent.id} ?selected=${agent.id === draft.ownerId}>${agent.name}</option>`)}
            </select>`)}
            ${Object.values(this.errors).some(Boolean) ? html`<p class="error" role="alert">${this.#t('fixErrors')}</p>` : nothing}
            ${this.failure ? html`<p class="alert" role="alert">${this.failure}</p>` : nothing}
            <div class="buttons">
              <button type="button" @click=${() => this.close()}>${this.#t('cancel')}</button>
              <button type="submit" ?disabled=${this.saving}>${this.saving ? this.#t('saving') : this.#t('save')}</button>
            </div>
          </form>`
        : nothing}
    </dialog>`;
  }
}

/** The focused element, looking inside shadow roots. */
export function deepActiveElement(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : null;
}

declare global {
  interface GlobalEventHandlersEventMap {
    'charla-deal-saved': CustomEvent<DealSavedDetail>;
  }
}
