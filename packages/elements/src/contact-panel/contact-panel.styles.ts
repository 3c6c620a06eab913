import { css } from 'lit';

export const contactPanelStyles = css`
  :host {
    --charla-chip-background: var(--charla-color-primary-soft, #e7f0ff);
    display: block;
    min-width: 0;
    height: 100%;
    overflow-y: auto;
    background: var(--charla-contact-panel-background, var(--charla-color-surface, #fff));
    border-left: 1px solid var(--charla-color-border, #d9dee5);
  }
  [part='header'] {
    display: grid;
    justify-items: center;
    gap: 4px;
    padding: var(--charla-space-xl, 24px) var(--charla-space-l, 16px) var(--charla-space-l, 16px);
    text-align: center;
    border-bottom: 1px solid var(--charla-color-border, #d9dee5);
  }
  [part='header'] .avatar {
    width: 56px;
    height: 56px;
    font-size: 20px;
  }
  .name {
    margin: 6px 0 0;
    font-size: var(--charla-font-size-l, 16px);
    font-weight: 700;
  }
  .company {
    color: var(--charla-color-text-muted, #5b6777);
  }
  [part~='section'],
  ::slotted([slot='section']) {
    display: block;
    padding: var(--charla-space-m, 12px) var(--charla-space-l, 16px);
    border-bottom: 1px solid var(--charla-color-border, #d9dee5);
  }
  h3 {
    margin: 0 0 8px;
    font-size: var(--charla-font-size-s, 12px);
    font-weight: 600;
    letter-spacing: 0.04em;
    text-transform: uppercase;
    color: var(--charla-color-text-muted, #5b6777);
  }
  dl {
    display: grid;
    grid-template-columns: auto minmax(0, 1fr);
    gap: 6px 12px;
    margin: 0;
    align-items: center;
  }
  dt {
    color: var(--charla-color-text-muted, #5b6777);
  }
  dd {
    margin: 0;
    min-width: 0;
    overflow-wrap: anywhere;
  }
  .field {
    display: flex;
    gap: 4px;
    align-items: center;
  }
  .field input {
    flex: 1;
  }
  .field input[aria-invalid='true'] {
    border-color: var(--charla-color-danger, #c62828);
  }
  .value-button {
    flex: 1;
    min-width: 0;
    padding: 2px 4px;
    margin: -2px -4px;
    border: 0;
    border-radius: var(--charla-radius-s, 4px);
    background: none;
    color: inherit;
    font: inherit;
    text-align: left;
    cursor: text;
  }
  .value-button:hover {
    background: var(--charla-color-surface-raised, #f6f8fa);
  }
  .empty {
    color: var(--charla-color-text-muted, #5b6777);
    font-style: italic;
  }
  .error {
    margin: 4px 0 0;
    color: var(--charla-color-danger, #c62828);
    font-size: var(--charla-font-size-s, 12px);
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 6px;
  }
  .identity {
    display: flex;
    gap: 8px;
    align-items: center;
    min-width: 0;
  }
  .identity .handle {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .verified {
    color: var(--charla-color-success, #1a7f37);
    font-size: var(--charla-font-size-s, 12px);
  }
  .money {
    display: grid;
    grid-template-columns: 1fr 1fr;
    gap: 8px;
  }
  .money div {
    padding: 8px 10px;
    border-radius: var(--charla-radius-m, 8px);
    background: var(--charla-color-surface-raised, #f6f8fa);
  }
  .money strong {
    display: block;
    font-size: var(--charla-font-size-l, 16px);
  }
  .money span {
    color: var(--charla-color-text-muted, #5b6777);
    font-size: var(--charla-font-size-s, 12px);
  }
  .item {
    display: flex;
    justify-content: space-between;
    gap: 8px;
  }
  .section-head {
    display: flex;
    align-items: baseline;
    justify-content: space-between;
    gap: 8px;
    margin-bottom: 8px;
  }
  .section-head h3 {
    margin: 0;
  }
  .item.deal {
    align-items: center;
  }
  .item.deal > span:first-child {
    flex: 1;
    min-width: 0;
    overflow-wrap: anywhere;
  }
  .row-actions {
    display: inline-flex;
    flex: none;
  }
  button.icon {
    min-width: 32px;
    min-height: 32px;
    padding: 0 6px;
    border: 0;
    border-radius: var(--charla-radius-s, 4px);
    background: transparent;
    color: var(--charla-color-text-muted, #5b6777);
    font: inherit;
    cursor: pointer;
  }
  button.icon:hover {
    background: var(--charla-color-surface-sunken, #eef1f5);
    color: var(--charla-color-text, #1c2430);
  }
  button.icon:focus-visible {
    outline: 2px solid var(--charla-color-focus, #1f6feb);
  }
  .consent {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 4px 8px;
  }
  .consent .muted,
  .item .muted {
    color: var(--charla-color-text-muted, #5b6777);
    font-size: var(--charla-font-size-s, 12px);
  }
  .overdue {
    color: var(--charla-color-danger, #c62828);
  }
  .note {
    padding: 8px 10px;
    border-radius: var(--charla-radius-m, 8px);
    background: var(--charla-color-note, #fff6d6);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .note footer {
    margin-top: 4px;
    color: var(--charla-color-text-muted, #5b6777);
    font-size: 11px;
  }
  textarea {
    width: 100%;
    min-height: 56px;
    padding: 8px;
    border: 1px solid var(--charla-color-border, #d9dee5);
    border-radius: var(--charla-radius-m, 8px);
    background: var(--charla-color-surface, #fff);
    color: inherit;
    font: inherit;
    resize: vertical;
  }

  .chips {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    align-items: center;
  }



  h3.sub {
    margin-top: 12px;
  }
  .attribute {
    display: flex;
    justify-content: space-between;
    gap: 4px;
  }
  .attribute-form {
    display: grid;
    grid-template-columns: 1fr 1fr auto;
    gap: 4px;
    margin-top: 8px;
  }
  .muted-text {
    margin: 0 0 8px;
    color: var(--charla-color-text-muted, #5b6777);
    font-size: var(--charla-font-size-s, 12px);
  }
  .search {
    width: 100%;
    padding: 6px 8px;
    margin-bottom: 8px;
    border: 1px solid var(--charla-color-border, #d9dee5);
    border-radius: var(--charla-radius-m, 8px);
    background: var(--charla-color-surface, #fff);
    color: inherit;
    font: inherit;
  }
  .results {
    margin-bottom: 8px;
  }
  .result {
    display: grid;
    width: 100%;
    padding: 6px 8px;
    border: 1px solid var(--charla-color-border, #d9dee5);
    border-radius: var(--charla-radius-m, 8px);
    background: var(--charla-color-surface, #fff);
    color: inherit;
    font: inherit;
    text-align: left;
    cursor: pointer;
  }
  .result span {
    color: var(--charla-color-text-muted, #5b6777);
    font-size: var(--charla-font-size-s, 12px);
  }
  .preview {
    margin-bottom: 8px;
    padding: 8px 10px;
    border-radius: var(--charla-radius-m, 8px);
    background: var(--charla-color-surface-raised, #f6f8fa);
  }
  .preview p {
    margin: 0 0 6px;
  }
  .preview h4 {
    margin: 8px 0 4px;
    font-size: var(--charla-font-size-s, 12px);
    font-weight: 600;
  }
  .conflicts {
    margin-bottom: 8px;
  }
  .conflict {
    padding-left: 8px;
    border-left: 2px solid var(--charla-color-warning, #b26a00);
    font-size: var(--charla-font-size-s, 12px);
    overflow-wrap: anywhere;
  }
  .duplicate,
  .merge-record {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    align-items: center;
    gap: 4px 8px;
  }
  .duplicate .muted,
  .merge-record .muted {
    color: var(--charla-color-text-muted, #5b6777);
    font-size: var(--charla-font-size-s, 12px);
  }
  .duplicate .actions {
    display: flex;
    gap: 4px;
  }
  button.danger {
    border-color: var(--charla-color-danger, #c62828);
    color: var(--charla-color-danger, #c62828);
  }
  .privacy-actions {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
  }
  .erase-confirm {
    margin-top: 8px;
    padding: 10px;
    border: 1px solid var(--charla-color-danger, #c62828);
    border-radius: var(--charla-radius-m, 8px);
    background: var(--charla-color-danger-soft, #fde7e7);
  }
  .erase-confirm p {
    margin: 0 0 8px;
  }
  .erase-confirm .check {
    display: flex;
    align-items: flex-start;
    gap: 6px;
    margin-bottom: 8px;
  }
  .state {
    padding: var(--charla-space-xl, 24px);
    text-align: center;
    color: var(--charla-color-text-muted, #5b6777);
  }
  :focus-visible {
    outline: 2px solid var(--charla-color-focus, #1f6feb);
    outline-offset: 1px;
  }

  /* Touch screens: every button, link, field and chip a finger acts on at least 44 × 44 px. */
  @media (pointer: coarse) {
    button,
    a[href],
    summary,
    select,
    input:not([type='checkbox']):not([type='radio']),
    label:has(> input[type='checkbox']),
    label:has(> input[type='radio']) {
      min-height: 44px;
    }
    button,
    button.icon,
    a[href],
    summary {
      min-width: 44px;
    }
    button.icon {
      min-height: 44px;
    }
    .value-button {
      margin-block: 0;
    }
    label:has(> input[type='checkbox']),
    label:has(> input[type='radio']) {
      display: flex;
      align-items: center;
    }
  }
`;
