import { css } from 'lit';

/**
 * The dark palette, applied by `dark` (or `dark="auto"` on a dark system). Global `--charla-color-*`
 * surface and text tokens describe the page's own theme, so an explicit dark widget skips them;
 * the brand color still comes from them.
 */
const darkTokens = css`
  --_surface: var(--charla-webchat-surface, #17181c);
  --_surface-alt: var(--charla-webchat-surface-alt, #272930);
  --_text: var(--charla-webchat-text, #f3f4f6);
  --_text-muted: var(--charla-webchat-text-muted, #a1a7b3);
  --_border: var(--charla-webchat-border, #30333a);
  --_danger: var(--charla-webchat-danger, #f87171);
  --_warning-surface: #3b2f0d;
  --_warning-text: #fcd34d;
  color-scheme: dark;
`;

export const webchatStyles = css`
  :host {
    --_primary: var(--charla-webchat-primary, var(--charla-color-primary, #4f46e5));
    --_on-primary: var(--charla-webchat-on-primary, var(--charla-color-primary-text, #fff));
    --_surface: var(--charla-webchat-surface, var(--charla-color-surface, #fff));
    --_surface-alt: var(--charla-webchat-surface-alt, var(--charla-color-surface-sunken, #f1f3f6));
    --_text: var(--charla-webchat-text, var(--charla-color-text, #16181d));
    --_text-muted: var(--charla-webchat-text-muted, var(--charla-color-text-muted, #626875));
    --_border: var(--charla-webchat-border, var(--charla-color-border, #e4e7ec));
    --_danger: var(--charla-webchat-danger, var(--charla-color-danger, #c62828));
    --_warning-surface: #fef3c7;
    --_warning-text: #7c4a03;
    --_radius: var(--charla-webchat-radius, var(--charla-radius-l, 16px));
    --_bubble-radius: var(--charla-webchat-bubble-radius, 18px);
    --_font: var(--charla-webchat-font, var(--charla-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif));
    --_shadow: var(--charla-webchat-shadow, 0 16px 48px rgb(15 18 30 / 0.18), 0 2px 8px rgb(15 18 30 / 0.08));

    display: block;
    height: var(--charla-webchat-height, 100%);
    min-height: 0;
    color-scheme: light;
  }
  :host([dark]:not([dark='auto'])) {
    ${darkTokens}
  }
  @media (prefers-color-scheme: dark) {
    :host([dark='auto']) {
      ${darkTokens}
    }
  }
  :host([hidden]) {
    display: none;
  }

  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }

  button {
    font: inherit;
    cursor: pointer;
  }
  button:focus-visible,
  [tabindex]:focus-visible {
    outline: 2px solid var(--_primary);
    outline-offset: 2px;
  }

  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }

  .base {
    position: relative;
    display: flex;
    flex-direction: column;
    height: 100%;
    overflow: hidden;
    background: var(--_surface);
    color: var(--_text);
    font: 14px/1.45 var(--_font);
    border-radius: var(--_radius);
    box-shadow: var(--_shadow);
    -webkit-font-smoothing: antialiased;
  }

  /* ------------------------------------------------------------ header */

  .header {
    display: flex;
    align-items: center;
    gap: 12px;
    padding: 14px 12px 14px 18px;
    background: var(--_primary);
    color: var(--_on-primary);
  }
  .avatar {
    flex: none;
    display: grid;
    place-items: center;
    width: 40px;
    height: 40px;
    border-radius: 50%;
    background: var(--_on-primary);
    color: var(--_primary);
    font-size: 15px;
    font-weight: 600;
    letter-spacing: 0.02em;
  }
  .heading {
    flex: 1;
    min-width: 0;
  }
  .title {
    margin: 0;
    font-size: 16px;
    font-weight: 650;
    line-height: 1.3;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .subtitle {
    margin: 2px 0 0;
    font-size: 13px;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .icon-button {
    flex: none;
    display: grid;
    place-items: center;
    width: 36px;
    height: 36px;
    padding: 0;
    border: 0;
    border-radius: 50%;
    background: transparent;
    color: inherit;
  }
  .icon-button:hover {
    background: rgb(255 255 255 / 0.16);
  }
  .header .icon-button:focus-visible {
    outline-color: var(--_on-primary);
    outline-offset: -2px;
  }

  /* ------------------------------------------------------------ banner */

  .banner {
    display: flex;
    align-items: flex-start;
    gap: 8px;
    padding: 9px 16px;
    background: var(--_warning-surface);
    color: var(--_warning-text);
    font-size: 13px;
    line-height: 1.35;
  }
  .banner:empty {
    display: none;
  }
  .banner svg {
    flex: none;
    margin-top: 1px;
  }

  /* ------------------------------------------------------------ log */

  .log-area {
    position: relative;
    flex: 1;
    min-height: 0;
    display: flex;
  }
  .log {
    flex: 1;
    display: flex;
    flex-direction: column;
    gap: 3px;
    padding: 16px 16px 12px;
    overflow-y: auto;
    overscroll-behavior: contain;
  }
  .log:focus-visible {
    outline-offset: -2px;
  }

  .load-more {
    align-self: center;
    margin: 0 0 8px;
    padding: 6px 14px;
    border: 1px solid var(--_border);
    border-radius: 999px;
    background: var(--_surface);
    color: var(--_text);
    font-size: 13px;
  }
  .load-more:hover {
    background: var(--_surface-alt);
  }

  .day {
    align-self: center;
    margin: 14px 0 6px;
    color: var(--_text-muted);
    font-size: 12px;
    font-weight: 500;
  }

  .message {
    display: flex;
    flex-direction: column;
    max-width: 82%;
  }
  .message.first {
    margin-top: 10px;
  }
  .message.first:first-child,
  .day + .message.first {
    margin-top: 0;
  }
  .theirs {
    align-self: flex-start;
    align-items: flex-start;
  }
  .mine {
    align-self: flex-end;
    align-items: flex-end;
  }
  .system {
    align-self: center;
    max-width: 90%;
    margin: 8px 0;
    color: var(--_text-muted);
    font-size: 12px;
    text-align: center;
  }

  .sender {
    margin: 0 0 4px 12px;
    color: var(--_text-muted);
    font-size: 12px;
    font-weight: 500;
  }

  .bubble {
    padding: 9px 14px;
    border-radius: var(--_bubble-radius);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .link-card {
    display: block;
    margin-top: 8px;
    padding: 8px 12px;
    border-radius: 10px;
    background: var(--_primary);
    color: var(--_on-primary);
    font-weight: 600;
    text-align: center;
    text-decoration: none;
  }
  .theirs .bubble {
    background: var(--charla-webchat-agent-bubble, var(--_surface-alt));
    color: var(--charla-webchat-agent-bubble-text, var(--_text));
  }
  .mine .bubble {
    background: var(--charla-webchat-visitor-bubble, var(--_primary));
    color: var(--charla-webchat-visitor-bubble-text, var(--_on-primary));
  }
  .theirs.last .bubble {
    border-bottom-left-radius: 6px;
  }
  .mine.last .bubble {
    border-bottom-right-radius: 6px;
  }
  .bubble a {
    color: inherit;
    text-decoration: underline;
    text-underline-offset: 2px;
  }
  .system .bubble {
    padding: 0;
  }

  .meta {
    display: flex;
    align-items: center;
    gap: 4px;
    margin: 4px 6px 2px;
    color: var(--_text-muted);
    font-size: 11px;
    line-height: 1;
  }
  .status {
    display: inline-flex;
    align-items: center;
    gap: 3px;
  }
  .status.read {
    color: var(--_primary);
  }
  .failed .meta {
    color: var(--_danger);
    font-weight: 500;
  }
  .actions {
    display: flex;
    gap: 4px;
    margin: 2px 0 4px;
  }
  .text-button {
    min-height: 28px;
    padding: 4px 10px;
    border: 1px solid var(--_border);
    border-radius: 999px;
    background: var(--_surface);
    color: var(--_text);
    font-size: 12px;
    font-weight: 500;
  }
  .text-button:hover {
    background: var(--_surface-alt);
  }
  .text-button.primary {
    border-color: transparent;
    background: var(--_primary);
    color: var(--_on-primary);
  }

  .new-messages {
    position: absolute;
    bottom: 12px;
    left: 50%;
    display: inline-flex;
    align-items: center;
    gap: 6px;
    padding: 7px 14px;
    border: 0;
    border-radius: 999px;
    background: var(--_primary);
    color: var(--_on-primary);
    font-size: 13px;
    font-weight: 500;
    box-shadow: 0 4px 14px rgb(15 18 30 / 0.2);
    transform: translateX(-50%);
  }

  .skeleton {
    display: flex;
    flex-direction: column;
    gap: 10px;
  }
  .skeleton span {
    height: 38px;
    width: 62%;
    border-radius: var(--_bubble-radius);
    background: linear-gradient(90deg, var(--_surface-alt) 30%, var(--_border) 50%, var(--_surface-alt) 70%) 0 0 / 300% 100%;
    animation: shimmer 1.4s ease-in-out infinite;
  }
  .skeleton span:nth-child(2) {
    align-self: flex-end;
    width: 44%;
  }
  .skeleton span:nth-child(3) {
    width: 74%;
    height: 58px;
  }
  @keyframes shimmer {
    from {
      background-position: 100% 0;
    }
    to {
      background-position: 0 0;
    }
  }

  .load-error {
    display: flex;
    align-items: center;
    justify-content: center;
    flex-wrap: wrap;
    gap: 8px;
    margin: 8px 0;
    color: var(--_danger);
    font-size: 13px;
  }

  .unavailable {
    flex: 1;
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: 4px;
    padding: 32px;
    color: var(--_text-muted);
    text-align: center;
  }
  .unavailable h3 {
    margin: 12px 0 0;
    color: var(--_text);
    font-size: 16px;
    font-weight: 600;
  }
  .unavailable p {
    margin: 0;
    max-width: 28ch;
  }

  /* ------------------------------------------------------------ composer */

  .composer {
    display: flex;
    align-items: flex-end;
    gap: 8px;
    padding: 10px 12px 12px;
    border-top: 1px solid var(--_border);
    background: var(--_surface);
  }
  .field {
    flex: 1;
    display: flex;
    flex-direction: column;
    min-width: 0;
  }
  textarea {
    display: block;
    width: 100%;
    max-height: 132px;
    margin: 0;
    padding: 10px 14px;
    border: 1px solid transparent;
    border-radius: 20px;
    background: var(--_surface-alt);
    color: var(--_text);
    font: inherit;
    line-height: 20px;
    resize: none;
    outline: none;
  }
  textarea::placeholder {
    color: var(--_text-muted);
  }
  textarea:focus-visible {
    border-color: var(--_primary);
    background: var(--_surface);
  }
  .counter {
    align-self: flex-end;
    margin: 3px 10px 0 0;
    color: var(--_text-muted);
    font-size: 11px;
  }
  .counter.over {
    color: var(--_danger);
  }
  .send {
    flex: none;
    display: grid;
    place-items: center;
    width: 42px;
    height: 42px;
    padding: 0;
    border: 0;
    border-radius: 50%;
    background: var(--_primary);
    color: var(--_on-primary);
    transition: opacity 0.15s, transform 0.15s;
  }
  .send:not(:disabled):hover {
    transform: scale(1.05);
  }
  .send:disabled {
    opacity: 0.4;
    cursor: default;
  }

  /* ------------------------------------------------------------ typing, away, pre-chat */

  .avatar img {
    width: 100%;
    height: 100%;
    border-radius: 50%;
    object-fit: cover;
  }
  .typing {
    align-self: flex-start;
    margin-top: 6px;
    padding: 12px 14px;
    border-radius: var(--_bubble-radius);
    background: var(--_surface-alt);
  }
  .dots {
    display: flex;
    gap: 4px;
  }
  .dots i {
    width: 7px;
    height: 7px;
    border-radius: 50%;
    background: var(--_text-muted);
    animation: blink 1.2s infinite;
  }
  .dots i:nth-child(2) {
    animation-delay: 0.2s;
  }
  .dots i:nth-child(3) {
    animation-delay: 0.4s;
  }
  @keyframes blink {
    50% {
      opacity: 0.25;
    }
  }
  .card {
    display: flex;
    flex-direction: column;
    gap: 10px;
    margin: 10px 0 4px;
    padding: 14px;
    border: 1px solid var(--_border);
    border-radius: 12px;
    background: var(--_surface);
  }
  .card h3 {
    margin: 0;
    font-size: 14px;
    font-weight: 650;
  }
  .card p {
    margin: 0;
    color: var(--_text-muted);
  }
  .pre-chat {
    margin: 0;
    border-width: 1px 0 0;
    border-radius: 0;
  }
  .inline-form {
    display: flex;
    align-items: flex-start;
    gap: 8px;
  }
  /* Level with the field, below its label. */
  .inline-form .form-button {
    margin-top: 23px;
  }
  .input {
    flex: 1;
    display: flex;
    flex-direction: column;
    gap: 4px;
    font-size: 13px;
    font-weight: 550;
  }
  .input input {
    height: 38px;
    padding: 0 12px;
    border: 1px solid var(--_border);
    border-radius: 10px;
    background: var(--_surface-alt);
    color: var(--_text);
    font: inherit;
    font-weight: 400;
  }
  .input input:focus-visible {
    outline: 2px solid var(--_primary);
    outline-offset: -1px;
  }
  .input input[aria-invalid='true'] {
    border-color: var(--_danger);
  }
  .input-error {
    color: var(--_danger);
    font-weight: 400;
  }
  .form-button {
    height: 38px;
    padding: 0 16px;
    border: 0;
    border-radius: 10px;
    background: var(--_primary);
    color: var(--_on-primary);
    font-weight: 600;
  }

  @media (max-width: 640px) {
    .base {
      border-radius: 0;
      box-shadow: none;
    }
    /* Clear the notch and the home indicator of full-screen phones. */
    .header {
      padding-top: max(14px, env(safe-area-inset-top));
    }
    .composer,
    .pre-chat {
      padding-bottom: max(12px, env(safe-area-inset-bottom));
    }
    /* 16px keeps iOS from zooming into the field. */
    textarea {
      font-size: 16px;
    }
  }

  @media (prefers-reduced-motion: reduce) {
    .skeleton span,
    .dots i {
      animation: none;
    }
    .send {
      transition: none;
    }
  }
`;
