import type { Plugin } from 'vite';

/** `css` tagged templates (flat: their `${…}` only name other styles, never hold templates). */
const TEMPLATE = /\bcss`((?:[^`\\]|\\.)*)`/g;

/** CSS: drop comments and the whitespace around punctuation, collapse the rest to one space. */
function minifyCss(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .replace(/;}/g, '}')
    .trim();
}

/**
 * Minifies the text of Lit's `css` templates in the widget's own sources: the bundler leaves
 * template literals as written, and their indentation is bytes every visitor downloads.
 * `${…}` expressions stay untouched (only the literal parts around them change).
 */
export function minifyLitTemplates(include: RegExp): Plugin {
  return {
    name: 'charla-minify-lit-templates',
    enforce: 'pre',
    transform(code, id) {
      if (!include.test(id) || !code.includes('css`')) return null;
      const out = code.replace(TEMPLATE, (_match, body: string) => {
        const parts = body.split(/(\$\{[^}]*\})/);
        return `css\`${parts.map((part) => (part.startsWith('${') ? part : minifyCss(part))).join('')}\``;
      });
      return { code: out, map: null };
    },
  };
}

/**
 * The widget's socket.io transports: WebSocket, with long-polling over `fetch` as the fallback
 * for networks that block WebSockets. engine.io's default set also bundles WebTransport (never
 * used here) and an XMLHttpRequest poller three times the size of the fetch one.
 */
export function lightTransports(): Plugin {
  return {
    name: 'charla-light-transports',
    load(id) {
      if (/engine\.io-client\/build\/esm\/transports\/index\.js$/.test(id)) {
        return `import { Fetch } from './polling-fetch.js';
import { WS } from './websocket.js';
export const transports = { websocket: WS, polling: Fetch };`;
      }
      // Only what socket.io-client uses: the full index would keep the XMLHttpRequest poller,
      // whose module runs code on load (so bundlers cannot drop it). socket.io-client re-exports
      // the other transport names, unused here: they name the two transports the widget has.
      if (/engine\.io-client\/build\/esm\/index\.js$/.test(id)) {
        return `export { Socket } from './socket.js';
export { installTimerFunctions } from './util.js';
export { parse } from './contrib/parseuri.js';
export { nextTick } from './globals.node.js';
export { Fetch, Fetch as XHR, Fetch as NodeXHR } from './transports/polling-fetch.js';
export { WS as WebSocket, WS as NodeWebSocket, WS as WebTransport } from './transports/websocket.js';`;
      }
      return null;
    },
  };
}
