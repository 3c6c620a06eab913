import { expect, fixture, html, nextFrame, oneEvent, waitUntil } from '@open-wc/testing';
import '../fixtures/locales.js';
import type { CharlaThread } from '@charla/elements';
import { contact, conversation, message, minutesAgo } from '../fixtures/entities.js';

const messages = [
  message({ id: 'msg_1', body: 'Hola, ¿cuánto cuesta el envío a Monterrey?', createdAt: minutesAgo(60 * 26) }),
  message({
    id: 'msg_2', direction: 'out', senderKind: 'agent', senderId: 'ag_ana', senderName: 'Ana García',
    body: 'El envío cuesta $99 MXN <b>y tarda 48 h</b>', status: 'read', createdAt: minutesAgo(20),
  }),
  message({
    id: 'msg_3', direction: 'out', senderKind: 'agent', senderId: 'ag_ana', senderName: 'Ana García',
    body: 'Cliente frecuente, ofrecer 10 %', private: true, status: 'sent', createdAt: minutesAgo(10),
  }),
  message({
    id: 'local:c_1', clientId: 'c_1', direction: 'out', senderKind: 'agent', senderId: 'ag_ana', senderName: 'Ana García',
    body: '¿Te lo envío hoy?', status: 'failed', error: 'Undeliverable', createdAt: minutesAgo(1),
  }),
];

async function thread(lang = 'en') {
  return fixture<CharlaThread>(html`<charla-thread
    lang=${lang}
    style="height: 600px"
    conversation-id="cv_1"
    .conversation=${conversation()}
    .contact=${contact()}
    .messages=${messages}
  ></charla-thread>`);
}

const text = (node: Element) => node.textContent!.replace(/\s+/g, ' ').trim();
const shown = (el: CharlaThread) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="message"]')];

describe('charla-thread', () => {
  it('shows the history as a log with day separators, senders and delivery state', async () => {
    const el = await thread();
    const log = el.shadowRoot!.querySelector('[role="log"]')!;
    expect(log).to.exist;
    expect([...log.querySelectorAll('.day')].map(text)).to.include('Today');
    const [customer, reply, note, failed] = shown(el);
    expect(text(customer!)).to.contain('María López').and.contain('Monterrey');
    expect(reply!.dataset.direction).to.equal('out');
    expect(text(reply!.querySelector('.tick')!)).to.contain('Read');
    expect(note!.hasAttribute('data-private')).to.be.true;
    expect(text(note!)).to.contain('Private note');
    expect(text(failed!)).to.contain('Not sent: Undeliverable');
    expect(failed!.querySelector('button')!.textContent!.trim()).to.equal('Retry');
  });

  it('renders message text as text, never as HTML', async () => {
    const el = await thread();
    const bubble = shown(el)[1]!.querySelector('[part="bubble"]')!;
    expect(bubble.querySelector('b')).to.be.null;
    expect(bubble.textContent).to.contain('<b>y tarda 48 h</b>');
  });

  it('sends on Enter, keeps a newline on Shift+Enter, and clears the composer', async () => {
    const el = await thread();
    const textarea = el.shadowRoot!.querySelector('textarea')!;
    textarea.value = 'Claro, ';
    textarea.dispatchEvent(new InputEvent('input'));
    textarea.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', shiftKey: true, bubbles: true }));
    await el.updateComplete;
    textarea.value = 'Claro,\nte lo envío hoy';
    textarea.dispatchEvent(new InputEvent('input'));
    setTimeout(() => textarea.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true })));
    const event = await oneEvent(el, 'charla-message-send');
    expect(event.detail).to.deep.equal({ conversationId: 'cv_1', body: 'Claro,\nte lo envío hoy', private: false });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('textarea')!.value).to.equal('');
  });

  it('writes private notes in note mode', async () => {
    const el = await thread();
    const noteButton = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('.modes button')].find((b) => text(b) === 'Note')!;
    noteButton.click();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="composer"]')!.getAttribute('data-mode')).to.equal('note');
    const textarea = el.shadowRoot!.querySelector('textarea')!;
    textarea.value = 'Llamar mañana';
    textarea.dispatchEvent(new InputEvent('input'));
    await el.updateComplete;
    setTimeout(() => el.shadowRoot!.querySelector<HTMLButtonElement>('button.primary')!.click());
    const event = await oneEvent(el, 'charla-message-send');
    expect(event.detail.private).to.be.true;
  });

  it('keeps a draft per conversation', async () => {
    const el = await thread();
    const textarea = el.shadowRoot!.querySelector('textarea')!;
    textarea.value = 'Borrador a medias';
    textarea.dispatchEvent(new InputEvent('input'));
    el.conversationId = 'cv_2';
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('textarea')!.value).to.equal('');
    el.conversationId = 'cv_1';
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('textarea')!.value).to.equal('Borrador a medias');
  });

  it('refuses a message over the length limit and says why', async () => {
    const el = await thread();
    const textarea = el.shadowRoot!.querySelector('textarea')!;
    textarea.value = 'x'.repeat(4100);
    textarea.dispatchEvent(new InputEvent('input'));
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector<HTMLButtonElement>('button.primary')!.disabled).to.be.true;
    expect(text(el.shadowRoot!.querySelector('[role="alert"]')!)).to.contain('4 characters over the limit');
  });

  it('is read-only for viewers', async () => {
    const el = await thread();
    el.readonly = true;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('textarea')).to.be.null;
    expect(text(el.shadowRoot!.querySelector('[part="composer"]')!)).to.contain('read-only');
  });

  it('speaks Spanish', async () => {
    const el = await thread('es');
    expect(text(el.shadowRoot!.querySelector('button.primary')!)).to.equal('Enviar');
    expect(text(el)).to.equal('');
  });

  it('opens a long history at the latest message with only the visible rows in the DOM', async () => {
    const long = Array.from({ length: 3000 }, (_, i) =>
      message({ id: `msg_${String(i).padStart(5, '0')}`, body: `Mensaje número ${i}`, createdAt: minutesAgo(3000 - i) }),
    );
    const el = await fixture<CharlaThread>(html`<charla-thread
      style="height: 600px"
      conversation-id="cv_1"
      .conversation=${conversation({ unreadCount: 2 })}
      .contact=${contact()}
      .messages=${long}
    ></charla-thread>`);
    await waitUntil(() => shown(el).some((m) => text(m).includes('Mensaje número 2999')), 'the newest message is shown');
    expect(shown(el).length).to.be.below(60);
    expect(text(el.shadowRoot!.querySelector('.unread-marker')!)).to.equal('New messages: 2');
    const log = el.shadowRoot!.querySelector<HTMLElement>('[part="log"]')!;
    log.scrollTop = 0;
    await waitUntil(() => shown(el).some((m) => text(m).includes('Mensaje número 0')), 'scrolling up reaches the oldest');
    await waitUntil(() => el.shadowRoot!.querySelector('[part="jump"]'), 'offers to jump to the latest');
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="jump"]')!.click();
    await waitUntil(() => shown(el).some((m) => text(m).includes('Mensaje número 2999')), 'jumps back to the newest');
  });

  it('renders channel content: media, locations, shared contacts, reactions and unsupported types', async () => {
    const rich = [
      message({ id: 'm1', type: 'image', body: 'Foto del pedido', content: { image: { url: 'https://cdn.example.com/p.jpg', caption: 'Foto del pedido' } } }),
      message({ id: 'm2', type: 'location', body: 'Oficina', content: { location: { latitude: 19.43, longitude: -99.13, name: 'Oficina' } } }),
      message({ id: 'm3', type: 'contacts', body: 'Contacto', content: { contacts: [{ name: { formatted_name: 'Luis Pérez' }, phones: [{ phone: '+52 55 1111 2222' }] }] } }),
      message({ id: 'm4', type: 'reaction', body: '👍', content: { reaction: { emoji: '👍', message_id: 'wamid.x' } } }),
      message({ id: 'm5', type: 'unsupported', body: '' }),
      message({ id: 'm6', type: 'document', body: 'factura.pdf', content: { document: { url: 'javascript:alert(1)', filename: 'factura.pdf' } } }),
    ];
    const el = await fixture<CharlaThread>(html`<charla-thread lang="en" style="height: 700px" conversation-id="cv_1"
      .conversation=${conversation()} .contact=${contact()} .messages=${rich}></charla-thread>`);
    await nextFrame();
    const [image, location, shared, reaction, unsupported, document] = shown(el);
    expect(image!.querySelector('img')!.getAttribute('src')).to.equal('https://cdn.example.com/p.jpg');
    expect(text(image!)).to.contain('Foto del pedido');
    expect(location!.querySelector('a')!.href).to.contain('mlat=19.43');
    expect(text(shared!)).to.contain('Luis Pérez').and.contain('+52 55 1111 2222');
    expect(text(reaction!)).to.contain('Reacted 👍');
    expect(text(unsupported!)).to.contain('Message type not supported');
    expect(document!.querySelector('a'), 'a javascript: link is not followed').to.be.null;
    expect(text(document!)).to.contain('factura.pdf');
  });

  it('shows attachments the server stored (content.media), and an image still loading as such', async () => {
    const stored = [
      message({ id: 's1', type: 'image', body: 'Mi recibo', content: { media: { url: 'https://files.example.com/r.jpg', mimeType: 'image/jpeg', caption: 'Mi recibo' } } }),
      message({ id: 's2', type: 'document', body: 'factura.pdf', content: { media: { url: 'https://files.example.com/f.pdf', mimeType: 'application/pdf', filename: 'factura.pdf' } } }),
      message({ id: 's3', type: 'image', body: 'Foto', content: { media: { url: null, mimeType: 'image/jpeg' } } }),
    ];
    const el = await fixture<CharlaThread>(html`<charla-thread lang="es" style="height: 600px" conversation-id="cv_1"
      .conversation=${conversation()} .contact=${contact()} .messages=${stored}></charla-thread>`);
    await nextFrame();
    const [image, document, pending] = shown(el);
    expect(image!.querySelector('img')!.getAttribute('src')).to.equal('https://files.example.com/r.jpg');
    expect(image!.querySelector('img')!.getAttribute('alt')).to.equal('Mi recibo');
    expect(document!.querySelector('a')!.getAttribute('href')).to.equal('https://files.example.com/f.pdf');
    expect(text(document!)).to.contain('(application/pdf)');
    expect(pending!.querySelector('img')).to.be.null;
    expect(text(pending!)).to.contain('Imagen');
    await expect(el).to.be.accessible();
  });

  it("says Charla's own lines in the agent's language, and older lines as they were stored", async () => {
    const system = (id: string, body: string, line?: object) =>
      message({ id, direction: 'out', senderKind: 'system', type: 'system', private: true, senderName: null, body, ...(line ? { content: { line } } : {}) });
    const lines = [
      system('y1', 'Ana García set status to resolved', { key: 'status_set', values: { actor: 'Ana García', status: 'resolved' } }),
      system('y2', 'Sent to team Ventas by rule: channel whatsapp', { key: 'routed_channel', values: { team: 'Ventas', channel: 'whatsapp' } }),
      system('y3', 'First response SLA breached (target 30 min in business hours)', { key: 'sla_first_breached_business', values: { minutes: 30 } }),
      system('y4', 'Ana García snoozed the conversation until 2026-05-18 15:30 UTC', { key: 'snoozed_until', values: { actor: 'Ana García', until: '2026-05-18 15:30' } }),
      system('y5', 'A line written before lines had keys'),
    ];
    const render = (lang: string) => fixture<CharlaThread>(html`<charla-thread lang=${lang} style="height: 600px" conversation-id="cv_1"
      .conversation=${conversation()} .contact=${contact()} .messages=${lines}></charla-thread>`);
    const es = await render('es');
    await nextFrame();
    const said = shown(es).map((node) => text(node));
    expect(said[0]).to.contain('Ana García cambió el estado a «resuelta»');
    expect(said[1]).to.contain('Enviada al equipo Ventas por la regla: canal WhatsApp');
    expect(said[2]).to.contain('Se venció el SLA de primera respuesta (objetivo 30 min en horario laboral)');
    expect(said[3]).to.contain('Ana García pospuso la conversación hasta el').and.contain('2026');
    expect(said[4]).to.contain('A line written before lines had keys');
    const pt = await render('pt');
    await nextFrame();
    expect(text(shown(pt)[0]!)).to.contain('Ana García mudou o status para «resolvida»');
    const en = await render('en');
    await nextFrame();
    expect(text(shown(en)[1]!)).to.contain('Sent to team Ventas by rule: channel whatsapp');
    await expect(es).to.be.accessible();
  });

  it('says lines stored before they had keys in the agent\'s language when they are lines Charla writes', async () => {
    const system = (id: string, body: string) =>
      message({ id, direction: 'out', senderKind: 'system', type: 'system', private: true, senderName: null, body });
    const lines = [
      system('z1', 'Ana García set priority to high'),
      system('z2', 'Sent to team Ventas by rule: channel whatsapp'),
      system('z3', 'First response SLA breached (target 30 min in business hours)'),
      system('z4', 'Resolution SLA breached (target 240 min)'),
      system('z5', 'Ana García merged Gaby into María López (same phone +52 55 1234 5678, given in the webchat)'),
      system('z6', 'A note nobody templated'),
    ];
    const render = (lang: string) => fixture<CharlaThread>(html`<charla-thread lang=${lang} style="height: 600px" conversation-id="cv_1"
      .conversation=${conversation()} .contact=${contact()} .messages=${lines}></charla-thread>`);
    const es = await render('es');
    await nextFrame();
    const said = shown(es).map((node) => text(node));
    expect(said[0]).to.contain('Ana García cambió la prioridad a «alta»');
    expect(said[1]).to.contain('Enviada al equipo Ventas por la regla: canal WhatsApp');
    expect(said[2]).to.contain('Se venció el SLA de primera respuesta (objetivo 30 min en horario laboral)');
    expect(said[3]).to.contain('Se venció el SLA de resolución (objetivo 240 min)');
    // A merge's reason is free English: the line stays as stored rather than half translated.
    expect(said[4]).to.contain('Ana García merged Gaby into María López');
    expect(said[5]).to.contain('A note nobody templated');
    const pt = await render('pt');
    await nextFrame();
    expect(text(shown(pt)[0]!)).to.contain('Ana García mudou a prioridade para «alta»');
  });

  it('inserts a canned response picked after "/" with the keyboard', async () => {
    const el = await fixture<CharlaThread>(html`<charla-thread lang="en" style="height: 600px" conversation-id="cv_1"
      .conversation=${conversation()} .contact=${contact()} .messages=${messages}
      .cannedResponses=${[
        { id: 'cr_1', workspaceId: 'ws_demo', shortcut: 'envio', title: 'Costo de envío', body: 'El envío cuesta $99 MXN.', createdAt: '', updatedAt: '' },
        { id: 'cr_2', workspaceId: 'ws_demo', shortcut: 'pago', title: 'Formas de pago', body: 'Aceptamos tarjeta y SPEI.', createdAt: '', updatedAt: '' },
      ]}></charla-thread>`);
    const textarea = el.shadowRoot!.querySelector('textarea')!;
    textarea.focus();
    textarea.value = '/';
    textarea.setSelectionRange(1, 1);
    textarea.dispatchEvent(new InputEvent('input'));
    await el.updateComplete;
    const options = () => [...el.shadowRoot!.querySelectorAll('[part="suggestions"] [role="option"]')].map(text);
    expect(options()).to.deep.equal(['/envio Costo de envío', '/pago Formas de pago']);
    textarea.value = '/pa';
    textarea.setSelectionRange(3, 3);
    textarea.dispatchEvent(new InputEvent('input'));
    await el.updateComplete;
    expect(options()).to.deep.equal(['/pago Formas de pago']);
    expect(textarea.getAttribute('aria-activedescendant')).to.equal('suggestion-0');
    textarea.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', cancelable: true }));
    await el.updateComplete;
    expect(textarea.value).to.equal('Aceptamos tarjeta y SPEI.');
    expect(el.shadowRoot!.querySelector('[part="suggestions"]')!.hasAttribute('hidden')).to.be.true;
  });

  it('mentions a teammate after "@" in a note and sends the mention with it', async () => {
    const el = await fixture<CharlaThread>(html`<charla-thread lang="en" style="height: 600px" conversation-id="cv_1"
      .conversation=${conversation()} .contact=${contact()} .messages=${messages}
      .agents=${[{ id: 'ag_bruno', workspaceId: 'ws_demo', name: 'Bruno Costa', email: 'bruno@aurora.test', role: 'agent', avatarUrl: null }]}></charla-thread>`);
    [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('.modes button')].find((b) => text(b) === 'Note')!.click();
    await el.updateComplete;
    const textarea = el.shadowRoot!.querySelector('textarea')!;
    textarea.value = 'Revisa esto @br';
    textarea.setSelectionRange(15, 15);
    textarea.dispatchEvent(new InputEvent('input'));
    await el.updateComplete;
    textarea.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', cancelable: true }));
    await el.updateComplete;
    expect(textarea.value).to.equal('Revisa esto @Bruno Costa ');
  });

  it('offers approved templates with their parameters once the WhatsApp window has closed', async () => {
    const el = await fixture<CharlaThread>(html`<charla-thread lang="en" style="height: 700px" conversation-id="cv_1"
      .conversation=${conversation({ windowExpiresAt: minutesAgo(60) })} .contact=${contact()} .messages=${messages}
      .templates=${[
        { name: 'order_update', language: 'es_MX', status: 'APPROVED', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hola {{1}}, tu pedido {{2}} está en camino.' }] },
        { name: 'draft_one', language: 'es_MX', status: 'PENDING', category: 'UTILITY', components: [{ type: 'BODY', text: 'x' }] },
      ]}></charla-thread>`);
    const composer = el.shadowRoot!.querySelector('[part="composer"]')!;
    expect(composer.getAttribute('data-mode')).to.equal('template');
    expect(text(composer)).to.contain('WhatsApp only allows an approved template');
    expect(composer.querySelector('textarea')).to.be.null;
    expect([...composer.querySelectorAll('option')].map(text)).to.deep.equal(['order_update (es_MX)']);
    const inputs = [...composer.querySelectorAll<HTMLInputElement>('input')];
    expect(inputs).to.have.length(2);
    const send = composer.querySelector<HTMLButtonElement>('button.primary')!;
    expect(send.disabled).to.be.true;
    inputs[0]!.value = 'María';
    inputs[0]!.dispatchEvent(new InputEvent('input'));
    await el.updateComplete;
    inputs[1]!.value = '#4471';
    inputs[1]!.dispatchEvent(new InputEvent('input'));
    await el.updateComplete;
    expect(text(el.shadowRoot!.querySelector('.template-preview')!)).to.equal('Hola María, tu pedido #4471 está en camino.');
    expect(el.shadowRoot!.querySelector<HTMLButtonElement>('[part="composer"] button.primary')!.disabled).to.be.false;
    // Notes are always possible.
    [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('.modes button')].find((b) => text(b) === 'Note')!.click();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="composer"] textarea')).to.exist;
    await expect(el).to.be.accessible();
  });

  it('says who is typing', async () => {
    const el = await thread();
    expect(text(el.shadowRoot!.querySelector('[part="typing"]')!)).to.equal('');
    el.typing = 'María López';
    await el.updateComplete;
    expect(text(el.shadowRoot!.querySelector('[part="typing"]')!)).to.equal('María López is typing…');
  });

  it('is accessible', async () => {
    const el = await thread();
    await expect(el).to.be.accessible();
  });
});
