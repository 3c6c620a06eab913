import { css } from 'lit';

export const broadcastsStyles = css`
  :host {
    display: block;
    container-type: inline-size;
    min-width: 0;
    height: 100%;
    overflow: auto;
    background: var(--charla-broadcasts-background, var(--charla-color-surface, #fff));
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
  h2 {
    margin: 0;
    font-size: var(--charla-font-size-l, 17px);
    flex: 1 1 auto;
  }
  h3 {
    margin: 0;
    font-size: var(--charla-font-size-m, 14px);
  }
  .state,
  .message,
  .offline {
    margin: var(--charla-space-m, 12px);
  }
  .offline {
    padding: 6px 10px;
    border-radius: var(--charla-radius-s, 4px);
    background: var(--charla-color-warning-surface, #fff4d6);
  }
  .message[data-kind='error'] {
    color: var(--charla-color-danger, #b3261e);
  }
  .muted {
    color: var(--charla-color-text-muted, #5b6777);
    font-size: var(--charla-font-size-s, 12px);
  }
  button.primary {
    min-height: 36px;
    padding: 6px 14px;
    border: 0;
    border-radius: var(--charla-radius-m, 8px);
    background: var(--charla-color-primary, #1a56db);
    color: var(--charla-color-on-primary, #fff);
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }
  button.primary:disabled {
    opacity: 0.6;
    cursor: default;
  }
  button.link {
    border: 0;
    background: none;
    padding: 4px 0;
    color: var(--charla-color-primary, #1a56db);
    font: inherit;
    cursor: pointer;
    min-height: 32px;
  }
  button.danger {
    color: var(--charla-color-danger, #b3261e);
  }
  [part='list'] {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  [part='list'] li + li {
    border-top: 1px solid var(--charla-color-border, #d9dee5);
  }
  button.row {
    display: grid;
    gap: 4px;
    width: 100%;
    padding: var(--charla-space-m, 12px);
    border: 0;
    background: none;
    color: inherit;
    font: inherit;
    text-align: start;
    cursor: pointer;
  }
  button.row:hover,
  button.row:focus-visible {
    background: var(--charla-color-hover, #f3f5f8);
  }
  .title {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
  }
  .badge {
    display: inline-block;
    padding: 1px 8px;
    border-radius: 999px;
    font-size: var(--charla-font-size-s, 12px);
    background: var(--charla-color-surface-alt, #eef1f5);
    color: var(--charla-color-text, #1c2430);
    white-space: nowrap;
  }
  .badge[data-state='sending'],
  .badge[data-status='sent'],
  .badge[data-status='sending'] {
    background: #e0ecff;
    color: #123f9c;
  }
  .badge[data-state='done'],
  .badge[data-status='delivered'],
  .badge[data-status='read'] {
    background: #dcf3e4;
    color: #14532d;
  }
  .badge[data-status='replied'] {
    background: #ede4ff;
    color: #4c1d95;
  }
  .badge[data-state='canceled'],
  .badge[data-status='failed'] {
    background: #fde2e1;
    color: #8a1c15;
  }
  [part='counts'] {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 16px;
    margin: 0;
  }
  button.row [part='counts'] {
    font-size: var(--charla-font-size-s, 12px);
  }
  .bubble ~ [part='counts'] {
    margin: 0 var(--charla-space-m, 12px);
  }
  [part='counts'] div {
    display: flex;
    gap: 4px;
  }
  [part='counts'] dt {
    color: var(--charla-color-text-muted, #5b6777);
  }
  [part='counts'] dd {
    margin: 0;
    font-weight: 600;
    font-variant-numeric: tabular-nums;
  }
  [part='composer'] {
    display: grid;
    gap: var(--charla-space-m, 12px);
    padding: var(--charla-space-m, 12px);
    max-width: 40rem;
  }
  [part='composer'] label,
  .field {
    display: grid;
    gap: 4px;
    font-size: var(--charla-font-size-s, 12px);
    color: var(--charla-color-text-muted, #5b6777);
  }
  [part='composer'] .control {
    min-height: 36px;
    font-size: var(--charla-font-size-m, 14px);
    color: var(--charla-color-text, #1c2430);
  }
  fieldset {
    display: grid;
    gap: 8px;
    margin: 0;
    padding: 8px 12px 12px;
    border: 1px solid var(--charla-color-border, #d9dee5);
    border-radius: var(--charla-radius-m, 8px);
  }
  legend {
    font-size: var(--charla-font-size-s, 12px);
    font-weight: 600;
  }
  label.inline {
    display: flex;
    align-items: center;
    gap: 6px;
    min-height: 32px;
    color: var(--charla-color-text, #1c2430);
    font-size: var(--charla-font-size-m, 14px);
  }
  @container (min-width: 560px) {
    fieldset.parameter {
      grid-template-columns: 1fr 1fr;
    }
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
  }
  [part='preview'] {
    margin: 0 var(--charla-space-m, 12px) var(--charla-space-m, 12px);
    max-width: 40rem;
  }
  .bubble {
    margin: var(--charla-space-m, 12px);
    max-width: 32rem;
    padding: 10px 12px;
    border-radius: 12px 12px 12px 2px;
    background: var(--charla-broadcasts-bubble-background, #e7f7e1);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  [part='preview'] .bubble {
    margin: 8px 0;
  }
  .skipped {
    margin: 8px 0 0;
    padding: 0;
    list-style: none;
    max-height: 12rem;
    overflow: auto;
  }
  .skipped li {
    display: flex;
    justify-content: space-between;
    gap: 8px;
    padding: 4px 0;
    border-top: 1px solid var(--charla-color-border, #d9dee5);
  }
  .recipients-head {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 8px;
    margin: var(--charla-space-m, 12px);
  }
  [part='recipients'] {
    width: calc(100% - 2 * var(--charla-space-m, 12px));
    margin: 0 var(--charla-space-m, 12px);
    border-collapse: collapse;
    font-size: var(--charla-font-size-s, 13px);
  }
  [part='recipients'] th,
  [part='recipients'] td {
    padding: 6px 8px;
    text-align: start;
    border-bottom: 1px solid var(--charla-color-border, #d9dee5);
    overflow-wrap: anywhere;
  }
  @container (max-width: 480px) {
    [part='recipients'] th:nth-child(2),
    [part='recipients'] td:nth-child(2) {
      display: none;
    }
  }
  [data-action='more'] {
    margin: var(--charla-space-m, 12px);
  }
`;
