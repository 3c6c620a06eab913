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
let ana: Page;
let colleague: Page;

async function openAdmin(): Promise<Page> {
  const page = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 900 } })).newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  await page.goto(`${server.url}/admin`);
  await page.evaluate(() => (document.documentElement.lang = 'en'));
  await page.locator('charla-inbox [role="option"]').first().waitFor();
  return page;
}

before(async () => {
  assert.ok(existsSync(`${dist}/demo/admin.html`), 'run `npm run build` first (npm test does)');
  server = await startDemoServer({ staticDir: dist });
  browser = await launchChromium();
  ana = await openAdmin();
  colleague = await openAdmin();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

describe('the agent workspace in Chromium against the real server', () => {
  it('claims, labels and prioritizes a conversation; a second agent sees each change live', async () => {
    const row = (page: Page) => page.locator('charla-inbox [role="option"]', { hasText: 'Camilo Rodríguez' });
    await row(ana).click();
    await row(colleague).click();
    const thread = ana.locator('charla-thread');
    await thread.locator('[part="actions"] select[aria-label="Assignee"]').selectOption({ label: 'Bruno Costa' });
    // Team and priority are in the "More" menu.
    const more = thread.getByRole('button', { name: 'More conversation actions' });
    await more.click();
    await thread.getByRole('group', { name: 'Team' }).getByRole('menuitemradio', { name: 'Ventas' }).click();
    await more.click();
    await thread.getByRole('menuitemradio', { name: 'Urgent' }).click();
    await thread.locator('.label-input').fill('garantía');
    await thread.locator('.label-input').press('Enter');

    const other = colleague.locator('charla-thread');
    await other.locator('[part="labels"] .chip', { hasText: 'garantía' }).waitFor();
    await other.locator('[part~="bubble"]', { hasText: 'assigned the conversation to Bruno Costa' }).waitFor();
    await other.locator('[part~="bubble"]', { hasText: 'routed the conversation to Ventas' }).waitFor();
    await row(colleague).filter({ hasText: 'Bruno Costa is handling this' }).waitFor();
    await row(colleague).filter({ hasText: 'Urgent' }).waitFor();
  });

  it('going away in one tab shows in every tab of the same agent, and coming back too', async () => {
    const picker = (page: Page) => page.locator('charla-presence select');
    assert.equal(await picker(colleague).inputValue(), 'online');
    await picker(ana).selectOption('away');
    await colleague.locator('charla-presence li', { hasText: '(you)' }).filter({ hasText: 'Away' }).waitFor();
    await colleague.waitForFunction(() => document.querySelector('charla-presence')!.shadowRoot!.querySelector('select')!.value === 'away');
    await colleague.locator('charla-presence .hint', { hasText: 'No new conversations are assigned to you' }).waitFor();
    await picker(colleague).selectOption('online');
    await ana.locator('charla-presence li', { hasText: '(you)' }).filter({ hasText: 'Available' }).waitFor();
  });

  it('inserts a canned response with "/" and sends it', async () => {
    const textarea = ana.locator('charla-thread textarea');
    await textarea.click();
    await textarea.pressSequentially('/envi');
    await ana.locator('charla-thread [part="suggestions"] [role="option"]', { hasText: '/envio' }).waitFor();
    await textarea.press('Enter');
    assert.match(await textarea.inputValue(), /El envío a todo México cuesta \$99 MXN/);
    await textarea.press('Enter');
    await colleague.locator('charla-thread [part~="bubble"]', { hasText: 'El envío a todo México cuesta $99 MXN' }).waitFor();
  });

  it('edits the contact in the profile panel, refusing a bad phone, and the inbox follows', async () => {
    const panel = ana.locator('charla-contact-panel#contact');
    await panel.locator('button[data-field="phone"]').click();
    await panel.locator('#edit-phone').fill('123');
    await panel.locator('#edit-phone').press('Enter');
    await panel.locator('[role="alert"]', { hasText: 'not a valid phone number' }).waitFor();
    await panel.locator('#edit-phone').fill('+57 300 123 4567');
    await panel.locator('#edit-phone').press('Enter');
    await panel.locator('button[data-field="phone"]', { hasText: '+573001234567' }).waitFor();

    await panel.locator('button[data-field="name"]').click();
    await panel.locator('#edit-name').fill('Camilo Rodríguez Díaz');
    await panel.locator('#edit-name').press('Enter');
    await colleague.locator('charla-inbox [role="option"]', { hasText: 'Camilo Rodríguez Díaz' }).waitFor();
    await colleague.locator('charla-contact-panel button[data-field="phone"]', { hasText: '+573001234567' }).waitFor();

    await panel.locator('.chip-input').fill('garantía extendida');
    await panel.locator('.chip-input').press('Enter');
    await panel.locator('input[name="key"]').fill('pedido');
    await panel.locator('input[name="value"]').fill('#4471');
    await panel.locator('input[name="value"]').press('Enter');
    await colleague.locator('charla-contact-panel .chip', { hasText: 'garantía extendida' }).waitFor();
    await colleague.locator('charla-contact-panel .attribute', { hasText: '#4471' }).waitFor();
  });

  it('links an unknown web visitor to an existing contact after a preview, and the inbox follows', async () => {
    const visitorRow = ana.locator('charla-inbox [role="option"]', { hasText: 'Web visitor' }).first();
    const preview = (await visitorRow.locator('.preview').textContent())!.trim();
    await visitorRow.click();
    const panel = ana.locator('charla-contact-panel#contact');
    await panel.getByRole('button', { name: 'Link to an existing contact…' }).click();
    await panel.locator('input.search').fill('María');
    await panel.locator('button.result', { hasText: 'María López' }).click();
    await panel.locator('.preview', { hasText: 'becomes part of “María López”' }).waitFor();
    await panel.locator('.preview').getByRole('button', { name: 'Merge', exact: true }).click();
    await panel.locator('.name', { hasText: 'María López' }).waitFor();
    await colleague.locator('charla-inbox [role="option"]', { hasText: preview }).filter({ hasText: 'María López' }).waitFor();
  });

  it('creates a deal from the conversation, and it shows in the profile of both agents', async () => {
    const row = (page: Page) => page.locator('charla-inbox [role="option"]', { hasText: 'Sofía Martínez' });
    await row(ana).click();
    await row(colleague).click();
    const thread = ana.locator('charla-thread');
    await thread.getByRole('button', { name: 'More conversation actions' }).click();
    await thread.getByRole('menuitem', { name: 'New deal…' }).click();
    const form = thread.locator('[part="deal-form"]');
    await form.locator('select[name="pipeline"] option').first().waitFor({ state: 'attached' });
    await form.locator('input[name="title"]').fill('Set de 6 tazas Sofía');
    await form.locator('input[name="amount"]').fill('1250');
    await form.getByRole('button', { name: 'Create deal' }).click();
    await thread.locator('[role="status"]', { hasText: 'Deal “Set de 6 tazas Sofía” created' }).waitFor();
    await colleague.locator('charla-contact-panel .item', { hasText: 'Set de 6 tazas Sofía' }).waitFor();
  });

  it('snoozes a conversation for an hour: it leaves the open tab and says until when', async () => {
    const row = (page: Page) => page.locator('charla-inbox [role="option"]', { hasText: 'Fernanda Souza' });
    await row(ana).click();
    await row(colleague).click();
    await ana.locator('charla-thread [part="actions"]').getByRole('button', { name: 'More conversation actions' }).click();
    await ana.locator('charla-thread').getByRole('menuitem', { name: 'Snooze…' }).click();
    await ana.locator('charla-thread [part="snooze-menu"]').getByRole('button', { name: 'For 1 hour' }).click();
    await colleague.locator('charla-thread .status-pill[data-status="snoozed"]', { hasText: 'Snoozed until' }).waitFor();
    await row(colleague).waitFor({ state: 'detached' });

    // Reopening a snoozed conversation opens it (it once resolved it).
    await ana.locator('charla-thread [part="actions"]').getByRole('button', { name: 'Reopen' }).click();
    await colleague.locator('charla-thread .status-pill[data-status="open"]').waitFor();
    await row(colleague).waitFor();
  });

  it('shows a note and a mention to the teammate, and resolves the conversation for everyone', async () => {
    const camilo = (page: Page) => page.locator('charla-inbox [role="option"]', { hasText: 'Camilo Rodríguez Díaz' });
    await camilo(ana).click();
    await camilo(colleague).click();
    const composer = ana.locator('charla-thread [part="composer"]');
    await composer.getByRole('button', { name: 'Note' }).click();
    await composer.locator('textarea').fill('Ofrecer cambio sin costo');
    await composer.locator('textarea').press('Enter');
    await colleague.locator('charla-thread [part~="message"][data-private]', { hasText: 'Ofrecer cambio sin costo' }).waitFor();

    await ana.locator('charla-thread [part="actions"]').getByRole('button', { name: 'Resolve' }).click();
    await colleague.locator('charla-thread .status-pill[data-status="resolved"]').waitFor();
    await colleague.locator('charla-inbox [role="option"]', { hasText: 'Camilo Rodríguez Díaz' }).waitFor({ state: 'detached' });
  });

  it("shows the customer's history beside the thread, and undoes the deal an automation opened", async () => {
    await ana.locator('charla-inbox [role="option"]', { hasText: 'Ana Paula Ribeiro' }).click();
    const thread = ana.locator('charla-thread');
    await thread.locator('[part~="bubble"]', { hasText: 'Instagram' }).first().waitFor();
    // The wholesale pipeline's rule: a conversation labelled "calificado" gets a deal.
    await thread.locator('.label-input').fill('calificado');
    await thread.locator('.label-input').press('Enter');

    await ana.getByRole('tab', { name: 'Historial' }).click();
    const feed = ana.locator('charla-timeline');
    assert.equal(await ana.locator('charla-contact-panel#contact').isHidden(), true, 'one panel at a time');
    await feed.locator('[part~="item"]', { hasText: 'Oi, falei com vocês pelo Instagram' }).first().waitFor();
    const undo = feed.getByRole('button', { name: 'Undo' }).first();
    await undo.waitFor({ timeout: 10_000 });
    await undo.click();
    await feed.getByText('Undone').first().waitFor();
    const deals = (await (await fetch(`${server.url}/api/v1/deals?status=lost`, { headers: { authorization: `Bearer ${server.token}` } })).json()) as {
      deals: Array<{ title: string; lostReason: string | null }>;
    };
    assert.ok(deals.deals.some((deal) => deal.title === 'Ana Paula Ribeiro'), 'the rule’s deal is closed');

    await ana.getByRole('tab', { name: 'Perfil' }).press('ArrowRight');
    await ana.getByRole('tab', { name: 'Perfil' }).click();
    await ana.locator('charla-contact-panel#contact').waitFor();
  });
});
