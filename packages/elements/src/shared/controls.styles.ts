import { css } from 'lit';

/** Form controls, chips and small buttons shared by the agent views, so they look alike everywhere. */
export const controlStyles = css`
  .control {
    min-width: 0;
    padding: 4px 8px;
    border: 1px solid var(--charla-color-border, #d9dee5);
    border-radius: var(--charla-radius-s, 4px);
    background: var(--charla-color-surface, #fff);
    color: var(--charla-color-text, #1c2430);
    font: inherit;
    font-size: var(--charla-font-size-s, 12px);
  }
  /* The search box atop a list (inbox, contacts, companies); each view sets its width. */
  .search-field {
    padding: 8px 10px;
    border: 1px solid var(--charla-color-border, #d9dee5);
    border-radius: var(--charla-radius-m, 8px);
    background: var(--charla-color-surface-raised, #f6f8fa);
    color: inherit;
    font: inherit;
  }
  .chip {
    display: inline-flex;
    align-items: center;
    gap: 2px;
    padding: 1px 4px 1px 8px;
    border-radius: 10px;
    background: var(--charla-chip-background, var(--charla-color-surface-sunken, #eef1f5));
    font-size: var(--charla-font-size-s, 12px);
  }
  .chip-remove {
    padding: 0 4px;
    border: 0;
    background: none;
    color: var(--charla-color-text-muted, #5b6777);
    font: inherit;
    cursor: pointer;
  }
  .chip-input {
    width: 10em;
    padding: 2px 6px;
    border: 1px dashed var(--charla-color-border, #d9dee5);
    border-radius: 10px;
    background: transparent;
    color: inherit;
    font: inherit;
    font-size: var(--charla-font-size-s, 12px);
  }
  button.small {
    padding: 4px 10px;
    border: 1px solid var(--charla-color-border, #d9dee5);
    border-radius: var(--charla-radius-m, 8px);
    background: var(--charla-color-surface, #fff);
    color: var(--charla-color-text, #1c2430);
    font: inherit;
    font-size: var(--charla-font-size-s, 12px);
    cursor: pointer;
  }
`;
