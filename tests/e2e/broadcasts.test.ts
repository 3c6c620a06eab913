/**
 * Broadcasts in the demo admin, real server and real Chromium: filter the directory, select, tag,
 * "Enviar campaña" to the selection, preview and send, then watch each recipient's status move as
 * Meta's signed status webhooks arrive; and a broadcast composed to a saved segment. The demo's
 * Graph stand-in takes the sends (as the fake Graph API does in the server tests).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Broadcast, BroadcastRecipient } from '@charla/protocol';
import { signatureOf } from '../../server/src/channels/signature.js';
import { eventually, startDemoServer, type DemoServer } from '../support/demo-server.js';
import { launchChromium } from '../support/browser.js';

const dist = fileURLToPath(new URL('../../dist', import.meta.url));

let server: DemoServer;
let browser: Browser;
let page: Page;
let whatsapp: { phoneNumberId: string; appSecret: string };

const rest = async <T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> => {
  const response = await fetch(`${server.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${server.token}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
    ...(init.body ? { body: JSON.stringify(init.body) } : {}),
  });
  assert.ok(response.ok, `${path}: ${response.status}`);
  return (await response.json()) as T;
};

/** Meta's status webhook for these messages, signed with the demo's app secret. */
async function postStatuses(statuses: Array<{ id: string; status: string }>): Promise<void> {
  const raw = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: 'waba', changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp', metadata: { display_phone_number: '15550000000', phone_number_id: whatsapp.phoneNumberId },
      statuses: statuses.map((s) => ({ ...s, timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: '0' })),
    } }] }],
  });
  const response = await fetch(`${server.url}/webhooks/whatsapp`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signatureOf(raw, whatsapp.appSecret) }, body: raw,
  });
  assert.equal(response.status, 200, 'the status webhook is accepted');
}

const badge = (id: string) => page.locator(`charla-broadcasts tr[data-id="${id}"] .badge`);

before(async () => {
  assert.ok(existsSync(`${dist}/demo/admin.html`), 'run `npm run build` first (npm test does)');
  server = await startDemoServer({ staticDir: dist });
  whatsapp = (await (await fetch(`${server.url}/demo/simulator.json`)).json()).whatsapp;
  await rest('/api/v1/channels/whatsapp/templates/sync', { method: 'POST' });
  browser = await launchChromium();
  page = await (await browser.newContext({ locale: 'es-MX', viewport: { width: 1280, height: 800 } })).newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  await page.goto(`${server.url}/admin`);
  await page.locator('charla-inbox [role="option"]').first().waitFor();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

describe('broadcasts in the demo admin, real server', () => {
  it('filter, select, tag, "Enviar campaña" to the selection, send, and see statuses move as Meta reports them', async () => {
    await page.locator('#nav-contacts').click();
    const rows = page.locator('charla-contacts [part~="row"][data-id]');
    await rows.first().waitFor();
    await page.locator('charla-contacts [part="search"]').fill('fern');
    await page.locator('charla-contacts .total', { hasText: /^2 clientes$/ }).waitFor();
    await rows.nth(0).locator('input[type="checkbox"]').click();
    await rows.nth(1).locator('input[type="checkbox"]').click({ modifiers: ['Shift'] });
    await page.locator('charla-contacts #bulk-tag').fill('feria-e2e');
    await page.locator('charla-contacts [data-action="add-tag"]').click();
    await page.locator('charla-contacts .message', { hasText: '2 clientes modificados' }).waitFor();

    await page.locator('charla-contacts [data-action="broadcast"]', { hasText: 'Enviar campaña' }).click();
    await page.waitForURL(/#broadcasts$/);
    assert.equal(await page.locator('#nav-broadcasts').getAttribute('aria-current'), 'page', '"Campañas" is the current view');
    await page.locator('charla-broadcasts [data-audience="selection"]', { hasText: '2 clientes seleccionados' }).waitFor();
    await page.locator('charla-broadcasts input[name="name"]').fill('Feria de marzo');
    await page.locator('charla-broadcasts select[name="template"]').selectOption('order_update|es_MX');
    await page.locator('charla-broadcasts input[data-parameter-text="1"]').fill('P-77');
    await page.locator('charla-broadcasts [data-action="preview"]').click();
    const preview = page.locator('charla-broadcasts [part="preview"]');
    await preview.getByText('Llega a 2 clientes').waitFor();
    assert.match(await preview.locator('.bubble').textContent() ?? '', /^Hola (Diego|Fernanda), tu pedido P-77 está en camino\.$/);

    await page.locator('charla-broadcasts [data-action="send"]', { hasText: 'Enviar a 2' }).click();
    const table = page.locator('charla-broadcasts [part="recipients"]');
    await table.waitFor();
    const { broadcasts } = await rest<{ broadcasts: Broadcast[] }>('/api/v1/broadcasts');
    const broadcast = broadcasts.find((b) => b.name === 'Feria de marzo')!;
    const sent = await eventually(async () => {
      const { recipients } = await rest<{ recipients: BroadcastRecipient[] }>(`/api/v1/broadcasts/${broadcast.id}/recipients`);
      assert.ok(recipients.every((r) => r.status === 'sent' && r.channelMessageId), 'both sent');
      return recipients;
    }, 10_000);
    for (const r of sent) await badge(r.id).getByText('Enviado').waitFor();

    // Meta reports: the first delivered, the second read.
    const [first, second] = sent as [BroadcastRecipient, BroadcastRecipient];
    await postStatuses([{ id: first.channelMessageId!, status: 'delivered' }, { id: second.channelMessageId!, status: 'read' }]);
    await badge(first.id).getByText('Entregado').waitFor();
    await badge(second.id).getByText('Leído').waitFor();
    assert.match(await page.locator('charla-broadcasts [part="counts"] [data-status="read"]').textContent() ?? '', /Leído\s*1/);
  });

  it('composes a broadcast to a saved segment and sends it', async () => {
    await rest('/api/v1/segments', { method: 'POST', body: { name: 'Feria e2e', filter: { tags: ['feria-e2e'] } } });
    await page.locator('charla-broadcasts [data-action="back"]').click();
    await page.locator('charla-broadcasts [data-action="new"]').click();
    await page.locator('charla-broadcasts select[name="segment"] option', { hasText: 'Feria e2e' }).waitFor({ state: 'attached' });
    await page.locator('charla-broadcasts select[name="segment"]').selectOption({ label: 'Feria e2e (2)' });
    await page.locator('charla-broadcasts select[name="template"]').selectOption('follow_up|es_MX');
    await page.locator('charla-broadcasts [data-action="preview"]').click();
    await page.locator('charla-broadcasts [part="preview"]').getByText('Llega a 2 clientes').waitFor();
    await page.locator('charla-broadcasts [data-action="send"]').click();
    await page.locator('charla-broadcasts [part="recipients"]').waitFor();
    await eventually(async () => {
      const texts = await page.locator('charla-broadcasts [part="recipients"] .badge').allTextContents();
      assert.deepEqual(texts.map((t) => t.trim()), ['Enviado', 'Enviado'], 'both sent');
    }, 10_000);
    await page.locator('charla-broadcasts [data-action="back"]').click();
    assert.equal(await page.locator('charla-broadcasts [part="list"] button.row').count(), 2, 'both broadcasts listed');
  });
});
