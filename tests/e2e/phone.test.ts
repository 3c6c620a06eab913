import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { startDemoServer, type DemoServer } from '../support/demo-server.js';

const dist = fileURLToPath(new URL('../../dist', import.meta.url));

let server: DemoServer;
let browser: Browser;
let phone: Page;

before(async () => {
  assert.ok(existsSync(`${dist}/demo/admin.html`), 'run `npm run build` first (npm test does)');
  server = await startDemoServer({ staticDir: dist });
  browser = await launchChromium();
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
  phone = await context.newPage();
  phone.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  await phone.goto(`${server.url}/admin`);
  await phone.evaluate(() => (document.documentElement.lang = 'en'));
  await phone.locator('charla-inbox [role="option"]').first().waitFor();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** The part of the page a finger can reach: inside the screen, not covered. */
async function onScreen(page: Page, selector: string, screen = { width: 390, height: 844 }): Promise<void> {
  const box = await page.locator(selector).boundingBox();
  assert.ok(box, `${selector} is shown`);
  assert.ok(box.x >= 0 && box.x + box.width <= screen.width + 0.5, `${selector} fits the screen's width (${box.x}, ${box.width})`);
  assert.ok(box.y >= 0 && box.y + box.height <= screen.height + 0.5, `${selector} is within the screen's height (${box.y}, ${box.height})`);
}

describe('the demo admin on a phone (390 × 844, touch)', () => {
  it('opens a conversation from the inbox, replies, sees the reply, opens the contact and goes back', async () => {
    const page = phone;
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 390, 'the page never scrolls sideways');
    const thread = page.locator('charla-thread');
    assert.equal(await thread.isVisible(), false, 'the inbox comes first');

    await page.locator('charla-inbox [role="option"]', { hasText: 'Camilo Rodríguez' }).tap();
    await thread.locator('[part="header"]', { hasText: 'Camilo Rodríguez' }).waitFor();
    assert.equal(await page.locator('charla-inbox').isVisible(), false, 'one pane at a time');
    const threadBox = await thread.boundingBox();
    assert.equal(Math.round(threadBox!.width), 390, 'the thread takes the whole width');
    await onScreen(page, 'charla-thread textarea');
    await onScreen(page, 'charla-thread [part="more-button"]');

    const textarea = thread.locator('textarea');
    await textarea.tap();
    await textarea.fill('Sí, te lo enviamos mañana por la mañana 📦');
    await thread.getByRole('button', { name: 'Send' }).tap();
    await thread.locator('[part~="message"][data-direction="out"]', { hasText: 'Sí, te lo enviamos mañana por la mañana 📦' }).waitFor();
    await thread.locator('[part~="message"][data-direction="out"][data-status="sent"], [part~="message"][data-direction="out"][data-status="delivered"]', { hasText: 'te lo enviamos mañana' }).first().waitFor();
    assert.equal(await textarea.inputValue(), '');

    const workspace = page.locator('charla-workspace');
    await workspace.getByRole('button', { name: 'Show the contact' }).tap();
    const sheet = workspace.getByRole('dialog', { name: 'Contact' });
    await sheet.waitFor();
    await page.locator('charla-contact-panel#contact').getByText('Camilo Rodríguez').first().waitFor();
    // The sheet rises over the thread, up to near the top of the screen.
    await page.waitForFunction(() => {
      const panel = document.querySelector('charla-workspace')!.shadowRoot!.querySelector('[part="panel"]')!;
      return Math.round(panel.getBoundingClientRect().bottom) === 844 && panel.getBoundingClientRect().top < 100;
    });
    await onScreen(page, 'charla-contact-panel#contact');

    await workspace.getByRole('button', { name: 'Back to the conversation', exact: true }).tap();
    await page.waitForFunction(() => document.querySelector('charla-workspace')!.getAttribute('pane') === 'thread');
    await thread.locator('[part~="message"]', { hasText: 'te lo enviamos mañana' }).waitFor();

    await workspace.getByRole('button', { name: 'Back to the conversations' }).tap();
    await page.locator('charla-inbox [role="option"]', { hasText: 'Camilo Rodríguez' }).filter({ hasText: 'te lo enviamos mañana' }).waitFor();
    assert.equal(await thread.isVisible(), false);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 390);

    // The browser's Back (Android's back gesture) steps back as well.
    await page.locator('charla-inbox [role="option"]', { hasText: 'Sofía Martínez' }).tap();
    await thread.locator('[part="header"]', { hasText: 'Sofía Martínez' }).waitFor();
    await page.goBack();
    await page.locator('charla-inbox [role="option"]', { hasText: 'Sofía Martínez' }).waitFor();
    assert.equal(await thread.isVisible(), false);
    assert.match(page.url(), /\/admin/, 'Back stays in the admin');
  });

  it('shows the deals board one stage at a time, turned with the previous/next buttons', async () => {
    const page = phone;
    await page.locator('#nav-pipeline').tap();
    const kanban = page.locator('charla-kanban');
    const indicator = kanban.locator('[part="stage-indicator"]');
    await indicator.waitFor();
    const first = (await indicator.textContent())!.trim();
    assert.match(first, / · 1 of \d+$/);
    await kanban.getByRole('button', { name: /^Next stage: / }).tap();
    await kanban.locator('[part="stage-indicator"]', { hasText: / · 2 of \d+$/ }).waitFor();
    await kanban.getByRole('button', { name: /^Previous stage: / }).tap();
    await kanban.locator('[part="stage-indicator"]', { hasText: first }).waitFor();
    await onScreen(page, 'charla-kanban [part="stage-nav"]');
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 390);
  });

  it('has the agenda as a view of its own, reached from the bar, with the brand kept whole', async () => {
    const page = phone;
    await page.locator('#nav-agenda').tap();
    const agenda = page.locator('charla-agenda');
    await agenda.locator('li').first().waitFor();
    await onScreen(page, 'charla-agenda');
    assert.equal(await page.locator('charla-kanban').isVisible(), false, 'the board steps aside');
    const brand = await page.locator('.sidebar .brand').boundingBox();
    assert.ok(brand && brand.x >= 0, `the brand is not cut at the left (${brand?.x})`);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 390);
  });
});

describe('the demo admin on a phone, pinch-zoomed (390 × 844, touch)', () => {
  it('does not mistake a zoom for the on-screen keyboard: nothing is lifted', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
    const page = await context.newPage();
    await page.goto(`${server.url}/admin`);
    await page.locator('charla-inbox [role="option"]').first().tap();
    await page.locator('charla-thread textarea').waitFor();
    const inset = () => page.evaluate(() => {
      const layout = document.querySelector('charla-workspace')!.shadowRoot!.querySelector<HTMLElement>('.layout')!;
      return [window.visualViewport!.scale, getComputedStyle(layout).paddingBottom] as const;
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setPageScaleFactor', { pageScaleFactor: 1.5 });
    await page.waitForFunction(() => window.visualViewport!.scale > 1.4);
    // The viewport's resize has been handled and rendered (two frames later).
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const [scale, padding] = await inset();
    assert.ok(scale > 1.4, `the page is zoomed (${scale})`);
    assert.equal(padding, '0px', 'the panes are not lifted as for a keyboard');
    await context.close();
  });
});

describe('the demo admin on a phone on its side (844 × 390, touch)', () => {
  it('opens a conversation with the messages readable, the composer in sight and no sheet over them', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 844, height: 390 }, hasTouch: true, isMobile: true });
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    await page.goto(`${server.url}/admin`);
    await page.evaluate(() => (document.documentElement.lang = 'en'));
    const workspace = page.locator('charla-workspace');
    // Too short for two panes side by side: one at a time, as in portrait.
    await page.waitForFunction(() => document.querySelector('charla-workspace')?.getAttribute('layout') === 'narrow');
    // The list scrolls in the short screen, and a tap after scrolling opens the row under the finger.
    const row = page.locator('charla-inbox [role="option"]', { hasText: 'María López' });
    await row.waitFor();
    await page.waitForFunction(() => {
      const list = document.querySelector('charla-inbox')!.shadowRoot!.querySelector('[part="list"]')!;
      list.scrollTop = 84;
      return list.scrollTop > 0;
    });
    await row.tap();
    const thread = page.locator('charla-thread');
    await thread.locator('[part="header"]', { hasText: 'María López' }).waitFor();
    await thread.locator('[part~="message"]').first().waitFor();
    assert.equal(await page.locator('charla-inbox').isVisible(), false, 'one pane at a time');

    const log = await thread.locator('[role="log"]').boundingBox();
    assert.ok(log && log.height >= 60, `the messages have room to be read (at least 60 px) (${JSON.stringify(log)})`);
    const composer = await thread.locator('textarea').boundingBox();
    assert.ok(composer && composer.y >= log.y + log.height - 0.5 && composer.y + composer.height <= 390 + 0.5, `the composer is under the messages, in sight (${JSON.stringify(composer)})`);
    const send = await thread.getByRole('button', { name: 'Send' }).boundingBox();
    assert.ok(send && send.x + send.width <= 844 + 0.5 && send.y + send.height <= 390 + 0.5, `Send is in sight (${JSON.stringify(send)})`);
    assert.equal(await workspace.getByRole('dialog').count(), 0, 'no contact sheet is open over the thread');
    const panel = await page.evaluate(() => {
      const box = document.querySelector('charla-workspace')!.shadowRoot!.querySelector('[part="panel"]')!;
      return getComputedStyle(box).visibility;
    });
    assert.equal(panel, 'hidden', 'the closed sheet covers nothing');
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 844, 'the page never scrolls sideways');

    // The contact rises as a sheet and goes away again.
    await workspace.getByRole('button', { name: 'Show the contact' }).tap();
    await workspace.getByRole('dialog', { name: 'Contact' }).waitFor();
    await workspace.getByRole('button', { name: 'Back to the conversation', exact: true }).tap();
    await page.waitForFunction(() => document.querySelector('charla-workspace')!.getAttribute('pane') === 'thread');
    await onScreen(page, 'charla-thread textarea', { width: 844, height: 390 });
    await context.close();
  });
});

