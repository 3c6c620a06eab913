import { css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ref } from 'lit/directives/ref.js';
import { repeat } from 'lit/directives/repeat.js';
import type { CharlaClient, TimelineFeed } from '@charla/client';
import type { TimelineItem, TimelineItemKind } from '@charla/protocol';
import { CHANNELS, type Channel } from '@charla/protocol/constants';
import { ClientElement } from '../controllers/client-element.js';
import { formatMoney } from '../i18n/localize-controller.js';
import { VirtualizerController } from '../controllers/virtualizer-controller.js';
import { ruleKey, timelineString, type TimelineString } from './timeline.strings.js';
import { conversationStrings } from '../thread/conversation.strings.js';
import { useStrings } from '../i18n/strings.js';

useStrings(conversationStrings);

/** Filter groups of item kinds. */
export const TIMELINE_GROUPS = ['message', 'note', 'deal', 'task', 'money', 'merge', 'ai'] as const;
export type TimelineGroup = (typeof TIMELINE_GROUPS)[number];

const GROUP_OF: Record<TimelineItemKind, TimelineGroup> = {
  message: 'message', note: 'note', deal: 'deal', stage: 'deal', task: 'task',
  purchase: 'money', payment: 'money', invoice: 'money', claim: 'money', merge: 'merge', unmerge: 'merge', insight: 'ai',
  // A survey's answer is what the customer said about a conversation: with the messages.
  csat: 'message',
};

const GLYPH: Record<TimelineGroup, string> = { message: '”', note: '¶', deal: '◆', task: '✓', money: '$', merge: '⇄', ai: '✦' };

export interface TimelineOpenDetail {
  itemId: string;
  kind: TimelineItemKind;
  contactId: string | null;
  conversationId: string | null;
  dealId: string | null;
  taskId: string | null;
}

const money = (lang: string, currency: string, amount: number) => formatMoney(lang, currency, amount, 2);

const dateTimes = new Map<string, Intl.DateTimeFormat>();
function when(lang: string, iso: string): string {
  let format = dateTimes.get(lang);
  if (!format) dateTimes.set(lang, (format = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' })));
  return format.format(new Date(iso));
}

/**
 * The unified feed of a contact or a company: messages of every channel, notes, deals and their
 * stage changes, tasks, purchases, payments, invoices, claims and merges, newest first, in one
 * virtualized `role="feed"` list that loads older items as you scroll. Type filters show or hide
 * groups. Each item opens its source (`charla-timeline-open`: a message's conversation, a deal's
 * card, a task). Keyboard: ↑/↓ or PageUp/PageDown move between items, Enter opens.
 *
 * A stage change or deal made by an automation rule offers Undo (`charla-deal-undo`, cancelable).
 * With a client, set `contact-id` or `company-id`; it loads and stays live. Without one it
 * renders `.items` and asks for more with `charla-timeline-load-more`.
 *
 * @tag charla-timeline
 * @event charla-timeline-open - The user opened an item. `detail: {itemId, kind, contactId, conversationId, dealId, taskId}`.
 * @event charla-timeline-load-more - Data mode: the user reached the end and `hasMore` is set.
 * @csspart filters - The type filter chips.
 * @csspart feed - The scrolling feed.
 * @csspart item - One item.
 * @cssproperty --charla-timeline-accent - The line and dots of the feed.
 */
export class CharlaTimeline extends ClientElement {
  static override styles = [
    ClientElement.styles,
    css`
      .undo {
        margin-left: 6px;
        padding: 0 8px;
        border: 1px solid var(--charla-color-border, #d9dee5);
        border-radius: 10px;
        background: var(--charla-color-surface, #fff);
        color: var(--charla-color-primary, #1f6feb);
        font: inherit;
        font-size: var(--charla-font-size-s, 12px);
        cursor: pointer;
      }
      :host {
        display: flex;
        flex-direction: column;
        min-height: 0;
        height: 100%;
        background: var(--charla-color-surface, #fff);
      }
      fieldset {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
        margin: 0;
        padding: var(--charla-space-s, 8px) var(--charla-space-m, 12px);
        border: 0;
        border-bottom: 1px solid var(--charla-color-border, #d9dee5);
      }
      legend {
        float: left;
        margin-right: 4px;
        padding: 4px 0;
        font-size: var(--charla-font-size-s, 12px);
        color: var(--charla-color-text-muted, #5b6777);
      }
      .chip {
        display: inline-flex;
        align-items: center;
        gap: 4px;
        padding: 3px 10px;
        border: 1px solid var(--charla-color-border, #d9dee5);
        border-radius: 999px;
        font-size: var(--charla-font-size-s, 12px);
        cursor: pointer;
      }
      .chip:has(input:checked) {
        background: var(--charla-color-primary-soft, #e7f0ff);
        border-color: var(--charla-color-primary, #1f6feb);
      }
      .chip:has(input:focus-visible) {
        outline: 2px solid var(--charla-color-focus, #1f6feb);
      }
      .chip input {
        margin: 0;
      }
      [part='feed'] {
        flex: 1;
        min-height: 0;
        overflow-y: auto;
        position: relative;
      }
      .rows {
        position: relative;
        width: 100%;
      }
      article {
        position: absolute;
        left: 0;
        right: 0;
        top: 0;
        display: grid;
        grid-template-columns: 28px 1fr;
        gap: 2px 10px;
        padding: 10px var(--charla-space-m, 12px);
        border-bottom: 1px solid var(--charla-color-border, #d9dee5);
        cursor: pointer;
      }
      article:hover {
        background: var(--charla-color-surface-raised, #f6f8fa);
      }
      article:focus-visible {
        outline: 2px solid var(--charla-color-focus, #1f6feb);
        outline-offset: -2px;
      }
      .dot {
        grid-row: span 3;
        display: grid;
        place-items: center;
        width: 26px;
        height: 26px;
        border-radius: 50%;
        font-size: 12px;
        background: var(--charla-color-surface-sunken, #eef1f5);
        color: var(--charla-timeline-accent, var(--charla-color-primary, #1f6feb));
      }
      .head {
        display: flex;
        gap: 8px;
        align-items: baseline;
        min-width: 0;
      }
      .label {
        font-weight: 600;
      }
      .amount {
        font-weight: 600;
        font-variant-numeric: tabular-nums;
      }
      time,
      .rule,
      .channel {
        font-size: var(--charla-font-size-s, 12px);
        color: var(--charla-color-text-muted, #5b6777);
      }
      time {
        margin-left: auto;
        white-space: nowrap;
      }
      .text {
        overflow-wrap: anywhere;
        white-space: pre-wrap;
        display: -webkit-box;
        -webkit-line-clamp: 3;
        -webkit-box-orient: vertical;
        overflow: hidden;
      }
      .placeholder {
        margin: var(--charla-space-l, 16px);
        color: var(--charla-color-text-muted, #5b6777);
        text-align: center;
      }
      /* Touch screens: the filter chips and every button at least 44 px. */
      @media (pointer: coarse) {
        .chip,
        button {
          min-height: 44px;
          min-width: 44px;
        }
      }
    `,
  ];

  /** The contact whose feed to show (with a client). */
  @property({ attribute: 'contact-id' }) contactId: string | null = null;
  /** The company whose feed to show (with a client), when no contact is set. */
  @property({ attribute: 'company-id' }) companyId: string | null = null;
  /** Items, newest first (data mode). */
  @property({ attribute: false }) items: TimelineItem[] = [];
  /** Data mode: older items exist (reaching the end fires `charla-timeline-load-more`). */
  @property({ type: Boolean, attribute: 'has-more' }) hasMore = false;
  /** Groups shown; all by default. */
  @property({ attribute: false }) groups: TimelineGroup[] = [...TIMELINE_GROUPS];

  @state() private activeIndex = 0;

  #visible: TimelineItem[] = [];
  #feed: TimelineFeed | null = null;
  #askedFor = -1;

  readonly #virtual = new VirtualizerController(this, {
    count: 0,
    estimateSize: () => 84,
    overscan: 6,
    getScrollElement: () => this.renderRoot?.querySelector<HTMLElement>('[part="feed"]') ?? null,
    getItemKey: (index) => this.#visible[index]?.id ?? index,
  });

  readonly #measure = (element?: Element) => {
    if (element) this.#virtual.virtualizer.measureElement(element as HTMLElement);
  };

  /** Deals a rule moved that the agent has undone here (the server keeps the record). */
  #undone = new Set<string>();

  /** A rule's move or deal can be undone by an agent (cancelable `charla-deal-undo`, then the client undoes it). */
  #renderUndo(item: TimelineItem) {
    const client = this.activeClient;
    if (!item.rule || !item.dealId || (item.kind !== 'stage' && item.kind !== 'deal') || !client || client.me?.role === 'viewer') return nothing;
    const key = item.id;
    if (this.#undone.has(key)) return html` <span class="rule">· ${this.#t('undone')}</span>`;
    const dealId = item.dealId;
    return html` <button
      class="undo"
      @click=${async (event: Event) => {
        event.stopPropagation();
        if (!this.emit('charla-deal-undo', { detail: { dealId }, cancelable: true })) return;
        try {
          await client.request('deal.undo', { dealId });
          this.#undone.add(key);
          this.requestUpdate();
        } catch {
          // The feed shows the deal's real state as it refreshes.
        }
      }}
    >
      ${this.#t('undo')}
    </button>`;
  }

  /** A rule's stored (English) name in the agent's language when it is one of Charla's rules. */
  #rule(name: string): string {
    const key = ruleKey(name);
    return key ? this.#t(key) : name;
  }

  #t(key: TimelineString, values?: Record<string, string | number>): string {
    return timelineString(this.i18n.lang, key, values);
  }

  protected override clientChanged(_client: CharlaClient | undefined): void {
    this.#feed = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const client = this.activeClient;
    if (client && (changed.has('contactId') || changed.has('companyId') || !this.#feed)) {
      const owner = this.contactId ? { contactId: this.contactId } : this.companyId ? { companyId: this.companyId } : null;
      this.#feed = owner ? client.sales.timeline(owner) : null;
    }
    const items = client ? (this.#feed?.items ?? []) : this.items;
    const shown = new Set(this.groups);
    this.#visible = items.filter((item) => shown.has(GROUP_OF[item.kind]));
    this.#virtual.update({ count: this.#visible.length });
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    // Reaching the end asks for older items, once per length.
    const last = this.#virtual.virtualizer.getVirtualItems().at(-1);
    if (!last || last.index < this.#visible.length - 3 || this.#askedFor === this.#visible.length) return;
    const client = this.activeClient;
    if (client && this.#feed?.nextCursor) {
      this.#askedFor = this.#visible.length;
      void client.sales.loadMoreTimeline(this.#feed);
    } else if (!client && this.hasMore) {
      this.#askedFor = this.#visible.length;
      this.emit('charla-timeline-load-more', { detail: {} });
    }
  }

  #label(item: TimelineItem): string {
    const actor = item.actor ?? this.#t('someone');
    switch (item.kind) {
      case 'message':
        return this.#t(item.status === 'private' ? 'kind.messagePrivate' : item.status === 'out' ? 'kind.messageOut' : 'kind.messageIn', { actor });
      case 'note':
        return this.#t('kind.note', { actor });
      case 'stage':
        return this.#t(item.status === 'won' ? 'kind.won' : item.status === 'lost' ? 'kind.lost' : 'kind.stage');
      case 'deal':
        return this.#t('kind.deal');
      case 'task':
        return this.#t(item.status === 'done' ? 'kind.taskDone' : 'kind.taskCreated');
      case 'invoice':
        return this.#t(item.status === 'paid' ? 'kind.invoicePaid' : 'kind.invoice');
      case 'csat':
        return this.#t('kind.csat', { rating: item.status ?? '' });
      default:
        return this.#t(`kind.${item.kind}` as const);
    }
  }

  /** The channel's name in the element's language (unknown channels as they are). */
  #channel(channel: string): string {
    return (CHANNELS as readonly string[]).includes(channel) ? this.i18n.t(`channel.${channel as Channel}`) : channel;
  }

  #open(item: TimelineItem): void {
    this.emit('charla-timeline-open', {
      detail: { itemId: item.id, kind: item.kind, contactId: item.contactId, conversationId: item.conversationId, dealId: item.dealId, taskId: item.taskId },
    });
  }

  #focus(index: number): void {
    const target = Math.max(0, Math.min(this.#visible.length - 1, index));
    this.activeIndex = target;
    this.#virtual.virtualizer.scrollToIndex(target, { align: 'auto' });
    void this.updateComplete.then(async () => {
      for (let frame = 0; frame < 10; frame += 1) {
        const element = this.renderRoot.querySelector<HTMLElement>(`article[data-index="${target}"]`);
        if (element) return element.focus();
        await new Promise((resolve) => requestAnimationFrame(resolve));
      }
    });
  }

  #onKeydown(event: KeyboardEvent, index: number, item: TimelineItem): void {
    const step = { ArrowDown: 1, PageDown: 1, ArrowUp: -1, PageUp: -1 }[event.key];
    if (step !== undefined) {
      event.preventDefault();
      this.#focus(index + step);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      this.#open(item);
    }
  }

  override render() {
    const client = this.activeClient;
    const feed = this.#feed;
    const lang = this.i18n.lang;
    const more = client ? Boolean(feed?.nextCursor) : this.hasMore;
    const virtualizer = this.#virtual.virtualizer;
    const rows = virtualizer.getVirtualItems();
    // A feed holds articles: until some are drawn, the placeholder speaks and the box has no role.
    const isFeed = rows.length > 0 && this.#visible.length > 0;
    return html`
      <fieldset part="filters">
        <legend>${this.#t('filters')}</legend>
        ${TIMELINE_GROUPS.map((group) => html`<label class="chip">
          <input type="checkbox" .checked=${this.groups.includes(group)} @change=${(event: Event) => {
            const on = (event.target as HTMLInputElement).checked;
            this.groups = on ? TIMELINE_GROUPS.filter((g) => g === group || this.groups.includes(g)) : this.groups.filter((g) => g !== group);
          }} />${this.#t(`group.${group}` as const)}
        </label>`)}
      </fieldset>
      ${feed?.error
        ? html`<p class="placeholder" role="alert">${this.#t('error')}</p>`
        : this.#visible.length === 0
          ? html`<p class="placeholder" role="status">${client && !feed?.loaded ? this.#t('loading') : this.#t('empty')}</p>`
          : nothing}
      <div part="feed" role=${isFeed ? 'feed' : nothing} aria-label=${isFeed ? this.#t('feed') : nothing}
        aria-busy=${feed?.loading ? 'true' : 'false'}>
        <div class="rows" style="height:${virtualizer.getTotalSize()}px">
          ${repeat(rows, (row) => row.key, (row) => {
            const item = this.#visible[row.index];
            if (!item) return nothing;
            const group = GROUP_OF[item.kind];
            const labelId = `item-${row.index}`;
            return html`<article part="item" data-index=${row.index} ${ref(this.#measure)}
              style="transform:translateY(${row.start}px)"
              tabindex=${row.index === this.activeIndex ? '0' : '-1'}
              aria-posinset=${row.index + 1} aria-setsize=${more ? -1 : this.#visible.length} aria-labelledby=${labelId}
              @click=${() => this.#open(item)} @focus=${() => (this.activeIndex = row.index)}
              @keydown=${(event: KeyboardEvent) => this.#onKeydown(event, row.index, item)}>
              <span class="dot" aria-hidden="true">${GLYPH[group]}</span>
              <div class="head">
                <span class="label" id=${labelId}>${this.#label(item)}</span>
                ${item.amount !== null && item.currency ? html`<span class="amount">${money(lang, item.currency, item.amount)}</span>` : nothing}
                <time datetime=${item.at}>${when(lang, item.at)}</time>
              </div>
              ${item.text ? html`<div class="text">${item.text}</div>` : nothing}
              ${item.rule || item.channel
                ? html`<div>${item.channel ? html`<span class="channel">${this.#channel(item.channel)}</span> ` : nothing}${item.rule ? html`<span class="rule">${this.#t('byRule', { rule: this.#rule(item.rule) })}</span>` : nothing}${this.#renderUndo(item)}</div>`
                : nothing}
            </article>`;
          })}
        </div>
      </div>
    `;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'charla-deal-undo': CustomEvent<{ dealId: string }>;
    'charla-timeline-open': CustomEvent<TimelineOpenDetail>;
    'charla-timeline-load-more': CustomEvent<Record<string, never>>;
  }
}
