import { css } from 'lit';

export const contactsStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    container-type: inline-size;
    min-width: 0;
    min-height: 0;
    height: 100%;
    background: var(--charla-contacts-background, var(--charla-color-surface, #fff));
    color: var(--charla-color-text, #1c2430);
  }
  [part='header'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--charla-space-s, 8px);
    padding: var(--charla-space-m, 12px);
    border-bottom: 1px solid var(--charla-color-border, #d9dee5);
  }
  [part='search'] {
    flex: 1 1 14em;
    min-width: 0;
  }
  [part='header'] .control {
    min-height: 34px;
  }
  input.control[type='number'] {
    width: 7em;
  }
  input.control[type='text'] {
    width: 8em;
  }
  .total {
    margin-left: auto;
    font-size: var(--charla-font-size-s, 12px);
    color: var(--charla-color-text-muted, #5b6777);
  }
  [part='bulk-bar'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--charla-space-s, 8px);
    padding: var(--charla-space-s, 8px) var(--charla-space-m, 12px);
    background: var(--charla-contacts-bulk-background, var(--charla-color-primary-soft, #e8f0fe));
    border-bottom: 1px solid var(--charla-color-border, #d9dee5);
    font-size: var(--charla-font-size-s, 12px);
  }
  [part='bulk-bar'] strong {
    margin-right: 4px;
  }
  button.link {
    padding: 0;
    border: 0;
    background: none;
    /* The bar's tinted background needs a link darker than the primary to stay readable (4.5:1). */
    color: var(--charla-contacts-link-color, var(--charla-color-text, #1c2430));
    font: inherit;
    text-decoration: underline;
    cursor: pointer;
  }
  .message {
    padding: 4px var(--charla-space-m, 12px);
    font-size: var(--charla-font-size-s, 12px);
  }
  .message[data-kind='error'] {
    color: var(--charla-color-danger, #c62828);
  }
  .state {
    margin: 0;
    padding: var(--charla-space-l, 24px) var(--charla-space-m, 12px);
    text-align: center;
    color: var(--charla-color-text-muted, #5b6777);
  }
  .offline {
    padding: 6px var(--charla-space-m, 12px);
    background: var(--charla-color-warning-soft, #fff4e5);
    font-size: var(--charla-font-size-s, 12px);
  }
  [part='table'] {
    position: relative;
    flex: 1 1 auto;
    min-height: 0;
    overflow: auto;
    outline: none;
    contain: strict;
  }
  [part='table']:focus-visible {
    box-shadow: inset 0 0 0 2px var(--charla-color-focus, #1f6feb);
  }
  .grid-row {
    display: grid;
    align-items: center;
    min-width: max-content;
    height: var(--charla-contacts-row-height, 48px);
    box-sizing: border-box;
    border-bottom: 1px solid var(--charla-color-border-subtle, #edf0f3);
  }
  [part='head'] {
    position: sticky;
    top: 0;
    z-index: 2;
    background: var(--charla-color-surface-raised, #f6f8fa);
    font-size: var(--charla-font-size-s, 12px);
    font-weight: 600;
    color: var(--charla-color-text-muted, #5b6777);
    height: 40px;
  }
  .rows {
    position: relative;
    width: 100%;
  }
  [part~='row'] {
    position: absolute;
    top: 0;
    left: 0;
    min-width: 100%;
    cursor: pointer;
    background: var(--charla-color-surface, #fff);
  }
  [part~='row']:hover,
  [part~='row'][data-active] {
    background: var(--charla-color-surface-raised, #f6f8fa);
  }
  [part~='row'][aria-selected='true'] {
    background: var(--charla-contacts-selected-background, var(--charla-color-primary-soft, #e8f0fe));
  }
  [part~='row'][data-active] {
    box-shadow: inset 2px 0 0 var(--charla-color-primary, #1f6feb);
  }
  .cell {
    min-width: 0;
    padding: 0 8px;
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
    font-size: var(--charla-font-size-m, 14px);
  }
  .cell.check,
  .cell.name {
    position: sticky;
    z-index: 1;
    background: inherit;
  }
  .cell.check {
    left: 0;
    display: flex;
    justify-content: center;
    padding: 0;
  }
  .cell.name {
    left: 40px;
    display: flex;
    align-items: center;
    gap: 8px;
    font-weight: 600;
  }
  .cell.number {
    text-align: right;
    font-variant-numeric: tabular-nums;
  }
  .cell.muted {
    color: var(--charla-color-text-muted, #5b6777);
  }
  .cell .chip + .chip {
    margin-left: 4px;
  }
  .sort {
    all: unset;
    cursor: pointer;
    display: inline-flex;
    gap: 4px;
    align-items: center;
  }
  .sort:focus-visible {
    outline: 2px solid var(--charla-color-focus, #1f6feb);
    outline-offset: 2px;
    border-radius: 4px;
  }
  .skeleton {
    height: 12px;
    width: 60%;
    border-radius: 6px;
    background: var(--charla-color-surface-sunken, #eef1f5);
  }
  .avatar {
    width: 28px;
    height: 28px;
    font-size: 11px;
  }
  @media (pointer: coarse) {
    .grid-row {
      height: var(--charla-contacts-row-height, 52px);
    }
    .cell.check input {
      width: 22px;
      height: 22px;
    }
    [part='bulk-bar'] button,
    [part='header'] .control {
      min-height: 44px;
    }
  }
  /* Narrow hosts (phones): filters and bulk actions each on one row that scrolls sideways, so the table keeps the room. */
  @container (max-width: 700px) {
    [part='header'],
    [part='bulk-bar'] {
      flex-wrap: nowrap;
      overflow-x: auto;
      padding-block: var(--charla-space-s, 8px);
    }
    [part='header'] > *,
    [part='filters'] > *,
    [part='bulk-bar'] > * {
      flex: none;
    }
    [part='search'] {
      width: 12em;
    }
    .total {
      margin-left: 0;
    }
  }
`;
