import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { VirtualItem, Virtualizer, VirtualizerOptions } from '@tanstack/virtual-core';

type Options = Omit<
  VirtualizerOptions<HTMLElement, HTMLElement>,
  'observeElementRect' | 'observeElementOffset' | 'scrollToFn' | 'onChange'
>;
type Align = 'start' | 'center' | 'end' | 'auto';
type VirtualCore = typeof import('@tanstack/virtual-core');
/** The reading position: the first row in view, how far its top is above the viewport's, and how far the end is. */
type Anchor = { key: VirtualItem['key']; delta: number; fromEnd: number };

/** What the lists use of a virtualizer: @tanstack/virtual-core's `Virtualizer`, or the plain list shown until it loads. */
export interface ListVirtualizer {
  readonly options: { readonly count: number };
  readonly scrollElement: HTMLElement | null;
  getVirtualItems(): VirtualItem[];
  getTotalSize(): number;
  getOffsetForIndex(index: number, align?: Align): readonly [number, string] | undefined;
  scrollToIndex(index: number, options?: { align?: Align }): void;
  /** Records a rendered row's height (the row carries `data-index`). */
  measureElement(element: HTMLElement | null): void;
  /** Forgets the measured heights (an estimate changed). */
  measure(): void;
}

/** Rows the plain list renders at most, whatever the viewport: it stays cheap on a page of hundreds. */
export const PLAIN_LIST_ROWS = 60;

let core: VirtualCore | undefined;
let coreLoading: Promise<VirtualCore> | undefined;

/**
 * Loads @tanstack/virtual-core (once; a failed load is tried again on the next call). It is a
 * chunk of its own: a page does not wait for it before showing its first lists.
 */
export function loadVirtualCore(): Promise<VirtualCore> {
  coreLoading ??= import('@tanstack/virtual-core').then(
    (loaded) => (core = loaded),
    (error: unknown) => {
      coreLoading = undefined;
      throw error;
    },
  );
  return coreLoading;
}

/**
 * The list until the virtualizer has loaded: the same layout (each row at the sum of the heights
 * above it, measured or estimated, so nothing moves when the virtualizer takes over), the rows
 * around the viewport (at most PLAIN_LIST_ROWS), scrolling to a row, and the reading position kept
 * when rows change above it.
 */
class PlainList implements ListVirtualizer {
  readonly sizes = new Map<VirtualItem['key'], number>();
  /** Rows measured and still shown: the virtualizer measures them again when it takes over. */
  readonly measured = new Set<HTMLElement>();
  #items: VirtualItem[] | undefined;
  #target: { index: number; align: Align; offset: number } | undefined;
  #anchor: Anchor | undefined;
  #listening: HTMLElement | null = null;
  #resizes: ResizeObserver | undefined;
  /** Rows handed to `measureElement` before they were in the document. */
  readonly #unplaced = new Set<HTMLElement>();

  constructor(
    public options: Options,
    private readonly onChange: () => void,
  ) {}

  get scrollElement(): HTMLElement | null {
    return this.options.getScrollElement();
  }

  setOptions(options: Options): void {
    // Rows are about to change (count, keys): where the reader is, in the layout they see now.
    this.#anchor ??= this.#readingPosition();
    this.options = options;
    this.#items = undefined;
  }

  #measurements(): VirtualItem[] {
    if (this.#items) return this.#items;
    const { count, estimateSize, getItemKey = (index: number) => index, paddingStart = 0, scrollMargin = 0, gap = 0 } = this.options;
    const items: VirtualItem[] = new Array(count);
    let start = paddingStart + scrollMargin;
    for (let index = 0; index < count; index++) {
      const key = getItemKey(index);
      const size = this.sizes.get(key) ?? estimateSize(index);
      items[index] = { key, index, start, size, end: start + size, lane: 0 };
      start += size + gap;
    }
    return (this.#items = items);
  }

  getTotalSize(): number {
    const { paddingStart = 0, paddingEnd = 0, scrollMargin = 0 } = this.options;
    const last = this.#measurements().at(-1);
    return Math.max((last ? last.end : paddingStart) - scrollMargin + paddingEnd, 0);
  }

  getVirtualItems(): VirtualItem[] {
    const items = this.#measurements();
    if (items.length === 0) return [];
    const element = this.scrollElement;
    const height = element?.clientHeight || (typeof innerHeight === 'number' ? innerHeight : 800);
    const top = element ? element.scrollTop : this.options.anchorTo === 'end' ? Math.max(0, items.at(-1)!.end - height) : 0;
    let first = 0;
    for (let low = 0, high = items.length - 1; low <= high; ) {
      const middle = (low + high) >> 1;
      if (items[middle]!.end <= top) low = first = middle + 1;
      else high = middle - 1;
    }
    let last = Math.min(first, items.length - 1);
    while (last + 1 < items.length && items[last + 1]!.start < top + height) last++;
    const overscan = this.options.overscan ?? 1;
    first = Math.max(0, first - overscan);
    last = Math.min(items.length - 1, last + overscan, first + PLAIN_LIST_ROWS - 1);
    return items.slice(first, last + 1);
  }

  getOffsetForIndex(index: number, align: Align = 'auto'): readonly [number, Align] | undefined {
    const element = this.scrollElement;
    const item = this.#measurements()[Math.max(0, Math.min(index, this.options.count - 1))];
    if (!item || !element) return undefined;
    const view = element.clientHeight;
    const top = element.scrollTop;
    if (align === 'auto') {
      if (item.end >= top + view) align = 'end';
      else if (item.start <= top) align = 'start';
      else return [top, 'auto'];
    }
    const max = Math.max(0, element.scrollHeight - view);
    // The last row at the end: the very end of the list (what follows the rows included).
    if (align === 'end' && item.index === this.options.count - 1) return [max, align];
    const offset = align === 'start' ? item.start : align === 'end' ? item.end - view : item.start + (item.size - view) / 2;
    return [Math.max(0, Math.min(offset, max)), align];
  }

  scrollToIndex(index: number, { align = 'auto' }: { align?: Align } = {}): void {
    const element = this.scrollElement;
    const target = this.getOffsetForIndex(index, align);
    if (!element || !target) return;
    // Kept while heights settle (rows measured after this render), until the user scrolls elsewhere.
    this.#target = { index, align: target[1] === 'auto' ? 'auto' : target[1], offset: target[0] };
    if (Math.abs(element.scrollTop - target[0]) > 1) element.scrollTop = target[0];
    this.#target.offset = element.scrollTop;
    this.onChange();
  }

  measureElement(element: HTMLElement | null): void {
    if (!element) return;
    // Lit sets a new row's ref before it inserts the row: measured once the render is in place.
    if (!element.isConnected) {
      this.#unplaced.add(element);
      return;
    }
    const index = Number(element.getAttribute('data-index'));
    if (!Number.isInteger(index)) return;
    if (!this.measured.has(element)) {
      this.measured.add(element);
      // A row that changes height later (it wraps again at another width, an image arrives) is measured again.
      this.#resizes ??= typeof ResizeObserver === 'undefined' ? undefined : new ResizeObserver((entries) => {
        for (const entry of entries) this.measureElement(entry.target as HTMLElement);
      });
      this.#resizes?.observe(element);
    }
    const key = this.#measurements()[index]?.key;
    // Whole pixels, as the virtualizer measures: both lay the rows out alike.
    const size = element.offsetHeight;
    if (key === undefined || this.sizes.get(key) === size) return;
    this.sizes.set(key, size);
    this.#items = undefined;
    this.onChange();
  }

  measure(): void {
    this.sizes.clear();
    this.#items = undefined;
    this.onChange();
  }

  /** Before the host renders: where the reading position is (the first row in view). */
  beforeUpdate(): void {
    this.#anchor ??= this.#readingPosition();
  }

  #readingPosition(): Anchor | undefined {
    const element = this.scrollElement;
    const items = this.#measurements();
    if (!element || items.length === 0) return undefined;
    const top = element.scrollTop;
    const first = items.find((item) => item.end > top);
    const fromEnd = element.scrollHeight - top - element.clientHeight;
    return first && (top > 0 || this.options.anchorTo === 'end') ? { key: first.key, delta: first.start - top, fromEnd } : undefined;
  }

  /** After it rendered: back to the row asked for, else to the same reading position. */
  afterUpdate(): void {
    const element = this.scrollElement;
    const unplaced = [...this.#unplaced];
    this.#unplaced.clear();
    for (const row of unplaced) if (row.isConnected) this.measureElement(row);
    for (const row of this.measured) {
      if (row.isConnected) continue;
      this.measured.delete(row);
      this.#resizes?.unobserve(row);
    }
    if (!element) return;
    if (this.#listening !== element) {
      this.#listening?.removeEventListener('scroll', this.#onScroll);
      element.addEventListener('scroll', this.#onScroll, { passive: true });
      this.#listening = element;
    }
    const anchor = this.#anchor;
    this.#anchor = undefined;
    // Scrolled elsewhere since the row was asked for (a scroll event may still be on its way):
    // the user's position wins. A list that shrank under it is clamped by the browser, not moved.
    const max = element.scrollHeight - element.clientHeight;
    if (this.#target && Math.abs(element.scrollTop - this.#target.offset) > 1 && element.scrollTop < max - 1) this.#target = undefined;
    const target = this.#target;
    if (target) {
      const offset = this.getOffsetForIndex(target.index, target.align)?.[0];
      if (offset !== undefined && Math.abs(offset - element.scrollTop) > 1) element.scrollTop = offset;
      target.offset = element.scrollTop;
      return;
    }
    if (!anchor) return;
    if (this.options.followOnAppend && anchor.fromEnd <= 1) {
      element.scrollTop = element.scrollHeight - element.clientHeight;
      return;
    }
    const item = this.#measurements().find((candidate) => candidate.key === anchor.key);
    if (item && Math.abs(item.start - anchor.delta - element.scrollTop) > 1) element.scrollTop = item.start - anchor.delta;
  }

  readonly #onScroll = () => {
    const element = this.#listening;
    if (this.#target && element && Math.abs(element.scrollTop - this.#target.offset) > 1) this.#target = undefined;
    this.onChange();
  };

  /** What was measured, for the virtualizer's `initialMeasurementsCache`. */
  snapshot(): VirtualItem[] {
    return this.#measurements().filter((item) => this.sizes.has(item.key));
  }

  dispose(): void {
    this.#listening?.removeEventListener('scroll', this.#onScroll);
    this.#listening = null;
    this.#resizes?.disconnect();
    this.measured.clear();
    this.#unplaced.clear();
  }
}

/**
 * @tanstack/virtual-core as a Lit reactive controller: the host renders only
 * `virtualizer.getVirtualItems()` and re-renders when the visible range or measurements change.
 * Call `update()` with fresh options (count, keys) before each render.
 *
 * The virtualizer loads on demand (`loadVirtualCore()`, started by the first list): until it has
 * arrived `virtualizer` is a plain list with the same layout and API, then the virtualizer takes
 * over in place, with the heights measured so far and the scroll position as they are.
 */
export class VirtualizerController implements ReactiveController {
  virtualizer: ListVirtualizer;
  #real: Virtualizer<HTMLElement, HTMLElement> | undefined;
  #plain: PlainList | undefined;
  #cleanup: (() => void) | undefined;
  #mounted = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    options: Options,
  ) {
    host.addController(this);
    if (core) {
      this.virtualizer = this.#real = this.#create(core, options);
      return;
    }
    this.virtualizer = this.#plain = new PlainList(options, () => host.requestUpdate());
    if (typeof document !== 'undefined') void loadVirtualCore().then((loaded) => this.#takeOver(loaded), () => undefined);
  }

  #create(loaded: VirtualCore, options: Options): Virtualizer<HTMLElement, HTMLElement> {
    return new loaded.Virtualizer<HTMLElement, HTMLElement>({
      observeElementRect: loaded.observeElementRect,
      observeElementOffset: loaded.observeElementOffset,
      scrollToFn: loaded.elementScroll,
      ...options,
      onChange: () => this.host.requestUpdate(),
    });
  }

  /** The virtualizer arrived: it replaces the plain list where it stands. */
  #takeOver(loaded: VirtualCore): void {
    const plain = this.#plain;
    if (!plain) return;
    const element = plain.scrollElement;
    const real = this.#create(loaded, {
      ...plain.options,
      initialMeasurementsCache: plain.snapshot(),
      initialOffset: element?.scrollTop ?? 0,
      ...(element ? { initialRect: { width: element.clientWidth, height: element.clientHeight } } : {}),
    });
    const rows = [...plain.measured].filter((row) => row.isConnected);
    plain.dispose();
    this.#plain = undefined;
    this.virtualizer = this.#real = real;
    if (this.#mounted) {
      this.#cleanup = real._didMount();
      real._willUpdate();
      // Rows already on screen keep being measured (an image loading grows its row).
      for (const row of rows) real.measureElement(row);
    }
    this.host.requestUpdate();
  }

  /** Applies new options (keeping the observers); call it from the host's `willUpdate`. */
  update(options: Partial<Options>): void {
    if (this.#real) this.#real.setOptions({ ...this.#real.options, ...options });
    else this.#plain?.setOptions({ ...this.#plain.options, ...options });
  }

  async hostConnected(): Promise<void> {
    await this.host.updateComplete;
    this.#mounted = true;
    if (!this.#real) return;
    this.#cleanup = this.#real._didMount();
    this.#real._willUpdate();
  }

  hostUpdate(): void {
    this.#plain?.beforeUpdate();
  }

  hostUpdated(): void {
    if (this.#real) this.#real._willUpdate();
    else this.#plain?.afterUpdate();
  }

  hostDisconnected(): void {
    this.#mounted = false;
    this.#cleanup?.();
    this.#cleanup = undefined;
  }
}
