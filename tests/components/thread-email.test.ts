import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../fixtures/locales.js';
import type { CharlaThread } from '@charla/elements';
import { contact, conversation, message, minutesAgo } from '../fixtures/entities.js';

async function emailThread(lang = 'en') {
  return fixture<CharlaThread>(html`<charla-thread
    lang=${lang}
    style="height: 600px"
    conversation-id="cv_mail"
    .conversation=${conversation({ id: 'cv_mail', channel: 'email' })}
    .contact=${contact()}
    .messages=${[message({ id: 'msg_m1', conversationId: 'cv_mail', body: '¿Me mandan la cotización?', createdAt: minutesAgo(30) })]}
  ></charla-thread>`);
}

const type = (input: HTMLInputElement | HTMLTextAreaElement, value: string) => {
  input.value = value;
  input.dispatchEvent(new InputEvent('input'));
};

describe('charla-thread on an email conversation', () => {
  it('offers a subject and CC for replies (not for notes), and sends them with the reply', async () => {
    const el = await emailThread();
    const fields = () => el.shadowRoot!.querySelector('.email-fields');
    expect(fields()).to.exist;
    const [subject, cc] = [...fields()!.querySelectorAll<HTMLInputElement>('input')];
    expect(subject!.placeholder).to.equal('Re: the customer’s subject');
    type(subject!, 'Cotización de Acme');
    type(cc!, 'compras@cliente.test, ventas@cliente.test');
    type(el.shadowRoot!.querySelector('textarea')!, 'Adjunto la cotización');
    await el.updateComplete;
    setTimeout(() => el.shadowRoot!.querySelector<HTMLButtonElement>('button.primary')!.click());
    const event = await oneEvent(el, 'charla-message-send');
    expect(event.detail).to.deep.equal({
      conversationId: 'cv_mail', body: 'Adjunto la cotización', private: false,
      email: { subject: 'Cotización de Acme', cc: ['compras@cliente.test', 'ventas@cliente.test'] },
    });
    await el.updateComplete;
    expect(fields()!.querySelector<HTMLInputElement>('input')!.value, 'the subject clears after sending').to.equal('');

    const note = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('.modes button')].find((b) => b.textContent!.trim() === 'Note')!;
    note.click();
    await el.updateComplete;
    expect(fields(), 'notes are not email').to.be.null;
  });

  it('holds a reply whose CC is not an address, saying which one (in Spanish too)', async () => {
    const el = await emailThread('es');
    const [, cc] = [...el.shadowRoot!.querySelectorAll<HTMLInputElement>('.email-fields input')];
    type(cc!, 'compras@cliente.test, compras');
    type(el.shadowRoot!.querySelector('textarea')!, 'Hola');
    await el.updateComplete;
    const alert = el.shadowRoot!.querySelector('#cc-error')!;
    expect(alert.textContent).to.contain('No es una dirección de email: compras');
    expect(cc!.getAttribute('aria-invalid')).to.equal('true');
    expect(el.shadowRoot!.querySelector<HTMLButtonElement>('button.primary')!.disabled).to.be.true;
  });

  it('shows no email fields on other channels', async () => {
    const el = await fixture<CharlaThread>(html`<charla-thread conversation-id="cv_1" .conversation=${conversation()} .contact=${contact()} .messages=${[]}></charla-thread>`);
    expect(el.shadowRoot!.querySelector('.email-fields')).to.be.null;
  });
});

describe('charla-thread shows an email’s attachments', () => {
  it('lists each named file as a download, as text (a file name is never HTML)', async () => {
    const withFiles = message({
      id: 'msg_m2', conversationId: 'cv_mail', body: 'Va la orden de compra', createdAt: minutesAgo(5),
      content: {
        email: { subject: 'Orden' },
        attachments: [
          { type: 'application/pdf', filename: 'orden-<b>1</b>.pdf', size: 10, inline: false, url: 'https://files.example.test/orden.pdf' },
          { type: 'image/png', filename: 'logo.png', size: 5, inline: true, url: 'javascript:alert(1)' },
        ],
      },
    });
    const el = await fixture<CharlaThread>(html`<charla-thread style="height: 600px" conversation-id="cv_mail"
      .conversation=${conversation({ id: 'cv_mail', channel: 'email' })} .contact=${contact()} .messages=${[withFiles]}></charla-thread>`);
    const bubble = [...el.shadowRoot!.querySelectorAll('[part~="message"]')].find((m) => m.textContent!.includes('Va la orden'))!;
    const files = [...bubble.querySelectorAll('.attachment')];
    expect(files.length).to.equal(2);
    const link = files[0]!.querySelector('a')!;
    expect(link.getAttribute('download')).to.equal('orden-<b>1</b>.pdf');
    expect(link.textContent).to.equal('orden-<b>1</b>.pdf');
    expect(files[0]!.querySelector('b')).to.be.null;
    expect(files[1]!.querySelector('a'), 'a javascript: link is not followed').to.be.null;
    expect(files[1]!.textContent).to.contain('logo.png');
  });
});

describe('charla-thread shows an email’s subject and its formatted HTML in a sandboxed frame', () => {
  const formatted = () => message({
    id: 'msg_h1', conversationId: 'cv_mail', body: 'Hola, quiero 20 tazas', createdAt: minutesAgo(3),
    content: {
      email: {
        subject: 'Pedido <b>urgente</b>',
        html: '<p>Hola, quiero <strong>20 tazas</strong></p><p><a href="https://tienda.example" rel="noopener noreferrer nofollow" target="_blank">catálogo</a></p>',
      },
    },
  });
  const frameThread = (lang = 'en', messages = [formatted()]) => fixture<CharlaThread>(html`<charla-thread lang=${lang} style="height: 600px" conversation-id="cv_mail"
    .conversation=${conversation({ id: 'cv_mail', channel: 'email' })} .contact=${contact()} .messages=${messages}></charla-thread>`);
  const bubbleOf = (el: CharlaThread) => [...el.shadowRoot!.querySelectorAll('[part~="message"]')].find((m) => m.querySelector('[part~="email-subject"]'))!;

  it('the subject as text above the message, and the HTML in a frame with no scripts, no same origin and nothing loading', async () => {
    const el = await frameThread();
    const bubble = bubbleOf(el);
    const subject = bubble.querySelector('[part~="email-subject"]')!;
    expect(subject.textContent).to.equal('Subject: Pedido <b>urgente</b>');
    expect(subject.querySelector('b'), 'a subject is never HTML').to.be.null;
    const frame = bubble.querySelector<HTMLIFrameElement>('iframe[part~="email-frame"]')!;
    expect(frame).to.exist;
    expect(frame.getAttribute('sandbox'), 'sandbox="" allows nothing').to.equal('');
    expect(frame.sandbox.length).to.equal(0);
    expect(frame.srcdoc).to.contain('<strong>20 tazas</strong>');
    expect(frame.srcdoc).to.match(/Content-Security-Policy" content="default-src 'none';[^"]*img-src 'none'/);
    expect(frame.title).to.contain('no scripts');
    expect(frame.contentDocument, 'the page cannot reach into the frame (no same origin)').to.be.null;
  });

  it('switches to the text and back with a keyboard-reachable button (in Portuguese too)', async () => {
    const el = await frameThread('pt');
    const toggle = () => bubbleOf(el).querySelector<HTMLButtonElement>('button[part~="email-toggle"]')!;
    expect(toggle().textContent!.trim()).to.equal('Ver como texto');
    expect(bubbleOf(el).querySelector('[part~="email-subject"]')!.textContent).to.equal('Assunto: Pedido <b>urgente</b>');
    toggle().focus();
    toggle().click();
    await el.updateComplete;
    expect(bubbleOf(el).querySelector('iframe'), 'the text replaces the frame').to.be.null;
    expect(bubbleOf(el).querySelector('[part~="bubble"]')!.textContent).to.contain('Hola, quiero 20 tazas');
    expect(toggle().getAttribute('aria-pressed')).to.equal('true');
    expect(toggle().textContent!.trim()).to.equal('Ver com formatação');
    toggle().click();
    await el.updateComplete;
    expect(bubbleOf(el).querySelector('iframe')).to.exist;
  });

  it('an email without HTML shows its subject and text, with no frame and no toggle', async () => {
    const plain = message({ id: 'msg_h2', conversationId: 'cv_mail', body: 'Solo texto', createdAt: minutesAgo(2), content: { email: { subject: 'Consulta' } } });
    const el = await frameThread('es', [plain]);
    const bubble = bubbleOf(el);
    expect(bubble.querySelector('[part~="email-subject"]')!.textContent).to.equal('Asunto: Consulta');
    expect(bubble.querySelector('iframe')).to.be.null;
    expect(bubble.querySelector('[part~="email-toggle"]')).to.be.null;
    expect(bubble.querySelector('[part~="bubble"]')!.textContent).to.contain('Solo texto');
  });
});

describe('charla-thread attaches files to an email reply', () => {
  it('uploads each chosen file, shows it as a removable chip, and sends the reply naming the uploads', async () => {
    const uploads: Array<{ path: string; filename: string | null; type: string | null; size: number }> = [];
    const sent: unknown[] = [];
    const thread = conversation({ id: 'cv_mail', channel: 'email' });
    const history = [message({ id: 'msg_a1', conversationId: 'cv_mail', body: '¿Me mandan la cotización?', createdAt: minutesAgo(3) })];
    const client = {
      me: { id: 'ag_ana', role: 'agent' },
      session: null,
      subscribe: () => () => {},
      presenceOf: () => 'online',
      conversation: () => thread,
      contact: () => contact(),
      messages: () => ({ loaded: true, loading: false, hasMore: false, items: history }),
      loadConversation: async () => thread,
      loadMessages: async () => undefined,
      cannedResponses: () => [],
      markRead: async () => undefined,
      typingIn: () => null,
      notifyTyping: () => undefined,
      templates: () => [],
      actions: () => [],
      mediaUrl: () => undefined,
      sales: { dealsById: new Map(), pipelines: [] },
      ai: { followUps: () => ({ items: [] }) },
      contactCommerce: async () => null,
      send: (...args: unknown[]) => {
        sent.push(args);
        return 'cl_1';
      },
      async fetchApi(path: string, init: RequestInit = {}) {
        const headers = new Headers(init.headers);
        const file = init.body as File;
        uploads.push({ path, filename: headers.get('x-filename'), type: headers.get('content-type'), size: file.size });
        if (headers.get('x-filename') === encodeURIComponent('roto.bin')) {
          return new Response(JSON.stringify({ error: { code: 'invalid_payload', message: 'The body must be the file' } }), { status: 400 });
        }
        return new Response(JSON.stringify({ id: `upl_${String(uploads.length).padStart(24, '0')}`, filename: decodeURIComponent(headers.get('x-filename')!) }), { status: 201 });
      },
    };
    const el = await fixture<CharlaThread>(html`<charla-thread lang="en" style="height: 600px" conversation-id="cv_mail" .client=${client}
      .conversation=${conversation({ id: 'cv_mail', channel: 'email' })} .contact=${contact()}
      .messages=${[message({ id: 'msg_a1', conversationId: 'cv_mail', body: '¿Me mandan la cotización?', createdAt: minutesAgo(3) })]}></charla-thread>`);
    const picker = el.shadowRoot!.querySelector<HTMLInputElement>('.email-files input[type="file"]')!;
    expect(picker, 'the email composer has a file picker').to.exist;
    expect(picker.closest('label')!.textContent).to.contain('Attach files');
    const choose = (files: File[]) => {
      const transfer = new DataTransfer();
      for (const file of files) transfer.items.add(file);
      picker.files = transfer.files;
      picker.dispatchEvent(new Event('change'));
    };
    choose([new File(['%PDF-1.4'], 'cotización.pdf', { type: 'application/pdf' }), new File(['a,b'], 'precios.csv', { type: 'text/csv' })]);
    await waitUntil(() => el.shadowRoot!.querySelectorAll('[part~="email-attachment"]').length === 2, 'both files uploaded');
    expect(uploads.map((u) => [u.path, u.filename, u.type])).to.deep.equal([
      ['/api/v1/conversations/cv_mail/attachments', encodeURIComponent('cotización.pdf'), 'application/pdf'],
      ['/api/v1/conversations/cv_mail/attachments', 'precios.csv', 'text/csv'],
    ]);
    const chips = [...el.shadowRoot!.querySelectorAll('[part~="email-attachment"]')];
    expect(chips.map((chip) => chip.textContent!.replace('×', '').trim())).to.deep.equal(['cotización.pdf', 'precios.csv']);
    chips[1]!.querySelector<HTMLButtonElement>('button[aria-label="Remove precios.csv"]')!.click();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelectorAll('[part~="email-attachment"]').length).to.equal(1);

    choose([new File(['x'], 'roto.bin')]);
    await waitUntil(() => el.shadowRoot!.querySelector('.email-files [role="alert"]'), 'the failure is said');
    expect(el.shadowRoot!.querySelector('.email-files [role="alert"]')!.textContent).to.equal('roto.bin could not be attached: The body must be the file');

    const textarea = el.shadowRoot!.querySelector('textarea')!;
    textarea.value = 'Adjunto la cotización';
    textarea.dispatchEvent(new InputEvent('input'));
    await el.updateComplete;
    const sendButton = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('button.primary')].find((b) => b.textContent!.trim() === 'Send')!;
    expect(sendButton.disabled, 'the reply can go').to.be.false;
    setTimeout(() => sendButton.click());
    const event = await oneEvent(el, 'charla-message-send');
    expect(event.detail.email).to.deep.equal({ attachments: ['upl_000000000000000000000001'] });
    expect(sent).to.have.length(1);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelectorAll('[part~="email-attachment"]').length, 'the chips clear once sent').to.equal(0);
  });
});
