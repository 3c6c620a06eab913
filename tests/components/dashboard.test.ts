import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '@charla/elements';
import type { CharlaDashboard, DashboardData, DealOpenDetail } from '@charla/elements';
import { DASHBOARD_NOW, dashboardData, emptyDashboardData } from '../fixtures/dashboard.js';
import { b2b, shop } from '../fixtures/deals.js';

async function dashboard(data: DashboardData | null, lang = 'en', extra: Partial<CharlaDashboard> = {}) {
  const el = await fixture<CharlaDashboard>(html`<charla-dashboard lang=${lang} style="width: 1100px" .data=${data} .now=${DASHBOARD_NOW}></charla-dashboard>`);
  Object.assign(el, extra);
  await el.updateComplete;
  return el;
}

const root = (el: CharlaDashboard) => el.shadowRoot!;
const text = (node: Element) => node.textContent!.replace(/\s+/g, ' ').trim();
const section = (el: CharlaDashboard, part: string) => root(el).querySelector<HTMLElement>(`[part="${part}"]`)!;

describe('charla-dashboard', () => {
  it('shows the funnel by stage with its numbers as text, the ranking table and the forecast against the target', async () => {
    const el = await dashboard(dashboardData(40));
    const rows = [...section(el, 'funnel').querySelectorAll('.bar-row')].map(text);
    expect(rows[0]).to.equal('New lead 40 · 78% moved on');
    expect(rows.at(-1)).to.equal('Won 7');
    expect(rows.length).to.equal(7);
    const table = section(el, 'ranking').querySelector('table')!;
    const headers = [...table.querySelectorAll('thead th')].map(text);
    expect(headers).to.deep.equal(['Salesperson', 'Open', 'Won', 'Won amount', 'Conversion', 'First response']);
    expect(table.querySelectorAll('tbody tr').length).to.equal(6);
    const forecast = text(section(el, 'forecast'));
    expect(forecast).to.contain('Forecast for May 2026').and.contain('of the target').and.contain('Target: MX$250,000');
    await expect(el).to.be.accessible();
  });

  it('drills down from a funnel bar to its deals, and choosing one asks the host to open it', async () => {
    const data = dashboardData(12);
    const el = await dashboard(data);
    const stage = data.funnel!.stages[1]!;
    root(el).querySelector<HTMLButtonElement>(`.bar-row[data-stage="${stage.stageId}"]`)!.click();
    await el.updateComplete;
    const drill = section(el, 'drill');
    expect(text(drill.querySelector('h3')!)).to.equal(`Deals behind: ${stage.name} (${stage.entered} deals)`);
    expect(drill.querySelectorAll('.deal').length).to.equal(stage.entered);
    await expect(el).to.be.accessible();
    const first = data.funnel!.deals.find((deal) => deal.id === stage.dealIds[0])!;
    const opened = oneEvent(el, 'charla-deal-open');
    drill.querySelector<HTMLButtonElement>(`.deal[data-deal="${first.id}"]`)!.click();
    const { detail } = (await opened) as CustomEvent<DealOpenDetail>;
    expect(detail).to.deep.equal({ dealId: first.id, conversationId: first.conversationId, contactId: first.contactId });
    drill.querySelector<HTMLButtonElement>('header .secondary')!.click();
    await el.updateComplete;
    expect(section(el, 'drill')).to.equal(null);
  });

  it('drills down from a salesperson and from the forecast', async () => {
    const data = dashboardData(20);
    const el = await dashboard(data);
    const seller = data.ranking!.agents[0]!;
    root(el).querySelector<HTMLButtonElement>(`tr[data-agent="${seller.agentId}"] .link`)!.click();
    await el.updateComplete;
    expect(section(el, 'drill').querySelectorAll('.deal').length).to.equal(seller.openIds.length + seller.wonIds.length);
    section(el, 'forecast').querySelector<HTMLButtonElement>('.secondary')!.click();
    await el.updateComplete;
    expect(text(section(el, 'drill').querySelector('h3')!)).to.contain('Forecast for May 2026');
    expect(section(el, 'drill').querySelectorAll('.deal').length).to.equal(new Set([...data.forecast!.dealIds, ...data.forecast!.wonIds]).size);
  });

  it('changes the date range and tells the host', async () => {
    const el = await dashboard(dashboardData());
    const from = root(el).querySelector<HTMLInputElement>('input[name="from"]')!;
    expect(from.value).to.equal('2026-05-01');
    expect(root(el).querySelector<HTMLInputElement>('input[name="to"]')!.value).to.equal('2026-05-20');
    const changed = oneEvent(el, 'charla-range-change');
    from.value = '2026-04-01';
    from.dispatchEvent(new Event('change'));
    expect((await changed).detail).to.deep.equal({ from: '2026-04-01', to: '2026-05-20' });
    expect(el.from).to.equal('2026-04-01');
  });

  it('offers the pipelines to pick from when there are several', async () => {
    const single = await dashboard(dashboardData(), 'en', { pipelines: [b2b] });
    expect(root(single).querySelector('select')).to.equal(null);
    const el = await dashboard(dashboardData(), 'en', { pipelines: [b2b, shop] });
    const select = root(el).querySelector<HTMLSelectElement>('[part="pipeline-select"]')!;
    expect(select.value).to.equal(b2b.id);
    const picked = oneEvent(el, 'charla-pipeline-select');
    select.value = shop.id;
    select.dispatchEvent(new Event('change'));
    expect((await picked).detail).to.deep.equal({ pipelineId: shop.id });
    expect(el.pipelineId).to.equal(shop.id);
    await expect(el).to.be.accessible();
  });

  it('shows empty, loading and error states', async () => {
    const empty = await dashboard(emptyDashboardData());
    expect(text(section(empty, 'funnel'))).to.contain('No deal entered a stage in this range');
    expect(text(section(empty, 'ranking'))).to.contain('No salesperson has deals in this range');
    expect(text(section(empty, 'forecast'))).to.contain('Nothing won or expected to close this month');
    await expect(empty).to.be.accessible();
    const loading = await dashboard(null, 'en', { status: 'loading' });
    expect(text(root(loading).querySelector('[role="status"]')!)).to.equal('Loading metrics…');
    const failed = await dashboard(null, 'en', { status: 'error' });
    expect(text(root(failed).querySelector('[role="alert"]')!)).to.equal('The metrics could not be loaded');
    await expect(failed).to.be.accessible();
  });

  it('speaks Spanish and Portuguese', async () => {
    const es = await dashboard(dashboardData(10), 'es');
    expect(text(section(es, 'funnel').querySelector('h3')!)).to.equal('Embudo por etapa');
    expect(text(section(es, 'forecast').querySelector('h3')!)).to.equal('Pronóstico de mayo de 2026');
    const pt = await dashboard(dashboardData(10), 'pt');
    expect(text(section(pt, 'ranking').querySelector('h3')!)).to.equal('Ranking de vendedores');
    await expect(pt).to.be.accessible();
  });

  it('fits a phone: the ranking table scrolls within a focusable region', async () => {
    const el = await dashboard(dashboardData(40), 'es');
    el.style.width = '380px';
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });

  it('stays readable with hundreds of deals behind the numbers', async () => {
    const el = await dashboard(dashboardData(3000));
    expect(text(section(el, 'funnel').querySelector('.bar-row')!)).to.contain('3,000');
    await expect(el).to.be.accessible();
  });
});
