import { html, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { CharlaClient, MetricQuery } from '@charla/client';
import type {
  AcquisitionCostResult, AgentRankingResult, AgentRankingRow, ChangeEvent, CsatGroup, CsatMetricResult, CsatResponse, DealVelocityResult, ForecastResult, LeadToCloseResult, LtvByChannelResult,
  LtvByCurrency, LtvGroup, MetricContact, MetricDeal, MetricHours, MetricName, MetricResult, Money, Pipeline, PipelineHygieneResult,
  PipelineSnapshotResult, StageConversionResult, WinRateResult, WorkloadConversation, WorkloadResult,
} from '@charla/protocol';
import { CHANNELS, type Channel } from '@charla/protocol/constants';
import { ClientElement } from '../controllers/client-element.js';
import type { ContactOpenDetail } from '../contacts/contacts.component.js';
import type { ConversationSelectDetail } from '../inbox/inbox.component.js';
import type { DealOpenDetail, PipelineSelectDetail } from '../kanban/kanban.component.js';
import { durationParts, moneyText, numberFormat, percent } from './dashboard.format.js';
import { dashboardString, type DashboardString } from './dashboard.strings.js';
import { dashboardStyles } from './dashboard.styles.js';
import { saveDownload } from '../shared/download.js';

/** The service view's data: the conversation clocks and the volume by channel. */
export interface DashboardService {
  /** `first-response-time`, not grouped (its `unanswered` is shown too). */
  firstResponse: MetricResult;
  /** `reply-time`, not grouped. */
  replyTime: MetricResult;
  /** `resolution-time`, not grouped. */
  resolution: MetricResult;
  /** `volume` grouped by channel. */
  volume: MetricResult;
  /** `csat` grouped by agent and by channel (each lists the answers behind the numbers). */
  csat?: { byAgent: CsatMetricResult; byChannel: CsatMetricResult };
}

/**
 * The dashboard's data: what `metrics.get` answers for each view. Views whose field is left out
 * are not drawn; `null` draws the view empty.
 */
export interface DashboardData {
  funnel: StageConversionResult | null;
  ranking: AgentRankingResult | null;
  forecast: ForecastResult | null;
  velocity?: DealVelocityResult | null;
  leadToClose?: LeadToCloseResult | null;
  winRate?: WinRateResult | null;
  pipeline?: PipelineSnapshotResult | null;
  service?: DashboardService | null;
  /** `ltv-by-channel`: lifetime value per channel of first conversation and per ad. */
  ltv?: LtvByChannelResult | null;
  /** `acquisition-cost`: spend and cost per lead, qualified lead and won customer per channel. */
  acquisition?: AcquisitionCostResult | null;
  /** `pipeline-hygiene`: open deals followed up, per owner. */
  hygiene?: PipelineHygieneResult | null;
  /** `workload`: each agent's open and waiting conversations now. */
  workload?: WorkloadResult | null;
}

export type DashboardStatus = 'loading' | 'ready' | 'error';

export interface DashboardRangeDetail {
  /** First day shown, `YYYY-MM-DD`. */
  from: string;
  /** Last day shown (inclusive), `YYYY-MM-DD`. */
  to: string;
}

export interface TargetChangeDetail {
  /** The month's target in the forecast's currency; null when the user cleared it. */
  target: number | null;
}

/** The views drawn from a pipeline metric, and the metric each one shows. */
const SALES_METRICS = {
  funnel: 'stage-conversion',
  forecast: 'forecast',
  pipeline: 'pipeline',
  velocity: 'deal-velocity',
  winRate: 'win-rate',
  leadToClose: 'lead-to-close',
  ranking: 'agent-ranking',
  ltv: 'ltv-by-channel',
  acquisition: 'acquisition-cost',
  hygiene: 'pipeline-hygiene',
  workload: 'workload',
} as const satisfies Record<string, MetricName>;
type SalesView = keyof typeof SALES_METRICS;
type View = SalesView | 'service';
const SALES_VIEWS = Object.keys(SALES_METRICS) as SalesView[];
/** Views a conversation's change moves (a message can bring a deal's follow-up up to date). */
const CONVERSATION_VIEWS: View[] = ['service', 'workload', 'hygiene'];
/** Views a deal's change moves. */
const DEAL_VIEWS = SALES_VIEWS.filter((view) => view !== 'workload');

/** The view each card (by its part) shows. */
const VIEW_OF_PART: Record<string, View> = {
  funnel: 'funnel', forecast: 'forecast', pipeline: 'pipeline', velocity: 'velocity', 'win-rate': 'winRate', 'lead-to-close': 'leadToClose',
  service: 'service', ranking: 'ranking', ltv: 'ltv', acquisition: 'acquisition', hygiene: 'hygiene', workload: 'workload',
};
/** The service view's metrics, exported as one CSV of titled sections. */
const SERVICE_METRICS = ['first-response-time', 'reply-time', 'resolution-time', 'volume'] as const;

/** The service clocks' choices (the protocol's `METRIC_HOURS`; its module would bring zod into the bundle). */
const HOURS = ['wall', 'business'] as const satisfies readonly MetricHours[];

/** Ids asked for when the user wants every deal behind a number (the server's most). */
const ID_LIMIT_ALL = 10_000;
/** Live changes are gathered this long before the metrics are asked for again. */
const REFRESH_DELAY_MS = 1500;

/** The deals behind a number: the ids listed and how many deals the number counts. */
interface Listed {
  ids: string[];
  total: number;
}

/** What a drill-down lists: deals, customers, waiting conversations, a channel's months (`ids`: the channel), or survey answers. */
type DrillKind = 'deals' | 'contacts' | 'conversations' | 'months' | 'answers';

interface Drill {
  title: string;
  view: View;
  kind: DrillKind;
  /** Read from the current data, so a reload (live, or "Show all") updates the open list. */
  list: (data: DashboardData) => Listed;
}

const listed = (...parts: Array<[ids: string[], count: number | undefined]>): Listed => ({
  ids: [...new Set(parts.flatMap(([ids]) => ids))],
  total: parts.reduce((sum, [ids, count]) => sum + (count ?? ids.length), 0),
});

const DAY_MS = 86_400_000;
const day = (time: number) => new Date(time).toISOString().slice(0, 10);

/**
 * The sales leader's morning: the conversion funnel by stage, the month's forecast against its
 * target, the open pipeline, the time deals spend in each stage, the win rate, the time from lead
 * to close, the service clocks (first response, reply and resolution times, volume by channel),
 * the ranking by salesperson, the workload of each agent now, the follow-up hygiene of the open
 * deals, the lifetime value of customers by their first channel and ad, and the acquisition cost
 * per channel beside it, for a date range. Every number is also text (lists and tables),
 * and every bar or salesperson drills down to the deals behind it; choosing one fires
 * `charla-deal-open` for the host to open it.
 *
 * With a client (`.client` or `<charla-provider>`) it loads the metrics over the agent socket
 * whenever the range, pipeline or target changes, and again (quietly, keeping the numbers on
 * screen) a moment after deals or conversations change. Without one it renders `.data` (and
 * `.status`).
 *
 * @tag charla-dashboard
 * @event charla-deal-open - The user chose a deal behind a number. `detail: {dealId, conversationId, contactId}`.
 * @event charla-contact-open - The user chose a customer behind a lifetime value. `detail: {contactId, conversationId}` (the conversation they first wrote in).
 * @event charla-conversation-select - The user chose a customer waiting for an agent. `detail: {conversationId}`.
 * @event charla-pipeline-select - The user picked another pipeline. `detail: {pipelineId}`.
 * @event charla-range-change - The user changed the date range. `detail: {from, to}` (days, `to` inclusive).
 * @event charla-target-change - The user set the month's target in the forecast (Enter or leaving the field). `detail: {target}` (null: none), for the host to keep it.
 * @event charla-hours-change - The user switched the service clocks between wall-clock time and business hours. `detail: {hours}`, for the host to keep it.
 * @cssproperty --charla-dashboard-background - Background behind the cards.
 * @cssproperty --charla-dashboard-card-background - Background of each view.
 * @cssproperty --charla-dashboard-bar - Funnel, pipeline, velocity, channel and ranking bars.
 * @cssproperty --charla-dashboard-won - Won part of the forecast and of the win rate.
 * @cssproperty --charla-dashboard-lost - Lost part of the win rate.
 * @cssproperty --charla-dashboard-forecast - Expected part of the forecast.
 * @cssproperty --charla-dashboard-target - The target marker.
 * @csspart range - The date range form.
 * @csspart pipeline-select - The pipeline picker (shown when there are several).
 * @csspart funnel - The funnel view.
 * @csspart forecast - The forecast view.
 * @csspart target-input - The forecast's target field.
 * @csspart pipeline - The open pipeline view.
 * @csspart velocity - The time-in-stage view.
 * @csspart win-rate - The win rate view.
 * @csspart lead-to-close - The lead-to-close view.
 * @csspart service - The service view (conversation clocks and volume by channel).
 * @csspart hours - The service view's choice of wall-clock or business-hours clocks.
 * @csspart ranking - The ranking view.
 * @csspart workload - Each agent's open and waiting conversations now, with their availability.
 * @csspart hygiene - The share of open deals followed up, per salesperson.
 * @csspart ltv - Lifetime value per channel of first conversation and per ad.
 * @csspart acquisition - Spend and cost per lead, qualified lead and won customer per channel.
 * @csspart drill - The list of deals behind a number.
 * @csspart export - Each view's CSV download (agents and admins, with a client).
 * @csspart report - The PDF report of the whole dashboard for the range (agents and admins, with a client).
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
  /** The month's sales target, in the forecast's main currency (the user can set it in the forecast). */
  @property({ type: Number }) target: number | null = null;
  /** How the service clocks count: wall-clock time, or only the workspace's business hours. */
  @property({ reflect: true }) hours: MetricHours = 'wall';
  /** The current time (tests, stories); the clock when unset. */
  @property({ attribute: false }) now: number | null = null;

  @state() private loaded: DashboardData | null = null;
  @state() private loadStatus: DashboardStatus = 'loading';
  /** Quiet reloads under way: the numbers stay on screen, marked busy. */
  @state() private refreshing = 0;
  @state() private drill: Drill | null = null;
  @state() private targetError = false;
  /** An export (CSV or PDF) is being prepared, or failed. */
  @state() private exporting: 'busy' | 'failed' | null = null;

  #salesKey = '';
  #serviceKey = '';
  #requestedTarget: number | null = null;
  /** The latest request of each view: an older answer arriving late is dropped. */
  readonly #tickets = new Map<View, number>();
  #ticket = 0;
  /** Loads under way that show the loading state (first load, another range or pipeline). */
  #showing = 0;
  /** Views whose every id was asked for ("Show all"), until the range or pipeline changes. */
  readonly #uncapped = new Set<SalesView>();
  readonly #refreshTimers = new Map<'sales' | 'service', ReturnType<typeof setTimeout>>();
  #stopListening?: () => void;

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
    this.#stopListening?.();
    this.#stopListening = client?.onEvent((event) => this.#changed(event));
    if (client && !client.sales.pipelinesLoaded) void client.sales.loadPipelines().catch(() => undefined);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopListening?.();
    this.#stopListening = undefined;
    for (const timer of this.#refreshTimers.values()) clearTimeout(timer);
    this.#refreshTimers.clear();
  }

  /** Deals moving change the sales views, conversations the service view: each reloads once per burst. */
  #changed(event: ChangeEvent): void {
    const group = event.type === 'deal.upserted' || event.type === 'pipeline.upserted'
      ? 'sales'
      : event.type === 'conversation.upserted' || event.type === 'message.upserted' ? 'service' : null;
    if (!group || this.#refreshTimers.has(group)) return;
    this.#refreshTimers.set(group, setTimeout(() => {
      this.#refreshTimers.delete(group);
      void this.#load(group === 'sales' ? DEAL_VIEWS : CONVERSATION_VIEWS, true);
    }, REFRESH_DELAY_MS));
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
    if (!client?.session) return;
    const { from, to } = this.#range;
    const agent = client.session.agent.id;
    const salesKey = JSON.stringify([from, to, this.pipelineId, agent]);
    const serviceKey = JSON.stringify([from, to, agent, this.hours]);
    const views: View[] = [];
    // Another range or pipeline changes every number; a new target or clock choice only its view,
    // which then reloads quietly.
    const everything = salesKey !== this.#salesKey;
    if (everything) {
      this.#uncapped.clear();
      views.push(...SALES_VIEWS);
    } else if (this.target !== this.#requestedTarget) {
      views.push('forecast');
    }
    if (serviceKey !== this.#serviceKey) views.push('service');
    this.#salesKey = salesKey;
    this.#serviceKey = serviceKey;
    this.#requestedTarget = this.target;
    if (views.length > 0) void this.#load(views, !everything);
  }

  /** The range as the metrics take it: `[from, to)` in ISO times. */
  #query(): { from: string; to: string } {
    const { from, to } = this.#range;
    return { from: `${from}T00:00:00.000Z`, to: new Date(Date.parse(`${to}T00:00:00.000Z`) + DAY_MS).toISOString() };
  }

  #fetchSales(client: CharlaClient, view: SalesView): Promise<DashboardData[SalesView]> {
    return client.metric(SALES_METRICS[view], this.#salesQuery(view)) as Promise<DashboardData[SalesView]>;
  }

  /** What a sales view asks its metric for. */
  #salesQuery(view: SalesView): MetricQuery {
    const range = this.#query();
    // Hygiene is judged as of the end of the range, never later than now (a task due tonight is still ahead).
    if (view === 'hygiene') range.to = new Date(Math.min(Date.parse(range.to), this.now ?? Date.now())).toISOString();
    const query: MetricQuery = {
      ...range,
      ...(this.pipelineId && (view !== 'ltv' && view !== 'acquisition' && view !== 'workload') ? { pipelineId: this.pipelineId } : {}),
      ...(view === 'forecast' && this.target !== null ? { target: this.target } : {}),
      ...(this.#uncapped.has(view) ? { idLimit: ID_LIMIT_ALL } : {}),
    };
    return query;
  }

  async #fetchService(client: CharlaClient): Promise<DashboardService> {
    const query = { ...this.#query(), hours: this.hours };
    const [firstResponse, replyTime, resolution, volume] = await Promise.all([
      client.metric('first-response-time', { ...query, groupBy: 'none' }),
      client.metric('reply-time', { ...query, groupBy: 'none' }),
      client.metric('resolution-time', { ...query, groupBy: 'none' }),
      client.metric('volume', { ...query, groupBy: 'channel' }),
    ]);
    const [byAgent, byChannel] = await Promise.all([
      client.metric('csat', { ...this.#query(), groupBy: 'agent' }),
      client.metric('csat', { ...this.#query(), groupBy: 'channel' }),
    ]);
    return { firstResponse, replyTime, resolution, volume, csat: { byAgent, byChannel } };
  }

  /**
   * Loads views; a quiet load (live refresh, "Show all") keeps the numbers on screen and only marks
   * them busy, and when it fails the numbers stay as they were.
   */
  async #load(views: View[], quiet = false): Promise<void> {
    const client = this.activeClient;
    if (!client) return;
    const tickets = views.map((view) => {
      this.#tickets.set(view, ++this.#ticket);
      return this.#ticket;
    });
    const current = (index: number) => this.#tickets.get(views[index]!) === tickets[index];
    if (quiet) this.refreshing += 1;
    else {
      this.#showing += 1;
      this.loadStatus = 'loading';
    }
    let failed = false;
    try {
      const results = await Promise.all(views.map((view) => (view === 'service' ? this.#fetchService(client) : this.#fetchSales(client, view))));
      const next: DashboardData = { funnel: null, ranking: null, forecast: null, ...this.loaded };
      views.forEach((view, index) => {
        if (current(index)) Object.assign(next, { [view]: results[index] });
      });
      this.loaded = next;
    } catch {
      failed = views.some((_, index) => current(index));
    } finally {
      if (quiet) this.refreshing -= 1;
      else {
        this.#showing -= 1;
        if (failed) this.loadStatus = 'error';
        else if (this.#showing === 0 && this.loadStatus === 'loading') this.loadStatus = 'ready';
      }
    }
  }

  // ------------------------------------------------------------------ exports

  /** Exports are for agents and admins (viewers read, never export), through the REST API with the client's token. */
  get #canExport(): boolean {
    const role = this.activeClient?.session?.agent.role;
    return role === 'agent' || role === 'admin';
  }

  async #download(path: string, name: string, type: string): Promise<void> {
    const client = this.activeClient;
    if (!client || this.exporting === 'busy') return;
    this.exporting = 'busy';
    try {
      const response = await client.fetchApi(path);
      if (!response.ok) throw new Error(`${response.status}`);
      await saveDownload(response, name, type);
      this.exporting = null;
    } catch {
      this.exporting = 'failed';
    }
  }

  /** A view's numbers as CSV (the service view: its clocks and volume by channel, one section each). */
  #exportCsv(view: View): void {
    const { from, to } = this.#range;
    const [names, query] = view === 'service'
      ? [SERVICE_METRICS.join(','), { ...this.#query(), hours: this.hours, groupBy: 'channel' }]
      : [SALES_METRICS[view], Object.fromEntries(Object.entries(this.#salesQuery(view)).filter(([key]) => key !== 'idLimit'))];
    const params = new URLSearchParams(Object.entries(query).map(([key, value]) => [key, String(value)]));
    void this.#download(`/api/v1/metrics/${names}/csv?${params}`, `${view}-${from}-${to}.csv`, 'text/csv');
  }

  /** The whole dashboard for the range as a PDF report. */
  #exportPdf = () => {
    const { from, to } = this.#range;
    const params = new URLSearchParams({ ...this.#query(), ...(this.pipelineId ? { pipelineId: this.pipelineId } : {}) });
    void this.#download(`/api/v1/reports/metrics.pdf?${params}`, `sales-report-${from}-${to}.pdf`, 'application/pdf');
  };

  #retry = () => {
    this.#salesKey = '';
    this.#serviceKey = '';
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

  // ------------------------------------------------------------------ target

  /** The target the forecast is compared with: the one set here, else the one the data came with. */
  #target(result: ForecastResult | null): number | null {
    return this.target ?? result?.target ?? null;
  }

  #commitTarget(input: HTMLInputElement): void {
    const raw = input.value.trim();
    const value = Number(raw);
    if (input.validity.badInput || (raw !== '' && !(Number.isFinite(value) && value >= 0))) {
      this.targetError = true;
      return;
    }
    this.targetError = false;
    const target = raw === '' ? null : value;
    if (target === this.#target(this.#data?.forecast ?? null)) return;
    this.target = target;
    this.emit('charla-target-change', { detail: { target } });
  }

  #targetKey(event: KeyboardEvent): void {
    if (event.key === 'Enter') this.#commitTarget(event.target as HTMLInputElement);
  }

  // ------------------------------------------------------------------ drill-down

  #deals(): Map<string, MetricDeal> {
    const data = this.#data;
    const all = new Map<string, MetricDeal>();
    for (const view of SALES_VIEWS) {
      const result = data?.[view];
      if (result && 'deals' in result) for (const deal of result.deals) all.set(deal.id, deal);
    }
    return all;
  }

  #open<K extends SalesView>(title: string, view: K, list: (result: NonNullable<DashboardData[K]>) => Listed, kind: DrillKind = 'deals'): void {
    this.drill = {
      title,
      view,
      kind,
      list: (data) => {
        const result = data[view];
        return result ? list(result as NonNullable<DashboardData[K]>) : { ids: [], total: 0 };
      },
    };
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.drill h3')?.focus());
  }

  #showAll(view: SalesView): void {
    this.#uncapped.add(view);
    void this.#load([view], true);
  }

  #chooseContact(contact: MetricContact): void {
    const detail: ContactOpenDetail = { contactId: contact.id, conversationId: contact.firstConversationId };
    this.emit('charla-contact-open', { detail });
  }

  #chooseConversation(conversation: WorkloadConversation): void {
    const detail: ConversationSelectDetail = { conversationId: conversation.id };
    this.emit('charla-conversation-select', { detail });
  }

  #choose(deal: MetricDeal): void {
    const detail: DealOpenDetail = { dealId: deal.id, conversationId: deal.conversationId, contactId: deal.contactId };
    this.emit('charla-deal-open', { detail });
  }

  // ------------------------------------------------------------------ formatting

  #money(amount: Money | undefined): string {
    const entries = Object.entries(amount ?? {});
    if (entries.length === 0) return this.#t('none');
    return entries.map(([currency, value]) => moneyText(this.i18n.lang, currency, value)).join(' · ');
  }

  /** "45 s", "4 min", "2 h 10 min", "3 d 4 h". */
  #duration(seconds: number | null | undefined): string {
    if (seconds === null || seconds === undefined) return this.#t('none');
    const number = numberFormat(this.i18n.lang);
    return durationParts(seconds).map(([unit, value]) => this.#t(unit, { value: number.format(value) })).join(' ');
  }

  #days(days: number | null | undefined): string {
    if (days === null || days === undefined) return this.#t('none');
    if (days === 1) return this.#t('dayOne');
    return this.#t('days', { value: numberFormat(this.i18n.lang, { maximumFractionDigits: 1 }).format(days) });
  }

  #number(n: number): string {
    return numberFormat(this.i18n.lang).format(n);
  }

  #count(n: number): string {
    return n === 1 ? this.#t('dealCountOne') : this.#t('dealCount', { count: this.#number(n) });
  }

  // ------------------------------------------------------------------ rendering

  override render(): TemplateResult {
    const status = this.#status;
    const data = this.#data;
    const { from, to } = this.#range;
    const noPipeline = !!data && (data.funnel?.pipelineId ?? data.ranking?.pipelineId ?? data.forecast?.pipelineId) === null;
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
        ${this.#canExport
          ? html`<button type="button" class="secondary report" part="report" ?disabled=${this.exporting === 'busy'} @click=${this.#exportPdf}>${this.#t('reportPdf')}</button>`
          : nothing}
        </div>
      </div>
      ${this.exporting === 'failed' ? html`<p class="state error export-error" role="alert">${this.#t('exportFailed')}</p>` : nothing}
      ${status === 'error'
        ? html`<div class="state error" role="alert">
            <p>${this.#t('error')}</p>
            ${this.activeClient ? html`<button type="button" class="retry" @click=${this.#retry}>${this.#t('retry')}</button>` : nothing}
          </div>`
        : status === 'loading' && !data
          ? html`<div class="state" role="status">${this.#t('loading')}</div>`
          : html`<div class="views ${status === 'loading' ? 'stale' : ''}" aria-busy=${status === 'loading' || this.refreshing > 0 ? 'true' : 'false'}>
                ${noPipeline
                  ? html`<div class="state wide">${this.#t('noPipeline')}</div>`
                  : html`${this.#funnel(data?.funnel ?? null)} ${this.#forecast(data?.forecast ?? null)}
                      ${data?.pipeline !== undefined ? this.#pipelineNow(data.pipeline) : nothing}
                      ${data?.velocity !== undefined ? this.#velocity(data.velocity) : nothing}
                      ${data?.winRate !== undefined ? this.#winRate(data.winRate) : nothing}
                      ${data?.leadToClose !== undefined ? this.#leadToClose(data.leadToClose) : nothing}`}
                ${data?.service !== undefined ? this.#service(data.service) : nothing}
                ${data?.service?.csat ? this.#csat(data.service.csat) : nothing}
                ${noPipeline ? nothing : this.#ranking(data?.ranking ?? null)}
                ${data?.workload !== undefined ? this.#workload(data.workload) : nothing}
                ${data?.hygiene !== undefined && !noPipeline ? this.#hygiene(data.hygiene) : nothing}
                ${data?.ltv !== undefined ? this.#ltv(data.ltv) : nothing}
                ${data?.acquisition !== undefined ? this.#acquisition(data.acquisition) : nothing}
              </div>
              ${this.#drillView()}`}
    `;
  }

  /** A horizontal bar, `share` 0–1 of the track (a sliver when there is something at all). */
  #bar(share: number, kind: 'fill' | 'fill won' = 'fill', small = false): TemplateResult {
    const width = share > 0 ? Math.max(share * 100, 1) : 0;
    return html`<svg class=${small ? 'bar small' : 'bar'} viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
      ${svg`${small ? nothing : svg`<rect class="track" x="0" y="0" width="100" height="10" rx="1"></rect>`}
        <rect class=${kind} x="0" y="0" width=${width} height="10" rx="1"></rect>`}
    </svg>`;
  }

  /** A bar's number, and a detail beside it (under it on a phone). */
  #value(main: string, detail: string | null = null): TemplateResult {
    return html`<span class="value">${main}${detail !== null ? html`<span class="detail"><span class="sep"> · </span>${detail}</span>` : nothing}</span>`;
  }

  #card(part: string, title: string, body: TemplateResult, hint?: string, tools?: TemplateResult): TemplateResult {
    const view = VIEW_OF_PART[part];
    const exportButton = view && this.#canExport
      ? html`<button type="button" class="secondary export" part="export" data-export=${view} ?disabled=${this.exporting === 'busy'} @click=${() => this.#exportCsv(view)}>
          CSV<span class="visually-hidden"> ${this.#t('exportOf', { what: title })}</span>
        </button>`
      : nothing;
    return html`<section class="card ${part}" part=${part} aria-labelledby="${part}-title">
      ${tools || exportButton !== nothing
        ? html`<header class="card-header"><h3 id="${part}-title">${title}</h3><div class="card-tools">${tools ?? nothing}${exportButton}</div></header>`
        : html`<h3 id="${part}-title">${title}</h3>`}
      ${hint ? html`<p class="hint">${hint}</p>` : nothing}
      ${body}
    </section>`;
  }

  #funnel(result: StageConversionResult | null): TemplateResult {
    const stages = (result?.stages ?? []).filter((stage) => stage.kind !== 'lost');
    const max = Math.max(0, ...stages.map((stage) => stage.entered));
    return this.#card('funnel', this.#t('funnel'), max === 0
      ? html`<p class="empty">${this.#t('funnelEmpty')}</p>`
      : html`<ol class="bars">
          ${stages.map((stage) => {
            const rate = stage.kind === 'open' && stage.conversion !== null ? percent(this.i18n.lang, stage.conversion) : null;
            return html`<li>
              <button type="button" class="bar-row" data-stage=${stage.stageId}
                @click=${() => this.#open(stage.name, 'funnel', (r) => {
                  const row = r.stages.find((s) => s.stageId === stage.stageId);
                  return listed([row?.dealIds ?? [], row?.entered]);
                })}>
                <span class="label">${stage.name}</span>
                ${this.#bar(stage.entered / max, stage.kind === 'won' ? 'fill won' : 'fill')}
                ${this.#value(this.#number(stage.entered), rate !== null ? `${rate} ${this.#t('movedOn').toLowerCase()}` : null)}
              </button>
            </li>`;
          })}
        </ol>`, this.#t('funnelHint'));
  }

  #velocity(result: DealVelocityResult | null): TemplateResult {
    const stages = result?.stages ?? [];
    const max = Math.max(0, ...stages.map((stage) => stage.meanDays ?? 0));
    return this.#card('velocity', this.#t('velocity'), !result || stages.every((stage) => stage.count === 0)
      ? html`<p class="empty">${this.#t('velocityEmpty')}</p>`
      : html`<ol class="bars">
            ${stages.map((stage) => html`<li>
              <button type="button" class="bar-row" data-stage=${stage.stageId}
                @click=${() => this.#open(stage.name, 'velocity', (r) => {
                  const row = r.stages.find((s) => s.stageId === stage.stageId);
                  return listed([row?.dealIds ?? [], row?.dealCount]);
                })}>
                <span class="label">${stage.name}</span>
                ${this.#bar(max === 0 ? 0 : (stage.meanDays ?? 0) / max)}
                ${this.#value(this.#days(stage.meanDays), stage.dealCount > 0 ? this.#count(stage.dealCount) : null)}
              </button>
            </li>`)}
          </ol>
          ${result.totalDays !== null ? html`<p class="total">${this.#t('velocityTotal', { days: this.#days(result.totalDays) })}</p>` : nothing}`,
      this.#t('velocityHint'));
  }

  #pipelineNow(result: PipelineSnapshotResult | null): TemplateResult {
    const stages = result?.stages ?? [];
    const max = Math.max(0, ...stages.map((stage) => stage.count));
    return this.#card('pipeline', this.#t('pipelineNow'), !result || result.total.count === 0
      ? html`<p class="empty">${this.#t('pipelineEmpty')}</p>`
      : html`<div class="table-scroll" role="group" aria-labelledby="pipeline-title" tabindex="0"><table>
          <thead>
            <tr>
              <th scope="col">${this.#t('stage')}</th>
              <th scope="col" class="num">${this.#t('deals')}</th>
              <th scope="col">${this.#t('amount')}</th>
              <th scope="col" class="num">${this.#t('averageAge')}</th>
            </tr>
          </thead>
          <tbody>
            ${stages.map((stage) => html`<tr data-stage=${stage.stageId}>
              <th scope="row">
                <button type="button" class="link" ?disabled=${stage.count === 0}
                  @click=${() => this.#open(stage.name, 'pipeline', (r) => {
                    const now = r.stages.find((s) => s.stageId === stage.stageId);
                    return listed([now?.dealIds ?? [], now?.count]);
                  })}>${stage.name}</button>
              </th>
              <td class="num"><div class="count">${this.#bar(max === 0 ? 0 : stage.count / max, 'fill', true)}<span>${this.#number(stage.count)}</span></div></td>
              <td class="money">${this.#money(stage.amount)}</td>
              <td class="num">${this.#days(stage.averageAgeDays)}</td>
            </tr>`)}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">${this.#t('total')}</th>
              <td class="num">${this.#number(result.total.count)}</td>
              <td class="money">${this.#money(result.total.amount)}</td>
              <td></td>
            </tr>
          </tfoot>
        </table></div>`, this.#t('pipelineHint'));
  }

  #winRate(result: WinRateResult | null): TemplateResult {
    const overall = result?.overall;
    const closed = overall ? overall.won + overall.lost : 0;
    return this.#card('win-rate', this.#t('winRate'), !overall || closed === 0
      ? html`<p class="empty">${this.#t('winRateEmpty')}</p>`
      : html`<p class="big">${overall.rate === null ? this.#t('none') : percent(this.i18n.lang, overall.rate)}</p>
          <p class="summary">${this.#t('wonLost', { won: this.#number(overall.won), lost: this.#number(overall.lost) })}</p>
          <svg class="split" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
            ${svg`<rect class="fill won" x="0" y="0" width=${(overall.won / closed) * 100} height="10"></rect>
              <rect class="fill lost" x=${(overall.won / closed) * 100} y="0" width=${(overall.lost / closed) * 100} height="10"></rect>`}
          </svg>
          <div class="actions">
            <button type="button" class="secondary" data-list="won" ?disabled=${overall.won === 0}
              @click=${() => this.#open(`${this.#t('winRate')}: ${this.#t('won')}`, 'winRate', (r) => listed([r.overall.wonIds, r.overall.won]))}>
              <span class="swatch won"></span>${this.#t('won')} (${this.#number(overall.won)})
            </button>
            <button type="button" class="secondary" data-list="lost" ?disabled=${overall.lost === 0}
              @click=${() => this.#open(`${this.#t('winRate')}: ${this.#t('lost')}`, 'winRate', (r) => listed([r.overall.lostIds, r.overall.lost]))}>
              <span class="swatch lost"></span>${this.#t('lost')} (${this.#number(overall.lost)})
            </button>
          </div>`, this.#t('winRateHint'));
  }

  #leadToClose(result: LeadToCloseResult | null): TemplateResult {
    const overall = result?.overall;
    return this.#card('lead-to-close', this.#t('leadToClose'), !overall || overall.count === 0
      ? html`<p class="empty">${this.#t('leadToCloseEmpty')}</p>`
      : html`<dl class="figures">
            <div><dt>${this.#t('median')}</dt><dd class="big">${this.#days(overall.median)}</dd></div>
            <div><dt>${this.#t('p90')}</dt><dd class="big">${this.#days(overall.p90)}</dd></div>
          </dl>
          <button type="button" class="secondary" @click=${() => this.#open(this.#t('leadToClose'), 'leadToClose', (r) => listed([r.overall.dealIds, r.overall.count]))}>
            ${this.#t('openDeals')} (${this.#count(overall.count)})
          </button>`, this.#t('leadToCloseHint'));
  }

  #service(service: DashboardService | null): TemplateResult {
    const clocks: Array<[DashboardString, MetricResult | undefined]> = [
      ['firstResponse', service?.firstResponse], ['replyTime', service?.replyTime], ['resolution', service?.resolution],
    ];
    const channels = [...(service?.volume.groups ?? [])].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
    const max = Math.max(0, ...channels.map((group) => group.count));
    const unanswered = service?.firstResponse.unanswered;
    const waitingNow = service?.firstResponse.waitingNow;
    return this.#card('service', this.#t('service'), html`<div class="service-grid">
        <div class="table-scroll" role="group" aria-labelledby="service-title" tabindex="0"><table class="clocks">
          <thead>
            <tr>
              <th scope="col">${this.#t('clock')}</th>
              <th scope="col" class="num">${this.#t('median')}</th>
              <th scope="col" class="num">${this.#t('p90')}</th>
              <th scope="col" class="num">${this.#t('measured')}</th>
            </tr>
          </thead>
          <tbody>
            ${clocks.map(([label, result]) => html`<tr data-clock=${label}>
              <th scope="row">${this.#t(label)}</th>
              <td class="num">${this.#duration(result?.overall.median)}</td>
              <td class="num">${this.#duration(result?.overall.p90)}</td>
              <td class="num">${this.#number(result?.overall.count ?? 0)}</td>
            </tr>`)}
          </tbody>
        </table></div>
        <div class="channels">
          <h4 id="channels-title">${this.#t('byChannel')} <span class="muted">(${this.#number(service?.volume.overall.count ?? 0)})</span></h4>
          ${max === 0
            ? html`<p class="empty">${this.#t('volumeEmpty')}</p>`
            : html`<ol class="bars" aria-labelledby="channels-title">
                ${channels.map((group) => html`<li class="bar-row static" data-channel=${group.key}>
                  <span class="label">${this.#channelName(group.key)}</span>
                  ${this.#bar(group.count / max)}
                  ${this.#value(this.#number(group.count))}
                </li>`)}
              </ol>`}
        </div>
      </div>
      ${unanswered !== undefined || waitingNow !== undefined
        ? html`<ul class="stats">
            ${unanswered !== undefined ? html`<li data-stat="unanswered"><span class="stat-value">${this.#number(unanswered)}</span> ${this.#t('unanswered')}</li>` : nothing}
            ${waitingNow !== undefined ? html`<li data-stat="waiting-now"><span class="stat-value">${this.#number(waitingNow)}</span> ${this.#t('waitingNow')}</li>` : nothing}
          </ul>`
        : nothing}`, this.#t('serviceHint'), this.#hoursToggle());
  }

  /** Customer satisfaction: average, score and responses, per agent and per channel; a row lists its answers. */
  #csat(csat: NonNullable<DashboardService['csat']>): TemplateResult {
    const { overall } = csat.byAgent;
    // Read from the data at each render, so a live reload updates the open list.
    const openAnswers = (what: string, match: (response: CsatResponse) => boolean) => {
      this.drill = { title: this.#t('csatAnswersOf', { what }), view: 'service', kind: 'answers', list: (data) => {
        const ids = (data.service?.csat?.byAgent.responses ?? []).filter(match).map((response) => response.surveyId);
        return { ids, total: ids.length };
      } };
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.drill h3')?.focus());
    };
    const table = (caption: DashboardString, groups: CsatGroup[], name: (key: string) => string, field: 'agentId' | 'channel') => html`<div class="table-scroll" role="group" aria-label=${this.#t(caption)} tabindex="0">
      <table class="csat-groups" data-by=${field}>
        <thead><tr>
          <th scope="col">${this.#t(caption)}</th>
          <th scope="col" class="num">${this.#t('csatAverage')}</th>
          <th scope="col" class="num">${this.#t('csatScore')}</th>
          <th scope="col" class="num">${this.#t('csatResponses')}</th>
        </tr></thead>
        <tbody>${[...groups].sort((a, b) => b.responses - a.responses || a.key.localeCompare(b.key)).map((group) => html`<tr data-key=${group.key}>
          <th scope="row"><button type="button" class="link" @click=${() => openAnswers(name(group.key), (r) => (r[field] ?? 'unassigned') === group.key)}>${name(group.key)}</button></th>
          <td class="num">${this.#rating(group.average)}</td>
          <td class="num">${this.#score(group.score)}</td>
          <td class="num">${this.#number(group.responses)}</td>
        </tr>`)}</tbody>
      </table></div>`;
    const agentName = (key: string) => this.#agentName(key);
    return this.#card('csat', this.#t('csat'), html`<ul class="stats">
        <li data-stat="average"><span class="stat-value">${this.#rating(overall.average)}</span> ${this.#t('csatAverage')}</li>
        <li data-stat="score"><span class="stat-value">${this.#score(overall.score)}</span> ${this.#t('csatScore')}</li>
        <li data-stat="responses"><button type="button" class="link" ?disabled=${overall.responses === 0} @click=${() => openAnswers(this.#t('csatAll'), () => true)}
          ><span class="stat-value">${this.#number(overall.responses)}</span> ${this.#t(new Intl.PluralRules(this.i18n.lang).select(overall.responses) === 'one' ? 'csatResponse' : 'csatResponses')}</button></li>
        <li data-stat="asked" class="muted">${this.#t('csatAsked', { asked: this.#number(csat.byAgent.asked), expired: this.#number(csat.byAgent.expired) })}</li>
      </ul>
      ${overall.responses === 0
        ? html`<p class="empty">${this.#t('csatEmpty')}</p>`
        : html`<div class="service-grid">
            ${table('csatByAgent', csat.byAgent.groups, agentName, 'agentId')}
            ${table('csatByChannel', csat.byChannel.groups, (key) => this.#channelName(key), 'channel')}
          </div>`}`, this.#t('csatHint'));
  }

  /** An agent's name: from the client, else from the ranking; "Unassigned" for nobody. */
  #agentName(agentId: string | null): string {
    if (agentId === null || agentId === 'unassigned') return this.#t('unassigned');
    return this.activeClient?.agent(agentId)?.name ?? this.#data?.ranking?.agents.find((row) => row.agentId === agentId)?.name ?? agentId;
  }

  /** The CSAT score, a percentage to one decimal. */
  #score(score: number | null): string {
    return score === null ? this.#t('none') : numberFormat(this.i18n.lang, { style: 'percent', maximumFractionDigits: 1 }).format(score / 100);
  }

  /** A mean rating out of 5, two decimals at most. */
  #rating(average: number | null): string {
    return average === null ? this.#t('none') : `${numberFormat(this.i18n.lang, { maximumFractionDigits: 2 }).format(average)} / 5`;
  }

  #chooseHours(hours: MetricHours): void {
    this.hours = hours;
    this.emit('charla-hours-change', { detail: { hours } });
  }

  /** Wall-clock or business-hours service clocks. */
  #hoursToggle(): TemplateResult {
    return html`<fieldset class="toggle" part="hours">
      <legend class="visually-hidden">${this.#t('hoursMode')}</legend>
      ${HOURS.map((hours) => html`<label>
        <input type="radio" name="hours" value=${hours} .checked=${this.hours === hours} @change=${() => this.#chooseHours(hours)} />
        <span>${this.#t(hours === 'wall' ? 'wallClock' : 'businessHours')}</span>
      </label>`)}
    </fieldset>`;
  }

  #ranking(result: AgentRankingResult | null): TemplateResult {
    const rows = (result?.agents ?? []).filter((row) => row.openDeals + row.won + row.lost > 0 || row.firstResponseMedian !== null);
    const currency = mainCurrency(rows, this.#deals());
    const wonIn = (row: AgentRankingRow) => (currency ? (row.wonAmount[currency] ?? 0) : 0);
    const max = Math.max(0, ...rows.map(wonIn));
    return this.#card('ranking', this.#t('ranking'), rows.length === 0
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
                <button type="button" class="link" @click=${() => this.#open(row.name, 'ranking', (r) => {
                  const agent = r.agents.find((a) => a.agentId === row.agentId);
                  return agent ? listed([agent.openIds, agent.openDeals], [agent.wonIds, agent.won], [agent.lostIds, agent.lost]) : listed();
                })}>${row.name}</button>
              </th>
              <td class="num">${this.#number(row.openDeals)}</td>
              <td class="num">${this.#number(row.won)}</td>
              <td>
                <div class="amount">${this.#bar(max === 0 ? 0 : wonIn(row) / max, 'fill won', true)}<span>${this.#money(row.wonAmount)}</span></div>
              </td>
              <td class="num">${row.conversion === null ? this.#t('none') : percent(this.i18n.lang, row.conversion)}</td>
              <td class="num">${this.#duration(row.firstResponseMedian)}</td>
            </tr>`)}
          </tbody>
        </table></div>`);
  }

  #forecast(result: ForecastResult | null): TemplateResult {
    const lang = this.i18n.lang;
    const month = result
      ? new Intl.DateTimeFormat(lang, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${result.month}-15T00:00:00Z`))
      : '';
    const currency = result?.currency ?? null;
    const won = currency ? (result?.won[currency] ?? 0) : 0;
    const weighted = currency ? (result?.weighted[currency] ?? 0) : 0;
    const target = this.#target(result);
    const scale = Math.max(won + weighted, target ?? 0) || 1;
    const others = currency ? Object.keys({ ...result?.won, ...result?.weighted }).filter((code) => code !== currency) : [];
    const m = (amount: number) => (currency ? moneyText(lang, currency, amount) : String(amount));
    const title = this.#t('forecast', { month });
    return this.#card('forecast', title, html`
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
          `}
      <div class="forecast-actions">
        <label class="field target-field">${currency ? this.#t('targetInput', { currency }) : this.#t('targetInputPlain')}
          <input type="number" name="target" part="target-input" min="0" step="any" inputmode="decimal"
            .value=${target === null ? '' : String(target)}
            aria-invalid=${this.targetError ? 'true' : 'false'} aria-describedby=${this.targetError ? 'target-error' : nothing}
            @keydown=${this.#targetKey} @change=${(e: Event) => this.#commitTarget(e.target as HTMLInputElement)}
            @input=${() => (this.targetError = false)} />
        </label>
        ${result && currency
          ? html`<button type="button" class="secondary" @click=${() => this.#open(title, 'forecast', (r) => listed([r.wonIds, r.wonCount], [r.dealIds, r.dealCount]))}>
              ${this.#t('openDeals')} (${this.#count(new Set([...result.wonIds, ...result.dealIds]).size)})
            </button>`
          : nothing}
      </div>
      ${this.targetError ? html`<p id="target-error" class="field-error" role="alert">${this.#t('targetInvalid')}</p>` : nothing}
    `);
  }

  #channelName(key: string): string {
    return (CHANNELS as readonly string[]).includes(key) ? this.i18n.t(`channel.${key as Channel}`) : key;
  }

  /** One figure of a lifetime value per currency ("MX$833 · US$40"), currencies never added together. */
  #ltvMoney(ltv: LtvByCurrency, pick: 'total' | 'median' | 'mean'): string {
    return this.#money(Object.fromEntries(Object.entries(ltv).map(([currency, value]) => [currency, value[pick]])));
  }

  #ltvRow(group: LtvGroup, name: string, pick: (result: LtvByChannelResult) => LtvGroup | undefined): TemplateResult {
    return html`<tr data-group=${group.key}>
      <th scope="row">
        <button type="button" class="link" ?disabled=${group.customers === 0}
          @click=${() => this.#open(`${this.#t('ltv')}: ${name}`, 'ltv', (r) => {
            const now = pick(r);
            return listed([now?.contactIds ?? [], now?.customers]);
          }, 'contacts')}>${name}</button>
      </th>
      <td class="num">${this.#t('customersOf', { customers: this.#number(group.customers), contacts: this.#number(group.contacts) })}</td>
      <td class="money">${this.#ltvMoney(group.ltv, 'total')}</td>
      <td class="money">${this.#ltvMoney(group.ltv, 'median')}</td>
      <td class="money">${this.#ltvMoney(group.ltv, 'mean')}</td>
    </tr>`;
  }

  #ltv(result: LtvByChannelResult | null): TemplateResult {
    const groups = result?.channels ?? [];
    return this.#card('ltv', this.#t('ltv'), !result || result.overall.contacts === 0
      ? html`<p class="empty">${this.#t('ltvEmpty')}</p>`
      : html`<div class="table-scroll" role="group" aria-labelledby="ltv-title" tabindex="0"><table>
          <thead>
            <tr>
              <th scope="col">${this.#t('firstChannel')}</th>
              <th scope="col" class="num">${this.#t('customers')}</th>
              <th scope="col">${this.#t('ltvTotal')}</th>
              <th scope="col">${this.#t('median')}</th>
              <th scope="col">${this.#t('mean')}</th>
            </tr>
          </thead>
          <tbody>
            ${groups.map((group) => this.#ltvRow(group, this.#channelName(group.key), (r) => r.channels.find((g) => g.key === group.key)))}
          </tbody>
          ${result.ads.length > 0
            ? html`<tbody class="ads">
                <tr><th scope="rowgroup" colspan="5" class="group">${this.#t('fromAds')}</th></tr>
                ${result.ads.map((group) => this.#ltvRow(group, group.label ?? group.key, (r) => r.ads.find((g) => g.key === group.key)))}
              </tbody>`
            : nothing}
          <tfoot>${this.#ltvRow(result.overall, this.#t('total'), (r) => r.overall)}</tfoot>
        </table></div>`, this.#t('ltvHint'));
  }

  #acquisition(result: AcquisitionCostResult | null): TemplateResult {
    const channels = result?.channels ?? [];
    const ratio = (values: Record<string, number>) => {
      const entries = Object.entries(values);
      return entries.length === 0 ? this.#t('none') : entries.map(([currency, value]) => `${numberFormat(this.i18n.lang, { maximumFractionDigits: 2 }).format(value)} : 1 (${currency})`).join(' · ');
    };
    return this.#card('acquisition', this.#t('acquisition'), channels.length === 0
      ? html`<p class="empty">${this.#t('acquisitionEmpty')}</p>`
      : html`<div class="table-scroll" role="group" aria-labelledby="acquisition-title" tabindex="0"><table>
          <thead>
            <tr>
              <th scope="col">${this.#t('channel')}</th>
              <th scope="col">${this.#t('spend')}</th>
              <th scope="col" class="num">${this.#t('leads')}</th>
              <th scope="col" class="num">${this.#t('qualified')}</th>
              <th scope="col" class="num">${this.#t('wonCustomers')}</th>
              <th scope="col">${this.#t('costPerLead')}</th>
              <th scope="col">${this.#t('costPerQualified')}</th>
              <th scope="col">${this.#t('costPerWon')}</th>
              <th scope="col">${this.#t('ltvMean')}</th>
              <th scope="col">${this.#t('ltvToCac')}</th>
            </tr>
          </thead>
          <tbody>
            ${channels.map((row) => html`<tr data-channel=${row.channel}>
              <th scope="row">
                <button type="button" class="link" @click=${() => this.#open(`${this.#t('acquisition')}: ${this.#channelName(row.channel)}`, 'acquisition', () => ({ ids: [row.channel], total: 1 }), 'months')}>
                  ${this.#channelName(row.channel)}
                </button>
              </th>
              <td class="money">${this.#money(row.spend)}</td>
              <td class="num">${this.#number(row.leads)}</td>
              <td class="num">${this.#number(row.qualified)}</td>
              <td class="num">${this.#number(row.won)}</td>
              <td class="money">${this.#money(row.costPerLead)}</td>
              <td class="money">${this.#money(row.costPerQualified)}</td>
              <td class="money">${this.#money(row.costPerWon)}</td>
              <td class="money">${this.#ltvMoney(row.ltv, 'mean')}</td>
              <td class="money">${ratio(row.ltvToCac)}</td>
            </tr>`)}
          </tbody>
        </table></div>`, this.#t('acquisitionHint'));
  }

  #hygiene(result: PipelineHygieneResult | null): TemplateResult {
    const overall = result?.overall;
    return this.#card('hygiene', this.#t('hygiene'), !overall || overall.open === 0
      ? html`<p class="empty">${this.#t('hygieneEmpty')}</p>`
      : html`<p class="big">${overall.share === null ? this.#t('none') : percent(this.i18n.lang, overall.share)}</p>
          <p class="summary">${this.#t('hygieneSummary', { upToDate: this.#number(overall.upToDate), open: this.#number(overall.open) })}</p>
          <div class="table-scroll" role="group" aria-labelledby="hygiene-title" tabindex="0"><table>
          <thead>
            <tr>
              <th scope="col">${this.#t('salesperson')}</th>
              <th scope="col" class="num">${this.#t('open')}</th>
              <th scope="col">${this.#t('upToDate')}</th>
              <th scope="col" class="num">${this.#t('stale')}</th>
            </tr>
          </thead>
          <tbody>
            ${result.owners.map((row) => {
              const name = row.name ?? this.#t('unassigned');
              return html`<tr data-owner=${row.key}>
                <th scope="row">${name}</th>
                <td class="num">${this.#number(row.open)}</td>
                <td><div class="amount">${this.#bar(row.share ?? 0, 'fill won', true)}<span>${row.share === null ? this.#t('none') : percent(this.i18n.lang, row.share)}</span></div></td>
                <td class="num">
                  <button type="button" class="link" data-list="stale" ?disabled=${row.stale === 0}
                    @click=${() => this.#open(this.#t('staleOf', { name, count: this.#number(row.stale) }), 'hygiene', (r) => {
                      const now = r.owners.find((owner) => owner.key === row.key);
                      return listed([now?.staleIds ?? [], now?.stale]);
                    })}>${this.#number(row.stale)}<span class="visually-hidden"> ${this.#t('staleDealsOf', { name })}</span></button>
                </td>
              </tr>`;
            })}
          </tbody>
        </table></div>`, this.#t('hygieneHint', { days: this.#number(result?.defaultStalledAfterDays ?? 7) }));
  }

  #workload(result: WorkloadResult | null): TemplateResult {
    const client = this.activeClient;
    const rows = (result?.agents ?? []).filter((row) => row.agentId !== 'unassigned' || row.open > 0);
    const max = Math.max(0, ...rows.map((row) => row.open));
    return this.#card('workload', this.#t('workload'), rows.length === 0
      ? html`<p class="empty">${this.#t('workloadEmpty')}</p>`
      : html`<div class="table-scroll" role="group" aria-labelledby="workload-title" tabindex="0"><table>
          <thead>
            <tr>
              <th scope="col">${this.#t('agent')}</th>
              <th scope="col">${this.#t('availability')}</th>
              <th scope="col" class="num">${this.#t('openConversations')}</th>
              <th scope="col" class="num">${this.#t('waiting')}</th>
              <th scope="col" class="num">${this.#t('longestWait')}</th>
            </tr>
          </thead>
          <tbody>
            ${rows.map((row) => {
              const name = row.name ?? this.#t('unassigned');
              // With a client, presence follows the live signals without asking the server again.
              const presence = row.presence === null ? null : client ? client.presenceOf(row.agentId) : row.presence;
              return html`<tr data-member=${row.agentId}>
                <th scope="row">
                  <button type="button" class="link" ?disabled=${row.waiting === 0}
                    @click=${() => this.#open(this.#t('waitingFor', { name }), 'workload', (r) => {
                      const now = r.agents.find((agent) => agent.agentId === row.agentId);
                      return listed([now?.waitingIds ?? [], now?.waiting]);
                    }, 'conversations')}>${name}</button>
                </th>
                <td>${presence === null ? this.#t('none') : html`<span class="presence ${presence}"><span class="dot" aria-hidden="true"></span>${this.#t(presence)}</span>`}</td>
                <td class="num"><div class="count">${this.#bar(max === 0 ? 0 : row.open / max, 'fill', true)}<span>${this.#number(row.open)}</span></div></td>
                <td class="num">${this.#number(row.waiting)}</td>
                <td class="num">${this.#duration(row.longestWaitSeconds)}</td>
              </tr>`;
            })}
          </tbody>
        </table></div>`, this.#t('workloadHint'));
  }

  #drillItems(drill: Drill, data: DashboardData, ids: string[]): { count: number; body: TemplateResult } {
    if (drill.kind === 'contacts') {
      const contacts = new Map((data.ltv?.contacts ?? []).map((contact) => [contact.id, contact]));
      const list = ids.map((id) => contacts.get(id)).filter((contact): contact is MetricContact => contact !== undefined);
      return { count: list.length, body: html`<ul class="deals">
        ${list.map((contact) => html`<li>
          <button type="button" class="deal" data-contact=${contact.id} @click=${() => this.#chooseContact(contact)}>
            <span class="title" title=${contact.name ?? ''}>${contact.name ?? this.#t('noName')}</span>
            <span class="amount">${this.#money(contact.ltv)}</span>
          </button>
        </li>`)}
      </ul>` };
    }
    if (drill.kind === 'conversations') {
      const conversations = new Map((data.workload?.conversations ?? []).map((conversation) => [conversation.id, conversation]));
      const list = ids.map((id) => conversations.get(id)).filter((conversation): conversation is WorkloadConversation => conversation !== undefined);
      const at = Date.parse(data.workload?.at ?? new Date().toISOString());
      return { count: list.length, body: html`<ul class="deals">
        ${list.map((conversation) => html`<li>
          <button type="button" class="deal" data-conversation=${conversation.id} @click=${() => this.#chooseConversation(conversation)}>
            <span class="title">${conversation.contactName ?? this.#t('noName')} <span class="muted">· ${this.#channelName(conversation.channel)}</span></span>
            <span class="amount">${this.#t('waitingSince', { duration: this.#duration((at - Date.parse(conversation.waitingSince)) / 1000) })}</span>
          </button>
        </li>`)}
      </ul>` };
    }
    if (drill.kind === 'answers') {
      const responses = new Map((data.service?.csat?.byAgent.responses ?? []).map((response) => [response.surveyId, response]));
      const list = ids.map((id) => responses.get(id)).filter((response): response is CsatResponse => response !== undefined);
      return { count: list.length, body: html`<ul class="deals">
        ${list.map((response) => html`<li>
          <button type="button" class="deal" data-survey=${response.surveyId}
            @click=${() => this.emit('charla-conversation-select', { detail: { conversationId: response.conversationId } })}>
            <span class="title" title=${`${response.rating}/5${response.comment ? ` “${response.comment}”` : ''} · ${this.#channelName(response.channel)} · ${this.#agentName(response.agentId)}`}
              ><span aria-label=${this.#t('csatRating', { rating: response.rating })}>${'★'.repeat(response.rating)}${'☆'.repeat(5 - response.rating)}</span>
              ${response.comment ? html` “${response.comment}”` : nothing}
              <span class="muted">· ${this.#channelName(response.channel)} · ${this.#agentName(response.agentId)}</span></span>
            <span class="amount">${new Date(response.answeredAt).toLocaleDateString(this.i18n.lang)}</span>
          </button>
        </li>`)}
      </ul>` };
    }
    if (drill.kind === 'months') {
      const rows = (data.acquisition?.rows ?? []).filter((row) => row.channel === ids[0]);
      const lang = this.i18n.lang;
      const month = (key: string) => new Intl.DateTimeFormat(lang, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${key}-15T00:00:00Z`));
      return { count: rows.length, body: html`<div class="table-scroll" role="group" aria-labelledby="drill-title" tabindex="0"><table class="months">
        <thead>
          <tr>
            <th scope="col">${this.#t('month')}</th>
            <th scope="col">${this.#t('spend')}</th>
            <th scope="col" class="num">${this.#t('leads')}</th>
            <th scope="col" class="num">${this.#t('qualified')}</th>
            <th scope="col" class="num">${this.#t('wonCustomers')}</th>
            <th scope="col">${this.#t('costPerLead')}</th>
            <th scope="col">${this.#t('costPerQualified')}</th>
            <th scope="col">${this.#t('costPerWon')}</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map((row) => html`<tr data-month=${row.month ?? ''}>
            <th scope="row">${row.month ? month(row.month) : ''}</th>
            <td class="money">${this.#money(row.spend)}</td>
            <td class="num">${this.#number(row.leads)}</td>
            <td class="num">${this.#number(row.qualified)}</td>
            <td class="num">${this.#number(row.won)}</td>
            <td class="money">${this.#money(row.costPerLead)}</td>
            <td class="money">${this.#money(row.costPerQualified)}</td>
            <td class="money">${this.#money(row.costPerWon)}</td>
          </tr>`)}
        </tbody>
      </table></div>` };
    }
    const deals = this.#deals();
    const list = ids.map((id) => deals.get(id)).filter((deal): deal is MetricDeal => deal !== undefined);
    return { count: list.length, body: html`<ul class="deals">
      ${list.map((deal) => html`<li>
        <button type="button" class="deal" data-deal=${deal.id} @click=${() => this.#choose(deal)}>
          <span class="title" title=${deal.title}>${deal.title}</span>
          <span class="amount">${moneyText(this.i18n.lang, deal.currency, deal.amount)}</span>
        </button>
      </li>`)}
    </ul>` };
  }

  #drillView(): TemplateResult | typeof nothing {
    const drill = this.drill;
    const data = this.#data;
    if (!drill || !data) return nothing;
    const { ids, total } = drill.list(data);
    const items = this.#drillItems(drill, data, ids);
    const missing = drill.kind !== 'months' && total > items.count;
    const count = (n: number) => (drill.kind === 'deals' ? this.#count(n) : this.#number(n));
    return html`<section class="card drill" part="drill" aria-labelledby="drill-title">
      <header>
        <h3 id="drill-title" tabindex="-1">${drill.kind === 'deals' ? this.#t('dealsOf', { what: drill.title }) : drill.title}
          ${drill.kind === 'months' ? nothing : html`<span class="muted">(${count(Math.max(total, items.count))})</span>`}</h3>
        <button type="button" class="secondary" @click=${() => (this.drill = null)}>${this.#t('close')}</button>
      </header>
      ${missing
        ? html`<p class="capped">
            ${this.#t('showing', { shown: this.#number(items.count), total: this.#number(total) })}
            ${this.activeClient && drill.view !== 'service' && !this.#uncapped.has(drill.view)
              ? html`<button type="button" class="secondary show-all" @click=${() => this.#showAll(drill.view as SalesView)}>${this.#t('showAll')}</button>`
              : nothing}
          </p>`
        : nothing}
      ${items.count === 0 ? html`<p class="empty">${this.#t(drill.kind === 'deals' ? 'noDeals' : 'noneBehind')}</p>` : items.body}
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
    'charla-target-change': CustomEvent<TargetChangeDetail>;
    'charla-hours-change': CustomEvent<{ hours: MetricHours }>;
  }
}
