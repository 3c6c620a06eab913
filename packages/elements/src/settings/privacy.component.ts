import { html } from 'lit';
import type { PrivacySettings } from '@charla/protocol';
import { FormModel, numberOrNull, SettingsSection, wholeNumberError, type Draft } from './settings-section.js';
import { privacySettingsString, type PrivacySettingsString } from './privacy-settings.strings.js';

/**
 * Privacy: how long quiet contacts and conversations are kept, and whether they are then erased or
 * anonymized by the hourly sweep (`GET|PUT /api/v1/privacy/settings`).
 *
 * @tag charla-settings-privacy
 * @csspart heading - The section's title.
 * @csspart body - The section's content.
 */
export class CharlaSettingsPrivacy extends SettingsSection {
  protected readonly heading = 'privacy' as const;
  protected readonly hint = 'privacyHint' as const;
  #form?: FormModel<Draft>;

  #p(key: PrivacySettingsString): string {
    return privacySettingsString(this.i18n.lang, key);
  }

  #draftOf(settings: PrivacySettings): Draft {
    return { retentionMonths: settings.retentionMonths === null ? '' : String(settings.retentionMonths), retentionAction: settings.retentionAction };
  }

  protected async load(): Promise<void> {
    const settings = await this.api<PrivacySettings>('GET', '/api/v1/privacy/settings');
    this.#form = new FormModel<Draft>(this.#draftOf(settings), (d) => ({
      retentionMonths: wholeNumberError(d.retentionMonths ?? '', 1, 240, this.t('wholeNumber', { min: 1, max: 240 })),
    }), () => this.requestUpdate());
  }

  #save(event: Event): Promise<void> {
    return this.submit(event, this.#form, async (form) => {
      const saved = await this.api<PrivacySettings>('PUT', '/api/v1/privacy/settings', {
        retentionMonths: numberOrNull(form.draft.retentionMonths ?? ''),
        retentionAction: form.draft.retentionAction,
      });
      form.reset(this.#draftOf(saved));
    });
  }

  protected renderBody() {
    const form = this.#form!;
    return html`<form @submit=${(event: Event) => void this.#save(event)} aria-label=${this.t('privacy')}>
      <div class="fields">
        ${this.renderField(form, { key: 'retentionMonths', label: this.#p('retentionMonths'), type: 'number' })}
        ${this.renderField(form, {
          key: 'retentionAction', label: this.#p('retentionAction'), type: 'select',
          options: [['delete', this.#p('retention.delete')], ['anonymize', this.#p('retention.anonymize')]],
        })}
      </div>
      <p class="hint">${this.#p('retentionExplain')}</p>
      ${this.renderActions(form)}
    </form>`;
  }
}
