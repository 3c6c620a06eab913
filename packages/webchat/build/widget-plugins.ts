import ts from 'typescript';
import type { Plugin } from 'vite';

/** `css` tagged templates (flat: their `${…}` only name other styles, never hold templates); tsc writes `css \``. */
const TEMPLATE = /\bcss ?`((?:[^`\\]|\\.)*)`/g;

/** CSS: drop comments and the whitespace around punctuation, collapse the rest to one space. */
function minifyCss(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    // After a property's colon (a selector's colon is never followed by a space in these styles).
    .replace(/: /g, ':')
    .replace(/;}/g, '}')
    .trim();
}

/** The same, keeping every line break (a source map of the file stays right line by line). */
function minifyCssKeepingLines(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ''))
    .replace(/[ \t]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/ ?([{};,>]) ?/g, '$1')
    .replace(/: /g, ':');
}

/**
 * The text of every Lit `css` template in `code`, minified; `${…}` expressions stay untouched
 * (only the literal parts around them change). `keepLines` leaves the line breaks where they are.
 */
export function minifyCssTemplates(code: string, keepLines = false): string {
  const minify = keepLines ? minifyCssKeepingLines : minifyCss;
  return code.replace(TEMPLATE, (_match, body: string) => {
    const parts = body.split(/(\$\{[^}]*\})/);
    return `css\`${parts.map((part) => (part.startsWith('${') ? part : minify(part))).join('')}\``;
  });
}

/**
 * The literal text of every Lit `html`/`svg` template in `code` (JavaScript) without the
 * indentation after its line breaks: HTML collapses that whitespace anyway, and the few places
 * that keep it (`white-space: pre-wrap` bubbles, textareas) take their text from expressions,
 * never from the template. Line breaks stay, so a source map still points at the right line.
 */
export function minifyHtmlTemplates(code: string): string {
  const file = ts.createSourceFile('module.js', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const spans: Array<[start: number, end: number]> = [];
  const visit = (node: ts.Node): void => {
    if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && (node.tag.text === 'html' || node.tag.text === 'svg')) {
      const template = node.template;
      const literals = ts.isNoSubstitutionTemplateLiteral(template) ? [template] : [template.head, ...template.templateSpans.map((span) => span.literal)];
      for (const literal of literals) spans.push([literal.getStart(file), literal.getEnd()]);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  let out = '';
  let at = 0;
  for (const [start, end] of spans.sort((a, b) => a[0] - b[0])) {
    out += code.slice(at, start) + code.slice(start, end).replace(/\n[ \t]+/g, '\n');
    at = end;
  }
  return out + code.slice(at);
}

/**
 * Minifies the text of Lit's `css` templates and unindents its `html` templates in the widget's
 * own sources: the bundler leaves template literals as written, and their indentation is bytes
 * every visitor downloads.
 */
export function minifyLitTemplates(include: RegExp): Plugin {
  return {
    name: 'charla-minify-lit-templates',
    enforce: 'pre',
    transform(code, id) {
      if (!include.test(id) || !/\b(css|html) ?`/.test(code)) return null;
      return { code: minifyHtmlTemplates(minifyCssTemplates(code)), map: null };
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
