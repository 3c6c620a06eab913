import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../fixtures/locales.js';
import { listeningSocket } from '../fixtures/listeners.js';
import type { CharlaContacts } from '@charla/elements';
import type { CharlaClient } from '@charla/client';
import type { DirectoryContact } from '@charla/protocol';

const TOTAL = 100_000;
const AGENTS = [
  { id: 'ag_ana', workspaceId: 'ws', name: 'Ana Pérez', email: 'ana@example.test', role: 'agent', avatarUrl: null },
  { id: 'ag_luis', workspaceId: 'ws', name: 'Luis Mora', email: 'luis@example.test', role: 'agent', avatarUrl: null },
];

function contactAt(index: number): DirectoryContact {
  const n = String(index).padStart(6, '0');
  return {
    id: `ct_${n}`, workspaceId: 'ws', name: `Cliente ${n}`, email: `cliente${n}@example.test`, phone: `+52155${n.padStart(8, '0')}`,
    avatarUrl: null, companyId: null, identities: [{ id: `id_${n}`, contactId: `ct_${n}`, channel: 'whatsapp', handle: `52155${n}`, verified: true }],
    tags: index % 3 === 0 ? ['vip'] : [], attributes: { plan: index % 2 ? 'Pro' : 'Free' }, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
    ownerId: index % 5 === 0 ? 'ag_ana' : null, companyName: index % 4 === 0 ? 'Textiles Ruiz' : null, ltv: index % 7 * 100,
    lastInteractionAt: null, openDeals: index % 2,
  };
}

/**
 * The directory API as the element sees it through `client.fetchApi`: 100,000 contacts made up on
 * demand (a search for "nobody" finds none), and every request made. The real server behind
 * these routes is covered by tests/server/directory.test.ts and tests/e2e/contacts.test.ts.
 */
function directoryApi(options: { failSearch?: boolean } = {}) {
  const requests: Array<{ route: string; body: any }> = [];
  const socket = listeningSocket();
  const client = {
    socket,
    me: AGENTS[0],
    state: 'online',
    session: { agents: AGENTS },
    agent: (id: string) => AGENTS.find((agent) => agent.id === id),
    subscribe: () => () => {},
    mergeContacts: async () => contactAt(1),
    async fetchApi(path: string, init: RequestInit = {}) {
      const route = `${init.method ?? 'GET'} ${path}`;
      const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
      requests.push({ route, body });
      const json = (status: number, value: unknown) => new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });
      if (route === 'GET /api/v1/segments') {
        return json(200, { segments: [{ id: 'at_risk', name: 'At risk', builtIn: true, filter: { segment: 'at_risk' }, count: 42, createdBy: null, createdAt: null, updatedAt: null }] });
      }
      if (route === 'POST /api/v1/contacts/search') {
        if (options.failSearch) return json(500, { error: { code: 'internal', message: 'The database is away' } });
        const total = body.filter?.query === 'nobody' ? 0 : TOTAL;
        const contacts = Array.from({ length: Math.max(0, Math.min(body.limit, total - body.offset)) }, (_, i) => contactAt(body.offset + i));
        return json(200, { contacts, total, offset: body.offset, currency: 'MXN' });
      }
      if (route === 'POST /api/v1/contacts/bulk') return json(200, { matched: 3, updated: 3 });
      return json(404, { error: { code: 'not_found', message: `No endpoint ${route}` } });
    },
  };
  return { client: client as unknown as CharlaClient, socket, requests, searches: () => requests.filter((r) => r.route === 'POST /api/v1/contacts/search') };
}

const root = (el: Element) => el.shadowRoot!;
const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const rows = (el: CharlaContacts) => [...root(el).querySelectorAll<HTMLElement>('[part~="row"][data-id]')];
const names = (el: CharlaContacts) => rows(el).map((row) => text(row.querySelector('.cell.name > span[title]')));
const button = (el: CharlaContacts, action: string) => root(el).querySelector<HTMLButtonElement>(`[data-action="${action}"]`)!;

async function directory(api = directoryApi(), lang = 'en') {
  const el = await fixture<CharlaContacts>(html`<div style="height: 600px; display: flex; flex-direction: column">
    <charla-contacts lang=${lang} .client=${api.client} .columns=${['name', 'email', 'tags', 'ltv', 'owner', 'attributes.plan']}></charla-contacts>
  </div>`).then((wrapper) => wrapper.querySelector('charla-contacts')!);
  await waitUntil(() => rows(el).length > 0 || root(el).querySelector('[role="alert"]'), 'the first page loads');
  return el;
}

describe('charla-contacts', () => {
  it('shows 100,000 contacts with only the visible rows in the DOM, loading pages as they scroll into view', async () => {
    const api = directoryApi();
    const el = await directory(api);
    expect(text(root(el).querySelector('.total'))).to.equal('100,000 contacts');
    expect(names(el)[0]).to.equal('Cliente 000000');
    expect(rows(el).length).to.be.below(40);
    expect(rows(el)[0]!.textContent).to.contain('Ana Pérez').and.contain('Free').and.contain('vip');
    const table = root(el).querySelector<HTMLElement>('[part="table"]')!;
    table.scrollTop = 48 * 50_000;
    await waitUntil(() => names(el).includes('Cliente 050000'), 'the middle page loads');
    expect(api.searches().some((r) => r.body.offset === 50_000)).to.equal(true);
    expect(rows(el).length).to.be.below(40);
    expect(root(el).querySelector('[part="table"]')!.getAttribute('aria-rowcount')).to.equal(String(TOTAL + 1));
    await expect(el).to.be.accessible();
  });

  it('searches and filters on the server, and sorts by a column header', async () => {
    const api = directoryApi();
    const el = await directory(api);
    const search = root(el).querySelector<HTMLInputElement>('[part="search"]')!;
    search.value = 'nobody';
    search.dispatchEvent(new InputEvent('input'));
    await waitUntil(() => text(root(el).querySelector('.state')) === 'No contacts match these filters', 'the empty state');
    expect(api.searches().at(-1)!.body.filter).to.deep.equal({ query: 'nobody' });

    search.value = '';
    search.dispatchEvent(new InputEvent('input'));
    const segment = root(el).querySelector<HTMLSelectElement>('select[aria-label="Segment"]')!;
    await waitUntil(() => text(segment).includes('At risk (42)'), 'segments with their counts');
    segment.value = 'at_risk';
    segment.dispatchEvent(new Event('change'));
    const owner = root(el).querySelector<HTMLSelectElement>('select[aria-label="Owner"]')!;
    owner.value = 'none';
    owner.dispatchEvent(new Event('change'));
    await waitUntil(() => api.searches().at(-1)!.body.filter.ownerId === 'none' && !api.searches().at(-1)!.body.filter.query, 'the owner filter is asked for');
    expect(api.searches().at(-1)!.body.filter).to.deep.equal({ segment: 'at_risk', ownerId: 'none' });

    root(el).querySelector<HTMLButtonElement>('button.sort[data-sort="ltv"]')!.click();
    await waitUntil(() => api.searches().at(-1)!.body.sort === 'ltv', 'sorted by LTV');
    expect(api.searches().at(-1)!.body.direction).to.equal('desc');
    await el.updateComplete;
    expect(root(el).querySelector('button.sort[data-sort="ltv"]')!.closest('[role="columnheader"]')!.getAttribute('aria-sort')).to.equal('descending');
  });

  it('keeps segment counts live, and reloads the list when the segment it shows moves', async () => {
    const api = directoryApi();
    const el = await directory(api);
    const segment = root(el).querySelector<HTMLSelectElement>('select[aria-label="Segment"]')!;
    await waitUntil(() => text(segment).includes('At risk (42)'), 'segments with their counts');
    api.socket.emit('segment.changed', { segmentId: 'at_risk', count: 43 });
    await waitUntil(() => text(segment).includes('At risk (43)'), 'the count moves');
    segment.value = 'at_risk';
    segment.dispatchEvent(new Event('change'));
    await waitUntil(() => api.searches().at(-1)!.body.filter.segment === 'at_risk', 'the segment is shown');
    const before = api.searches().length;
    api.socket.emit('segment.changed', { segmentId: 'at_risk', count: 44 });
    await waitUntil(() => api.searches().length > before, 'the list of the segment reloads');
    expect(text(segment)).to.contain('At risk (44)');
    el.remove();
    api.socket.emit('segment.changed', { segmentId: 'at_risk', count: 45 });
    expect(api.searches().length, 'a removed directory stops listening').to.equal(before + 1);
  });

  it("reloads the rows another agent changed, and every loaded page after a merge", async () => {
    const api = directoryApi();
    const el = await directory(api);
    const before = api.searches().length;
    api.socket.emit('events', [{ seq: 1, type: 'contact.upserted', conversationId: null, data: { contact: contactAt(99_999) }, createdAt: '2026-01-01T00:00:00.000Z' }]);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(api.searches().length).to.equal(before, 'a contact not shown loads nothing');
    api.socket.emit('events', [
      { seq: 2, type: 'contact.upserted', conversationId: null, data: { contact: contactAt(1) }, createdAt: '2026-01-01T00:00:00.000Z' },
      { seq: 3, type: 'contact.upserted', conversationId: null, data: { contact: contactAt(2) }, createdAt: '2026-01-01T00:00:00.000Z' },
    ]);
    await waitUntil(() => api.searches().length === before + 1, 'the page showing them loads again, once');
    expect(api.searches().at(-1)!.body.offset).to.equal(0);
    api.socket.emit('events', [{ seq: 4, type: 'contact.merged', conversationId: null, data: { contact: contactAt(1), mergedId: 'ct_000002' }, createdAt: '2026-01-01T00:00:00.000Z' }]);
    await waitUntil(() => api.searches().length === before + 2, 'a merge loads the loaded pages again');
    expect(rows(el).length).to.be.greaterThan(0);
  });

  it('selects with shift-click, then all matching, and tags them in one request', async () => {
    const api = directoryApi();
    const el = await directory(api);
    const box = (index: number) => rows(el)[index]!.querySelector<HTMLInputElement>('input[type="checkbox"]')!;
    box(0).click();
    box(3).dispatchEvent(new MouseEvent('click', { shiftKey: true, bubbles: true }));
    await el.updateComplete;
    expect(text(root(el).querySelector('[part="bulk-bar"] strong'))).to.equal('4 selected');
    expect(rows(el).slice(0, 5).map((row) => row.getAttribute('aria-selected'))).to.deep.equal(['true', 'true', 'true', 'true', 'false']);

    const tag = root(el).querySelector<HTMLInputElement>('#bulk-tag')!;
    tag.value = 'navidad';
    button(el, 'add-tag').click();
    await waitUntil(() => api.requests.some((r) => r.route === 'POST /api/v1/contacts/bulk'), 'the bulk request');
    expect(api.requests.find((r) => r.route === 'POST /api/v1/contacts/bulk')!.body).to.deep.equal({
      selection: { ids: ['ct_000000', 'ct_000001', 'ct_000002', 'ct_000003'] }, addTags: ['navidad'],
    });
    await waitUntil(() => text(root(el).querySelector('.message')) === '3 contacts changed', 'the outcome is told');

    button(el, 'select-all').click();
    await el.updateComplete;
    expect(text(root(el).querySelector('[part="bulk-bar"] strong'))).to.equal('100,000 selected');
    box(1).click();
    await el.updateComplete;
    expect(text(root(el).querySelector('[part="bulk-bar"] strong'))).to.equal('99,999 selected');
    const ownerSelect = root(el).querySelector<HTMLSelectElement>('#bulk-owner')!;
    ownerSelect.value = 'ag_luis';
    button(el, 'assign').click();
    await waitUntil(() => api.requests.filter((r) => r.route === 'POST /api/v1/contacts/bulk').length === 2, 'the second bulk request');
    expect(api.requests.filter((r) => r.route === 'POST /api/v1/contacts/bulk')[1]!.body).to.deep.equal({
      selection: { filter: {}, except: ['ct_000001'] }, ownerId: 'ag_luis',
    });
  });

  it('opens a contact with a click or with Enter, and moves with the arrow keys', async () => {
    const el = await directory();
    setTimeout(() => rows(el)[2]!.querySelector<HTMLElement>('.cell.name')!.click());
    expect((await oneEvent(el, 'charla-contact-open')).detail).to.deep.equal({ contactId: 'ct_000002' });
    root(el).querySelector<HTMLElement>('[part="table"]')!.focus();
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(text(root(el).querySelector('[part="bulk-bar"] strong'))).to.equal('1 selected');
    setTimeout(() => void sendKeys({ press: 'Enter' }));
    expect((await oneEvent(el, 'charla-contact-open')).detail).to.deep.equal({ contactId: 'ct_000003' });
  });

  it('says when contacts cannot be loaded, and retries', async () => {
    const el = await directory(directoryApi({ failSearch: true }));
    expect(text(root(el).querySelector('[role="alert"]'))).to.contain('Contacts could not be loaded: The database is away');
    await expect(el).to.be.accessible();
  });

  it('speaks Spanish and Portuguese, and renders plain data without a client', async () => {
    const es = await directory(directoryApi(), 'es');
    expect(text(root(es).querySelector('.total'))).to.equal('100.000 clientes');
    expect(root(es).querySelector('[part="search"]')!.getAttribute('placeholder')).to.equal('Buscar nombre, teléfono, correo');
    const pt = await directory(directoryApi(), 'pt');
    expect(text(root(pt).querySelector('[role="columnheader"] .sort'))).to.contain('Nome');
    const data = await fixture<CharlaContacts>(html`<charla-contacts style="height: 300px" .contacts=${[contactAt(1), contactAt(2)]} .agents=${AGENTS}></charla-contacts>`);
    await data.updateComplete;
    await waitUntil(() => rows(data).length === 2, 'the data rows');
    expect(names(data)).to.deep.equal(['Cliente 000001', 'Cliente 000002']);
    expect(text(root(data).querySelector('.total'))).to.equal('2 contacts');
  });
});
