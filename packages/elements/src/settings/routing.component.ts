import { css, html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { CHANNELS, SKILL_PATTERN, type Channel } from '@charla/protocol/constants';
import type { RoutingRule, RoutingSettings, Team } from '@charla/protocol';
import { FormModel, numberOrNull, SettingsSection, wholeNumberError, type Draft } from './settings-section.js';

type RoutingDraft = {
  mode: string; capacity: string; stickyAgent: boolean; autoResolveHours: string;
  firstResponseMinutes: string; nextResponseMinutes: string; resolutionMinutes: string; businessHours: boolean;
  /** VIP routing: the team ('' when off), the least lifetime value and its currency. */
  vipTeamId: string; vipMinimum: string; vipCurrency: string;
};

const text = (value: number | null) => (value === null ? '' : String(value));
/** Whether `value` is no skill ('') or a skill name the server takes. */
export const isSkillOrEmpty = (value: string): boolean => !value.trim() || SKILL_PATTERN.test(value.trim().toLowerCase());
const RULE_KINDS = ['channel', 'label', 'topic'] as const;
type RuleKind = (typeof RULE_KINDS)[number];
const kindOf = (rule: RoutingRule): RuleKind => ('channel' in rule ? 'channel' : 'label' in rule ? 'label' : 'topic');
const valueOf = (rule: RoutingRule): string => ('channel' in rule ? rule.channel : 'label' in rule ? rule.label : rule.topic);

/**
 * Routing and SLAs: manual or round-robin assignment, each agent's capacity, the sticky agent,
 * auto-resolve, team rules (a channel, label or topic sends a conversation to a team; the first
 * match wins), VIP routing (contacts worth at least a lifetime value go to a team first), and the
 * first, next and resolution time targets (wall clock or business hours).
 *
 * @tag charla-settings-routing
 * @csspart heading - The section's title.
 * @csspart body - The section's content.
 */
export class CharlaSettingsRouting extends SettingsSection {
  static override styles = [
    SettingsSection.styles,
    css`
      .rule-list {
        margin: 8px 0;
        padding-inline-start: 20px;
        display: grid;
        gap: 6px;
      }
      .rule-list li > * {
        vertical-align: middle;
      }
      .rule-list button {
        margin-inline-start: 8px;
        min-height: 30px;
        padding: 2px 10px;
      }
    `,
  ];
  protected readonly heading = 'routing' as const;
  protected readonly hint = 'routingHint' as const;
  #form?: FormModel<RoutingDraft>;
  @state() private teams: Team[] = [];
  /** Team rules being edited, in order (the first match wins), and as saved. */
  @state() private rules: RoutingRule[] = [];
  #savedRules = '[]';
  #newRule = new FormModel<Draft>({ kind: 'channel', value: 'whatsapp', teamId: '', skill: '' }, (d) => ({
    value: String(d.value).trim() ? null : this.t('required'),
    teamId: d.teamId || String(d.skill).trim() ? null : this.t('ruleTeamOrSkill'),
    skill: isSkillOrEmpty(String(d.skill)) ? null : this.t('skillInvalid'),
  }), () => this.requestUpdate());

  get #rulesChanged(): boolean {
    return JSON.stringify(this.rules) !== this.#savedRules;
  }

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
      vipTeamId: settings.vip?.teamId ?? '',
      vipMinimum: settings.vip ? String(settings.vip.minLifetimeValue) : '',
      vipCurrency: settings.vip?.currency ?? '',
    };
  }

  #vipOf(d: RoutingDraft): RoutingSettings['vip'] {
    return d.vipTeamId ? { teamId: d.vipTeamId, minLifetimeValue: Number(d.vipMinimum.trim()), currency: d.vipCurrency.trim().toUpperCase() } : null;
  }

  /** What is wrong with the VIP fields (nothing while VIP routing is off). */
  #vipErrors(d: RoutingDraft): Partial<Record<keyof RoutingDraft, string | null>> {
    if (!d.vipTeamId) return {};
    const minimum = Number(d.vipMinimum.trim());
    return {
      vipMinimum: d.vipMinimum.trim() !== '' && Number.isFinite(minimum) && minimum > 0 ? null : this.t('positiveNumber'),
      vipCurrency: /^[A-Za-z]{3}$/.test(d.vipCurrency.trim()) ? null : this.t('currencyRule'),
    };
  }

  protected async load(): Promise<void> {
    const [settings, teams] = await Promise.all([
      this.api<RoutingSettings>('GET', '/api/v1/workspace/routing'),
      this.api<Team[]>('GET', '/api/v1/teams'),
    ]);
    this.teams = teams;
    this.rules = settings.rules;
    this.#savedRules = JSON.stringify(settings.rules);
    this.#form = new FormModel<RoutingDraft>(this.#draftOf(settings), (d) => ({
      capacity: wholeNumberError(d.capacity, 1, 500, this.t('wholeNumber', { min: 1, max: 500 })),
      autoResolveHours: wholeNumberError(d.autoResolveHours, 1, 720, this.t('wholeNumber', { min: 1, max: 720 })),
      firstResponseMinutes: wholeNumberError(d.firstResponseMinutes, 1, 10_080, this.t('wholeNumber', { min: 1, max: 10_080 })),
      nextResponseMinutes: wholeNumberError(d.nextResponseMinutes, 1, 10_080, this.t('wholeNumber', { min: 1, max: 10_080 })),
      resolutionMinutes: wholeNumberError(d.resolutionMinutes, 1, 100_800, this.t('wholeNumber', { min: 1, max: 100_800 })),
      ...this.#vipErrors(d),
    }), () => this.requestUpdate());
  }

  async #save(event: Event): Promise<void> {
    event.preventDefault();
    const form = this.#form;
    if (!form || !(form.dirty || this.#rulesChanged) || !form.valid) return;
    const d = form.draft;
    await this.act(async () => {
      const saved = await this.api<RoutingSettings>('PATCH', '/api/v1/workspace/routing', {
        ...(this.#rulesChanged ? { rules: this.rules } : {}),
        ...(form.changedKeys().some((key) => key.startsWith('vip')) ? { vip: this.#vipOf(d) } : {}),
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
      this.rules = saved.rules;
      this.#savedRules = JSON.stringify(saved.rules);
    });
  }

  #addRule(): void {
    const form = this.#newRule;
    if (!form.valid) return;
    const value = String(form.draft.value).trim();
    const teamId = String(form.draft.teamId);
    const skill = String(form.draft.skill).trim().toLowerCase();
    const to = { ...(teamId ? { teamId } : {}), ...(skill ? { skill } : {}) };
    const kind = form.draft.kind as RuleKind;
    const rule: RoutingRule = kind === 'channel' ? { channel: value as Channel, ...to } : kind === 'label' ? { label: value, ...to } : { topic: value, ...to };
    this.rules = [...this.rules, rule];
    form.reset({ kind, value: kind === 'channel' ? value : '', teamId, skill: '' });
  }

  #ruleText(rule: RoutingRule): string {
    const kind = kindOf(rule);
    const value = kind === 'channel' ? this.i18n.t(`channel.${valueOf(rule) as Channel}`) : valueOf(rule);
    const what = this.t(kind === 'channel' ? 'ruleChannel' : kind === 'label' ? 'ruleLabel' : 'ruleTopic');
    const team = rule.teamId ? (this.teams.find((t) => t.id === rule.teamId)?.name ?? rule.teamId) : null;
    if (team && rule.skill) return this.t('ruleBothText', { what, value, team, skill: rule.skill });
    return team ? this.t('ruleText', { what, value, team }) : this.t('ruleSkillText', { what, value, skill: rule.skill ?? '' });
  }

  #renderRules() {
    const form = this.#newRule;
    const channelOptions = CHANNELS.map((channel) => [channel, this.i18n.t(`channel.${channel}`)] as const);
    return html`<fieldset class="card rules">
      <legend>${this.t('rules')}</legend>
      <span class="sub">${this.t('rulesHint')}</span>
      ${this.rules.length === 0
        ? html`<p class="empty">${this.t('noRules')}</p>`
        : html`<ol class="rule-list">
            ${this.rules.map((rule, index) => html`<li>
              <span>${this.#ruleText(rule)}</span>
              <button type="button" class="danger" aria-label=${this.t('removeRule', { rule: this.#ruleText(rule) })}
                @click=${() => (this.rules = this.rules.filter((_, i) => i !== index))}>${this.t('remove')}</button>
            </li>`)}
          </ol>`}
      ${this.teams.length === 0 ? html`<p class="sub">${this.t('rulesNeedTeams')}</p>` : nothing}
      ${html`<div class="fields">
            ${this.renderField(form, {
              key: 'kind', label: this.t('ruleWhen'), type: 'select',
              options: [['channel', this.t('ruleChannel')], ['label', this.t('ruleLabel')], ['topic', this.t('ruleTopic')]],
            })}
            ${form.draft.kind === 'channel'
              ? this.renderField(form, { key: 'value', label: this.t('ruleIs'), type: 'select', options: channelOptions })
              : this.renderField(form, { key: 'value', label: this.t('ruleIs') })}
            ${this.teams.length === 0
              ? nothing
              : this.renderField(form, {
                  key: 'teamId', label: this.t('ruleTeam'), type: 'select',
                  options: [['', '—'], ...this.teams.map((team) => [team.id, team.name] as const)],
                })}
            ${this.renderField(form, { key: 'skill', label: this.t('ruleSkill') })}
          </div>
          <div class="actions"><button type="button" ?disabled=${!form.valid} @click=${() => this.#addRule()}>${this.t('addRule')}</button></div>`}
    </fieldset>`;
  }

  #renderVip(form: FormModel<Draft>) {
    return html`<fieldset class="card vip">
      <legend>${this.t('vip')}</legend>
      <span class="sub">${this.t('vipHint')}</span>
      ${this.teams.length === 0 && !form.draft.vipTeamId
        ? html`<p class="sub">${this.t('rulesNeedTeams')}</p>`
        : html`<div class="fields">
            ${this.renderField(form, {
              key: 'vipTeamId', label: this.t('vipTeam'), type: 'select',
              options: [['', this.t('vipOff')], ...this.teams.map((team) => [team.id, team.name] as const)],
            })}
            ${form.draft.vipTeamId
              ? html`${this.renderField(form, { key: 'vipMinimum', label: this.t('vipMinimum'), type: 'number', placeholder: '10000' })}
                  ${this.renderField(form, { key: 'vipCurrency', label: this.t('vipCurrency'), placeholder: 'MXN', autocomplete: 'off' })}`
              : nothing}
          </div>`}
    </fieldset>`;
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
      ${this.#renderRules()}
      ${this.#renderVip(form)}
      <div class="actions">
        <button class="primary" type="submit" ?disabled=${this.busy || !(form.dirty || this.#rulesChanged) || !form.valid}>${this.busy ? this.t('saving') : this.t('save')}</button>
      </div>
    </form>`;
  }
}
