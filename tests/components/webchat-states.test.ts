import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '@charla/webchat';
import type { CharlaWebchat } from '@charla/webchat';

// Mocha's globals, provided by web-test-runner.
declare function describe(name: string, body: () => void): void;
declare function it(name: string, body: () => Promise<void> | void): void;

async function webchat(template: ReturnType<typeof html>) {
  const wrapper = await fixture<HTMLElement>(html`<div style="height: 600px; width: 380px">${template}</div>`);
  const el = wrapper.querySelector('charla-webchat')!;
  await el.updateComplete;
  return el;
}

const shadow = (el: CharlaWebchat) => el.shadowRoot!;
const text = (node: Element | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const part = (el: CharlaWebchat, name: string) => shadow(el).querySelector<HTMLElement>(`[part~="${name}"]`);
const input = (el: CharlaWebchat, name: string) => shadow(el).querySelector<HTMLInputElement>(`input[name="${name}"]`);

async function typeInto(field: HTMLInputElement, value: string) {
  field.focus();
  await sendKeys({ type: value });
}

describe('charla-webchat states', () => {
  it('shows when an agent is typing, and says who to screen readers', async () => {
    const el = await webchat(html`<charla-webchat lang="en" workspace-name="Aurora" typing="Ana García"></charla-webchat>`);
    const typing = part(el, 'typing')!;
    expect(typing.getAttribute('role')).to.equal('status');
    expect(typing.querySelectorAll('.dots i')).to.have.length(3);
    expect(text(typing)).to.equal('Ana García is typing…');
    await expect(el).to.be.accessible();
    el.typing = undefined;
    await el.updateComplete;
    expect(part(el, 'typing')).to.be.null;
  });

  it('says the team is away and asks for an email to answer at, in the visitor’s language', async () => {
    const el = await webchat(html`<charla-webchat lang="es" workspace-name="Aurora" away></charla-webchat>`);
    expect(text(part(el, 'subtitle'))).to.equal('Ahora no estamos disponibles');
    const away = part(el, 'away')!;
    expect(text(away.querySelector('h3'))).to.equal('Ahora no estamos disponibles');
    expect(text(away.querySelector('label'))).to.contain('Correo');
    await expect(el).to.be.accessible();

    await typeInto(input(el, 'email')!, 'no es un correo');
    away.querySelector<HTMLButtonElement>('[part="form-button"]')!.click();
    await el.updateComplete;
    expect(input(el, 'email')!.getAttribute('aria-invalid')).to.equal('true');
    expect(text(part(el, 'away')!.querySelector('.input-error'))).to.equal('Revisa este campo');

    input(el, 'email')!.value = '';
    await typeInto(input(el, 'email')!, 'lucia@example.com');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    await new Promise((resolve) => setTimeout(resolve));
    await el.updateComplete;
    expect(text(part(el, 'away')!.querySelector('[role="status"]'))).to.equal('¡Gracias! Te responderemos en lucia@example.com.');
    expect(shadow(el).querySelector('textarea'), 'the visitor can still write').to.exist;
  });

  it('asks the pre-chat form before the first message, requiring what the workspace requires', async () => {
    const el = await webchat(html`<charla-webchat lang="en" workspace-name="Aurora"
      .preChat=${{ name: 'required', email: 'optional', phone: 'off' }}></charla-webchat>`);
    const form = part(el, 'pre-chat')!;
    expect(shadow(el).querySelector('textarea'), 'no composer until the form is sent').to.be.null;
    expect([...form.querySelectorAll('label > span:first-child')].map(text)).to.deep.equal(['Name', 'Email (optional)']);
    expect(input(el, 'phone')).to.be.null;
    await expect(el).to.be.accessible();

    form.querySelector<HTMLButtonElement>('[part="form-button"]')!.click();
    await el.updateComplete;
    expect(input(el, 'name')!.getAttribute('aria-invalid')).to.equal('true');
    expect(input(el, 'email')!.getAttribute('aria-invalid')).to.equal('false', 'an optional field may stay empty');

    await typeInto(input(el, 'name')!, 'Lucía');
    part(el, 'pre-chat')!.querySelector<HTMLButtonElement>('[part="form-button"]')!.click();
    await new Promise((resolve) => setTimeout(resolve));
    await el.updateComplete;
    expect(part(el, 'pre-chat')).to.be.null;
    expect(shadow(el).querySelector('textarea')).to.exist;
  });

  it('keeps Tab inside the chat while it covers the page, and lets it go otherwise', async () => {
    const el = await webchat(html`<charla-webchat lang="en" workspace-name="Aurora" modal></charla-webchat>`);
    const close = part(el, 'close-button')!;
    const textarea = shadow(el).querySelector('textarea')!;
    textarea.focus();
    await sendKeys({ press: 'Tab' });
    expect(shadow(el).activeElement).to.equal(close, 'past the last control comes the first');
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ up: 'Shift' });
    expect(shadow(el).activeElement).to.equal(textarea);
    el.modal = false;
    await el.updateComplete;
    textarea.focus();
    await sendKeys({ press: 'Tab' });
    expect(shadow(el).activeElement).to.not.equal(close);
  });
});

describe('charla-webchat long conversations', () => {
  it('draws at most the newest 200 messages, and earlier ones on request', async () => {
    const at = (i: number) => new Date(Date.UTC(2026, 0, 1, 9, 0, i)).toISOString();
    const messages = Array.from({ length: 260 }, (_, i) => ({
      id: `m${String(i).padStart(3, '0')}`, conversationId: 'c1', direction: i % 2 ? 'out' : 'in', senderKind: i % 2 ? 'agent' : 'contact',
      senderId: i % 2 ? 'ag' : 'ct', senderName: i % 2 ? 'Ana' : null, type: 'text', body: `Message ${i}`, clientId: null,
      status: 'read', error: null, createdAt: at(i),
    })) as CharlaWebchat['messages'];
    const el = await webchat(html`<charla-webchat lang="en" .messages=${messages}></charla-webchat>`);
    const drawn = () => shadow(el).querySelectorAll('[part~="message-visitor"], [part~="message-agent"]:not(.greeting)').length;
    expect(drawn()).to.equal(200);
    expect(text(shadow(el).querySelector('[part~="bubble"]:not(.greeting .bubble)'))).to.equal('Message 60');
    part(el, 'load-more')!.click();
    await el.updateComplete;
    expect(drawn()).to.equal(260);
    expect(part(el, 'load-more'), 'all drawn, and no more on the server').to.be.null;
    await expect(el).to.be.accessible();
  });
});

describe('charla-webchat with a client', () => {
  it("shows the assigned agent's name and photo in the header", async () => {
    const { MemoryStorage, VisitorClient } = await import('@charla/client');
    const client = new VisitorClient({ url: 'http://127.0.0.1:9', workspace: 'demo', autoConnect: false, storage: new MemoryStorage() });
    // Photos render only from https, blob: and the server's own paths (never data: or javascript:).
    const photo = URL.createObjectURL(new Blob(['<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8" fill="teal"/></svg>'], { type: 'image/svg+xml' }));
    client.session = {
      token: 't'.repeat(20), contactId: 'ct_1', conversation: { id: 'cv_1', status: 'open', assigneeId: 'ag_2' },
      workspace: { name: 'Aurora', greeting: null },
      agents: [{ id: 'ag_1', name: 'Bruno Costa', avatarUrl: null }, { id: 'ag_2', name: 'Ana García', avatarUrl: photo }],
      seq: 0, verified: false,
      availability: { agentsOnline: true, withinHours: true, hideWhenOffline: false, preChat: { name: 'off', email: 'off', phone: 'off' } },
    };
    const el = await webchat(html`<charla-webchat lang="en" .client=${client}></charla-webchat>`);
    expect(text(part(el, 'subtitle'))).to.equal('Ana García is here to help');
    expect(part(el, 'avatar')!.querySelector('img')!.getAttribute('src')).to.equal(photo);
    expect(part(el, 'away')).to.be.null;
    // The host page keeps its own banner: the widget's header is no landmark.
    expect(el.shadowRoot!.querySelector('header, [role="banner"]')).to.be.null;
    expect(getComputedStyle(part(el, 'subtitle')!).opacity, 'the subtitle is not dimmed below 4.5:1').to.equal('1');
    await expect(el).to.be.accessible();
    client.close();
  });
});
