import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../fixtures/locales.js';
import type { CharlaThread } from '@charla/elements';
import type { Conversation, FollowUpDraft, QuoteDraft } from '@charla/protocol';
import { contact, conversation, message, minutesAgo } from '../fixtures/entities.js';

const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

async function thread(lang = 'en', overrides: Partial<Conversation> = {}) {
  return fixture<CharlaThread>(html`<charla-thread
    lang=${lang}
    style="height: 700px"
    conversation-id="cv_1"
    .conversation=${conversation(overrides)}
    .contact=${contact()}
    .messages=${[message({ id: 'msg_1', body: 'Hola, quiero 12 prensas francesas y un delantal', createdAt: minutesAgo(5) })]}
  ></charla-thread>`);
}

const DRAFT: QuoteDraft = {
  conversationId: 'cv_1',
  currency: 'MXN',
  language: 'es',
  items: [
    { description: 'Prensas francesas', quantity: 12, unitPrice: 350, source: { kind: 'knowledge', id: 'kb_1', chunkId: 'kc_1', title: 'Lista de precios' } },
    { description: 'Delantal', quantity: 1, unitPrice: null, source: null },
  ],
  total: 4200,
  dealId: 'dl_1',
  provider: 'heuristic',
};

function type(input: HTMLInputElement | HTMLTextAreaElement, value: string) {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

describe('"Draft quote" in charla-thread', () => {
  it('asks for a draft, shows its lines with where each price came from, and sends the edited quote with its total', async () => {
    const el = await thread();
    const root = el.shadowRoot!;
    const button = root.querySelector<HTMLButtonElement>('.draft-quote')!;
    expect(text(button)).to.equal('Draft quote');
    setTimeout(() => button.click());
    const asked = await oneEvent(el, 'charla-quote-draft');
    expect(asked.detail).to.deep.equal({ conversationId: 'cv_1' });

    el.quoteDraft = DRAFT;
    // The editor loads the first time a thread needs it.
    await waitUntil(() => root.querySelector('[part="quote-editor"]'), 'the quote editor opens');
    const editor = root.querySelector<HTMLElement>('[part="quote-editor"]')!;
    const descriptions = [...editor.querySelectorAll<HTMLInputElement>('.quote-description')];
    expect(descriptions.map((input) => input.value)).to.deep.equal(['Prensas francesas', 'Delantal']);
    expect(text(editor.querySelector('.quote-source'))).to.equal('Price from «Lista de precios»');
    const prices = [...editor.querySelectorAll<HTMLInputElement>('.quote-price')];
    expect(prices[1]!.value).to.equal('', 'no price found: the agent types it');
    expect(prices[1]!.getAttribute('aria-label')).to.equal('Unit price of item 2');
    const send = () => root.querySelector<HTMLButtonElement>('.quote-send')!;
    expect(send().disabled, 'a line without a price cannot be sent').to.be.true;
    expect(text(root.querySelector('#quote-invalid'))).to.contain('Each item needs a name');
    await expect(el).to.be.accessible();

    type(prices[1]!, '199.5');
    await el.updateComplete;
    expect(text(root.querySelector('[part="quote-total"]'))).to.equal('Total: $4,399.50 MXN');
    root.querySelector<HTMLButtonElement>('.quote-add')!.click();
    await el.updateComplete;
    expect(root.querySelectorAll('.quote-description').length).to.equal(3);
    expect(send().disabled, 'the new empty line needs filling').to.be.true;
    root.querySelector<HTMLButtonElement>('[aria-label="Remove item 3"]')!.click();
    await el.updateComplete;
    type(root.querySelector<HTMLTextAreaElement>('.quote-note textarea')!, 'Válida por 15 días.');
    await el.updateComplete;
    expect(send().disabled).to.be.false;

    setTimeout(() => send().click());
    const sent = await oneEvent(el, 'charla-quote-send');
    expect(sent.detail).to.deep.equal({
      conversationId: 'cv_1', currency: 'MXN', language: 'es',
      items: [{ description: 'Prensas francesas', quantity: 12, unitPrice: 350 }, { description: 'Delantal', quantity: 1, unitPrice: 199.5 }],
      note: 'Válida por 15 días.',
    });
  });

  it('closes with Escape or Cancel, and offers no quote for private notes', async () => {
    const el = await thread();
    const root = el.shadowRoot!;
    el.quoteDraft = DRAFT;
    await waitUntil(() => root.querySelector('.quote-description'), 'the quote editor opens');
    root.querySelector<HTMLInputElement>('.quote-description')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await el.updateComplete;
    expect(root.querySelector('[part="quote-editor"]')).to.be.null;
    el.quoteDraft = { ...DRAFT };
    await waitUntil(() => root.querySelector('[part="quote-editor"]'), 'the quote editor opens again');
    [...root.querySelectorAll<HTMLButtonElement>('.quote-actions button')].find((b) => text(b) === 'Cancel')!.click();
    await el.updateComplete;
    expect(root.querySelector('[part="quote-editor"]')).to.be.null;
    [...root.querySelectorAll<HTMLButtonElement>('.modes button')].find((b) => text(b) === 'Note')!.click();
    await el.updateComplete;
    expect(root.querySelector('.draft-quote')).to.be.null;
  });

  it('speaks Spanish and Portuguese', async () => {
    const spanish = await thread('es');
    await waitUntil(() => text(spanish.shadowRoot!.querySelector('.draft-quote')) === 'Armar cotización', 'the Spanish strings load');
    spanish.quoteDraft = DRAFT;
    await waitUntil(() => spanish.shadowRoot!.querySelector('.quote-send'), 'the quote editor opens');
    expect(text(spanish.shadowRoot!.querySelector('.quote-send'))).to.equal('Enviar cotización');
    const portuguese = await thread('pt');
    await waitUntil(() => text(portuguese.shadowRoot!.querySelector('.draft-quote')) === 'Montar orçamento', 'the Portuguese strings load');
  });
});

const FOLLOW_UP: FollowUpDraft = {
  id: 'fu_1',
  workspaceId: 'ws_demo',
  conversationId: 'cv_1',
  contactId: 'ct_maria',
  dealId: 'dl_1',
  taskId: 'tk_1',
  body: '¡Hola María! Te escribo para retomar lo de 12 prensas francesas. ¿Sigue en pie?',
  template: { name: 'seguimiento_cliente', language: 'es_MX', parameters: ['María'], text: 'Hola María, ¿seguimos con tu pedido?' },
  status: 'pending',
  provider: 'heuristic',
  createdAt: minutesAgo(1),
  decidedAt: null,
  decidedBy: null,
  messageId: null,
  error: null,
};

describe('re-engagement drafts in charla-thread', () => {
  it('shows the draft above the composer; the owner edits it and sends it in one click', async () => {
    const el = await thread('en', { windowExpiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    el.followUps = [FOLLOW_UP];
    await waitUntil(() => el.shadowRoot!.querySelector('[part="follow-up"]'), 'the draft shows');
    const box = el.shadowRoot!.querySelector<HTMLElement>('[part="follow-up"]')!;
    expect(text(box.querySelector('h3'))).to.equal('✦ Suggested follow-up');
    const textarea = box.querySelector<HTMLTextAreaElement>('textarea')!;
    expect(textarea.value).to.equal(FOLLOW_UP.body);
    await expect(el).to.be.accessible();
    type(textarea, '¡Hola María! ¿Seguimos con las prensas?');
    setTimeout(() => box.querySelector<HTMLButtonElement>('.follow-up-send')!.click());
    const approved = await oneEvent(el, 'charla-follow-up-approve');
    expect(approved.detail).to.deep.equal({ followUp: FOLLOW_UP, body: '¡Hola María! ¿Seguimos con las prensas?' });
    setTimeout(() => [...box.querySelectorAll('button')].find((b) => text(b) === 'Dismiss')!.click());
    const dismissed = await oneEvent(el, 'charla-follow-up-dismiss');
    expect(dismissed.detail.followUp.id).to.equal('fu_1');
  });

  it('when the AI could not draft it, the reason shows and the owner writes the message before it can go', async () => {
    const el = await thread('en', { windowExpiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    const failed: FollowUpDraft = { ...FOLLOW_UP, id: 'fu_2', body: '', error: 'The AI provider failed (500)' };
    el.followUps = [failed];
    await waitUntil(() => el.shadowRoot!.querySelector('[part="follow-up"]'), 'the follow-up shows');
    const box = el.shadowRoot!.querySelector<HTMLElement>('[part="follow-up"]')!;
    expect(text(box.querySelector('[role="status"]'))).to.equal('The AI could not draft this follow-up: The AI provider failed (500). Write it yourself, or dismiss it.');
    const send = () => box.querySelector<HTMLButtonElement>('.follow-up-send')!;
    expect(send().disabled, 'nothing to send yet').to.be.true;
    await expect(el).to.be.accessible();
    type(box.querySelector<HTMLTextAreaElement>('textarea')!, '¡Hola María! ¿Seguimos?');
    await waitUntil(() => !send().disabled, 'the written message can go');
    setTimeout(() => send().click());
    const approved = await oneEvent(el, 'charla-follow-up-approve');
    expect(approved.detail).to.deep.equal({ followUp: failed, body: '¡Hola María! ¿Seguimos?' });
  });

  it('outside the WhatsApp window it shows the template that goes instead', async () => {
    const el = await thread('en', { windowExpiresAt: minutesAgo(60) });
    el.followUps = [FOLLOW_UP];
    await waitUntil(() => el.shadowRoot!.querySelector('[part="follow-up"]'), 'the draft shows');
    const box = el.shadowRoot!.querySelector<HTMLElement>('[part="follow-up"]')!;
    expect(box.querySelector('textarea')).to.be.null;
    expect(text(box.querySelector('p.follow-up-text'))).to.equal('Hola María, ¿seguimos con tu pedido?');
    expect(text(box)).to.contain('Goes as the approved template «seguimiento_cliente»');
    setTimeout(() => box.querySelector<HTMLButtonElement>('.follow-up-send')!.click());
    const approved = await oneEvent(el, 'charla-follow-up-approve');
    expect(approved.detail).to.deep.equal({ followUp: FOLLOW_UP });
    await expect(el).to.be.accessible();
    el.followUps = [{ ...FOLLOW_UP, template: null }];
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector<HTMLButtonElement>('.follow-up-send')!.disabled, 'no template fits: nothing can be sent now').to.be.true;
  });
});
