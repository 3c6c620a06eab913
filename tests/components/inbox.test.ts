import { expect, fixture, html, nextFrame, oneEvent, waitUntil } from '@open-wc/testing';
import '../fixtures/locales.js';
import type { CharlaInbox } from '@charla/elements';
import { agent, contact, conversation, minutesAgo } from '../fixtures/entities.js';

const conversations = [
  conversation({ id: 'cv_1', contactId: 'ct_maria', lastMessagePreview: 'Hola, ¿cuánto cuesta el envío?', unreadCount: 2 }),
  conversation({
    id: 'cv_2', contactId: 'ct_john', channel: 'instagram', assigneeId: 'ag_ana', priority: 'high', labels: ['vip'],
    lastMessagePreview: 'Is the blue one back in stock?', lastMessageAt: minutesAgo(30), unreadCount: 0, waitingSince: null,
  }),
  conversation({ id: 'cv_3', contactId: 'ct_rui', status: 'resolved', channel: 'webchat', lastMessagePreview: 'Obrigado!' }),
];
const contacts = [
  contact({ id: 'ct_maria', name: 'María López' }),
  contact({ id: 'ct_john', name: 'John Carter' }),
  contact({ id: 'ct_rui', name: 'Rui Alves' }),
];

async function inbox(lang = 'en') {
  return fixture<CharlaInbox>(html`<charla-inbox
    lang=${lang}
    style="height: 500px"
    .conversations=${conversations}
    .contacts=${contacts}
    .agents=${[agent()]}
    .counts=${{ open: 2, pending: 0, snoozed: 0, resolved: 1, all: 3 }}
  ></charla-inbox>`);
}

const rows = (el: CharlaInbox) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[role="option"]')];
const text = (node: Element) => node.textContent!.replace(/\s+/g, ' ').trim();

describe('charla-inbox', () => {
  it('draws initials from letters only: "Gaby ☕" is G, a name of only emoji is ?', async () => {
    const el = await fixture<CharlaInbox>(html`<charla-inbox
      lang="en"
      style="height: 300px"
      .conversations=${[conversation({ id: 'cv_g', contactId: 'ct_gaby' }), conversation({ id: 'cv_e', contactId: 'ct_emoji' })]}
      .contacts=${[contact({ id: 'ct_gaby', name: 'Gaby ☕' }), contact({ id: 'ct_emoji', name: '🌵 🌮' })]}
      .agents=${[agent()]}
    ></charla-inbox>`);
    await waitUntil(() => rows(el).length === 2);
    const avatars = rows(el).map((row) => text(row.querySelector('[part~="avatar"]')!));
    expect(avatars.sort()).to.deep.equal(['?', 'G']);
  });

  it('lists the open conversations with contact, preview, channel, assignee and unread count', async () => {
    const el = await inbox();
    const [first, second] = rows(el);
    expect(rows(el)).to.have.length(2);
    expect(text(first!)).to.contain('María López').and.contain('Hola, ¿cuánto cuesta el envío?').and.contain('Unassigned');
    expect(first!.querySelector('.unread')!.textContent).to.equal('2');
    expect(first!.querySelector('[part="channel"]')!.getAttribute('aria-label')).to.equal('WhatsApp');
    expect(text(second!)).to.contain('Ana García is handling this').and.contain('High priority').and.contain('vip');
    expect(first!.querySelector('.waiting')).to.exist;
  });

  it('keeps a narrow row readable: one whole label and a count of the rest, the assignee shortened last', async () => {
    const el = await fixture<CharlaInbox>(html`<charla-inbox
      lang="es"
      style="height: 300px; width: 320px"
      .conversations=${[conversation({
        id: 'cv_l', contactId: 'ct_maria', assigneeId: 'ag_ana', priority: 'high', waitingSince: null,
        labels: ['mayoreo', 'envío urgente', 'cliente frecuente'],
      })]}
      .contacts=${contacts}
      .agents=${[agent()]}
    ></charla-inbox>`);
    await waitUntil(() => rows(el).length === 1);
    const row = rows(el)[0]!;
    const labels = [...row.querySelectorAll<HTMLElement>('.label')];
    expect(labels.map((label) => text(label.querySelector('[aria-hidden]') ?? label))).to.deep.equal(['mayoreo', '+2']);
    expect(text(labels[1]!.querySelector('.visually-hidden')!)).to.equal('2 etiquetas más: envío urgente, cliente frecuente');
    expect(labels[1]!.getAttribute('title')).to.equal('envío urgente, cliente frecuente');
    const meta = row.querySelector<HTMLElement>('.meta')!.getBoundingClientRect();
    for (const piece of row.querySelectorAll<HTMLElement>('.meta > :not(.assignee):not(.label), .meta > .more')) {
      expect(piece.scrollWidth, text(piece)).to.be.at.most(piece.clientWidth + 1);
      expect(piece.getBoundingClientRect().right, text(piece)).to.be.at.most(meta.right + 1);
    }
    // What shortens keeps its whole text in a tooltip.
    expect(row.querySelector('.assignee')!.getAttribute('title')).to.equal('Ana García la está atendiendo');
    expect(labels[0]!.getAttribute('title')).to.equal('mayoreo');
    await expect(el).to.be.accessible();
  });

  it('switches status tabs and shows their counts', async () => {
    const el = await inbox();
    const tabs = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
    expect(tabs.map(text)).to.deep.equal(['Open 2', 'Pending 0', 'Snoozed 0', 'Resolved 1', 'All 3']);
    tabs[3]!.click();
    await el.updateComplete;
    expect(rows(el).map(text)[0]).to.contain('Rui Alves');
    expect(el.status).to.equal('resolved');
  });

  it('moves with the keyboard and fires charla-conversation-select on Enter', async () => {
    const el = await inbox();
    const list = el.shadowRoot!.querySelector<HTMLElement>('[role="listbox"]')!;
    list.focus();
    await el.updateComplete;
    // Focus makes the first row active; a headless page without window focus gets no focus event,
    // and then the first key does it.
    if (!list.hasAttribute('aria-activedescendant')) list.dispatchEvent(new KeyboardEvent('keydown', { key: 'j', bubbles: true }));
    await el.updateComplete;
    expect(list.getAttribute('aria-activedescendant')).to.equal('row-cv_1');
    list.dispatchEvent(new KeyboardEvent('keydown', { key: 'j', bubbles: true }));
    await el.updateComplete;
    expect(list.getAttribute('aria-activedescendant')).to.equal('row-cv_2');
    setTimeout(() => list.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })));
    const event = await oneEvent(el, 'charla-conversation-select');
    expect(event.detail).to.deep.equal({ conversationId: 'cv_2' });
    expect(el.selected).to.equal('cv_2');
  });

  it('lands the first arrow key on the first row when no row is active yet', async () => {
    const el = await inbox();
    const list = el.shadowRoot!.querySelector<HTMLElement>('[role="listbox"]')!;
    list.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    await el.updateComplete;
    expect(list.getAttribute('aria-activedescendant')).to.equal('row-cv_1');
  });

  it('opens a conversation on click', async () => {
    const el = await inbox();
    setTimeout(() => rows(el)[0]!.click());
    const event = await oneEvent(el, 'charla-conversation-select');
    expect(event.detail.conversationId).to.equal('cv_1');
  });

  it('speaks Spanish and Portuguese', async () => {
    const es = await inbox('es');
    expect(text(es.shadowRoot!.querySelector('[role="tab"]')!)).to.contain('Abiertas');
    expect(text(rows(es)[0]!)).to.contain('Sin asignar');
    const pt = await inbox('pt');
    expect(text(pt.shadowRoot!.querySelector('[role="tab"]')!)).to.contain('Abertas');
  });

  it('says so when a tab is empty', async () => {
    const el = await inbox();
    el.status = 'snoozed';
    await el.updateComplete;
    expect(rows(el)).to.have.length(0);
    expect(text(el.shadowRoot!.querySelector('.state')!)).to.contain('No conversations here');
  });

  it('keeps only the visible rows in the DOM with thousands of conversations, and scrolls through them', async () => {
    const many = Array.from({ length: 5000 }, (_, i) =>
      conversation({ id: `cv_${i}`, contactId: 'ct_maria', lastMessagePreview: `Mensaje ${i}`, lastMessageAt: minutesAgo(i) }),
    );
    const el = await fixture<CharlaInbox>(html`<charla-inbox style="height: 600px; display: flex" .conversations=${many} .contacts=${contacts}></charla-inbox>`);
    await nextFrame();
    await el.updateComplete;
    expect(rows(el).length).to.be.within(5, 40);
    expect(rows(el)[0]!.getAttribute('aria-setsize')).to.equal('5000');
    const list = el.shadowRoot!.querySelector<HTMLElement>('[part="list"]')!;
    list.scrollTop = list.scrollHeight / 2;
    await waitUntil(() => rows(el).some((row) => Number(row.dataset.index) > 2000), 'rows follow the scroll');
    expect(rows(el).length).to.be.within(5, 40);
    expect(text(rows(el).find((row) => Number(row.dataset.index) > 2000)!)).to.match(/Mensaje \d{4}/);
  });

  it('keeps what the agent is looking at in place when new conversations arrive above it', async () => {
    const many = Array.from({ length: 300 }, (_, i) =>
      conversation({ id: `cv_${i}`, contactId: 'ct_maria', lastMessagePreview: `Mensaje ${i}`, lastMessageAt: minutesAgo(i + 10) }),
    );
    const el = await fixture<CharlaInbox>(html`<charla-inbox style="height: 600px; display: flex" .conversations=${many} .contacts=${contacts}></charla-inbox>`);
    const list = el.shadowRoot!.querySelector<HTMLElement>('[part="list"]')!;
    list.scrollTop = 84 * 100;
    await waitUntil(() => rows(el).some((row) => row.id === 'row-cv_100'), 'scrolled to the 100th');
    const top = () => el.shadowRoot!.querySelector('#row-cv_100')!.getBoundingClientRect().top;
    const before = top();
    el.conversations = [
      conversation({ id: 'cv_new_1', contactId: 'ct_maria', lastMessagePreview: 'Nuevo 1', lastMessageAt: minutesAgo(1) }),
      conversation({ id: 'cv_new_2', contactId: 'ct_maria', lastMessagePreview: 'Nuevo 2', lastMessageAt: minutesAgo(2) }),
      ...many,
    ];
    await el.updateComplete;
    await nextFrame();
    expect(Math.abs(top() - before)).to.be.below(2);
  });

  it('filters by channel, priority and label from its filter menus', async () => {
    const el = await inbox();
    const selects = [...el.shadowRoot!.querySelectorAll<HTMLSelectElement>('[part="filters"] select')];
    const channel = selects.find((select) => select.getAttribute('aria-label') === 'Channel')!;
    channel.value = 'instagram';
    channel.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(rows(el).map(text)).to.have.length(1);
    expect(text(rows(el)[0]!)).to.contain('John Carter');
    expect(el.channel).to.equal('instagram');
    channel.value = '';
    channel.dispatchEvent(new Event('change'));
    el.label = 'vip';
    await el.updateComplete;
    expect(rows(el).map((row) => row.id)).to.deep.equal(['row-cv_2']);
    el.label = null;
    el.teams = [{ id: 'tm_support', workspaceId: 'ws_demo', name: 'Soporte', agentIds: [] }];
    el.conversations = conversations.map((c) => (c.id === 'cv_1' ? { ...c, teamId: 'tm_support' } : c));
    await el.updateComplete;
    const team = [...el.shadowRoot!.querySelectorAll<HTMLSelectElement>('[part="filters"] select')].find((s) => s.getAttribute('aria-label') === 'Team')!;
    team.value = 'tm_support';
    team.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(rows(el).map((row) => row.id)).to.deep.equal(['row-cv_1']);
    el.team = null;
    el.priority = 'urgent';
    await el.updateComplete;
    expect(rows(el)).to.have.length(0);
  });

  it('is accessible, the selected row\'s waiting time included (contrast 4.5:1)', async () => {
    const el = await inbox();
    el.selected = 'cv_1';
    await el.updateComplete;
    expect(rows(el)[0]!.querySelector('.waiting'), 'the selected row says how long the customer waits').to.exist;
    await expect(el).to.be.accessible();
  });
});
