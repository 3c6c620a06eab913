import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys, sendMouse, setViewport } from '@web/test-runner-commands';
import '../fixtures/locales.js';
import type { CharlaKanban } from '@charla/elements';
import type { Deal } from '@charla/protocol';
import { BOARD_NOW, b2b, boardAgents, deal } from '../fixtures/deals.js';

const stage = (index: number) => b2b.stages[index]!.id;
const deals: Deal[] = [
  deal({ id: 'dl_mugs', pipelineId: b2b.id, stageId: stage(0), title: '20 tazas azules', amount: 5202, contactId: 'ct_maria', conversationId: 'cv_maria' }),
  deal({ id: 'dl_hotel', pipelineId: b2b.id, stageId: stage(1), title: 'Hotel amenities', amount: 3200, currency: 'USD' }),
];

async function board(width: number, lang = 'en'): Promise<CharlaKanban> {
  const el = await fixture<CharlaKanban>(html`<charla-kanban
    lang=${lang}
    style="height: 700px; width: ${width}px"
    .pipelines=${[b2b]}
    .deals=${deals}
    .agents=${boardAgents}
    .contacts=${[{ id: 'ct_maria', name: 'María López' }]}
    .now=${BOARD_NOW}
  ></charla-kanban>`);
  await el.updateComplete;
  return el;
}

const root = (el: CharlaKanban) => el.shadowRoot!;
const text = (node: Element) => node.textContent!.replace(/\s+/g, ' ').trim();
const part = (el: CharlaKanban, name: string) => root(el).querySelector<HTMLElement>(`[part="${name}"]`);
const indicator = (el: CharlaKanban) => text(part(el, 'stage-indicator')!);
/** The stages a user can see. */
const shownStages = (el: CharlaKanban) =>
  [...root(el).querySelectorAll<HTMLElement>('section[data-stage]')].filter((section) => section.getBoundingClientRect().width > 0).map((section) => text(section.querySelector('h3')!));
const card = (el: CharlaKanban, dealId: string) => root(el).querySelector<HTMLElement>(`[data-deal="${dealId}"]`)!;

describe('charla-kanban on a phone', () => {
  afterEach(() => setViewport({ width: 1280, height: 800 }));

  describe('at 390 × 844', () => {
    beforeEach(() => setViewport({ width: 390, height: 844 }));

    it('shows one stage at a time, the whole width, and says which ("New lead · 1 of 8")', async () => {
      const el = await board(390);
      await waitUntil(() => part(el, 'stage-nav') !== null, 'the stage controls appear');
      expect(shownStages(el)).to.deep.equal(['New lead']);
      expect(indicator(el)).to.equal('New lead · 1 of 8');
      const column = root(el).querySelector<HTMLElement>(`section[data-stage="${stage(0)}"]`)!;
      expect(column.getBoundingClientRect().width).to.be.greaterThan(330);
      expect(root(el).querySelector<HTMLElement>('[part="board"]')!.scrollWidth).to.be.at.most(390);
      expect(part(el, 'stage-previous')!.getAttribute('aria-disabled')).to.equal('true');
      expect(part(el, 'stage-next')!.getAttribute('aria-label')).to.equal('Next stage: Qualified');
      await expect(el).to.be.accessible();
    });

    it('turns the stage with the previous/next buttons and with ←/→ on them', async () => {
      const el = await board(390, 'es');
      await waitUntil(() => part(el, 'stage-nav') !== null);
      part(el, 'stage-next')!.click();
      await el.updateComplete;
      expect(shownStages(el)).to.deep.equal(['Qualified']);
      expect(text(root(el).querySelector('.column.current .card .title')!)).to.equal('Hotel amenities');

      part(el, 'stage-next')!.focus();
      await sendKeys({ press: 'ArrowRight' });
      await sendKeys({ press: 'ArrowRight' });
      await el.updateComplete;
      expect(shownStages(el)).to.deep.equal(['Proposal sent']);
      expect(indicator(el)).to.match(/ · 4 de 8$/);
      await sendKeys({ press: 'ArrowLeft' });
      await el.updateComplete;
      expect(indicator(el)).to.match(/ · 3 de 8$/);

      part(el, 'stage-previous')!.click();
      part(el, 'stage-previous')!.click();
      await el.updateComplete;
      part(el, 'stage-previous')!.click();
      await el.updateComplete;
      expect(indicator(el), 'nothing before the first stage').to.match(/ · 1 de 8$/);
    });

    it('turns the stage with a horizontal swipe, which opens no deal', async () => {
      const el = await board(390);
      await waitUntil(() => part(el, 'stage-nav') !== null);
      let opened = 0;
      el.addEventListener('charla-deal-open', () => (opened += 1));
      const box = card(el, 'dl_mugs').getBoundingClientRect();
      const y = Math.round(box.top + box.height / 2);
      await sendMouse({ type: 'move', position: [300, y] });
      await sendMouse({ type: 'down' });
      await sendMouse({ type: 'move', position: [200, y + 4] });
      await sendMouse({ type: 'move', position: [80, y + 6] });
      await sendMouse({ type: 'up' });
      await el.updateComplete;
      expect(shownStages(el)).to.deep.equal(['Qualified']);
      expect(opened).to.equal(0);

      await sendMouse({ type: 'move', position: [60, 400] });
      await sendMouse({ type: 'down' });
      await sendMouse({ type: 'move', position: [330, 404] });
      await sendMouse({ type: 'up' });
      await el.updateComplete;
      expect(shownStages(el)).to.deep.equal(['New lead']);

      // A short or mostly vertical gesture is no swipe.
      await sendMouse({ type: 'move', position: [200, 300] });
      await sendMouse({ type: 'down' });
      await sendMouse({ type: 'move', position: [150, 500] });
      await sendMouse({ type: 'up' });
      await el.updateComplete;
      expect(shownStages(el)).to.deep.equal(['New lead']);
    });

    it('follows a deal moved with the keyboard across stages, and drops it there', async () => {
      const el = await board(390);
      await waitUntil(() => part(el, 'stage-nav') !== null);
      card(el, 'dl_mugs').focus();
      await sendKeys({ press: 'Space' });
      await sendKeys({ press: 'ArrowRight' });
      await waitUntil(() => indicator(el) === 'Qualified · 2 of 8', 'the shown stage follows the deal');
      await sendKeys({ press: 'Space' });
      await waitUntil(() => el.deals.find((candidate) => candidate.id === 'dl_mugs')!.stageId === stage(1));
      expect(shownStages(el)).to.deep.equal(['Qualified']);
    });

    it('moves a deal with its stage picker, since a card cannot be dragged to a column out of sight', async () => {
      const el = await board(390);
      await waitUntil(() => part(el, 'stage-nav') !== null);
      const picker = root(el).querySelector<HTMLSelectElement>('select[data-move="dl_mugs"]')!;
      expect(picker.getAttribute('aria-label')).to.equal('Move “20 tazas azules” to another stage');
      expect(picker.value).to.equal(stage(0));
      const move = oneEvent(el, 'charla-deal-move');
      picker.value = stage(3);
      picker.dispatchEvent(new Event('change'));
      expect((await move).detail).to.deep.equal({ dealId: 'dl_mugs', fromStageId: stage(0), toStageId: stage(3) });
      await waitUntil(() => el.deals.find((candidate) => candidate.id === 'dl_mugs')!.stageId === stage(3));
      await el.updateComplete;
      expect(shownStages(el), 'the board stays on the stage shown').to.deep.equal(['New lead']);
      expect(text(root(el).querySelector('[role="status"]')!)).to.equal('20 tazas azules moved from New lead to Proposal sent.');
      await expect(el).to.be.accessible();
    });
  });

  it('on a tablet (768 × 1024) it keeps the columns side by side', async () => {
    await setViewport({ width: 768, height: 1024 });
    const el = await board(768);
    await new Promise((resolve) => requestAnimationFrame(resolve));
    await el.updateComplete;
    expect(part(el, 'stage-nav')).to.equal(null);
    expect(shownStages(el).length).to.be.greaterThan(1);
  });
});
