// "Draft quote" in the demo admin, in Chromium against the real server: the offline provider drafts
// the lines from the customer's message, the agent types the prices and sends; the quote shows in
// the thread and its total becomes the deal's amount in the contact panel.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startDemoServer, type DemoServer } from '../support/demo-server.js';
import { launchChromium } from '../support/browser.js';

const dist = fileURLToPath(new URL('../../dist', import.meta.url));

let server: DemoServer;
let browser: Browser;
let page: Page;

before(async () => {
  assert.ok(existsSync(`${dist}/demo/admin.html`), 'run `npm run build` first (npm test does)');
  server = await startDemoServer({ staticDir: dist });
  browser = await launchChromium();
  page = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 900 } })).newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  await page.goto(`${server.url}/admin`);
  await page.evaluate(() => (document.documentElement.lang = 'en'));
  await page.locator('charla-inbox [role="option"]').first().waitFor();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

describe('quote drafts in the demo admin', () => {
  it('drafts the asked items, the agent prices and sends them; the thread shows the quote and the deal takes its total', async () => {
    await page.locator('charla-inbox [role="tab"]', { hasText: 'All' }).click();
    await page.locator('charla-inbox [role="option"]', { hasText: 'Diego Fernández' }).click();
    const thread = page.locator('charla-thread');
    await thread.locator('[part~="bubble"]', { hasText: '150 tazas y 40 prensas francesas' }).waitFor();
    await thread.getByRole('button', { name: 'Draft quote' }).click();
    const editor = thread.locator('[part="quote-editor"]');
    await editor.waitFor();
    assert.deepEqual(
      await editor.locator('.quote-description').evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value)),
      ['Tazas', 'Prensas francesas'],
    );
    assert.deepEqual(
      await editor.locator('.quote-quantity').evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value)),
      ['150', '40'],
    );
    const send = editor.getByRole('button', { name: 'Send quote' });
    assert.equal(await send.isDisabled(), true, 'no prices yet');
    await editor.getByLabel('Unit price of item 1').fill('231');
    await editor.getByLabel('Unit price of item 2').fill('640');
    await editor.locator('[part="quote-total"]', { hasText: '60,250.00' }).waitFor();
    await send.click();
    await editor.waitFor({ state: 'detached' });
    await thread.locator('[part~="bubble"]', { hasText: 'Total: $60,250.00 MXN' }).waitFor();
    await page.locator('charla-contact-panel#contact [part~="section"]', { hasText: '60,250' }).first().waitFor();
  });
});
