// Opens <charla-thread> on a 10,000-message history in headless Chromium and reports the median
// time until the newest messages are painted (budget ≤ 100 ms).
import { percentile, runInBrowser } from './support/browser-bench.js';

const { times } = await runInBrowser<{ times: number[] }>('thread-open');
console.log(`runs: ${times.map((t) => t.toFixed(0)).join(', ')} ms`);
console.log(`thread-open: ${percentile(times, 50).toFixed(0)} ms`);
