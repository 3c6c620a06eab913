import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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

  it('an HTML email shows its subject and its formatted body in a sandboxed frame where nothing runs or loads', async () => {
    // A tracker the mail points at: it must never be asked for anything.
    const hits: string[] = [];
    const tracker = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'image/gif' }).end();
    });
    await new Promise<void>((resolve) => tracker.listen(0, '127.0.0.1', resolve));
    const pixel = `http://127.0.0.1:${(tracker.address() as AddressInfo).port}`;
    try {
      const raw = [
        'From: Bruno Lima <bruno@correo.cliente.test>', 'To: hola@tienda-demo.test', 'Subject: =?UTF-8?Q?Cotizaci=C3=B3n_con_formato?=',
        `Message-ID: ${mailId('correo.cliente.test')}`, 'MIME-Version: 1.0', 'Content-Type: multipart/alternative; boundary="alt"', '',
        '--alt', 'Content-Type: text/plain; charset=utf-8', '', 'Quiero 30 vasos térmicos.',
        '--alt', 'Content-Type: text/html; charset=utf-8', '',
        `<html><head><style>body{background:url(${pixel}/bg.gif)}</style><script>fetch('${pixel}/script')</script></head>`,
        `<body><p>Quiero <strong>30 vasos térmicos</strong>.</p><img src="${pixel}/pixel.gif" width="1" height="1">`,
        `<p onclick="fetch('${pixel}/click')"><a href="https://tienda.example/catalogo">catálogo</a></p></body></html>`,
        '--alt--', '',
      ].join('\r\n');
      const received = await postMail(server.url, inboxKey, raw, SECRET);
      assert.equal(received.body.outcome, 'received');
      const row = admin.locator('charla-inbox [role="option"]', { hasText: '30 vasos térmicos' });
      await row.waitFor({ timeout: 10_000 });
      await row.click();
      const thread = admin.locator('charla-thread');
      const message = thread.locator('[part~="message"]', { has: admin.locator('[part~="email-subject"]', { hasText: 'Cotización con formato' }) });
      await message.waitFor();
      const frame = message.locator('iframe[part~="email-frame"]');
      assert.equal(await frame.getAttribute('sandbox'), '', 'the frame allows nothing');
      const inside = admin.frameLocator('charla-thread iframe[part~="email-frame"] >> nth=-1');
      await inside.locator('strong', { hasText: '30 vasos térmicos' }).waitFor();
      assert.equal(await inside.locator('img').count(), 0, 'no image survives the server');
      assert.equal(await inside.locator('script').count(), 0, 'no script survives the server');
      assert.equal(await inside.locator('[onclick]').count(), 0, 'no event handler survives the server');
      if (shots) {
        for (const [name, width] of [['phone', 390], ['tablet', 820], ['desktop', 1280]] as const) {
          await admin.setViewportSize({ width, height: 900 });
          await message.scrollIntoViewIfNeeded();
          await admin.screenshot({ path: `${shots}/email-html-${name}.png` });
        }
        await admin.setViewportSize({ width: 1400, height: 900 });
      }
      // The text is one click away, and back.
      await message.locator('[part~="email-toggle"]').click();
      await message.locator('[part~="bubble"]', { hasText: 'Quiero 30 vasos térmicos.' }).waitFor();
      assert.equal(await message.locator('iframe').count(), 0);
      await message.locator('[part~="email-toggle"]').click();
      await message.locator('iframe[part~="email-frame"]').waitFor();
      assert.deepEqual(hits, [], 'nothing in the mail called the tracker');
    } finally {
      await new Promise((resolve) => tracker.close(resolve));
    }
  });
});
