import { css, html } from 'lit';
import { state } from 'lit/decorators.js';
import type { PreChatField, WidgetConfig, WidgetSettings } from '@charla/protocol';
import { FormModel, SettingsSection, type Draft } from './settings-section.js';

const COLOR = /^#[0-9a-fA-F]{6}$/;
/** The pre-chat fields, here rather than from the protocol's index, which would bring its schemas (zod) into the bundle. */
const PRE_CHAT_FIELDS: readonly PreChatField[] = ['name', 'email', 'phone'];
const FIELD_LABELS = { name: 'fieldName', email: 'fieldEmail', phone: 'fieldPhone' } as const;

/** `value` fit for a double-quoted HTML attribute. */
const attribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The web widget: its color and greeting, what the pre-chat form asks, identity verification,
 * hiding the launcher while no one can answer, a new identity secret (shown once; the stored one
 * never is), and the embed code with the launcher's text and color (the page draws the launcher
 * before loading anything, so those live in the tag).
 *
 * @tag charla-settings-widget
 * @csspart heading - The section's title.
 * @csspart body - The section's content.
 */
export class CharlaSettingsWidget extends SettingsSection {
  static override styles = [
    SettingsSection.styles,
    css`
      .color-field {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        align-items: end;
        gap: 8px;
      }
      textarea.code {
        min-height: 0;
        font-family: var(--charla-font-mono, ui-monospace, SFMono-Regular, Menlo, monospace);
        font-size: var(--charla-font-size-s, 12px);
      }
      .swatch {
        width: 36px;
        height: 36px;
        margin-bottom: 22px;
        border: 1px solid var(--charla-color-border, #d9dee5);
        border-radius: var(--charla-radius-s, 4px);
      }
    `,
  ];
  protected readonly heading = 'widget' as const;
  protected readonly hint = 'widgetHint' as const;
  #form?: FormModel<Draft>;
  /** A secret just made, shown until the section reloads. */
  @state() private freshSecret = '';
  #widgetKey = '';
  /** The launcher's text and color, written into the embed code (nothing is saved). */
  #launcher = new FormModel<Draft>({ launcherText: '', launcherColor: '' }, (d) => this.#launcherErrors(d), () => this.requestUpdate());

  #launcherErrors(d: Draft): Record<string, string | null> {
    return {
      launcherText: String(d.launcherText).trim().length > 40 ? this.t('tooLong', { max: 40 }) : null,
      launcherColor: String(d.launcherColor).trim() === '' || COLOR.test(String(d.launcherColor).trim()) ? null : this.t('colorRule'),
    };
  }

  /** The tag to paste into the site, with the launcher's text and color when valid. */
  #embedCode(): string {
    const { launcherText, launcherColor } = this.#launcher.draft;
    const errors = this.#launcherErrors(this.#launcher.draft);
    const text = String(launcherText).trim();
    const color = String(launcherColor).trim();
    return `<script src="${attribute(new URL('/widget.js', this.serverOrigin).href)}" data-workspace="${attribute(this.#widgetKey)}"`
      + (text && !errors.launcherText ? ` data-launcher-text="${attribute(text)}"` : '')
      + (color && !errors.launcherColor ? ` data-color="${attribute(color)}"` : '')
      + ' async></script>';
  }

  async #copyEmbed(): Promise<void> {
    await this.act(async () => {
      await navigator.clipboard.writeText(this.#embedCode());
      return this.t('copied');
    });
  }

  #draftOf(settings: WidgetSettings): Draft {
    const draft: Draft = {
      requireVerifiedIdentity: settings.requireVerifiedIdentity,
      hideWhenOffline: settings.hideWhenOffline,
      color: settings.color ?? '',
      greeting: settings.greeting ?? '',
    };
    for (const field of PRE_CHAT_FIELDS) draft[`preChat:${field}`] = settings.preChat[field] ?? 'off';
    return draft;
  }

  protected async load(): Promise<void> {
    const config = await this.api<WidgetConfig>('GET', '/api/v1/workspace/widget');
    this.#widgetKey = config.widgetKey;
    this.#launcher = new FormModel<Draft>({ launcherText: '', launcherColor: config.settings.color ?? '' }, (d) => this.#launcherErrors(d), () => this.requestUpdate());
    this.#form = new FormModel<Draft>(this.#draftOf(config.settings), (d) => ({
      color: String(d.color).trim() === '' || COLOR.test(String(d.color).trim()) ? null : this.t('colorRule'),
      greeting: String(d.greeting).length > 500 ? this.t('tooLong', { max: 500 }) : null,
    }), () => this.requestUpdate());
    this.freshSecret = '';
  }

  async #save(event: Event): Promise<void> {
    event.preventDefault();
    const form = this.#form;
    if (!form || !form.dirty || !form.valid) return;
    const d = form.draft;
    await this.act(async () => {
      const config = await this.api<WidgetConfig>('PATCH', '/api/v1/workspace/widget', {
        requireVerifiedIdentity: d.requireVerifiedIdentity,
        hideWhenOffline: d.hideWhenOffline,
        preChat: Object.fromEntries(PRE_CHAT_FIELDS.map((field) => [field, d[`preChat:${field}`]])),
        color: String(d.color).trim() || null,
        greeting: String(d.greeting).trim() || null,
      });
      form.reset(this.#draftOf(config.settings));
    });
  }

  async #newSecret(): Promise<void> {
    await this.act(async () => {
      const config = await this.api<WidgetConfig>('POST', '/api/v1/workspace/widget/secret', {});
      this.freshSecret = config.secret;
    });
  }

  protected renderBody() {
    const form = this.#form!;
    const modes = [['off', this.t('off')], ['optional', this.t('optional')], ['required', this.t('requiredField')]] as const;
    const color = String(form.draft.color).trim();
    return html`<form @submit=${(event: Event) => void this.#save(event)} aria-label=${this.t('widget')}>
        <div class="fields">
          <div class="color-field">
            ${this.renderField(form, { key: 'color', label: this.t('color'), placeholder: '#0b5cad', hint: this.t('colorHint') })}
            <span class="swatch" aria-hidden="true" style=${COLOR.test(color) ? `background:${color}` : ''}></span>
          </div>
        </div>
        ${this.renderField(form, { key: 'greeting', label: this.t('greeting'), type: 'textarea', rows: 2, hint: this.t('greetingHint') })}
        <fieldset>
          <legend>${this.t('preChat')}</legend>
          <div class="fields">
            ${PRE_CHAT_FIELDS.map((field) => this.renderField(form, { key: `preChat:${field}`, label: this.t(FIELD_LABELS[field]), type: 'select', options: modes }))}
          </div>
        </fieldset>
        ${this.renderField(form, { key: 'requireVerifiedIdentity', label: this.t('requireVerifiedIdentity'), type: 'checkbox' })}
        ${this.renderField(form, { key: 'hideWhenOffline', label: this.t('hideWhenOffline'), type: 'checkbox' })}
        ${this.renderActions(form)}
      </form>
      <section class="card embed" aria-labelledby="${this.uid}-embed">
        <h3 id="${this.uid}-embed">${this.t('embed')}</h3>
        <p class="hint">${this.t('embedHint')}</p>
        <div class="fields">
          ${this.renderField(this.#launcher, { key: 'launcherText', label: this.t('launcherText'), placeholder: this.t('launcherTextExample') })}
          ${this.renderField(this.#launcher, { key: 'launcherColor', label: this.t('launcherColor'), placeholder: '#0b5cad', hint: this.t('colorHint') })}
        </div>
        <div class="field">
          <label for="${this.uid}-embed-code">${this.t('embedCode')}</label>
          <textarea id="${this.uid}-embed-code" class="code" rows="4" readonly .value=${this.#embedCode()}></textarea>
        </div>
        <div class="actions"><button type="button" ?disabled=${this.busy} @click=${() => void this.#copyEmbed()}>${this.t('copy')}</button></div>
      </section>
      <section class="card" aria-labelledby="${this.uid}-secret">
        <h3 id="${this.uid}-secret">${this.t('identitySecret')}</h3>
        <p class="hint">${this.t('identitySecretHint')}</p>
        ${this.freshSecret ? html`<p class="sub secret">${this.t('newSecretShown', { secret: this.freshSecret })}</p>` : null}
        <div class="actions"><button type="button" ?disabled=${this.busy} @click=${() => void this.#newSecret()}>${this.t('newSecret')}</button></div>
      </section>`;
  }
}
