import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '@charla/elements';
import type { CharlaContactPanel } from '@charla/elements';
import type { ContactCommerce } from '@charla/protocol';
import { contact, minutesAgo } from '../fixtures/entities.js';

const maria = contact({
  email: 'maria@lopez.mx',
  tags: ['vip', 'mayorista'],
  attributes: { plan: 'Pro' },
  identities: [
    { id: 'id_1', contactId: 'ct_maria', channel: 'whatsapp', handle: '5215512345678', verified: true },
    { id: 'id_2', contactId: 'ct_maria', channel: 'instagram', handle: '17841400000000', verified: false },
  ],
});
const commerce: ContactCommerce = {
  contactId: 'ct_maria',
  ltv: { MXN: 5780 },
  pendingBalance: { MXN: 1200 },
  openInvoices: [
    {
      id: 'be_1', workspaceId: 'ws_demo', kind: 'invoice', contactId: 'ct_maria', companyId: null, amount: 1500, currency: 'MXN',
      reference: 'F-1042', description: null, dueDate: '2020-01-31', amountPaid: 300, paid: false, invoiceReference: null,
      occurredAt: minutesAgo(9000), createdAt: minutesAgo(9000),
    },
  ],
  openDeals: [
    {
      id: 'dl_1', workspaceId: 'ws_demo', pipelineId: 'pl_1', stageId: 'st_1', status: 'open', title: '150 tazas personalizadas', amount: 15000,
      currency: 'MXN', probability: 40, expectedCloseDate: null, ownerId: null, contactId: 'ct_maria', companyId: null, conversationId: null,
      lostReason: null, stageEnteredAt: minutesAgo(600), closedAt: null, createdAt: minutesAgo(600), updatedAt: minutesAgo(600),
    },
  ],
  openTasks: [
    {
      id: 'tk_1', workspaceId: 'ws_demo', title: 'Enviar muestra de color', dueAt: minutesAgo(-1440), ownerId: null, done: false, doneAt: null,
      contactId: 'ct_maria', companyId: null, dealId: 'dl_1', conversationId: null, rule: null, createdAt: minutesAgo(60), updatedAt: minutesAgo(60),
    },
  ],
};

async function panel(lang = 'en') {
  return fixture<CharlaContactPanel>(html`<charla-contact-panel
    lang=${lang}
    contact-id="ct_maria"
    .contact=${maria}
    .company=${{ id: 'co_1', workspaceId: 'ws_demo', name: 'Cafés López', domain: 'lopez.mx' }}
    .commerce=${commerce}
    .notes=${[{ id: 'nt_1', workspaceId: 'ws_demo', contactId: 'ct_maria', authorId: null, body: 'Prefiere pagar con transferencia', createdAt: minutesAgo(30) }]}
  ></charla-contact-panel>`);
}

const text = (node: Node) => node.textContent!.replace(/\s+/g, ' ').trim();
const root = (el: CharlaContactPanel) => el.shadowRoot!;

describe('charla-contact-panel', () => {
  it('shows identities, company, value, open invoices, deals, tasks and notes', async () => {
    const el = await panel();
    const all = text(root(el));
    expect(all).to.contain('María López').and.contain('Cafés López · lopez.mx');
    expect(all).to.contain('maria@lopez.mx').and.contain('+525512345678');
    expect(all).to.contain('5215512345678').and.contain('verified').and.contain('17841400000000');
    expect(all).to.contain('MX$5,780.00').and.contain('MX$1,200.00');
    expect(all).to.contain('F-1042').and.contain('MX$1,200.00');
    expect(root(el).querySelector('.overdue'), 'an invoice past due stands out').to.exist;
    expect(all).to.contain('150 tazas personalizadas').and.contain('MX$15,000.00');
    expect(all).to.contain('Enviar muestra de color');
    expect(all).to.contain('Prefiere pagar con transferencia');
    expect([...root(el).querySelectorAll('.chip')].map(text)).to.deep.equal(['vip', 'mayorista']);
    expect(all).to.contain('plan').and.contain('Pro');
  });

  it('edits the phone in place, refusing an invalid number and saving a valid one', async () => {
    const el = await panel();
    root(el).querySelector<HTMLButtonElement>('button[data-field="phone"]')!.click();
    await el.updateComplete;
    const input = root(el).querySelector<HTMLInputElement>('#edit-phone')!;
    expect(root(el).activeElement).to.equal(input);
    input.value = '12345';
    input.dispatchEvent(new InputEvent('input'));
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    await el.updateComplete;
    expect(text(root(el).querySelector('[role="alert"]')!)).to.contain('not a valid phone number');
    expect(input.getAttribute('aria-invalid')).to.equal('true');

    input.value = '+52 33 1234 5678';
    input.dispatchEvent(new InputEvent('input'));
    setTimeout(() => input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' })));
    const event = await oneEvent(el, 'charla-contact-edit');
    expect(event.detail).to.deep.equal({ contactId: 'ct_maria', patch: { phone: '+52 33 1234 5678' } });
  });

  it('cancels an edit with Escape', async () => {
    const el = await panel();
    root(el).querySelector<HTMLButtonElement>('button[data-field="email"]')!.click();
    await el.updateComplete;
    const input = root(el).querySelector<HTMLInputElement>('#edit-email')!;
    input.value = 'not-an-email';
    input.dispatchEvent(new InputEvent('input'));
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    await el.updateComplete;
    expect(root(el).querySelector('#edit-email')).to.be.null;
    expect(text(root(el))).to.contain('maria@lopez.mx');
  });

  it('adds a note', async () => {
    const el = await panel();
    const textarea = root(el).querySelector('textarea')!;
    textarea.value = 'Llamar el lunes';
    textarea.dispatchEvent(new InputEvent('input'));
    await el.updateComplete;
    setTimeout(() => root(el).querySelector<HTMLButtonElement>('form button[type="submit"]')!.click());
    const event = await oneEvent(el, 'charla-note-create');
    expect(event.detail).to.deep.equal({ contactId: 'ct_maria', body: 'Llamar el lunes' });
  });

  it('is read-only for viewers', async () => {
    const el = await panel();
    el.readonly = true;
    await el.updateComplete;
    expect(root(el).querySelector('.value-button')).to.be.null;
    expect(root(el).querySelector('textarea')).to.be.null;
  });

  it('speaks Spanish', async () => {
    const el = await panel('es');
    expect(text(root(el))).to.contain('Valor de vida').and.contain('Negocios abiertos');
  });

  it('is accessible', async () => {
    const el = await panel();
    await expect(el).to.be.accessible();
  });
});
