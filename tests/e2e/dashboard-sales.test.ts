import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { AcquisitionCostResult, Conversation, LtvByChannelResult, PipelineHygieneResult, WorkloadResult } from '@charla/protocol';
import { eventually, startDemoServer, type DemoServer } from '../support/demo-server.js';
import { launchChromium } from '../support/browser.js';

const dist = fileURLToPath(new URL('../../dist', import.meta.url));
const DAY = 86_400_000;

let server: DemoServer;
let browser: Browser;
let page: Page;
const today = new Date().toISOString().slice(0, 10);
const from = new Date(Date.now() - 60 * DAY).toISOString().slice(0, 10);
/** The last 60 days as the dashboard asks for them once the user picks them. */
const RANGE = `from=${from}T00:00:00Z&to=${new Date(Date.parse(`${today}T00:00:00Z`) + DAY).toISOString()}`;

before(async () => {
  assert.ok(existsSync(`${dist}/demo/admin.html`), 'run `npm run build` first (npm test does)');
  server = await startDemoServer({ staticDir: dist });
  browser = await launchChromium();
  page = await (await browser.newContext({ locale: 'es-MX', viewport: { width: 1440, height: 900 } })).newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  await page.goto(`${server.url}/admin#metrics`);
  await page.locator('charla-dashboard [part="workload"] tbody tr').first().waitFor();
  await page.locator('charla-dashboard input[name="from"]').fill(from);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(`${server.url}/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  assert.ok(response.ok, `${path}: ${response.status} ${await response.clone().text()}`);
  return (await response.json()) as T;
}

const cells = (row: ReturnType<Page['locator']>) => row.locator('th, td').allInnerTexts();

describe('the sales views of the dashboard in the demo admin, real server', () => {
  it('shows lifetime value per first channel as the server computes it, and a customer opens their conversation', async () => {
    const expected = await api<LtvByChannelResult>(`/metrics/ltv-by-channel?${RANGE}`);
    const group = expected.channels.find((candidate) => candidate.customers > 0);
    assert.ok(group, 'the demo has customers who bought after their first conversation');
    const row = page.locator(`charla-dashboard [part="ltv"] tr[data-group="${group.key}"]`);
    await eventually(async () => assert.equal((await cells(row))[1], `${group.customers} de ${group.contacts}`));
    await row.locator('.link').click();
    const drill = page.locator('charla-dashboard [part="drill"]');
    await drill.locator('.deal').first().waitFor();
    assert.equal(await drill.locator('.deal').count(), group.customers);
    const first = expected.contacts.find((contact) => contact.id === group.contactIds[0])!;
    await drill.locator(`.deal[data-contact="${first.id}"]`).click();
    await page.waitForURL(`**/admin#${first.firstConversationId}`);
    await page.locator('charla-thread').waitFor({ state: 'visible' });
  });

  it('shows acquisition cost from the spend entered, and a channel’s months', async () => {
    const response = await fetch(`${server.url}/api/v1/spend`, {
      method: 'POST', headers: { authorization: `Bearer ${server.token}`, 'content-type': 'text/csv' },
      body: `channel,campaign,month,amount,currency\nwebchat,Banner,${today.slice(0, 7)},1200,USD\n`,
    });
    assert.equal(response.status, 201, await response.text());
    const expected = await api<AcquisitionCostResult>(`/metrics/acquisition-cost?${RANGE}`);
    const webchat = expected.channels.find((row) => row.channel === 'webchat')!;
    assert.deepEqual(webchat.spend, { USD: 1200 });
    // Spend is not a live change: the dashboard shows it once the page loads again.
    await page.goto(`${server.url}/admin#metrics`);
    await page.reload();
    await page.locator('charla-dashboard [part="workload"] tbody tr').first().waitFor();
    await page.locator('charla-dashboard input[name="from"]').fill(from);
    const row = page.locator('charla-dashboard [part="acquisition"] tr[data-channel="webchat"]');
    await eventually(async () => {
      const texts = await cells(row);
      assert.match(texts[1]!, /1,200/);
      assert.equal(texts[2], String(webchat.leads));
    }, 10_000);
    const whatsapp = expected.channels.find((candidate) => candidate.channel === 'whatsapp')!;
    assert.deepEqual(whatsapp.spend, { MXN: 8_300 }, 'the demo seeds this month’s and last month’s WhatsApp ads');
    await page.locator('charla-dashboard [part="acquisition"] tr[data-channel="whatsapp"] .link').click();
    const months = page.locator('charla-dashboard [part="drill"] table.months tbody tr');
    await months.first().waitFor();
    assert.equal(await months.count(), expected.months.length);
  });

  it('shows the follow-up hygiene per salesperson and the stale deals behind it', async () => {
    const expected = await api<PipelineHygieneResult>(`/metrics/pipeline-hygiene?to=${new Date().toISOString()}`);
    assert.ok(expected.overall.open > 0, 'the demo has open deals');
    const owner = expected.owners[0]!;
    const row = page.locator(`charla-dashboard [part="hygiene"] tr[data-owner="${owner.key}"]`);
    await eventually(async () => assert.equal((await cells(row))[1], String(owner.open)));
    if (owner.stale > 0) {
      await row.locator('.link').click();
      const drill = page.locator('charla-dashboard [part="drill"]');
      await drill.locator('.deal').first().waitFor();
      assert.equal(await drill.locator('.deal').count(), owner.stale);
    }
  });

  it('shows each agent’s workload now and follows an assignment made elsewhere, live', async () => {
    await page.goto(`${server.url}/admin#metrics`);
    const before = await api<WorkloadResult>('/metrics/workload');
    const admin = before.agents.find((row) => row.presence === 'online');
    assert.ok(admin, 'the demo admin is connected');
    const row = page.locator(`charla-dashboard [part="workload"] tr[data-member="${admin.agentId}"]`);
    await eventually(async () => assert.deepEqual((await cells(row)).slice(1, 3), ['Disponible', String(admin.open)]));
    const { conversations } = await api<{ conversations: Conversation[] }>('/conversations?status=open');
    const other = conversations.find((conversation) => conversation.assigneeId !== admin.agentId)!;
    await api(`/conversations/${other.id}`, { method: 'PATCH', body: { assigneeId: admin.agentId } });
    await eventually(async () => assert.equal((await cells(row))[2], String(admin.open + 1)), 10_000);
  });

  it('downloads a view as CSV and the whole dashboard as a PDF whose text holds the numbers on screen', async () => {
    await page.goto(`${server.url}/admin#metrics`);
    await page.reload();
    const card = page.locator('charla-dashboard [part="acquisition"]');
    await card.locator('tbody tr').first().waitFor();
    const [csv] = await Promise.all([page.waitForEvent('download'), card.locator('[part="export"]').click()]);
    const month = new Date().toISOString().slice(0, 8);
    const query = `from=${month}01T00:00:00.000Z&to=${new Date(Date.parse(`${today}T00:00:00Z`) + DAY).toISOString()}`;
    const expected = await (await fetch(`${server.url}/api/v1/metrics/acquisition-cost/csv?${query}`, { headers: { authorization: `Bearer ${server.token}` } })).text();
    assert.equal(await readFile((await csv.path())!, 'utf8'), expected);
    assert.match(csv.suggestedFilename(), /^acquisition-.*\.csv$/);
    const [service] = await Promise.all([page.waitForEvent('download'), page.locator('charla-dashboard [part="service"] [part="export"]').click()]);
    assert.match(await readFile((await service.path())!, 'utf8'), /^First response time\n/);

    const [report] = await Promise.all([page.waitForEvent('download'), page.locator('charla-dashboard [part="report"]').click()]);
    const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const standardFontDataUrl = fileURLToPath(new URL('../../node_modules/pdfjs-dist/standard_fonts/', import.meta.url));
    const pdf = await getDocument({ data: new Uint8Array(await readFile((await report.path())!)), standardFontDataUrl, isEvalSupported: false }).promise;
    const words: string[] = [];
    for (let n = 1; n <= pdf.numPages; n += 1) {
      for (const item of (await (await pdf.getPage(n)).getTextContent()).items) if ('str' in item) words.push(item.str);
    }
    const text = words.join(' ').replace(/\s+/g, ' ');
    const acquisition = await api<AcquisitionCostResult>(`/metrics/acquisition-cost?${query}`);
    const whatsapp = acquisition.channels.find((row) => row.channel === 'whatsapp')!;
    // The screen's numbers: WhatsApp's leads and spend as the view shows them, in the report's words.
    const onScreen = await cells(card.locator('tr[data-channel="whatsapp"]'));
    assert.equal(onScreen[2], String(whatsapp.leads));
    assert.ok(text.includes(`whatsapp all ${whatsapp.spend.MXN!.toFixed(2)} MXN ${whatsapp.leads} ${whatsapp.qualified} ${whatsapp.won}`), 'the report has WhatsApp’s acquisition row');
    assert.ok(text.includes('Tienda Aurora — sales report'), 'the report names the workspace');
  });
});
