import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { CharlaRequestError } from '@charla/client';
import '../fixtures/locales.js';
import type { CharlaContactPanel } from '@charla/elements';
import type { ContactCommerce } from '@charla/protocol';
import { contact, minutesAgo } from '../fixtures/entities.js';
import { answeringClient, gabriela, gabyMerge, gabyOnWhatsapp } from '../fixtures/merge.js';

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
    expect(all).to.contain('$5,780.00 MXN').and.contain('$1,200.00 MXN');
    expect(all).to.contain('F-1042').and.contain('$1,200.00 MXN');
    expect(root(el).querySelector('.overdue'), 'an invoice past due stands out').to.exist;
    expect(all).to.contain('150 tazas personalizadas').and.contain('$15,000.00 MXN');
    expect(all).to.contain('Enviar muestra de color');
    expect(all).to.contain('Prefiere pagar con transferencia');
    expect([...root(el).querySelectorAll('.chip')].map(text)).to.deep.equal(['vip', 'mayorista']);
    expect(all).to.contain('plan').and.contain('Pro');
  });

  it('writes money the way the currency\'s country does, saying which dollar a bare $ is', async () => {
    expect(text(root(await panel('es')))).to.contain('$5,780.00 MXN').and.not.contain('5780,00');
    const brazilian = await fixture<CharlaContactPanel>(html`<charla-contact-panel lang="pt" .contact=${maria}
      .commerce=${{ ...commerce, ltv: { BRL: 800 }, pendingBalance: {}, openInvoices: [], openDeals: [] }}></charla-contact-panel>`);
    expect(text(root(brazilian))).to.contain('R$ 800,00').and.not.contain('R$ 800,00 BRL');
  });

  it('edits the phone in place, showing the server\'s refusal of an invalid number and saving a valid one', async () => {
    const { client, calls } = answeringClient();
    // What the server answers: the number read in the contact's country, or `invalid_payload`.
    client.request = (async (name: string, payload: { contactId: string; patch: { phone?: string } }) => {
      calls.push({ name, payload });
      if (name !== 'contact.update') return null;
      if (payload.patch.phone === '12345') throw new CharlaRequestError('invalid_payload', 'phone: Not a valid phone number of MX');
      return { ...maria, phone: '+523312345678' };
    }) as unknown as typeof client.request;
    const el = await fixture<CharlaContactPanel>(html`<charla-contact-panel lang="es" .client=${client} .contact=${maria}></charla-contact-panel>`);
    root(el).querySelector<HTMLButtonElement>('button[data-field="phone"]')!.click();
    await el.updateComplete;
    const input = root(el).querySelector<HTMLInputElement>('#edit-phone')!;
    expect(root(el).activeElement).to.equal(input);
    input.value = '12345';
    input.dispatchEvent(new InputEvent('input'));
    setTimeout(() => input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' })));
    expect((await oneEvent(el, 'charla-contact-edit')).detail).to.deep.equal({ contactId: 'ct_maria', patch: { phone: '12345' } });
    await waitUntil(() => root(el).querySelector('[role="alert"]'), 'the refusal is shown');
    expect(text(root(el).querySelector('[role="alert"]')!)).to.contain('No es un teléfono válido');
    expect(input.getAttribute('aria-invalid')).to.equal('true');

    input.value = '+52 33 1234 5678';
    input.dispatchEvent(new InputEvent('input'));
    setTimeout(() => input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' })));
    const event = await oneEvent(el, 'charla-contact-edit');
    expect(event.detail).to.deep.equal({ contactId: 'ct_maria', patch: { phone: '+52 33 1234 5678' } });
    await waitUntil(() => !root(el).querySelector('#edit-phone'), 'the saved field closes');
    expect(calls.filter((call) => call.name === 'contact.update')).to.have.length(2);
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

  it('shows whether the person gets campaigns and lets an agent opt them out and back in', async () => {
    const { client, calls } = answeringClient();
    let current = maria;
    client.request = (async (name: string, payload: { contactId: string; patch: { marketingOptOut?: boolean } }) => {
      calls.push({ name, payload });
      if (name !== 'contact.update') return null;
      current = {
        ...maria,
        marketingOptOut: payload.patch.marketingOptOut
          ? { at: '2026-12-01T15:00:00.000Z', source: 'agent', byId: 'ag_1', byName: 'Ana Ruiz', keyword: null, channel: null }
          : null,
      };
      return current;
    }) as unknown as typeof client.request;
    const el = await fixture<CharlaContactPanel>(html`<charla-contact-panel lang="es" .client=${client} .contact=${maria}></charla-contact-panel>`);
    const consent = () => root(el).querySelector<HTMLElement>('.consent')!;
    expect(text(consent())).to.contain('Recibe campañas');
    setTimeout(() => consent().querySelector('button')!.click());
    expect((await oneEvent(el, 'charla-contact-edit')).detail).to.deep.equal({ contactId: 'ct_maria', patch: { marketingOptOut: true } });
    await waitUntil(() => calls.some((call) => call.name === 'contact.update'), 'the change is sent');
    el.contact = current;
    await el.updateComplete;
    expect(consent().dataset.optedOut).to.equal('true');
    expect(text(consent())).to.contain('Se dio de baja el 1 dic 2026').and.contain('indicado por Ana Ruiz').and.contain('Volver a suscribir');
  });

  it('says which word the customer wrote on which channel, and offers viewers no switch', async () => {
    const el = await fixture<CharlaContactPanel>(html`<charla-contact-panel
      lang="pt"
      readonly
      .contact=${{ ...maria, marketingOptOut: { at: '2026-11-20T12:00:00.000Z', source: 'keyword', byId: null, byName: null, keyword: 'BAJA', channel: 'whatsapp' } }}
    ></charla-contact-panel>`);
    const consent = root(el).querySelector<HTMLElement>('.consent')!;
    expect(text(consent)).to.contain('Descadastrado em').and.contain('escreveu “BAJA” pelo WhatsApp');
    expect(consent.querySelector('button')).to.be.null;
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

describe('charla-contact-panel merging', () => {
  async function withClient(options: Parameters<typeof answeringClient>[0] = {}, contactId = 'ct_gabriela', lang = 'en') {
    const { client, calls } = answeringClient(options);
    const el = await fixture<CharlaContactPanel>(html`<charla-contact-panel lang=${lang} contact-id=${contactId} .client=${client}></charla-contact-panel>`);
    await waitFor(() => root(el).querySelector('header'));
    return { el, client, calls };
  }
  const waitFor = async <T>(find: () => T | null | undefined | false): Promise<T> => {
    for (let i = 0; i < 200; i += 1) {
      const found = find();
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('Timed out waiting in the panel');
  };
  const button = (el: CharlaContactPanel, label: string | RegExp) =>
    [...root(el).querySelectorAll('button')].find((b) => (typeof label === 'string' ? text(b) === label || b.getAttribute('aria-label') === label : label.test(text(b))));
  const press = (target: HTMLElement) => {
    target.focus();
    target.click();
  };

  it('links a WhatsApp number to a contact from the keyboard, after a preview of what moves and how each conflict is resolved', async () => {
    const { el, calls } = await withClient({}, 'ct_gaby');
    press(button(el, /^Link to an existing contact/)!);
    const search = await waitFor(() => root(el).querySelector<HTMLInputElement>('input.search'));
    expect(root(el).activeElement, 'focus goes to the search').to.equal(search);
    search.value = 'Gabriela';
    search.dispatchEvent(new InputEvent('input'));
    const result = await waitFor(() => root(el).querySelector<HTMLButtonElement>('button.result'));
    press(result);
    const preview = await waitFor(() => root(el).querySelector<HTMLElement>('.preview'));
    expect(root(el).activeElement, 'focus goes to the preview').to.equal(preview);
    expect(calls.some((call) => call.name === 'contact.merge'), 'nothing merged before confirming').to.equal(false);
    const said = text(preview);
    expect(said).to.contain('“Gaby ☕” becomes part of “Gabriela Ruiz”');
    expect(said).to.contain('Moves 1 conversations (12 messages), 1 channels, 0 notes, 1 deals, 0 tasks, 0 purchases and payments and 1 AI insights');
    expect([...preview.querySelectorAll('.conflict')].map(text)).to.deep.equal([
      'Name: keeps “Gabriela Ruiz”; “Gaby ☕” stays as the attribute “name (profile)”.',
      'Phone: keeps “+525511112222”; “+525598765432” stays as another phone.',
    ]);
    await expect(el).to.be.accessible();

    setTimeout(() => press(preview.querySelector<HTMLButtonElement>('button.confirm')!));
    const merged = await oneEvent(el, 'charla-contact-merge');
    expect(merged.detail).to.deep.equal({ survivorId: 'ct_gabriela', mergedId: 'ct_gaby' });
    expect(calls.find((call) => call.name === 'contact.merge')?.payload).to.deep.equal({ contactId: 'ct_gabriela', mergeId: 'ct_gaby' });
    expect(el.contactId).to.equal('ct_gabriela');
    const undo = await waitFor(() => button(el, 'Undo merge of Gaby ☕'));
    expect(text(root(el).querySelector('[part~="merges"]')!)).to.contain('“Gaby ☕” merged');
    expect(undo).to.exist;
  });

  it('shows possible duplicates: dismissing one keeps it away, reviewing one opens the preview', async () => {
    const lucia = contact({ id: 'ct_lucia', name: 'Gabriela Ruíz', createdAt: minutesAgo(10) });
    const { el, calls } = await withClient({
      duplicates: [
        { contact: gabriela, other: gabyOnWhatsapp, signal: 'similar_name' },
        { contact: gabriela, other: lucia, signal: 'same_name' },
      ],
    });
    const section = await waitFor(() => root(el).querySelector('[part~="duplicates"]'));
    expect(text(section)).to.contain('Possible duplicates').and.contain('Gaby ☕ · similar name').and.contain('Gabriela Ruíz · same name');
    await expect(el).to.be.accessible();

    press(button(el, 'Gabriela Ruíz is not the same person')!);
    await waitFor(() => !text(root(el).querySelector('[part~="duplicates"]')!).includes('Gabriela Ruíz'));
    expect(calls.find((call) => call.name === 'contacts.dismissDuplicate')?.payload).to.deep.equal({ contactId: 'ct_gabriela', otherId: 'ct_lucia' });

    press(button(el, 'Review merge with Gaby ☕')!);
    const preview = await waitFor(() => root(el).querySelector('.preview'));
    expect(text(preview)).to.contain('“Gaby ☕” becomes part of “Gabriela Ruiz”');
    expect(calls.find((call) => call.name === 'contact.mergePreview')?.payload, 'the older contact survives').to.deep.equal({ contactId: 'ct_gabriela', mergeId: 'ct_gaby' });
  });

  it('undoes a recent merge and says so', async () => {
    const { el, calls } = await withClient({ merges: [gabyMerge] });
    const undo = await waitFor(() => button(el, 'Undo merge of Gaby ☕'));
    expect(text(root(el).querySelector('[part~="merges"]')!)).to.contain('can be undone until');
    press(undo);
    const status = await waitFor(() => root(el).querySelector('[part~="merges"] [role="status"]'));
    expect(text(status)).to.equal('Merge undone: “Gaby ☕” is a contact again.');
    expect(calls.find((call) => call.name === 'contact.unmerge')?.payload).to.deep.equal({ contactId: 'ct_gabriela', mergeId: 'mrg_1' });
    expect(button(el, 'Undo merge of Gaby ☕')).to.equal(undefined);
  });

  it('speaks Spanish and Portuguese in the preview', async () => {
    for (const [lang, expected] of [['es', 'Nombre: conserva “Gabriela Ruiz”; “Gaby ☕” queda como el atributo “name (profile)”.'], ['pt', 'Nome: mantém “Gabriela Ruiz”; “Gaby ☕” fica como o atributo “name (profile)”.']]) {
      const { el } = await withClient({ duplicates: [{ contact: gabriela, other: gabyOnWhatsapp, signal: 'similar_name' }] }, 'ct_gabriela', lang);
      const review = await waitFor(() => root(el).querySelector<HTMLButtonElement>('[part~="duplicates"] button'));
      press(review);
      const conflict = await waitFor(() => root(el).querySelector('.conflict'));
      expect(text(conflict)).to.equal(expected);
    }
  });

  it('offers no merging to viewers', async () => {
    const { el } = await withClient({ role: 'viewer', merges: [gabyMerge] });
    await el.updateComplete;
    expect(button(el, /Merge another contact/)).to.equal(undefined);
    expect(button(el, 'Undo merge of Gaby ☕')).to.equal(undefined);
  });

  it('offers admins only the data download and the erasure, which asks first, can refuse the person, and says why it failed', async () => {
    const { el: agentPanel } = await withClient({ role: 'agent' });
    expect(agentPanel.shadowRoot!.querySelector('[part~="privacy"]'), 'agents get no privacy section').to.equal(null);
    agentPanel.remove();

    const { el, client } = await withClient({ role: 'admin' });
    const requests: string[] = [];
    let refuse = true;
    client.fetchApi = async (path: string, init: RequestInit = {}) => {
      requests.push(`${init.method ?? 'GET'} ${path}`);
      if (path.includes('data-export')) return new Response(JSON.stringify({ error: { code: 'forbidden', message: 'This needs the admin role' } }), { status: 403 });
      if (refuse) return new Response(JSON.stringify({ error: { code: 'internal', message: 'The database is busy' } }), { status: 500 });
      return new Response(JSON.stringify({ contactId: 'ct_gabriela' }), { status: 200 });
    };
    press(button(el, 'Download data')!);
    const failed = await waitFor(() => root(el).querySelector('[part~="privacy"] [role="alert"]'));
    expect(text(failed)).to.equal('The data could not be exported: This needs the admin role');

    press(button(el, 'Erase this person…')!);
    const cancel = await waitFor(() => button(el, 'Cancel'));
    await waitFor(() => root(el).activeElement === cancel);
    expect(text(root(el).querySelector('#erase-question')!)).to.contain('Erase Gabriela Ruiz and everything');
    expect(requests.filter((r) => r.startsWith('DELETE')), 'nothing erased before confirming').to.deep.equal([]);
    await expect(el).to.be.accessible();
    root(el).querySelector<HTMLInputElement>('.erase-confirm input[type="checkbox"]')!.click();
    press(button(el, 'Erase for good')!);
    const erasureFailed = await waitFor(() => root(el).querySelector('.erase-confirm [role="alert"]'));
    expect(text(erasureFailed)).to.equal('The person could not be erased: The database is busy');
    refuse = false;
    setTimeout(() => press(button(el, 'Erase for good')!));
    const erased = await oneEvent(el, 'charla-contact-erase');
    expect(erased.detail).to.deep.equal({ contactId: 'ct_gabriela' });
    expect(requests.at(-1)).to.equal('DELETE /api/v1/contacts/ct_gabriela?erase=1&block=1');
    expect(el.contactId).to.equal(null);
  });
});
