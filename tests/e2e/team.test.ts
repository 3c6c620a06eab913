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

async function newPage(path: string, width = 1440): Promise<Page> {
  const page = await (await browser.newContext({ locale: 'en-US', viewport: { width, height: 900 } })).newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  await page.goto(`${server.url}${path}`);
  return page;
}

before(async () => {
  assert.ok(existsSync(`${dist}/demo/admin.html`), 'run `npm run build` first (npm test does)');
  server = await startDemoServer({ staticDir: dist });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

describe('running a team from charla-settings, in Chromium against the real server', () => {
  it('an admin adds an agent and a team; the agent signs in elsewhere and gets a new conversation by round-robin', async () => {
    const admin = await newPage('/admin#settings');
    await admin.evaluate(() => (document.documentElement.lang = 'en'));
    const team = admin.locator('charla-settings-team');
    await team.locator('table tr', { hasText: 'Bruno Costa' }).waitFor();

    // Add Nadia: Add stays disabled until the form is valid; a bad email says so beside the field.
    const addForm = team.locator('form.add-agent');
    const add = addForm.getByRole('button', { name: 'Add' });
    assert.equal(await add.isDisabled(), true);
    await addForm.getByLabel('Name').fill('Nadia Ruiz');
    await addForm.getByLabel('Email').fill('nadia@');
    await addForm.locator('.field-error', { hasText: 'Not an email address' }).waitFor();
    assert.equal(await add.isDisabled(), true);
    await addForm.getByLabel('Email').fill('nadia@tiendaaurora.mx');
    await add.click();
    await team.locator('[role="status"]', { hasText: 'Nadia Ruiz was added' }).waitFor();
    const row = team.locator('tr[data-agent]', { hasText: 'Nadia Ruiz' });
    await row.waitFor();
    const nadiaId = (await row.getAttribute('data-agent'))!;

    // The same email again is refused with the server's reason.
    await addForm.getByLabel('Name').fill('Nadia Dos');
    await addForm.getByLabel('Email').fill('nadia@tiendaaurora.mx');
    await add.click();
    await team.locator('[role="alert"]', { hasText: 'Another agent of this workspace has this email' }).waitFor();

    // A team with Nadia in it.
    const newTeam = team.locator('form.new-team');
    await newTeam.getByLabel('Team name').fill('Posventa');
    await newTeam.getByRole('button', { name: 'Create' }).click();
    const posventa = team.locator('form.team', { has: admin.locator('legend', { hasText: 'Members of Posventa' }) });
    await posventa.getByLabel('Nadia Ruiz').check();
    await posventa.getByRole('button', { name: 'Save' }).click();
    await team.locator('[role="status"]', { hasText: 'Saved' }).waitFor();
    assert.equal(await posventa.getByRole('button', { name: 'Save' }).isDisabled(), true);

    // Ana steps away, so routing has only Nadia to give new work to.
    await admin.locator('charla-presence select').selectOption('away');

    // Nadia signs in, in another browser, with a token the demo's host backend signs for her.
    const nadia = await newPage(`/admin?agent=${encodeURIComponent(nadiaId)}`);
    await nadia.evaluate(() => (document.documentElement.lang = 'en'));
    await nadia.locator('charla-inbox [role="option"]').first().waitFor();
    await row.locator('.badge', { hasText: 'Available' }).waitFor();

    // Round-robin, from the routing section.
    await admin.locator('charla-settings nav button[data-section="routing"]').click();
    const routing = admin.locator('charla-settings-routing');
    await routing.getByLabel('Assignment').selectOption('round-robin');
    await routing.getByRole('button', { name: 'Save' }).click();
    await routing.locator('[role="status"]', { hasText: 'Saved' }).waitFor();

    // A customer writes on WhatsApp through the channel simulator (signed webhooks, like Meta).
    const phone = await newPage('/simulator', 420);
    await phone.locator('#handle').fill('5215500011122');
    await phone.locator('#name').fill('Lucía Herrera');
    await phone.locator('#text').fill('Hola, quiero cambiar mi pedido');
    await phone.locator('#text').press('Enter');
    await phone.locator('#status', { hasText: 'Delivered to Charla' }).waitFor();

    await nadia.locator('charla-inbox [role="option"]', { hasText: 'Hola, quiero cambiar mi pedido' })
      .filter({ hasText: 'Nadia Ruiz is handling this' })
      .waitFor({ timeout: 15_000 });
  });

  it('channels: secrets stay hidden, and the webhook check answers like Meta expects', async () => {
    const admin = await newPage('/admin#settings');
    await admin.evaluate(() => (document.documentElement.lang = 'en'));
    await admin.locator('charla-settings nav button[data-section="channels"]').click();
    const whatsapp = admin.locator('charla-settings-channels form[data-channel="whatsapp"]');
    await whatsapp.getByText('Connected').waitFor();
    const token = whatsapp.getByLabel('Access token');
    assert.equal(await token.inputValue(), '');
    assert.equal(await token.getAttribute('placeholder'), 'Saved (hidden)');
    // No stored secret is anywhere in the page's DOM.
    const { whatsapp: { appSecret } } = await (await fetch(`${server.url}/demo/simulator.json`)).json() as { whatsapp: { appSecret: string } };
    const html = await admin.locator('charla-settings-channels').evaluate((el) => el.shadowRoot!.innerHTML);
    assert.equal(html.includes(appSecret), false);

    await whatsapp.getByLabel('Verify token to test').fill('not-the-token');
    await whatsapp.getByRole('button', { name: 'Verify the webhook' }).click();
    await whatsapp.getByText('Charla refused this verify token: 403').waitFor();
    await whatsapp.getByLabel('Verify token to test').fill('charla-demo-verify');
    await whatsapp.getByRole('button', { name: 'Verify the webhook' }).click();
    await whatsapp.getByText('Charla answers Meta\'s check with this verify token').waitFor();

    await admin.locator('charla-settings-channels').getByRole('button', { name: 'Sync templates' }).click();
    await admin.locator('charla-settings-channels tbody tr', { hasText: 'order_update' }).filter({ hasText: 'APPROVED' }).waitFor();
  });

  it('widget: the color and greeting an admin saves reach the chat on the site', async () => {
    const admin = await newPage('/admin#settings');
    await admin.evaluate(() => (document.documentElement.lang = 'en'));
    await admin.locator('charla-settings nav button[data-section="widget"]').click();
    const widget = admin.locator('charla-settings-widget');
    await widget.getByLabel('Main color').fill('#0b5cad');
    await widget.getByLabel('Greeting').fill('¡Hola desde Aurora! ¿Qué buscas hoy?');
    await widget.getByRole('button', { name: 'Save' }).click();
    await widget.locator('[role="status"]', { hasText: 'Saved' }).waitFor();

    const site = await newPage('/shop', 420);
    await site.locator('charla-widget .launcher').click();
    await site.locator('charla-webchat [part~="bubble"]', { hasText: '¡Hola desde Aurora! ¿Qué buscas hoy?' }).waitFor();
    const color = await site.locator('charla-webchat').evaluate((el) => getComputedStyle(el).getPropertyValue('--charla-webchat-primary').trim());
    assert.equal(color.toLowerCase(), '#0b5cad');
  });

  it('what only the server can judge: a currency it does not know is refused in VIP routing, stage tuning is kept, agent visibility hides other teams\' conversations', async () => {
    const admin = await newPage('/admin#settings');
    await admin.evaluate(() => (document.documentElement.lang = 'en'));
    const { token: adminToken } = await (await fetch(`${server.url}/demo/config.json`)).json() as { token: string };
    const rest = async <T>(path: string, token = adminToken) =>
      (await (await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as T;

    // VIP routing: "XYZ" looks like a currency code, but the server knows it is none.
    await admin.locator('charla-settings nav button[data-section="routing"]').click();
    const routing = admin.locator('charla-settings-routing');
    const vip = routing.locator('fieldset.vip');
    await vip.getByLabel('Send VIP contacts to').selectOption({ label: 'Ventas' });
    await vip.getByLabel('Minimum lifetime value').fill('50000');
    await vip.getByLabel('Currency').fill('XYZ');
    await routing.getByRole('button', { name: 'Save' }).click();
    await routing.locator('[role="alert"]', { hasText: 'ISO 4217' }).waitFor();
    assert.equal((await rest<{ vip: unknown }>('/api/v1/workspace/routing')).vip, null, 'nothing was saved');
    await vip.getByLabel('Currency').fill('MXN');
    await routing.getByRole('button', { name: 'Save' }).click();
    await routing.locator('[role="status"]', { hasText: 'Saved' }).waitFor();
    const saved = await rest<{ vip: { teamId: string; minLifetimeValue: number; currency: string } }>('/api/v1/workspace/routing');
    assert.deepEqual({ ...saved.vip, teamId: undefined }, { teamId: undefined, minLifetimeValue: 50000, currency: 'MXN' });

    // Each stage's probability and stalled days, kept by the server.
    await admin.locator('charla-settings nav button[data-section="pipelines"]').click();
    const b2b = admin.locator('charla-settings-pipelines form.pipeline[aria-label="Mayoreo B2B"]');
    await b2b.getByLabel('Nuevo lead: win probability (%)').fill('15');
    await b2b.getByLabel('Calificado: stalled after (days)').fill('');
    await b2b.getByRole('button', { name: 'Save' }).click();
    await admin.locator('charla-settings-pipelines [role="status"]', { hasText: 'Saved' }).waitFor();
    const pipelines = await rest<Array<{ name: string; stages: Array<{ name: string; probability: number; stalledAfterDays: number | null }> }>>('/api/v1/pipelines');
    const stages = pipelines.find((pipeline) => pipeline.name === 'Mayoreo B2B')!.stages;
    assert.equal(stages.find((stage) => stage.name === 'Nuevo lead')?.probability, 15);
    assert.equal(stages.find((stage) => stage.name === 'Calificado')?.stalledAfterDays, null);

    // Agents see their teams' conversations only: Carla (a viewer in no team) no longer sees Soporte's complaint.
    const agents = await rest<Array<{ id: string; name: string }>>('/api/v1/agents');
    const carlaId = agents.find((agent) => agent.name === 'Carla Méndez')!.id;
    const { token: carla } = await rest<{ token: string }>(`/demo/agent-token?agentId=${encodeURIComponent(carlaId)}`);
    type Page = { conversations: Array<{ id: string; teamId: string | null; assigneeId: string | null }> };
    const before = await rest<Page>('/api/v1/conversations?status=all&limit=100', carla);
    assert.ok(before.conversations.some((conversation) => conversation.teamId !== null), 'with "all" Carla sees team conversations');
    await admin.locator('charla-settings nav button[data-section="team"]').click();
    const visibility = admin.locator('charla-settings-team form.visibility');
    await visibility.getByLabel('Agents and viewers see').selectOption('teams');
    await visibility.getByRole('button', { name: 'Save' }).click();
    await admin.locator('charla-settings-team [role="status"]', { hasText: 'Saved' }).waitFor();
    const after = await rest<Page>('/api/v1/conversations?status=all&limit=100', carla);
    assert.deepEqual(after.conversations.filter((conversation) => conversation.teamId !== null && conversation.assigneeId !== carlaId), [], 'no other team\'s conversation');
    assert.ok(after.conversations.length < before.conversations.length, 'Carla sees fewer conversations');
    await visibility.getByLabel('Agents and viewers see').selectOption('all');
    await visibility.getByRole('button', { name: 'Save' }).click();
    await visibility.getByRole('button', { name: 'Save' }).and(admin.locator('[disabled]')).waitFor();
  });
});
