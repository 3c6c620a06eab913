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
let mover: Page;
let watcher: Page;

/** The stage name of the column showing the card titled `title`, as this page sees it. */
const stageOf = (page: Page, title: string) =>
  page.locator('charla-kanban section', { has: page.locator('.card .title', { hasText: title }) }).locator('h3');

before(async () => {
  assert.ok(existsSync(`${dist}/demo/admin.html`), 'run `npm run build` first (npm test does)');
  server = await startDemoServer({ staticDir: dist });
  browser = await launchChromium();
  // Two agents on two machines: separate contexts share nothing.
  mover = await (await browser.newContext({ locale: 'es-MX', viewport: { width: 1600, height: 900 } })).newPage();
  watcher = await (await browser.newContext({ locale: 'es-MX', viewport: { width: 1600, height: 900 } })).newPage();
  for (const page of [mover, watcher]) {
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    await page.goto(`${server.url}/admin#pipeline`);
    await page.locator('charla-kanban .card').first().waitFor();
  }
});

after(async () => {
  await browser?.close();
  await server?.close();
});

describe('the deals board in the demo admin, two agents, real server', () => {
  it('a keyboard move persists and reaches the other agent\'s board live', async () => {
    const title = 'Boutique hotel amenities (Austin)';
    assert.equal(await stageOf(watcher, title).textContent(), 'Nuevo lead');
    await mover.locator('charla-kanban .card', { hasText: title }).focus();
    await mover.keyboard.press('Space');
    await mover.keyboard.press('ArrowRight');
    await mover.keyboard.press('Space');
    await mover.locator('charla-kanban [role="status"]', { hasText: 'pasó de Nuevo lead a Calificado' }).waitFor();
    await watcher.locator('charla-kanban section', { hasText: 'Calificado' }).locator('.card', { hasText: title }).waitFor();
    await mover.reload();
    await mover.locator('charla-kanban .card', { hasText: title }).waitFor();
    assert.equal(await stageOf(mover, title).textContent(), 'Calificado', 'still there after a reload');
  });

  it('a pointer drag persists and reaches the other agent\'s board live', async () => {
    const title = 'Estudio Pampa: regalos corporativos fin de año';
    const card = mover.locator('charla-kanban .card', { hasText: title });
    const target = mover.locator('charla-kanban section', { has: mover.locator('h3', { hasText: /^Reunión$/ }) });
    const from = (await card.boundingBox())!;
    const to = (await target.boundingBox())!;
    await mover.mouse.move(from.x + 30, from.y + 30);
    await mover.mouse.down();
    await mover.mouse.move(from.x + 60, from.y + 40, { steps: 3 });
    await mover.mouse.move(to.x + to.width / 2, to.y + 300, { steps: 8 });
    await mover.mouse.up();
    await watcher.locator('charla-kanban section', { has: watcher.locator('h3', { hasText: /^Reunión$/ }) })
      .locator('.card', { hasText: title }).waitFor();
  });

  it('opening a deal opens its conversation', async () => {
    await mover.locator('charla-kanban .card', { hasText: '20 tazas de cerámica esmalte azul' }).click();
    await mover.locator('charla-thread', { hasText: 'María López' }).waitFor();
    assert.match(mover.url(), /#cv_/);
  });
});
