import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../fixtures/locales.js';
import type { CharlaKanban } from '@charla/elements';
import type { Deal } from '@charla/protocol';
import { dragInto } from '../fixtures/pointer.js';
import { BOARD_NOW, b2b, boardAgents, deal, manyDeals, shop } from '../fixtures/deals.js';

const DAY = 86_400_000;
const stage = (index: number) => b2b.stages[index]!.id;

const deals: Deal[] = [
  deal({ id: 'dl_mugs', pipelineId: b2b.id, stageId: stage(0), title: '20 tazas azules', amount: 5202, contactId: 'ct_maria', conversationId: 'cv_maria', stageEnteredAt: new Date(BOARD_NOW - 1 * DAY).toISOString() }),
  deal({ id: 'dl_cafe', pipelineId: b2b.id, stageId: stage(0), title: 'Café Montaña 150 tazas', amount: 61350, ownerId: 'ag_bruno', contactId: 'ct_diego', stageEnteredAt: new Date(BOARD_NOW - 9 * DAY).toISOString() }),
  deal({ id: 'dl_hotel', pipelineId: b2b.id, stageId: stage(1), title: 'Hotel amenities', amount: 3200, currency: 'USD', ownerId: null, contactId: 'ct_emily', stageEnteredAt: new Date(BOARD_NOW - 2 * DAY).toISOString() }),
];
const contacts = [
  { id: 'ct_maria', name: 'María López' },
  { id: 'ct_diego', name: 'Diego Fernández' },
  { id: 'ct_emily', name: 'Emily Carter' },
];

async function board(lang = 'en', extra: Partial<CharlaKanban> = {}) {
  const el = await fixture<CharlaKanban>(html`<charla-kanban
    lang=${lang}
    style="height: 600px; width: 1200px"
    .pipelines=${[b2b, shop]}
    .deals=${deals}
    .agents=${boardAgents}
    .contacts=${contacts}
    .openTasks=${{ dl_mugs: 2 }}
    .now=${BOARD_NOW}
  ></charla-kanban>`);
  Object.assign(el, extra);
  await el.updateComplete;
  return el;
}

const root = (el: CharlaKanban) => el.shadowRoot!;
const text = (node: Element) => node.textContent!.replace(/\s+/g, ' ').trim();
const column = (el: CharlaKanban, stageId: string) => root(el).querySelector<HTMLElement>(`section[data-stage="${stageId}"]`)!;
const titlesIn = (el: CharlaKanban, stageId: string) => [...column(el, stageId).querySelectorAll('.card .title')].map(text);
const card = (el: CharlaKanban, dealId: string) => root(el).querySelector<HTMLElement>(`[data-deal="${dealId}"]`)!;
const status = (el: CharlaKanban) => text(root(el).querySelector('[role="status"]')!);

describe('charla-kanban', () => {
  it('shows stages as columns with count, totals per currency and average age; cards with contact, amount, owner, days and tasks', async () => {
    const el = await board();
    const headings = [...root(el).querySelectorAll('section h3')].map(text);
    expect(headings).to.deep.equal(['New lead', 'Qualified', 'Meeting', 'Proposal sent', 'Negotiation', 'Commitment', 'Won', 'Lost']);
    const first = text(column(el, stage(0)).querySelector('header')!);
    expect(first).to.contain('2 deals').and.contain('$66,552 MXN').and.contain('avg 5 d in stage');
    expect(text(column(el, stage(1)).querySelector('header')!)).to.contain('$3,200');
    const mugs = text(card(el, 'dl_mugs'));
    expect(mugs).to.contain('20 tazas azules').and.contain('María López').and.contain('$5,202 MXN').and.contain('1 d in stage')
      .and.contain('2 open tasks').and.contain('Owner: Ana García');
    await expect(el).to.be.accessible();
  });

  it('scrolls its columns inside itself in a narrower layout, snapping to a column, and never widens its container', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div style="display: flex; width: 700px; height: 500px">
      <charla-kanban style="flex: 1" lang="en" .pipelines=${[b2b, shop]} .deals=${deals} .agents=${boardAgents}
        .contacts=${contacts} .now=${BOARD_NOW}></charla-kanban>
    </div>`);
    const el = wrapper.querySelector<CharlaKanban>('charla-kanban')!;
    await el.updateComplete;
    const boardEl = root(el).querySelector<HTMLElement>('.board')!;
    expect(el.getBoundingClientRect().width).to.be.at.most(700);
    expect(wrapper.scrollWidth).to.be.at.most(700);
    expect(boardEl.scrollWidth).to.be.greaterThan(boardEl.clientWidth);
    expect(getComputedStyle(boardEl).overflowX).to.equal('auto');
    expect(getComputedStyle(boardEl).scrollSnapType).to.contain('x');
    expect(getComputedStyle(column(el, stage(0))).scrollSnapAlign).to.contain('start');
  });

  it('highlights deals stalled past their stage\'s threshold', async () => {
    const el = await board();
    expect(card(el, 'dl_cafe').classList.contains('stalled')).to.be.true;
    expect(text(card(el, 'dl_cafe'))).to.contain('Stalled');
    expect(card(el, 'dl_mugs').classList.contains('stalled')).to.be.false;
  });

  it('moves a deal with the keyboard: Space picks up, arrows move, Space drops; fires charla-deal-move then charla-deal-moved', async () => {
    const el = await board();
    const events: string[] = [];
    el.addEventListener('charla-deal-move', (event) => events.push(`move ${event.detail.fromStageId}→${event.detail.toStageId}`));
    el.addEventListener('charla-deal-moved', (event) => events.push(`moved ${event.detail.deal.stageId}`));
    card(el, 'dl_mugs').focus();
    await sendKeys({ press: 'Space' });
    expect(status(el)).to.contain('20 tazas azules picked up in New lead');
    await sendKeys({ press: 'ArrowRight' });
    await waitUntil(() => status(el).includes('over Qualified'), 'announces the stage it is over');
    await sendKeys({ press: 'ArrowRight' });
    await waitUntil(() => status(el).includes('over Meeting'));
    expect(titlesIn(el, stage(2))).to.deep.equal(['20 tazas azules'], 'shown where it would land');
    await sendKeys({ press: 'Space' });
    await waitUntil(() => status(el).includes('moved from New lead to Meeting'));
    expect(events).to.deep.equal([`move ${stage(0)}→${stage(2)}`, `moved ${stage(2)}`]);
    expect(el.deals.find((d) => d.id === 'dl_mugs')!.stageId).to.equal(stage(2));
    expect(root(el).activeElement?.getAttribute('data-deal')).to.equal('dl_mugs', 'focus stays on the moved card');
    await expect(el).to.be.accessible();
  });

  it('Escape cancels a keyboard move and the deal stays where it was', async () => {
    const el = await board();
    let moves = 0;
    el.addEventListener('charla-deal-move', () => (moves += 1));
    card(el, 'dl_mugs').focus();
    await sendKeys({ press: 'Space' });
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => status(el).includes('Move canceled'));
    expect(moves).to.equal(0);
    expect(titlesIn(el, stage(0))).to.include('20 tazas azules');
    expect(titlesIn(el, stage(1))).to.not.include('20 tazas azules');
  });

  it('a host can veto a move by canceling charla-deal-move', async () => {
    const el = await board();
    el.addEventListener('charla-deal-move', (event) => event.preventDefault());
    let moved = false;
    el.addEventListener('charla-deal-moved', () => (moved = true));
    card(el, 'dl_hotel').focus();
    await sendKeys({ press: 'Space' });
    await sendKeys({ press: 'ArrowLeft' });
    await sendKeys({ press: 'Space' });
    await waitUntil(() => status(el).includes('Move canceled'));
    expect(moved).to.be.false;
    expect(titlesIn(el, stage(1))).to.deep.equal(['Hotel amenities']);
  });

  it('drags a card to another column with the pointer', async () => {
    const el = await board();
    const moved = oneEvent(el, 'charla-deal-moved');
    await dragInto(card(el, 'dl_hotel'), column(el, stage(2)));
    const { detail } = await moved;
    expect(detail).to.include({ dealId: 'dl_hotel', fromStageId: stage(1), toStageId: stage(2) });
    expect(titlesIn(el, stage(2))).to.deep.equal(['Hotel amenities']);
  });

  it('opens the deal with a click or Enter (charla-deal-open with its conversation)', async () => {
    const el = await board();
    setTimeout(() => card(el, 'dl_mugs').click());
    const { detail } = await oneEvent(el, 'charla-deal-open');
    expect(detail).to.deep.equal({ dealId: 'dl_mugs', conversationId: 'cv_maria', contactId: 'ct_maria' });
    card(el, 'dl_cafe').focus();
    setTimeout(() => void sendKeys({ press: 'Enter' }));
    expect((await oneEvent(el, 'charla-deal-open')).detail.dealId).to.equal('dl_cafe');
  });

  it('filters by owner and by text (accents ignored)', async () => {
    const el = await board();
    const owner = root(el).querySelector<HTMLSelectElement>('[part="owner-filter"]')!;
    owner.value = 'ag_bruno';
    owner.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(titlesIn(el, stage(0))).to.deep.equal(['Café Montaña 150 tazas']);
    owner.value = 'unassigned';
    owner.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(root(el).querySelectorAll('.card')).to.have.length(1);
    owner.value = '';
    owner.dispatchEvent(new Event('change'));
    const search = root(el).querySelector<HTMLInputElement>('[part="search"]')!;
    search.focus();
    await sendKeys({ type: 'maria lopez' });
    await el.updateComplete;
    expect([...root(el).querySelectorAll('.card .title')].map(text)).to.deep.equal(['20 tazas azules']);
  });

  it('switches pipelines', async () => {
    const el = await board();
    const select = root(el).querySelector<HTMLSelectElement>('[part="pipeline-select"]')!;
    setTimeout(() => {
      select.value = shop.id;
      select.dispatchEvent(new Event('change'));
    });
    expect((await oneEvent(el, 'charla-pipeline-select')).detail.pipelineId).to.equal(shop.id);
    await el.updateComplete;
    expect([...root(el).querySelectorAll('section h3')].map(text)).to.deep.equal(['Interested', 'Cart', 'Payment pending', 'Won', 'Lost']);
    expect(text(root(el).querySelector('section')!)).to.contain('No deals');
  });

  it('keeps the DOM small for columns with hundreds of cards and still moves them by keyboard', async () => {
    const { deals: many, contacts: names } = manyDeals(b2b, 2000);
    const el = await board('en', { deals: many, contacts: names });
    const cards = () => root(el).querySelectorAll('.card').length;
    await waitUntil(() => cards() > 0 && cards() < 200, 'only visible cards are rendered once the columns are virtualized', { timeout: 5000 });
    expect(text(column(el, stage(0)).querySelector('header')!)).to.contain('250 deals');
    const firstCard = column(el, stage(0)).querySelector<HTMLElement>('.card')!;
    const id = firstCard.dataset.deal!;
    firstCard.focus();
    await sendKeys({ press: 'Space' });
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'Space' });
    await waitUntil(() => el.deals.find((d) => d.id === id)!.stageId === stage(1));
    await waitUntil(() => root(el).activeElement?.getAttribute('data-deal') === id, 'the moved card keeps focus in the virtualized column');
    await expect(el).to.be.accessible();
  });

  it('speaks Spanish and Portuguese', async () => {
    const es = await board('es');
    expect(text(column(es, stage(0)).querySelector('header')!)).to.contain('2 oportunidades');
    expect(text(card(es, 'dl_cafe'))).to.contain('Estancada');
    const pt = await board('pt');
    expect(text(card(pt, 'dl_cafe'))).to.contain('Parado').and.contain('d na etapa');
    await expect(pt).to.be.accessible();
  });
});
