import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CompanySummary, DirectoryPage, Segment } from '@charla/protocol';
import { newId } from '../../server/src/ids.js';
import type { Database } from '../../server/src/db.js';
import type { PgDatabase } from '../../server/src/db-postgres.js';
import { api, connectAgent, eventually, openDatabase, startServer, type TestServer } from './helpers.js';

const DAY = 86_400_000;
let t: TestServer;
let db: Database | PgDatabase;
/** The server's clock: tests move it forward to see contacts enter and leave segments. */
let now = new Date();
const ids = new Map<string, string>();
const id = (name: string) => ids.get(name)!;
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY).toISOString();

const as = (token: string) => ({
  get: (path: string) => api(t.url, `/api/v1${path}`, { token }),
  post: (path: string, body: unknown) => api(t.url, `/api/v1${path}`, { token, method: 'POST', body }),
  patch: (path: string, body: unknown) => api(t.url, `/api/v1${path}`, { token, method: 'PATCH', body }),
  delete: (path: string) => api(t.url, `/api/v1${path}`, { token, method: 'DELETE' }),
});
let agent: ReturnType<typeof as>;
let viewer: ReturnType<typeof as>;

async function names(filter: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<string[]> {
  const res = await agent.post('/contacts/search', { filter, sort: 'name', direction: 'asc', limit: 200, ...extra });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const page = res.body as DirectoryPage;
  return page.contacts.map((c) => c.name ?? '').filter((name) => ids.has(name));
}

const inSegment = (segment: string) => names({ segment });

async function purchase(name: string, amount: number, occurredAt: string, currency = 'USD') {
  const res = await agent.post('/events', { kind: 'purchase', contactId: id(name), amount, currency, occurredAt });
  assert.equal(res.status, 201, JSON.stringify(res.body));
}

/** A conversation of the contact whose last message was at `lastMessageAt` (waiting for a reply since `waitingSince`). */
async function conversation(name: string, lastMessageAt: string, options: { waitingSince?: string; status?: string; channel?: string } = {}) {
  await db.run(
    `INSERT INTO conversations (id, workspace_id, contact_id, channel, status, priority, labels, last_message_at, waiting_since, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'normal', '[]', ?, ?, ?, ?)`,
    [newId('cv'), t.acme.workspace.id, id(name), options.channel ?? 'webchat', options.status ?? 'open', lastMessageAt, options.waitingSince ?? null, lastMessageAt, lastMessageAt],
  );
}

before(async () => {
  t = await startServer({ server: { clock: () => now, segmentRecountMs: 20 } });
  db = await openDatabase(t.dbPath);
  agent = as(t.acme.agent.token);
  viewer = as(t.acme.viewer.token);
  const csv = [
    'name,email,phone,company,tags,plan',
    'Ana Ruiz,ana@ruiz-textiles.mx,,Ruiz Textiles,vip;mayorista,Pro',
    'Bruno Díaz,bruno@example.org,,,,Free',
    'Carla Gómez,carla@gomez.mx,,Gómez y Asociados,vip,',
    'Diego Soto,diego@example.org,,,,',
    'Elena Vidal,elena@vidal.mx,,,,Pro',
    'Fernando Paz,fer@example.org,,,,',
    'Gabriela Luna,gaby@example.org,,,mayorista,',
  ].join('\n');
  const res = await api(t.url, '/api/v1/contacts/import', { token: t.acme.agent.token, method: 'POST', body: csv, headers: { 'content-type': 'text/csv' } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const search = await agent.post('/contacts/search', { limit: 200 });
  for (const contact of (search.body as DirectoryPage).contacts) ids.set(contact.name!, contact.id);
  assert.equal(ids.size, 7, 'seven contacts imported');
});
after(async () => {
  await db.close();
  await t.close();
});

describe('built-in segments', () => {
  test('new: created in the last 30 days, and no longer once time passes', async () => {
    assert.equal((await inSegment('new')).length, 7, 'every contact just imported is new');
    const real = now;
    now = new Date(real.getTime() + 31 * DAY);
    assert.deepEqual(await inSegment('new'), [], 'a month later nobody is new');
    now = real;
  });

  test('at risk: bought, and neither talked nor bought in 60 days; a purchase or the passing of time moves them', async () => {
    await purchase('Carla Gómez', 120, daysAgo(90));
    await purchase('Diego Soto', 80, daysAgo(30));
    await conversation('Bruno Díaz', daysAgo(100));
    assert.deepEqual(await inSegment('at_risk'), ['Carla Gómez'], 'only Carla: bought 90 days ago and silent since');

    now = new Date(now.getTime() + 31 * DAY);
    assert.deepEqual(await inSegment('at_risk'), ['Carla Gómez', 'Diego Soto'], 'Diego enters once his purchase is 61 days old');

    await purchase('Carla Gómez', 40, now.toISOString());
    assert.deepEqual(await inSegment('at_risk'), ['Diego Soto'], 'a new purchase takes Carla out');
    await conversation('Diego Soto', daysAgo(1));
    assert.deepEqual(await inSegment('at_risk'), [], 'a conversation takes Diego out');
  });

  test('active: a message in the last 30 days', async () => {
    await conversation('Gabriela Luna', daysAgo(10));
    assert.deepEqual(await inSegment('active'), ['Diego Soto', 'Gabriela Luna']);
    now = new Date(now.getTime() + 25 * DAY);
    assert.deepEqual(await inSegment('active'), ['Diego Soto'], 'Gabriela leaves 30 days after her last message');
  });

  test('high value: purchases of 1,000 or more in the workspace currency', async () => {
    await purchase('Elena Vidal', 600, daysAgo(5));
    await purchase('Ana Ruiz', 5000, daysAgo(5), 'EUR');
    assert.deepEqual(await inSegment('high_value'), [], 'another currency does not count');
    await purchase('Elena Vidal', 400, daysAgo(1));
    assert.deepEqual(await inSegment('high_value'), ['Elena Vidal'], 'Elena enters with her second purchase');
  });

  test('frequent buyers: three purchases in 90 days; the oldest ageing out takes them out', async () => {
    await purchase('Fernando Paz', 10, daysAgo(80));
    await purchase('Fernando Paz', 10, daysAgo(20));
    assert.deepEqual(await inSegment('frequent_buyers'), []);
    await purchase('Fernando Paz', 10, daysAgo(2));
    assert.deepEqual(await inSegment('frequent_buyers'), ['Fernando Paz']);
    now = new Date(now.getTime() + 11 * DAY);
    assert.deepEqual(await inSegment('frequent_buyers'), [], 'the purchase of 91 days ago no longer counts');
  });

  test('need follow-up: waiting for a reply for a day, or an overdue task', async () => {
    await conversation('Bruno Díaz', daysAgo(0.5), { waitingSince: daysAgo(0.5) });
    assert.deepEqual(await inSegment('need_follow_up'), []);
    now = new Date(now.getTime() + DAY);
    assert.deepEqual(await inSegment('need_follow_up'), ['Bruno Díaz'], 'Bruno waits for more than 24 hours');
    const task = await agent.post('/tasks', { title: 'Llamar a Ana', contactId: id('Ana Ruiz'), dueAt: new Date(now.getTime() + DAY).toISOString() });
    assert.equal(task.status, 201, JSON.stringify(task.body));
    assert.deepEqual(await inSegment('need_follow_up'), ['Bruno Díaz']);
    now = new Date(now.getTime() + 2 * DAY);
    assert.deepEqual(await inSegment('need_follow_up'), ['Ana Ruiz', 'Bruno Díaz'], 'Ana once her task is overdue');
    const done = await agent.patch(`/tasks/${task.body.id}`, { done: true });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.deepEqual(await inSegment('need_follow_up'), ['Bruno Díaz'], 'a done task needs nothing');
  });

  test('GET /segments lists each built-in segment with its count now', async () => {
    const res = await viewer.get('/segments');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const segments = res.body.segments as Segment[];
    assert.deepEqual(segments.map((s) => s.id), ['new', 'active', 'at_risk', 'high_value', 'frequent_buyers', 'need_follow_up']);
    const count = (key: string) => segments.find((s) => s.id === key)?.count;
    assert.equal(count('high_value'), 1, 'Elena');
    assert.equal(count('need_follow_up'), 1, 'Bruno');
    const page = await viewer.get('/segments/high_value/contacts?limit=10');
    assert.equal(page.status, 200, JSON.stringify(page.body));
    assert.deepEqual((page.body as DirectoryPage).contacts.map((c) => [c.name, c.ltv]), [['Elena Vidal', 1000]]);
  });
});

describe('the directory', () => {
  test('filters on every field', async () => {
    const identity = [newId('id'), t.acme.workspace.id, id('Gabriela Luna'), 'whatsapp', '5215512340001', 0, new Date().toISOString()];
    await db.run('INSERT INTO identities (id, workspace_id, contact_id, channel, handle, verified, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', identity);
    assert.deepEqual(await names({ query: 'ARIA' }), [], 'nobody');
    assert.deepEqual(await names({ query: 'vidal' }), ['Elena Vidal']);
    assert.deepEqual(await names({ query: '5215512340001' }), ['Gabriela Luna'], 'a channel handle');
    assert.deepEqual(await names({ tags: ['vip'] }), ['Ana Ruiz', 'Carla Gómez']);
    assert.deepEqual(await names({ tags: ['vip', 'mayorista'] }), ['Ana Ruiz'], 'every tag');
    assert.deepEqual(await names({ channels: ['whatsapp'] }), ['Gabriela Luna']);
    const companies = await agent.get('/companies');
    const ruiz = (companies.body.companies as Array<{ id: string; name: string }>).find((c) => c.name === 'Ruiz Textiles')!;
    assert.deepEqual(await names({ companyId: ruiz.id }), ['Ana Ruiz']);
    assert.deepEqual(await names({ ltvMin: 100, ltvMax: 200 }), ['Carla Gómez'], '160 USD');
    assert.deepEqual(await names({ ltvMin: 1000 }), ['Elena Vidal']);
    assert.deepEqual(await names({ lastInteractionAfter: daysAgo(4) }), ['Bruno Díaz']);
    assert.deepEqual(await names({ lastInteractionBefore: daysAgo(4), tags: ['mayorista'] }), ['Ana Ruiz', 'Gabriela Luna'], 'never or long ago');
    assert.deepEqual(await names({ attributes: { plan: 'Pro' } }), ['Ana Ruiz', 'Elena Vidal']);
    assert.deepEqual(await names({ segment: 'high_value', attributes: { plan: 'Pro' } }), ['Elena Vidal']);
    const owned = await agent.post('/contacts/bulk', { selection: { ids: [id('Diego Soto')] }, ownerId: t.acme.agent.agent.id });
    assert.equal(owned.status, 200, JSON.stringify(owned.body));
    assert.deepEqual(await names({ ownerId: t.acme.agent.agent.id }), ['Diego Soto']);
    assert.equal((await names({ ownerId: 'none' })).length, 6);
  });

  test('sorts by name, lifetime value and last interaction, pages with the total', async () => {
    const first = await agent.post('/contacts/search', { sort: 'ltv', direction: 'desc', limit: 2 });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const page = first.body as DirectoryPage;
    assert.equal(page.total, 7);
    assert.equal(page.currency, 'USD');
    assert.deepEqual(page.contacts.map((c) => [c.name, c.ltv]), [['Elena Vidal', 1000], ['Carla Gómez', 160]]);
    const next = await agent.post('/contacts/search', { sort: 'ltv', direction: 'desc', limit: 2, offset: 2 });
    assert.deepEqual((next.body as DirectoryPage).contacts.map((c) => c.name), ['Diego Soto', 'Fernando Paz']);
    const recent = await agent.post('/contacts/search', { sort: 'lastInteractionAt', direction: 'desc', limit: 3 });
    assert.deepEqual((recent.body as DirectoryPage).contacts.map((c) => c.name), ['Bruno Díaz', 'Diego Soto', 'Gabriela Luna']);
    const last = (await agent.post('/contacts/search', { sort: 'lastInteractionAt', direction: 'asc', limit: 10 })).body as DirectoryPage;
    assert.equal(last.contacts.at(-1)?.lastInteractionAt, null, 'contacts who never wrote come last either way');
    assert.deepEqual(await names({}, { sort: 'name', direction: 'desc' }), [...ids.keys()].sort().reverse());
  });

  test('refuses bad filters with a clear error', async () => {
    for (const body of [
      { filter: { ltvMin: 10, ltvMax: 5 } },
      { filter: { segment: 'vip-of-nowhere' } },
      { filter: { lastInteractionAfter: 'yesterday' } },
      { filter: { attributes: { 'pl"an': 'x' } } },
      { filter: { nope: 1 } },
      { limit: 5000 },
    ]) {
      const res = await agent.post('/contacts/search', body);
      assert.equal(res.status, 400, `${JSON.stringify(body)} → ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, 'invalid_payload', JSON.stringify(body));
    }
  });
});

describe('saved segments', () => {
  test('counts are live: agents hear segment.changed when contacts move in or out', async () => {
    const created = await agent.post('/segments', { name: 'Feria', filter: { tags: ['feria'] } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const socket = await connectAgent(t.url, t.acme.viewer.token);
    const heard: Array<{ segmentId: string; count: number }> = [];
    socket.on('segment.changed', (data: { segmentId: string; count: number }) => heard.push(data));
    await agent.post('/contacts/bulk', { selection: { ids: [id('Ana Ruiz'), id('Bruno Díaz')] }, addTags: ['feria'] });
    await eventually(() => heard.some((e) => e.segmentId === created.body.id && e.count === 2), 3000, 'the count of 2');
    await agent.post('/contacts/bulk', { selection: { ids: [id('Bruno Díaz')] }, removeTags: ['feria'] });
    await eventually(() => heard.some((e) => e.segmentId === created.body.id && e.count === 1), 3000, 'the count of 1');
    socket.disconnect();
    assert.equal((await agent.delete(`/segments/${created.body.id}`)).status, 200);
  });

  test('are shared in the workspace, live, editable and deletable', async () => {
    const created = await agent.post('/segments', { name: 'VIP mayoristas', filter: { tags: ['mayorista'] } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const segment = created.body as Segment;
    assert.equal(segment.count, 2);
    assert.equal(segment.builtIn, false);
    const listed = (await as(t.acme.admin.token).get('/segments')).body.segments as Segment[];
    assert.equal(listed.find((s) => s.id === segment.id)?.count, 2, 'another agent sees it');

    await agent.post('/contacts/bulk', { selection: { ids: [id('Elena Vidal')] }, addTags: ['mayorista'] });
    const members = await viewer.get(`/segments/${segment.id}/contacts?sort=name&direction=asc`);
    assert.deepEqual((members.body as DirectoryPage).contacts.map((c) => c.name), ['Ana Ruiz', 'Elena Vidal', 'Gabriela Luna'], 'Elena moved in');
    assert.deepEqual(await names({ segment: segment.id, attributes: { plan: 'Pro' } }), ['Ana Ruiz', 'Elena Vidal'], 'a saved segment is a filter too');

    const renamed = await agent.patch(`/segments/${segment.id}`, { filter: { tags: ['mayorista'], segment: 'high_value' } });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    assert.equal(renamed.body.count, 1);
    const nested = await agent.patch(`/segments/${segment.id}`, { filter: { segment: segment.id } });
    assert.equal(nested.status, 400, 'a saved segment inside another is refused');
    assert.equal((await viewer.post('/segments', { name: 'x', filter: {} })).status, 403, 'viewers read segments, they do not make them');
    assert.equal((await as(t.globex.admin.token).get(`/segments/${segment.id}/contacts`)).status, 404, 'another workspace does not see it');
    assert.equal((await agent.delete(`/segments/${segment.id}`)).status, 200);
    assert.equal((await viewer.get(`/segments/${segment.id}/contacts`)).status, 404);
  });
});

describe('companies', () => {
  test('list with their people, open deals and lifetime value, sorted and searched; one opens with its people and deals', async () => {
    const pipeline = await as(t.acme.admin.token).post('/pipelines', { name: 'Ventas', stages: [{ name: 'Nuevo' }] });
    assert.equal(pipeline.status, 201, JSON.stringify(pipeline.body));
    const deal = await agent.post('/deals', { pipelineId: pipeline.body.id, title: 'Uniformes 2027', amount: 900, currency: 'USD', contactId: id('Ana Ruiz') });
    assert.equal(deal.status, 201, JSON.stringify(deal.body));

    const byValue = await viewer.post('/companies/search', { sort: 'ltv', direction: 'desc', limit: 2 });
    assert.equal(byValue.status, 200, JSON.stringify(byValue.body));
    assert.equal(byValue.body.currency, 'USD');
    assert.deepEqual((byValue.body.companies as CompanySummary[]).map((c) => [c.name, c.ltv, c.people]), [['Vidal', 1000, 1], ['Gómez y Asociados', 160, 1]],
      'Elena\'s company (from her email\'s domain), then Carla\'s');

    const ruiz = await viewer.post('/companies/search', { query: 'RUIZ' });
    assert.deepEqual((ruiz.body.companies as CompanySummary[]).map((c) => [c.name, c.people, c.openDeals, c.ltv]), [['Ruiz Textiles', 1, 1, 0]],
      'Ana\'s EUR purchase is not counted in USD');
    assert.equal(ruiz.body.total, 1);

    const overview = await viewer.get(`/companies/${ruiz.body.companies[0].id}`);
    assert.equal(overview.status, 200, JSON.stringify(overview.body));
    assert.deepEqual((overview.body.people as DirectoryPage).contacts.map((c) => c.name), ['Ana Ruiz']);
    assert.deepEqual((overview.body.deals as Array<{ title: string }>).map((d) => d.title), ['Uniformes 2027']);
    assert.equal((await as(t.globex.admin.token).get(`/companies/${ruiz.body.companies[0].id}`)).status, 404, 'not another workspace\'s');
    assert.equal((await viewer.post('/companies/search', { sort: 'revenue' })).status, 400);
  });
});

describe('bulk actions', () => {
  test('tag 10,000 contacts in one request, then untag and own all matching a filter', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => `Bulk ${String(i).padStart(5, '0')},bulk${i}@bulk.example`);
    const imported = await api(t.url, '/api/v1/contacts/import', {
      token: t.acme.agent.token, method: 'POST', body: `name,email\n${rows.join('\n')}\n`, headers: { 'content-type': 'text/csv' },
    });
    assert.equal(imported.body.created, 10_000, JSON.stringify(imported.body).slice(0, 300));
    const selected = (imported.body.rows as Array<{ contactId: string }>).map((row) => row.contactId);

    const tagged = await agent.post('/contacts/bulk', { selection: { ids: selected }, addTags: ['campaña-navidad'] });
    assert.equal(tagged.status, 200, JSON.stringify(tagged.body));
    assert.deepEqual(tagged.body, { matched: 10_000, updated: 10_000 });
    const withTag = (await agent.post('/contacts/search', { filter: { tags: ['campaña-navidad'] }, limit: 1 })).body as DirectoryPage;
    assert.equal(withTag.total, 10_000);

    const again = await agent.post('/contacts/bulk', { selection: { ids: selected.slice(0, 10) }, addTags: ['campaña-navidad'] });
    assert.deepEqual(again.body, { matched: 10, updated: 0 }, 'tagging twice changes nothing');

    const owned = await agent.post('/contacts/bulk', {
      selection: { filter: { query: 'bulk' }, except: [selected[0]] }, removeTags: ['campaña-navidad'], ownerId: t.acme.admin.agent.id,
    });
    assert.deepEqual(owned.body, { matched: 9_999, updated: 9_999 });
    const still = (await agent.post('/contacts/search', { filter: { tags: ['campaña-navidad'] } })).body as DirectoryPage;
    assert.deepEqual(still.contacts.map((c) => c.name), ['Bulk 00000'], 'the excepted contact keeps its tag');
    assert.equal((await agent.post('/contacts/search', { filter: { ownerId: t.acme.admin.agent.id }, limit: 1 })).body.total, 9_999);
  });

  test('bad input: a clear error and nothing changes', async () => {
    const before = (await agent.post('/contacts/search', { filter: { tags: ['nuevo'] }, limit: 1 })).body.total;
    const cases: Array<[unknown, number, RegExp]> = [
      [{ selection: { ids: [] }, addTags: ['nuevo'] }, 400, /at least one/],
      [{ selection: { ids: [id('Ana Ruiz')] } }, 400, /Say what to do/],
      [{ selection: { ids: ['ct_nobody'] }, addTags: ['nuevo'] }, 400, /No contact/],
      [{ selection: { ids: [id('Ana Ruiz')] }, addTags: ['nuevo'], ownerId: t.globex.agent.agent.id }, 400, /ownerId/],
      [{ selection: { filter: { query: 'nobody-at-all' } }, addTags: ['nuevo'] }, 400, /No contact/],
    ];
    for (const [body, status, message] of cases) {
      const res = await agent.post('/contacts/bulk', body);
      assert.equal(res.status, status, `${JSON.stringify(body)} → ${JSON.stringify(res.body)}`);
      assert.match(res.body.error.message, message, JSON.stringify(body));
    }
    assert.equal((await viewer.post('/contacts/bulk', { selection: { ids: [id('Ana Ruiz')] }, addTags: ['nuevo'] })).status, 403, 'viewers do not change contacts');
    const foreign = await as(t.globex.admin.token).post('/contacts/bulk', { selection: { ids: [id('Ana Ruiz')] }, addTags: ['nuevo'] });
    assert.equal(foreign.status, 400, 'another workspace\'s contacts are not found');
    assert.equal((await agent.post('/contacts/search', { filter: { tags: ['nuevo'] }, limit: 1 })).body.total, before, 'nobody got the tag');
  });

  test('exports the selection as CSV or JSON, audited', async () => {
    const csv = await api(t.url, '/api/v1/contacts/export', {
      token: t.acme.agent.token, method: 'POST', body: { selection: { ids: [id('Ana Ruiz'), id('Elena Vidal')] }, format: 'csv' },
    });
    assert.equal(csv.status, 200, String(csv.body));
    const lines = String(csv.body).trim().split('\n');
    assert.equal(lines.length, 3, 'a header and two contacts');
    assert.ok(lines.some((line) => line.includes('ana@ruiz-textiles.mx')), 'Ana is in it');
    const json = await api(t.url, '/api/v1/contacts/export', {
      token: t.acme.agent.token, method: 'POST', body: { selection: { filter: { tags: ['vip'] } }, format: 'json' },
    });
    assert.deepEqual((json.body as Array<{ name: string }>).map((c) => c.name).sort(), ['Ana Ruiz', 'Carla Gómez']);
    const refused = await api(t.url, '/api/v1/contacts/export', { token: t.acme.viewer.token, method: 'POST', body: { selection: { ids: [id('Ana Ruiz')] } } });
    assert.equal(refused.status, 403);
    const audit = await api(t.url, '/api/v1/audit?limit=20', { token: t.acme.admin.token });
    const actions = (audit.body.entries as Array<{ action: string; data: Record<string, unknown> }>).map((e) => `${e.action}:${e.data.contacts ?? e.data.needed ?? ''}`);
    assert.ok(actions.includes('contacts.export:2'), `export of two audited: ${actions.join(', ')}`);
    assert.ok(actions.includes('contacts.export.refused:agent'), `the refusal audited: ${actions.join(', ')}`);
  });
});
