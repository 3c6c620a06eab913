import { html, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { CharlaClient } from '@charla/client';
import type { AgentRankingResult, AgentRankingRow, ForecastResult, MetricDeal, Money, Pipeline, StageConversionResult } from '@charla/protocol';
import { ClientElement } from '../controllers/client-element.js';
import type { DealOpenDetail, PipelineSelectDetail } from '../kanban/kanban.component.js';
import { dashboardString, type DashboardString } from './dashboard.strings.js';
import { dashboardStyles } from './dashboard.styles.js';

/** The three morning views' data: what `metrics.get` answers for each. */
export interface DashboardData {
  funnel: StageConversionResult | null;
  ranking: AgentRankingResult | null;
  forecast: ForecastResult | null;
}

export type DashboardStatus = 'loading' | 'ready' | 'error';

export interface DashboardRangeDetail {
  /** First day shown, `YYYY-MM-DD`. */
  from: string;
  /** Last day shown (inclusive), `YYYY-MM-DD`. */
  to: string;
}

interface Drill {
  title: string;
  ids: string[];
}

const DAY_MS = 86_400_000;
const day = (time: number) => new Date(time).toISOString().slice(0, 10);

const formats = new Map<string, Intl.NumberFormat>();
function format(lang: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${lang}:${JSON.stringify(options)}`;
  let found = formats.get(key);
  if (!found) {
    try {
      found = new Intl.NumberFormat(lang, options);
    } catch {
      found = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
    }
    formats.set(key, found);
  }
  return found;
}
const moneyText = (lang: string, currency: string, amount: number) =>
  format(lang, { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount);
const percent = (lang: string, ratio: number) => format(lang, { style: 'percent', maximumFractionDigits: 0 }).format(ratio);

/**
 * The sales leader's morning: the conversion funnel by stage, the ranking by salesperson and the
 * month's forecast against its target, for a date range. Every number is also text (the funnel
 * rows and the ranking table), and every bar or salesperson drills down to the deals behind it;
 * choosing one fires `charla-deal-open` for the host to open it.
 *
 * With a client (`.client` or `<charla-provider>`) it loads `stage-conversion`, `agent-ranking`
 * and `forecast` over the agent socket whenever the range, pipeline or target changes. Without
 * one it renders `.data` (and `.status`).
 *
 * @tag charla-dashboard
 * @event charla-deal-open - The user chose a deal behind a number. `detail: {dealId, conversationId, contactId}`.
 * @event charla-pipeline-select - The user picked another pipeline. `detail: {pipelineId}`.
 * @event charla-range-change - The user changed the date range. `detail: {from, to}` (days, `to` inclusive).
 * @cssproperty --charla-dashboard-background - Background behind the cards.
 * @cssproperty --charla-dashboard-card-background - Background of each view.
 * @cssproperty --charla-dashboard-bar - Funnel and ranking bars.
 * @cssproperty --charla-dashboard-won - Won part of the forecast.
 * @cssproperty --charla-dashboard-forecast - Expected part of the forecast.
 * @cssproperty --charla-dashboard-target - The target marker.
 * @csspart range - The date range form.
 * @csspart pipeline-select - The pipeline picker (shown when there are several).
 * @csspart funnel - The funnel view.
 * @csspart ranking - The ranking view.
 * @csspart forecast - The forecast view.
 * @csspart drill - The list of deals behind a number.
 */
export class CharlaDashboard extends ClientElement {
  static override styles = [ClientElement.styles, dashboardStyles];

  /** The metrics shown (data mode; with a client they are loaded). */
  @property({ attribute: false }) data: DashboardData | null = null;
  /** Data mode: whether the data is still loading or failed. */
  @property() status: DashboardStatus = 'ready';
  /** First day of the range, `YYYY-MM-DD`; default the first day of the current month. */
  @property() from: string | null = null;
  /** Last day of the range (inclusive), `YYYY-MM-DD`; default today. */
  @property() to: string | null = null;
  /** Pipelines to pick from (data mode; with a client they come from it). */
  @property({ attribute: false }) pipelines: Pipeline[] = [];
  /** The pipeline measured; default the workspace's first. */
  @property({ attribute: 'pipeline-id' }) pipelineId: string | null = null;
  /** The month's sales target, in the forecast's main currency. */
  @property({ type: Number }) target: number | null = null;
  /** The current time (tests, stories); the clock when unset. */
  @property({ attribute: false }) now: number | null = null;

  @state() private loaded: DashboardData | null = null;
  @state() private loadStatus: DashboardStatus = 'loading';
  @state() private drill: Drill | null = null;

  #requested = '';
  #sequence = 0;

  #t(key: DashboardString, values?: Record<string, string | number>): string {
    return dashboardString(this.i18n.lang, key, values);
  }

  get #range(): DashboardRangeDetail {
    const now = this.now ?? Date.now();
    return { from: this.from ?? `${day(now).slice(0, 8)}01`, to: this.to ?? day(now) };
  }

  get #data(): DashboardData | null {
    return this.activeClient ? this.loaded : this.data;
  }

  get #status(): DashboardStatus {
    return this.activeClient ? this.loadStatus : this.status;
  }

  get #pipelines(): Pipeline[] {
    return this.activeClient ? this.activeClient.sales.pipelines : this.pipelines;
  }

  // ------------------------------------------------------------------ loading

  protected override clientChanged(client: CharlaClient | undefined): void {
    if (client && !client.sales.pipelinesLoaded) void client.sales.loadPipelines().catch(() => undefined);
  }

  #pickPipeline(event: Event): void {
    const pipelineId = (event.target as HTMLSelectElement).value;
    this.pipelineId = pipelineId;
    this.drill = null;
    this.emit('charla-pipeline-select', { detail: { pipelineId } satisfies PipelineSelectDetail });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const client = this.activeClient;
    if (!client) return;
    const { from, to } = this.#range;
    const key = JSON.stringify([from, to, this.pipelineId, this.target, client.session?.agent.id ?? null]);
    if (key !== this.#requested && client.session) {
      this.#requested = key;
      void this.#load();
    }
  }

  async #load(): Promise<void> {
    const client = this.activeClient;
    if (!client) return;
    const sequence = ++this.#sequence;
    const { from, to } = this.#range;
    const query = {
      from: `${from}T00:00:00.000Z`,
      to: new Date(Date.parse(`${to}T00:00:00.000Z`) + DAY_MS).toISOString(),
      ...(this.pipelineId ? { pipelineId: this.pipelineId } : {}),
    };
    this.loadStatus = 'loading';
    try {
      const [funnel, ranking, forecast] = await Promise.all([
        client.metric('stage-conversion', query),
        client.metric('agent-ranking', query),
        client.metric('forecast', { ...query, ...(this.target !== null ? { target: this.target } : {}) }),
      ]);
      if (sequence !== this.#sequence) return;
      this.loaded = { funnel, ranking, forecast };
      this.loadStatus = 'ready';
    } catch {
      if (sequence !== this.#sequence) return;
      this.loadStatus = 'error';
    }
  }

  #retry = () => {
    this.#requested = '';
    this.requestUpdate();
  };

  #changeRange(event: Event, which: 'from' | 'to'): void {
    const value = (event.target as HTMLInputElement).value;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return;
    const range = { ...this.#range, [which]: value };
    if (range.from > range.to) {
      if (which === 'from') range.to = range.from;
      else range.from = range.to;
    }
    this.from = range.from;
    this.to = range.to;
    this.drill = null;
    this.emit('charla-range-change', { detail: range });
  }

  // ------------------------------------------------------------------ drill-down

  #deals(): Map<string, MetricDeal> {
    const data = this.#data;
    const all = new Map<string, MetricDeal>();
    for (const result of [data?.funnel, data?.ranking, data?.forecast]) for (const deal of result?.deals ?? []) all.set(deal.id, deal);
    return all;
  }

  #open(title: string, ids: string[]): void {
    this.drill = { title, ids: [...new Set(ids)] };
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.drill h3')?.focus());
  }

  #choose(deal: MetricDeal): void {
    const detail: DealOpenDetail = { dealId: deal.id, conversationId: deal.conversationId, contactId: deal.contactId };
    this.emit('charla-deal-open', { detail });
  }

  // ------------------------------------------------------------------ rendering

  #money(amount: Money | undefined): string {
    const entries = Object.entries(amount ?? {});
    if (entries.length === 0) return this.#t('none');
    return entries.map(([currency, value]) => moneyText(this.i18n.lang, currency, value)).join(' · ');
  }

  #duration(seconds: number | null): string {
    if (seconds === null) return this.#t('none');
    const number = format(this.i18n.lang, { maximumFractionDigits: 1 });
    if (seconds < 60) return this.#t('seconds', { value: number.format(seconds) });
    if (seconds < 3600) return this.#t('minutes', { value: number.format(Math.round(seconds / 6) / 10) });
    return this.#t('hours', { value: number.format(Math.round(seconds / 360) / 10) });
  }

  #number(n: number): string {
    return format(this.i18n.lang, {}).format(n);
  }

  #count(n: number): string {
    return n === 1 ? this.#t('dealCountOne') : this.#t('dealCount', { count: format(this.i18n.lang, {}).format(n) });
  }

  override render(): TemplateResult {
    const status = this.#status;
    const data = this.#data;
    const { from, to } = this.#range;
    return html`
      <div class="toolbar">
        <h2>${this.#t('dashboard')}</h2>
        <div class="controls">
        ${this.#pipelines.length > 1
          ? html`<label class="field">${this.#t('pipeline')}
              <select part="pipeline-select" @change=${this.#pickPipeline}>
                ${this.#pipelines.map((pipeline) => html`<option value=${pipeline.id} ?selected=${pipeline.id === (this.pipelineId ?? data?.funnel?.pipelineId ?? this.#pipelines[0]?.id)}>${pipeline.name}</option>`)}
              </select>
            </label>`
          : nothing}
        <fieldset class="range" part="range">
          <legend class="visually-hidden">${this.#t('range')}</legend>
          <label class="field">${this.#t('from')}
            <input type="date" name="from" .value=${from} max=${to} @change=${(e: Event) => this.#changeRange(e, 'from')} />
          </label>
          <label class="field">${this.#t('to')}
            <input type="date" name="to" .value=${to} min=${from} @change=${(e: Event) => this.#changeRange(e, 'to')} />
          </label>
        </fieldset>
        </div>
      </div>
      ${status === 'error'
        ? html`<div class="state error" role="alert">
            <p>${this.#t('error')}</p>
            ${this.activeClient ? html`<button type="button" class="retry" @click=${this.#retry}>${this.#t('retry')}</button>` : nothing}
          </div>`
        : status === 'loading' && !data
          ? html`<div class="state" role="status">${this.#t('loading')}</div>`
          : data && (data.funnel?.pipelineId ?? data.ranking?.pipelineId ?? data.forecast?.pipelineId) === null
            ? html`<div class="state">${this.#t('noPipeline')}</div>`
            : html`<div class="views" aria-busy=${status === 'loading' ? 'true' : 'false'}>
                ${this.#funnel(data?.funnel ?? null)} ${this.#forecast(data?.forecast ?? null)} ${this.#ranking(data?.ranking ?? null)}
              </div>
              ${this.#drillView()}`}
    `;
  }

  #funnel(result: StageConversionResult | null): TemplateResult {
    const stages = (result?.stages ?? []).filter((stage) => stage.kind !== 'lost');
    const max = Math.max(0, ...stages.map((stage) => stage.entered));
    return html`<section class="card funnel" part="funnel" aria-labelledby="funnel-title">
      <h3 id="funnel-title">${this.#t('funnel')}</h3>
      <p class="hint">${this.#t('funnelHint')}</p>
      ${max === 0
        ? html`<p class="empty">${this.#t('funnelEmpty')}</p>`
        : html`<ol class="bars">
            ${stages.map((stage) => {
              const rate = stage.kind === 'open' && stage.conversion !== null ? percent(this.i18n.lang, stage.conversion) : null;
              const width = max === 0 ? 0 : (stage.entered / max) * 100;
              return html`<li>
                <button type="button" class="bar-row" data-stage=${stage.stageId} @click=${() => this.#open(stage.name, stage.dealIds)}>
                  <span class="label">${stage.name}</span>
                  <svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                    ${svg`<rect class="track" x="0" y="0" width="100" height="10" rx="1"></rect>
                      <rect class=${stage.kind === 'won' ? 'fill won' : 'fill'} x="0" y="0" width=${Math.max(width, stage.entered > 0 ? 1 : 0)} height="10" rx="1"></rect>`}
                  </svg>
                  <span class="value">${this.#number(stage.entered)}${rate !== null ? html` <span class="muted">· ${rate} ${this.#t('movedOn').toLowerCase()}</span>` : nothing}</span>
                </button>
              </li>`;
            })}
          </ol>`}
    </section>`;
  }

  #ranking(result: AgentRankingResult | null): TemplateResult {
    const rows = (result?.agents ?? []).filter((row) => row.openDeals + row.won + row.lost > 0 || row.firstResponseMedian !== null);
    const currency = mainCurrency(rows, this.#deals());
    const wonIn = (row: AgentRankingRow) => (currency ? (row.wonAmount[currency] ?? 0) : 0);
    const max = Math.max(0, ...rows.map(wonIn));
    return html`<section class="card ranking" part="ranking" aria-labelledby="ranking-title">
      <h3 id="ranking-title">${this.#t('ranking')}</h3>
      ${rows.length === 0
        ? html`<p class="empty">${this.#t('rankingEmpty')}</p>`
        : html`<div class="table-scroll" role="group" aria-labelledby="ranking-title" tabindex="0"><table>
            <thead>
              <tr>
                <th scope="col">${this.#t('salesperson')}</th>
                <th scope="col" class="num">${this.#t('open')}</th>
                <th scope="col" class="num">${this.#t('won')}</th>
                <th scope="col">${this.#t('wonAmount')}</th>
                <th scope="col" class="num">${this.#t('conversion')}</th>
                <th scope="col" class="num">${this.#t('frt')}</th>
              </tr>
            </thead>
            <tbody>
              ${rows.map((row) => html`<tr data-agent=${row.agentId}>
                <th scope="row">
                  <button type="button" class="link" @click=${() => this.#open(row.name, [...row.openIds, ...row.wonIds, ...row.lostIds])}>${row.name}</button>
                </th>
                <td class="num">${this.#number(row.openDeals)}</td>
                <td class="num">${this.#number(row.won)}</td>
                <td>
                  <div class="amount"><svg class="bar small" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                    ${svg`<rect class="fill won" x="0" y="0" width=${max === 0 ? 0 : (wonIn(row) / max) * 100} height="10" rx="1"></rect>`}
                  </svg>
                  <span>${this.#money(row.wonAmount)}</span></div>
                </td>
                <td class="num">${row.conversion === null ? this.#t('none') : percent(this.i18n.lang, row.conversion)}</td>
                <td class="num">${this.#duration(row.firstResponseMedian)}</td>
              </tr>`)}
            </tbody>
          </table></div>`}
    </section>`;
  }

  #forecast(result: ForecastResult | null): TemplateResult {
    const lang = this.i18n.lang;
    const month = result
      ? new Intl.DateTimeFormat(lang, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${result.month}-15T00:00:00Z`))
      : '';
    const currency = result?.currency ?? null;
    const won = currency ? (result?.won[currency] ?? 0) : 0;
    const weighted = currency ? (result?.weighted[currency] ?? 0) : 0;
    const target = result?.target ?? null;
    const scale = Math.max(won + weighted, target ?? 0) || 1;
    const others = currency ? Object.keys({ ...result?.won, ...result?.weighted }).filter((code) => code !== currency) : [];
    const m = (amount: number) => (currency ? moneyText(lang, currency, amount) : String(amount));
    return html`<section class="card forecast" part="forecast" aria-labelledby="forecast-title">
      <h3 id="forecast-title">${this.#t('forecast', { month })}</h3>
      ${!result || !currency
        ? html`<p class="empty">${this.#t('forecastEmpty')}</p>`
        : html`
            <p class="big">${m(won + weighted)}${target !== null ? html` <span class="muted">/ ${m(target)}</span>` : nothing}</p>
            <p class="summary">
              ${this.#t('forecastSummary', { won: m(won), weighted: m(weighted), total: m(won + weighted) })}.
              ${target !== null ? this.#t('ofTarget', { percent: percent(lang, target === 0 ? 1 : (won + weighted) / target) }) : this.#t('noTarget')}
            </p>
            <svg class="gauge" viewBox="0 0 100 12" preserveAspectRatio="none" aria-hidden="true" focusable="false">
              ${svg`<rect class="track" x="0" y="2" width="100" height="8" rx="1"></rect>
                <rect class="fill won" x="0" y="2" width=${(won / scale) * 100} height="8"></rect>
                <rect class="fill expected" x=${(won / scale) * 100} y="2" width=${(weighted / scale) * 100} height="8"></rect>
                ${target !== null ? svg`<rect class="target" x=${Math.min(99.4, (target / scale) * 100)} y="0" width="0.6" height="12"></rect>` : nothing}`}
            </svg>
            <ul class="legend">
              <li><span class="swatch won"></span>${this.#t('wonSoFar')}: ${m(won)}</li>
              <li><span class="swatch expected"></span>${this.#t('weighted')}: ${m(weighted)}</li>
              ${target !== null ? html`<li><span class="swatch target"></span>${this.#t('target')}: ${m(target)}</li>` : nothing}
            </ul>
            ${others.length > 0
              ? html`<p class="hint">${others.map((code) => `${code}: ${moneyText(lang, code, (result.won[code] ?? 0) + (result.weighted[code] ?? 0))}`).join(' · ')}</p>`
              : nothing}
            <button type="button" class="secondary" @click=${() => this.#open(this.#t('forecast', { month }), [...result.wonIds, ...result.dealIds])}>
              ${this.#t('openDeals')} (${this.#count(new Set([...result.wonIds, ...result.dealIds]).size)})
            </button>
          `}
    </section>`;
  }

  #drillView(): TemplateResult | typeof nothing {
    const drill = this.drill;
    if (!drill) return nothing;
    const deals = this.#deals();
    const list = drill.ids.map((id) => deals.get(id)).filter((deal): deal is MetricDeal => deal !== undefined);
    return html`<section class="card drill" part="drill" aria-labelledby="drill-title">
      <header>
        <h3 id="drill-title" tabindex="-1">${this.#t('dealsOf', { what: drill.title })} <span class="muted">(${this.#count(list.length)})</span></h3>
        <button type="button" class="secondary" @click=${() => (this.drill = null)}>${this.#t('close')}</button>
      </header>
      ${list.length === 0
        ? html`<p class="empty">${this.#t('noDeals')}</p>`
        : html`<ul class="deals">
            ${list.map((deal) => html`<li>
              <button type="button" class="deal" data-deal=${deal.id} @click=${() => this.#choose(deal)}>
                <span class="title" title=${deal.title}>${deal.title}</span>
                <span class="amount">${moneyText(this.i18n.lang, deal.currency, deal.amount)}</span>
              </button>
            </li>`)}
          </ul>`}
    </section>`;
  }
}

/** The currency the ranking's bars compare: the one most won deals are in (amounts of different currencies are never added up). */
function mainCurrency(rows: AgentRankingRow[], deals: Map<string, MetricDeal>): string | null {
  const counts = new Map<string, number>();
  for (const row of rows) {
    for (const id of row.wonIds) {
      const code = deals.get(id)?.currency ?? Object.keys(row.wonAmount)[0];
      if (code) counts.set(code, (counts.get(code) ?? 0) + 1);
    }
  }
  return [...counts.entries()].sort(([a, x], [b, y]) => y - x || a.localeCompare(b))[0]?.[0] ?? null;
}

declare global {
  interface GlobalEventHandlersEventMap {
    'charla-range-change': CustomEvent<DashboardRangeDetail>;
  }
}
