import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { MetricResult, Pipeline, PipelineSnapshotResult, StageConversionResult } from '@charla/protocol';
import { durationParts } from '../../packages/elements/src/dashboard/dashboard.format.js';
import { eventually, startDemoServer, type DemoServer } from '../support/demo-server.js';
import { launchChromium } from '../support/browser.js';

const dist = fileURLToPath(new URL('../../dist', import.meta.url));
const DAY = 86_400_000;

let server: DemoServer;
let browser: Browser;
let page: Page;

before(async () => {
  assert.ok(existsSync(`${dist}/demo/admin.html`), 'run `npm run build` first (npm test does)');
  server = await startDemoServer({ staticDir: dist });
  browser = await launchChromium();
  page = await (await browser.newContext({ locale: 'es-MX', viewport: { width: 1440, height: 900 } })).newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  await page.goto(`${server.url}/admin#metrics`);
  await page.locator('charla-dashboard .bar-row').first().waitFor();
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

/** Today's range as the dashboard asks for it by default (the month so far, to the end of today). */
function monthQuery(): string {
  const today = new Date().toISOString().slice(0, 10);
  return `from=${today.slice(0, 8)}01T00:00:00Z&to=${new Date(Date.parse(`${today}T00:00:00Z`) + DAY).toISOString()}`;
}

describe('the sales dashboard in the demo admin, real server', () => {
  it('shows the funnel the server computes for the chosen range, and a deal behind a bar opens its conversation', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 60 * DAY).toISOString().slice(0, 10);
    await page.locator('charla-dashboard input[name="from"]').fill(from);
    const query = `from=${from}T00:00:00Z&to=${new Date(Date.parse(`${today}T00:00:00Z`) + DAY).toISOString()}`;
    const response = await fetch(`${server.url}/api/v1/metrics/stage-conversion?${query}`, { headers: { authorization: `Bearer ${server.token}` } });
    const expected = (await response.json()) as StageConversionResult;
    const first = expected.stages[0]!;
    assert.ok(first.entered > 0, 'the demo seeds deals in the last 60 days');
    const row = page.locator(`charla-dashboard [part="funnel"] .bar-row[data-stage="${first.stageId}"]`);
    await row.locator('.value', { hasText: new RegExp(`^${first.entered}\\b`) }).waitFor();

    await row.click();
    const drill = page.locator('charla-dashboard [part="drill"]');
    await drill.locator('h3', { hasText: first.name }).waitFor();
    assert.equal(await drill.locator('.deal').count(), first.entered);
    const withConversation = expected.deals.find((deal) => first.dealIds.includes(deal.id) && deal.conversationId)!;
    await drill.locator(`.deal[data-deal="${withConversation.id}"]`).click();
    await page.waitForURL(`**/admin#${withConversation.conversationId}`);
    await page.locator('charla-thread').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#nav-conversations').getAttribute('aria-current'), 'page');
  });

  it('shows the open pipeline and the service clocks, and updates in place when a deal is added elsewhere', async () => {
    await page.goto(`${server.url}/admin#metrics`);
    const [pipeline] = await api<Pipeline[]>('/pipelines');
    const stage = pipeline!.stages[0]!;
    const before = await api<PipelineSnapshotResult>(`/metrics/pipeline?${monthQuery()}`);
    const count = page.locator(`charla-dashboard [part="pipeline"] tr[data-stage="${stage.id}"] td.num .count span`);
    await count.filter({ hasText: new RegExp(`^${before.stages[0]!.count}$`) }).waitFor();
    await page.locator('charla-dashboard [part="service"] table.clocks tbody tr').first().waitFor();
    const row = await count.elementHandle();

    await api('/deals', { method: 'POST', body: { pipelineId: pipeline!.id, stageId: stage.id, title: 'Pedido en vivo', amount: 1234, currency: 'MXN' } });
    await count.filter({ hasText: new RegExp(`^${before.stages[0]!.count + 1}$`) }).waitFor();
    // The numbers were replaced where they stood: no loading state took the views away in between.
    assert.equal(await row!.evaluate((node) => node.isConnected), true);
    await eventually(async () => assert.equal(await page.locator('charla-dashboard .views').getAttribute('aria-busy'), 'false'));
  });

  it('keeps the month’s target the user sets in the forecast', async () => {
    await page.goto(`${server.url}/admin#metrics`);
    const input = page.locator('charla-dashboard input[name="target"]');
    await input.fill('-1');
    await input.press('Enter');
    await page.locator('charla-dashboard #target-error').waitFor();
    await input.fill('75000');
    await input.press('Enter');
    await page.locator('charla-dashboard [part="forecast"] .legend', { hasText: /75[.,]000/ }).waitFor();
    await page.reload();
    await page.locator('charla-dashboard [part="forecast"] .legend', { hasText: /75[.,]000/ }).waitFor();
    assert.equal(await page.locator('charla-dashboard input[name="target"]').inputValue(), '75000');
  });

  it('counts the service clocks in business hours when the user switches to them', async () => {
    await page.goto(`${server.url}/admin#metrics`);
    const service = page.locator('charla-dashboard [part="service"]');
    await service.locator('table.clocks tbody tr').first().waitFor();
    await service.getByRole('radio', { name: 'Horario laboral' }).check();
    const expected = await api<MetricResult>(`/metrics/first-response-time?${monthQuery()}&hours=business`);
    assert.equal(expected.hours, 'business');
    // As the dashboard writes durations in Spanish: "4 min", "2 h 10 min".
    const units = { seconds: 's', minutes: 'min', hours: 'h', daysShort: 'd' } as const;
    const spoken = (seconds: number | null) => (seconds === null ? '—' : durationParts(seconds).map(([unit, value]) => `${value} ${units[unit]}`).join(' '));
    const row = service.locator('tr[data-clock="firstResponse"]');
    await eventually(async () => {
      assert.deepEqual(await row.locator('td').allInnerTexts(), [spoken(expected.overall.median), spoken(expected.overall.p90), String(expected.overall.count)]);
    });
    await service.locator('[data-stat="waiting-now"] .stat-value', { hasText: new RegExp(`^${expected.waitingNow}$`) }).waitFor();
  });

  it('lists every deal behind a number on request when the server listed only the first ones', async () => {
    const [pipeline] = await api<Pipeline[]>('/pipelines');
    const stage = pipeline!.stages[1]!;
    for (let i = 0; i < 101; i += 1) {
      await api('/deals', { method: 'POST', body: { pipelineId: pipeline!.id, stageId: stage.id, title: `Mayoreo ${i + 1}`, amount: 500 + i, currency: 'MXN' } });
    }
    const snapshot = await api<PipelineSnapshotResult>(`/metrics/pipeline?${monthQuery()}`);
    const total = snapshot.stages.find((row) => row.stageId === stage.id)!.count;
    assert.ok(total > 100, 'total > 100');
    await page.goto(`${server.url}/admin#metrics`);
    await page.locator(`charla-dashboard [part="pipeline"] tr[data-stage="${stage.id}"] .link`).click();
    const drill = page.locator('charla-dashboard [part="drill"]');
    await drill.locator('.capped', { hasText: new RegExp(`100 .* ${total.toLocaleString('es-MX')}`) }).waitFor();
    assert.equal(await drill.locator('.deal').count(), 100);
    await drill.locator('.show-all').click();
    await eventually(async () => assert.equal(await drill.locator('.deal').count(), total), 10_000);
    assert.equal(await drill.locator('.capped').count(), 0);
  });
});
