import assert from 'node:assert/strict';
import { it } from 'node:test';
import { useBuiltDemo } from '../support/built-demo.js';
import { eventually } from '../support/demo-server.js';

// The demo admin's "Payment link" quick action: the agent runs it in a WhatsApp conversation of
// the simulator's customer, the demo asks its payment API (a real HTTP server on loopback) for a
// link for the open deal's amount, and the link reaches the customer's phone as WhatsApp's
// call-to-action button (what the Graph API stand-in was asked to send).

const demo = useBuiltDemo('demo/simulator.html');
const { api } = demo;

it('"Payment link" asks the payment API for the deal\'s amount and the link reaches the WhatsApp customer; a refusal is shown and sends nothing', async () => {
  const phone = await (await demo.browser.newContext({ locale: 'es-MX' })).newPage();
  const admin = await (await demo.browser.newContext({ locale: 'es-MX', viewport: { width: 1280, height: 900 } })).newPage();
  for (const page of [phone, admin]) page.on('pageerror', (error) => console.error(`page error: ${error.message}`));

  await phone.goto(`${demo.server.url}/simulator`);
  await phone.locator('#handle').fill('5215500001234');
  await phone.locator('#name').fill('Óscar Méndez');
  await phone.locator('#text').fill('Quiero las 3 bolsas de Chiapas, ¿cómo pago?');
  await phone.locator('#text').press('Enter');
  await phone.locator('#status', { hasText: 'Delivered to Charla' }).waitFor();

  const conversation = await eventually(async () => {
    const list = await api(`/conversations?status=all&channel=whatsapp&query=${encodeURIComponent('bolsas de Chiapas')}`);
    assert.ok(list.conversations?.[0], 'the conversation is in');
    return list.conversations[0];
  }, 10_000);
  const pipelines = await api('/pipelines');
  const pipeline = (Array.isArray(pipelines) ? pipelines : pipelines.pipelines)[0];
  const created = await api('/deals', { method: 'POST', body: { title: '3 bolsas Chiapas Altura', amount: 867, currency: 'MXN', contactId: conversation.contactId, pipelineId: pipeline.id } });
  assert.ok(created.id ?? created.deal?.id, `the deal is created: ${JSON.stringify(created)}`);

  await admin.goto(`${demo.server.url}/admin#${conversation.id}`);
  const thread = admin.locator('charla-thread');
  await thread.locator('[part~="bubble"]', { hasText: 'bolsas de Chiapas' }).waitFor();
  const action = thread.getByRole('button', { name: 'Payment link' });
  await action.waitFor();
  for (const width of [390, 820, 1280]) {
    await admin.setViewportSize({ width, height: 900 });
    await admin.screenshot({ path: `/tmp/quick-action-toolbar-${width}.png` });
  }
  await admin.setViewportSize({ width: 1280, height: 900 });

  // From the composer's "/" menu, by keyboard.
  const textarea = thread.locator('textarea');
  await textarea.click();
  await textarea.pressSequentially('/pay');
  const option = thread.getByRole('option', { name: /Payment link/ });
  await option.waitFor();
  for (const width of [390, 820, 1280]) {
    await admin.setViewportSize({ width, height: 900 });
    await admin.screenshot({ path: `/tmp/quick-action-menu-${width}.png` });
  }
  await admin.setViewportSize({ width: 1280, height: 900 });
  await textarea.press('Enter');

  // The payment API made the link for the deal's amount, and the customer's phone got it.
  const paymentsUrl = ((await (await fetch(`${demo.server.url}/demo/config.json`)).json()) as { paymentsUrl: string }).paymentsUrl;
  const link = await eventually(async () => {
    const { data } = (await (await fetch(`${paymentsUrl}/v1/payment_links`)).json()) as { data: any[] };
    assert.equal(data.length, 1, 'one link was made');
    return data[0];
  }, 10_000);
  assert.equal(link.amount, 867);
  assert.equal(link.currency, 'MXN');
  assert.equal(link.description, '3 bolsas Chiapas Altura');
  const sent = await eventually(async () => {
    const { messages } = (await (await fetch(`${demo.server.url}/demo/graph-outbox`)).json()) as { messages: any[] };
    const found = messages.find((m) => m.channel === 'whatsapp' && m.to === '5215500001234' && m.text.includes(link.url));
    assert.ok(found, 'the Graph stand-in was asked to send the link to the customer');
    return found;
  }, 10_000);
  assert.match(sent.text, /^Aquí tienes tu link de pago:\n\[Pagar \$867\.00 MXN\] http:\/\/127\.0\.0\.1:\d+\/pay\/pl_[0-9a-f]{16}$/);
  await phone.locator('.bubble.business', { hasText: link.url }).waitFor({ timeout: 10_000 });
  await thread.locator('a[part="link-card"]', { hasText: 'Pagar $867.00 MXN' }).waitFor();
  assert.equal(await textarea.inputValue(), '', 'the "/pay" went');
  // The page the link opens is the payment provider's.
  const page = await fetch(link.url);
  assert.match(await page.text(), /Pagar \$867\.00 MXN/);

  // The payment API refuses (no amount the agent typed is valid): the thread says why, nothing is sent.
  await api(`/deals/${created.id ?? created.deal.id}`, { method: 'PATCH', body: { amount: 0 } });
  admin.once('dialog', (dialog) => void dialog.accept('cero'));
  const before = (await api(`/conversations/${conversation.id}/messages?limit=100`)).messages.length;
  await action.click();
  await thread.getByRole('alert').filter({ hasText: 'Escribe un monto mayor que cero' }).waitFor();
  assert.equal((await api(`/conversations/${conversation.id}/messages?limit=100`)).messages.length, before, 'nothing was sent');
});
