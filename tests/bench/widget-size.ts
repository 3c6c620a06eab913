/**
 * Webchat size budget: builds /widget.js and the lazily loaded panel exactly as `npm run build`
 * does, and measures them gzipped (each file compressed on its own, as a server sends them).
 *
 *   widget-loader-size: what every page of a site loads before the visitor opens the chat (≤ 10 KB)
 *   widget-size: loader + panel, the whole widget once opened (≤ 35 KB)
 *
 * Run: node --import tsx tests/bench/widget-size.ts
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const root = resolve(import.meta.dirname, '../..');
const LOADER_BUDGET_KB = 10;
const WIDGET_BUDGET_KB = 35;

async function buildMode(mode: 'widget-loader' | 'widget-panel'): Promise<void> {
  await build({ root, configFile: resolve(root, 'vite.config.ts'), mode, logLevel: 'warn' });
}

function gzippedKb(file: string): number {
  return gzipSync(readFileSync(resolve(root, 'dist/widget', file))).length / 1024;
}

await buildMode('widget-loader');
await buildMode('widget-panel');

const loader = gzippedKb('widget.js');
const panel = gzippedKb('widget-panel.js');
const whole = loader + panel;

const over = [
  loader > LOADER_BUDGET_KB && `loader ${loader.toFixed(1)} KB > ${LOADER_BUDGET_KB} KB`,
  whole > WIDGET_BUDGET_KB && `widget ${whole.toFixed(1)} KB > ${WIDGET_BUDGET_KB} KB`,
].filter(Boolean);
// Reported before the figures so the figure stays the last line of the output.
if (over.length > 0) {
  console.error(`over budget (panel alone ${panel.toFixed(1)} KB): ${over.join('; ')}`);
  process.exitCode = 1;
}
console.log(`widget-loader-size: ${loader.toFixed(1)} KB`);
console.log(`widget-size: ${whole.toFixed(1)} KB`);
