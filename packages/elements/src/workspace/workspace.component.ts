import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import { CharlaElement } from '../base/charla-element.js';
import { LocalizeController } from '../i18n/localize-controller.js';
import { workspaceString, type WorkspaceString } from './workspace.strings.js';
import { WORKSPACE_NARROW, WORKSPACE_SHORT, WORKSPACE_WIDE, workspaceStyles } from './workspace.styles.js';

export { WORKSPACE_NARROW, WORKSPACE_SHORT, WORKSPACE_WIDE };

export const WORKSPACE_PANES = ['inbox', 'thread', 'panel'] as const;
export type WorkspacePane = (typeof WORKSPACE_PANES)[number];
export const WORKSPACE_LAYOUTS = ['wide', 'medium', 'narrow'] as const;
export type WorkspaceLayout = (typeof WORKSPACE_LAYOUTS)[number];

export interface PaneChangeDetail {
  pane: WorkspacePane;
}

/** Events of the composed elements that open a conversation: the thread pane comes forward. */
const OPENS_THREAD = ['charla-conversation-select', 'charla-message-reveal'] as const;
/** Events that open a conversation only when they name one. */
const OPENS_THREAD_WITH_ID = ['charla-timeline-open', 'charla-deal-open', 'charla-task-open'] as const;

/** The layout for the element's width, in a window `windowHeight` tall (a phone on its side is narrow). */
export function layoutFor(width: number, windowHeight = Infinity): WorkspaceLayout {
  if (width >= WORKSPACE_WIDE) return 'wide';
  return width >= WORKSPACE_NARROW && windowHeight >= WORKSPACE_SHORT ? 'medium' : 'narrow';
}

/**
 * The agent's workspace layout: the inbox, the open conversation and the contact panel, laid out
 * for the room the element has (container queries on the element, not the window, so it adapts
 * inside any host's page). Wide (≥ 1024 px): three columns. Medium (720–1024 px): inbox and thread,
 * the contact panel as a sheet over the thread. Narrow (< 720 px, a phone, or < 1024 px in a window
 * under 500 px tall, a phone on its side): one pane at a time —
 * inbox → thread → contact sheet — with a labelled back control; Escape or Alt+← also go back.
 *
 * The workspace only lays out: the host keeps wiring the composed elements together (which
 * conversation the thread shows). The pane follows what the user does in them: selecting a
 * conversation (`charla-conversation-select`), revealing a message, or opening a conversation
 * from the history, a deal or a task brings the thread forward. On phones it keeps the thread's
 * composer above the on-screen keyboard (`visualViewport`).
 *
 * @tag charla-workspace
 * @slot inbox - The conversation list, usually `<charla-inbox>`.
 * @slot thread - The open conversation, usually `<charla-thread>`.
 * @slot panel - The customer beside the chat, usually `<charla-contact-panel>` (or the host's tabs around it).
 * @event charla-pane-change - The user (or an opened conversation) brought another pane forward. `detail.pane`: `inbox`, `thread` or `panel`.
 * @csspart inbox - The inbox pane.
 * @csspart thread - The thread pane.
 * @csspart panel - The contact pane (a sheet when narrow or medium).
 * @csspart bar - The bar above the thread with the back and contact controls (narrow and medium only).
 * @csspart back - The back control.
 * @csspart contact-toggle - The control that shows the contact sheet.
 * @csspart close - The control that closes the contact sheet.
 * @csspart backdrop - The shade behind the contact sheet.
 * @cssproperty --charla-workspace-inbox-width - Width of the inbox column when wide (default minmax(280px, min(380px, 30%))).
 * @cssproperty --charla-workspace-panel-width - Width of the contact column when wide (default 340px).
 */
export class CharlaWorkspace extends CharlaElement {
  static override styles = [CharlaElement.styles, workspaceStyles];

  /** The pane in front: matters when narrow (one pane at a time) and medium (`panel` opens the sheet). */
  @property({ reflect: true }) pane: WorkspacePane = 'inbox';
  /** The layout the element's width gives it (read-only; reflected for host styles and tests). */
  @property({ reflect: true }) layout: WorkspaceLayout = 'wide';
  /**
   * Each step forward on a phone (inbox → thread) or into the contact sheet becomes a browser
   * history entry, so the browser's Back (Android's back gesture) steps back too.
   */
  @property({ type: Boolean }) history = false;

  @state() private keyboardInset = 0;
  @query('[part="back"]') private backButton?: HTMLButtonElement;
  @query('[part="contact-toggle"]') private contactToggle?: HTMLButtonElement;
  @query('[part="close"]') private closeButton?: HTMLButtonElement;

  readonly #i18n = new LocalizeController(this);
  #resizeObserver?: ResizeObserver;
  /** Where focus was in the inbox before the thread came forward, to return to it. */
  #inboxFocus: HTMLElement | null = null;
  /** History entries this element pushed and the browser has not gone back over yet. */
  #historyDepth = 0;

  constructor() {
    super();
    // Capture: the workspace moves before the host's own handlers run (a host may set `pane` itself).
    for (const name of OPENS_THREAD) this.addEventListener(name, () => this.#bringForward('thread'), { capture: true });
    for (const name of OPENS_THREAD_WITH_ID) {
      this.addEventListener(name, (event) => {
        if ((event as CustomEvent<{ conversationId?: string | null }>).detail?.conversationId) this.#bringForward('thread');
      }, { capture: true });
    }
    this.addEventListener('keydown', (event) => this.#onKeydown(event));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (typeof ResizeObserver !== 'undefined') {
      this.#resizeObserver = new ResizeObserver(([entry]) => {
        if (entry) this.layout = layoutFor(entry.contentRect.width, window.innerHeight);
      });
      this.#resizeObserver.observe(this);
    }
    window.visualViewport?.addEventListener('resize', this.#onViewport);
    window.visualViewport?.addEventListener('scroll', this.#onViewport);
    window.addEventListener('popstate', this.#onPopState);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resizeObserver?.disconnect();
    window.visualViewport?.removeEventListener('resize', this.#onViewport);
    window.visualViewport?.removeEventListener('scroll', this.#onViewport);
    window.removeEventListener('popstate', this.#onPopState);
  }

  /** Brings a pane forward, as the back and contact controls do. */
  show(pane: WorkspacePane): void {
    if (pane === this.pane) return;
    this.pane = pane;
    this.emit('charla-pane-change', { detail: { pane } });
  }

  /** One step back: the contact sheet closes to the thread, the thread goes back to the inbox. */
  back(): void {
    // A step this element put in the browser's history is taken back through it, keeping both in step.
    if (this.history && this.#historyDepth > 0) window.history.back();
    else this.#stepBack();
  }

  #stepBack(): void {
    if (this.pane === 'panel') {
      this.show('thread');
      void this.updateComplete.then(() => (this.layout === 'narrow' ? this.backButton : this.contactToggle)?.focus());
    } else if (this.pane === 'thread' && this.layout === 'narrow') {
      this.show('inbox');
      void this.#refocusInbox();
    }
  }

  /**
   * Focus goes back where it was in the inbox, else to its list of conversations. The inbox lays
   * its rows out again once it is shown (it is virtualized): a few frames are allowed for that.
   */
  async #refocusInbox(): Promise<void> {
    await this.updateComplete;
    const inbox = this.querySelector<HTMLElement>(':scope > [slot="inbox"]');
    for (let frame = 0; frame < 10; frame += 1) {
      const previous = this.#inboxFocus;
      const target =
        previous?.isConnected && previous.checkVisibility() ? previous : inbox?.shadowRoot?.querySelector<HTMLElement>('[role="listbox"]');
      if (target?.checkVisibility()) {
        target.focus();
        return;
      }
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  }

  readonly #onPopState = (): void => {
    if (this.#historyDepth === 0) return;
    this.#historyDepth -= 1;
    this.#stepBack();
  };

  #pushHistory(): void {
    if (!this.history) return;
    window.history.pushState(window.history.state, '');
    this.#historyDepth += 1;
  }

  #bringForward(pane: WorkspacePane): void {
    const narrow = this.layout === 'narrow';
    if (narrow && this.pane === 'inbox') {
      this.#inboxFocus = deepActiveElement();
      if (pane !== 'inbox') this.#pushHistory();
    }
    this.show(pane);
    // The element that had focus is now hidden: focus moves to the back control of the thread.
    if (narrow) void this.updateComplete.then(() => this.backButton?.focus());
  }

  #openContact(): void {
    if (this.pane !== 'panel') this.#pushHistory();
    this.show('panel');
    void this.updateComplete.then(() => this.closeButton?.focus());
  }

  #onKeydown(event: KeyboardEvent): void {
    if (event.defaultPrevented || this.layout === 'wide') return;
    const back = event.key === 'Escape' || (event.altKey && event.key === 'ArrowLeft');
    if (!back || isEditable(event.composedPath()[0])) return;
    if (this.pane === 'panel' || (this.pane === 'thread' && this.layout === 'narrow')) {
      event.preventDefault();
      this.back();
    }
  }

  /** The on-screen keyboard covers the bottom of the layout viewport: lift the panes above it. */
  readonly #onViewport = (): void => {
    const viewport = window.visualViewport;
    if (!viewport) return;
    // A pinch-zoom also shrinks the visual viewport: only an unzoomed one is cut short by a keyboard.
    this.keyboardInset = viewport.scale > 1.01 ? 0 : Math.max(0, Math.round(window.innerHeight - viewport.height - viewport.offsetTop));
  };

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Nothing is open in the sheet when the layout grows wide: the panel is a column again.
    if (changed.has('layout') && this.layout === 'wide' && this.pane === 'panel') this.pane = 'thread';
  }

  #t(key: WorkspaceString): string {
    return workspaceString(this.#i18n.lang, key);
  }

  protected override render() {
    const sheet = this.layout !== 'wide' && this.pane === 'panel';
    return html`<div class="layout" style=${styleMap({ '--charla-workspace-keyboard-inset': `${this.keyboardInset}px` })}>
      <div part="inbox" class="pane inbox" role="region" aria-label=${this.#t('inbox')} ?inert=${sheet}>
        <slot name="inbox"></slot>
      </div>
      <div part="thread" class="pane thread" role="region" aria-label=${this.#t('thread')} ?inert=${sheet}>
        <div part="bar" class="bar">
          <button part="back" class="back" type="button" aria-label=${this.#t('backLabel')} @click=${() => this.back()}>
            <span aria-hidden="true">‹</span> ${this.#t('back')}
          </button>
          <button
            part="contact-toggle"
            class="contact-toggle"
            type="button"
            aria-label=${this.#t('showContactLabel')}
            aria-expanded=${sheet ? 'true' : 'false'}
            @click=${() => this.#openContact()}
          >
            ${this.#t('showContact')} <span aria-hidden="true">›</span>
          </button>
        </div>
        <slot name="thread"></slot>
      </div>
      <div part="backdrop" class="backdrop" @click=${() => this.back()}></div>
      <div
        part="panel"
        class="pane panel"
        role=${sheet ? 'dialog' : 'region'}
        aria-modal=${sheet ? 'true' : nothing}
        aria-label=${this.#t('panel')}
      >
        <div class="bar sheet-bar">
          <button part="close" class="back" type="button" aria-label=${this.#t('closeContactLabel')} @click=${() => this.back()}>
            <span aria-hidden="true">‹</span> ${this.#t('closeContact')}
          </button>
        </div>
        <slot name="panel"></slot>
      </div>
    </div>`;
  }
}

/** The focused element, looking inside open shadow roots. */
function deepActiveElement(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : null;
}

/** Keys typed in a field belong to it (Alt+← moves by word, Escape may cancel an edit). */
function isEditable(target: EventTarget | undefined): boolean {
  return (
    target instanceof HTMLElement &&
    (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement || target.isContentEditable)
  );
}

declare global {
  interface GlobalEventHandlersEventMap {
    'charla-pane-change': CustomEvent<PaneChangeDetail>;
  }
}
