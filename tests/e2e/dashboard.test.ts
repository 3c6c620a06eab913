import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { StageConversionResult } from '@charla/protocol';
import { startDemoServer, type DemoServer } from '../support/demo-server.js';

const dist = fileURLToPath(new URL('../../dist', import.meta.url));
const executablePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const DAY = 86_400_000;

let server: DemoServer;
let browser: Browser;
let page: Page;

before(async () => {
  assert.ok(existsSync(`${dist}/demo/admin.html`), 'run `npm run build` first (npm test does)');
  server = await startDemoServer({ staticDir: dist });
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'] });
  page = await (await browser.newContext({ locale: 'es-MX', viewport: { width: 1440, height: 900 } })).newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  await page.goto(`${server.url}/admin#metrics`);
  await page.locator('charla-dashboard .bar-row').first().waitFor();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

describe('the sales dashboard in the demo admin, real server', () => {
  it('shows the funnel the server computes for the chosen range, and a deal behind a bar opens its conversation', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 60 * DAY).toISOString().slice(0, 10);
    await page.locator('charla-dashboard input[name="from"]').fill(from);
    const query = `from=${from}T00:00:00Z&to=${new Date(Date.parse(`${today}T00:00:00Z`) + DAY).toISOString()}`;
    const response = await fetch(`${server.url}/api/v1/metrics/stage-conversion?${query}`, { headers: { authorization: `Bearer ${server.token}` } });
    const expected = (await response.json()) as StageConversionResult;
    const first = expected.stages[0]!;
    assert.ok(first.entered > 0, 'the demo seeds deals in the last 60 days');
    const row = page.locator(`charla-dashboard .bar-row[data-stage="${first.stageId}"]`);
    await row.locator('.value', { hasText: new RegExp(`^${first.entered}\\b`) }).waitFor();

    await row.click();
    const drill = page.locator('charla-dashboard [part="drill"]');
    await drill.locator('h3', { hasText: first.name }).waitFor();
    assert.equal(await drill.locator('.deal').count(), first.entered);
    const withConversation = expected.deals.find((deal) => first.dealIds.includes(deal.id) && deal.conversationId)!;
    await drill.locator(`.deal[data-deal="${withConversation.id}"]`).click();
    await page.waitForURL(`**/admin#${withConversation.conversationId}`);
    await page.locator('charla-thread').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#nav-conversations').getAttribute('aria-current'), 'page');
  });
});
