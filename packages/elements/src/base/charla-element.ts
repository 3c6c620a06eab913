import { LitElement, css, type CSSResultGroup } from 'lit';

/**
 * The base of every Charla element: a guarded `define()`, a typed `emit()` that bubbles out of
 * shadow roots, a `focus()` that lands on the element's own first stop, and the host styles they share.
 */
export class CharlaElement extends LitElement {
  static override styles: CSSResultGroup = [
    css`
      :host {
        box-sizing: border-box;
        font-family: var(--charla-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
        font-size: var(--charla-font-size-m, 14px);
        color: var(--charla-color-text, #1c2430);
      }
      :host([hidden]) {
        display: none !important;
      }
      *,
      *::before,
      *::after {
        box-sizing: inherit;
      }
      .visually-hidden {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip: rect(0 0 0 0);
        white-space: nowrap;
      }
    `,
  ];

  /** Registers the element once; a second registration of the same class is harmless. */
  static define(name: string): void {
    const existing = customElements.get(name);
    if (!existing) customElements.define(name, this);
    else if (existing !== this) console.warn(`<${name}> is already defined by another version of Charla`);
  }

  /**
   * Moves focus to where a keyboard user expects to land in this element (see `focusTarget()`);
   * called before the first render, it focuses once the element has rendered.
   */
  override focus(options?: FocusOptions): void {
    if (!this.hasUpdated || this.isUpdatePending) {
      void this.updateComplete.then(() => this.#focusInside(options));
      return;
    }
    this.#focusInside(options);
  }

  #focusInside(options?: FocusOptions): void {
    const target = this.focusTarget();
    if (target) target.focus(options);
    else super.focus(options);
  }

  /** Where `focus()` lands: an element in the shadow root, or none (the host itself). */
  protected focusTarget(): HTMLElement | null | undefined {
    return undefined;
  }

  /** Dispatches a typed event that bubbles and crosses shadow roots; returns false when canceled. */
  protected emit<K extends keyof GlobalEventHandlersEventMap>(
    name: K,
    init: GlobalEventHandlersEventMap[K] extends CustomEvent<infer D> ? { detail: D; cancelable?: boolean } : never,
  ): boolean {
    return this.dispatchEvent(
      new CustomEvent(name, { bubbles: true, composed: true, cancelable: init.cancelable ?? false, detail: init.detail }),
    );
  }
}
