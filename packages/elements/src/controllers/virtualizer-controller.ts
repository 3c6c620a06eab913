import type { ReactiveController, ReactiveControllerHost } from 'lit';
import {
  Virtualizer, elementScroll, observeElementOffset, observeElementRect, type VirtualizerOptions,
} from '@tanstack/virtual-core';

type Options = Omit<
  VirtualizerOptions<HTMLElement, HTMLElement>,
  'observeElementRect' | 'observeElementOffset' | 'scrollToFn' | 'onChange'
>;

/**
 * @tanstack/virtual-core as a Lit reactive controller: the host renders only
 * `virtualizer.getVirtualItems()` and re-renders when the visible range or measurements change.
 * Call `update()` with fresh options (count, keys) before each render.
 */
export class VirtualizerController implements ReactiveController {
  readonly virtualizer: Virtualizer<HTMLElement, HTMLElement>;
  #cleanup: (() => void) | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    options: Options,
  ) {
    host.addController(this);
    this.virtualizer = new Virtualizer<HTMLElement, HTMLElement>({
      observeElementRect,
      observeElementOffset,
      scrollToFn: elementScroll,
      ...options,
      onChange: () => host.requestUpdate(),
    });
  }

  /** Applies new options (keeping the observers); call it from the host's `willUpdate`. */
  update(options: Partial<Options>): void {
    this.virtualizer.setOptions({ ...this.virtualizer.options, ...options });
  }

  async hostConnected(): Promise<void> {
    await this.host.updateComplete;
    this.#cleanup = this.virtualizer._didMount();
    this.virtualizer._willUpdate();
  }

  hostUpdated(): void {
    this.virtualizer._willUpdate();
  }

  hostDisconnected(): void {
    this.#cleanup?.();
    this.#cleanup = undefined;
  }
}
