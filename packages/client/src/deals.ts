import type {
  ChangeEvent, Contact, ContactCommerce, Deal, DealCreateRequest, DealUpdateRequest, Pipeline, Task, TaskCreateRequest,
  TaskListRequest, TaskUpdateRequest, TimelineItem,
} from '@charla/protocol';
import type { CharlaClient } from './agent-client.js';
import { CharlaRequestError, toRequestError } from './errors.js';

/** Loading state shared by the live lists below. */
export interface Loadable {
  loaded: boolean;
  loading: boolean;
  error: CharlaRequestError | null;
}

/** A pipeline's deals on the board: `client.dealsOf(pipelineId)` reads them once `loaded`. */
export interface DealBoard extends Loadable {
  pipelineId: string;
}

/** A contact's lifetime value, pending balance, open invoices, deals and tasks, kept live. */
export interface CommerceSummary extends Loadable {
  contactId: string;
  data: ContactCommerce | null;
}

export type AgendaView = NonNullable<TaskListRequest['view']>;

/** Tasks of an agenda view (`overdue`, `today`, `upcoming`…), kept live. */
export interface TaskList extends Loadable {
  view: AgendaView;
  ownerId: string | undefined;
  ids: string[];
}

/** A contact's or company's unified feed, newest first; `loadMore` fetches older items. */
export interface TimelineFeed extends Loadable {
  owner: { contactId: string } | { companyId: string };
  items: TimelineItem[];
  nextCursor: string | null;
}

type Requester = Pick<CharlaClient, 'request'>;

const REFRESH_DELAY = 120;

const loadable = (): Loadable => ({ loaded: false, loading: false, error: null });

/**
 * The sales side of the agent client's normalized store: pipelines, deals by id, tasks by id,
 * open-task counts per deal, and contacts' commerce summaries, kept live by change-log events.
 * Used through `CharlaClient` (`client.board(id)`, `client.moveDeal(…)`, `client.contactCommerce(id)`).
 */
export class DealStore {
  pipelines: Pipeline[] = [];
  pipelinesLoaded = false;
  readonly dealsById = new Map<string, Deal>();
  readonly tasksById = new Map<string, Task>();
  readonly openTasksByDeal = new Map<string, number>();
  readonly #boards = new Map<string, DealBoard>();
  readonly #commerce = new Map<string, CommerceSummary>();
  readonly #agendas = new Map<string, TaskList>();
  readonly #staleCommerce = new Set<string>();
  readonly #timelines = new Map<string, TimelineFeed>();
  #timelineTimer: ReturnType<typeof setTimeout> | undefined;
  #commerceTimer: ReturnType<typeof setTimeout> | undefined;
  #agendaTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly client: Requester,
    private readonly changed: () => void,
    /** Contacts that arrive with deals go to the client's contact store. */
    private readonly putContacts: (contacts: Contact[]) => void = () => undefined,
  ) {}

  /** After (re)starting a session: reload whatever views are open. */
  reload(): void {
    if (this.pipelinesLoaded) void this.loadPipelines();
    for (const board of this.#boards.values()) void this.#fetchBoard(board);
    for (const summary of this.#commerce.values()) void this.#fetchCommerce(summary);
    for (const list of this.#agendas.values()) void this.#fetchAgenda(list);
    for (const feed of this.#timelines.values()) void this.#fetchTimeline(feed, true);
  }

  /** Applies a change-log event; returns false for events that are not about sales. */
  apply(event: ChangeEvent): boolean {
    this.#scheduleTimelines();
    switch (event.type) {
      case 'pipeline.upserted': {
        const index = this.pipelines.findIndex((pipeline) => pipeline.id === event.data.pipeline.id);
        if (index >= 0) this.pipelines[index] = event.data.pipeline;
        else this.pipelines = [...this.pipelines, event.data.pipeline];
        return true;
      }
      case 'deal.upserted':
        this.dealsById.set(event.data.deal.id, event.data.deal);
        if (!this.openTasksByDeal.has(event.data.deal.id)) this.openTasksByDeal.set(event.data.deal.id, 0);
        this.#commerceChanged(event.data.deal.contactId);
        return true;
      case 'task.upserted':
        this.#putTask(event.data.task);
        this.#commerceChanged(event.data.task.contactId);
        this.#scheduleAgendas();
        return true;
      case 'business_event.created':
        this.#commerceChanged(event.data.event.contactId);
        return true;
      case 'contact.merged': {
        // Everything of the merged contact now belongs to the survivor.
        const { mergedId, contact } = event.data;
        for (const [id, deal] of this.dealsById) if (deal.contactId === mergedId) this.dealsById.set(id, { ...deal, contactId: contact.id });
        for (const [id, task] of this.tasksById) if (task.contactId === mergedId) this.tasksById.set(id, { ...task, contactId: contact.id });
        this.#commerce.delete(mergedId);
        this.#commerceChanged(contact.id);
        return true;
      }
      case 'contact.unmerged':
        // Which deals and tasks went back is the server's to say: read again what is shown.
        this.reload();
        return true;
      case 'contact.deleted':
        for (const [id, deal] of this.dealsById) if (deal.contactId === event.data.contactId) this.dealsById.delete(id);
        for (const [id, task] of this.tasksById) if (task.contactId === event.data.contactId) this.tasksById.delete(id);
        this.#commerce.delete(event.data.contactId);
        this.#scheduleAgendas();
        return false;
      default:
        return false;
    }
  }

  // ------------------------------------------------------------------ pipelines and deals

  async loadPipelines(): Promise<Pipeline[]> {
    this.pipelines = await this.client.request('pipelines.list', {});
    this.pipelinesLoaded = true;
    this.changed();
    return this.pipelines;
  }

  board(pipelineId: string): DealBoard {
    let board = this.#boards.get(pipelineId);
    if (!board) {
      board = { pipelineId, ...loadable() };
      this.#boards.set(pipelineId, board);
      void this.#fetchBoard(board);
    }
    return board;
  }

  dealsOf(pipelineId: string): Deal[] {
    const deals: Deal[] = [];
    for (const deal of this.dealsById.values()) if (deal.pipelineId === pipelineId) deals.push(deal);
    return deals;
  }

  async #fetchBoard(board: DealBoard): Promise<void> {
    board.loading = true;
    board.error = null;
    this.changed();
    try {
      const page = await this.client.request('deals.list', { pipelineId: board.pipelineId, limit: 5000 });
      this.putContacts(page.contacts);
      for (const [id, deal] of this.dealsById) if (deal.pipelineId === board.pipelineId) this.dealsById.delete(id);
      for (const deal of page.deals) {
        this.dealsById.set(deal.id, deal);
        this.openTasksByDeal.set(deal.id, page.openTasks[deal.id] ?? 0);
      }
      board.loaded = true;
    } catch (error) {
      board.error = toRequestError(error);
    } finally {
      board.loading = false;
      this.changed();
    }
  }

  async createDeal(request: DealCreateRequest): Promise<Deal> {
    const deal = await this.client.request('deal.create', request);
    this.dealsById.set(deal.id, deal);
    this.changed();
    return deal;
  }

  async updateDeal(request: DealUpdateRequest): Promise<Deal> {
    const deal = await this.client.request('deal.update', request);
    this.dealsById.set(deal.id, deal);
    // The contact's summary shows the saved deal at once; the change-log event refreshes it fully.
    const summary = deal.contactId ? this.#commerce.get(deal.contactId) : undefined;
    if (summary?.data) summary.data = { ...summary.data, openDeals: summary.data.openDeals.map((open) => (open.id === deal.id ? deal : open)) };
    this.changed();
    return deal;
  }

  /**
   * Moves a deal to another stage: shown at once, confirmed by the server (which logs it for
   * every other view), and put back where it was when the server refuses.
   */
  async moveDeal(dealId: string, stageId: string, options: { lostReason?: string } = {}): Promise<Deal> {
    const before = this.dealsById.get(dealId);
    if (before && before.stageId !== stageId) {
      this.dealsById.set(dealId, { ...before, stageId, stageEnteredAt: new Date().toISOString() });
      this.changed();
    }
    try {
      return await this.updateDeal({ dealId, stageId, ...(options.lostReason ? { lostReason: options.lostReason } : {}) });
    } catch (error) {
      const current = this.dealsById.get(dealId);
      if (before && current?.stageId === stageId) this.dealsById.set(dealId, before);
      this.changed();
      throw error;
    }
  }

  // ------------------------------------------------------------------ tasks

  #putTask(task: Task): void {
    const previous = this.tasksById.get(task.id);
    this.tasksById.set(task.id, task);
    if (!task.dealId || !this.openTasksByDeal.has(task.dealId)) return;
    const wasOpen = previous ? !previous.done : false;
    const delta = (task.done ? 0 : 1) - (wasOpen ? 1 : 0);
    if (previous || !task.done) this.openTasksByDeal.set(task.dealId, Math.max(0, (this.openTasksByDeal.get(task.dealId) ?? 0) + delta));
  }

  agenda(view: AgendaView, ownerId?: string): TaskList {
    const key = `${view}\n${ownerId ?? ''}`;
    let list = this.#agendas.get(key);
    if (!list) {
      list = { view, ownerId, ids: [], ...loadable() };
      this.#agendas.set(key, list);
      void this.#fetchAgenda(list);
    }
    return list;
  }

  async #fetchAgenda(list: TaskList): Promise<void> {
    list.loading = true;
    this.changed();
    try {
      const tasks = await this.client.request('tasks.list', {
        view: list.view,
        tzOffset: new Date().getTimezoneOffset(),
        ...(list.ownerId ? { ownerId: list.ownerId } : {}),
      });
      for (const task of tasks) this.tasksById.set(task.id, task);
      list.ids = tasks.map((task) => task.id);
      list.loaded = true;
      list.error = null;
    } catch (error) {
      list.error = toRequestError(error);
    } finally {
      list.loading = false;
      this.changed();
    }
  }

  #scheduleAgendas(): void {
    if (this.#agendas.size === 0) return;
    clearTimeout(this.#agendaTimer);
    this.#agendaTimer = setTimeout(() => {
      for (const list of this.#agendas.values()) void this.#fetchAgenda(list);
    }, REFRESH_DELAY);
  }

  async createTask(request: TaskCreateRequest): Promise<Task> {
    const task = await this.client.request('task.create', request);
    this.#putTask(task);
    // Open agendas and the contact's summary list it without waiting for the change-log event.
    this.#commerceChanged(task.contactId);
    this.#scheduleAgendas();
    this.changed();
    return task;
  }

  async updateTask(request: TaskUpdateRequest): Promise<Task> {
    const task = await this.client.request('task.update', request);
    this.#putTask(task);
    this.changed();
    return task;
  }

  // ------------------------------------------------------------------ timelines

  /** The unified feed of a contact or a company, loading its newest page on first use and kept live. */
  timeline(owner: { contactId: string } | { companyId: string }): TimelineFeed {
    const key = 'contactId' in owner ? `contact:${owner.contactId}` : `company:${owner.companyId}`;
    let feed = this.#timelines.get(key);
    if (!feed) {
      feed = { owner, items: [], nextCursor: null, ...loadable() };
      this.#timelines.set(key, feed);
      void this.#fetchTimeline(feed, true);
    }
    return feed;
  }

  /** Loads the next older page of a feed. */
  async loadMoreTimeline(feed: TimelineFeed): Promise<void> {
    if (feed.loading || !feed.nextCursor) return;
    await this.#fetchTimeline(feed, false);
  }

  async #fetchTimeline(feed: TimelineFeed, newest: boolean): Promise<void> {
    feed.loading = true;
    this.changed();
    try {
      const page = await this.client.request('timeline.list', {
        ...feed.owner,
        limit: 50,
        ...(newest || !feed.nextCursor ? {} : { cursor: feed.nextCursor }),
      });
      if (newest) {
        // The newest page replaces what it covers; older pages already loaded stay.
        const fresh = new Set(page.items.map((item) => item.id));
        const oldest = page.items.at(-1);
        const older = oldest ? feed.items.filter((item) => !fresh.has(item.id) && (item.at < oldest.at || (item.at === oldest.at && item.id < oldest.id))) : [];
        feed.items = [...page.items, ...older];
        if (!feed.loaded || older.length === 0) feed.nextCursor = page.nextCursor;
      } else {
        const known = new Set(feed.items.map((item) => item.id));
        feed.items = [...feed.items, ...page.items.filter((item) => !known.has(item.id))];
        feed.nextCursor = page.nextCursor;
      }
      feed.loaded = true;
      feed.error = null;
    } catch (error) {
      feed.error = toRequestError(error);
    } finally {
      feed.loading = false;
      this.changed();
    }
  }

  /** Anything may add to a feed (a message, a note, a payment): refresh the open feeds once per burst. */
  #scheduleTimelines(): void {
    if (this.#timelines.size === 0) return;
    clearTimeout(this.#timelineTimer);
    this.#timelineTimer = setTimeout(() => {
      for (const feed of this.#timelines.values()) if (feed.loaded) void this.#fetchTimeline(feed, true);
    }, REFRESH_DELAY);
  }

  // ------------------------------------------------------------------ commerce

  contactCommerce(contactId: string): CommerceSummary {
    let summary = this.#commerce.get(contactId);
    if (!summary) {
      summary = { contactId, data: null, ...loadable() };
      this.#commerce.set(contactId, summary);
      void this.#fetchCommerce(summary);
    }
    return summary;
  }

  async #fetchCommerce(summary: CommerceSummary): Promise<void> {
    summary.loading = true;
    this.changed();
    try {
      summary.data = await this.client.request('contact.commerce', { contactId: summary.contactId });
      for (const deal of summary.data.openDeals) this.dealsById.set(deal.id, deal);
      for (const task of summary.data.openTasks) this.tasksById.set(task.id, task);
      summary.loaded = true;
      summary.error = null;
    } catch (error) {
      summary.error = error instanceof CharlaRequestError ? error : toRequestError(error);
    } finally {
      summary.loading = false;
      this.changed();
    }
  }

  /** Sums come from the server (exact cents): refetch the summaries a change touched, once per burst. */
  #commerceChanged(contactId: string | null): void {
    if (!contactId || !this.#commerce.has(contactId)) return;
    this.#staleCommerce.add(contactId);
    clearTimeout(this.#commerceTimer);
    this.#commerceTimer = setTimeout(() => {
      for (const id of this.#staleCommerce) {
        const summary = this.#commerce.get(id);
        if (summary) void this.#fetchCommerce(summary);
      }
      this.#staleCommerce.clear();
    }, REFRESH_DELAY);
  }
}
