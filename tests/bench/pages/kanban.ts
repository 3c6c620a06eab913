import '@charla/elements/kanban.js';
import { BOARD_NOW, boardAgents, manyDeals, pipeline } from '../../fixtures/deals.js';

const DEALS = 2000;
const RUNS = 5;
const MOVES = 20;

const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
// Four open stages plus Won and Lost: six columns.
const board = pipeline('pl_bench', 'Bench', [['Lead', 7], ['Qualified', 7], ['Proposal', 7], ['Negotiation', 7]]);

function press(target: HTMLElement, key: string): void {
  target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true, cancelable: true }));
}

(window as unknown as { runBench: () => Promise<unknown> }).runBench = async () => {
  const renders: number[] = [];
  const moves: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const { deals, contacts } = manyDeals(board, DEALS, `r${run}`);
    await frame();
    const start = performance.now();
    const el = document.createElement('charla-kanban');
    el.style.cssText = 'display:flex;height:900px;width:1280px';
    el.pipelines = [board];
    el.deals = deals;
    el.agents = boardAgents;
    el.contacts = contacts;
    el.now = BOARD_NOW;
    document.body.append(el);
    await el.updateComplete;
    while (el.shadowRoot!.querySelectorAll('.card').length === 0) await frame();
    await frame();
    renders.push(performance.now() - start);
    if (run === 0) {
      const cards = el.shadowRoot!.querySelectorAll('.card').length;
      console.log(`cards in the DOM for ${DEALS} deals: ${cards}`);
    }

    // Keyboard moves: pick up the first card of the first column, one column right, drop.
    for (let move = 0; move < MOVES; move++) {
      const column = el.shadowRoot!.querySelectorAll<HTMLElement>('section')[move % 4]!;
      const card = column.querySelector<HTMLElement>('.card')!;
      const id = card.dataset.deal!;
      const moved = new Promise((resolve) => el.addEventListener('charla-deal-moved', resolve, { once: true }));
      const t0 = performance.now();
      card.focus();
      press(card, ' ');
      await el.updateComplete;
      press(card, 'ArrowRight');
      await el.updateComplete;
      // The component scrolls the card's new column to it and focuses it.
      while ((el.shadowRoot!.activeElement as HTMLElement | null)?.dataset.deal !== id) await frame();
      press(el.shadowRoot!.activeElement as HTMLElement, ' ');
      await moved;
      await el.updateComplete;
      await frame();
      moves.push(performance.now() - t0);
    }
    el.remove();
  }
  return { renders, moves };
};
