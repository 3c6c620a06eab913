import assert from 'node:assert/strict';
import { it } from 'node:test';
import { useBuiltDemo } from '../support/built-demo.js';
import { eventually } from '../support/demo-server.js';

// The visitor rates a resolved conversation in the widget's own card, with the keyboard.

const demo = useBuiltDemo('widget/widget.js');
const { api } = demo;

it('an admin turns surveys on and writes the Spanish question in the settings; a question too long is said and not saved', async () => {
  const admin = await (await demo.browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } })).newPage();
  admin.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  await admin.goto(`${demo.server.url}/admin#settings`);
  await admin.locator('#lang').selectOption('en');
  await admin.locator('charla-settings nav button[data-section="csat"]').click();
  const section = admin.locator('charla-settings-csat');
  const enabled = section.getByLabel('Ask customers to rate resolved conversations');
  await enabled.waitFor();
  assert.equal(await enabled.isChecked(), false, 'off until an admin turns it on');
  await enabled.check();
  await section.getByLabel('Spanish').fill('x'.repeat(301));
  await section.getByText('At most 300 characters (301 now)').waitFor();
  assert.equal(await section.getByRole('button', { name: 'Save' }).isDisabled(), true, 'nothing invalid is sent');
  await section.getByLabel('Spanish').fill('¿Qué tal te atendimos?');
  await section.getByRole('button', { name: 'Save' }).click();
  await section.getByText('Saved').waitFor();
  const saved = await api('/csat/settings');
  assert.equal(saved.enabled, true);
  assert.deepEqual(saved.questions, { es: '¿Qué tal te atendimos?' });
  await admin.context().close();
});

it('asks the visitor with a card once the conversation is resolved; stars and comment by keyboard reach the conversation', async () => {
  await api('/csat/settings', { method: 'PUT', body: { enabled: true, questions: { es: '¿Cómo te atendimos hoy?' } } });
  const context = await demo.browser.newContext({ locale: 'es-MX', viewport: { width: 390, height: 800 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  await page.goto(`${demo.server.url}/shop`);
  await page.locator('charla-widget .launcher').click();
  const textarea = page.locator('charla-webchat textarea');
  await textarea.fill('¿Me ayudan con mi pedido 77?');
  await textarea.press('Enter');

  // `eventually` retries only what throws: until the message is in, the lookup must throw (an
  // undefined id would resolve the wait at once and resolve nothing, so no survey would be asked).
  const conversationId = await eventually(async () => {
    const list = await api(`/conversations?status=all&channel=webchat&query=${encodeURIComponent('pedido 77')}`);
    const id = list.conversations?.[0]?.id as string | undefined;
    assert.ok(id, 'the visitor\'s conversation is in');
    return id;
  }, 10_000);
  const resolved = await api(`/conversations/${conversationId}`, { method: 'PATCH', body: { status: 'resolved' } });
  assert.equal(resolved.status, 'resolved', JSON.stringify(resolved));
  const asked = (await api(`/conversations/${conversationId}/csat`)).surveys;
  assert.equal(asked.length, 1, 'resolving asked the survey in the same change');

  // The card shows live, from the survey's message event.
  const card = page.locator('charla-webchat [part~="csat"]');
  await card.getByText('¿Cómo te atendimos hoy?').waitFor({ timeout: 10_000 });
  for (const width of [390, 820, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    await page.screenshot({ path: `/tmp/csat-widget-${width}.png` });
  }
  // By keyboard: the comment first, then Tab to the stars and Enter on the fourth.
  await card.getByLabel('¿Algo que agregar? (opcional)').fill('Muy rápidos');
  await card.getByLabel('¿Algo que agregar? (opcional)').press('Tab');
  for (let step = 0; step < 3; step += 1) await page.keyboard.press('Tab');
  assert.equal(await card.getByRole('button', { name: '4 de 5 estrellas' }).evaluate((button) => button.matches(':focus')), true, 'the fourth star has focus');
  await page.keyboard.press('Enter');
  await card.getByText('¡Gracias por tu calificación!').waitFor();

  const { surveys } = await api(`/conversations/${conversationId}/csat`);
  assert.deepEqual(surveys.map((s: any) => [s.status, s.rating, s.comment]), [['answered', 4, 'Muy rápidos']]);
  await context.close();

  // The admin's dashboard: the service view's satisfaction card counts the rating (the demo's seed
  // has no other answer: 4 → "4 / 5", 100%, one response), and the answer opens its conversation.
  const admin = await (await demo.browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } })).newPage();
  admin.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  await admin.goto(`${demo.server.url}/admin#metrics`);
  await admin.locator('#lang').selectOption('en');
  const satisfaction = admin.locator('charla-dashboard [part="csat"]');
  await satisfaction.locator('[data-stat="responses"]', { hasText: '1 response' }).waitFor({ timeout: 15_000 });
  assert.equal((await satisfaction.locator('[data-stat="responses"]').innerText()).replace(/\s+/g, ' '), '1 response');
  assert.equal((await satisfaction.locator('[data-stat="average"]').innerText()).replace(/\s+/g, ' '), '4 / 5 average rating');
  assert.equal((await satisfaction.locator('[data-stat="score"]').innerText()).replace(/\s+/g, ' '), '100% CSAT score');
  assert.match(await satisfaction.locator('table[data-by="channel"] tbody').innerText(), /Web chat\s+4 \/ 5\s+100%\s+1/);
  await satisfaction.locator('[data-stat="responses"] button').click();
  const answer = admin.locator('charla-dashboard [part="drill"] button[data-survey]');
  assert.match(await answer.innerText(), /★★★★☆\s+“Muy rápidos”/);
  await answer.click();
  await admin.waitForURL(`**/admin#${conversationId}`);
  await admin.context().close();
});
