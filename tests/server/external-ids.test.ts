import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { api, startServer, visitorWrites, type TestServer } from './helpers.js';

// A host syncing with its CRM keeps each record's id there on the contact or deal, and finds
// the record by it.
let t: TestServer;
let contactId: string;
let otherContactId: string;
before(async () => {
  t = await startServer();
  ({ contactId } = await visitorWrites(t, t.acme, 'Hola'));
  ({ contactId: otherContactId } = await visitorWrites(t, t.acme, 'Buenas'));
});
after(() => t.close());

const as = (token: string) => <T = any>(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
  api<T>(t.url, `/api/v1${path}`, { token, method: init.method ?? 'GET', ...(init.body !== undefined ? { body: init.body } : {}), ...(init.headers ? { headers: init.headers } : {}) });
const admin = () => as(t.acme.admin.token);

describe('contacts', () => {
  test('an id in another system is set over REST and finds the contact', async () => {
    const patched = await admin()(`/contacts/${contactId}`, { method: 'PATCH', body: { externalIds: { hubspot: '123', sap: 'C-0042' } } });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.deepEqual(patched.body.externalIds, { hubspot: '123', sap: 'C-0042' });
    const found = await admin()('/contacts?externalId=hubspot:123');
    assert.deepEqual(found.body.contacts.map((c: { id: string }) => c.id), [contactId]);
    assert.deepEqual(found.body.contacts[0].externalIds, { hubspot: '123', sap: 'C-0042' });
    assert.deepEqual((await admin()('/contacts?externalId=hubspot:124')).body.contacts, []);
    assert.deepEqual((await admin()('/contacts?externalId=sap:123')).body.contacts, [], 'per system');
    assert.deepEqual((await as(t.globex.admin.token)('/contacts?externalId=hubspot:123')).body.contacts, [], 'per workspace');
    assert.deepEqual((await admin()(`/contacts/${contactId}`)).body.externalIds, { hubspot: '123', sap: 'C-0042' });
  });

  test('an id another contact holds is refused and changes nothing; null removes one', async () => {
    const taken = await admin()(`/contacts/${otherContactId}`, { method: 'PATCH', body: { name: 'Otro', externalIds: { hubspot: '123' } } });
    assert.equal(taken.status, 409, JSON.stringify(taken.body));
    assert.match(taken.body.error.message, /externalIds\.hubspot: "123" already belongs to another contact/);
    const other = (await admin()(`/contacts/${otherContactId}`)).body;
    assert.equal(other.externalIds, undefined);
    assert.notEqual(other.name, 'Otro', 'the whole change was refused');
    const removed = await admin()(`/contacts/${contactId}`, { method: 'PATCH', body: { externalIds: { hubspot: null } } });
    assert.deepEqual(removed.body.externalIds, { sap: 'C-0042' });
    assert.deepEqual((await admin()('/contacts?externalId=hubspot:123')).body.contacts, []);
    const moved = await admin()(`/contacts/${otherContactId}`, { method: 'PATCH', body: { externalIds: { hubspot: '123' } } });
    assert.equal(moved.status, 200, 'a freed id may be given to another contact');
  });

  test('bad ids and bad lookups are a clear 400; viewers cannot set them', async () => {
    for (const externalIds of [{ 'Hub Spot': '1' }, { hubspot: '' }, { hubspot: 'x'.repeat(201) }, { hubspot: 12 }, Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`s${i}`, '1']))]) {
      const answer = await admin()(`/contacts/${contactId}`, { method: 'PATCH', body: { externalIds } });
      assert.equal(answer.status, 400, JSON.stringify(externalIds));
      assert.match(answer.body.error.message, /externalIds/);
    }
    for (const query of ['hubspot', ':123', 'hubspot:', 'Hub Spot:1']) {
      const answer = await admin()(`/contacts?externalId=${encodeURIComponent(query)}`);
      assert.equal(answer.status, 400, query);
      assert.match(answer.body.error.message, /system:id/);
    }
    const viewer = await as(t.acme.viewer.token)(`/contacts/${contactId}`, { method: 'PATCH', body: { externalIds: { erp: '1' } } });
    assert.equal(viewer.status, 403);
  });

  test('a merge moves the merged contact\'s ids onto the survivor; where both have one, the survivor\'s stays and the other is an attribute; an undo gives them back', async () => {
    const { contactId: survivorId } = await visitorWrites(t, t.acme, 'Soy Ana');
    const { contactId: mergedId } = await visitorWrites(t, t.acme, 'Soy Ana otra vez');
    await admin()(`/contacts/${mergedId}`, { method: 'PATCH', body: { name: 'Ana B', externalIds: { hubspot: 'B-1', sap: 'S-77' } } });
    await admin()(`/contacts/${survivorId}`, { method: 'PATCH', body: { externalIds: { hubspot: 'A-1' } } });
    const preview = await admin()(`/contacts/${survivorId}/merge?dryRun=1`, { method: 'POST', body: { mergeId: mergedId } });
    assert.ok(preview.body.conflicts.some((c: { field: string; keptAs: string }) => c.field === 'externalIds.hubspot' && c.keptAs === 'hubspot id (Ana B)'), JSON.stringify(preview.body));
    const merged = await admin()(`/contacts/${survivorId}/merge`, { method: 'POST', body: { mergeId: mergedId } });
    assert.equal(merged.status, 200, JSON.stringify(merged.body));
    assert.deepEqual(merged.body.externalIds, { hubspot: 'A-1', sap: 'S-77' }, 'the survivor gains the system it had no id in');
    assert.equal(merged.body.attributes['hubspot id (Ana B)'], 'B-1', 'the conflicting id is kept as an attribute');
    assert.deepEqual((await admin()('/contacts?externalId=sap:S-77')).body.contacts.map((c: { id: string }) => c.id), [survivorId]);
    assert.deepEqual((await admin()('/contacts?externalId=hubspot:A-1')).body.contacts.map((c: { id: string }) => c.id), [survivorId]);
    assert.deepEqual((await admin()('/contacts?externalId=hubspot:B-1')).body.contacts, [], 'the losing id finds no contact');

    const undone = await admin()(`/contacts/${survivorId}/unmerge`, { method: 'POST', body: { mergeId: merged.body.merge.id } });
    assert.equal(undone.status, 200, JSON.stringify(undone.body));
    assert.deepEqual((await admin()(`/contacts/${survivorId}`)).body.externalIds, { hubspot: 'A-1' });
    assert.deepEqual((await admin()(`/contacts/${mergedId}`)).body.externalIds, { hubspot: 'B-1', sap: 'S-77' });
    assert.deepEqual((await admin()('/contacts?externalId=sap:S-77')).body.contacts.map((c: { id: string }) => c.id), [mergedId]);
    assert.deepEqual((await admin()('/contacts?externalId=hubspot:B-1')).body.contacts.map((c: { id: string }) => c.id), [mergedId]);
  });

  test('an import sets them with external_id:SYSTEM columns, and a later row with the same id updates that contact', async () => {
    const csv = (text: string) => admin()('/contacts/import', { method: 'POST', body: text, headers: { 'content-type': 'text/csv' } });
    const first = await csv('name,email,external_id:hubspot,plan\nLuisa Pérez,luisa@tienda.test,501,Pro\nSin Nombre,,,\n');
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const luisa = first.body.rows[0].contactId;
    const found = (await admin()('/contacts?externalId=hubspot:501')).body.contacts;
    assert.deepEqual(found.map((c: { id: string }) => c.id), [luisa]);
    assert.deepEqual(found[0].attributes, { plan: 'Pro' }, 'the id is no attribute');
    const sync = await csv('name,phone,external_id:hubspot,external_id:sap\nLuisa P.,+52 55 1234 0001,501,S-9\n');
    assert.equal(sync.body.rows[0].outcome, 'merged', JSON.stringify(sync.body.rows));
    assert.equal(sync.body.rows[0].contactId, luisa, 'the CRM id names the contact');
    assert.deepEqual((await admin()(`/contacts/${luisa}`)).body.externalIds, { hubspot: '501', sap: 'S-9' });
    const bad = await csv('name,external_id:Bad Name\nAlguien,7\n');
    assert.equal(bad.body.rows[0].outcome, 'rejected');
    assert.match(bad.body.rows[0].reason, /external_id:bad name/);
  });
});

describe('deals', () => {
  let pipelineId: string;
  before(async () => {
    pipelineId = (await admin()('/pipelines', { method: 'POST', body: { name: 'CRM', stages: [{ name: 'Nuevo' }] } })).body.id;
  });

  test('a deal is created and changed with its ids, found by one, and an id is one deal\'s only', async () => {
    const created = await admin()('/deals', { method: 'POST', body: { pipelineId, title: 'Pedido', amount: 10, currency: 'MXN', externalIds: { hubspot: '9001' } } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(created.body.externalIds, { hubspot: '9001' });
    const found = await admin()('/deals?externalId=hubspot:9001');
    assert.deepEqual(found.body.deals.map((d: { id: string }) => d.id), [created.body.id]);
    const patched = await admin()(`/deals/${created.body.id}`, { method: 'PATCH', body: { externalIds: { sap: 'D-1' } } });
    assert.deepEqual(patched.body.externalIds, { hubspot: '9001', sap: 'D-1' });
    const before = (await admin()(`/deals?pipelineId=${pipelineId}`)).body.deals.length;
    const duplicate = await admin()('/deals', { method: 'POST', body: { pipelineId, title: 'Otro', amount: 1, currency: 'MXN', externalIds: { hubspot: '9001' } } });
    assert.equal(duplicate.status, 409);
    assert.equal((await admin()(`/deals?pipelineId=${pipelineId}`)).body.deals.length, before, 'no deal was created');
    assert.deepEqual((await as(t.globex.admin.token)('/deals?externalId=hubspot:9001')).body.deals, []);
  });
});

describe('companies', () => {
  test('an agent sets a company\'s ids; it is found by one; an id is one company\'s only', async () => {
    const csv = 'name,email\nMarta Ruiz,marta@ferreteria-ruiz.test\nJuan Paz,juan@papeleria-paz.test\n';
    assert.equal((await admin()('/contacts/import', { method: 'POST', body: csv, headers: { 'content-type': 'text/csv' } })).status, 200);
    const companies = (await admin()('/companies')).body.companies as Array<{ id: string; domain: string }>;
    const ruiz = companies.find((c) => c.domain === 'ferreteria-ruiz.test')!.id;
    const paz = companies.find((c) => c.domain === 'papeleria-paz.test')!.id;
    const patched = await as(t.acme.agent.token)(`/companies/${ruiz}`, { method: 'PATCH', body: { externalIds: { hubspot: '77' } } });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.deepEqual(patched.body.externalIds, { hubspot: '77' });
    const found = (await admin()('/companies?externalId=hubspot:77')).body.companies;
    assert.deepEqual(found.map((c: { id: string }) => c.id), [ruiz]);
    assert.deepEqual(found[0].externalIds, { hubspot: '77' });
    assert.equal((await admin()(`/companies/${paz}`, { method: 'PATCH', body: { externalIds: { hubspot: '77' } } })).status, 409);
    assert.equal((await as(t.acme.viewer.token)(`/companies/${ruiz}`, { method: 'PATCH', body: { externalIds: { erp: '1' } } })).status, 403);
    assert.equal((await as(t.globex.admin.token)(`/companies/${ruiz}`, { method: 'PATCH', body: { externalIds: { erp: '1' } } })).status, 404);
    assert.equal((await admin()(`/companies/${ruiz}`, { method: 'PATCH', body: { name: 'x' } })).status, 400);
  });
});
