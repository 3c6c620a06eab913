// Scrolls <charla-inbox> through 100,000 conversations in headless Chromium and reports the p95
// frame time (budget ≤ 16.7 ms) and the most rows the DOM held at once (budget: tens).
import { percentile, runInBrowser } from './support/browser-bench.js';

const result = await runInBrowser<{ frames: number[]; renders: number[]; maxRows: number; scrolled: number }>('inbox-scroll');
const p95 = percentile(result.frames, 95);
console.log(`frames measured: ${result.frames.length}, scrolled ${Math.round(result.scrolled)} px`);
console.log(`median frame: ${percentile(result.frames, 50).toFixed(1)} ms, p99: ${percentile(result.frames, 99).toFixed(1)} ms`);
console.log(`component render per update: median ${percentile(result.renders, 50).toFixed(2)} ms, p95 ${percentile(result.renders, 95).toFixed(2)} ms (${result.renders.length} updates)`);
console.log(`inbox-scroll-dom-rows: ${result.maxRows} rows`);
console.log(`inbox-scroll: ${p95.toFixed(1)} ms`);
if (result.maxRows > 60) process.exitCode = 1;
