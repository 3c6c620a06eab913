import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CharlaClient, MemoryStorage } from '@charla/client';
import { eventually, startDemoServer, type DemoServer } from '../support/demo-server.js';
import { launchChromium } from '../support/browser.js';

const dist = fileURLToPath(new URL('../../dist', import.meta.url));

let server: DemoServer;
let browser: Browser;

/** Playwright's CSS locators pierce open shadow roots, so these reach inside the widget. */
const widgetOf = (page: Page) => ({
  launcher: () => page.locator('charla-widget .launcher'),
  badge: () => page.locator('charla-widget .badge'),
  textarea: () => page.locator('charla-webchat textarea'),
  bubbles: (text: string) => page.locator('charla-webchat .log [part~="bubble"]', { hasText: text }),
  mine: (text: string) => page.locator('charla-webchat [part~="message-visitor"]', { hasText: text }),
  async say(text: string) {
    await this.textarea().fill(text);
    await this.textarea().press('Enter');
  },
  async open() {
    await this.launcher().click();
    await this.textarea().waitFor();
  },
});

async function newContext(): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: 'es-MX' });
  context.on('page', (page) => page.on('pageerror', (error) => console.error(`page error: ${error.message}`)));
  return context;
}

/** What the site's backend does after its user signs in: the hash, then `Charla.identify`. */
async function signIn(page: Page, user: { id: string; name: string; email: string }, hash?: string): Promise<void> {
  await page.evaluate(
    async ({ user, hash }) => {
      const signed = (await (await fetch(`/demo/identity?id=${encodeURIComponent(user.id)}`)).json()) as { hash: string };
      window.Charla!.identify({ ...user, hash: hash ?? signed.hash });
    },
    { user, hash },
  );
}

/** The conversation messages of the contact with this site user id, as agents see them. */
async function agentView(userId: string): Promise<{ contact: { name: string }; bodies: string[] }> {
  const headers = { authorization: `Bearer ${server.token}` };
  const contacts = (await (await fetch(`${server.url}/api/v1/contacts?query=${encodeURIComponent(`user:${userId}`)}`, { headers })).json()) as {
    contacts: Array<{ id: string; name: string }>;
  };
  const contact = contacts.contacts[0];
  assert.ok(contact, `a contact with the site user id ${userId}`);
  const list = (await (await fetch(`${server.url}/api/v1/conversations?status=all&channel=webchat&limit=100`, { headers })).json()) as {
    conversations: Array<{ id: string; contactId: string }>;
  };
  const bodies: string[] = [];
  for (const conversation of list.conversations.filter((c) => c.contactId === contact.id)) {
    const page = (await (await fetch(`${server.url}/api/v1/conversations/${conversation.id}/messages?limit=100`, { headers })).json()) as {
      messages: Array<{ body: string }>;
    };
    bodies.push(...page.messages.map((m) => m.body));
  }
  return { contact, bodies };
}

const count = (list: string[], body: string) => list.filter((b) => b === body).length;

before(async () => {
  assert.ok(existsSync(`${dist}/widget/widget.js`), 'run `npm run build` first (npm test does)');
  server = await startDemoServer({ staticDir: dist });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

describe('webchat on the sample shop, against the real server', () => {
  const lucia = { id: 'cliente-42', name: 'Lucía Díaz', email: 'lucia@example.com' };
  let laptop: BrowserContext;
  let tab: Page;

  it('identifies the signed-in customer, chats, and continues after a reload', async () => {
    laptop = await newContext();
    tab = await laptop.newPage();
    const widget = widgetOf(tab);
    await tab.goto(`${server.url}/shop`);
    // The sample shop's sign-in does what a site's backend and page do: sign the id, identify.
    await tab.getByRole('button', { name: /Entrar como Lucía/ }).click();
    await tab.getByRole('button', { name: /Sesión iniciada/ }).waitFor();
    await widget.open();
    await widget.say('Hola, soy Lucía. ¿Tienen Chiapas en grano?');
    await widget.mine('soy Lucía').locator('.status.sent').waitFor();
    // The message may reach the agents before the sign-in joins the visitor to the site user's contact.
    await eventually(async () => {
      const view = await agentView(lucia.id);
      assert.equal(view.contact.name, 'Lucía Díaz');
      assert.equal(count(view.bodies, 'Hola, soy Lucía. ¿Tienen Chiapas en grano?'), 1, JSON.stringify(view));
      return view;
    });

    await tab.reload();
    await widget.open();
    await widget.bubbles('soy Lucía').waitFor();
    await widget.say('Sigo aquí después de recargar');
    await widget.mine('Sigo aquí').locator('.status.sent').waitFor();
  });

  it('keeps two tabs in sync: the same messages live, and the unread badge cleared in both', async () => {
    const second = await laptop.newPage();
    const other = widgetOf(second);
    await second.goto(`${server.url}/shop`);
    await other.open();
    await other.bubbles('Sigo aquí').waitFor();

    await widgetOf(tab).say('Escrito en la primera pestaña');
    await other.bubbles('Escrito en la primera pestaña').waitFor();
    await other.say('Y esto en la segunda');
    await widgetOf(tab).bubbles('Y esto en la segunda').waitFor();

    // An agent answers while the chat is closed in the first tab and open in the second.
    await widgetOf(tab).launcher().click();
    const conversationId = await eventually(async () => {
      const headers = { authorization: `Bearer ${server.token}` };
      const list = (await (await fetch(`${server.url}/api/v1/conversations?status=all&query=${encodeURIComponent('segunda')}`, { headers })).json()) as {
        conversations: Array<{ id: string }>;
      };
      assert.ok(list.conversations[0], 'the conversation is listed');
      return list.conversations[0].id;
    });
    const reply = await fetch(`${server.url}/api/v1/conversations/${conversationId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ clientId: `e2e_reply_${Date.now()}`, body: 'Sí, tenemos Chiapas en grano.' }),
    });
    assert.equal(reply.status, 201);
    await other.bubbles('tenemos Chiapas en grano').waitFor();
    await widgetOf(tab).bubbles('tenemos Chiapas en grano').waitFor({ state: 'attached' });
    // Read in the open tab: the closed tab shows no unread badge.
    await widgetOf(tab).badge().waitFor({ state: 'hidden' });
    await second.close();
  });

  it('queues messages typed offline and delivers them once, in order, on reconnect', async () => {
    const widget = widgetOf(tab);
    await widget.open();
    await laptop.setOffline(true);
    await tab.locator('charla-webchat [part="banner"]', { hasText: 'Reconectando' }).waitFor();
    await widget.say('Sin conexión: uno');
    await widget.say('Sin conexión: dos');
    await widget.mine('Sin conexión: uno').locator('.status.pending').waitFor();
    await widget.mine('Sin conexión: dos').locator('.status.pending').waitFor();

    await laptop.setOffline(false);
    await widget.mine('Sin conexión: dos').locator('.status.sent').waitFor({ timeout: 15_000 });
    assert.equal(await tab.locator('charla-webchat .status.pending').count(), 0, 'nothing left to send');
    const view = await agentView(lucia.id);
    assert.equal(count(view.bodies, 'Sin conexión: uno'), 1);
    assert.equal(count(view.bodies, 'Sin conexión: dos'), 1);
    assert.ok(view.bodies.indexOf('Sin conexión: uno') < view.bodies.indexOf('Sin conexión: dos'), 'in the order typed');

    await tab.reload();
    await widget.open();
    await widget.bubbles('Sin conexión: dos').waitFor();
    assert.equal(await widget.bubbles('Sin conexión: uno').count(), 1);
    assert.equal(await widget.bubbles('Sin conexión: dos').count(), 1);
  });

  it('shows the history on another device once signed in, and never without a valid hash', async () => {
    const phone = await (await newContext()).newPage();
    await phone.goto(`${server.url}/shop`);
    await signIn(phone, lucia);
    await widgetOf(phone).open();
    await widgetOf(phone).bubbles('Sin conexión: dos').waitFor({ timeout: 10_000 });

    const intruder = await (await newContext()).newPage();
    const warnings: string[] = [];
    intruder.on('console', (message) => message.type() === 'warning' && warnings.push(message.text()));
    await intruder.goto(`${server.url}/shop`);
    await signIn(intruder, lucia, 'f'.repeat(64));
    await widgetOf(intruder).open();
    await widgetOf(intruder).say('¿Puedo ver los pedidos de Lucía?');
    await widgetOf(intruder).mine('pedidos de Lucía').locator('.status.sent').waitFor();
    assert.equal(await widgetOf(intruder).bubbles('Sin conexión').count(), 0, 'none of her messages');
    await eventually(() => assert.ok(warnings.some((w) => w.includes('identify failed')), 'the page is told identify failed'));
    const view = await agentView(lucia.id);
    assert.equal(count(view.bodies, '¿Puedo ver los pedidos de Lucía?'), 0, 'not in her conversation either');
  });

  it('stays intact under an aggressive host stylesheet, and leaves the host page alone', async () => {
    const page = await (await newContext()).newPage();
    await page.goto(`${server.url}/shop`);
    const widget = widgetOf(page);
    await widget.launcher().waitFor();
    const hostHeading = () => page.locator('.hero h1').evaluate((h1) => getComputedStyle(h1).fontSize);
    const before = await hostHeading();
    const hostile = await page.addStyleTag({
      content: `* { all: unset !important } div { display: none !important } button { width: 1px !important; color: red !important }
        charla-webchat, charla-widget * { display: none !important }`,
    });
    const box = await widget.launcher().boundingBox();
    assert.ok(box && box.width >= 56 && box.height >= 56, `launcher drawn: ${JSON.stringify(box)}`);
    await widget.open();
    const panel = await page.locator('charla-widget .panel').boundingBox();
    assert.ok(panel && panel.width >= 320 && panel.height >= 400, `panel drawn: ${JSON.stringify(panel)}`);
    const field = await widget.textarea().boundingBox();
    assert.ok(field && field.width >= 200, `message field drawn: ${JSON.stringify(field)}`);
    await widget.say('Escribo pese al CSS del sitio');
    await widget.mine('pese al CSS').locator('.status.sent').waitFor();
    assert.equal(await page.locator('charla-webchat [part="send-button"]').evaluate((b) => getComputedStyle(b).color === 'rgb(255, 0, 0)'), false);
    // The widget added no style to the page: without the hostile sheet, the host looks as before.
    await hostile.evaluate((sheet) => (sheet as Element).remove());
    assert.equal(await hostHeading(), before);
  });

  it('is away with no agent online: asks for an email, and comes back when an agent connects', async () => {
    const page = await (await newContext()).newPage();
    await page.goto(`${server.url}/shop`);
    const widget = widgetOf(page);
    await widget.open();
    const away = page.locator('charla-webchat [part="away"]');
    await away.waitFor();
    await away.locator('input[name="email"]').fill('visita@example.com');
    await away.locator('[part="form-button"]').click();
    await away.getByText('Te responderemos en visita@example.com').waitFor();
    await widget.say('Los espero');
    await widget.mine('Los espero').locator('.status.sent').waitFor();

    const agent = new CharlaClient({ url: server.url, token: server.token, storage: new MemoryStorage() });
    try {
      await away.waitFor({ state: 'detached' });
      await page.locator('charla-webchat [part="subtitle"]', { hasText: 'Solemos responder' }).waitFor();
    } finally {
      agent.close();
    }
    await away.waitFor();
  });

  it('shows typing both ways: the agent in the widget, the visitor in the agent client', async () => {
    const page = await (await newContext()).newPage();
    await page.goto(`${server.url}/shop`);
    const widget = widgetOf(page);
    await widget.open();
    await widget.say('¿Alguien ahí?');
    await widget.mine('¿Alguien ahí?').locator('.status.sent').waitFor();
    const agent = new CharlaClient({ url: server.url, token: server.token, storage: new MemoryStorage() });
    try {
      await eventually(() => assert.equal(agent.state, 'online'));
      const conversationId = await eventually(async () => {
        const list = (await (await fetch(`${server.url}/api/v1/conversations?status=all&query=${encodeURIComponent('Alguien ahí')}`, {
          headers: { authorization: `Bearer ${server.token}` },
        })).json()) as { conversations: Array<{ id: string }> };
        assert.ok(list.conversations[0], 'the conversation is listed');
        return list.conversations[0].id;
      });
      agent.notifyTyping(conversationId);
      const typing = page.locator('charla-webchat [part="typing"]');
      await typing.waitFor();
      assert.match((await typing.textContent()) ?? '', /está escribiendo/);

      await widget.textarea().pressSequentially('Hola', { delay: 20 });
      await eventually(() => assert.ok(agent.typingIn(conversationId), 'the agent sees the visitor typing'));
      agent.send(conversationId, '¡Aquí estoy!');
      await widget.bubbles('¡Aquí estoy!').waitFor();
      await typing.waitFor({ state: 'detached' });
    } finally {
      agent.close();
    }
  });

  it('asks the pre-chat form the workspace configured, and the server keeps what it says', async () => {
    const admin = { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' };
    const configure = (preChat: Record<string, string>) =>
      fetch(`${server.url}/api/v1/workspace/widget`, { method: 'PATCH', headers: admin, body: JSON.stringify({ preChat }) });
    assert.equal((await configure({ name: 'required', email: 'required', phone: 'optional' })).status, 200);
    try {
      const page = await (await newContext()).newPage();
      await page.goto(`${server.url}/shop`);
      const widget = widgetOf(page);
      await widget.launcher().click();
      const form = page.locator('charla-webchat [part="pre-chat"]');
      await form.waitFor();
      await form.locator('input[name="name"]').fill('Rosa Prechat');
      await form.locator('[part="form-button"]').click();
      assert.equal(await form.locator('input[name="email"]').getAttribute('aria-invalid'), 'true');
      await form.locator('input[name="email"]').fill('rosa@prechat.mx');
      await form.locator('[part="form-button"]').click();
      await widget.textarea().waitFor();
      await widget.say('Quiero hacer un pedido grande');
      await widget.mine('pedido grande').locator('.status.sent').waitFor();
      const contacts = (await (await fetch(`${server.url}/api/v1/contacts?query=rosa%40prechat.mx`, { headers: admin })).json()) as {
        contacts: Array<{ name: string }>;
      };
      assert.equal(contacts.contacts[0]?.name, 'Rosa Prechat');
    } finally {
      await configure({ name: 'off', email: 'off', phone: 'off' });
    }
  });

  it('hides the launcher while no one can answer when the site asks for it', async () => {
    const context = await newContext();
    await context.addInitScript(() => {
      window.charlaSettings = { hideWhenOffline: true };
    });
    const page = await context.newPage();
    await page.goto(`${server.url}/shop`);
    await page.locator('charla-widget').waitFor({ state: 'attached' });
    await widgetOf(page).launcher().waitFor({ state: 'hidden' });
    const agent = new CharlaClient({ url: server.url, token: server.token, storage: new MemoryStorage() });
    try {
      await eventually(() => assert.equal(agent.state, 'online'));
      await page.reload();
      await widgetOf(page).launcher().waitFor();
    } finally {
      agent.close();
    }
  });

  it('takes the whole screen on a phone, keeps focus inside, and closes with Escape', async () => {
    const context = await browser.newContext({ locale: 'es-MX', viewport: { width: 390, height: 760 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${server.url}/shop`);
    const widget = widgetOf(page);
    await widget.open();
    // Measured once the opening animation has settled.
    await eventually(async () => {
      const panel = await page.locator('charla-widget .panel').boundingBox();
      assert.deepEqual(panel && [panel.x, panel.y, panel.width, panel.height].map(Math.round), [0, 0, 390, 760], 'full screen');
    });
    assert.equal(await page.locator('charla-webchat').getAttribute('modal'), '', 'focus is kept inside');
    await widget.textarea().focus();
    for (let i = 0; i < 8; i++) await page.keyboard.press('Tab');
    const inside = await page.evaluate(() => document.activeElement?.tagName.toLowerCase());
    assert.equal(inside, 'charla-widget', 'Tab never leaves the chat for the page');
    await page.keyboard.press('Escape');
    await widget.launcher().waitFor();
    assert.equal(await widget.launcher().getAttribute('aria-expanded'), 'false');
    await context.close();
  });
});

