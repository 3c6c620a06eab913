import { html } from 'lit';
import { state } from 'lit/decorators.js';
import type { AiSettings, Pipeline } from '@charla/protocol';
import { FormModel, numberOrNull, SettingsSection, wholeNumberError, type Draft } from './settings-section.js';

/**
 * AI: the provider in use, the lead score that qualifies a lead, and the pipeline its deal goes to.
 *
 * @tag charla-settings-ai
 * @csspart heading - The section's title.
 * @csspart body - The section's content.
 */
export class CharlaSettingsAi extends SettingsSection {
  protected readonly heading = 'ai' as const;
  protected readonly hint = 'aiHint' as const;
  @state() private provider: string | null = null;
  @state() private pipelines: Pipeline[] = [];
  #form?: FormModel<Draft>;

  #draftOf(settings: AiSettings): Draft {
    return { qualifyThreshold: settings.qualifyThreshold === null ? '' : String(settings.qualifyThreshold), pipelineId: settings.pipelineId ?? '' };
  }

  protected async load(): Promise<void> {
    const [settings, pipelines] = await Promise.all([
      this.api<AiSettings & { provider?: string }>('GET', '/api/v1/ai/settings'),
      this.api<Pipeline[]>('GET', '/api/v1/pipelines'),
    ]);
    this.provider = settings.provider ?? null;
    this.pipelines = pipelines;
    this.#form = new FormModel<Draft>(this.#draftOf(settings), (d) => ({
      qualifyThreshold: wholeNumberError(d.qualifyThreshold ?? '', 1, 100, this.t('wholeNumber', { min: 1, max: 100 })),
    }), () => this.requestUpdate());
  }

  #save(event: Event): Promise<void> {
    return this.submit(event, this.#form, async (form) => {
      const saved = await this.api<AiSettings>('PATCH', '/api/v1/ai/settings', {
        qualifyThreshold: numberOrNull(form.draft.qualifyThreshold ?? ''),
        pipelineId: form.draft.pipelineId || null,
      });
      form.reset(this.#draftOf(saved));
    });
  }

  protected renderBody() {
    const form = this.#form!;
    return html`${this.provider ? html`<p class="provider">${this.t('provider')}: <span class="badge" data-tone="good">${this.provider === 'heuristic' ? this.t('providerHeuristic') : this.provider}</span></p>` : null}
      <form @submit=${(event: Event) => void this.#save(event)} aria-label=${this.t('ai')}>
        <div class="fields">
          ${this.renderField(form, { key: 'qualifyThreshold', label: this.t('qualifyThreshold'), type: 'number' })}
          ${this.renderField(form, {
            key: 'pipelineId', label: this.t('targetPipeline'), type: 'select',
            options: [['', this.t('firstPipeline')], ...this.pipelines.map((p) => [p.id, p.name] as const)],
          })}
        </div>
        ${this.renderActions(form)}
      </form>`;
  }
}
