import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../fixtures/locales.js';
import type { CharlaDashboard, DashboardData } from '@charla/elements';
import type { CsatGroup, CsatMetricResult, CsatResponse } from '@charla/protocol';
import { DASHBOARD_NOW, emptyDashboardData } from '../fixtures/dashboard.js';

// The service view's satisfaction card: four answers, numbers worked out by hand.
//   Ana:        5 (WhatsApp, "Excelente"), 4 (web chat), 2 (WhatsApp, "Tardaron")
//   unassigned: 1 (Instagram)
// overall  (5+4+2+1)/4 = 3 → "3 / 5"; 4 or 5: 2 of 4 → 50%
// Ana      11/3 = 3.666… → "3.67 / 5"; 2 of 3 → 66.7%     unassigned 1 / 5, 0%
// WhatsApp (5+2)/2 = 3.5, 1 of 2 → 50%; web chat 4, 100%; Instagram 1, 0%

const range = { from: '2026-05-01T00:00:00.000Z', to: '2026-05-31T00:00:00.000Z' };
const answer = (surveyId: string, rating: number, channel: string, agentId: string | null, comment: string | null, day: number): CsatResponse => ({
  surveyId, conversationId: `cv_${surveyId}`, contactId: `ct_${surveyId}`, channel, agentId, rating, comment, answeredAt: `2026-05-${String(day).padStart(2, '0')}T15:00:00.000Z`,
});
const responses = [
  answer('s4', 1, 'instagram', null, null, 20),
  answer('s3', 2, 'whatsapp', 'ag_ana', 'Tardaron', 18),
  answer('s2', 4, 'webchat', 'ag_ana', null, 12),
  answer('s1', 5, 'whatsapp', 'ag_ana', 'Excelente', 3),
];
const group = (key: string, responses: number, average: number | null, score: number | null, distribution: CsatGroup['distribution']): CsatGroup =>
  ({ key, responses, average, score, distribution });
const overall = group('all', 4, 3, 50, [1, 1, 0, 1, 1]);
const result = (groupBy: 'agent' | 'channel', groups: CsatGroup[], answers = responses, all = overall): CsatMetricResult =>
  ({ name: 'csat', ...range, groupBy, unit: 'rating', overall: all, groups, asked: 6, expired: 1, responses: answers });

function data(csat: DashboardData['service'] extends infer S ? (S extends { csat?: infer C } ? C : never) : never): DashboardData {
  const base = emptyDashboardData();
  base.ranking = {
    ...base.ranking!,
    agents: [{
      agentId: 'ag_ana', name: 'Ana García', openDeals: 0, openAmount: {}, won: 0, wonAmount: {}, lost: 0, conversion: null, firstResponseMedian: null,
      openIds: [], wonIds: [], lostIds: [],
    }],
  };
  return { ...base, service: { ...base.service!, csat } };
}

const byAgent = result('agent', [group('ag_ana', 3, 3.67, 66.7, [0, 1, 0, 1, 1]), group('unassigned', 1, 1, 0, [1, 0, 0, 0, 0])]);
const byChannel = result('channel', [group('whatsapp', 2, 3.5, 50, [0, 1, 0, 0, 1]), group('webchat', 1, 4, 100, [0, 0, 0, 1, 0]), group('instagram', 1, 1, 0, [1, 0, 0, 0, 0])]);

async function dashboard(value: DashboardData, lang = 'en') {
  return fixture<CharlaDashboard>(html`<charla-dashboard lang=${lang} style="width: 1100px" .data=${value} .now=${DASHBOARD_NOW}></charla-dashboard>`);
}
const root = (el: CharlaDashboard) => el.shadowRoot!;
const text = (node: Element) => node.textContent!.replace(/\s+/g, ' ').trim();
const card = (el: CharlaDashboard) => root(el).querySelector<HTMLElement>('[part="csat"]')!;
const rowsOf = (table: Element) => [...table.querySelectorAll('tbody tr')].map((row) => [...row.children].map(text));

describe('charla-dashboard satisfaction (CSAT)', () => {
  it('shows the average, the score and the responses, per agent and per channel', async () => {
    const el = await dashboard(data({ byAgent, byChannel }));
    expect(text(card(el).querySelector('h3')!)).to.equal('Customer satisfaction (CSAT)');
    expect(text(card(el).querySelector('[data-stat="average"]')!)).to.equal('3 / 5 average rating');
    expect(text(card(el).querySelector('[data-stat="score"]')!)).to.equal('50% CSAT score');
    expect(text(card(el).querySelector('[data-stat="responses"]')!)).to.equal('4 responses');
    expect(text(card(el).querySelector('[data-stat="asked"]')!)).to.equal('6 asked, 1 unanswered');
    const [agents, channels] = [...card(el).querySelectorAll('table.csat-groups')];
    expect([...agents!.querySelectorAll('thead th')].map(text)).to.deep.equal(['By agent', 'average rating', 'CSAT score', 'responses']);
    expect(rowsOf(agents!)).to.deep.equal([['Ana García', '3.67 / 5', '66.7%', '3'], ['Unassigned', '1 / 5', '0%', '1']]);
    expect(rowsOf(channels!)).to.deep.equal([['WhatsApp', '3.5 / 5', '50%', '2'], ['Instagram', '1 / 5', '0%', '1'], ['Web chat', '4 / 5', '100%', '1']]);
    await expect(card(el)).to.be.accessible();
  });

  it('drills down from a row to its answers, and an answer opens its conversation', async () => {
    const el = await dashboard(data({ byAgent, byChannel }));
    const [agents, channels] = [...card(el).querySelectorAll('table.csat-groups')];
    agents!.querySelector<HTMLButtonElement>('tr[data-key="ag_ana"] button')!.click();
    await el.updateComplete;
    const drill = () => root(el).querySelector<HTMLElement>('[part="drill"]')!;
    expect(text(drill().querySelector('h3')!)).to.equal('Ratings: Ana García (3)');
    const items = () => [...drill().querySelectorAll<HTMLButtonElement>('button[data-survey]')];
    expect(items().map((item) => item.dataset['survey'])).to.deep.equal(['s3', 's2', 's1']);
    expect(text(items()[0]!)).to.contain('★★☆☆☆').and.contain('“Tardaron”').and.contain('WhatsApp · Ana García');
    expect(items()[0]!.querySelector('[aria-label]')!.getAttribute('aria-label')).to.equal('2 of 5');
    setTimeout(() => items()[2]!.click());
    const { detail } = await oneEvent(el, 'charla-conversation-select');
    expect(detail).to.deep.equal({ conversationId: 'cv_s1' });

    channels!.querySelector<HTMLButtonElement>('tr[data-key="whatsapp"] button')!.click();
    await el.updateComplete;
    expect(text(drill().querySelector('h3')!)).to.equal('Ratings: WhatsApp (2)');
    expect(items().map((item) => item.dataset['survey'])).to.deep.equal(['s3', 's1']);
    card(el).querySelector<HTMLButtonElement>('[data-stat="responses"] button')!.click();
    await el.updateComplete;
    expect(items().map((item) => item.dataset['survey']), 'all of them, newest first').to.deep.equal(['s4', 's3', 's2', 's1']);
    expect(text(items()[0]!)).to.contain('Instagram · Unassigned');
  });

  it('says when nobody rated in the range, in the reader\'s language', async () => {
    const none = group('all', 0, null, null, [0, 0, 0, 0, 0]);
    const empty = { byAgent: result('agent', [], [], none), byChannel: result('channel', [], [], none) };
    const el = await dashboard(data(empty));
    expect(text(card(el).querySelector('.empty')!)).to.equal('No customer rated a conversation in this range');
    expect(text(card(el).querySelector('[data-stat="average"]')!)).to.equal('— average rating');
    expect(card(el).querySelector<HTMLButtonElement>('[data-stat="responses"] button')!.disabled).to.be.true;
    expect(card(el).querySelector('table')).to.be.null;

    const es = await dashboard(data({ byAgent, byChannel }), 'es');
    await es.updateComplete;
    await new Promise((resolve) => setTimeout(resolve, 50));
    await es.updateComplete;
    expect(text(card(es).querySelector('h3')!)).to.equal('Satisfacción del cliente (CSAT)');
    expect(text(card(es).querySelector('[data-stat="score"]')!)).to.match(/^50\s?% puntaje CSAT$/);
    expect(rowsOf(card(es).querySelector('table.csat-groups')!)[0]).to.deep.equal(['Ana García', '3,67 / 5', '66,7 %', '3']);
  });
});
