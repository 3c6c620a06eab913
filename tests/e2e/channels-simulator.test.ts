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
let phone: Page;
let admin: Page;

before(async () => {
  assert.ok(existsSync(`${dist}/demo/simulator.html`), 'run `npm run build` first (npm test does)');
  server = await startDemoServer({ staticDir: dist });
  browser = await launchChromium();
  phone = await (await browser.newContext({ locale: 'es-MX' })).newPage();
  admin = await (await browser.newContext({ locale: 'es-MX', viewport: { width: 1400, height: 900 } })).newPage();
  for (const page of [phone, admin]) page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
});

after(async () => {
  await browser?.close();
  await server?.close();
});

describe('channel simulator → admin inbox → reply on the phone', () => {
  it('a WhatsApp message from the simulator arrives in the inbox, and the agent reply reaches the phone and is read', async () => {
    await admin.goto(`${server.url}/admin`);
    await admin.locator('charla-inbox [role="option"]').first().waitFor();

    await phone.goto(`${server.url}/simulator`);
    await phone.locator('#handle').fill('5215587654321');
    await phone.locator('#name').fill('Valeria Ruiz');
    await phone.locator('#text').fill('Hola, ¿hacen envíos a Puebla?');
    await phone.locator('#text').press('Enter');
    await phone.locator('.bubble.customer', { hasText: 'Hola, ¿hacen envíos a Puebla?' }).waitFor();
    await phone.locator('#status', { hasText: 'Delivered to Charla' }).waitFor();

    const row = admin.locator('charla-inbox [role="option"]', { hasText: 'Hola, ¿hacen envíos a Puebla?' });
    await row.waitFor({ timeout: 10_000 });
    assert.match(await row.innerText(), /Valeria Ruiz/);
    await row.click();
    const thread = admin.locator('charla-thread');
    await thread.locator('[part~="bubble"]', { hasText: 'Hola, ¿hacen envíos a Puebla?' }).waitFor();
    await thread.locator('textarea').fill('¡Sí! Llegan en 2 días.');
    await thread.locator('textarea').press('Enter');

    await phone.locator('.bubble.business', { hasText: '¡Sí! Llegan en 2 días.' }).waitFor({ timeout: 10_000 });
    await thread.locator('[part~="message"][data-status="read"]', { hasText: 'Llegan en 2 días' }).waitFor({ timeout: 10_000 });
  });

  it('an Instagram message arrives too', async () => {
    await phone.locator('[role="tab"][data-channel="instagram"]').click();
    await phone.locator('#text').fill('Vi su publicación, ¿precio?');
    await phone.locator('#text').press('Enter');
    await admin.locator('charla-inbox [role="option"]', { hasText: 'Vi su publicación, ¿precio?' }).waitFor({ timeout: 10_000 });
  });

  it('a Messenger customer writes from the simulator and the agent reply comes back to the phone', async () => {
    await phone.locator('[role="tab"][data-channel="messenger"]').click();
    await phone.locator('#text').fill('¿Tienen la taza grande en negro?');
    await phone.locator('#text').press('Enter');
    const row = admin.locator('charla-inbox [role="option"]', { hasText: '¿Tienen la taza grande en negro?' });
    await row.waitFor({ timeout: 10_000 });
    await row.click();
    const thread = admin.locator('charla-thread');
    await thread.locator('[part~="bubble"]', { hasText: 'taza grande en negro' }).waitFor();
    await thread.locator('textarea').fill('Sí, en negro mate.');
    await thread.locator('textarea').press('Enter');
    await phone.locator('.bubble.business', { hasText: 'Sí, en negro mate.' }).waitFor({ timeout: 10_000 });
    await thread.locator('[part~="message"][data-status="sent"]', { hasText: 'negro mate' }).waitFor({ timeout: 10_000 });
    await phone.locator('[role="tab"][data-channel="instagram"]').click();
  });

  it('an Instagram photo shows in the thread, kept by Charla and loaded with the agent token', async () => {
    // Open the customer's conversation first: the photo becomes its latest message (and its preview).
    await admin.locator('charla-inbox [role="option"]', { hasText: 'Vi su publicación' }).click();
    await admin.locator('charla-thread [part~="bubble"]', { hasText: 'Vi su publicación' }).waitFor();
    await phone.locator('#unsupported').click();
    const photo = admin.locator('charla-thread img.media');
    await photo.waitFor({ timeout: 10_000 });
    // Once downloaded, the thread shows the stored copy, fetched with the token into an object URL.
    await admin.waitForFunction(() => {
      const img = document.querySelector('charla-thread')!.shadowRoot!.querySelector<HTMLImageElement>('img.media:last-of-type');
      return Boolean(img?.src.startsWith('blob:') && img.complete && img.naturalWidth === 480);
    }, undefined, { timeout: 10_000 });
  });

  it('a Messenger customer is named from their profile (read from the Graph stand-in)', async () => {
    await phone.locator('[role="tab"][data-channel="messenger"]').click();
    await phone.locator('#handle').fill('PSID-sim-profile');
    await phone.locator('#name').fill('Renata Solís');
    await phone.locator('#text').fill('¿Abren los domingos?');
    await phone.locator('#text').press('Enter');
    const row = admin.locator('charla-inbox [role="option"]', { hasText: '¿Abren los domingos?' });
    await row.waitFor({ timeout: 10_000 });
    await admin.locator('charla-inbox [role="option"]', { hasText: 'Renata Solís' }).waitFor({ timeout: 10_000 });
  });

  it('an email customer writes (MIME to the inbound webhook), the reply reaches their mailbox through SMTP, and their answer joins the thread', async () => {
    await phone.locator('[role="tab"][data-channel="email"]').click();
    await phone.locator('#handle').fill('paula.rios@cliente-demo.test');
    await phone.locator('#name').fill('Paula Ríos');
    await phone.locator('#subject').fill('Factura de marzo');
    await phone.locator('#text').fill('¿Me reenvían la factura de marzo?');
    await phone.locator('#text').press('Enter');
    await phone.locator('#status', { hasText: 'Delivered to Charla' }).waitFor();
    const row = admin.locator('charla-inbox [role="option"]', { hasText: 'factura de marzo' });
    await row.waitFor({ timeout: 10_000 });
    assert.match(await row.innerText(), /Paula Ríos/);
    await row.click();
    const thread = admin.locator('charla-thread');
    await thread.locator('[part~="bubble"]', { hasText: 'factura de marzo' }).waitFor();
    await thread.locator('textarea').fill('Claro, se la reenviamos hoy.');
    await thread.locator('textarea').press('Enter');
    await phone.locator('.bubble.business', { hasText: 'Claro, se la reenviamos hoy.' }).waitFor({ timeout: 10_000 });
    assert.match(await phone.locator('.bubble.business', { hasText: 'Claro, se la reenviamos hoy.' }).innerText(), /Re: Factura de marzo/);

    await phone.locator('#text').fill('¡Gracias! Llegó bien.');
    await phone.locator('#text').press('Enter');
    await thread.locator('[part~="bubble"]', { hasText: '¡Gracias! Llegó bien.' }).waitFor({ timeout: 10_000 });
    assert.equal(await admin.locator('charla-inbox [role="option"]', { hasText: 'Paula Ríos' }).count(), 1, 'the answer joined the same conversation');
  });
});
