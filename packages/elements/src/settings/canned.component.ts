import { html } from 'lit';
import { state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { CannedResponse } from '@charla/protocol';
import { FormModel, SettingsSection, type Draft } from './settings-section.js';

const SHORTCUT = /^[a-z0-9_-]{1,32}$/;

/**
 * Canned responses: the saved replies agents insert with `/shortcut`; add, edit and delete.
 *
 * @tag charla-settings-canned
 * @csspart heading - The section's title.
 * @csspart body - The section's content.
 */
export class CharlaSettingsCanned extends SettingsSection {
  protected readonly heading = 'canned' as const;
  protected readonly hint = 'cannedHint' as const;
  @state() private items: CannedResponse[] = [];
  #forms = new Map<string, FormModel<Draft>>();
  #newForm = this.#formOf({ shortcut: '', title: '', body: '' });

  #formOf(values: { shortcut: string; title: string; body: string }): FormModel<Draft> {
    return new FormModel<Draft>({ ...values }, (d) => ({
      shortcut: SHORTCUT.test(String(d.shortcut).trim().toLowerCase()) ? null : this.t('shortcutRule'),
      title: String(d.title).trim() ? null : this.t('required'),
      body: String(d.body).trim() ? null : this.t('required'),
    }), () => this.requestUpdate());
  }

  #set(items: CannedResponse[]): void {
    this.items = items;
    this.#forms = new Map(items.map((item) => [item.id, this.#formOf(item)]));
  }

  protected async load(): Promise<void> {
    this.#set(await this.api<CannedResponse[]>('GET', '/api/v1/canned-responses'));
  }

  #values(form: FormModel<Draft>) {
    return { shortcut: String(form.draft.shortcut).trim().toLowerCase(), title: String(form.draft.title).trim(), body: String(form.draft.body) };
  }

  async #create(event: Event): Promise<void> {
    event.preventDefault();
    if (!this.#newForm.dirty || !this.#newForm.valid) return;
    await this.act(async () => {
      const item = await this.api<CannedResponse>('POST', '/api/v1/canned-responses', this.#values(this.#newForm));
      this.#set([...this.items, item]);
      this.#newForm = this.#formOf({ shortcut: '', title: '', body: '' });
    });
  }

  async #save(event: Event, item: CannedResponse): Promise<void> {
    event.preventDefault();
    const form = this.#forms.get(item.id)!;
    if (!form.dirty || !form.valid) return;
    const values = this.#values(form);
    const patch = Object.fromEntries(form.changedKeys().map((key) => [key, values[key as keyof typeof values]]));
    await this.act(async () => {
      const saved = await this.api<CannedResponse>('PATCH', `/api/v1/canned-responses/${encodeURIComponent(item.id)}`, patch);
      this.items = this.items.map((i) => (i.id === saved.id ? saved : i));
      this.#forms.set(saved.id, this.#formOf(saved));
    });
  }

  async #delete(item: CannedResponse): Promise<void> {
    await this.act(async () => {
      await this.api('DELETE', `/api/v1/canned-responses/${encodeURIComponent(item.id)}`);
      this.#set(this.items.filter((i) => i.id !== item.id));
    });
  }

  #fields(form: FormModel<Draft>) {
    return html`<div class="fields">
        ${this.renderField(form, { key: 'shortcut', label: this.t('shortcut'), hint: this.t('shortcutRule') })}
        ${this.renderField(form, { key: 'title', label: this.t('cannedTitle') })}
      </div>
      ${this.renderField(form, { key: 'body', label: this.t('body'), type: 'textarea' })}`;
  }

  protected renderBody() {
    return html`
      ${this.items.length === 0 ? html`<p class="empty">${this.t('noCanned')}</p>` : null}
      ${repeat(this.items, (item) => item.id, (item) => {
        const form = this.#forms.get(item.id)!;
        return html`<form class="canned" @submit=${(event: Event) => void this.#save(event, item)} aria-label="/${item.shortcut}">
          ${this.#fields(form)}
          <div class="actions">
            <button class="primary" type="submit" ?disabled=${this.busy || !form.dirty || !form.valid}>${this.t('save')}</button>
            <button type="button" class="danger" ?disabled=${this.busy} aria-label=${this.t('deleteNamed', { name: `/${item.shortcut}` })} @click=${() => void this.#delete(item)}>${this.t('delete')}</button>
          </div>
        </form>`;
      })}
      <form class="new-canned" @submit=${(event: Event) => void this.#create(event)} aria-labelledby="${this.uid}-new">
        <h3 id="${this.uid}-new">${this.t('newCanned')}</h3>
        ${this.#fields(this.#newForm)}
        ${this.renderActions(this.#newForm, 'create')}
      </form>
    `;
  }
}
