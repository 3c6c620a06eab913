import type { VisitorIdentity } from '@charla/protocol';

export const POSITIONS = ['right', 'left'] as const;
export type Position = (typeof POSITIONS)[number];

/** What a site can set in `window.charlaSettings` before /widget.js loads (it wins over `data-*`). */
export interface CharlaSettings {
  /** The workspace's widget key (`data-workspace`). */
  workspace?: string;
  /** Charla server origin (`data-server`); defaults to the origin /widget.js came from. */
  server?: string;
  /** Where the chat panel module is (defaults to widget-panel.js beside /widget.js). */
  panelUrl?: string;
  /** Corner of the launcher (`data-position`). */
  position?: Position;
  /** Primary color, any CSS color (`data-color`). */
  color?: string;
  /** Text beside the launcher's icon (`data-launcher-text`). */
  launcherText?: string;
  /** `es`, `en` or `pt` (`data-locale`); defaults to `<html lang>`, then the browser's language. */
  locale?: string;
  /** First message shown to the visitor (`data-greeting`); defaults to the workspace's greeting. */
  greeting?: string;
  /** `true` for the dark theme, `'auto'` to follow the system (`data-dark`, `data-dark="auto"`). */
  dark?: boolean | 'auto';
  /** Visitor details to send once the chat connects (same as `Charla.identify`). */
  visitor?: VisitorIdentity;
  /** Hide the launcher while no agent can answer (`data-hide-when-offline`); costs one small request on load. */
  hideWhenOffline?: boolean;
}

export interface WidgetOptions {
  workspace: string;
  server: string;
  panelUrl: string;
  position: Position;
  color: string | undefined;
  launcherText: string | undefined;
  locale: string | undefined;
  greeting: string | undefined;
  dark: boolean | 'auto';
  visitor: VisitorIdentity | undefined;
  hideWhenOffline: boolean;
}

declare global {
  interface Window {
    charlaSettings?: CharlaSettings;
  }
}

/**
 * The script element that loaded the widget: `document.currentScript` while it runs (async
 * included), else the tag a site embeds (when another script or a module evaluated this code).
 */
export function findLoaderScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.src) return current;
  return (
    document.querySelector<HTMLScriptElement>('script[src*="widget.js"][data-workspace]') ??
    document.querySelector<HTMLScriptElement>('script[src*="widget.js"]')
  );
}

function parseDark(value: string | boolean | undefined): boolean | 'auto' {
  if (value === undefined || value === false || value === 'false') return false;
  return value === 'auto' ? 'auto' : true;
}

/** Options from the script tag's `data-*` and `window.charlaSettings`, URLs resolved against the script's src. */
export function readOptions(script: HTMLScriptElement | null, settings: CharlaSettings = {}): WidgetOptions {
  const data = script?.dataset ?? {};
  const src = script?.src || location.href;
  const position = settings.position ?? data.position;
  return {
    workspace: settings.workspace ?? data.workspace ?? '',
    server: new URL(settings.server ?? data.server ?? src, location.href).origin,
    panelUrl: new URL(settings.panelUrl ?? 'widget-panel.js', src).href,
    position: position === 'left' ? 'left' : 'right',
    color: settings.color ?? data.color,
    launcherText: settings.launcherText ?? data.launcherText,
    locale: settings.locale ?? data.locale,
    greeting: settings.greeting ?? data.greeting,
    dark: parseDark(settings.dark ?? data.dark),
    visitor: settings.visitor,
    hideWhenOffline: [true, '', 'true'].includes(settings.hideWhenOffline ?? data.hideWhenOffline ?? false),
  };
}

/**
 * Black or white, whichever reads better on a `#rgb`/`#rrggbb` color (WCAG relative luminance);
 * undefined for other notations, which keep the default white.
 */
export function readableTextOn(color: string): string | undefined {
  const hex = /^#([\da-f]{3}|[\da-f]{6})$/i.exec(color.trim())?.[1];
  if (!hex) return undefined;
  const full = hex.length === 3 ? [...hex].map((digit) => digit + digit).join('') : hex;
  const [r, g, b] = [0, 2, 4].map((i) => {
    const channel = parseInt(full.slice(i, i + 2), 16) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  // Contrast with white vs with near-black text (#111): pick the larger.
  return (1.05) / (luminance + 0.05) >= (luminance + 0.05) / 0.0556 ? '#fff' : '#111';
}
