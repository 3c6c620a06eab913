import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../fixtures/locales.js';
import type { CharlaDashboard, DashboardData, DealOpenDetail, TargetChangeDetail } from '@charla/elements';
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
const rowsOf = (node: Element, selector = 'tbody tr') => [...node.querySelectorAll(selector)].map((row) => [...row.children].map(text));

/** Types into the forecast's target field and commits with Enter, as a user does. */
function typeTarget(el: CharlaDashboard, value: string) {
  const input = section(el, 'target-input') as HTMLInputElement;
  input.focus();
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
  return input;
}

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
    expect(forecast).to.contain('Forecast for May 2026').and.contain('of the target').and.contain('Target: $250,000 MXN');
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
    expect(section(el, 'drill').querySelectorAll('.deal').length).to.equal(seller.openIds.length + seller.wonIds.length + seller.lostIds.length);
    section(el, 'forecast').querySelector<HTMLButtonElement>('.secondary')!.click();
    await el.updateComplete;
    expect(text(section(el, 'drill').querySelector('h3')!)).to.contain('Forecast for May 2026');
    expect(section(el, 'drill').querySelectorAll('.deal').length).to.equal(new Set([...data.forecast!.dealIds, ...data.forecast!.wonIds]).size);
  });

  it('shows the open pipeline by stage as a table with its total', async () => {
    const el = await dashboard(dashboardData(40));
    const pipeline = section(el, 'pipeline');
    expect(text(pipeline.querySelector('h3')!)).to.equal('Open pipeline');
    expect(rowsOf(pipeline, 'thead tr')[0]).to.deep.equal(['Stage', 'Deals', 'Amount', 'Average age']);
    const rows = rowsOf(pipeline);
    expect(rows.length).to.equal(6);
    expect(rows[0]).to.deep.equal(['New lead', '40', '$926,110 MXN · $146,710', '3 days']);
    expect(rows[1]).to.deep.equal(['Qualified', '31', '$707,017 MXN · $88,878', '7.5 days']);
    expect(rowsOf(pipeline, 'tfoot tr')[0]).to.deep.equal(['Total', '141', '$3,234,010 MXN · $472,520', '']);
    await expect(el).to.be.accessible();
  });

  it('shows the days deals spend in each stage and a typical trip through the pipeline', async () => {
    const el = await dashboard(dashboardData(40));
    const velocity = section(el, 'velocity');
    const rows = [...velocity.querySelectorAll('.bar-row')].map(text);
    expect(rows).to.deep.equal([
      'New lead 2.5 days · 31 deals', 'Qualified 4.1 days · 24 deals', 'Meeting 6.3 days · 19 deals',
      'Proposal sent 3.8 days · 15 deals', 'Negotiation 7.2 days · 12 deals', 'Commitment 5 days · 7 deals',
    ]);
    expect(text(velocity.querySelector('.total')!)).to.equal('A typical trip through the pipeline: 28.9 days');
    await expect(el).to.be.accessible();
  });

  it('shows the win rate with won and lost, and the median and 90th percentile from lead to close', async () => {
    const el = await dashboard(dashboardData(40));
    const winRate = section(el, 'win-rate');
    expect(text(winRate.querySelector('.big')!)).to.equal('64%');
    expect(text(winRate.querySelector('.summary')!)).to.equal('Won: 7 · Lost: 4');
    const leadToClose = section(el, 'lead-to-close');
    expect(rowsOf(leadToClose, '.figures > div')).to.deep.equal([['Median', '24.5 days'], ['90th percentile', '51 days']]);
    winRate.querySelector<HTMLButtonElement>('[data-list="lost"]')!.click();
    await el.updateComplete;
    expect(text(section(el, 'drill').querySelector('h3')!)).to.equal('Deals behind: Win rate: Lost (4 deals)');
    expect(section(el, 'drill').querySelectorAll('.deal').length).to.equal(4);
    await expect(el).to.be.accessible();
  });

  it('shows the service clocks as human durations, the conversations by channel and who is still waiting', async () => {
    const el = await dashboard(dashboardData(40));
    const service = section(el, 'service');
    expect(rowsOf(service.querySelector('table.clocks')!)).to.deep.equal([
      ['First response', '4 min', '2 h 10 min', '116'],
      ['Reply time', '3 min', '45 min', '360'],
      ['Resolution', '8 h 30 min', '2 d 5 h', '80'],
    ]);
    expect([...service.querySelectorAll('.channels .bar-row')].map(text)).to.deep.equal(['WhatsApp 72', 'Web chat 30', 'Instagram 12', 'Email 6']);
    expect(text(service.querySelector('[data-stat="unanswered"]')!)).to.equal('4 Still waiting for a first reply');
    expect(text(service.querySelector('[data-stat="waiting-now"]')!)).to.equal('5 Waiting for a reply now');
    await expect(el).to.be.accessible();
  });

  it('switches the service clocks to business hours', async () => {
    const el = await dashboard(dashboardData(10));
    const business = section(el, 'hours').querySelector<HTMLInputElement>('input[value="business"]')!;
    expect(el.hours).to.equal('wall');
    setTimeout(() => business.click());
    const { detail } = await oneEvent(el, 'charla-hours-change');
    expect(detail).to.deep.equal({ hours: 'business' }, 'the host hears it, to keep the choice');
    await el.updateComplete;
    expect(el.hours).to.equal('business');
    expect(el.getAttribute('hours')).to.equal('business');
  });

  it('shows the service view in Spanish and Portuguese', async () => {
    const es = await dashboard(dashboardData(40), 'es');
    expect(rowsOf(section(es, 'service').querySelector('table.clocks')!)[0]).to.deep.equal(['Primera respuesta', '4 min', '2 h 10 min', '116']);
    expect(text(section(es, 'velocity').querySelector('.total')!)).to.equal('Un recorrido típico por el embudo: 28,9 días');
    const pt = await dashboard(dashboardData(40), 'pt');
    expect(text(section(pt, 'service').querySelector('h3')!)).to.equal('Atendimento');
    expect(rowsOf(section(pt, 'service').querySelector('table.clocks')!)[2]).to.deep.equal(['Resolução', '8 h 30 min', '2 d 5 h', '80']);
    expect(text(section(pt, 'service').querySelector('.channels .bar-row')!)).to.equal('WhatsApp 72');
    await expect(pt).to.be.accessible();
  });

  it('drills down from a time-in-stage bar and from an open pipeline stage, and choosing a deal asks the host to open it', async () => {
    const data = dashboardData(20);
    const el = await dashboard(data);
    const stay = data.velocity!.stages[2]!;
    section(el, 'velocity').querySelector<HTMLButtonElement>(`.bar-row[data-stage="${stay.stageId}"]`)!.click();
    await el.updateComplete;
    expect(text(section(el, 'drill').querySelector('h3')!)).to.equal(`Deals behind: ${stay.name} (${stay.dealCount} deals)`);
    expect([...section(el, 'drill').querySelectorAll<HTMLElement>('.deal')].map((deal) => deal.dataset.deal)).to.deep.equal(stay.dealIds);

    const stage = data.pipeline!.stages[1]!;
    section(el, 'pipeline').querySelector<HTMLButtonElement>(`tr[data-stage="${stage.stageId}"] .link`)!.click();
    await el.updateComplete;
    const drill = section(el, 'drill');
    expect(text(drill.querySelector('h3')!)).to.equal(`Deals behind: ${stage.name} (${stage.count} deals)`);
    expect(drill.querySelectorAll('.deal').length).to.equal(stage.count);
    expect(drill.querySelector('.capped')).to.equal(null);
    await expect(el).to.be.accessible();
    const chosen = data.pipeline!.deals.find((deal) => deal.id === stage.dealIds[1])!;
    const opened = oneEvent(el, 'charla-deal-open');
    drill.querySelector<HTMLButtonElement>(`.deal[data-deal="${chosen.id}"]`)!.click();
    expect(((await opened) as CustomEvent<DealOpenDetail>).detail).to.deep.equal({ dealId: chosen.id, conversationId: chosen.conversationId, contactId: chosen.contactId });
  });

  it('says how many deals it lists when the server listed only part of them', async () => {
    const data = dashboardData(20);
    const stage = data.pipeline!.stages[0]!;
    data.pipeline!.stages[0] = { ...stage, count: stage.count + 150 };
    const el = await dashboard(data);
    section(el, 'pipeline').querySelector<HTMLButtonElement>(`tr[data-stage="${stage.stageId}"] .link`)!.click();
    await el.updateComplete;
    const drill = section(el, 'drill');
    expect(text(drill.querySelector('.capped')!)).to.equal(`Showing ${stage.count} of ${stage.count + 150}`);
    expect(drill.querySelectorAll('.deal').length).to.equal(stage.count);
    // Without a client there is nobody to ask for the rest.
    expect(drill.querySelector('.show-all')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('sets the month’s target from the forecast, tells the host, and rejects what is not an amount', async () => {
    const el = await dashboard(dashboardData(40));
    const forecast = section(el, 'forecast');
    const input = forecast.querySelector<HTMLInputElement>('input[name="target"]')!;
    expect(input.labels![0]!.textContent).to.contain('Month’s target (MXN)');
    expect(input.value).to.equal('250000');

    const changed = oneEvent(el, 'charla-target-change');
    typeTarget(el, '300000');
    expect(((await changed) as CustomEvent<TargetChangeDetail>).detail).to.deep.equal({ target: 300000 });
    await el.updateComplete;
    expect(el.target).to.equal(300000);
    expect(text(forecast)).to.contain('Target: $300,000 MXN');

    let fired = 0;
    el.addEventListener('charla-target-change', () => (fired += 1));
    typeTarget(el, '-500');
    await el.updateComplete;
    expect(text(forecast.querySelector('[role="alert"]')!)).to.equal('Enter the target as an amount of 0 or more, or leave it empty for none');
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    expect(input.getAttribute('aria-describedby')).to.equal('target-error');
    expect(el.target).to.equal(300000);
    await expect(el).to.be.accessible();

    input.value = '275000';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await el.updateComplete;
    expect(forecast.querySelector('[role="alert"]')).to.equal(null);
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await el.updateComplete;
    expect(el.target).to.equal(275000);
    expect(fired).to.equal(1);

    input.value = '';
    input.dispatchEvent(new Event('change', { bubbles: true }));
    expect(el.target).to.equal(null);
    expect(fired).to.equal(2);
  });

  it('draws only the first three views from data that has only them', async () => {
    const { funnel, ranking, forecast } = dashboardData(10);
    const el = await dashboard({ funnel, ranking, forecast });
    const parts = [...root(el).querySelectorAll('.views > section')].map((node) => node.getAttribute('part'));
    expect(parts).to.deep.equal(['funnel', 'forecast', 'ranking']);
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
    expect(text(section(empty, 'pipeline'))).to.contain('No open deals');
    expect(text(section(empty, 'velocity'))).to.contain('No deal left a stage in this range');
    expect(text(section(empty, 'win-rate'))).to.contain('No deal was closed in this range');
    expect(text(section(empty, 'lead-to-close'))).to.contain('No deal was won in this range');
    expect(rowsOf(section(empty, 'service').querySelector('table.clocks')!)[0]).to.deep.equal(['First response', '—', '—', '0']);
    expect(text(section(empty, 'service'))).to.contain('No conversation started in this range');
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
