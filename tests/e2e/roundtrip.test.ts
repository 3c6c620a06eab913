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
let shop: Page;
let admin: Page;

/** Playwright's CSS locators pierce open shadow roots, so these reach inside the components. */
const widget = {
  launcher: () => shop.locator('charla-widget .launcher'),
  textarea: () => shop.locator('charla-webchat textarea'),
  bubbles: () => shop.locator('charla-webchat .log [part~="bubble"]'),
};

async function visitorSays(text: string): Promise<void> {
  await widget.textarea().fill(text);
  await widget.textarea().press('Enter');
}

before(async () => {
  assert.ok(existsSync(`${dist}/widget/widget.js`), 'run `npm run build` first (npm test does)');
  server = await startDemoServer({ staticDir: dist });
  browser = await launchChromium();
  // Two browser contexts: the visitor and the agent share nothing, as on two machines.
  shop = await (await browser.newContext({ locale: 'es-MX' })).newPage();
  admin = await (await browser.newContext({ locale: 'es-MX', viewport: { width: 1400, height: 900 } })).newPage();
  for (const page of [shop, admin]) page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
});

after(async () => {
  await browser?.close();
  await server?.close();
});

describe('webchat ↔ inbox round trip in Chromium against the real server', () => {
  it('shows a visitor message in the admin inbox and thread live, and the reply in the widget', async () => {
    await admin.goto(`${server.url}/admin`);
    await admin.locator('charla-inbox [role="option"]').first().waitFor();

    await shop.goto(`${server.url}/shop`);
    await widget.launcher().click();
    await widget.textarea().waitFor();
    await visitorSays('Hola, ¿el café Chiapas viene molido?');

    const row = admin.locator('charla-inbox [role="option"]', { hasText: 'Hola, ¿el café Chiapas viene molido?' });
    await row.waitFor({ timeout: 10_000 });
    assert.equal(await admin.locator('charla-inbox [role="option"]').first().getAttribute('id'), await row.getAttribute('id'), 'newest first');
    await row.click();

    const thread = admin.locator('charla-thread');
    await thread.locator('[part~="bubble"]', { hasText: 'Hola, ¿el café Chiapas viene molido?' }).waitFor();
    await thread.locator('textarea').fill('¡Hola! Lo molemos al momento, ¿para qué método?');
    await thread.locator('textarea').press('Enter');

    await widget.bubbles().filter({ hasText: '¡Hola! Lo molemos al momento, ¿para qué método?' }).waitFor({ timeout: 10_000 });
    await thread.locator('[part~="message"][data-status="sent"]', { hasText: 'Lo molemos al momento' }).waitFor();
  });

  it('after the agent connection drops, shows every message sent meanwhile, once', async () => {
    const provider = admin.locator('charla-provider');
    await provider.evaluate((element: HTMLElement & { client?: { disconnect(): void } }) => element.client!.disconnect());
    await admin.locator('charla-provider [part="status"]').waitFor();

    for (const text of ['Para prensa francesa', 'Son dos bolsas', '¿Llega el viernes?']) await visitorSays(text);
    // The widget shows each as sent (stored by the server) before the agent comes back.
    await shop.locator('charla-webchat [part~="message-visitor"]', { hasText: '¿Llega el viernes?' }).locator('.status.sent').waitFor();

    await provider.evaluate((element: HTMLElement & { client?: { connect(): void } }) => element.client!.connect());
    await admin.locator('charla-provider [part="status"]').waitFor({ state: 'detached' });
    const thread = admin.locator('charla-thread');
    for (const text of ['Para prensa francesa', 'Son dos bolsas', '¿Llega el viernes?']) {
      await thread.locator('[part~="bubble"]', { hasText: text }).waitFor();
      assert.equal(await thread.locator('[part~="bubble"]', { hasText: text }).count(), 1, `"${text}" shown once`);
    }
    await admin.locator('charla-inbox [role="option"]', { hasText: '¿Llega el viernes?' }).waitFor();
  });

  it('continues the same conversation after the visitor reloads the page', async () => {
    await shop.reload();
    await widget.launcher().click();
    await widget.bubbles().filter({ hasText: 'Hola, ¿el café Chiapas viene molido?' }).waitFor({ timeout: 10_000 });
    await widget.bubbles().filter({ hasText: '¡Hola! Lo molemos al momento' }).waitFor();
    assert.equal(await widget.bubbles().filter({ hasText: 'Son dos bolsas' }).count(), 1);
  });
});
