import { css } from 'lit';

/** The look of the shared editing dialogs (deal, task): a native modal `<dialog>` holding one form. */
export const dialogStyles = css`
  :host {
    display: contents;
  }
  dialog {
    width: min(440px, calc(100vw - 24px));
    max-height: calc(100dvh - 24px);
    padding: 0;
    border: 1px solid var(--charla-color-border, #d9dee5);
    border-radius: var(--charla-radius-l, 14px);
    background: var(--charla-color-surface, #fff);
    color: var(--charla-color-text, #1c2430);
    box-shadow: var(--charla-shadow-m, 0 4px 16px rgb(16 24 40 / 12%));
    font: inherit;
  }
  dialog::backdrop {
    background: rgb(13 17 23 / 45%);
  }
  form {
    display: grid;
    gap: var(--charla-space-m, 12px);
    padding: var(--charla-space-l, 16px);
  }
  h2 {
    margin: 0;
    font-size: var(--charla-font-size-l, 16px);
    overflow-wrap: anywhere;
  }
  .row {
    display: grid;
    grid-template-columns: 1fr 1fr;
    gap: var(--charla-space-m, 12px);
  }
  @media (max-width: 420px) {
    .row {
      grid-template-columns: 1fr;
    }
  }
  .field {
    display: grid;
    gap: 4px;
    min-width: 0;
  }
  .field > label,
  legend {
    font-size: var(--charla-font-size-s, 12px);
    font-weight: 600;
    color: var(--charla-color-text-muted, #5b6777);
  }
  input,
  select {
    min-width: 0;
    min-height: 40px;
    padding: 6px 10px;
    border: 1px solid var(--charla-color-border, #d9dee5);
    border-radius: var(--charla-radius-s, 4px);
    background: var(--charla-color-surface, #fff);
    color: var(--charla-color-text, #1c2430);
    font: inherit;
    color-scheme: inherit;
  }
  input[type='checkbox'] {
    min-height: 0;
    width: 18px;
    height: 18px;
    margin: 0;
  }
  input:focus-visible,
  select:focus-visible,
  button:focus-visible {
    outline: 2px solid var(--charla-color-focus, #1f6feb);
    outline-offset: 1px;
  }
  [aria-invalid='true'] {
    border-color: var(--charla-color-danger, #c62828);
  }
  .error {
    margin: 0;
    font-size: var(--charla-font-size-s, 12px);
    color: var(--charla-color-danger, #c62828);
  }
  .alert {
    margin: 0;
    padding: 8px 10px;
    border-radius: var(--charla-radius-s, 4px);
    background: var(--charla-color-danger-soft, #fde7e7);
    color: var(--charla-color-text, #1c2430);
    overflow-wrap: anywhere;
  }
  fieldset {
    display: grid;
    gap: 6px;
    margin: 0;
    padding: 0;
    border: 0;
  }
  .check {
    display: flex;
    align-items: center;
    gap: 8px;
    min-height: 32px;
    overflow-wrap: anywhere;
  }
  .buttons {
    display: flex;
    justify-content: flex-end;
    gap: var(--charla-space-s, 8px);
  }
  .buttons button {
    min-height: 40px;
    padding: 6px 16px;
    border: 1px solid var(--charla-color-border, #d9dee5);
    border-radius: var(--charla-radius-m, 8px);
    background: var(--charla-color-surface, #fff);
    color: var(--charla-color-text, #1c2430);
    font: inherit;
    cursor: pointer;
  }
  .buttons button[type='submit'] {
    border-color: var(--charla-color-primary, #1f6feb);
    background: var(--charla-color-primary, #1f6feb);
    color: var(--charla-color-primary-text, #fff);
    font-weight: 600;
  }
  .buttons button:disabled {
    opacity: 0.7;
    cursor: progress;
  }
`;
