import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { defineAll, type CharlaContactPanel, type CharlaInbox, type CharlaKanban, type CharlaThread } from '@charla/elements';
import type { ContactCommerce, Conversation, Deal, Message } from '@charla/protocol';
import { agent, contact, conversation, message, minutesAgo } from '../fixtures/entities.js';
import { dragInto } from '../fixtures/pointer.js';
import { BOARD_NOW, b2b, boardAgents, deal } from '../fixtures/deals.js';

/** What a customer may type to get markup into an agent's page. */
const MARKUP = '<img src=x onerror="window.__charlaPwned=1">';
declare global {
  interface Window {
    __charlaPwned?: number;
  }
}

const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const root = (el: Element) => el.shadowRoot!;
/** The element focused inside `el`'s shadow root (or null when focus is elsewhere). */
const focusedIn = (el: Element) => (document.activeElement === el ? (root(el).activeElement as HTMLElement | null) : null);

// The root entry registers the board on demand; register every view before the first fixture.
before(() => defineAll());

describe('customizing charla-thread: renderMessage', () => {
  const messages: Message[] = [
    message({ id: 'msg_order', body: 'Pedido #1042', content: { order: { id: '1042', total: '$1,250 MXN' } }, createdAt: minutesAgo(30) }),
    message({ id: 'msg_markup', body: MARKUP, createdAt: minutesAgo(20) }),
    message({
      id: 'msg_reply', direction: 'out', senderKind: 'agent', senderId: 'ag_ana', senderName: 'Ana García', body: 'Ya va en camino',
      status: 'failed', clientId: 'c_9', error: 'Undeliverable', createdAt: minutesAgo(10),
    }),
  ];
  const bubble = (el: CharlaThread, index: number) => root(el).querySelectorAll<HTMLElement>('[part~="bubble"]')[index]!;
  const orderOf = (m: Message) => (m.content as { order?: { id: string; total: string } } | null)?.order;

  async function thread(renderMessage: CharlaThread['renderMessage']) {
    return fixture<CharlaThread>(html`<charla-thread lang="en" style="height: 500px" .conversation=${conversation()} .contact=${contact()}
      .messages=${messages} .renderMessage=${renderMessage}></charla-thread>`);
  }

  it('puts the host\'s bubble for its own messages and keeps the default for the rest, with sender, time and Retry around them', async () => {
    const seen: Array<{ id: string; mine: boolean; contact: string | null | undefined }> = [];
    const el = await thread((m, defaultContent, context) => {
      seen.push({ id: m.id, mine: context.mine, contact: context.contact?.name });
      const order = orderOf(m);
      return order ? html`<span class="order">Order ${order.id} · <strong>${order.total}</strong></span>` : defaultContent;
    });
    await waitUntil(() => root(el).querySelectorAll('[part~="bubble"]').length === 3, 'the three messages render');
    expect(text(bubble(el, 0))).to.equal('Order 1042 · $1,250 MXN');
    expect(bubble(el, 0).getAttribute('part')).to.equal('bubble bubble-custom');
    expect(bubble(el, 1).getAttribute('part')).to.equal('bubble', 'the default content is not marked custom');
    expect(text(bubble(el, 2))).to.equal('Ya va en camino');
    const failed = bubble(el, 2).closest('[part~="message"]')!;
    expect(text(failed)).to.contain('Ana García').and.contain('Not sent: Undeliverable');
    expect(failed.querySelector('button')?.textContent?.trim()).to.equal('Retry');
    expect(seen.find((entry) => entry.id === 'msg_order')).to.deep.equal({ id: 'msg_order', mine: false, contact: 'María López' });
    await expect(el).to.be.accessible();
  });

  it('shows the customer\'s markup as text when a custom bubble places it in a lit template or a DOM node', async () => {
    window.__charlaPwned = undefined;
    const asTemplate = await thread((m) => html`<em>${m.body}</em>`);
    await waitUntil(() => bubble(asTemplate, 1), 'the bubbles render');
    expect(text(bubble(asTemplate, 1))).to.equal(MARKUP);
    expect(bubble(asTemplate, 1).querySelector('img')).to.equal(null);

    const asNode = await thread((m) => {
      const node = document.createElement('em');
      node.textContent = m.body;
      return node;
    });
    await waitUntil(() => bubble(asNode, 1), 'the bubbles render');
    expect(text(bubble(asNode, 1))).to.equal(MARKUP);
    expect(bubble(asNode, 1).querySelector('img')).to.equal(null);

    const asText = await thread((m) => m.body);
    await waitUntil(() => bubble(asText, 1), 'the bubbles render');
    expect(text(bubble(asText, 1))).to.equal(MARKUP);
    expect(bubble(asText, 1).querySelector('img')).to.equal(null);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(window.__charlaPwned).to.equal(undefined, 'no handler of the customer\'s ran');
  });

  it('a renderer that throws costs only its message: the default bubble shows', async () => {
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      const el = await thread((m, defaultContent) => {
        if (m.id === 'msg_order') throw new Error('host bug');
        return defaultContent;
      });
      await waitUntil(() => root(el).querySelectorAll('[part~="bubble"]').length === 3, 'every message renders');
      expect(text(bubble(el, 0))).to.equal('Pedido #1042');
      expect(errors.length).to.be.greaterThan(0);
    } finally {
      console.error = original;
    }
  });
});

describe('customizing charla-inbox: renderRow', () => {
  const conversations: Conversation[] = Array.from({ length: 500 }, (_, index) =>
    conversation({ id: `cv_${index}`, contactId: index === 1 ? 'ct_markup' : 'ct_maria', lastMessagePreview: `Pedido ${index}`, lastMessageAt: minutesAgo(index) }));
  const contacts = [contact({ id: 'ct_maria', name: 'María López' }), contact({ id: 'ct_markup', name: MARKUP })];
  const rows = (el: CharlaInbox) => [...root(el).querySelectorAll<HTMLElement>('[role="option"]')];

  async function inbox(renderRow: CharlaInbox['renderRow'], selected: string | null = null) {
    return fixture<CharlaInbox>(html`<charla-inbox lang="en" style="height: 500px; --charla-inbox-row-height: 56px" .selected=${selected}
      .conversations=${conversations} .contacts=${contacts} .agents=${[agent()]} .renderRow=${renderRow}></charla-inbox>`);
  }

  it('renders the host\'s rows, still virtualized, selectable from the keyboard, with the customer\'s markup as text', async () => {
    const el = await inbox((c, _defaultContent, { contact: who, index }) =>
      html`<span class="host-row"><b>${who?.name ?? '?'}</b> — ${c.lastMessagePreview} (#${index + 1})</span>`);
    await waitUntil(() => rows(el).length > 0, 'rows render');
    expect(text(rows(el)[0])).to.equal('María López — Pedido 0 (#1)');
    expect(rows(el)[0]!.getAttribute('part')).to.equal('row row-custom');
    expect(text(rows(el)[1])).to.equal(`${MARKUP} — Pedido 1 (#2)`);
    expect(rows(el)[1]!.querySelector('img')).to.equal(null);
    expect(rows(el).length).to.be.below(30, 'only the visible rows are in the DOM');
    expect(rows(el)[1]!.getBoundingClientRect().top - rows(el)[0]!.getBoundingClientRect().top).to.equal(56, 'rows keep the row height');

    el.focus();
    expect(focusedIn(el)?.getAttribute('role')).to.equal('listbox');
    await sendKeys({ press: 'ArrowDown' });
    setTimeout(() => void sendKeys({ press: 'Enter' }));
    const { detail } = await oneEvent(el, 'charla-conversation-select');
    expect(detail.conversationId).to.equal('cv_1');
    expect(rows(el).find((row) => row.id === 'row-cv_1')!.getAttribute('aria-selected')).to.equal('true');
    await expect(el).to.be.accessible();
  });

  it('keeps Charla\'s row when the renderer returns the default content', async () => {
    const el = await inbox((_c, defaultContent) => defaultContent);
    await waitUntil(() => rows(el).length > 0, 'rows render');
    expect(rows(el)[0]!.getAttribute('part')).to.equal('row');
    expect(rows(el)[0]!.querySelector('.name')?.textContent).to.equal('María López');
  });

  it('focus() lands on the open conversation, scrolled into view', async () => {
    const el = await inbox(null, 'cv_120');
    el.focus();
    const list = focusedIn(el);
    expect(list?.getAttribute('role')).to.equal('listbox');
    await el.updateComplete;
    expect(list?.getAttribute('aria-activedescendant')).to.equal('row-cv_120');
    await waitUntil(() => root(el).getElementById('row-cv_120'), 'the open conversation is rendered');
    const row = root(el).getElementById('row-cv_120')!.getBoundingClientRect();
    const box = list!.getBoundingClientRect();
    // In view (the list's 4 px padding aside).
    expect(row.top >= box.top && row.bottom <= box.bottom + 8, 'the row is in view').to.be.true;
  });

  it('focus() on an empty inbox lands on the search field', async () => {
    const el = await fixture<CharlaInbox>(html`<charla-inbox lang="en" style="height: 300px" .conversations=${[]}></charla-inbox>`);
    el.focus();
    expect(focusedIn(el)?.getAttribute('part')).to.equal('search');
  });
});

describe('customizing charla-kanban: renderCard', () => {
  const stage = (index: number) => b2b.stages[index]!.id;
  const deals: Deal[] = [
    deal({ id: 'dl_mugs', pipelineId: b2b.id, stageId: stage(0), title: '20 tazas azules', amount: 5202, contactId: 'ct_maria' }),
    deal({ id: 'dl_markup', pipelineId: b2b.id, stageId: stage(0), title: MARKUP, amount: 100, contactId: 'ct_maria' }),
    deal({ id: 'dl_hotel', pipelineId: b2b.id, stageId: stage(1), title: 'Hotel amenities', amount: 3200, currency: 'USD', ownerId: 'ag_bruno' }),
  ];
  const card = (el: CharlaKanban, id: string) => root(el).querySelector<HTMLElement>(`[data-deal="${id}"]`)!;
  const column = (el: CharlaKanban, stageId: string) => root(el).querySelector<HTMLElement>(`section[data-stage="${stageId}"]`)!;
  const status = (el: CharlaKanban) => text(root(el).querySelector('[role="status"]'));

  async function board(renderCard: CharlaKanban['renderCard']) {
    return fixture<CharlaKanban>(html`<charla-kanban lang="en" style="height: 600px; width: 1200px; --charla-kanban-card-height: 72px"
      .pipelines=${[b2b]} .deals=${deals} .agents=${boardAgents} .contacts=${[{ id: 'ct_maria', name: 'María López' }]}
      .now=${BOARD_NOW} .renderCard=${renderCard}></charla-kanban>`);
  }
  const hostCard: CharlaKanban['renderCard'] = (d, _defaultContent, { contactName, stage: where, owner }) =>
    html`<b>${d.title}</b> <span>${contactName ?? 'sin contacto'} · ${where.name}${owner ? ` · ${owner.name}` : ''}</span>`;

  it('renders the host\'s cards, at the card height, with the deal\'s markup as text', async () => {
    const el = await board(hostCard);
    expect(text(card(el, 'dl_mugs'))).to.equal('20 tazas azules María López · New lead · Ana García');
    expect(text(card(el, 'dl_hotel'))).to.equal('Hotel amenities sin contacto · Qualified · Bruno Costa');
    expect(card(el, 'dl_mugs').getAttribute('part')).to.equal('card card-custom');
    expect(card(el, 'dl_mugs').getBoundingClientRect().height).to.equal(72);
    expect(column(el, stage(0)).getBoundingClientRect().width).to.equal(272, 'a long title does not widen its column');
    expect(text(card(el, 'dl_markup'))).to.contain(MARKUP);
    expect(card(el, 'dl_markup').querySelector('img')).to.equal(null);
    expect(root(el).querySelector('[data-edit="dl_mugs"]'), 'the card keeps its edit button').to.exist;
    await expect(el).to.be.accessible();
  });

  it('moves a custom card with the keyboard: Space, →, Space; the host hears charla-deal-moved', async () => {
    const el = await board(hostCard);
    el.focus();
    const first = column(el, stage(0)).querySelector<HTMLElement>('.card')!;
    expect(focusedIn(el)).to.equal(first, 'focus() lands on the first card');
    card(el, 'dl_mugs').focus();
    await sendKeys({ press: 'Space' });
    expect(status(el)).to.contain('20 tazas azules picked up in New lead');
    await sendKeys({ press: 'ArrowRight' });
    await waitUntil(() => status(el).includes('over Qualified'), 'announces the stage it is over');
    const moved = oneEvent(el, 'charla-deal-moved');
    await sendKeys({ press: 'Space' });
    const { detail } = await moved;
    expect(detail).to.include({ dealId: 'dl_mugs', fromStageId: stage(0), toStageId: stage(1) });
    expect(text(card(el, 'dl_mugs'))).to.equal('20 tazas azules María López · Qualified · Ana García', 'the custom card shows its new stage');
    expect(column(el, stage(1)).contains(card(el, 'dl_mugs'))).to.be.true;
    expect(focusedIn(el)?.dataset.deal).to.equal('dl_mugs', 'focus stays on the moved card');
  });

  it('drags a custom card to another column with the pointer', async () => {
    const el = await board(hostCard);
    const moved = oneEvent(el, 'charla-deal-moved');
    await dragInto(card(el, 'dl_hotel'), column(el, stage(2)));
    const { detail } = await moved;
    expect(detail).to.include({ dealId: 'dl_hotel', fromStageId: stage(1), toStageId: stage(2) });
    expect(column(el, stage(2)).contains(card(el, 'dl_hotel'))).to.be.true;
  });

  it('focus() on a board without deals lands on the pipeline picker', async () => {
    const el = await fixture<CharlaKanban>(html`<charla-kanban lang="en" style="height: 400px" .pipelines=${[b2b]} .deals=${[]}></charla-kanban>`);
    el.focus();
    expect(focusedIn(el)?.getAttribute('part')).to.equal('pipeline-select');
  });
});

describe('customizing charla-contact-panel: sections', () => {
  const maria = contact({
    email: 'maria@lopez.mx',
    identities: [{ id: 'id_1', contactId: 'ct_maria', channel: 'whatsapp', handle: '5215512345678', verified: true }],
  });
  const commerce: ContactCommerce = {
    contactId: 'ct_maria', ltv: { MXN: 5780 }, pendingBalance: {}, openInvoices: [], openTasks: [],
    openDeals: [deal({ id: 'dl_1', pipelineId: b2b.id, stageId: b2b.stages[0]!.id, title: '150 tazas personalizadas', amount: 15000, contactId: 'ct_maria' })],
  };
  const headings = (el: CharlaContactPanel) => [...root(el).querySelectorAll('section h3[id]')].map((h) => h.id);

  it('adds the host\'s "Orders" section after the built-in ones, with its heading', async () => {
    const el = await fixture<CharlaContactPanel>(html`<charla-contact-panel lang="en" style="height: 900px" contact-id="ct_maria"
      .contact=${maria} .commerce=${commerce}>
      <section slot="section" aria-labelledby="orders-heading">
        <h3 id="orders-heading">Orders</h3>
        <p>#1042 · $1,250 MXN · shipped</p>
      </section>
    </charla-contact-panel>`);
    const orders = el.querySelector('section')!;
    expect(orders.assignedSlot?.name).to.equal('section');
    expect(orders.getBoundingClientRect().height).to.be.greaterThan(0, 'the host section is shown');
    const notes = root(el).querySelector('#notes')!.closest('section')!;
    expect(orders.getBoundingClientRect().top).to.be.at.least(notes.getBoundingClientRect().bottom, 'it follows the built-in sections');
    expect(getComputedStyle(orders).borderBottomStyle).to.equal('solid', 'it gets a section\'s rule');
    await expect(el).to.be.accessible();

    el.contact = null;
    el.contactId = null;
    await el.updateComplete;
    expect(orders.getBoundingClientRect().height).to.equal(0, 'no contact, no host section');
  });

  it('shows only the built-in sections named in `sections`, in the panel\'s order', async () => {
    const el = await fixture<CharlaContactPanel>(html`<charla-contact-panel lang="en" contact-id="ct_maria" sections="notes deals details"
      .contact=${maria} .commerce=${commerce}></charla-contact-panel>`);
    expect(headings(el)).to.deep.equal(['details', 'deals', 'notes']);
    expect(text(root(el).querySelector('header'))).to.contain('María López', 'the header always shows');

    el.sections = null;
    await el.updateComplete;
    expect(headings(el)).to.include.members(['details', 'ai-insights', 'identities', 'value', 'deals', 'tasks', 'notes']);

    const warnings: unknown[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
    try {
      el.setAttribute('sections', 'deals orders');
      await el.updateComplete;
    } finally {
      console.warn = original;
    }
    expect(headings(el)).to.deep.equal(['deals']);
    expect(String(warnings[0])).to.contain('orders');
  });

  it('focus() lands on its first control, also when called before it renders', async () => {
    const el = await fixture<CharlaContactPanel>(html`<charla-contact-panel lang="en" contact-id="ct_maria" .contact=${maria}></charla-contact-panel>`);
    el.focus();
    expect(focusedIn(el)?.getAttribute('data-field')).to.equal('name');

    const early = document.createElement('charla-contact-panel');
    early.lang = 'en';
    early.contact = maria;
    early.sections = ['notes'];
    early.focus();
    document.body.append(early);
    await waitUntil(() => focusedIn(early), 'focus arrives once it renders');
    expect(focusedIn(early)?.getAttribute('data-field')).to.equal('name');
    early.remove();
  });
});

describe('focus() on the thread', () => {
  it('lands in the composer, and on the history when the agent may only read', async () => {
    const el = await fixture<CharlaThread>(html`<charla-thread lang="en" style="height: 400px" .conversation=${conversation()}
      .contact=${contact()} .messages=${[message()]}></charla-thread>`);
    el.focus();
    expect(focusedIn(el)?.tagName).to.equal('TEXTAREA');
    await sendKeys({ type: 'Hola' });
    expect(root(el).querySelector('textarea')!.value).to.equal('Hola');

    el.readonly = true;
    await el.updateComplete;
    el.focus();
    expect(focusedIn(el)?.getAttribute('role')).to.equal('log');
  });
});
