import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startDemoServer, type DemoServer } from '../support/demo-server.js';
import { mailId, postMail, textMail } from '../support/mail.js';
import { launchChromium } from '../support/browser.js';

const dist = fileURLToPath(new URL('../../dist', import.meta.url));
const shots = process.env.CHARLA_SCREENSHOTS;
const SECRET = 'e2e-inbound-secret-0123456789';

let server: DemoServer;
let browser: Browser;
let admin: Page;
let inboxKey: string;

before(async () => {
  assert.ok(existsSync(`${dist}/demo/admin.html`), 'run `npm run build` first (npm test does)');
  process.env.CHARLA_EMAIL_INBOUND_SECRET = SECRET;
  server = await startDemoServer({ staticDir: dist });
  delete process.env.CHARLA_EMAIL_INBOUND_SECRET;
  const view = await (await fetch(`${server.url}/api/v1/channels/email`, { headers: { authorization: `Bearer ${server.token}` } })).json();
  inboxKey = view.ids.inboxKey;
  browser = await launchChromium();
  admin = await (await browser.newContext({ locale: 'es-MX', viewport: { width: 1400, height: 900 } })).newPage();
  admin.on('pageerror', (error) => console.error(`page error: ${error.message}`));
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function outbox(): Promise<any[]> {
  return (await (await fetch(`${server.url}/demo/mail-outbox`)).json()).messages;
}

describe('email: customer → inbox → agent reply over SMTP → customer answer in the same conversation', () => {
  it('threads both ways through the real SMTP path', async () => {
    await admin.goto(`${server.url}/admin`);
    await admin.locator('charla-inbox [role="option"]').first().waitFor();

    const first = mailId('correo.cliente.test');
    const received = await postMail(server.url, inboxKey, textMail({
      from: 'Renata Silva <renata@correo.cliente.test>', to: 'hola@tienda-demo.test', subject: 'Tazas para regalo', messageId: first,
      body: 'Hola, ¿hacen tazas personalizadas para 50 personas?',
    }), SECRET);
    assert.equal(received.body.outcome, 'received');

    const row = admin.locator('charla-inbox [role="option"]', { hasText: 'tazas personalizadas' });
    await row.waitFor({ timeout: 10_000 });
    await row.click();
    const thread = admin.locator('charla-thread');
    await thread.locator('[part~="bubble"]', { hasText: 'tazas personalizadas' }).waitFor();
    const fields = thread.locator('.email-fields');
    await fields.waitFor();
    await fields.locator('input').nth(1).fill('compras@correo.cliente.test');
    await thread.locator('textarea').fill('¡Claro! Para 50 tazas el precio es $180 c/u.');
    if (shots) {
      for (const [name, width] of [['phone', 390], ['tablet', 820], ['desktop', 1400]] as const) {
        await admin.setViewportSize({ width, height: 900 });
        await admin.screenshot({ path: `${shots}/email-composer-${name}.png` });
      }
      await admin.setViewportSize({ width: 1400, height: 900 });
    }
    await thread.locator('textarea').press('Enter');

    const sent = await (async () => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const mail = (await outbox()).find((m) => m.text.startsWith('¡Claro! Para 50 tazas'));
        if (mail) return mail;
        if (Date.now() > deadline) throw new Error('the reply never reached the SMTP server');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    assert.deepEqual([...sent.to].sort(), ['compras@correo.cliente.test', 'renata@correo.cliente.test']);
    assert.equal(sent.subject, 'Re: Tazas para regalo');
    assert.equal(sent.inReplyTo, first, 'In-Reply-To names the customer message');
    assert.match(sent.replyTo, /^hola\+.+@tienda-demo\.test$/);
    await thread.locator('[part~="message"][data-status="sent"]', { hasText: 'Para 50 tazas' }).waitFor({ timeout: 10_000 });

    // The customer answers from their mail client, to the Reply-To address, quoting the reply.
    const answer = await postMail(server.url, inboxKey, textMail({
      from: 'renata@correo.cliente.test', to: sent.replyTo, subject: 'Re: Tazas para regalo', inReplyTo: sent.messageId,
      body: 'Perfecto, las encargo.\r\n\r\nEl lun, 7 dic 2026, Tienda <hola@tienda-demo.test> escribió:\r\n> ¡Claro! Para 50 tazas el precio es $180 c/u.',
    }), SECRET);
    assert.equal(answer.body.conversationId, received.body.conversationId, 'the answer joins the same conversation');
    await thread.locator('[part~="bubble"]', { hasText: 'Perfecto, las encargo.' }).waitFor({ timeout: 10_000 });
    assert.equal(await thread.locator('[part~="bubble"]', { hasText: 'escribió' }).count(), 0, 'the quoted history is not shown');
    if (shots) await admin.screenshot({ path: `${shots}/email-thread-desktop.png` });
  });
});
