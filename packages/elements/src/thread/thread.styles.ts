import { css } from 'lit';

export const threadStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-height: 0;
    height: 100%;
    background: var(--charla-thread-background, var(--charla-color-surface-raised, #f6f8fa));
  }
  [part='header'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--charla-space-m, 12px);
    padding: var(--charla-space-m, 12px) var(--charla-space-l, 16px);
    background: var(--charla-color-surface, #fff);
    border-bottom: 1px solid var(--charla-color-border, #d9dee5);
  }
  .who {
    flex: 1 1 12em;
    min-width: 0;
    display: grid;
  }
  .who strong {
    font-size: var(--charla-font-size-l, 16px);
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .who > span {
    display: flex;
    gap: 6px;
    align-items: center;
    color: var(--charla-color-text-muted, #5b6777);
    font-size: var(--charla-font-size-s, 12px);
  }
  .status-pill {
    padding: 1px 8px;
    border-radius: 10px;
    background: var(--charla-color-surface-sunken, #eef1f5);
  }
  .status-pill[data-status='open'] {
    background: #dafbe1;
    color: #116329;
  }
  .log-wrap {
    position: relative;
    flex: 1;
    min-height: 0;
    display: flex;
  }
  [part='log'] {
    flex: 1;
    min-height: 0;
    overflow-y: auto;
    overflow-anchor: none;
    padding: var(--charla-space-s, 8px) var(--charla-space-l, 16px);
    outline: none;
  }
  [part='log']:focus-visible {
    box-shadow: inset 0 0 0 2px var(--charla-color-focus, #1f6feb);
  }
  .rows {
    position: relative;
    width: 100%;
  }
  .row {
    position: absolute;
    top: 0;
    left: 0;
    width: 100%;
    display: flex;
    flex-direction: column;
    padding: 3px 0;
  }
  .load-older {
    display: block;
    margin: 4px auto 8px;
  }
  [part='jump'] {
    position: absolute;
    right: var(--charla-space-l, 16px);
    bottom: var(--charla-space-m, 12px);
    padding: 6px 12px;
    border: 1px solid var(--charla-color-border, #d9dee5);
    border-radius: 16px;
    background: var(--charla-color-surface, #fff);
    color: var(--charla-color-primary, #1f6feb);
    box-shadow: var(--charla-shadow-m, 0 4px 16px rgb(16 24 40 / 12%));
    font: inherit;
    font-size: var(--charla-font-size-s, 12px);
    font-weight: 600;
    cursor: pointer;
  }
  [part='typing'] {
    min-height: 22px;
    padding: 2px var(--charla-space-l, 16px);
    display: flex;
    align-items: center;
    gap: 6px;
    color: var(--charla-color-text-muted, #5b6777);
    font-size: var(--charla-font-size-s, 12px);
  }
  .dots {
    display: inline-flex;
    gap: 3px;
  }
  .dots i {
    width: 5px;
    height: 5px;
    border-radius: 50%;
    background: currentColor;
    animation: blink 1.2s infinite ease-in-out;
  }
  .dots i:nth-child(2) {
    animation-delay: 0.2s;
  }
  .dots i:nth-child(3) {
    animation-delay: 0.4s;
  }
  @keyframes blink {
    0%, 80%, 100% { opacity: 0.25; }
    40% { opacity: 1; }
  }
  @media (prefers-reduced-motion: reduce) {
    .dots i { animation: none; }
  }
  .unread-marker {
    display: flex;
    width: 100%;
    align-items: center;
    gap: 8px;
    margin: 6px 0;
    color: var(--charla-color-danger, #c62828);
    font-size: var(--charla-font-size-s, 12px);
    font-weight: 600;
  }
  .unread-marker::before,
  .unread-marker::after {
    content: '';
    flex: 1;
    border-top: 1px solid currentColor;
    opacity: 0.5;
  }
  [part='actions'] {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    align-items: center;
    justify-content: flex-end;
    margin-left: auto;
  }
  [part='actions'] select {
    max-width: 11em;
    padding: 5px 6px;
    border-radius: var(--charla-radius-m, 8px);
  }
  button.small-primary {
    padding: 6px 12px;
    font-size: var(--charla-font-size-s, 12px);
  }
  [part='labels'] {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    align-items: center;
    padding: 6px var(--charla-space-l, 16px);
    background: var(--charla-color-surface, #fff);
    border-bottom: 1px solid var(--charla-color-border, #d9dee5);
  }



  .action-error {
    margin: 0;
    padding: 4px var(--charla-space-l, 16px);
    background: var(--charla-color-surface, #fff);
  }
  .media {
    display: block;
    max-width: 260px;
    max-height: 220px;
    border-radius: var(--charla-radius-m, 8px);
  }
  .caption {
    display: block;
    margin-top: 4px;
  }
  .subject {
    display: block;
    margin-bottom: 4px;
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .email-frame {
    display: block;
    width: min(560px, 100%);
    min-width: min(260px, 100%);
    height: 12rem;
    border: 1px solid var(--charla-color-border, #d7dde5);
    border-radius: var(--charla-radius-m, 8px);
    background: #fff;
    resize: vertical;
    overflow: auto;
  }
  .email-toggle {
    display: inline-block;
    margin-top: 4px;
    padding: 2px 0;
    border: 0;
    background: none;
    color: inherit;
    font: inherit;
    font-size: 0.85em;
    text-decoration: underline;
    cursor: pointer;
  }
  .email-toggle:focus-visible {
    outline: 2px solid var(--charla-color-focus, #1f6feb);
    outline-offset: 2px;
  }
  .attachments {
    display: grid;
    gap: 2px;
    margin-top: 6px;
    overflow-wrap: anywhere;
  }
  .kind,
  .muted {
    color: inherit;
    opacity: 0.8;
  }
  .card {
    display: grid;
  }
  .link-card {
    margin-top: 6px;
    padding: 8px 10px;
    gap: 2px;
    border: 1px solid currentColor;
    border-radius: var(--charla-radius-m, 8px);
    text-decoration: none;
    overflow-wrap: anywhere;
  }
  .action-error button {
    margin-left: 8px;
  }
  [part~='bubble'] a {
    color: inherit;
  }
  .day {
    align-self: center;
    width: max-content;
    margin: var(--charla-space-s, 8px) 0;
    padding: 2px 10px;
    border-radius: 10px;
    background: var(--charla-color-surface-sunken, #eef1f5);
    color: var(--charla-color-text-muted, #5b6777);
    font-size: var(--charla-font-size-s, 12px);
  }
  [part~='message'] {
    max-width: min(72%, 560px);
    display: grid;
    gap: 2px;
  }
  [part~='message'][data-direction='in'] {
    align-self: flex-start;
  }
  [part~='message'][data-direction='out'] {
    align-self: flex-end;
    justify-items: end;
  }
  .sender {
    font-size: var(--charla-font-size-s, 12px);
    color: var(--charla-color-text-muted, #5b6777);
    padding: 0 4px;
  }
  [part~='bubble'] {
    padding: 8px 12px;
    border-radius: var(--charla-radius-l, 14px);
    background: var(--charla-color-bubble-in, #fff);
    border: 1px solid var(--charla-color-border, #d9dee5);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    line-height: 1.4;
  }
  [data-direction='in'] [part~='bubble'] {
    background: var(--charla-color-surface, #fff);
    border-bottom-left-radius: var(--charla-radius-s, 4px);
  }
  [data-direction='out'] [part~='bubble'] {
    background: var(--charla-color-bubble-out, #1f6feb);
    border-color: transparent;
    color: var(--charla-color-bubble-out-text, #fff);
    border-bottom-right-radius: var(--charla-radius-s, 4px);
  }
  [data-revealed] [part~='bubble'] {
    box-shadow: 0 0 0 3px var(--charla-color-focus, #1f6feb);
    transition: box-shadow 0.2s;
  }
  [data-revealed]:focus {
    outline: none;
  }
  [data-private] [part~='bubble'] {
    background: var(--charla-color-note, #fff6d6);
    border: 1px dashed var(--charla-color-note-border, #f0d675);
    color: var(--charla-color-text, #1c2430);
  }
  [data-kind='system'] {
    align-self: center !important;
    max-width: 90%;
  }
  [data-kind='system'] [part~='bubble'] {
    background: none !important;
    border: 0 !important;
    padding: 2px 8px;
    color: var(--charla-color-text-muted, #5b6777) !important;
    font-size: var(--charla-font-size-s, 12px);
    text-align: center;
  }
  .meta {
    display: flex;
    gap: 6px;
    align-items: center;
    padding: 0 4px;
    font-size: 11px;
    color: var(--charla-color-text-muted, #5b6777);
  }
  .tick[data-status='read'] {
    color: var(--charla-color-primary, #1f6feb);
  }
  .tick[data-status='failed'],
  .failed {
    color: var(--charla-color-danger, #c62828);
    font-weight: 600;
  }
  .note-tag {
    font-weight: 600;
    color: var(--charla-color-warning, #8a5c00);
  }
  [part='composer'] {
    display: grid;
    gap: var(--charla-space-s, 8px);
    padding: var(--charla-space-m, 12px) var(--charla-space-l, 16px);
    background: var(--charla-color-surface, #fff);
    border-top: 1px solid var(--charla-color-border, #d9dee5);
  }
  [part='composer'][data-mode='note'] {
    background: var(--charla-color-note, #fff6d6);
  }
  .modes {
    display: flex;
    gap: 4px;
  }
  .modes button {
    padding: 4px 10px;
    border: 1px solid var(--charla-color-border, #d9dee5);
    border-radius: 14px;
    background: var(--charla-color-surface, #fff);
    color: var(--charla-color-text-muted, #5b6777);
    font: inherit;
    font-size: var(--charla-font-size-s, 12px);
    cursor: pointer;
  }
  .modes button[aria-pressed='true'] {
    background: var(--charla-color-text, #1c2430);
    border-color: var(--charla-color-text, #1c2430);
    color: var(--charla-color-surface, #fff);
  }
  [part='suggestions'] {
    list-style: none;
    margin: 0;
    padding: 4px;
    max-height: 220px;
    overflow-y: auto;
    border: 1px solid var(--charla-color-border, #d9dee5);
    border-radius: var(--charla-radius-m, 8px);
    background: var(--charla-color-surface, #fff);
    box-shadow: var(--charla-shadow-m, 0 4px 16px rgb(16 24 40 / 12%));
  }
  [part='suggestions'][hidden] {
    display: none;
  }
  [part='suggestions'] li {
    display: flex;
    gap: 8px;
    padding: 6px 8px;
    border-radius: var(--charla-radius-s, 4px);
    cursor: pointer;
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
  }
  [part='suggestions'] li span {
    color: var(--charla-color-text-muted, #5b6777);
    overflow: hidden;
    text-overflow: ellipsis;
  }
  [part='suggestions'] li[aria-selected='true'] {
    background: var(--charla-color-primary-soft, #e7f0ff);
  }
  .menu-wrap {
    position: relative;
  }
  .menu {
    position: absolute;
    right: 0;
    top: calc(100% + 4px);
    z-index: 5;
    display: grid;
    min-width: 220px;
    padding: 4px;
    border: 1px solid var(--charla-color-border, #d9dee5);
    border-radius: var(--charla-radius-m, 8px);
    background: var(--charla-color-surface, #fff);
    box-shadow: var(--charla-shadow-m, 0 4px 16px rgb(16 24 40 / 12%));
  }
  .deal-form {
    gap: 8px;
    padding: 10px;
    min-width: 260px;
  }
  .deal-form label {
    display: grid;
    gap: 2px;
    font-size: var(--charla-font-size-s, 12px);
    color: var(--charla-color-text-muted, #5b6777);
  }
  .deal-money {
    display: grid;
    grid-template-columns: 2fr 1fr;
    gap: 6px;
  }
  .menu-item {
    padding: 6px 10px;
    border: 0;
    border-radius: var(--charla-radius-s, 4px);
    background: none;
    color: var(--charla-color-text, #1c2430);
    font: inherit;
    text-align: left;
    cursor: pointer;
  }
  .menu-item:hover,
  .menu-item:focus-visible {
    background: var(--charla-color-surface-raised, #f6f8fa);
  }
  .menu-item.custom {
    display: grid;
    gap: 4px;
    cursor: default;
    color: var(--charla-color-text-muted, #5b6777);
    font-size: var(--charla-font-size-s, 12px);
  }
  .window-closed {
    margin: 0;
    padding: 8px 10px;
    border-radius: var(--charla-radius-m, 8px);
    background: var(--charla-color-surface-sunken, #eef1f5);
    font-size: var(--charla-font-size-s, 12px);
  }
  .template-form,
  .email-fields {
    display: grid;
    gap: 6px;
  }
  .template-form label,
  .email-fields label {
    display: grid;
    grid-template-columns: 7em 1fr;
    align-items: center;
    gap: 8px;
    font-size: var(--charla-font-size-s, 12px);
    color: var(--charla-color-text-muted, #5b6777);
  }
  .email-files {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px;
  }
  .email-fields label.attach {
    position: relative;
    display: inline-flex;
    align-items: center;
    padding: 2px 10px;
    border: 1px dashed var(--charla-color-border, #d7dde5);
    border-radius: 999px;
    color: var(--charla-color-text, #1c2430);
    cursor: pointer;
  }
  .email-fields label.attach:focus-within {
    outline: 2px solid var(--charla-color-focus, #1f6feb);
    outline-offset: 1px;
  }
  .attach input {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    opacity: 0;
    cursor: pointer;
  }
  .email-files .chip {
    display: inline-flex;
    align-items: center;
    gap: 2px;
    padding: 0 2px 0 10px;
    border-radius: 999px;
    background: var(--charla-color-primary-soft, #e7f0ff);
    font-size: var(--charla-font-size-s, 12px);
    overflow-wrap: anywhere;
  }
  .email-files .chip button {
    min-width: 24px;
    min-height: 24px;
    border: 0;
    background: none;
    color: inherit;
    font: inherit;
    cursor: pointer;
  }
  .template-preview {
    margin: 0;
    padding: 8px 12px;
    border-radius: var(--charla-radius-l, 14px);
    background: var(--charla-color-primary-soft, #e7f0ff);
    white-space: pre-wrap;
  }
  .template-form button {
    justify-self: end;
  }
  .composer-row {
    display: flex;
    gap: var(--charla-space-s, 8px);
    align-items: flex-end;
  }
  textarea {
    flex: 1;
    min-height: 42px;
    max-height: 160px;
    resize: vertical;
    padding: 10px 12px;
    border: 1px solid var(--charla-color-border, #d9dee5);
    border-radius: var(--charla-radius-m, 8px);
    background: var(--charla-color-surface, #fff);
    color: inherit;
    font: inherit;
    line-height: 1.4;
  }
  button.primary {
    padding: 10px 16px;
    border: 0;
    border-radius: var(--charla-radius-m, 8px);
    background: var(--charla-color-primary, #1f6feb);
    color: var(--charla-color-primary-text, #fff);
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }
  button.primary:disabled {
    opacity: 0.5;
    cursor: default;
  }
  button.secondary,
  button.small {
    padding: 6px 12px;
    border: 1px solid var(--charla-color-border, #d9dee5);
    border-radius: var(--charla-radius-m, 8px);
    background: var(--charla-color-surface, #fff);
    color: var(--charla-color-text, #1c2430);
    font: inherit;
    cursor: pointer;
  }
  button.small {
    padding: 1px 8px;
    font-size: 11px;
  }
  .hint {
    font-size: var(--charla-font-size-s, 12px);
    color: var(--charla-color-text-muted, #5b6777);
  }
  .hint.error {
    color: var(--charla-color-danger, #c62828);
  }
  .state {
    margin: auto;
    padding: var(--charla-space-xl, 24px);
    text-align: center;
    color: var(--charla-color-text-muted, #5b6777);
  }
  :focus-visible {
    outline: 2px solid var(--charla-color-focus, #1f6feb);
    outline-offset: 1px;
  }

  /* The "More" menu of the less used actions. */
  .more-menu {
    max-height: min(70vh, 480px);
    overflow-y: auto;
  }
  .more-menu[hidden] {
    display: none;
  }
  .menu-heading {
    display: block;
    padding: 6px 10px 2px;
    color: var(--charla-color-text-muted, #5b6777);
    font-size: 11px;
    font-weight: 600;
    letter-spacing: 0.04em;
    text-transform: uppercase;
  }
  .menu [role='group'] {
    display: grid;
  }
  .menu [role='separator'] {
    height: 1px;
    margin: 4px 0;
    background: var(--charla-color-border, #d9dee5);
  }
  .menu-item .check {
    display: inline-block;
    width: 1.4em;
    color: var(--charla-color-primary, #1f6feb);
  }
  .menu-item[role='menuitem'] {
    padding-left: calc(10px + 1.4em);
  }
  .menu-item:focus {
    background: var(--charla-color-primary-soft, #e7f0ff);
    outline: none;
  }

  /* A narrow thread (a phone): the header's actions take one row under the contact, and the
     menus open across the header instead of past the screen's edge. */
  :host {
    container: charla-thread / inline-size;
  }
  @container charla-thread (width < 560px) {
    [part='header'] {
      position: relative;
      gap: var(--charla-space-s, 8px);
      padding: var(--charla-space-s, 8px) var(--charla-space-m, 12px);
    }
    /* The actions join the header's rows: resolve beside the name, the rest on the row below. */
    [part='actions'] {
      display: contents;
    }
    [part='actions'] > * {
      order: 2;
    }
    [part='actions'] > .primary {
      order: 1;
    }
    /* The line break between the two rows. */
    [part='header']::after {
      content: '';
      order: 1;
      flex-basis: 100%;
      height: 0;
      margin-top: calc(-1 * var(--charla-space-s, 8px));
    }
    /* Wide enough for "Sin asignar" or a first name: the row wraps before the name is cut. */
    [part='actions'] select {
      flex: 1 1 9em;
      min-width: min(9em, 100%);
      max-width: 16em;
    }
    .modes {
      flex-wrap: wrap;
      align-items: center;
    }
    .modes button {
      flex: none;
    }
    .modes .hint {
      order: 3;
      flex-basis: 100%;
    }
    .menu-wrap {
      position: static;
    }
    .menu {
      left: var(--charla-space-m, 12px);
      right: var(--charla-space-m, 12px);
      min-width: 0;
    }
    [part~='message'] {
      max-width: 85%;
    }
    [part='composer'] {
      padding: var(--charla-space-s, 8px) var(--charla-space-m, 12px);
    }
  }

  /* A short window (a phone on its side): the reply modes beside the text box and a tighter header,
     so the room goes to the messages. */
  @media (height < 500px) {
    [part='header'] {
      padding-block: 6px;
    }
    [part='composer'] {
      grid-template-columns: auto minmax(0, 1fr);
      align-items: end;
      gap: 6px var(--charla-space-s, 8px);
      padding-block: 6px;
    }
    [part='composer'] > * {
      grid-column: 1 / -1;
    }
    [part='composer'] > .modes {
      order: 1;
      grid-column: 1;
      flex-wrap: wrap;
      align-items: center;
      max-width: 22rem;
    }
    /* The modes' buttons on one row, the hint (the reply window) under them. */
    [part='composer'] > .modes .hint {
      order: 3;
      flex-basis: 100%;
    }
    [part='composer'] > .composer-row {
      order: 1;
      grid-column: 2;
    }
    [part='composer'] > .error {
      order: 2;
    }
    textarea {
      max-height: 96px;
    }
  }

  /* Touch screens: every control at least 44 px high. */
  @media (pointer: coarse) {
    [part='actions'] button,
    [part='actions'] select,
    .menu-item,
    .modes button,
    button.primary,
    button.secondary,
    .load-older,
    [part='jump'] {
      min-height: 44px;
    }
    .modes button,
    .chip-remove {
      min-width: 44px;
    }
  }
`;
