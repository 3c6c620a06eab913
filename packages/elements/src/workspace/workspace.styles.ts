import { css, unsafeCSS } from 'lit';

/** Below this width of the element the contact panel becomes a sheet over the thread. */
export const WORKSPACE_WIDE = 1024;
/** Below this width one pane shows at a time: inbox, then thread, then the contact sheet. */
export const WORKSPACE_NARROW = 720;
/**
 * A window shorter than this (a phone on its side) also shows one pane at a time below the wide
 * width: side by side, neither the inbox nor the thread would have the height to be read.
 */
export const WORKSPACE_SHORT = 500;
const WIDE = unsafeCSS(WORKSPACE_WIDE);
const NARROW = unsafeCSS(WORKSPACE_NARROW);
const SHORT = unsafeCSS(WORKSPACE_SHORT);

/** One pane at a time: inbox → thread → the contact panel as a sheet rising over the thread. */
const onePane = css`
  .layout {
    grid-template-columns: minmax(0, 1fr);
  }
  .inbox,
  .thread {
    grid-area: 1 / 1;
  }
  .inbox {
    border-right: 0;
  }
  :host(:not([pane='inbox'])) .inbox,
  :host([pane='inbox']) .thread {
    display: none;
  }
  .thread .back {
    visibility: visible;
  }
  .panel {
    top: var(--charla-space-xl, 24px);
    left: 0;
    width: auto;
    border-radius: var(--charla-radius-l, 14px) var(--charla-radius-l, 14px) 0 0;
    transform: translateY(100%);
  }
`;

export const workspaceStyles = css`
  :host {
    display: block;
    position: relative;
    min-width: 0;
    min-height: 0;
    height: 100%;
    overflow: hidden;
    /* The layout follows the room the element has in its host's page, not the window. */
    container: charla-workspace / inline-size;
  }
  .layout {
    position: relative;
    display: grid;
    grid-template-columns:
      var(--charla-workspace-inbox-width, minmax(280px, min(380px, 30%)))
      minmax(0, 1fr)
      var(--charla-workspace-panel-width, 340px);
    grid-template-rows: minmax(0, 1fr);
    height: 100%;
    /* Lifted above the on-screen keyboard, so the composer stays in sight. */
    padding-bottom: var(--charla-workspace-keyboard-inset, 0px);
  }
  .pane {
    display: flex;
    flex-direction: column;
    min-width: 0;
    min-height: 0;
    background: var(--charla-color-surface, #fff);
  }
  ::slotted(*) {
    flex: 1 1 auto;
    min-width: 0;
    min-height: 0;
  }
  .inbox {
    border-right: 1px solid var(--charla-color-border, #d9dee5);
  }
  .panel {
    border-left: 1px solid var(--charla-color-border, #d9dee5);
  }
  .bar,
  .backdrop {
    display: none;
  }
  .bar {
    flex: none;
    align-items: center;
    justify-content: space-between;
    gap: var(--charla-space-s, 8px);
    padding: 2px var(--charla-space-s, 8px);
    background: var(--charla-color-surface, #fff);
    border-bottom: 1px solid var(--charla-color-border, #d9dee5);
  }
  .bar button {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    min-height: 36px;
    padding: 4px 10px;
    border: 0;
    border-radius: var(--charla-radius-m, 8px);
    background: none;
    color: var(--charla-color-primary, #1f6feb);
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }
  .bar button span {
    font-size: 20px;
    line-height: 1;
  }
  .bar button:hover {
    background: var(--charla-color-primary-soft, #e7f0ff);
  }
  .bar button:focus-visible {
    outline: 2px solid var(--charla-color-focus, #1f6feb);
    outline-offset: -2px;
  }
  /* Medium shows inbox and thread together: the thread needs no way back. */
  .thread .back {
    visibility: hidden;
  }
  .backdrop {
    position: absolute;
    inset: 0;
    z-index: 2;
    background: rgb(16 24 40 / 40%);
  }

  /* Medium: the inbox and the thread side by side, the contact panel a sheet over the thread. */
  @container charla-workspace (width < ${WIDE}px) {
    .layout {
      grid-template-columns: var(--charla-workspace-inbox-width, minmax(260px, 320px)) minmax(0, 1fr);
    }
    .bar {
      display: flex;
    }
    .panel {
      position: absolute;
      top: 0;
      right: 0;
      bottom: var(--charla-workspace-keyboard-inset, 0px);
      z-index: 3;
      width: min(400px, 92%);
      border-left: 0;
      box-shadow: var(--charla-shadow-m, 0 4px 16px rgb(16 24 40 / 12%));
      transform: translateX(100%);
      visibility: hidden;
      transition: transform 180ms ease-out, visibility 0s 180ms;
    }
    :host([pane='panel']) .panel {
      transform: none;
      visibility: visible;
      transition: transform 180ms ease-out;
    }
    :host([pane='panel']) .backdrop {
      display: block;
    }
    /* No conversation is open yet: nothing to show a contact of. */
    :host([pane='inbox']) .thread .bar {
      display: none;
    }
  }

  /* Narrow (a phone): one pane at a time; the contact panel a sheet rising over the thread. */
  @container charla-workspace (width < ${NARROW}px) {
    ${onePane}
  }
  /* A phone on its side: wide enough for two panes, too short for either; one at a time as well. */
  @media (height < ${SHORT}px) {
    @container charla-workspace (width < ${WIDE}px) {
      ${onePane}
      .panel {
        top: var(--charla-space-s, 8px);
      }
    }
  }

  .sheet-bar {
    border-radius: inherit;
  }

  @media (pointer: coarse) {
    .bar button {
      min-height: 44px;
      min-width: 44px;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .panel {
      transition: none !important;
    }
  }
`;
