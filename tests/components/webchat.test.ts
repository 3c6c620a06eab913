import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { MemoryStorage, VisitorClient } from '@charla/client';
import type { VisitorMessage } from '@charla/protocol';
import '@charla/webchat';
import type { CharlaWebchat } from '@charla/webchat';
import { message, minutesAgo } from '../fixtures/entities.js';

// Mocha's globals, provided by web-test-runner.
declare function describe(name: string, body: () => void): void;
declare function it(name: string, body: () => Promise<void> | void): void;

const visitor = (overrides: Partial<VisitorMessage> = {}) =>
  message({ direction: 'in', senderKind: 'contact', senderId: 'ct_visitor', senderName: null, ...overrides });
const agentReply = (overrides: Partial<VisitorMessage> = {}) =>
  message({ direction: 'out', senderKind: 'agent', senderId: 'ag_ana', senderName: 'Ana García', ...overrides });

const conversation = [
  visitor({ id: 'm1', body: 'Hi! Do you ship to Lisbon?', createdAt: minutesAgo(12), status: 'read' }),
  agentReply({ id: 'm2', body: 'Hello! Yes, in 2–3 days.', createdAt: minutesAgo(10) }),
  agentReply({ id: 'm3', body: 'Anything else?', createdAt: minutesAgo(9) }),
  visitor({ id: 'local:c_pending', clientId: 'c_pending', body: 'Great, and the price?', createdAt: minutesAgo(1), status: 'pending' }),
];

async function webchat(template = html`<charla-webchat lang="en" workspace-name="Aurora Shop" .messages=${conversation}></charla-webchat>`) {
  const wrapper = await fixture<HTMLElement>(html`<div style="height: 600px; width: 380px">${template}</div>`);
  const el = wrapper.querySelector('charla-webchat')!;
  await el.updateComplete;
  return el;
}

const shadow = (el: CharlaWebchat) => el.shadowRoot!;
const text = (node: Element | null) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const bubbles = (el: CharlaWebchat) => [...shadow(el).querySelectorAll<HTMLElement>('.message')];
const button = (el: CharlaWebchat, name: string) =>
  [...shadow(el).querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') ?? text(b)) === name);

/** A real client that never connects: sends wait in its outbox, as when the network is down. */
function offlineClient(storage = new MemoryStorage()) {
  return new VisitorClient({ url: 'http://127.0.0.1:9', workspace: 'demo', autoConnect: false, storage });
}

describe('charla-webchat', () => {
  it('greets the visitor first and shows the workspace name in the header', async () => {
    const el = await webchat(html`<charla-webchat lang="en" workspace-name="Aurora Shop" greeting="Welcome to Aurora!"></charla-webchat>`);
    expect(text(shadow(el).querySelector('[part="title"]'))).to.equal('Aurora Shop');
    const [greeting] = bubbles(el);
    expect(text(greeting!.querySelector('.bubble'))).to.equal('Welcome to Aurora!');
    expect(text(greeting!.querySelector('.sender'))).to.equal('Aurora Shop');
    await expect(el).to.be.accessible();
  });

  it('speaks the language of its lang attribute, or the default greeting of that language', async () => {
    const es = await webchat(html`<charla-webchat lang="es"></charla-webchat>`);
    expect(text(shadow(es).querySelector('.bubble'))).to.contain('¿En qué podemos ayudarte hoy?');
    expect(shadow(es).querySelector('textarea')!.placeholder).to.equal('Escribe un mensaje…');
    const pt = await webchat(html`<charla-webchat lang="pt-BR"></charla-webchat>`);
    expect(button(pt, 'Fechar chat')).to.exist;
    expect(shadow(pt).querySelector('textarea')!.placeholder).to.equal('Escreva uma mensagem…');
  });

  it("puts the visitor's messages on the right and the agent's on the left under the agent's name", async () => {
    const el = await webchat();
    const [, mine, first, second, pending] = bubbles(el);
    expect(mine!.classList.contains('mine')).to.be.true;
    expect(first!.classList.contains('theirs')).to.be.true;
    expect(text(first!.querySelector('.sender'))).to.equal('Ana García');
    // Consecutive messages of one agent are grouped under one name.
    expect(second!.querySelector('.sender')).to.be.null;
    expect(text(pending!.querySelector('.bubble'))).to.equal('Great, and the price?');
    expect(text(shadow(el).querySelector('[part="subtitle"]'))).to.equal('Ana García is here to help');
    expect(text(shadow(el).querySelector('[part="avatar"]'))).to.equal('AG');
    await expect(el).to.be.accessible();
  });

  it('shows time stamps and the delivery state of the visitor’s own messages', async () => {
    const el = await webchat();
    const [, read, , , pending] = bubbles(el);
    expect(read!.querySelector('time')!.getAttribute('datetime')).to.equal(conversation[0]!.createdAt);
    expect(text(read!.querySelector('[part="status"]'))).to.equal('Read');
    expect(pending!.classList.contains('pending')).to.be.true;
    expect(text(pending!.querySelector('[part="status"]'))).to.equal('Sending…');
  });

  it('never renders message text as HTML, and turns web addresses into safe links', async () => {
    const el = await webchat(html`<charla-webchat lang="en" .messages=${[
      agentReply({ id: 'm1', body: '<img src=x onerror="window.hacked=1"> see https://aurora.test/track?id=7.' }),
    ]}></charla-webchat>`);
    const bubble = bubbles(el)[1]!.querySelector('.bubble')!;
    expect(bubble.querySelector('img')).to.be.null;
    expect(text(bubble)).to.equal('<img src=x onerror="window.hacked=1"> see https://aurora.test/track?id=7.');
    const link = bubble.querySelector('a')!;
    expect(link.href).to.equal('https://aurora.test/track?id=7');
    expect(link.rel).to.contain('noopener');
  });

  it('shows an agent\'s link card (a payment link) as a button under the text; a link that is not http(s) is left out', async () => {
    const el = await webchat(html`<charla-webchat lang="en" .messages=${[
      agentReply({ id: 'm1', body: 'Your payment link: https://pay.aurora.test/pl_1', content: { link: { title: 'Pay $867.00 MXN', url: 'https://pay.aurora.test/pl_1' } } }),
      agentReply({ id: 'm2', body: 'Bad one', content: { link: { title: 'Pay', url: 'javascript:alert(1)' } } }),
    ]}></charla-webchat>`);
    const cards = [...shadow(el).querySelectorAll<HTMLAnchorElement>('a[part="link-card"]')];
    expect(cards.map((card) => [text(card), card.href, card.target])).to.deep.equal([['Pay $867.00 MXN', 'https://pay.aurora.test/pl_1', '_blank']]);
    expect(cards[0]!.rel).to.contain('noopener');
    expect(text(bubbles(el)[2]!.querySelector('.bubble'))).to.equal('Bad one');
  });

  it('offers Retry and Discard for a message the server refused, and acts on the client', async () => {
    const storage = new MemoryStorage();
    storage.setItem('charla:outbox:visitor:demo', JSON.stringify([
      { clientId: 'c_refused1', payload: { clientId: 'c_refused1', body: 'Refused one' }, createdAt: minutesAgo(2),
        failed: { code: 'invalid_payload', message: 'Too long' } },
      { clientId: 'c_refused2', payload: { clientId: 'c_refused2', body: 'Refused two' }, createdAt: minutesAgo(1),
        failed: { code: 'invalid_payload', message: 'Too long' } },
    ]));
    const client = offlineClient(storage);
    const el = await webchat(html`<charla-webchat lang="en" .client=${client}></charla-webchat>`);
    const failed = bubbles(el).filter((node) => node.classList.contains('failed'));
    expect(failed).to.have.length(2);
    expect(text(failed[0]!.querySelector('[part="meta"]'))).to.contain('Not sent');
    await expect(el).to.be.accessible();

    (failed[0]!.querySelector('[part="retry-button"]') as HTMLButtonElement).click();
    await new Promise((resolve) => setTimeout(resolve));
    await el.updateComplete;
    expect(client.log.items.find((m) => m.clientId === 'c_refused1')!.status).to.equal('pending');

    (bubbles(el).find((node) => text(node).includes('Refused two'))!.querySelector('[part="discard-button"]') as HTMLButtonElement).click();
    await new Promise((resolve) => setTimeout(resolve));
    await el.updateComplete;
    expect(bubbles(el).some((node) => text(node).includes('Refused two'))).to.be.false;
    client.close();
  });

  it('tells the visitor while reconnecting that messages will be sent once back online', async () => {
    const el = await webchat(html`<charla-webchat lang="en" state="reconnecting" .messages=${conversation}></charla-webchat>`);
    const banner = shadow(el).querySelector('[part="banner"]')!;
    expect(banner.getAttribute('role')).to.equal('status');
    expect(text(banner)).to.equal('Reconnecting — your messages will be sent when you are back online.');
    expect(shadow(el).querySelector('textarea')).to.exist;
    await expect(el).to.be.accessible();
  });

  it('shows placeholder bubbles while connecting for the first time', async () => {
    const el = await webchat(html`<charla-webchat lang="en" state="connecting"></charla-webchat>`);
    expect(shadow(el).querySelector('[part="skeleton"]')).to.exist;
    expect(shadow(el).querySelector('[part="log"]')!.getAttribute('aria-busy')).to.equal('true');
    expect(text(shadow(el).querySelector('[part="log"]'))).to.equal('Connecting…');
  });

  it('explains that the chat is unavailable when the workspace is unknown', async () => {
    const el = await webchat(html`<charla-webchat lang="en" state="unauthorized"></charla-webchat>`);
    expect(text(shadow(el).querySelector('[part="unavailable"]'))).to.contain('Chat unavailable');
    expect(shadow(el).querySelector('textarea')).to.be.null;
    await expect(el).to.be.accessible();
  });

  it('offers older messages instead of the greeting when the conversation has more', async () => {
    const el = await webchat(html`<charla-webchat lang="en" has-more .messages=${conversation}></charla-webchat>`);
    expect(text(shadow(el).querySelector('[part="load-more"]'))).to.equal('Load earlier messages');
    expect(shadow(el).querySelector('.greeting')).to.be.null;
  });

  it('fires charla-webchat-close on Escape and from the close button', async () => {
    const el = await webchat();
    shadow(el).querySelector('textarea')!.focus();
    setTimeout(() => void sendKeys({ press: 'Escape' }));
    await oneEvent(el, 'charla-webchat-close');
    setTimeout(() => button(el, 'Close chat')!.click());
    await oneEvent(el, 'charla-webchat-close');
  });

  it('sends with Enter through the client, and keeps Shift+Enter for a new line', async () => {
    const client = offlineClient();
    const sent: string[] = [];
    const send = client.send.bind(client);
    client.send = (body: string) => (sent.push(body), send(body));
    const el = await webchat(html`<charla-webchat lang="en" .client=${client}></charla-webchat>`);
    el.focus();
    await el.updateComplete;
    await sendKeys({ type: 'Two lines' });
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Enter' });
    await sendKeys({ up: 'Shift' });
    await sendKeys({ type: 'of text' });
    expect(sent).to.deep.equal([]);

    const event = oneEvent(el, 'charla-webchat-send');
    await sendKeys({ press: 'Enter' });
    expect((await event).detail.body).to.equal('Two lines\nof text');
    expect(sent).to.deep.equal(['Two lines\nof text']);
    await new Promise((resolve) => setTimeout(resolve));
    await el.updateComplete;
    const last = bubbles(el).at(-1)!;
    expect(text(last.querySelector('.bubble'))).to.equal('Two lines of text');
    expect(last.classList.contains('pending')).to.be.true;
    expect(shadow(el).querySelector('textarea')!.value).to.equal('');
    client.close();
  });

  it('keeps the send button disabled for an empty message', async () => {
    const el = await webchat();
    const send = shadow(el).querySelector<HTMLButtonElement>('[part="send-button"]')!;
    expect(send.disabled).to.be.true;
    el.focus();
    await el.updateComplete;
    await sendKeys({ type: '   ' });
    await el.updateComplete;
    expect(send.disabled).to.be.true;
  });

  it('follows new messages at the bottom, and offers a jump to them when reading older ones', async () => {
    const many = Array.from({ length: 30 }, (_, i) => agentReply({ id: `a${i}`, body: `Message ${i}`, createdAt: minutesAgo(60 - i) }));
    const el = await webchat(html`<charla-webchat lang="en" .messages=${many}></charla-webchat>`);
    const log = shadow(el).querySelector<HTMLElement>('[part="log"]')!;
    const atBottom = () => log.scrollHeight - log.scrollTop - log.clientHeight < 2;
    expect(atBottom()).to.be.true;

    el.messages = [...many, agentReply({ id: 'new1', body: 'Newest', createdAt: minutesAgo(1) })];
    await el.updateComplete;
    expect(atBottom()).to.be.true;

    log.scrollTop = 0;
    el.messages = [...el.messages, agentReply({ id: 'new2', body: 'Even newer', createdAt: minutesAgo(0) })];
    await el.updateComplete;
    expect(log.scrollTop).to.equal(0);
    const jump = shadow(el).querySelector<HTMLButtonElement>('[part="new-messages"]')!;
    expect(text(jump)).to.equal('New messages');
    jump.click();
    await el.updateComplete;
    expect(atBottom()).to.be.true;
    expect(shadow(el).querySelector('[part="new-messages"]')).to.be.null;
  });

  it('passes an accessibility check in the dark theme', async () => {
    const el = await webchat(html`<charla-webchat lang="en" dark workspace-name="Aurora Shop" .messages=${conversation}></charla-webchat>`);
    expect(el.hasAttribute('dark')).to.be.true;
    await expect(el).to.be.accessible();
  });
});
