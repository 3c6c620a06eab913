import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * Bundles a benchmark page module (tests/bench/pages/NAME.ts, which must define
 * `window.runBench(): Promise<T>`) as production code, opens it in headless Chromium and returns
 * what `runBench` resolves to.
 */
export async function runInBrowser<T>(page: string, viewport = { width: 1280, height: 900 }): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'charla-bench-'));
  try {
    await build({
      configFile: false,
      root,
      logLevel: 'error',
      define: { 'process.env.NODE_ENV': JSON.stringify('production') },
      build: {
        outDir: dir,
        emptyOutDir: true,
        target: 'es2022',
        lib: { entry: join(root, 'tests/bench/pages', `${page}.ts`), formats: ['es'], fileName: () => 'bench.js' },
      },
    });
    writeFileSync(
      join(dir, 'index.html'),
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><style>html,body{margin:0;height:100%}</style></head>` +
        `<body><script type="module" src="./bench.js"></script></body></html>`,
    );
    const browser = await chromium.launch({
      executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--no-first-run', '--allow-file-access-from-files'],
    });
    try {
      const tab = await browser.newPage({ viewport });
      tab.on('pageerror', (error) => console.error(`page error: ${error.message}`));
      await tab.goto(`file://${join(dir, 'index.html')}`);
      await tab.waitForFunction(() => typeof (window as unknown as { runBench?: unknown }).runBench === 'function');
      return (await tab.evaluate(() => (window as unknown as { runBench: () => Promise<unknown> }).runBench())) as T;
    } finally {
      await browser.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
