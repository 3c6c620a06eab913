import { css, html, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import type { CharlaClient } from '@charla/client';
import { ClientElement } from '../controllers/client-element.js';
import { firstControl } from '../shared/focus.js';
import { settingsString, type SettingsString } from './settings.strings.js';

/** The REST API refused a request: its `{error: {code, message}}`. */
export class SettingsRequestError extends Error {
  constructor(readonly code: string, message: string, readonly status: number) {
    super(message);
  }
}

/**
 * One admin REST call (`/api/v1/…`) with the client's token: the JSON answer, or a
 * `SettingsRequestError`. `answered` sees the response (its URL tells the Charla server's origin).
 */
export async function settingsRequest<T>(
  client: CharlaClient, method: string, path: string, body?: unknown, answered?: (response: Response) => void,
): Promise<T> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.headers = { 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  const response = await client.fetchApi(path, init);
  answered?.(response);
  if (response.status === 204) return undefined as T;
  const answer = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  if (!response.ok) {
    throw new SettingsRequestError(answer?.error?.code ?? 'internal', answer?.error?.message ?? `The server answered ${response.status}`, response.status);
  }
  return answer as T;
}

export type DraftValue = string | boolean;
export type Draft = Record<string, DraftValue>;
/** Field key → what is wrong with it (null or absent: fine). */
export type Validate<D extends Draft> = (draft: D) => Partial<Record<keyof D & string, string | null>>;

/**
 * A form's saved values and the values being edited: Save is enabled only once something changed
 * and nothing is invalid; errors show beside a field once it differs from what is saved.
 */
export class FormModel<D extends Draft> {
  static #count = 0;
  /** Prefix of its fields' ids: unique, as several forms share one shadow root. */
  readonly id = `f${++FormModel.#count}`;
  saved: D;
  draft: D;
  constructor(values: D, private readonly validate: Validate<D>, private readonly changed: () => void) {
    this.saved = { ...values };
    this.draft = { ...values };
  }
  get dirty(): boolean {
    return Object.keys(this.draft).some((key) => this.draft[key] !== this.saved[key]);
  }
  get errors(): Partial<Record<string, string | null>> {
    return this.validate(this.draft);
  }
  get valid(): boolean {
    return Object.values(this.errors).every((error) => !error);
  }
  /** The error to show beside `key`: only once the user changed it. */
  shownError(key: string): string | null {
    return this.draft[key] !== this.saved[key] ? (this.errors[key] ?? null) : null;
  }
  set(key: keyof D & string, value: DraftValue): void {
    this.draft = { ...this.draft, [key]: value };
    this.changed();
  }
  /** After a successful save: what is saved is what was sent (or what the server answered). */
  reset(values: D = this.draft): void {
    this.saved = { ...values };
    this.draft = { ...values };
    this.changed();
  }
  changedKeys(): Array<keyof D & string> {
    return Object.keys(this.draft).filter((key) => this.draft[key] !== this.saved[key]) as Array<keyof D & string>;
  }
}

export interface FieldSpec {
  key: string;
  label: string;
  type?: 'text' | 'email' | 'number' | 'password' | 'time' | 'checkbox' | 'select' | 'textarea';
  options?: ReadonlyArray<readonly [string, string]>;
  placeholder?: string;
  autocomplete?: string;
  hint?: string;
  /** Textareas: how many lines to show. */
  rows?: number;
  /** The label is for assistive technology only (the form shows it another way, as a column header). */
  hideLabel?: boolean;
}

export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** `value` as a whole number within bounds (empty allowed when `optional`), else the error text. */
export function wholeNumberError(value: DraftValue, min: number, max: number, message: string, optional = true): string | null {
  const text = String(value).trim();
  if (text === '') return optional ? null : message;
  const number = Number(text);
  return Number.isInteger(number) && number >= min && number <= max ? null : message;
}

/** A number field's draft as a value: null when empty. */
export const numberOrNull = (value: DraftValue): number | null => (String(value).trim() === '' ? null : Number(value));

let formCounter = 0;

/**
 * Base of the settings sections: each loads what it shows over the REST API when its client
 * arrives, shows loading, error (with a retry) and empty states, and runs saves with success
 * and error feedback in live regions.
 */
export abstract class SettingsSection extends ClientElement {
  static override styles = [
    ClientElement.styles,
    css`
      :host {
        display: block;
        container-type: inline-size;
        line-height: 1.4;
      }
      h2 {
        margin: 0 0 4px;
        font-size: var(--charla-font-size-l, 18px);
      }
      h3 {
        margin: var(--charla-space-l, 20px) 0 8px;
        font-size: var(--charla-font-size-m, 14px);
      }
      form > h3:first-child,
      .card > h3:first-child {
        margin-top: 0;
      }
      table + form {
        margin-top: var(--charla-space-m, 12px);
      }
      .hint {
        margin: 0 0 var(--charla-space-m, 12px);
        color: var(--charla-color-text-muted, #5b6777);
        font-size: var(--charla-font-size-s, 12px);
      }
      form,
      .card {
        display: grid;
        gap: var(--charla-space-m, 12px);
        margin: 0 0 var(--charla-space-m, 12px);
        padding: var(--charla-space-m, 12px);
        border: 1px solid var(--charla-color-border, #d9dee5);
        border-radius: var(--charla-radius-m, 8px);
        background: var(--charla-color-surface, #fff);
      }
      .fields {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(min(100%, 220px), 1fr));
        gap: var(--charla-space-m, 12px);
      }
      .field {
        display: grid;
        gap: 4px;
        align-content: start;
        min-width: 0;
      }
      .field label,
      legend {
        overflow-wrap: anywhere;
        font-size: var(--charla-font-size-s, 12px);
        font-weight: 600;
        color: var(--charla-color-text-muted, #5b6777);
      }
      .check {
        display: flex;
        align-items: flex-start;
        gap: 8px;
      }
      .check label {
        font-weight: 400;
        font-size: var(--charla-font-size-m, 14px);
        color: inherit;
      }
      input:not([type='checkbox']),
      select,
      textarea {
        width: 100%;
        min-width: 0;
        min-height: 36px;
        padding: 6px 8px;
        border: 1px solid var(--charla-color-border, #d9dee5);
        border-radius: var(--charla-radius-s, 4px);
        background: var(--charla-color-surface, #fff);
        color: var(--charla-color-text, #1c2430);
        font: inherit;
      }
      input[type='checkbox'] {
        width: 18px;
        height: 18px;
        margin: 1px 0 0;
        flex: none;
      }
      textarea {
        min-height: 80px;
        resize: vertical;
      }
      [aria-invalid='true'] {
        border-color: var(--charla-color-danger, #c62828);
      }
      :focus-visible {
        outline: 2px solid var(--charla-color-focus, #1f6feb);
        outline-offset: 1px;
      }
      .field-error,
      .error {
        margin: 0;
        font-size: var(--charla-font-size-s, 12px);
        color: var(--charla-color-danger, #c62828);
      }
      .notice {
        margin: 0;
        font-size: var(--charla-font-size-s, 12px);
        color: var(--charla-color-success, #1a7f37);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px;
      }
      button {
        min-height: 36px;
        padding: 6px 14px;
        border: 1px solid var(--charla-color-border, #d9dee5);
        border-radius: var(--charla-radius-m, 8px);
        background: var(--charla-color-surface, #fff);
        color: var(--charla-color-text, #1c2430);
        font: inherit;
        cursor: pointer;
      }
      button.primary {
        border-color: var(--charla-color-primary, #1f6feb);
        background: var(--charla-color-primary, #1f6feb);
        color: var(--charla-color-on-primary, #fff);
        font-weight: 600;
      }
      button.danger {
        color: var(--charla-color-danger, #c62828);
      }
      button:disabled {
        opacity: 0.55;
        cursor: not-allowed;
      }
      fieldset {
        min-width: 0;
        margin: 0;
        padding: 0;
        border: 0;
      }
      legend + .fields {
        margin-top: 8px;
      }
      textarea[rows] {
        min-height: 0;
      }
      .options {
        display: flex;
        flex-wrap: wrap;
        gap: 6px 16px;
        margin-top: 6px;
      }
      .empty {
        margin: 0 0 var(--charla-space-m, 12px);
        color: var(--charla-color-text-muted, #5b6777);
      }
      .badge {
        display: inline-block;
        padding: 1px 8px;
        border-radius: 10px;
        background: var(--charla-color-surface-sunken, #eef1f5);
        font-size: var(--charla-font-size-s, 12px);
        white-space: nowrap;
      }
      .badge[data-tone='good'] {
        color: var(--charla-settings-good, #116329);
      }
      .badge[data-tone='bad'] {
        color: var(--charla-color-text-muted, #5b6777);
      }
      table {
        width: 100%;
        border-collapse: collapse;
      }
      th,
      td {
        padding: 8px 6px;
        border-bottom: 1px solid var(--charla-color-border, #d9dee5);
        text-align: start;
        vertical-align: middle;
      }
      th {
        font-size: var(--charla-font-size-s, 12px);
        color: var(--charla-color-text-muted, #5b6777);
      }
      .sub {
        display: block;
        color: var(--charla-color-text-muted, #5b6777);
        font-size: var(--charla-font-size-s, 12px);
        overflow-wrap: anywhere;
      }
      /* Narrow: each table row becomes a small card. */
      @container (max-width: 560px) {
        table,
        tbody,
        tr,
        td {
          display: block;
        }
        thead {
          display: none;
        }
        tr {
          padding: 8px 0;
          border-bottom: 1px solid var(--charla-color-border, #d9dee5);
        }
        td {
          padding: 4px 0;
          border: 0;
        }
        td[data-label]::before {
          content: attr(data-label);
          display: block;
          font-size: var(--charla-font-size-s, 12px);
          color: var(--charla-color-text-muted, #5b6777);
        }
      }
    `,
  ];

  @state() protected loadState: 'loading' | 'ready' | 'error' = 'loading';
  @state() protected loadError = '';
  /** What the last action achieved (announced politely). */
  @state() protected notice = '';
  /** Why the last action failed (announced at once). */
  @state() protected failure = '';
  @state() protected busy = false;
  #loadedFor?: CharlaClient;
  /** Ids unique to this element's shadow root, for labels. */
  protected readonly uid = `s${++formCounter}`;

  /** The section's title and what it is for. */
  protected abstract readonly heading: SettingsString;
  protected abstract readonly hint: SettingsString;
  /** `focus()` asked while the section was loading: focus its first field once it is there. */
  #focusWhenLoaded: FocusOptions | undefined | false = false;

  /** The first field of the section (its Retry after a failed load). */
  protected override focusTarget(): HTMLElement | null {
    return firstControl(this.renderRoot);
  }

  override focus(options?: FocusOptions): void {
    if (this.loadState === 'loading' && this.activeClient) this.#focusWhenLoaded = options;
    else super.focus(options);
  }

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    super.updated(changed);
    if (this.#focusWhenLoaded !== false && this.loadState !== 'loading') {
      const options = this.#focusWhenLoaded;
      this.#focusWhenLoaded = false;
      super.focus(options);
    }
  }

  /** Reads what the section shows. */
  protected abstract load(client: CharlaClient): Promise<void>;
  protected abstract renderBody(client: CharlaClient): TemplateResult | typeof nothing;

  protected t(key: SettingsString, values?: Record<string, string | number>): string {
    return settingsString(this.i18n.lang, key, values);
  }

  protected override clientChanged(client: CharlaClient | undefined): void {
    if (client && client !== this.#loadedFor) {
      this.#loadedFor = client;
      void this.reload();
    }
  }

  /** Loads the section again (after an error, or when the host knows something changed). */
  async reload(): Promise<void> {
    const client = this.activeClient;
    if (!client) return;
    this.loadState = 'loading';
    try {
      await this.load(client);
      this.loadState = 'ready';
    } catch (error) {
      this.loadError = error instanceof Error ? error.message : String(error);
      this.loadState = 'error';
    }
  }

  /** The Charla server's origin, as the last answer came from it (the page's own before any). */
  protected serverOrigin = globalThis.location?.origin ?? '';

  protected api<T>(method: string, path: string, body?: unknown): Promise<T> {
    const client = this.activeClient;
    if (!client) return Promise.reject(new Error(this.t('noClient')));
    return settingsRequest<T>(client, method, path, body, (response) => {
      if (response.url) this.serverOrigin = new URL(response.url).origin;
    });
  }

  /** Runs a change: busy meanwhile, then `done` as the notice, or the server's reason as the failure. */
  /** A form's Save: nothing unless something changed and all is valid; then `save` runs as an action. */
  protected async submit(event: Event, form: FormModel<Draft> | undefined, save: (form: FormModel<Draft>) => Promise<void>): Promise<void> {
    event.preventDefault();
    if (!form || !form.dirty || !form.valid) return;
    await this.act(() => save(form));
  }

  protected async act(work: () => Promise<string | void>): Promise<boolean> {
    this.busy = true;
    this.failure = '';
    this.notice = '';
    try {
      this.notice = (await work()) || this.t('saved');
      return true;
    } catch (error) {
      this.failure = error instanceof Error ? error.message : String(error);
      return false;
    } finally {
      this.busy = false;
    }
  }

  protected renderField(form: FormModel<Draft>, spec: FieldSpec): TemplateResult {
    const id = `${form.id}-${spec.key.replace(/[^\w-]/g, '_')}`;
    const error = form.shownError(spec.key);
    const value = form.draft[spec.key];
    const describedBy = [error ? `${id}-error` : '', spec.hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || nothing;
    const onInput = (event: Event) => {
      const target = event.target as HTMLInputElement;
      form.set(spec.key, spec.type === 'checkbox' ? target.checked : target.value);
    };
    if (spec.type === 'checkbox') {
      return html`<div class="field check">
        <input id=${id} type="checkbox" .checked=${live(Boolean(value))} @change=${onInput} aria-describedby=${describedBy} />
        <label for=${id}>${spec.label}</label>
        ${spec.hint ? html`<span class="sub" id="${id}-hint">${spec.hint}</span>` : nothing}
      </div>`;
    }
    const control =
      spec.type === 'select'
        ? html`<select id=${id} .value=${live(String(value))} @change=${onInput} aria-describedby=${describedBy}>
            ${(spec.options ?? []).map(([option, label]) => html`<option value=${option} ?selected=${option === value}>${label}</option>`)}
          </select>`
        : spec.type === 'textarea'
          ? html`<textarea id=${id} rows=${spec.rows ?? nothing} placeholder=${spec.placeholder ?? nothing} .value=${live(String(value))} @input=${onInput} aria-invalid=${error ? 'true' : 'false'} aria-describedby=${describedBy}></textarea>`
          : html`<input
              id=${id}
              type=${spec.type === 'number' ? 'text' : (spec.type ?? 'text')}
              inputmode=${spec.type === 'number' ? 'numeric' : nothing}
              .value=${live(String(value))}
              placeholder=${spec.placeholder ?? nothing}
              autocomplete=${spec.autocomplete ?? (spec.type === 'password' ? 'new-password' : 'off')}
              @input=${onInput}
              aria-invalid=${error ? 'true' : 'false'}
              aria-describedby=${describedBy}
            />`;
    return html`<div class="field">
      <label for=${id} class=${spec.hideLabel ? 'visually-hidden' : nothing}>${spec.label}</label>
      ${control}
      ${spec.hint ? html`<span class="sub" id="${id}-hint">${spec.hint}</span>` : nothing}
      ${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : nothing}
    </div>`;
  }

  /** Save (enabled once something changed and all is valid) and the live regions of the last action. */
  protected renderActions(form: FormModel<Draft> | null, label: SettingsString = 'save'): TemplateResult {
    const disabled = this.busy || (form !== null && (!form.dirty || !form.valid));
    return html`<div class="actions">
      <button class="primary" type="submit" ?disabled=${disabled}>${this.busy ? this.t('saving') : this.t(label)}</button>
    </div>`;
  }

  protected renderFeedback(): TemplateResult {
    return html`<p class="notice" role="status">${this.notice}</p>
      ${this.failure ? html`<p class="error" role="alert">${this.failure}</p>` : nothing}`;
  }

  override render() {
    const client = this.activeClient;
    const header = html`<h2 part="heading">${this.t(this.heading)}</h2>
      <p class="hint">${this.t(this.hint)}</p>`;
    if (!client) return html`${header}<p class="empty">${this.t('noClient')}</p>`;
    if (this.loadState === 'loading') return html`${header}<p class="empty" role="status">${this.t('loading')}</p>`;
    if (this.loadState === 'error') {
      return html`${header}<p class="error" role="alert">${this.t('loadFailed', { reason: this.loadError })}</p>
        <button type="button" @click=${() => void this.reload()}>${this.t('retry')}</button>`;
    }
    return html`${header}${this.renderFeedback()}<div part="body">${this.renderBody(client)}</div>`;
  }
}
