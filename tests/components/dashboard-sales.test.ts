import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../fixtures/locales.js';
import type { CharlaDashboard, ContactOpenDetail, DashboardData, DealOpenDetail } from '@charla/elements';
import { DASHBOARD_NOW, dashboardData, emptyDashboardData } from '../fixtures/dashboard.js';

async function dashboard(data: DashboardData | null, lang = 'en') {
  const el = await fixture<CharlaDashboard>(html`<charla-dashboard lang=${lang} style="width: 1100px" .data=${data} .now=${DASHBOARD_NOW}></charla-dashboard>`);
  await el.updateComplete;
  return el;
}

const root = (el: CharlaDashboard) => el.shadowRoot!;
const text = (node: Element) => node.textContent!.replace(/\s+/g, ' ').trim();
const section = (el: CharlaDashboard, part: string) => root(el).querySelector<HTMLElement>(`[part="${part}"]`)!;
const rowsOf = (node: Element, selector = 'tbody tr') => [...node.querySelectorAll(selector)].map((row) => [...row.children].map(text));

async function click(el: CharlaDashboard, selector: string) {
  root(el).querySelector<HTMLButtonElement>(selector)!.click();
  await el.updateComplete;
  return section(el, 'drill');
}

describe('charla-dashboard sales views', () => {
  it('shows lifetime value by first channel and by ad, per currency, and drills down to the customers', async () => {
    const el = await dashboard(dashboardData(10));
    const ltv = section(el, 'ltv');
    expect(text(ltv.querySelector('h3')!)).to.equal('Lifetime value by first channel');
    expect(rowsOf(ltv)).to.deep.equal([
      ['Instagram', '1 of 3', '$2,000 MXN · $100', '$2,000 MXN · $100', '$2,000 MXN · $100'],
      ['WhatsApp', '3 of 6', '$22,000 MXN · $400', '$11,000 MXN · $400', '$11,000 MXN · $400'],
      ['From Click-to-WhatsApp ads'],
      ['Café de altura -20%', '1 of 2', '$15,000 MXN', '$15,000 MXN', '$15,000 MXN'],
    ]);
    expect(rowsOf(ltv, 'tfoot tr')).to.deep.equal([['Total', '4 of 9', '$24,000 MXN · $500', '$7,000 MXN · $250', '$8,000 MXN · $250']]);
    await expect(el).to.be.accessible();
    const drill = await click(el, '[part="ltv"] tr[data-group="whatsapp"] .link');
    expect(text(drill.querySelector('h3')!)).to.equal('Lifetime value by first channel: WhatsApp (3)');
    expect([...drill.querySelectorAll('.deal')].map(text)).to.deep.equal(['Lucía Pérez $15,000 MXN', 'Mario Díaz $7,000 MXN', 'John Miller $400']);
    const opened = oneEvent(el, 'charla-contact-open');
    drill.querySelector<HTMLButtonElement>('.deal[data-contact="ct_mario"]')!.click();
    expect(((await opened) as CustomEvent<ContactOpenDetail>).detail).to.deep.equal({ contactId: 'ct_mario', conversationId: 'cv_ct_mario' });
    await expect(el).to.be.accessible();
  });

  it('shows the acquisition cost per channel beside LTV, and a channel’s months', async () => {
    const el = await dashboard(dashboardData(10));
    const acquisition = section(el, 'acquisition');
    expect([...acquisition.querySelectorAll('thead th')].map(text)).to.deep.equal([
      'Channel', 'Spend', 'Leads', 'Qualified', 'Won', 'Per lead', 'Per qualified lead', 'Per won customer', 'Mean LTV', 'LTV : CAC',
    ]);
    expect(rowsOf(acquisition)).to.deep.equal([
      ['Instagram', '$3,000 MXN', '3', '1', '0', '$1,000 MXN', '$3,000 MXN', '—', '$2,000 MXN · $100', '—'],
      ['WhatsApp', '$6,000 MXN · $200', '6', '4', '2', '$1,000 MXN · $33', '$1,500 MXN · $50', '$3,000 MXN · $100', '$11,000 MXN · $400', '3.67 : 1 (MXN) · 4 : 1 (USD)'],
    ]);
    const drill = await click(el, '[part="acquisition"] tr[data-channel="whatsapp"] .link');
    expect(text(drill.querySelector('h3')!)).to.equal('Acquisition cost: WhatsApp');
    expect(rowsOf(drill)).to.deep.equal([
      ['April 2026', '$2,000 MXN', '2', '1', '1', '$1,000 MXN', '$2,000 MXN', '$2,000 MXN'],
      ['May 2026', '$4,000 MXN · $200', '4', '3', '1', '$1,000 MXN · $50', '$1,333 MXN · $67', '$4,000 MXN · $200'],
    ]);
    await expect(el).to.be.accessible();
  });

  it('shows the follow-up hygiene per salesperson and lists the stale deals for the host to open', async () => {
    const el = await dashboard(dashboardData(10));
    const hygiene = section(el, 'hygiene');
    expect(text(hygiene.querySelector('.big')!)).to.equal('70%');
    expect(text(hygiene.querySelector('.summary')!)).to.equal('7 of 10 open deals followed up');
    expect(rowsOf(hygiene)).to.deep.equal([['Bruno Costa', '4', '50%', '2 stale deals of Bruno Costa'], ['Ana García', '6', '83%', '1 stale deals of Ana García']]);
    const drill = await click(el, '[part="hygiene"] tr[data-owner="ag_bruno"] .link');
    expect(text(drill.querySelector('h3')!)).to.equal('Deals behind: Stale deals of Bruno Costa (2) (2 deals)');
    expect([...drill.querySelectorAll('.deal')].map(text)).to.deep.equal(['Hotel Brisa $12,000 MXN', 'Café Luna $12,000 MXN']);
    const opened = oneEvent(el, 'charla-deal-open');
    drill.querySelector<HTMLButtonElement>('.deal[data-deal="dl_stale_2"]')!.click();
    expect(((await opened) as CustomEvent<DealOpenDetail>).detail).to.deep.equal({ dealId: 'dl_stale_2', conversationId: 'cv_dl_stale_2', contactId: 'ct_dl_stale_2' });
    await expect(el).to.be.accessible();
  });

  it('shows who is drowning now and lists the customers waiting for them', async () => {
    const el = await dashboard(dashboardData(10));
    const workload = section(el, 'workload');
    expect(rowsOf(workload)).to.deep.equal([
      ['Bruno Costa', 'Available', '9', '2', '2 h 10 min'],
      ['Unassigned', '—', '1', '1', '12 min'],
      ['Ana García', 'Away', '4', '0', '—'],
      ['Carla Méndez', 'Offline', '0', '0', '—'],
    ]);
    const drill = await click(el, '[part="workload"] tr[data-member="ag_bruno"] .link');
    expect(text(drill.querySelector('h3')!)).to.equal('Customers waiting for Bruno Costa (2)');
    expect([...drill.querySelectorAll('.deal')].map(text)).to.deep.equal(['Rosa Vidal · WhatsApp waiting 2 h 10 min', 'Pedro Alves · Instagram waiting 20 min']);
    const selected = oneEvent(el, 'charla-conversation-select');
    drill.querySelector<HTMLButtonElement>('.deal[data-conversation="cv_w2"]')!.click();
    expect((await selected).detail).to.deep.equal({ conversationId: 'cv_w2' });
    await expect(el).to.be.accessible();
  });

  it('says when there is nothing to show', async () => {
    const el = await dashboard(emptyDashboardData());
    expect(text(section(el, 'ltv'))).to.contain('No new customer wrote for the first time in this range');
    expect(text(section(el, 'acquisition'))).to.contain('No spend entered and no new leads in this range');
    expect(text(section(el, 'hygiene'))).to.contain('No open deals');
    expect(text(section(el, 'workload'))).to.contain('No open conversations');
    await expect(el).to.be.accessible();
  });

  it('speaks Spanish and Portuguese', async () => {
    const es = await dashboard(dashboardData(10), 'es');
    expect(['ltv', 'acquisition', 'hygiene', 'workload'].map((part) => text(section(es, part).querySelector('h3')!))).to.deep.equal([
      'Valor de vida por primer canal', 'Costo de adquisición', 'Higiene del seguimiento', 'Carga de trabajo ahora',
    ]);
    expect(rowsOf(section(es, 'workload'))[0]).to.deep.equal(['Bruno Costa', 'Disponible', '9', '2', '2 h 10 min']);
    const pt = await dashboard(dashboardData(10), 'pt');
    expect(['ltv', 'acquisition', 'hygiene', 'workload'].map((part) => text(section(pt, part).querySelector('h3')!))).to.deep.equal([
      'Valor vitalício por primeiro canal', 'Custo de aquisição', 'Higiene do acompanhamento', 'Carga de trabalho agora',
    ]);
    await expect(pt).to.be.accessible();
  });
});
