import { expect, fixture, html, waitUntil } from '@open-wc/testing';
// Only the kanban's entry, as a host that shows just the board: no language but English is
// loaded yet, and nothing else is registered.
import { registerLocale, type CharlaKanban } from '@charla/elements/kanban.js';
import { BOARD_NOW, b2b, boardAgents, deal, manyDeals } from '../fixtures/deals.js';
import { salesClient } from '../fixtures/sales.js';

const text = (node: Element) => node.textContent!.replace(/\s+/g, ' ').trim();
const searchLabel = (el: CharlaKanban) => el.shadowRoot!.querySelector('input[type="search"]')!.getAttribute('aria-label') ?? '';
const heading = (el: CharlaKanban) => text(el.shadowRoot!.querySelector('section header')!);

async function board(lang: string) {
  return fixture<CharlaKanban>(html`<charla-kanban
    lang=${lang}
    style="height: 500px; width: 1000px"
    .pipelines=${[b2b]}
    .deals=${[deal({ id: 'dl_mugs', pipelineId: b2b.id, stageId: b2b.stages[0]!.id, title: '20 canecas', amount: 500 })]}
    .agents=${boardAgents}
    .now=${BOARD_NOW}
  ></charla-kanban>`);
}

describe('languages, with only the kanban entry', () => {
  it('shows English first and Portuguese once its strings arrive, never a blank label', async () => {
    const el = await board('pt');
    expect(searchLabel(el), 'the default language stands in while Portuguese loads').to.equal('Search deals or contacts');
    await waitUntil(() => searchLabel(el) === 'Buscar negócios ou contatos', 'Portuguese arrives and the board renders again');
    expect(heading(el)).to.contain('1 negócio');
  });

  it('registerLocale overrides one string live, on an element already on the page, and leaves the others', async () => {
    const el = await board('pt');
    await waitUntil(() => searchLabel(el) === 'Buscar negócios ou contatos', 'Portuguese is there');
    registerLocale('pt', { 'kanban.search': 'Procurar no funil' });
    await el.updateComplete;
    expect(searchLabel(el)).to.equal('Procurar no funil');
    expect(heading(el), 'strings not overridden stay Portuguese').to.contain('1 negócio');
  });

  it('registerLocale adds a language: its strings where given, English where not', async () => {
    registerLocale('fr', { 'kanban.search': 'Chercher une affaire', 'kanban.countOne': '1 affaire' });
    const el = await board('fr-CA');
    expect(searchLabel(el)).to.equal('Chercher une affaire');
    expect(heading(el)).to.contain('1 affaire');
  });
});

describe('the kanban entry alone', () => {
  it('loads the deal dialog the first time a deal is edited, and it opens on that deal', async () => {
    expect(customElements.get('charla-deal-editor'), 'the dialog is not part of the board\'s entry').to.be.undefined;
    const { client } = salesClient();
    const el = await fixture<CharlaKanban>(html`<charla-kanban style="height: 600px; width: 1200px" .client=${client}></charla-kanban>`);
    await waitUntil(() => el.shadowRoot!.querySelector('[data-edit="dl_maria"]'), 'the board loads');
    el.shadowRoot!.querySelector<HTMLButtonElement>('[data-edit="dl_maria"]')!.click();
    await waitUntil(() => el.shadowRoot!.querySelector('charla-deal-editor')?.shadowRoot?.querySelector('dialog')?.open, 'the dialog loads and opens', { timeout: 5000 });
    const dialog = el.shadowRoot!.querySelector('charla-deal-editor')!.shadowRoot!.querySelector('dialog')!;
    expect(dialog.querySelector<HTMLInputElement>('#title')!.value).to.equal('20 tazas azules');
  });

  it('loads the virtualizer only once a column holds more than 40 deals, then renders only the visible cards', async () => {
    // The test page has loaded hundreds of modules: make room to see the ones loaded from now on.
    performance.clearResourceTimings();
    performance.setResourceTimingBufferSize(10_000);
    const virtualCoreFetched = () => performance.getEntriesByType('resource').some((entry) => entry.name.includes('@tanstack/virtual-core'));
    await board('en');
    expect(virtualCoreFetched(), 'a small board does not ask for the virtualizer').to.be.false;
    const { deals, contacts } = manyDeals(b2b, 800);
    const el = await fixture<CharlaKanban>(html`<charla-kanban style="height: 600px; width: 1200px"
      .pipelines=${[b2b]} .deals=${deals} .contacts=${contacts} .now=${BOARD_NOW}></charla-kanban>`);
    const cards = () => el.shadowRoot!.querySelectorAll('.card').length;
    expect(cards(), 'while it loads, each column shows its first 40 cards').to.equal(8 * 40);
    await waitUntil(() => cards() < 200, 'the columns are virtualized once it arrives', { timeout: 5000 });
    expect(virtualCoreFetched(), 'the virtualizer was loaded').to.be.true;
    expect(text(el.shadowRoot!.querySelector('section header')!)).to.contain('100 deals');
  });
});
