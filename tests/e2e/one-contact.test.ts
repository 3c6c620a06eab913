/**
 * The María story in a real browser: she writes on WhatsApp and gets a quote; days later she
 * writes on Instagram with her number written the Mexican way (no country code). The second
 * agent who opens the Instagram conversation sees her, with the quote, in the contact panel and
 * in Historial.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { rotateAgentToken } from '../../server/src/services/workspaces.js';
import { startDemoServer, type DemoServer } from '../support/demo-server.js';
import { launchChromium } from '../support/browser.js';

const dist = fileURLToPath(new URL('../../dist', import.meta.url));

let server: DemoServer;
let browser: Browser;
let phone: Page;
let firstAgent: Page;
let secondAgent: Page;

/** The demo's agent view, signed in as the agent with `token` (the demo page asks /demo/config.json who it is). */
async function agentPage(token: string): Promise<Page> {
  const page = await (await browser.newContext({ locale: 'es-MX', viewport: { width: 1400, height: 900 } })).newPage();
  await page.route('**/demo/config.json', (route) => route.fulfill({ json: { token, widgetKey: server.widgetKey } }));
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  return page;
}

before(async () => {
  assert.ok(existsSync(`${dist}/demo/simulator.html`), 'run `npm run build` first (npm test does)');
  server = await startDemoServer({ staticDir: dist });
  const { store } = server.server;
  const workspace = (await store.workspaces.byWidgetKey(server.widgetKey))!;
  const bruno = (await store.workspaces.agents(workspace.id)).find((agent) => agent.role === 'agent')!;
  browser = await launchChromium();
  phone = await (await browser.newContext({ locale: 'es-MX' })).newPage();
  firstAgent = await agentPage(server.token);
  secondAgent = await agentPage(await rotateAgentToken(store, bruno));
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function customerWrites(channel: 'whatsapp' | 'instagram', handle: string, text: string): Promise<void> {
  await phone.locator(`[role="tab"][data-channel="${channel}"]`).click();
  await phone.locator('#handle').fill(handle);
  if (channel === 'whatsapp') await phone.locator('#name').fill('María Fernanda Ortiz');
  await phone.locator('#text').fill(text);
  await phone.locator('#text').press('Enter');
  await phone.locator('.bubble.customer', { hasText: text }).waitFor();
}

describe('one person, one contact, across channels and agents', () => {
  it('the second agent opening the Instagram conversation sees the quote sent on WhatsApp', async () => {
    await phone.goto(`${server.url}/simulator`);
    await customerWrites('whatsapp', '5215530011122', 'Hola, quiero cotizar 3 sillas Aurora');

    // The first agent answers on WhatsApp with the quote, and records it as a deal.
    await firstAgent.goto(`${server.url}/admin`);
    const row = firstAgent.locator('charla-inbox [role="option"]', { hasText: 'quiero cotizar 3 sillas' });
    await row.waitFor({ timeout: 10_000 });
    await row.click();
    const thread = firstAgent.locator('charla-thread');
    await thread.locator('[part~="bubble"]', { hasText: 'quiero cotizar 3 sillas' }).waitFor();
    await thread.locator('textarea').fill('Cotización: 3 sillas Aurora por $4,500 MXN con envío');
    await thread.locator('textarea').press('Enter');
    await phone.locator('.bubble.business', { hasText: 'Cotización: 3 sillas Aurora' }).waitFor({ timeout: 10_000 });
    const conversationId = new URL(firstAgent.url()).hash.slice(1);
    const headers = { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' };
    const [pipeline] = await (await fetch(`${server.url}/api/v1/pipelines`, { headers })).json();
    const deal = await fetch(`${server.url}/api/v1/deals`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ pipelineId: pipeline.id, title: 'Cotización 3 sillas Aurora', amount: 4500, currency: 'MXN', conversationId }),
    });
    assert.equal(deal.status, 201, await deal.text());

    // Days later, on Instagram, her number the way Mexicans write it.
    await customerWrites('instagram', 'IGSID-maria-fernanda', 'ya les escribí por WhatsApp, mi cel es 55 3001 1122');

    await secondAgent.goto(`${server.url}/admin`);
    const instagram = secondAgent.locator('charla-inbox [role="option"]', { hasText: 'mi cel es 55 3001 1122' });
    await instagram.waitFor({ timeout: 10_000 });
    assert.match(await instagram.innerText(), /María Fernanda Ortiz/);
    await instagram.click();
    const panel = secondAgent.locator('charla-contact-panel#contact');
    await panel.locator('[part="header"]', { hasText: 'María Fernanda Ortiz' }).waitFor({ timeout: 10_000 });
    await panel.locator('[part="section"]', { hasText: 'Cotización 3 sillas Aurora' }).waitFor({ timeout: 10_000 });
    assert.doesNotMatch(await panel.innerText(), /Contacto desconocido/);
    // The thread says why, in the agent's language.
    await secondAgent
      .locator('charla-thread', { hasText: 'Charla combinó' })
      .filter({ hasText: 'mismo teléfono +525530011122, escrito en un mensaje' })
      .waitFor({ timeout: 10_000 });

    await secondAgent.locator('#tab-history').click();
    const history = secondAgent.locator('charla-timeline');
    await history.locator('[part="item"]', { hasText: 'Cotización: 3 sillas Aurora por $4,500 MXN' }).waitFor({ timeout: 10_000 });
    const instagramItem = history.locator('[part="item"]', { hasText: 'mi cel es 55 3001 1122' });
    await instagramItem.waitFor();
    assert.match(await instagramItem.innerText(), /Mensaje de María Fernanda Ortiz/, 'her Instagram message is hers, not «alguien»');

    // What the AI filled points at the message it read: "ver mensaje" opens it in its conversation.
    await secondAgent.locator('#tab-profile').click();
    const filled = panel.locator('.ai-filled li', { hasText: '3 sillas Aurora' });
    await filled.waitFor({ timeout: 10_000 });
    const box = await filled.boundingBox();
    assert.ok(box && box.height < 40, `the field takes one line, not the whole message again (${box?.height} px)`);
    await filled.getByRole('button', { name: /Completado por IA a partir del mensaje/ }).click();
    await secondAgent.locator('charla-thread [data-revealed]', { hasText: 'quiero cotizar 3 sillas Aurora' }).waitFor({ timeout: 10_000 });
    assert.equal(new URL(secondAgent.url()).hash.slice(1), conversationId, 'the WhatsApp conversation is open');
  });
});
