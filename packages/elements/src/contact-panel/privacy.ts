import { html, nothing, type ReactiveController, type ReactiveElement } from 'lit';
import type { CharlaClient } from '@charla/client';
import type { Contact, DataExportJob } from '@charla/protocol';
import type { Locale } from '../i18n/strings.js';
import { saveDownload } from '../shared/download.js';
import { privacyString, type PrivacyString } from './privacy.strings.js';

/** What the privacy controller needs from the panel it lives in. */
export interface PrivacyHost {
  readonly element: ReactiveElement;
  readonly client: () => CharlaClient | undefined;
  readonly lang: () => Locale;
  /** The person was erased: the panel tells the host. */
  readonly erased: (contactId: string) => void;
}

/** How often a background export is asked about while it runs. */
const POLL_MS = 1000;

/** The server's `{error: {message}}`, else its status. */
async function refusal(response: Response): Promise<Error> {
  const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
  return new Error(body?.error?.message ?? `The server answered ${response.status}`);
}

/**
 * The contact panel's privacy section (admins): "Download data", the person's whole archive (zip)
 * from `GET /api/v1/contacts/:id/data-export`, saved by the browser (a large one is prepared by a
 * background job: the button says so and the file is saved when it is ready); and "Erase this
 * person", after a confirmation that can also refuse their messages from then on
 * (`DELETE /api/v1/contacts/:id?erase=1&block=1`).
 */
export class ContactPrivacy implements ReactiveController {
  state: 'idle' | 'preparing' | 'done' | 'failed' = 'idle';
  error = '';
  erase: 'idle' | 'confirming' | 'erasing' | 'failed' = 'idle';
  block = false;
  eraseError = '';
  #contactId: string | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly host: PrivacyHost) {
    host.element.addController(this);
  }

  hostDisconnected(): void {
    clearTimeout(this.#timer);
  }

  #t(key: PrivacyString, values?: Record<string, string | number>): string {
    return privacyString(this.host.lang(), key, values);
  }

  #update(): void {
    this.host.element.requestUpdate();
  }

  /** Forgets a previous contact's export (its result no longer shows). */
  reset(): void {
    clearTimeout(this.#timer);
    this.#contactId = null;
    this.state = 'idle';
    this.error = '';
    this.erase = 'idle';
    this.block = false;
    this.eraseError = '';
  }

  async #focus(selector: string): Promise<void> {
    await this.host.element.updateComplete;
    this.host.element.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  #confirm(open: boolean): void {
    this.erase = open ? 'confirming' : 'idle';
    this.block = false;
    this.eraseError = '';
    this.#update();
    void this.#focus(open ? '[data-action="erase-cancel"]' : '[data-action="erase"]');
  }

  async #erase(contactId: string): Promise<void> {
    const client = this.host.client();
    if (!client) return;
    this.erase = 'erasing';
    this.#update();
    try {
      const answer = await client.fetchApi(`/api/v1/contacts/${encodeURIComponent(contactId)}?erase=1${this.block ? '&block=1' : ''}`, { method: 'DELETE' });
      if (!answer.ok) throw await refusal(answer);
      this.reset();
      this.host.erased(contactId);
    } catch (error) {
      this.erase = 'failed';
      this.eraseError = error instanceof Error ? error.message : String(error);
    }
    this.#update();
  }


  async #run(client: CharlaClient, contactId: string): Promise<void> {
    const answer = await client.fetchApi(`/api/v1/contacts/${encodeURIComponent(contactId)}/data-export`);
    if (answer.status === 202) {
      const job = (await answer.json()) as DataExportJob;
      await this.#wait(client, contactId, job.id);
      return;
    }
    if (!answer.ok) throw await refusal(answer);
    await saveDownload(answer, `contact-${contactId}.zip`, 'application/zip');
  }

  /** Asks about the background export until it is ready (then saves it) or failed. */
  #wait(client: CharlaClient, contactId: string, jobId: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = async () => {
        try {
          if (this.#contactId !== contactId) return resolve();
          const status = await client.fetchApi(`/api/v1/data-exports/${encodeURIComponent(jobId)}`);
          if (!status.ok) throw await refusal(status);
          const job = (await status.json()) as DataExportJob;
          if (job.state === 'failed') throw new Error(job.error ?? this.#t('exportFailed'));
          if (job.state !== 'ready' || !job.downloadUrl) {
            this.#timer = setTimeout(() => void check(), POLL_MS);
            return;
          }
          const file = await client.fetchApi(job.downloadUrl);
          if (!file.ok) throw await refusal(file);
          await saveDownload(file, `contact-${contactId}.zip`, 'application/zip');
          resolve();
        } catch (error) {
          reject(error);
        }
      };
      void check();
    });
  }

  async start(contactId: string): Promise<void> {
    const client = this.host.client();
    if (!client || this.state === 'preparing') return;
    this.#contactId = contactId;
    this.state = 'preparing';
    this.error = '';
    this.#update();
    try {
      await this.#run(client, contactId);
      if (this.#contactId !== contactId) return;
      this.state = 'done';
    } catch (error) {
      if (this.#contactId !== contactId) return;
      this.state = 'failed';
      this.error = error instanceof Error ? error.message : String(error);
    }
    this.#update();
  }

  /** The section: shown to admins only (the server refuses everyone else, and audits it). */
  render(contact: Contact) {
    if (this.host.client()?.me?.role !== 'admin') return nothing;
    const preparing = this.state === 'preparing';
    const erasing = this.erase === 'erasing';
    return html`<section part="section privacy" aria-labelledby="privacy">
      <h3 id="privacy">${this.#t('privacy')}</h3>
      <p class="muted-text">${this.#t('exportHint')}</p>
      <div class="privacy-actions">
        <button class="small" type="button" data-action="data-export" ?disabled=${preparing} aria-describedby="data-export-status"
          @click=${() => void this.start(contact.id)}>
          ${preparing ? this.#t('preparing') : this.#t('download')}
        </button>
        ${this.erase === 'idle'
          ? html`<button class="small danger" type="button" data-action="erase" @click=${() => this.#confirm(true)}>${this.#t('erase')}</button>`
          : nothing}
      </div>
      <p class="muted-text" style="margin: 6px 0 0" id="data-export-status" role="status">${this.state === 'done' ? this.#t('downloaded') : preparing ? this.#t('preparingHint') : ''}</p>
      ${this.state === 'failed' ? html`<p class="error" role="alert">${this.#t('exportFailedWith', { reason: this.error })}</p>` : nothing}
      ${this.erase === 'idle'
        ? nothing
        : html`<div class="erase-confirm" role="group" aria-labelledby="erase-question">
            <p id="erase-question">${this.#t('eraseQuestion', { name: contact.name ?? contact.email ?? contact.phone ?? this.#t('thisPerson') })}</p>
            <label class="check">
              <input type="checkbox" .checked=${this.block} ?disabled=${erasing}
                @change=${(event: Event) => (this.block = (event.target as HTMLInputElement).checked)} />
              ${this.#t('block')}
            </label>
            <div class="privacy-actions">
              <button class="small danger" type="button" data-action="erase-confirm" ?disabled=${erasing} @click=${() => void this.#erase(contact.id)}>
                ${erasing ? this.#t('erasing') : this.#t('eraseConfirm')}
              </button>
              <button class="small" type="button" data-action="erase-cancel" ?disabled=${erasing} @click=${() => this.#confirm(false)}>${this.#t('cancel')}</button>
            </div>
            ${this.erase === 'failed' ? html`<p class="error" role="alert">${this.#t('eraseFailed', { reason: this.eraseError })}</p>` : nothing}
          </div>`}
    </section>`;
  }
}
