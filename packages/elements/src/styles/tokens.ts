import { css } from 'lit';

/**
 * Charla's design tokens. Hosts override any of them on `:root` or on an element; `dark` sets
 * are applied with `.charla-dark` / `[data-charla-theme="dark"]` or `prefers-color-scheme`.
 * Import `tokensCss` into a global stylesheet with `adoptedStyleSheets` or copy the values.
 */
export const tokens = css`
  :root,
  :host {
    --charla-color-primary: #1f6feb;
    --charla-color-primary-text: #ffffff;
    --charla-color-primary-soft: #e7f0ff;
    --charla-color-surface: #ffffff;
    --charla-color-surface-raised: #f6f8fa;
    --charla-color-surface-sunken: #eef1f5;
    --charla-color-border: #d9dee5;
    --charla-color-text: #1c2430;
    --charla-color-text-muted: #5b6777;
    --charla-color-note: #fff6d6;
    --charla-color-note-border: #f0d675;
    --charla-color-danger: #c62828;
    --charla-color-danger-soft: #fde7e7;
    --charla-color-success: #1a7f37;
    --charla-color-warning: #8a5c00;
    --charla-color-focus: #1f6feb;
    --charla-color-bubble-in: #eef1f5;
    --charla-color-bubble-out: #1f6feb;
    --charla-color-bubble-out-text: #ffffff;
    --charla-radius-s: 4px;
    --charla-radius-m: 8px;
    --charla-radius-l: 14px;
    --charla-space-xs: 4px;
    --charla-space-s: 8px;
    --charla-space-m: 12px;
    --charla-space-l: 16px;
    --charla-space-xl: 24px;
    --charla-font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', sans-serif;
    --charla-font-size-s: 12px;
    --charla-font-size-m: 14px;
    --charla-font-size-l: 16px;
    --charla-shadow-s: 0 1px 2px rgb(16 24 40 / 8%);
    --charla-shadow-m: 0 4px 16px rgb(16 24 40 / 12%);
  }
`;

export const darkTokens = css`
  --charla-color-primary: #4493f8;
  --charla-color-primary-text: #0d1117;
  --charla-color-primary-soft: #1b2a41;
  --charla-color-surface: #0d1117;
  --charla-color-surface-raised: #161b22;
  --charla-color-surface-sunken: #1c2129;
  --charla-color-border: #30363d;
  --charla-color-text: #e6edf3;
  --charla-color-text-muted: #9198a1;
  --charla-color-note: #3a3217;
  --charla-color-note-border: #6b5a1e;
  --charla-color-danger: #fa5a52;
  --charla-color-danger-soft: #3d1d20;
  --charla-color-success: #3fb950;
  --charla-color-warning: #d29922;
  --charla-color-bubble-in: #1c2129;
  --charla-color-bubble-out: #1f6feb;
  --charla-color-bubble-out-text: #ffffff;
`;

/** The tokens as a stylesheet for documents: light by default, dark with `data-charla-theme="dark"`. */
export const tokensCss = `${tokens.cssText}
[data-charla-theme='dark'], .charla-dark { ${darkTokens.cssText} }`;
