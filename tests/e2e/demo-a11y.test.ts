import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import type { AxeResults } from 'axe-core';
import { startDemoServer, type DemoServer } from '../support/demo-server.js';

// axe-core on the demo's own pages (the admin and the sample shop with its widget open), at a
// phone, a tablet and a desktop width: no serious or critical violation, in the page and inside
// every open shadow root (axe descends into them).

const dist = fileURLToPath(new URL('../../dist', import.meta.url));
// Evaluated through DevTools rather than added as a <script>: the demo's CSP (script-src 'self') stays on.
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const SIZES = [
  { name: 'phone', width: 390, height: 844, touch: true },
  { name: 'tablet', width: 768, height: 1024, touch: true },
  { name: 'desktop', width: 1440, height: 900, touch: false },
] as const;

let server: DemoServer;
let browser: Browser;

before(async () => {
  assert.ok(existsSync(`${dist}/demo/admin.html`), 'run `npm run build` first (npm test does)');
  server = await startDemoServer({ staticDir: dist });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function open(size: (typeof SIZES)[number], path: string): Promise<Page> {
  const context = await browser.newContext({
    locale: 'es-MX',
    viewport: { width: size.width, height: size.height },
    hasTouch: size.touch,
    isMobile: size.touch,
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  await page.goto(`${server.url}${path}`);
  return page;
}

/** The serious and critical violations axe finds on the page as it is now, one line each. */
async function violations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const results = await page.evaluate(() =>
    (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<AxeResults> } }).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    }),
  );
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) => violation.nodes.map((node) => `${violation.id} (${violation.impact}): ${JSON.stringify(node.target)} ${node.failureSummary?.replace(/\s+/g, ' ') ?? ''}`));
}

async function expectClean(page: Page, where: string): Promise<void> {
  // Animations and transitions settle before colours are measured.
  await page.evaluate(() => Promise.all(document.getAnimations().map((animation) => animation.finished.catch(() => undefined))));
  const found = await violations(page);
  assert.deepEqual(found, [], `${where}: no serious or critical axe violations`);
}

for (const size of SIZES) {
  describe(`the demo's pages pass axe at ${size.width} × ${size.height} (${size.name})`, () => {
    it('the admin: the inbox, an open conversation with its contact, the deals board, the agenda, the metrics, the customers, the companies, the settings', async () => {
      const page = await open(size, '/admin');
      const option = page.locator('charla-inbox [role="option"]', { hasText: 'Camilo Rodríguez' });
      await option.waitFor();
      await expectClean(page, `admin inbox at ${size.width}px`);

      await option.click();
      await page.locator('charla-thread [part="header"]', { hasText: 'Camilo Rodríguez' }).waitFor();
      await page.locator('charla-thread [part~="message"]').first().waitFor();
      await expectClean(page, `admin conversation at ${size.width}px`);

      const workspace = page.locator('charla-workspace');
      const showContact = workspace.getByRole('button', { name: 'Ver el cliente' });
      if (await showContact.isVisible()) {
        await showContact.click();
        await workspace.getByRole('dialog').waitFor();
      }
      await page.locator('charla-contact-panel#contact').getByText('Camilo Rodríguez').first().waitFor();
      await expectClean(page, `admin contact panel at ${size.width}px`);
      if (await showContact.count()) await page.keyboard.press('Escape');

      await page.locator('#nav-pipeline').click();
      await page.locator('charla-kanban [data-deal]').first().waitFor();
      // The agenda sits beside the board from 1100 px up.
      if (size.width >= 1100) await page.locator('charla-agenda [part="task"]').first().waitFor();
      await expectClean(page, `admin deals board and agenda at ${size.width}px`);

      await page.locator('#nav-metrics').click();
      await page.locator('charla-dashboard section.card').first().waitFor();
      await expectClean(page, `admin metrics at ${size.width}px`);

      await page.locator('#nav-contacts').click();
      await page.locator('charla-contacts [part~="row"][data-id]').first().waitFor();
      await page.locator('charla-contacts [part~="row"][data-id] input[type="checkbox"]').first().click();
      await page.locator('charla-contacts [part="bulk-bar"]').waitFor();
      await expectClean(page, `admin customers with a selection at ${size.width}px`);

      await page.locator('#nav-companies').click();
      await page.locator('charla-companies [part~="company"] button').first().click();
      await page.locator('charla-companies [part="people"]').waitFor();
      await expectClean(page, `admin companies at ${size.width}px`);

      await page.locator('#nav-settings').click();
      await page.locator('charla-settings [part="nav"]').first().waitFor();
      await expectClean(page, `admin settings at ${size.width}px`);
      await page.context().close();
    });

    it('the sample shop, with the chat widget closed and open', async () => {
      const page = await open(size, '/shop');
      const launcher = page.locator('charla-widget .launcher');
      await launcher.waitFor();
      await expectClean(page, `shop at ${size.width}px`);
      await launcher.click();
      await page.locator('charla-webchat textarea').waitFor();
      await expectClean(page, `shop with the chat open at ${size.width}px`);
      await page.context().close();
    });
  });
}
