import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser.js';
import { demoApi, startDemoServer, type DemoServer } from './demo-server.js';

/** Where `npm run build` puts what the demo serves. */
export const DIST = fileURLToPath(new URL('../../dist', import.meta.url));

export interface BuiltDemo {
  /** The demo server (set once this file's tests start). */
  readonly server: DemoServer;
  /** Chromium (set once this file's tests start). */
  readonly browser: Browser;
  /** The demo admin's REST API as JSON (see `demoApi`). */
  api(path: string, init?: { method?: string; body?: unknown }): Promise<any>;
}

/**
 * For an end-to-end file: before its tests, the demo serving the build and Chromium; after them,
 * both stopped. `needs` is a file of the build the tests open (a clear error when it is missing).
 */
export function useBuiltDemo(needs: string): BuiltDemo {
  const started: { server?: DemoServer; browser?: Browser } = {};
  before(async () => {
    assert.ok(existsSync(`${DIST}/${needs}`), 'run `npm run build` first (npm test does)');
    started.server = await startDemoServer({ staticDir: DIST });
    started.browser = await launchChromium();
  });
  after(async () => {
    await started.browser?.close();
    await started.server?.close();
  });
  return {
    get server() {
      return started.server!;
    },
    get browser() {
      return started.browser!;
    },
    api: (path, init = {}) => demoApi(started.server!, path, init),
  };
}
