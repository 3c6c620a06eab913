import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { Virtualizer } from '@tanstack/virtual-core';
import type { CharlaClient } from '@charla/client';
import type { Agent, Contact, Deal, Pipeline, Stage } from '@charla/protocol';
import { ClientElement } from '../controllers/client-element.js';
import { formatMoney } from '../i18n/localize-controller.js';
import { initials, hue } from '../shared/avatar.js';
import type { DealSavedDetail } from '../shared/deal-editor.js';
import { dealEditorIn } from '../shared/editors.js';
import { editorString } from '../shared/editors.strings.js';
import { renderWith, type Renderer } from '../shared/renderer.js';
import { columnsOf, daysIn, isStalled, type Column, type KanbanFilter } from './kanban-model.js';
import { kanbanString, type KanbanString } from './kanban.strings.js';
import { kanbanStyles } from './kanban.styles.js';

export interface DealMoveDetail {
  dealId: string;
  fromStageId: string;
  toStageId: string;
}
export interface DealMovedDetail extends DealMoveDetail {
  deal: Deal;
}
export interface DealOpenDetail {
  dealId: string;
  conversationId: string | null;
  contactId: string | null;
}
export interface PipelineSelectDetail {
  pipelineId: string;
}

/** What `renderCard` is told besides the deal. */
export interface KanbanCardContext {
  /** The stage (column) the card is in. */
  stage: Stage;
  /** The deal's contact's name, once known. */
  contactName: string | null;
  /** The deal's owner. */
  owner: Agent | undefined;
  /** Past its stage's stalled threshold. */
  stalled: boolean;
  /** Open tasks on the deal. */
  openTasks: number;
  /** Whole days in its stage. */
  daysInStage: number;
}

/** Columns with more cards than this render only the visible ones. */
export const VIRTUALIZE_AFTER = 40;
/**
 * @tanstack/virtual-core, loaded the first time a column holds more than VIRTUALIZE_AFTER deals
 * (a board that never does never pays for it); until it is there such a column shows its first
 * VIRTUALIZE_AFTER cards.
 */
let virtualCore: typeof import('@tanstack/virtual-core') | undefined;
let virtualCoreLoading: Promise<typeof import('@tanstack/virtual-core')> | undefined;

/** Every card has the same height (`--charla-kanban-card-height`), so virtualized columns need no measuring. */
const CARD_HEIGHT = 104;
const CARD_GAP = 8;
const DRAG_THRESHOLD = 6;
/** Below this width of the board, one stage shows at a time with previous/next controls and swipes. */
export const KANBAN_PAGED_BELOW = 640;
/** A horizontal swipe at least this long (and mostly horizontal) turns the stage. */
const SWIPE_DISTANCE = 48;

type ContactName = Pick<Contact, 'id' | 'name'>;

interface Picked {
  dealId: string;
  fromStageId: string;
  overStageId: string;
}

interface PointerDrag {
  dealId: string;
  pointerId: number;
  startX: number;
  startY: number;
  x: number;
  y: number;
  started: boolean;
}

const money = (lang: string, currency: string, amount: number) => formatMoney(lang, currency, amount, 0);

/**
 * The deals pipeline board: pick a pipeline; its stages are columns with their deal count, total
 * amount per currency and average days in stage. Cards show the title, contact, amount, owner,
 * days in stage, open tasks, and a highlight when the deal is stalled. Deals move with a pointer
 * (drag a card to another column) or with the keyboard: Space picks a card up, ←/→ move it across
 * stages, Space drops it, Escape cancels; every step is announced to screen readers. ↑/↓ move
 * between cards. Enter or a click opens the deal. Filters by owner and by text. Columns holding
 * hundreds of cards render only what is visible.
 *
 * Narrower than 640 px (a phone) the board shows one stage at a time: previous/next buttons, ←/→
 * on them, or a horizontal swipe turn the stage, and an indicator says where you are
 * ("Propuesta · 3 of 8"); moving a picked-up deal with the keyboard follows it across stages, and
 * each card has a stage picker (⇄) in place of dragging.
 *
 * With a client (`.client` or `<charla-provider>`) it loads the workspace's pipelines and deals,
 * persists moves and shows other agents' moves live. Without one it renders `.pipelines`,
 * `.deals`, `.agents`, `.contacts` and `.openTasks`, and applies moves to `.deals` itself.
 *
 * @tag charla-kanban
 * @event charla-deal-move - Cancelable: the user is moving a deal. `detail: {dealId, fromStageId, toStageId}`.
 * @event charla-deal-moved - The deal moved (persisted, with a client). `detail: {dealId, fromStageId, toStageId, deal}`.
 * @event charla-deal-open - The user opened a deal. `detail: {dealId, conversationId, contactId}`.
 * @event charla-pipeline-select - The user picked another pipeline. `detail: {pipelineId}`.
 * @event charla-deal-saved - The user edited a deal (its card's edit button: title, amount, currency,
 *   expected close, probability, owner); saved through the client, or applied to `.deals`. `detail: {deal, changes}`.
 * @csspart toolbar - Pipeline picker and filters.
 * @csspart pipeline-select - The pipeline picker.
 * @csspart owner-filter - The owner filter.
 * @csspart search - The text filter.
 * @csspart board - The row of columns.
 * @csspart column - A stage.
 * @csspart column-header - A stage's name and aggregates.
 * @csspart cards - A stage's card list (scrolls).
 * @csspart card - A deal.
 * @csspart card-custom - A card whose content came from `renderCard` (also a `card`).
 * @csspart stalled - The stalled badge of a card.
 * @csspart edit-button - A card's "edit deal" button.
 * @csspart stage-nav - When narrow: the previous/next stage controls and the indicator.
 * @csspart stage-previous - When narrow: the previous stage button.
 * @csspart stage-next - When narrow: the next stage button.
 * @csspart stage-indicator - When narrow: the stage shown and its position ("Propuesta · 3 of 8").
 * @csspart move - When narrow: a card's stage picker.
 * @cssproperty --charla-kanban-column-width - Width of a column (default 272px).
 * @cssproperty --charla-kanban-card-height - Height of every card (default 104px); set it for taller custom cards.
 * @cssproperty --charla-kanban-stalled-color - Accent of stalled cards.
 * @cssproperty --charla-kanban-background - Board background.
 */
export class CharlaKanban extends ClientElement {
  static override styles = [ClientElement.styles, kanbanStyles];

  /** Pipelines to choose from (data mode). */
  @property({ attribute: false }) pipelines: Pipeline[] = [];
  /** The pipeline shown; defaults to the first one. */
  @property({ attribute: 'pipeline-id' }) pipelineId: string | null = null;
  /** Deals of the shown pipeline (data mode; with a client they come from it). */
  @property({ attribute: false }) deals: Deal[] = [];
  /** Agents, for owner names and the owner filter (data mode). */
  @property({ attribute: false }) agents: Agent[] = [];
  /** Contacts named on cards (data mode). */
  @property({ attribute: false }) contacts: ContactName[] = [];
  /** Open tasks per deal id (data mode). */
  @property({ attribute: false }) openTasks: Record<string, number> = {};
  /** The time "days in stage" is counted to; the current time when unset. */
  @property({ attribute: false }) now: number | null = null;
  /**
   * Renders a card's content: `(deal, defaultContent, {stage, contactName, owner, stalled, openTasks,
   * daysInStage})` returns a lit template, a DOM node, text or nothing (return `defaultContent` to keep
   * Charla's). The card itself stays Charla's: it is dragged, picked up with Space, moved with the
   * arrows and opened with Enter as any card, and keeps its ✎ button in the top-right corner. Cards
   * have one height (`--charla-kanban-card-height`). What it returns is shown as given: escaping the
   * deal's text is the host's job.
   */
  @property({ attribute: false }) renderCard: Renderer<Deal, KanbanCardContext> | null = null;

  @state() private filter: KanbanFilter = { owner: '', text: '' };
  @state() private picked: Picked | null = null;
  @state() private drag: PointerDrag | null = null;
  @state() private dragOverStageId: string | null = null;
  @state() private announcement = '';
  /** The board is narrower than KANBAN_PAGED_BELOW: one stage at a time. */
  @state() private paged = false;
  /** The stage shown when paged; the first one when unset or gone. */
  @state() private currentStageId: string | null = null;

  #resizeObserver?: ResizeObserver;
  #swipe: { pointerId: number; x: number; y: number } | null = null;

  readonly #virtualizers = new Map<string, { virtualizer: Virtualizer<HTMLElement, HTMLElement>; cleanup: (() => void) | null }>();
  #columns: Column[] = [];
  #suppressClick = false;
  #contactNames = new Map<string, string | null>();
  #cardHeight = CARD_HEIGHT;

  // ------------------------------------------------------------------ data

  protected override clientChanged(client: CharlaClient | undefined): void {
    if (client && !client.sales.pipelinesLoaded) void client.sales.loadPipelines().catch(() => undefined);
  }

  get #pipelines(): Pipeline[] {
    return this.activeClient ? this.activeClient.sales.pipelines : this.pipelines;
  }

  get #pipeline(): Pipeline | undefined {
    const pipelines = this.#pipelines;
    return pipelines.find((pipeline) => pipeline.id === this.pipelineId) ?? pipelines[0];
  }

  get #deals(): Deal[] {
    const client = this.activeClient;
    const pipeline = this.#pipeline;
    if (!client) return this.deals;
    return pipeline ? client.sales.dealsOf(pipeline.id) : [];
  }

  get #agents(): Agent[] {
    return this.activeClient?.session?.agents ?? this.agents;
  }

  #contactName = (id: string | null): string | null => {
    if (!id) return null;
    const client = this.activeClient;
    return client ? (client.contact(id)?.name ?? null) : (this.#contactNames.get(id) ?? null);
  };

  #openTasks(dealId: string): number {
    const client = this.activeClient;
    return client ? (client.sales.openTasksByDeal.get(dealId) ?? 0) : (this.openTasks[dealId] ?? 0);
  }

  #t(key: KanbanString, values?: Record<string, string | number>): string {
    return kanbanString(this.i18n.lang, key, values);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('contacts')) this.#contactNames = new Map(this.contacts.map((contact) => [contact.id, contact.name]));
    const client = this.activeClient;
    const pipeline = this.#pipeline;
    if (client && pipeline) client.board(pipeline.id);
    if (pipeline) {
      const deals = this.picked ? this.#deals.map((deal) => (deal.id === this.picked!.dealId ? { ...deal, stageId: this.picked!.overStageId } : deal)) : this.#deals;
      this.#columns = columnsOf(pipeline, deals, this.filter, this.#contactName, this.now ?? Date.now());
    } else {
      this.#columns = [];
    }
    this.#syncVirtualizers();
  }

  // ------------------------------------------------------------------ virtualized columns

  #syncVirtualizers(): void {
    const wanted = new Set(this.#columns.filter((column) => column.deals.length > VIRTUALIZE_AFTER).map((column) => column.stage.id));
    for (const [stageId, entry] of this.#virtualizers) {
      if (wanted.has(stageId)) continue;
      entry.cleanup?.();
      this.#virtualizers.delete(stageId);
    }
    if (wanted.size > 0 && !virtualCore) {
      virtualCoreLoading ??= import('@tanstack/virtual-core');
      void virtualCoreLoading.then((core) => {
        virtualCore = core;
        this.requestUpdate();
      });
    }
    if (!virtualCore) return;
    const { Virtualizer, elementScroll, observeElementOffset, observeElementRect } = virtualCore;
    for (const column of this.#columns) {
      if (!wanted.has(column.stage.id)) continue;
      const deals = column.deals;
      const options = {
        count: deals.length,
        getScrollElement: () => this.renderRoot.querySelector<HTMLElement>(`[data-scroller="${column.stage.id}"]`),
        estimateSize: () => this.#cardHeight + CARD_GAP,
        getItemKey: (index: number) => deals[index]?.id ?? index,
        overscan: 4,
        observeElementRect,
        observeElementOffset,
        scrollToFn: elementScroll,
        onChange: () => this.requestUpdate(),
        initialRect: { width: 272, height: 600 },
      };
      const entry = this.#virtualizers.get(column.stage.id);
      if (entry) entry.virtualizer.setOptions({ ...entry.virtualizer.options, ...options });
      else this.#virtualizers.set(column.stage.id, { virtualizer: new Virtualizer(options), cleanup: null });
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    for (const entry of this.#virtualizers.values()) {
      entry.cleanup ??= entry.virtualizer._didMount();
      entry.virtualizer._willUpdate();
    }
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const height = parseFloat(getComputedStyle(this).getPropertyValue('--charla-kanban-card-height'));
    if (height > 0) this.#cardHeight = height;
    if (typeof ResizeObserver === 'undefined') return;
    this.#resizeObserver = new ResizeObserver(([entry]) => {
      if (entry) this.paged = entry.contentRect.width < KANBAN_PAGED_BELOW;
    });
    this.#resizeObserver.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resizeObserver?.disconnect();
    for (const entry of this.#virtualizers.values()) entry.cleanup?.();
    this.#virtualizers.clear();
  }

  /** The first card (of the stage shown, when paged); the pipeline picker when there is none. */
  protected override focusTarget(): HTMLElement | null {
    const scope = this.paged ? '.column.current ' : '';
    return this.renderRoot.querySelector<HTMLElement>(`${scope}.card`) ?? this.renderRoot.querySelector<HTMLElement>('[part="pipeline-select"]');
  }

  // ------------------------------------------------------------------ moving

  #deal(id: string): Deal | undefined {
    return this.#deals.find((deal) => deal.id === id);
  }

  #stageName(stageId: string): string {
    return this.#pipeline?.stages.find((stage) => stage.id === stageId)?.name ?? '';
  }

  /** Asks the host (cancelable event), then moves the deal: through the client, or in `.deals`. */
  async #move(dealId: string, toStageId: string): Promise<void> {
    const deal = this.#deal(dealId);
    if (!deal) return;
    const fromStageId = deal.stageId;
    if (toStageId === fromStageId) {
      this.announcement = this.#t('droppedSame', { title: deal.title, stage: this.#stageName(fromStageId) });
      return;
    }
    const detail = { dealId, fromStageId, toStageId };
    if (!this.emit('charla-deal-move', { detail, cancelable: true })) {
      this.announcement = this.#t('canceled', { title: deal.title, stage: this.#stageName(fromStageId) });
      return;
    }
    let moved: Deal;
    const client = this.activeClient;
    if (client) {
      try {
        moved = await client.moveDeal(dealId, toStageId);
      } catch (error) {
        this.announcement = this.#t('refused', { title: deal.title, reason: error instanceof Error ? error.message : String(error) });
        return;
      }
    } else {
      moved = { ...deal, stageId: toStageId, stageEnteredAt: new Date(this.now ?? Date.now()).toISOString() };
      this.deals = this.deals.map((candidate) => (candidate.id === dealId ? moved : candidate));
    }
    this.announcement = this.#t('dropped', { title: deal.title, from: this.#stageName(fromStageId), to: this.#stageName(toStageId) });
    this.emit('charla-deal-moved', { detail: { ...detail, deal: moved } });
  }

  /** The deal dialog is loaded the first time a deal is edited (a board that is only looked at never pays for it). */
  async #editDeal(deal: Deal, opener: HTMLElement): Promise<void> {
    await (await dealEditorIn(this.renderRoot))?.edit(deal, opener);
  }

  #onDealSaved(event: CustomEvent<DealSavedDetail>): void {
    if (this.activeClient) return;
    const saved = event.detail.deal;
    this.deals = this.deals.map((deal) => (deal.id === saved.id ? saved : deal));
  }

  #open(deal: Deal): void {
    this.emit('charla-deal-open', { detail: { dealId: deal.id, conversationId: deal.conversationId, contactId: deal.contactId } });
  }

  /** Focuses a card, scrolling a virtualized column to it first (and, when paged, showing its stage). */
  async #focusDeal(dealId: string): Promise<void> {
    await this.updateComplete;
    const column = this.#columns.find((candidate) => candidate.deals.some((deal) => deal.id === dealId));
    if (column && this.paged && this.#currentColumnIndex() !== this.#columns.indexOf(column)) {
      this.currentStageId = column.stage.id;
      await this.updateComplete;
    }
    const virtual = column && this.#virtualizers.get(column.stage.id);
    const find = () => this.renderRoot.querySelector<HTMLElement>(`[data-deal="${dealId}"]`);
    if (column && virtual && !find()) {
      virtual.virtualizer.scrollToIndex(column.deals.findIndex((deal) => deal.id === dealId), { align: 'auto' });
      // The column renders the card once the scroll has been observed, a frame or two later.
      for (let frame = 0; frame < 10 && !find(); frame += 1) {
        await new Promise((resolve) => requestAnimationFrame(resolve));
        await this.updateComplete;
      }
    }
    find()?.focus();
  }

  #overAnnouncement(dealId: string, stageId: string): string {
    const column = this.#columns.find((candidate) => candidate.stage.id === stageId);
    const deal = this.#deal(dealId);
    const position = (column?.deals.findIndex((candidate) => candidate.id === dealId) ?? 0) + 1;
    return this.#t('over', { title: deal?.title ?? '', stage: this.#stageName(stageId), position, count: column?.deals.length ?? 0 });
  }

  #onCardKeydown(event: KeyboardEvent, deal: Deal): void {
    const stages = this.#columns.map((column) => column.stage.id);
    const picked = this.picked;
    if (picked && picked.dealId === deal.id) {
      const index = stages.indexOf(picked.overStageId);
      if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
        event.preventDefault();
        const next = stages[index + (event.key === 'ArrowRight' ? 1 : -1)];
        if (!next) return;
        this.picked = { ...picked, overStageId: next };
        void this.#focusDeal(deal.id).then(() => (this.announcement = this.#overAnnouncement(deal.id, next)));
      } else if (event.key === ' ' || event.key === 'Enter') {
        event.preventDefault();
        this.picked = null;
        void this.#move(deal.id, picked.overStageId).then(() => this.#focusDeal(deal.id));
      } else if (event.key === 'Escape') {
        event.preventDefault();
        this.picked = null;
        this.announcement = this.#t('canceled', { title: deal.title, stage: this.#stageName(picked.fromStageId) });
        void this.#focusDeal(deal.id);
      } else if (event.key === 'ArrowUp' || event.key === 'ArrowDown' || event.key === 'Tab') {
        event.preventDefault();
      }
      return;
    }
    switch (event.key) {
      case ' ':
        event.preventDefault();
        this.picked = { dealId: deal.id, fromStageId: deal.stageId, overStageId: deal.stageId };
        this.announcement = this.#t('pickedUp', { title: deal.title, stage: this.#stageName(deal.stageId) });
        break;
      case 'Enter':
        event.preventDefault();
        this.#open(deal);
        break;
      case 'ArrowUp':
      case 'ArrowDown':
      case 'ArrowLeft':
      case 'ArrowRight': {
        event.preventDefault();
        const columnIndex = stages.indexOf(deal.stageId);
        const column = this.#columns[columnIndex];
        const row = column?.deals.findIndex((candidate) => candidate.id === deal.id) ?? 0;
        let target: Deal | undefined;
        if (event.key === 'ArrowUp') target = column?.deals[row - 1];
        else if (event.key === 'ArrowDown') target = column?.deals[row + 1];
        else {
          const step = event.key === 'ArrowRight' ? 1 : -1;
          for (let i = columnIndex + step; i >= 0 && i < this.#columns.length && !target; i += step) {
            const deals = this.#columns[i]!.deals;
            target = deals[Math.min(row, deals.length - 1)];
          }
        }
        if (target) void this.#focusDeal(target.id);
        break;
      }
    }
  }

  /** Focus moving elsewhere (a click, another control) puts a picked-up card back; re-renders that move it do not. */
  #onCardFocusOut(event: FocusEvent, deal: Deal): void {
    const picked = this.picked;
    const next = event.relatedTarget as HTMLElement | null;
    if (picked?.dealId !== deal.id || next === null || next.dataset.deal === deal.id) return;
    this.announcement = this.#t('canceled', { title: deal.title, stage: this.#stageName(picked.fromStageId) });
    this.picked = null;
  }

  #onCardClick(deal: Deal): void {
    if (this.#suppressClick) {
      this.#suppressClick = false;
      return;
    }
    this.#open(deal);
  }

  // ------------------------------------------------------------------ pointer drag

  #onPointerDown(event: PointerEvent, deal: Deal): void {
    // Paged, a card's horizontal gesture is a swipe to the next stage, not a drag.
    if (event.button !== 0 || this.picked || this.paged) return;
    (event.currentTarget as HTMLElement).setPointerCapture?.(event.pointerId);
    this.drag = { dealId: deal.id, pointerId: event.pointerId, startX: event.clientX, startY: event.clientY, x: event.clientX, y: event.clientY, started: false };
  }

  #onPointerMove(event: PointerEvent): void {
    const drag = this.drag;
    if (!drag || drag.pointerId !== event.pointerId) return;
    const started = drag.started || Math.hypot(event.clientX - drag.startX, event.clientY - drag.startY) > DRAG_THRESHOLD;
    this.drag = { ...drag, x: event.clientX, y: event.clientY, started };
    if (started) this.dragOverStageId = this.#stageAt(event.clientX, event.clientY);
  }

  #onPointerUp(event: PointerEvent): void {
    const drag = this.drag;
    if (!drag || drag.pointerId !== event.pointerId) return;
    const target = drag.started ? this.#stageAt(event.clientX, event.clientY) : null;
    this.drag = null;
    this.dragOverStageId = null;
    if (!drag.started) return;
    this.#suppressClick = true;
    setTimeout(() => (this.#suppressClick = false), 0);
    if (target) void this.#move(drag.dealId, target);
  }

  #onPointerCancel(): void {
    this.drag = null;
    this.dragOverStageId = null;
  }

  // ------------------------------------------------------------------ one stage at a time

  #currentColumnIndex(): number {
    return Math.max(0, this.#columns.findIndex((column) => column.stage.id === this.currentStageId));
  }

  /** Shows the stage `step` away from the current one (when there is one). */
  #turnStage(step: number): void {
    const next = this.#columns[this.#currentColumnIndex() + step];
    if (next) this.currentStageId = next.stage.id;
  }

  #onStageNavKeydown(event: KeyboardEvent): void {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    event.preventDefault();
    this.#turnStage(event.key === 'ArrowRight' ? 1 : -1);
  }

  #onBoardPointerDown(event: PointerEvent): void {
    if (this.paged && event.isPrimary) this.#swipe = { pointerId: event.pointerId, x: event.clientX, y: event.clientY };
  }

  #onBoardPointerUp(event: PointerEvent): void {
    const swipe = this.#swipe;
    this.#swipe = null;
    if (!swipe || swipe.pointerId !== event.pointerId || !this.paged) return;
    const dx = event.clientX - swipe.x;
    const dy = event.clientY - swipe.y;
    if (Math.abs(dx) < SWIPE_DISTANCE || Math.abs(dx) < 1.5 * Math.abs(dy)) return;
    // A swipe that ends on a card is not a click on it.
    this.#suppressClick = true;
    setTimeout(() => (this.#suppressClick = false), 0);
    this.#turnStage(dx < 0 ? 1 : -1);
  }

  #renderStageNav() {
    const columns = this.#columns;
    if (!this.paged || columns.length === 0) return nothing;
    const index = this.#currentColumnIndex();
    const previous = columns[index - 1]?.stage;
    const next = columns[index + 1]?.stage;
    return html`<div part="stage-nav" class="stage-nav" role="group" aria-label=${this.#t('stages')} @keydown=${this.#onStageNavKeydown}>
      <button part="stage-previous" type="button" class="stage-turn" aria-disabled=${previous ? 'false' : 'true'}
        aria-label=${previous ? this.#t('previousStage', { stage: previous.name }) : this.#t('firstStage')}
        @click=${() => this.#turnStage(-1)}><span aria-hidden="true">‹</span></button>
      <span part="stage-indicator" class="stage-indicator" aria-live="polite" aria-atomic="true"
        >${this.#t('stageOf', { stage: columns[index]!.stage.name, position: index + 1, count: columns.length })}</span>
      <button part="stage-next" type="button" class="stage-turn" aria-disabled=${next ? 'false' : 'true'}
        aria-label=${next ? this.#t('nextStage', { stage: next.name }) : this.#t('lastStage')}
        @click=${() => this.#turnStage(1)}><span aria-hidden="true">›</span></button>
    </div>`;
  }

  #stageAt(x: number, y: number): string | null {
    const root = this.shadowRoot;
    const hit = root?.elementsFromPoint(x, y).find((element) => element instanceof HTMLElement && element.dataset.stage);
    return (hit as HTMLElement | undefined)?.dataset.stage ?? null;
  }

  // ------------------------------------------------------------------ rendering

  override render() {
    const client = this.activeClient;
    const pipelines = this.#pipelines;
    const pipeline = this.#pipeline;
    const board = client && pipeline ? client.board(pipeline.id) : null;
    return html`
      ${this.#renderToolbar(pipelines, pipeline)}
      <p id="instructions" class="visually-hidden">${this.#t('instructions')}</p>
      <div class="visually-hidden" role="status" aria-live="assertive" aria-atomic="true">${this.announcement}</div>
      ${!pipeline
        ? html`<p class="placeholder">${client && !client.sales.pipelinesLoaded ? this.#t('loading') : this.#t('noPipelines')}</p>`
        : board?.error
          ? html`<p class="placeholder" role="alert">${this.#t('error')}</p>`
          : html`${this.#renderStageNav()}<div part="board" class="board ${this.paged ? 'paged' : ''}" aria-label=${this.#t('board')} role="region"
              aria-busy=${board?.loading && !board.loaded ? 'true' : 'false'}
              @pointerdown=${this.#onBoardPointerDown} @pointerup=${this.#onBoardPointerUp} @pointercancel=${() => (this.#swipe = null)}>
              ${repeat(this.#columns, (column) => column.stage.id, (column) => this.#renderColumn(column))}
            </div>`}
      ${this.#renderGhost()}
      <charla-deal-editor .client=${client} .agents=${this.#agents} @charla-deal-saved=${this.#onDealSaved}></charla-deal-editor>
    `;
  }

  #renderToolbar(pipelines: Pipeline[], pipeline: Pipeline | undefined) {
    const agents = this.#agents;
    return html`<div part="toolbar" class="toolbar">
      <label class="field">
        <span>${this.#t('pipeline')}</span>
        <select part="pipeline-select" .value=${pipeline?.id ?? ''} @change=${(event: Event) => {
          const pipelineId = (event.target as HTMLSelectElement).value;
          this.pipelineId = pipelineId;
          this.picked = null;
          this.emit('charla-pipeline-select', { detail: { pipelineId } });
        }}>
          ${pipelines.map((candidate) => html`<option value=${candidate.id} ?selected=${candidate.id === pipeline?.id}>${candidate.name}</option>`)}
        </select>
      </label>
      <label class="field">
        <span>${this.#t('owner')}</span>
        <select part="owner-filter" .value=${this.filter.owner} @change=${(event: Event) => {
          this.filter = { ...this.filter, owner: (event.target as HTMLSelectElement).value };
        }}>
          <option value="">${this.#t('everyone')}</option>
          ${agents.map((agent) => html`<option value=${agent.id} ?selected=${agent.id === this.filter.owner}>${agent.name}</option>`)}
          <option value="unassigned">${this.#t('unassigned')}</option>
        </select>
      </label>
      <input part="search" class="search" type="search" aria-label=${this.#t('search')} placeholder=${this.#t('search')}
        .value=${this.filter.text} @input=${(event: Event) => {
          this.filter = { ...this.filter, text: (event.target as HTMLInputElement).value };
        }} />
    </div>`;
  }

  #renderColumn(column: Column) {
    const { stage } = column;
    const lang = this.i18n.lang;
    const headingId = `stage-${stage.id}`;
    const virtual = this.#virtualizers.get(stage.id)?.virtualizer;
    const over = this.dragOverStageId === stage.id || (this.picked !== null && this.picked.overStageId === stage.id && this.picked.fromStageId !== stage.id);
    const current = this.#columns.indexOf(column) === this.#currentColumnIndex();
    return html`<section part="column" class="column ${stage.kind} ${over ? 'over' : ''} ${current ? 'current' : ''}" data-stage=${stage.id} aria-labelledby=${headingId}>
      <header part="column-header" class="column-header" data-stage=${stage.id}>
        <h3 id=${headingId}>${stage.name}</h3>
        <span class="count">${column.deals.length === 1 ? this.#t('countOne') : this.#t('count', { count: column.deals.length })}</span>
        <div class="totals">${column.totals
          // Deals without an amount yet ("No amount") add nothing worth showing: no "$0 MXN" total.
          .filter(([, amount]) => amount !== 0)
          .map(([currency, amount]) => html`<span>${money(lang, currency, amount)}</span>`)}</div>
        ${column.averageDays !== null ? html`<span class="age">${this.#t('averageAge', { days: Math.round(column.averageDays) })}</span>` : nothing}
      </header>
      <div part="cards" class="cards" role=${column.deals.length > 0 ? 'list' : nothing} aria-labelledby=${column.deals.length > 0 ? headingId : nothing}
        data-stage=${stage.id} data-scroller=${stage.id}>
        ${column.deals.length === 0
          ? html`<p class="empty" data-stage=${stage.id}>${this.#t('empty')}</p>`
          : virtual
            ? html`<div class="spacer" style="height:${virtual.getTotalSize()}px" data-stage=${stage.id}>
                ${repeat(virtual.getVirtualItems(), (item) => item.key, (item) => {
                  const deal = column.deals[item.index];
                  return deal ? this.#renderCard(deal, column, `transform:translateY(${item.start}px)`) : nothing;
                })}
              </div>`
            : repeat(column.deals.slice(0, virtualCore ? undefined : VIRTUALIZE_AFTER), (deal) => deal.id, (deal) => this.#renderCard(deal, column, null))}
      </div>
    </section>`;
  }

  #renderCard(deal: Deal, column: Column, position: string | null): TemplateResult {
    const now = this.now ?? Date.now();
    const lang = this.i18n.lang;
    const stalled = isStalled(deal, column.stage, now);
    const owner = this.#agents.find((agent) => agent.id === deal.ownerId);
    const contact = this.#contactName(deal.contactId);
    const tasks = this.#openTasks(deal.id);
    const picked = this.picked?.dealId === deal.id;
    const dragging = this.drag?.started && this.drag.dealId === deal.id;
    const card = renderWith(
      this.renderCard,
      deal,
      () => this.#cardContent(deal, stalled, owner, contact, tasks, now),
      () => ({ stage: column.stage, contactName: contact, owner, stalled, openTasks: tasks, daysInStage: Math.floor(daysIn(deal, now)) }),
    );
    return html`<div role="listitem" class="item ${position ? 'positioned' : ''}" style=${position ?? ''} data-stage=${column.stage.id}>
      <div part="card${card.custom ? ' card-custom' : ''}" class="card ${stalled ? 'stalled' : ''} ${picked ? 'picked' : ''} ${dragging ? 'dragging' : ''}"
        role="button" tabindex="0" data-deal=${deal.id} data-stage=${column.stage.id} ?data-custom=${card.custom}
        aria-describedby="instructions" aria-pressed=${picked ? 'true' : 'false'}
        @keydown=${(event: KeyboardEvent) => this.#onCardKeydown(event, deal)}
        @focusout=${(event: FocusEvent) => this.#onCardFocusOut(event, deal)}
        @click=${() => this.#onCardClick(deal)}
        @pointerdown=${(event: PointerEvent) => this.#onPointerDown(event, deal)}
        @pointermove=${(event: PointerEvent) => this.#onPointerMove(event)}
        @pointerup=${(event: PointerEvent) => this.#onPointerUp(event)}
        @pointercancel=${() => this.#onPointerCancel()}>
        ${card.content}
      </div>
      ${this.activeClient?.me?.role === 'viewer'
        ? nothing
        : html`<button part="edit-button" class="edit" type="button" data-edit=${deal.id}
            aria-label=${editorString(lang, deal.amount === 0 ? 'addAmount' : 'editDealNamed', { title: deal.title })}
            title=${editorString(lang, 'editDeal')}
            @click=${(event: MouseEvent) => void this.#editDeal(deal, event.currentTarget as HTMLElement)}>✎</button>`}
      ${this.paged && this.activeClient?.me?.role !== 'viewer' ? this.#renderMoveSelect(deal) : nothing}
    </div>`;
  }

  /** Charla's own card: title, contact, amount, stalled and tasks badges, days in stage, owner. */
  #cardContent(deal: Deal, stalled: boolean, owner: Agent | undefined, contact: string | null, tasks: number, now: number): TemplateResult {
    const lang = this.i18n.lang;
    return html`<span class="title">${deal.title}</span>
      <span class="contact">${contact ?? this.#t('noContact')}</span>
      <span class="meta">
        ${deal.amount === 0
          ? html`<span class="amount none">${editorString(lang, 'noAmount')}</span>`
          : html`<span class="amount">${money(lang, deal.currency, deal.amount)}</span>`}
        ${stalled ? html`<span part="stalled" class="badge stalled-badge">${this.#t('stalled')}</span>` : nothing}
        ${tasks > 0 ? html`<span class="badge tasks" title=${this.#t('openTasks', { count: tasks })}>✓ ${tasks}<span class="visually-hidden">${this.#t('openTasks', { count: tasks })}</span></span>` : nothing}
      </span>
      <span class="foot">
        <span class="days">${this.#t('daysInStage', { days: Math.floor(daysIn(deal, now)) })}</span>
        ${owner
          ? html`<span class="owner" title=${owner.name}><span class="initials" aria-hidden="true" style="--avatar-hue:${hue(owner.id)}">${initials(owner.name)}</span><span class="visually-hidden">${this.#t('owner')}: ${owner.name}</span></span>`
          : nothing}
      </span>`;
  }

  /** Paged (a phone), where a card cannot be dragged to another column: a stage picker per card. */
  #renderMoveSelect(deal: Deal) {
    return html`<label part="move" class="move" title=${this.#t('moveTo', { title: deal.title })}>
      <span aria-hidden="true">⇄</span>
      <select aria-label=${this.#t('moveTo', { title: deal.title })} data-move=${deal.id}
        @change=${(event: Event) => {
          const select = event.target as HTMLSelectElement;
          const stageId = select.value;
          select.value = deal.stageId;
          void this.#move(deal.id, stageId);
        }}>
        ${this.#columns.map(({ stage }) => html`<option value=${stage.id} ?selected=${stage.id === deal.stageId}>${stage.name}</option>`)}
      </select>
    </label>`;
  }

  #renderGhost() {
    const drag = this.drag;
    if (!drag?.started) return nothing;
    const deal = this.#deal(drag.dealId);
    if (!deal) return nothing;
    return html`<div class="ghost" aria-hidden="true" style="left:${drag.x + 8}px;top:${drag.y + 8}px">${deal.title}</div>`;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'charla-deal-move': CustomEvent<DealMoveDetail>;
    'charla-deal-moved': CustomEvent<DealMovedDetail>;
    'charla-deal-open': CustomEvent<DealOpenDetail>;
    'charla-pipeline-select': CustomEvent<PipelineSelectDetail>;
  }
}
