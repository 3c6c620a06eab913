import { css } from 'lit';

export const inboxStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-width: 0;
    min-height: 0;
    height: 100%;
    background: var(--charla-inbox-background, var(--charla-color-surface, #fff));
    border-right: 1px solid var(--charla-color-border, #d9dee5);
  }
  [part='header'] {
    padding: var(--charla-space-m, 12px) var(--charla-space-m, 12px) 0;
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: var(--charla-space-s, 8px);
    border-bottom: 1px solid var(--charla-color-border, #d9dee5);
  }
  [part='search'] {
    width: 100%;
  }
  [part='tabs'] {
    display: flex;
    flex-wrap: wrap;
    column-gap: 2px;
  }
  [part~='tab'] {
    flex: none;
    display: inline-flex;
    align-items: center;
    gap: 5px;
    padding: 7px 7px;
    border: 0;
    border-bottom: 2px solid transparent;
    background: none;
    color: var(--charla-color-text-muted, #5b6777);
    font: inherit;
    font-weight: 500;
    cursor: pointer;
  }
  [part~='tab'][aria-selected='true'] {
    color: var(--charla-color-primary, #1f6feb);
    border-bottom-color: currentColor;
  }
  .count {
    min-width: 18px;
    padding: 0 5px;
    border-radius: 10px;
    background: var(--charla-color-surface-sunken, #eef1f5);
    color: var(--charla-color-text-muted, #5b6777);
    font-size: var(--charla-font-size-s, 12px);
    text-align: center;
  }
  [part='filters'] {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    padding-bottom: var(--charla-space-s, 8px);
  }
  [part='filters'] select {
    flex: 1 1 28%;
    padding: 3px 6px;
  }
  [part='list'] {
    flex: 1;
    min-height: 0;
    overflow-y: auto;
    outline: none;
    padding: 4px 0;
    contain: strict;
  }
  .rows {
    position: relative;
    width: 100%;
  }
  .rows > [part~='row'] {
    position: absolute;
    top: 0;
    left: 6px;
    right: 6px;
    height: var(--charla-inbox-row-height, 84px);
    overflow: hidden;
    contain: layout paint;
  }
  [part='list']:focus-visible {
    box-shadow: inset 0 0 0 2px var(--charla-color-focus, #1f6feb);
  }
  [part~='row'] {
    display: grid;
    grid-template-columns: auto minmax(0, 1fr) auto;
    grid-template-rows: repeat(3, auto);
    align-content: center;
    gap: 2px 10px;
    align-items: center;
    padding: 10px;
    border-radius: var(--charla-radius-m, 8px);
    cursor: pointer;
  }
  /* A host's row content (renderRow) fills the row box; Charla's grid is for its own content. */
  [part~='row'][data-custom] {
    display: flex;
    align-items: center;
    gap: 10px;
  }
  [part~='row']:hover {
    background: var(--charla-color-surface-raised, #f6f8fa);
  }
  [part='list']:focus-visible [part~='row'][data-active] {
    box-shadow: inset 0 0 0 2px var(--charla-color-focus, #1f6feb);
  }
  [part~='row'][aria-selected='true'] {
    background: var(--charla-color-primary-soft, #e7f0ff);
  }
  .avatar-wrap {
    position: relative;
    grid-row: span 3;
    align-self: start;
  }
  .avatar-wrap .channel {
    position: absolute;
    right: -7px;
    bottom: -5px;
    min-width: 16px;
    height: 14px;
    font-size: 8px;
    box-shadow: 0 0 0 2px var(--charla-color-surface, #fff);
  }
  .name {
    font-weight: 600;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  [data-unread] .name,
  [data-unread] .preview {
    color: var(--charla-color-text, #1c2430);
    font-weight: 700;
  }
  .time {
    color: var(--charla-color-text-muted, #5b6777);
    font-size: var(--charla-font-size-s, 12px);
    white-space: nowrap;
  }
  .preview {
    grid-column: 2;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    color: var(--charla-color-text-muted, #5b6777);
  }
  .unread {
    grid-column: 3;
    justify-self: end;
    min-width: 20px;
    padding: 1px 6px;
    border-radius: 10px;
    background: var(--charla-color-primary, #1f6feb);
    color: var(--charla-color-primary-text, #fff);
    font-size: var(--charla-font-size-s, 12px);
    font-weight: 600;
    text-align: center;
  }
  .meta {
    grid-column: 2 / span 2;
    display: flex;
    flex-wrap: nowrap;
    overflow: hidden;
    white-space: nowrap;
    gap: 6px;
    align-items: center;
    font-size: var(--charla-font-size-s, 12px);
    color: var(--charla-color-text-muted, #5b6777);
  }
  .sla {
    padding: 0 6px;
    border-radius: var(--charla-radius-s, 4px);
    font-weight: 600;
  }
  .sla[data-state='soon'] {
    background: #fff1cc;
    color: #7a4f00;
  }
  .sla[data-state='breached'] {
    background: var(--charla-color-danger-soft, #fde7e7);
    color: var(--charla-color-danger, #c62828);
  }
  /* Every piece of the line is whole or absent: only the assignee shortens, with an ellipsis. */
  .meta > * {
    flex: none;
  }
  .meta > .assignee {
    flex: 0 1 auto;
    min-width: 3em;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .meta > .label:not(.more) {
    flex: 0 1 auto;
    min-width: 3em;
    max-width: 12em;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .waiting {
    color: var(--charla-color-warning, #8a5c00);
    font-weight: 500;
  }
  .label,
  .priority {
    padding: 0 6px;
    border-radius: var(--charla-radius-s, 4px);
    background: var(--charla-color-surface-sunken, #eef1f5);
  }
  .priority[data-priority='urgent'],
  .priority[data-priority='high'] {
    background: var(--charla-color-danger-soft, #fde7e7);
    color: var(--charla-color-danger, #c62828);
  }
  .state {
    padding: var(--charla-space-xl, 24px) var(--charla-space-l, 16px);
    text-align: center;
    color: var(--charla-color-text-muted, #5b6777);
  }
  .skeleton {
    height: 64px;
    margin: 6px 12px;
    border-radius: var(--charla-radius-m, 8px);
    background: linear-gradient(90deg, var(--charla-color-surface-sunken, #eef1f5), var(--charla-color-surface-raised, #f6f8fa), var(--charla-color-surface-sunken, #eef1f5));
    background-size: 200% 100%;
    animation: shimmer 1.2s linear infinite;
  }
  @keyframes shimmer {
    to {
      background-position: -200% 0;
    }
  }
  button.link {
    border: 1px solid var(--charla-color-border, #d9dee5);
    border-radius: var(--charla-radius-m, 8px);
    background: var(--charla-color-surface, #fff);
    color: var(--charla-color-primary, #1f6feb);
    padding: 6px 12px;
    font: inherit;
    cursor: pointer;
  }
  :focus-visible {
    outline: 2px solid var(--charla-color-focus, #1f6feb);
    outline-offset: 1px;
  }
  /* A short window (a phone on its side): the filters in one row that scrolls sideways, leaving height for the list. */
  @media (height < 500px) {
    [part='filters'] {
      flex-wrap: nowrap;
      overflow-x: auto;
      scrollbar-width: none;
    }
    [part='filters'] select {
      flex: 1 0 auto;
    }
    [part='tabs'] {
      flex-wrap: nowrap;
      overflow-x: auto;
      scrollbar-width: none;
    }
  }
  /* Touch screens: the search, tabs and filters at least 44 px high (rows already are). */
  @media (pointer: coarse) {
    [part='search'],
    [part~='tab'],
    [part='filters'] select,
    button.link {
      min-height: 44px;
    }
    /* One row of tabs that scrolls sideways rather than two rows of tall ones. */
    [part='tabs'] {
      flex-wrap: nowrap;
      overflow-x: auto;
      scrollbar-width: none;
    }
  }
`;
