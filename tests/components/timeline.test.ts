import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../fixtures/locales.js';
import type { CharlaTimeline } from '@charla/elements';
import type { TimelineItem } from '@charla/protocol';
import { timelineItems } from '../fixtures/deals.js';

async function timeline(lang = 'en', items: TimelineItem[] = timelineItems(), hasMore = false) {
  const el = await fixture<CharlaTimeline>(html`<charla-timeline lang=${lang} style="height: 700px; width: 520px"
    .items=${items} ?has-more=${hasMore}></charla-timeline>`);
  await waitUntil(() => el.shadowRoot!.querySelectorAll('article').length > 0, 'renders items');
  return el;
}

const articles = (el: CharlaTimeline) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('article')];
const labels = (el: CharlaTimeline) => articles(el).map((a) => a.querySelector('.label')!.textContent!.trim());

describe('charla-timeline', () => {
  it('shows every kind of item in one feed, newest first', async () => {
    const el = await timeline();
    expect(el.shadowRoot!.querySelector('[role="feed"]')).to.exist;
    expect(labels(el)).to.deep.equal([
      'Claim', 'Payment', 'Invoice (paid)', 'Purchase', 'Task done', 'Deal won', 'Deal moved', 'Task created', 'Deal created',
      'Note by Ana García', 'Reply by Ana García', 'Message from María López', 'Contacts merged',
    ]);
    const moved = articles(el)[6]!;
    expect(moved.textContent).to.contain('automatic: Customer replied after a proposal');
    expect(articles(el)[0]!.textContent).to.contain('$289.00 MXN');
    expect(articles(el)[10]!.textContent).to.contain('WhatsApp');
    expect(articles(el)[0]!.getAttribute('aria-posinset')).to.equal('1');
    expect(articles(el)[0]!.getAttribute('aria-setsize')).to.equal('13');
    await expect(el).to.be.accessible();
  });

  it('filters by type', async () => {
    const el = await timeline();
    const chip = [...el.shadowRoot!.querySelectorAll('label.chip')].find((label) => label.textContent!.includes('Purchases and payments'))!;
    chip.querySelector('input')!.click();
    await el.updateComplete;
    expect(labels(el)).to.not.include('Purchase');
    expect(labels(el)).to.include('Deal won');
    const messages = [...el.shadowRoot!.querySelectorAll('label.chip')].find((label) => label.textContent!.includes('Messages'))!;
    messages.querySelector('input')!.click();
    await el.updateComplete;
    expect(labels(el).some((label) => label.startsWith('Message from') || label.startsWith('Reply by'))).to.be.false;
  });

  it('opens an item\'s source: a message its conversation, a deal its card', async () => {
    const el = await timeline();
    setTimeout(() => articles(el).find((a) => a.textContent!.includes('Message from'))!.click());
    const message = await oneEvent(el, 'charla-timeline-open');
    expect(message.detail).to.include({ kind: 'message', conversationId: 'cv_maria' });
    const won = articles(el).find((a) => a.textContent!.includes('Deal won'))!;
    won.focus();
    setTimeout(() => void sendKeys({ press: 'Enter' }));
    expect((await oneEvent(el, 'charla-timeline-open')).detail).to.include({ kind: 'stage', dealId: 'dl_mugs' });
  });

  it('moves between items with the arrow keys', async () => {
    const el = await timeline();
    articles(el)[0]!.focus();
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    await waitUntil(() => el.shadowRoot!.activeElement?.getAttribute('data-index') === '2');
  });

  it('renders a long feed virtualized and asks for older items at the end', async () => {
    const many: TimelineItem[] = Array.from({ length: 1000 }, (_, i) => ({
      ...timelineItems()[11]!, id: `msg:${i}`, at: new Date(Date.UTC(2026, 4, 20) - i * 60_000).toISOString(), text: `Mensaje ${i}`,
    }));
    const el = await timeline('en', many, true);
    expect(articles(el).length).to.be.below(60);
    const feed = el.shadowRoot!.querySelector<HTMLElement>('[part="feed"]')!;
    setTimeout(() => (feed.scrollTop = feed.scrollHeight));
    await oneEvent(el, 'charla-timeline-load-more');
    expect(articles(el).at(-1)!.getAttribute('aria-setsize')).to.equal('-1');
  });

  it('speaks Spanish and Portuguese', async () => {
    const es = await timeline('es');
    expect(labels(es)).to.include('Oportunidad ganada');
    const pt = await timeline('pt');
    expect(labels(pt)).to.include('Negócio ganho');
    await expect(pt).to.be.accessible();
  });

  it("names Charla's automation rules in the agent's language, and other rule names as stored", async () => {
    const items = timelineItems().map((item) =>
      item.id === 'stage:neg' ? { ...item, rule: 'Customer replied after a proposal → negotiation' } : item.rule ? { ...item, rule: 'Custom rule from the API' } : item);
    const es = await timeline('es', items);
    const text = (el: CharlaTimeline) => articles(el).map((a) => a.textContent!.replace(/\s+/g, ' ')).join(' | ');
    expect(text(es)).to.contain('automático: El cliente respondió a una propuesta → negociación');
    expect(text(es)).to.not.contain('Customer replied');
    expect(text(es)).to.contain('automático: Custom rule from the API');
    const pt = await timeline('pt', items);
    expect(text(pt)).to.contain('automático: O cliente respondeu a uma proposta → negociação');
    const en = await timeline('en', items);
    expect(text(en)).to.contain('automatic: Customer replied after a proposal → negotiation');
  });
});
