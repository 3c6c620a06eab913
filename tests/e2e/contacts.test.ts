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

const rows = () => page.locator('charla-contacts [part~="row"][data-id]');
const names = async () => (await rows().locator('.cell.name > span[title]').allTextContents()).map((name) => name.trim());

before(async () => {
  assert.ok(existsSync(`${dist}/demo/admin.html`), 'run `npm run build` first (npm test does)');
  server = await startDemoServer({ staticDir: dist });
  browser = await launchChromium();
  page = await (await browser.newContext({ locale: 'es-MX', viewport: { width: 1280, height: 800 } })).newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  await page.goto(`${server.url}/admin`);
  await page.locator('charla-inbox [role="option"]').first().waitFor();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

describe('the customers directory in the demo admin, real server', () => {
  it('"Clientes" opens the directory; filter, select two, tag them, and find them by the tag', async () => {
    await page.locator('#nav-contacts').click();
    await rows().first().waitFor();
    assert.match(await page.locator('charla-contacts .total').textContent() ?? '', /^\d+ clientes$/);

    await page.locator('charla-contacts [part="search"]').fill('fern');
    await page.waitForFunction(() => {
      const table = document.querySelector('charla-contacts')!.shadowRoot!;
      return table.querySelector('.total')?.textContent?.trim() === '2 clientes';
    });
    assert.deepEqual((await names()).sort(), ['Diego Fernández', 'Fernanda Souza']);

    await rows().nth(0).locator('input[type="checkbox"]').click();
    await rows().nth(1).locator('input[type="checkbox"]').click({ modifiers: ['Shift'] });
    await page.locator('charla-contacts [part="bulk-bar"] strong', { hasText: '2 seleccionados' }).waitFor();
    await page.locator('charla-contacts #bulk-tag').fill('feria-2026');
    await page.locator('charla-contacts [data-action="add-tag"]').click();
    await page.locator('charla-contacts .message', { hasText: '2 clientes modificados' }).waitFor();
    await rows().first().locator('.chip', { hasText: 'feria-2026' }).waitFor();

    await page.locator('charla-contacts [part="search"]').fill('');
    await page.locator('charla-contacts input[aria-label="Etiqueta"]').fill('feria-2026');
    await page.locator('charla-contacts input[aria-label="Etiqueta"]').press('Enter');
    await page.locator('charla-contacts input[aria-label="Etiqueta"]').blur();
    await page.waitForFunction(() => document.querySelector('charla-contacts')!.shadowRoot!.querySelector('.total')?.textContent?.trim() === '2 clientes');
    assert.deepEqual((await names()).sort(), ['Diego Fernández', 'Fernanda Souza'], 'the tag filter finds the two');

    const check = await fetch(`${server.url}/api/v1/contacts/search`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ filter: { tags: ['feria-2026'] } }),
    });
    assert.equal((await check.json()).total, 2, 'stored on the server');
  });

  it('opening a contact shows its profile beside the directory', async () => {
    await rows().first().locator('.cell.name').click();
    await page.locator('#directory-contact', { hasText: /Fernanda Souza|Diego Fernández/ }).waitFor();
  });
});
