import { html } from 'lit';
import type { RoutingSettings } from '@charla/protocol';
import { FormModel, numberOrNull, SettingsSection, wholeNumberError, type Draft } from './settings-section.js';

type RoutingDraft = {
  mode: string; capacity: string; stickyAgent: boolean; autoResolveHours: string;
  firstResponseMinutes: string; nextResponseMinutes: string; resolutionMinutes: string; businessHours: boolean;
};

const text = (value: number | null) => (value === null ? '' : String(value));

/**
 * Routing and SLAs: manual or round-robin assignment, each agent's capacity, the sticky agent,
 * auto-resolve, and the first, next and resolution time targets (wall clock or business hours).
 *
 * @tag charla-settings-routing
 * @csspart heading - The section's title.
 * @csspart body - The section's content.
 */
export class CharlaSettingsRouting extends SettingsSection {
  protected readonly heading = 'routing' as const;
  protected readonly hint = 'routingHint' as const;
  #form?: FormModel<RoutingDraft>;

  #draftOf(settings: RoutingSettings): RoutingDraft {
    return {
      mode: settings.mode,
      capacity: text(settings.capacity),
      stickyAgent: settings.stickyAgent,
      autoResolveHours: text(settings.autoResolveHours),
      firstResponseMinutes: text(settings.sla.firstResponseMinutes),
      nextResponseMinutes: text(settings.sla.nextResponseMinutes),
      resolutionMinutes: text(settings.sla.resolutionMinutes),
      businessHours: settings.sla.businessHours,
    };
  }

  protected async load(): Promise<void> {
    const settings = await this.api<RoutingSettings>('GET', '/api/v1/workspace/routing');
    this.#form = new FormModel<RoutingDraft>(this.#draftOf(settings), (d) => ({
      capacity: wholeNumberError(d.capacity, 1, 500, this.t('wholeNumber', { min: 1, max: 500 })),
      autoResolveHours: wholeNumberError(d.autoResolveHours, 1, 720, this.t('wholeNumber', { min: 1, max: 720 })),
      firstResponseMinutes: wholeNumberError(d.firstResponseMinutes, 1, 10_080, this.t('wholeNumber', { min: 1, max: 10_080 })),
      nextResponseMinutes: wholeNumberError(d.nextResponseMinutes, 1, 10_080, this.t('wholeNumber', { min: 1, max: 10_080 })),
      resolutionMinutes: wholeNumberError(d.resolutionMinutes, 1, 100_800, this.t('wholeNumber', { min: 1, max: 100_800 })),
    }), () => this.requestUpdate());
  }

  async #save(event: Event): Promise<void> {
    event.preventDefault();
    const form = this.#form;
    if (!form || !form.dirty || !form.valid) return;
    const d = form.draft;
    await this.act(async () => {
      const saved = await this.api<RoutingSettings>('PATCH', '/api/v1/workspace/routing', {
        mode: d.mode,
        capacity: numberOrNull(d.capacity),
        stickyAgent: d.stickyAgent,
        autoResolveHours: numberOrNull(d.autoResolveHours),
        sla: {
          firstResponseMinutes: numberOrNull(d.firstResponseMinutes),
          nextResponseMinutes: numberOrNull(d.nextResponseMinutes),
          resolutionMinutes: numberOrNull(d.resolutionMinutes),
          businessHours: d.businessHours,
        },
      });
      form.reset(this.#draftOf(saved));
    });
  }

  protected renderBody() {
    const form = this.#form as unknown as FormModel<Draft>;
    return html`<form @submit=${(event: Event) => void this.#save(event)} aria-label=${this.t('routing')}>
      <div class="fields">
        ${this.renderField(form, { key: 'mode', label: this.t('mode'), type: 'select', options: [['manual', this.t('manual')], ['round-robin', this.t('roundRobin')]] })}
        ${this.renderField(form, { key: 'capacity', label: this.t('capacity'), type: 'number' })}
        ${this.renderField(form, { key: 'autoResolveHours', label: this.t('autoResolveHours'), type: 'number' })}
      </div>
      ${this.renderField(form, { key: 'stickyAgent', label: this.t('stickyAgent'), type: 'checkbox' })}
      <div class="fields">
        ${this.renderField(form, { key: 'firstResponseMinutes', label: this.t('firstResponse'), type: 'number' })}
        ${this.renderField(form, { key: 'nextResponseMinutes', label: this.t('nextResponse'), type: 'number' })}
        ${this.renderField(form, { key: 'resolutionMinutes', label: this.t('resolution'), type: 'number' })}
      </div>
      ${this.renderField(form, { key: 'businessHours', label: this.t('slaBusinessHours'), type: 'checkbox' })}
      ${this.renderActions(form)}
    </form>`;
  }
}
