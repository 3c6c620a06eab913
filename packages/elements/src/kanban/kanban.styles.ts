import { css } from 'lit';

export const kanbanStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-width: 0;
    max-width: 100%;
    min-height: 0;
    height: 100%;
    background: var(--charla-kanban-background, var(--charla-color-surface-sunken, #eef1f5));
    color: var(--charla-color-text, #1c2430);
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: var(--charla-space-m, 12px);
    padding: var(--charla-space-m, 12px) var(--charla-space-l, 16px);
    background: var(--charla-color-surface, #fff);
    border-bottom: 1px solid var(--charla-color-border, #d9dee5);
  }
  .field {
    display: grid;
    gap: 2px;
    font-size: var(--charla-font-size-s, 12px);
    color: var(--charla-color-text-muted, #5b6777);
  }
  select,
  .search {
    font: inherit;
    font-size: var(--charla-font-size-m, 14px);
    color: var(--charla-color-text, #1c2430);
    background: var(--charla-color-surface-raised, #f6f8fa);
    border: 1px solid var(--charla-color-border, #d9dee5);
    border-radius: var(--charla-radius-m, 8px);
    padding: 6px 10px;
    min-height: 34px;
  }
  .search {
    flex: 1 1 200px;
    max-width: 320px;
  }
  select:focus-visible,
  .search:focus-visible,
  .card:focus-visible {
    outline: 2px solid var(--charla-color-focus, #1f6feb);
    outline-offset: 2px;
  }
  .board {
    flex: 1;
    min-height: 0;
    display: flex;
    gap: var(--charla-space-m, 12px);
    padding: var(--charla-space-m, 12px) var(--charla-space-l, 16px);
    /* The board scrolls inside itself, never the page: a visible scrollbar, columns snap to its start. */
    overflow-x: auto;
    overscroll-behavior-x: contain;
    scroll-snap-type: x proximity;
    scroll-padding-inline: var(--charla-space-l, 16px);
    scrollbar-width: auto;
    scrollbar-color: var(--charla-color-text-muted, #5b6777) transparent;
    align-items: stretch;
  }
  .column {
    flex: 0 0 var(--charla-kanban-column-width, 272px);
    /* Long words in a card (a host's card included) never widen their column. */
    min-width: 0;
    scroll-snap-align: start;
    display: flex;
    flex-direction: column;
    min-height: 0;
    background: var(--charla-color-surface-raised, #f6f8fa);
    border: 1px solid var(--charla-color-border, #d9dee5);
    border-radius: var(--charla-radius-l, 14px);
    transition: box-shadow 120ms, border-color 120ms;
  }
  .column.over {
    border-color: var(--charla-color-primary, #1f6feb);
    box-shadow: 0 0 0 2px var(--charla-color-primary-soft, #e7f0ff);
  }
  .column.won .column-header h3 {
    color: var(--charla-color-success, #1a7f37);
  }
  .column.lost .column-header h3 {
    color: var(--charla-color-text-muted, #5b6777);
  }
  .column-header {
    display: grid;
    grid-template-columns: 1fr auto;
    gap: 2px var(--charla-space-s, 8px);
    padding: var(--charla-space-m, 12px);
    border-bottom: 1px solid var(--charla-color-border, #d9dee5);
  }
  .column-header h3 {
    grid-column: 1 / -1;
    margin: 0;
    font-size: var(--charla-font-size-m, 14px);
    font-weight: 650;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .count {
    grid-row: 2;
    grid-column: 2;
    text-align: right;
  }
  .age {
    grid-column: 1 / -1;
  }
  .count,
  .age {
    font-size: var(--charla-font-size-s, 12px);
    color: var(--charla-color-text-muted, #5b6777);
    white-space: nowrap;
  }
  .totals {
    grid-row: 2;
    grid-column: 1;
    display: flex;
    flex-wrap: wrap;
    gap: 0 var(--charla-space-s, 8px);
    font-weight: 600;
    font-variant-numeric: tabular-nums;
  }
  .cards {
    flex: 1;
    min-height: 80px;
    overflow-y: auto;
    padding: var(--charla-space-s, 8px);
    display: flex;
    flex-direction: column;
    gap: 8px;
  }
  .spacer {
    position: relative;
    flex: none;
    width: 100%;
  }
  .item {
    position: relative;
  }
  .item .title {
    padding-right: 28px;
  }
  .edit {
    position: absolute;
    top: 4px;
    right: 4px;
    width: 32px;
    height: 32px;
    border: 0;
    border-radius: var(--charla-radius-s, 4px);
    background: transparent;
    color: var(--charla-color-text-muted, #5b6777);
    font: inherit;
    font-size: 16px;
    cursor: pointer;
  }
  .edit:hover {
    background: var(--charla-color-surface-sunken, #eef1f5);
    color: var(--charla-color-text, #1c2430);
  }
  .edit:focus-visible {
    outline: 2px solid var(--charla-color-focus, #1f6feb);
    outline-offset: 0;
  }
  .amount.none {
    font-weight: 400;
    color: var(--charla-color-text-muted, #5b6777);
  }
  .item.positioned {
    position: absolute;
    top: 0;
    left: 0;
    right: 0;
  }
  .card {
    height: var(--charla-kanban-card-height, 104px);
    display: grid;
    grid-template-rows: auto auto 1fr auto;
    gap: 2px;
    padding: 10px 12px;
    background: var(--charla-color-surface, #fff);
    border: 1px solid var(--charla-color-border, #d9dee5);
    border-left: 4px solid transparent;
    border-radius: var(--charla-radius-m, 8px);
    box-shadow: var(--charla-shadow-s, 0 1px 2px rgb(16 24 40 / 8%));
    cursor: grab;
    user-select: none;
    touch-action: none;
  }
  /* A host's card content (renderCard) fills the card; the ✎ button keeps the top-right corner. */
  .card[data-custom] {
    display: block;
    overflow: hidden;
    overflow-wrap: anywhere;
    padding-right: 40px;
  }
  .card:hover {
    border-color: var(--charla-color-primary, #1f6feb);
    border-left-color: inherit;
  }
  .card.stalled {
    border-left-color: var(--charla-kanban-stalled-color, var(--charla-color-warning, #8a5c00));
  }
  .card.picked {
    box-shadow: var(--charla-shadow-m, 0 4px 16px rgb(16 24 40 / 12%));
    border-color: var(--charla-color-primary, #1f6feb);
    transform: rotate(-1.5deg);
  }
  .card.dragging {
    opacity: 0.4;
  }
  .title {
    font-weight: 600;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .contact,
  .days {
    font-size: var(--charla-font-size-s, 12px);
    color: var(--charla-color-text-muted, #5b6777);
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .meta,
  .foot {
    display: flex;
    align-items: center;
    gap: 6px;
    min-width: 0;
  }
  .foot {
    justify-content: space-between;
  }
  .amount {
    font-variant-numeric: tabular-nums;
    font-weight: 600;
    margin-right: auto;
  }
  .badge {
    font-size: 11px;
    font-weight: 600;
    border-radius: 999px;
    padding: 1px 8px;
    white-space: nowrap;
  }
  .stalled-badge {
    color: var(--charla-color-surface, #fff);
    background: var(--charla-kanban-stalled-color, var(--charla-color-warning, #8a5c00));
  }
  .tasks {
    color: var(--charla-color-primary-text, #fff);
    background: var(--charla-color-primary, #1f6feb);
  }
  .initials {
    display: inline-grid;
    place-items: center;
    width: 22px;
    height: 22px;
    border-radius: 50%;
    font-size: 10px;
    font-weight: 700;
    color: #fff;
    background: hsl(var(--avatar-hue, 210) 45% 30%);
  }
  .empty,
  .placeholder {
    margin: var(--charla-space-m, 12px);
    color: var(--charla-color-text-muted, #5b6777);
    font-size: var(--charla-font-size-s, 12px);
    text-align: center;
  }
  .ghost {
    position: fixed;
    z-index: 10;
    pointer-events: none;
    max-width: 240px;
    padding: 8px 12px;
    border-radius: var(--charla-radius-m, 8px);
    background: var(--charla-color-surface, #fff);
    border: 1px solid var(--charla-color-primary, #1f6feb);
    box-shadow: var(--charla-shadow-m, 0 4px 16px rgb(16 24 40 / 12%));
    font-weight: 600;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  /* Narrow (a phone): one stage at a time, turned with the buttons, ←/→ or a swipe. */
  .stage-nav {
    display: flex;
    align-items: center;
    gap: var(--charla-space-s, 8px);
    padding: 6px var(--charla-space-m, 12px);
    background: var(--charla-color-surface, #fff);
    border-bottom: 1px solid var(--charla-color-border, #d9dee5);
  }
  .stage-indicator {
    flex: 1;
    min-width: 0;
    overflow: hidden;
    text-align: center;
    text-overflow: ellipsis;
    white-space: nowrap;
    font-weight: 600;
  }
  .stage-turn {
    display: inline-grid;
    place-items: center;
    min-width: 40px;
    min-height: 40px;
    border: 1px solid var(--charla-color-border, #d9dee5);
    border-radius: var(--charla-radius-m, 8px);
    background: var(--charla-color-surface, #fff);
    color: var(--charla-color-text, #1c2430);
    font: inherit;
    font-size: 22px;
    line-height: 1;
    cursor: pointer;
  }
  .stage-turn[aria-disabled='true'] {
    color: var(--charla-color-text-muted, #5b6777);
    opacity: 0.5;
    cursor: default;
  }
  .stage-turn:focus-visible {
    outline: 2px solid var(--charla-color-focus, #1f6feb);
    outline-offset: 2px;
  }
  .board.paged {
    overflow-x: hidden;
    scroll-snap-type: none;
    padding: var(--charla-space-s, 8px) var(--charla-space-m, 12px);
    touch-action: pan-y;
  }
  .board.paged .column {
    display: none;
    flex: 1 1 auto;
    min-width: 0;
  }
  .board.paged .column.current {
    display: flex;
  }
  .board.paged .card {
    cursor: pointer;
    touch-action: pan-y;
  }
  .board.paged .item .title {
    padding-right: 64px;
  }
  .board.paged .card[data-custom] {
    padding-right: 76px;
  }
  .move {
    position: absolute;
    top: 4px;
    right: 40px;
    display: grid;
    place-items: center;
    width: 32px;
    height: 32px;
    border-radius: var(--charla-radius-s, 4px);
    color: var(--charla-color-text-muted, #5b6777);
    font-size: 16px;
  }
  .move:hover {
    background: var(--charla-color-surface-sunken, #eef1f5);
    color: var(--charla-color-text, #1c2430);
  }
  .move:focus-within {
    outline: 2px solid var(--charla-color-focus, #1f6feb);
  }
  /* The native picker opens on tap; only its icon shows. */
  .move select {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    min-height: 0;
    padding: 0;
    opacity: 0;
    cursor: pointer;
  }
  @media (pointer: coarse) {
    .stage-turn,
    .edit {
      min-width: 44px;
      min-height: 44px;
    }
    .move {
      right: 48px;
      width: 44px;
      height: 44px;
    }
    .board.paged .item .title {
      padding-right: 88px;
    }
    select,
    .search {
      min-height: 44px;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .column,
    .card {
      transition: none;
    }
    .card.picked {
      transform: none;
    }
  }
`;
