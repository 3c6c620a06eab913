import { html } from 'lit';
import { CSAT_DEFAULT_QUESTIONS, CSAT_LANGUAGES, CSAT_QUESTION_MAX, type CsatLanguage, type CsatSettings } from '@charla/protocol';
import { FormModel, SettingsSection, wholeNumberError, type Draft } from './settings-section.js';
import { csatSettingsString, type CsatSettingsString } from './csat-settings.strings.js';

/** The languages in the order the form lists them (the demo's customers write Spanish first). */
const LANGUAGES: readonly CsatLanguage[] = ['es', 'en', 'pt'].filter((l): l is CsatLanguage => (CSAT_LANGUAGES as readonly string[]).includes(l));

/**
 * Satisfaction surveys: on or off, the question per language (empty: the default one), the
 * language WhatsApp and Instagram are asked in, and how long a survey waits for its answer
 * (`GET|PATCH /api/v1/csat/settings`).
 *
 * @tag charla-settings-csat
 * @csspart heading - The section's title.
 * @csspart body - The section's content.
 */
export class CharlaSettingsCsat extends SettingsSection {
  protected readonly heading = 'csat' as const;
  protected readonly hint = 'csatHint' as const;
  #form?: FormModel<Draft>;

  #c(key: CsatSettingsString, values?: Record<string, string | number>): string {
    return csatSettingsString(this.i18n.lang, key, values);
  }

  #draftOf(settings: CsatSettings): Draft {
    return {
      enabled: settings.enabled,
      ...Object.fromEntries(LANGUAGES.map((language) => [`question.${language}`, settings.questions[language] ?? ''])),
      channelLanguage: settings.channelLanguage,
      expiresHours: String(settings.expiresHours),
    };
  }

  protected async load(): Promise<void> {
    const settings = await this.api<CsatSettings>('GET', '/api/v1/csat/settings');
    this.#form = new FormModel<Draft>(this.#draftOf(settings), (d) => ({
      ...Object.fromEntries(LANGUAGES.map((language) => {
        const count = String(d[`question.${language}`] ?? '').trim().length;
        return [`question.${language}`, count > CSAT_QUESTION_MAX ? this.#c('tooLong', { max: CSAT_QUESTION_MAX, count }) : null];
      })),
      expiresHours: wholeNumberError(d.expiresHours ?? '', 1, 720, this.t('wholeNumber', { min: 1, max: 720 }), false),
    }), () => this.requestUpdate());
  }

  #save(event: Event): Promise<void> {
    return this.submit(event, this.#form, async (form) => {
      const changed = form.changedKeys();
      const questions = Object.fromEntries(LANGUAGES.filter((language) => changed.includes(`question.${language}`))
        .map((language) => [language, String(form.draft[`question.${language}`]).trim() || null]));
      const saved = await this.api<CsatSettings>('PATCH', '/api/v1/csat/settings', {
        ...(changed.includes('enabled') ? { enabled: form.draft.enabled } : {}),
        ...(Object.keys(questions).length > 0 ? { questions } : {}),
        ...(changed.includes('channelLanguage') ? { channelLanguage: form.draft.channelLanguage } : {}),
        ...(changed.includes('expiresHours') ? { expiresHours: Number(form.draft.expiresHours) } : {}),
      });
      form.reset(this.#draftOf(saved));
    });
  }

  protected renderBody() {
    const form = this.#form!;
    return html`<form @submit=${(event: Event) => void this.#save(event)} aria-label=${this.t('csat')}>
      ${this.renderField(form, { key: 'enabled', label: this.#c('enabled'), type: 'checkbox' })}
      <p class="hint">${this.#c('enabledHint')}</p>
      <fieldset>
        <legend>${this.#c('questions')}</legend>
        <div class="fields">
          ${LANGUAGES.map((language) => this.renderField(form, {
            key: `question.${language}`, label: this.#c(`question.${language}`), type: 'textarea', rows: 2, placeholder: CSAT_DEFAULT_QUESTIONS[language],
          }))}
        </div>
        <p class="hint">${this.#c('questionsHint')}</p>
      </fieldset>
      <div class="fields">
        ${this.renderField(form, {
          key: 'channelLanguage', label: this.#c('channelLanguage'), type: 'select',
          options: LANGUAGES.map((language) => [language, this.#c(`question.${language}`)] as const),
        })}
        ${this.renderField(form, { key: 'expiresHours', label: this.#c('expiresHours'), type: 'number' })}
      </div>
      ${this.renderActions(form)}
    </form>`;
  }
}
