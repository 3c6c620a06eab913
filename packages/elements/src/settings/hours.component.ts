import { html } from 'lit';
import type { OpeningPeriod, WidgetConfig, WorkspaceSettings } from '@charla/protocol';
import { FormModel, SettingsSection, type Draft } from './settings-section.js';

const DAYS = [1, 2, 3, 4, 5, 6, 0] as const;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.trim() !== '';
  } catch {
    return false;
  }
}

/**
 * Business hours and time zone: the workspace's time zone (dates, reports, the widget's hours)
 * and one opening period per weekday, or always open.
 *
 * @tag charla-settings-hours
 * @csspart heading - The section's title.
 * @csspart body - The section's content.
 */
export class CharlaSettingsHours extends SettingsSection {
  protected readonly heading = 'hours' as const;
  protected readonly hint = 'hoursHint' as const;
  #form?: FormModel<Draft>;

  #dayName(day: number): string {
    // 2023-01-01 was a Sunday.
    return new Intl.DateTimeFormat(this.i18n.lang, { weekday: 'long', timeZone: 'UTC' }).format(Date.UTC(2023, 0, 1 + day));
  }

  #draftOf(timezone: string, hours: OpeningPeriod[] | null): Draft {
    const draft: Draft = { timezone, alwaysOpen: hours === null };
    for (const day of DAYS) {
      const period = hours?.find((p) => p.day === day);
      draft[`open:${day}`] = Boolean(period);
      draft[`from:${day}`] = period?.open ?? '09:00';
      draft[`to:${day}`] = period?.close ?? '18:00';
    }
    return draft;
  }

  protected async load(): Promise<void> {
    const [workspace, widget] = await Promise.all([
      this.api<WorkspaceSettings>('GET', '/api/v1/workspace'),
      this.api<WidgetConfig>('GET', '/api/v1/workspace/widget'),
    ]);
    this.#form = new FormModel<Draft>(this.#draftOf(workspace.timezone, widget.settings.businessHours), (d) => {
      const errors: Record<string, string | null> = { timezone: isTimeZone(String(d.timezone)) ? null : this.t('unknownTimezone') };
      if (!d.alwaysOpen) {
        for (const day of DAYS) {
          if (!d[`open:${day}`]) continue;
          const from = String(d[`from:${day}`]);
          const to = String(d[`to:${day}`]);
          if (!TIME.test(from)) errors[`from:${day}`] = this.t('required');
          if (!TIME.test(to)) errors[`to:${day}`] = this.t('required');
          else if (TIME.test(from) && to <= from) errors[`to:${day}`] = this.t('closeAfterOpen');
        }
      }
      return errors;
    }, () => this.requestUpdate());
  }

  async #save(event: Event): Promise<void> {
    event.preventDefault();
    const form = this.#form;
    if (!form || !form.dirty || !form.valid) return;
    const d = form.draft;
    const timezone = String(d.timezone).trim();
    const businessHours = d.alwaysOpen
      ? null
      : DAYS.filter((day) => d[`open:${day}`]).map((day) => ({ day, open: String(d[`from:${day}`]), close: String(d[`to:${day}`]) }));
    await this.act(async () => {
      if (form.changedKeys().includes('timezone')) await this.api('PATCH', '/api/v1/workspace', { timezone });
      await this.api('PATCH', '/api/v1/workspace/widget', { timezone, businessHours });
      form.reset(this.#draftOf(timezone, businessHours));
    });
  }

  protected renderBody() {
    const form = this.#form!;
    return html`<form @submit=${(event: Event) => void this.#save(event)} aria-label=${this.t('hours')}>
      <div class="fields">${this.renderField(form, { key: 'timezone', label: this.t('timezone'), placeholder: 'America/Mexico_City' })}</div>
      ${this.renderField(form, { key: 'alwaysOpen', label: this.t('alwaysOpen'), type: 'checkbox' })}
      ${form.draft.alwaysOpen
        ? null
        : html`<div class="fields">
            ${DAYS.map((day) => {
              const name = this.#dayName(day);
              return html`<fieldset class="card">
                <legend>${name}</legend>
                ${this.renderField(form, { key: `open:${day}`, label: this.t('openOn', { day: name }), type: 'checkbox' })}
                ${form.draft[`open:${day}`]
                  ? html`<div class="fields">
                      ${this.renderField(form, { key: `from:${day}`, label: this.t('opensOn', { day: name }), type: 'time' })}
                      ${this.renderField(form, { key: `to:${day}`, label: this.t('closesOn', { day: name }), type: 'time' })}
                    </div>`
                  : html`<span class="sub">${this.t('closed')}</span>`}
              </fieldset>`;
            })}
          </div>`}
      ${this.renderActions(form)}
    </form>`;
  }
}
