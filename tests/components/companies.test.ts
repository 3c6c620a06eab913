import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../fixtures/locales.js';
import type { CharlaCompanies } from '@charla/elements';
import type { CharlaClient } from '@charla/client';
import type { CompanySummary } from '@charla/protocol';

const company = (id: string, name: string, extra: Partial<CompanySummary> = {}): CompanySummary => ({
  id, workspaceId: 'ws', name, domain: `${id}.mx`, people: 2, openDeals: 1, ltv: 1500, lastInteractionAt: null, ...extra,
});
const COMPANIES = [company('co_montana', 'Café Montaña', { ltv: 12400 }), company('co_pampa', 'Estudio Pampa', { people: 1, openDeals: 0, ltv: 0 })];

/**
 * The companies API as the element sees it through `client.fetchApi`, and the requests made. The
 * real server behind these routes is covered by tests/server/directory.test.ts.
 */
function companiesApi(options: { failDetail?: boolean } = {}) {
  const requests: Array<{ route: string; body: any }> = [];
  const client = {
    me: { id: 'ag_ana', role: 'agent' },
    subscribe: () => () => {},
    sales: { timeline: () => ({ loaded: true, loading: false, error: null, items: [], nextCursor: null }) },
    async fetchApi(path: string, init: RequestInit = {}) {
      const route = `${init.method ?? 'GET'} ${path}`;
      const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
      requests.push({ route, body });
      const json = (status: number, value: unknown) => new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });
      if (route === 'POST /api/v1/companies/search') {
        const found = COMPANIES.filter((c) => !body.query || c.name.toLowerCase().includes(body.query.toLowerCase()));
        return json(200, { companies: found, total: found.length, offset: 0, currency: 'MXN' });
      }
      if (route === 'GET /api/v1/companies/co_montana') {
        if (options.failDetail) return json(500, { error: { code: 'internal', message: 'Down for a moment' } });
        return json(200, {
          company: COMPANIES[0],
          people: { contacts: [{ id: 'ct_diego', name: 'Diego Fernández', email: 'diego@cafemontana.mx', phone: null, avatarUrl: null, ltv: 12400 }], total: 1, offset: 0, currency: 'MXN' },
          deals: [{ id: 'dl_1', title: '150 tazas + 40 prensas', status: 'open', amount: 61350, currency: 'MXN' }],
        });
      }
      return json(404, { error: { code: 'not_found', message: `No endpoint ${route}` } });
    },
  };
  return { client: client as unknown as CharlaClient, requests };
}

const root = (el: Element) => el.shadowRoot!;
const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const names = (el: CharlaCompanies) => [...root(el).querySelectorAll('[part~="company"] .name')].map((n) => text(n));

async function companies(api = companiesApi(), lang = 'en') {
  const el = await fixture<CharlaCompanies>(html`<charla-companies lang=${lang} style="height: 600px; width: 900px" .client=${api.client}></charla-companies>`);
  await waitUntil(() => names(el).length > 0, 'the companies load');
  return el;
}

describe('charla-companies', () => {
  it('lists companies with their people, deals and lifetime value, searches and sorts on the server', async () => {
    const api = companiesApi();
    const el = await companies(api);
    expect(names(el)).to.deep.equal(['Café Montaña', 'Estudio Pampa']);
    expect(text(root(el).querySelector('[part~="company"]'))).to.contain('2 people').and.contain('1 open deal').and.not.contain('1 open deals');
    expect(text(root(el).querySelector('[part~="company"]:nth-child(2)'))).to.contain('1 person');
    const search = root(el).querySelector<HTMLInputElement>('[part="search"]')!;
    search.value = 'pampa';
    search.dispatchEvent(new InputEvent('input'));
    await waitUntil(() => names(el).length === 1, 'the search answers');
    expect(names(el)).to.deep.equal(['Estudio Pampa']);
    const sort = root(el).querySelector<HTMLSelectElement>('select')!;
    sort.value = 'ltv';
    sort.dispatchEvent(new Event('change'));
    await waitUntil(() => api.requests.at(-1)!.body?.sort === 'ltv', 'sorted by value');
    expect(api.requests.at(-1)!.body).to.deep.equal({ query: 'pampa', sort: 'ltv', direction: 'desc', offset: 0, limit: 50 });
    await expect(el).to.be.accessible();
  });

  it('opens a company: figures, people (each opens the contact), deals and its timeline', async () => {
    const el = await companies();
    setTimeout(() => root(el).querySelector<HTMLButtonElement>('[part~="company"] button')!.click());
    expect((await oneEvent(el, 'charla-company-select')).detail).to.deep.equal({ companyId: 'co_montana' });
    await waitUntil(() => root(el).querySelector('[part="people"]'), 'the company loads');
    expect(text(root(el).querySelector('[part="figures"]'))).to.contain('People2').and.contain('Open deals1');
    expect(text(root(el).querySelector('[part="deals"]'))).to.contain('150 tazas + 40 prensas').and.contain('open');
    expect(root(el).querySelector('charla-timeline')!.getAttribute('company-id')).to.equal('co_montana');
    setTimeout(() => root(el).querySelector<HTMLButtonElement>('[part="people"] button')!.click());
    expect((await oneEvent(el, 'charla-contact-open')).detail).to.deep.equal({ contactId: 'ct_diego' });
    // The company's timeline is empty here: it says so, and is accessible empty too.
    await expect(el).to.be.accessible();
  });

  it('says when a company cannot be loaded, and speaks Spanish and Portuguese', async () => {
    const el = await companies(companiesApi({ failDetail: true }), 'es');
    expect(text(root(el).querySelector('.total'))).to.equal('2 empresas');
    el.companyId = 'co_montana';
    await waitUntil(() => root(el).querySelector('[part="detail"] [role="alert"]'), 'the error');
    expect(text(root(el).querySelector('[part="detail"] [role="alert"]'))).to.equal('No se pudo cargar la empresa: Down for a moment');
    const pt = await companies(companiesApi(), 'pt');
    expect(root(pt).querySelector('[part="search"]')!.getAttribute('placeholder')).to.equal('Buscar nome ou domínio');
  });

  it('renders plain data without a client', async () => {
    const el = await fixture<CharlaCompanies>(html`<charla-companies style="height: 400px" .companies=${COMPANIES} currency="MXN" company-id="co_pampa"></charla-companies>`);
    expect(names(el)).to.deep.equal(['Café Montaña', 'Estudio Pampa']);
    expect(text(root(el).querySelector('h2'))).to.equal('Estudio Pampa');
  });
});
