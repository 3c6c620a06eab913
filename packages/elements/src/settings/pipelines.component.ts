import { css, html } from 'lit';
import { state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { Pipeline, Stage } from '@charla/protocol';
import { FormModel, numberOrNull, SettingsSection, wholeNumberError, type Draft } from './settings-section.js';

const openStages = (pipeline: Pipeline) => pipeline.stages.filter((stage) => stage.kind === 'open').sort((a, b) => a.position - b.position);
const linesOf = (text: DraftValueText) => String(text).split('\n').map((line) => line.trim()).filter(Boolean);
type DraftValueText = string | boolean | undefined;

/**
 * Pipelines and stages: each pipeline's name and open stages in order (one per line; Won and
 * Lost stay last), each stage's win probability and the days after which its deals are stalled,
 * and new pipelines. A stage keeps its deals when its line keeps its name.
 *
 * @tag charla-settings-pipelines
 * @csspart heading - The section's title.
 * @csspart body - The section's content.
 */
export class CharlaSettingsPipelines extends SettingsSection {
  static override styles = [
    SettingsSection.styles,
    css`
      /* One row per stage under one header; each field keeps its full label for assistive technology. */
      .stage-grid {
        display: grid;
        grid-template-columns: minmax(6rem, 1fr) minmax(4.5rem, 9rem) minmax(4.5rem, 9rem);
        max-width: 44rem;
        gap: 6px var(--charla-space-m, 12px);
        align-items: start;
        margin-top: 8px;
      }
      .stage-grid .head {
        font-size: var(--charla-font-size-s, 12px);
        font-weight: 600;
        color: var(--charla-color-text-muted, #5b6777);
      }
      .stage-grid .stage-name {
        min-height: 36px;
        display: flex;
        align-items: center;
        overflow-wrap: anywhere;
      }
    `,
  ];
  protected readonly heading = 'pipelines' as const;
  protected readonly hint = 'pipelinesHint' as const;
  @state() private pipelines: Pipeline[] = [];
  #forms = new Map<string, FormModel<Draft>>();
  #newForm = this.#formOf('', '');

  /** `tuned`: the open stages whose probability and stalled days are edited beside the names. */
  #formOf(name: string, stages: string, tuned: readonly Stage[] = []): FormModel<Draft> {
    const values: Draft = { name, stages };
    for (const stage of tuned) {
      values[`probability:${stage.id}`] = String(stage.probability);
      values[`stalled:${stage.id}`] = stage.stalledAfterDays === null ? '' : String(stage.stalledAfterDays);
    }
    return new FormModel<Draft>(values, (d) => ({
      name: String(d.name).trim() ? null : this.t('required'),
      stages: linesOf(d.stages).length > 0 ? null : this.t('required'),
      ...Object.fromEntries(tuned.flatMap((stage) => [
        [`probability:${stage.id}`, wholeNumberError(d[`probability:${stage.id}`]!, 0, 100, this.t('wholeNumber', { min: 0, max: 100 }), false)],
        [`stalled:${stage.id}`, wholeNumberError(d[`stalled:${stage.id}`]!, 1, 3650, this.t('wholeNumber', { min: 1, max: 3650 }))],
      ])),
    }), () => this.requestUpdate());
  }

  #set(pipelines: Pipeline[]): void {
    this.pipelines = pipelines;
    this.#forms = new Map(pipelines.map((p) => [p.id, this.#formOf(p.name, openStages(p).map((s) => s.name).join('\n'), openStages(p))]));
  }

  protected async load(): Promise<void> {
    this.#set(await this.api<Pipeline[]>('GET', '/api/v1/pipelines'));
  }

  async #create(event: Event): Promise<void> {
    event.preventDefault();
    const form = this.#newForm;
    if (!form.dirty || !form.valid) return;
    await this.act(async () => {
      const pipeline = await this.api<Pipeline>('POST', '/api/v1/pipelines', {
        name: String(form.draft.name).trim(),
        stages: linesOf(form.draft.stages).map((name) => ({ name })),
      });
      this.#set([...this.pipelines, pipeline]);
      this.#newForm = this.#formOf('', '');
    });
  }

  async #save(event: Event, pipeline: Pipeline): Promise<void> {
    event.preventDefault();
    const form = this.#forms.get(pipeline.id)!;
    if (!form.dirty || !form.valid) return;
    const patch: { name?: string; stages?: Array<{ id?: string; name: string; probability?: number; stalledAfterDays?: number | null }> } = {};
    const changed = form.changedKeys();
    if (changed.includes('name')) patch.name = String(form.draft.name).trim();
    if (changed.some((key) => key !== 'name')) {
      const existing = openStages(pipeline);
      const d = form.draft;
      patch.stages = linesOf(d.stages).map((name) => {
        const kept = existing.find((stage) => stage.name === name);
        if (!kept) return { name };
        return { id: kept.id, name, probability: Number(d[`probability:${kept.id}`]), stalledAfterDays: numberOrNull(d[`stalled:${kept.id}`]!) };
      });
    }
    await this.act(async () => {
      const saved = await this.api<Pipeline>('PATCH', `/api/v1/pipelines/${encodeURIComponent(pipeline.id)}`, patch);
      this.#set(this.pipelines.map((p) => (p.id === saved.id ? saved : p)));
    });
  }

  protected renderBody() {
    return html`
      ${this.pipelines.length === 0 ? html`<p class="empty">${this.t('noPipelines')}</p>` : null}
      ${repeat(this.pipelines, (p) => p.id, (pipeline) => {
        const form = this.#forms.get(pipeline.id)!;
        return html`<form class="pipeline" @submit=${(event: Event) => void this.#save(event, pipeline)} aria-label=${pipeline.name}>
          <div class="fields">${this.renderField(form, { key: 'name', label: this.t('pipelineName') })}</div>
          ${this.renderField(form, { key: 'stages', label: this.t('stages'), type: 'textarea', rows: Math.max(3, linesOf(form.draft.stages).length + 1) })}
          <fieldset class="stage-tuning">
            <legend>${this.t('stageTuning')}</legend>
            <span class="sub">${this.t('stageTuningHint')}</span>
            <div class="stage-grid">
              <span class="head" aria-hidden="true">${this.t('stageColumn')}</span>
              <span class="head" aria-hidden="true">${this.t('probabilityColumn')}</span>
              <span class="head" aria-hidden="true">${this.t('stalledColumn')}</span>
              ${openStages(pipeline).map((stage) => html`
                <span class="stage-name" aria-hidden="true">${stage.name}</span>
                ${this.renderField(form, { key: `probability:${stage.id}`, label: this.t('stageProbability', { stage: stage.name }), type: 'number', hideLabel: true })}
                ${this.renderField(form, { key: `stalled:${stage.id}`, label: this.t('stageStalled', { stage: stage.name }), type: 'number', hideLabel: true })}`)}
            </div>
          </fieldset>
          ${this.renderActions(form)}
        </form>`;
      })}
      <form class="new-pipeline" @submit=${(event: Event) => void this.#create(event)} aria-labelledby="${this.uid}-new">
        <h3 id="${this.uid}-new">${this.t('newPipeline')}</h3>
        <div class="fields">${this.renderField(this.#newForm, { key: 'name', label: this.t('pipelineName') })}</div>
        ${this.renderField(this.#newForm, { key: 'stages', label: this.t('stages'), type: 'textarea' })}
        ${this.renderActions(this.#newForm, 'create')}
      </form>
    `;
  }
}
