import { expect, fixture, html, waitUntil } from '@open-wc/testing';
// Only the kanban's entry: this page has not loaded any language but English.
import { registerLocale, type CharlaKanban } from '@charla/elements/kanban.js';
import { BOARD_NOW, b2b, boardAgents, deal } from '../fixtures/deals.js';

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

describe('languages', () => {
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
