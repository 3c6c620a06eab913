/**
 * Privacy in a real browser against the real server: an admin downloads one person's data from
 * the contact panel (the zip is unzipped and read), an agent has no such button, and the admin
 * finds the export in Settings → Activity and sets a retention policy in Settings → Privacy.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { rotateAgentToken } from '../../server/src/services/workspaces.js';
import { startDemoServer, type DemoServer } from '../support/demo-server.js';
import { unzip } from '../support/zip.js';
import { launchChromium } from '../support/browser.js';

const dist = fileURLToPath(new URL('../../dist', import.meta.url));
const shots = process.env.CHARLA_SCREENSHOTS;

let server: DemoServer;
let browser: Browser;
let agentToken: string;

/** The demo's agent view as the agent with `token`, in English, `width` wide. */
async function agentPage(token: string, width = 1400): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  await page.route('**/demo/config.json', (route) => route.fulfill({ json: { token, widgetKey: server.widgetKey } }));
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  return page;
}

before(async () => {
  assert.ok(existsSync(`${dist}/demo/admin.html`), 'run `npm run build` first (npm test does)');
  server = await startDemoServer({ staticDir: dist });
  const { store } = server.server;
  const workspace = (await store.workspaces.byWidgetKey(server.widgetKey))!;
  const bruno = (await store.workspaces.agents(workspace.id)).find((agent) => agent.role === 'agent')!;
  agentToken = await rotateAgentToken(store, bruno);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

describe('privacy from the agent views, in Chromium against the real server', () => {
  it('an admin downloads a person\'s data from the contact panel; it is in Activity; an agent has no such button', async () => {
    const admin = await agentPage(server.token);
    await admin.goto(`${server.url}/admin`);
    await admin.evaluate(() => (document.documentElement.lang = 'en'));
    const row = admin.locator('charla-inbox [role="option"]').first();
    await row.waitFor({ timeout: 10_000 });
    await row.click();
    const panel = admin.locator('charla-contact-panel#contact');
    const button = panel.getByRole('button', { name: 'Download data' });
    await button.waitFor();
    const contactId = (await panel.evaluate((el) => (el as unknown as { contactId: string }).contactId))!;
    assert.ok(contactId, 'a contact is shown');
    if (shots) await panel.locator('[part~="privacy"]').screenshot({ path: `${shots}/contact-privacy.png` });

    const [download] = await Promise.all([admin.waitForEvent('download'), button.click()]);
    assert.equal(download.suggestedFilename(), `contact-${contactId}.zip`);
    const zip = await unzip(await readFile((await download.path())!));
    const contact = JSON.parse(zip.get('contact.json')!.toString('utf8'));
    assert.equal(contact.contact.id, contactId);
    assert.ok(zip.get('messages.csv')!.toString('utf8').startsWith('conversation_id,'), 'the messages are in the CSV');
    assert.ok([...zip.keys()].some((name) => name.startsWith('conversations/')), 'each conversation is in the archive');
    await panel.locator('[role="status"]', { hasText: 'The archive was downloaded.' }).waitFor();

    // Settings → Activity lists the export, by the admin.
    await admin.goto(`${server.url}/admin#settings`);
    await admin.evaluate(() => (document.documentElement.lang = 'en'));
    await admin.locator('charla-settings nav button', { hasText: 'Activity' }).click();
    const activity = admin.locator('charla-settings-activity');
    await activity.getByLabel('What').selectOption('contact.data_export');
    const exported = activity.locator('tbody tr', { hasText: contactId });
    await exported.waitFor();
    assert.match(await exported.innerText(), /Personal data exported/);
    if (shots) {
      for (const [name, width] of [['phone', 390], ['tablet', 820], ['desktop', 1400]] as const) {
        await admin.setViewportSize({ width, height: 900 });
        await admin.screenshot({ path: `${shots}/activity-${name}.png`, fullPage: false });
      }
      await admin.setViewportSize({ width: 1400, height: 900 });
    }

    // Settings → Privacy: keep quiet contacts two years, then anonymize them.
    await admin.locator('charla-settings nav button', { hasText: 'Privacy' }).click();
    const privacy = admin.locator('charla-settings-privacy');
    await privacy.getByLabel(/Keep quiet contacts/).fill('24');
    await privacy.getByLabel('Then').selectOption('anonymize');
    await privacy.getByRole('button', { name: 'Save' }).click();
    await privacy.locator('[role="status"]', { hasText: 'Saved' }).waitFor();
    const saved = await (await fetch(`${server.url}/api/v1/privacy/settings`, { headers: { authorization: `Bearer ${server.token}` } })).json();
    assert.deepEqual(saved, { retentionMonths: 24, retentionAction: 'anonymize' });
    if (shots) await privacy.screenshot({ path: `${shots}/privacy-settings.png` });

    // An agent sees the same contact without the button (and the server would refuse them anyway).
    const agent = await agentPage(agentToken);
    await agent.goto(`${server.url}/admin`);
    await agent.locator('charla-inbox [role="option"]').first().click();
    const agentPanel = agent.locator('charla-contact-panel#contact');
    await agentPanel.locator('[part~="header"]').waitFor();
    assert.equal(await agentPanel.locator('[data-action="data-export"]').count(), 0);
    assert.equal(await agentPanel.locator('[data-action="erase"]').count(), 0);
  });

  it('an admin erases a person from the contact panel after confirming, refusing their messages from then on', async () => {
    const admin = await agentPage(server.token);
    await admin.goto(`${server.url}/admin`);
    await admin.evaluate(() => (document.documentElement.lang = 'en'));
    await admin.locator('charla-inbox [role="option"]').first().click();
    const panel = admin.locator('charla-contact-panel#contact');
    const contactId = await panel.evaluate((el) => (el as unknown as { contactId: string }).contactId);
    const erase = panel.getByRole('button', { name: 'Erase this person…' });
    await erase.waitFor();
    await erase.click();
    // The question takes the focus on its safe answer; cancelling gives it back.
    const cancel = panel.getByRole('button', { name: 'Cancel' });
    await cancel.waitFor();
    assert.equal(await cancel.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement), true, 'focus on Cancel');
    await cancel.click();
    await erase.click();
    await panel.getByLabel('Also refuse their messages from now on').check();
    if (shots) await panel.locator('[part~="privacy"]').screenshot({ path: `${shots}/contact-erase.png` });
    await panel.getByRole('button', { name: 'Erase for good' }).click();
    await panel.locator('[data-action="erase"]').waitFor({ state: 'detached' });
    const headers = { authorization: `Bearer ${server.token}` };
    assert.equal((await fetch(`${server.url}/api/v1/contacts/${contactId}`, { headers })).status, 404);
    const audit = await (await fetch(`${server.url}/api/v1/audit?target=${contactId}&action=contact.erase`, { headers })).json();
    assert.equal(audit.entries[0].data.handlesBlocked >= 0, true, 'the erasure is audited');
    assert.equal(audit.entries[0].actorName, 'Ana García');
  });
});
