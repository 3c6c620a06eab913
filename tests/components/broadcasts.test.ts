import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../fixtures/locales.js';
import { listeningSocket } from '../fixtures/listeners.js';
import type { CharlaBroadcasts, CharlaContacts } from '@charla/elements';
import type { CharlaClient } from '@charla/client';
import type { Broadcast, BroadcastRecipient, MessageTemplate } from '@charla/protocol';

const ADMIN = { id: 'ag_admin', workspaceId: 'ws', name: 'Ada Admin', email: 'ada@example.test', role: 'admin', avatarUrl: null };
const TEMPLATES: MessageTemplate[] = [
  { name: 'order_update', language: 'es_MX', status: 'APPROVED', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hola {{1}}, tu pedido {{2}} está en camino.' }] },
  { name: 'draft_offer', language: 'es_MX', status: 'PENDING', category: 'MARKETING', components: [] },
];
const counts = (over: Partial<Broadcast['counts']> = {}): Broadcast['counts'] => ({
  queued: 0, sending: 0, sent: 0, delivered: 0, read: 0, replied: 0, failed: 0, skipped: 0, canceled: 0, total: 0, ...over,
});
const broadcastOf = (over: Partial<Broadcast> = {}): Broadcast => ({
  id: 'bc_1', workspaceId: 'ws', name: 'Pedidos de marzo', template: { name: 'order_update', language: 'es_MX' }, parameters: [],
  body: 'Hola {{1}}, tu pedido {{2}} está en camino.', state: 'sending', scheduledAt: null, createdBy: 'ag_admin',
  createdAt: '2026-03-01T10:00:00.000Z', startedAt: '2026-03-01T10:00:00.000Z', finishedAt: null, canceledAt: null,
  counts: counts({ queued: 1, sent: 1, skipped: 1, total: 3 }), ...over,
});
const recipientOf = (id: string, status: BroadcastRecipient['status'], over: Partial<BroadcastRecipient> = {}): BroadcastRecipient => ({
  id, broadcastId: 'bc_1', contactId: `ct_${id}`, contactName: `Cliente ${id}`, handle: `57300${id}`, text: 'Hola', channelMessageId: null,
  status, reason: null, sentAt: null, deliveredAt: null, readAt: null, repliedAt: null, conversationId: null, updatedAt: '2026-03-01T10:00:00.000Z', ...over,
});

/**
 * The broadcasts API as the element sees it through `client.fetchApi`, and the agent socket as far
 * as it listens (`broadcast.changed`). The real server behind these routes is covered by
 * tests/server/broadcasts.test.ts and tests/e2e/broadcasts.test.ts.
 */
function broadcastsApi(options: { broadcasts?: Broadcast[]; failList?: boolean } = {}) {
  const requests: Array<{ route: string; body: any }> = [];
  const socket = listeningSocket();
  let failList = options.failList ?? false;
  const list = options.broadcasts ?? [];
  const client = {
    socket,
    me: ADMIN,
    state: 'online',
    session: { agents: [ADMIN] },
    agent: () => ADMIN,
    subscribe: () => () => {},
    templates: () => ({ items: TEMPLATES, loaded: true }),
    async fetchApi(path: string, init: RequestInit = {}) {
      const route = `${init.method ?? 'GET'} ${path.replace(/\?.*$/, '')}`;
      const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
      requests.push({ route, body });
      const json = (status: number, value: unknown) => new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });
      if (route === 'GET /api/v1/broadcasts') {
        return failList ? json(500, { error: { code: 'internal', message: 'The database is away' } }) : json(200, { broadcasts: list });
      }
      if (route === 'GET /api/v1/segments') {
        return json(200, { segments: [{ id: 'at_risk', name: 'At risk', builtIn: true, filter: { segment: 'at_risk' }, count: 42, createdBy: null, createdAt: null, updatedAt: null }] });
      }
      if (route === 'POST /api/v1/broadcasts/preview') {
        return json(200, {
          count: 2, message: 'Hola Ana, tu pedido #A-1 está en camino.', sample: [], remaining: 998, skippedTotal: 1,
          skipped: [{ contactId: 'ct_x', name: 'Beto Baja', reason: 'opted_out' }],
        });
      }
      if (route === 'POST /api/v1/broadcasts') return json(201, broadcastOf({ name: body.name }));
      if (route === 'GET /api/v1/broadcasts/bc_1') return json(200, broadcastOf());
      if (route === 'GET /api/v1/broadcasts/bc_1/recipients') {
        return json(200, { recipients: [recipientOf('1', 'sent'), recipientOf('2', 'queued'), recipientOf('3', 'skipped', { reason: 'opted_out' })], total: 3, offset: 0 });
      }
      if (route === 'POST /api/v1/broadcasts/bc_1/cancel') return json(200, broadcastOf({ state: 'canceled' }));
      return json(404, { error: { code: 'not_found', message: `No endpoint ${route}` } });
    },
  };
  return { client: client as unknown as CharlaClient, socket, requests, recover: () => (failList = false) };
}

const root = (el: Element) => el.shadowRoot!;
const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const button = (el: Element, action: string) => root(el).querySelector<HTMLButtonElement>(`[data-action="${action}"]`)!;

async function view(api = broadcastsApi(), lang = 'en') {
  const el = await fixture<CharlaBroadcasts>(html`<charla-broadcasts lang=${lang} .client=${api.client}></charla-broadcasts>`);
  await waitUntil(() => !root(el).querySelector('[role="status"].state') || root(el).querySelector('[part="list"]'), 'the list loads');
  return el;
}

function choose(select: HTMLSelectElement, value: string) {
  select.value = value;
  select.dispatchEvent(new Event('change'));
}

describe('charla-broadcasts', () => {
  it('lists broadcasts with their state and counts, says when there are none, and retries after an error', async () => {
    const api0 = broadcastsApi({ broadcasts: [broadcastOf()] });
    const listed = await view(api0);
    await waitUntil(() => root(listed).querySelector('[part="list"] button.row'), 'a row');
    const row = root(listed).querySelector('[part="list"] button.row')!;
    expect(text(row)).to.contain('Pedidos de marzo').and.contain('Sending').and.contain('Skipped 1');
    await expect(listed).to.be.accessible();

    const empty = await view();
    await waitUntil(() => text(root(empty)).includes('No broadcasts yet'), 'the empty state');

    // Changes are live only: after a reconnection the list loads again.
    const lists = () => api0.requests.filter((r) => r.route === 'GET /api/v1/broadcasts').length;
    const loaded = lists();
    api0.socket.emit('connect', undefined);
    api0.socket.emit('connect', undefined);
    await waitUntil(() => lists() === loaded + 1, 'reloaded after the reconnection (not after the first connection)');

    const api = broadcastsApi({ failList: true });
    const failing = await view(api);
    await waitUntil(() => root(failing).querySelector('[role="alert"]'), 'the error');
    expect(text(root(failing).querySelector('[role="alert"]'))).to.contain('The database is away');
    api.recover();
    root(failing).querySelector<HTMLButtonElement>('[role="alert"] button')!.click();
    await waitUntil(() => text(root(failing)).includes('No broadcasts yet'), 'loaded after retry');
  });

  it('composes to the host\'s selection: template, parameters from fields, preview with skipped contacts, then sends and shows live statuses', async () => {
    const api = broadcastsApi();
    const el = await view(api);
    el.selection = { ids: ['ct_1', 'ct_2', 'ct_x'] };
    el.selectionCount = 3;
    await waitUntil(() => root(el).querySelector('[part="composer"]'), 'the composer opens with the selection');
    expect(text(root(el).querySelector('[data-audience="selection"]'))).to.equal('3 selected contacts');
    const templates = root(el).querySelector<HTMLSelectElement>('select[name="template"]')!;
    expect([...templates.options].map((o) => o.textContent?.trim())).to.deep.equal(['Choose an approved template', 'order_update (es_MX)'], 'only approved templates');
    choose(templates, 'order_update|es_MX');
    await waitUntil(() => root(el).querySelectorAll('fieldset.parameter').length === 2, 'one row per {{n}}');
    choose(root(el).querySelector<HTMLSelectElement>('select[data-parameter="1"]')!, 'text');
    await el.updateComplete;
    const fixed = root(el).querySelector<HTMLInputElement>('input[data-parameter-text="1"]')!;
    fixed.value = '#A-1';
    fixed.dispatchEvent(new Event('input'));
    fixed.dispatchEvent(new Event('change'));
    const nameInput = root(el).querySelector<HTMLInputElement>('input[name="name"]')!;
    nameInput.value = 'Pedidos';
    nameInput.dispatchEvent(new Event('input'));
    await el.updateComplete;
    button(el, 'preview').click();
    await waitUntil(() => root(el).querySelector('[part="preview"]'), 'the preview');
    const previewRequest = api.requests.find((r) => r.route === 'POST /api/v1/broadcasts/preview')!;
    expect(previewRequest.body).to.deep.equal({
      template: { name: 'order_update', language: 'es_MX' },
      parameters: [{ field: 'firstName' }, { text: '#A-1' }],
      audience: { ids: ['ct_1', 'ct_2', 'ct_x'] },
    });
    const preview = text(root(el).querySelector('[part="preview"]'));
    expect(preview).to.contain('Goes to 2 contacts').and.contain('1 skipped').and.contain('Hola Ana, tu pedido #A-1 está en camino.').and.contain('Beto Baja').and.contain('Opted out');
    await expect(el).to.be.accessible();

    button(el, 'send').click();
    await waitUntil(() => root(el).querySelector('[part="recipients"]'), 'the detail');
    expect(api.requests.find((r) => r.route === 'POST /api/v1/broadcasts')!.body.name).to.equal('Pedidos');
    const status = (id: string) => text(root(el).querySelector(`tr[data-id="${id}"] .badge`));
    expect(status('2')).to.equal('Queued');
    api.socket.emit('broadcast.changed', {
      broadcast: broadcastOf({ counts: counts({ sent: 1, delivered: 1, skipped: 1, total: 3 }) }),
      recipients: [recipientOf('2', 'delivered')],
    });
    await waitUntil(() => status('2') === 'Delivered', 'the status moves live');
    expect(text(root(el).querySelector('[part="counts"] [data-status="delivered"]'))).to.contain('1');
    expect(text(root(el).querySelector('tr[data-id="3"]'))).to.contain('Opted out');

    button(el, 'cancel').click();
    await waitUntil(() => api.requests.some((r) => r.route === 'POST /api/v1/broadcasts/bc_1/cancel'), 'canceled');
  });

  it('speaks Spanish and Portuguese', async () => {
    const es = await view(broadcastsApi(), 'es');
    await waitUntil(() => text(root(es)).includes('Campañas') && text(root(es)).includes('Nueva campaña'), 'Spanish strings');
    const pt = await view(broadcastsApi(), 'pt');
    await waitUntil(() => text(root(pt)).includes('Campanhas') && text(root(pt)).includes('Nova campanha'), 'Portuguese strings');
  });
});

describe('charla-contacts "Send broadcast"', () => {
  it('offers admins to broadcast to the selection and fires charla-broadcast-compose with it', async () => {
    const contact = {
      id: 'ct_1', workspaceId: 'ws', name: 'Ana', email: null, phone: '+573001234567', avatarUrl: null, companyId: null, identities: [], tags: [],
      createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', ownerId: null, companyName: null, ltv: 0, lastInteractionAt: null, openDeals: 0,
    };
    const client = {
      ...broadcastsApi().client,
      async fetchApi(path: string) {
        const json = (value: unknown) => new Response(JSON.stringify(value), { status: 200, headers: { 'content-type': 'application/json' } });
        return path.startsWith('/api/v1/segments') ? json({ segments: [] }) : json({ contacts: [contact], total: 1, offset: 0, currency: 'MXN' });
      },
    } as unknown as CharlaClient;
    const wrapper = await fixture(html`<div style="height: 400px; display: flex"><charla-contacts .client=${client}></charla-contacts></div>`);
    const el = wrapper.querySelector<CharlaContacts>('charla-contacts')!;
    await waitUntil(() => root(el).querySelector('[part~="row"][data-id] input[type="checkbox"]'), 'the row');
    root(el).querySelector<HTMLInputElement>('[part~="row"][data-id] input[type="checkbox"]')!.click();
    await waitUntil(() => button(el, 'broadcast'), 'the bulk action');
    setTimeout(() => button(el, 'broadcast').click());
    const event = await oneEvent(el, 'charla-broadcast-compose');
    expect(event.detail).to.deep.equal({ selection: { ids: ['ct_1'] }, count: 1 });
  });
});
