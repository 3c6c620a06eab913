// Renders <charla-kanban> with 2,000 deals over 6 columns in headless Chromium: median time to
// the first painted board, and median time of a keyboard move (pick up, move a column, drop).
import { percentile, runInBrowser } from './support/browser-bench.js';

const { renders, moves } = await runInBrowser<{ renders: number[]; moves: number[] }>('kanban');
console.log(`first render runs: ${renders.map((t) => t.toFixed(0)).join(', ')} ms`);
console.log(`per move: median ${percentile(moves, 50).toFixed(1)} ms, p95 ${percentile(moves, 95).toFixed(1)} ms over ${moves.length} moves`);
console.log(`kanban: ${percentile(renders, 50).toFixed(0)} ms to first render, ${percentile(moves, 50).toFixed(1)} ms per move`);
