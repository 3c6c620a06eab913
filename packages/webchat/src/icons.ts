import { html, svg, type SVGTemplateResult } from 'lit';

/** Decorative icons: the controls that use them carry their own accessible names. */
const icon = (paths: SVGTemplateResult, size = 20) =>
  html`<svg width=${size} height=${size} viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2"
    stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${paths}</svg>`;

export const closeIcon = icon(svg`<path d="M18 6 6 18M6 6l12 12" />`);
export const sendIcon = icon(svg`<path d="M5 12h13M12 5l7 7-7 7" />`);
export const clockIcon = icon(svg`<circle cx="12" cy="12" r="9" /><path d="M12 7v5l3 2" />`, 13);
export const checkIcon = icon(svg`<path d="m5 12.5 4.5 4.5L19 7.5" />`, 14);
export const doubleCheckIcon = icon(svg`<path d="m2 12.5 4.5 4.5L16 7.5M11.5 16.5l.5.5L21.5 7.5" />`, 14);
export const alertIcon = icon(svg`<circle cx="12" cy="12" r="9" /><path d="M12 7.5v5.5M12 16.5v.01" />`, 14);
export const arrowDownIcon = icon(svg`<path d="M12 5v14M6 13l6 6 6-6" />`, 16);
export const offlineIcon = icon(
  svg`<path d="M2 8.8a15 15 0 0 1 4.2-2.7M9.5 5.2A15 15 0 0 1 22 8.8M5 12.6a10 10 0 0 1 5-2.5M16.9 11a10 10 0 0 1 2.1 1.6M8.5 16.4a5 5 0 0 1 7 0M12 20h.01M3 3l18 18" />`,
  40,
);
