import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { api, openDatabase, startServer, type TestServer } from './helpers.js';

// A host's server retrying a POST whose answer it never got sends the same Idempotency-Key and
// gets the first answer again, instead of a second deal or task.
let t: TestServer;
let pipelineId: string;
before(async () => {
  t = await startServer();
  const pipeline = await api(t.url, '/api/v1/pipelines', { token: t.acme.admin.token, method: 'POST', body: { name: 'Ventas', stages: [{ name: 'Nuevo' }] } });
  pipelineId = pipeline.body.id;
});
after(() => t.close());

const post = (path: string, body: unknown, key?: string, token = t.acme.admin.token) =>
  api(t.url, `/api/v1${path}`, { token, method: 'POST', body, headers: key === undefined ? {} : { 'idempotency-key': key } });
const dealCount = async (token = t.acme.admin.token) => (await api(t.url, `/api/v1/deals?pipelineId=${pipelineId}&limit=200`, { token })).body.deals?.length;

describe('Idempotency-Key on REST POSTs', () => {
  test('the same key answers the first answer again, and creates nothing more', async () => {
    const deal = { pipelineId, title: 'Pedido 1042', amount: 1500, currency: 'MXN' };
    const first = await post('/deals', deal, 'order-1042');
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.headers.get('idempotent-replayed'), null);
    const again = await post('/deals', deal, 'order-1042');
    assert.equal(again.status, 201);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(again.body, first.body, 'the very same answer');
    assert.equal(await dealCount(), 1);
    const other = await post('/deals', deal, 'order-1043');
    assert.notEqual(other.body.id, first.body.id, 'another key is another request');
    const without = await post('/deals', deal);
    assert.notEqual(without.body.id, first.body.id);
    assert.equal(await dealCount(), 3);
  });

  test('a refusal is kept too: the retry gets the same 400', async () => {
    const first = await post('/tasks', { title: '' }, 'task-empty');
    assert.equal(first.status, 400);
    const again = await post('/tasks', { title: '' }, 'task-empty');
    assert.equal(again.status, 400);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(again.body, first.body);
  });

  test('a key reused for another request is refused and changes nothing; keys are per workspace', async () => {
    await post('/tasks', { title: 'Llamar a Ana' }, 'shared-key');
    const otherPath = await post('/deals', { pipelineId, title: 'X', amount: 1, currency: 'MXN' }, 'shared-key');
    assert.equal(otherPath.status, 400);
    assert.match(otherPath.body.error.message, /used for another request/);
    const otherBody = await post('/tasks', { title: 'Llamar a Ana y a Luis' }, 'shared-key');
    assert.equal(otherBody.status, 400, 'another body (of another length)');
    const globex = await post('/tasks', { title: 'Llamar a Ana' }, 'shared-key', t.globex.admin.token);
    assert.equal(globex.status, 201, 'another workspace has its own keys');
    assert.equal(globex.headers.get('idempotent-replayed'), null);
    const tasks = (await api(t.url, '/api/v1/tasks', { token: t.acme.admin.token })).body;
    assert.equal(tasks.filter((task: { title: string }) => task.title.startsWith('Llamar a Ana')).length, 1);
  });

  test('a body of the same length but other bytes is another request; the body still reaches the route', async () => {
    const first = await post('/tasks', { title: 'Llamar a Eva' }, 'same-length');
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.title, 'Llamar a Eva', 'the route read the body the key was checked on');
    const sameLength = await post('/tasks', { title: 'Llamar a Ema' }, 'same-length');
    assert.equal(sameLength.status, 400, 'same length, other SHA-256');
    assert.match(sameLength.body.error.message, /used for another request/);
    const again = await post('/tasks', { title: 'Llamar a Eva' }, 'same-length');
    assert.equal(again.headers.get('idempotent-replayed'), 'true', 'the same bytes are the same request');
    const tasks = (await api(t.url, '/api/v1/tasks', { token: t.acme.admin.token })).body;
    assert.equal(tasks.filter((task: { title: string }) => task.title.startsWith('Llamar a E')).length, 1, 'one task only');
  });

  test('a CSV import with a key is read whole by the importer and replayed after', async () => {
    const csv = 'name,email\nRosa Vega,rosa.idem@example.com\n';
    const send = () => fetch(`${t.url}/api/v1/contacts/import`, {
      method: 'POST', body: csv, headers: { authorization: `Bearer ${t.acme.admin.token}`, 'content-type': 'text/csv', 'idempotency-key': 'import-1' },
    });
    const first = await send();
    const firstBody = await first.json();
    assert.equal(first.status, 200, JSON.stringify(firstBody));
    const again = await send();
    assert.equal(again.headers.get('idempotent-replayed'), 'true', 'the retry is answered from the first answer');
    assert.deepEqual(await again.json(), firstBody);
    const found = (await api(t.url, '/api/v1/contacts?query=rosa.idem', { token: t.acme.admin.token })).body;
    assert.equal(found.contacts.length, 1, JSON.stringify(found));
  });

  test('two requests with one key at once make one deal', async () => {
    const deal = { pipelineId, title: 'Pedido doble', amount: 10, currency: 'MXN' };
    const before = await dealCount();
    const answers = await Promise.all([post('/deals', deal, 'race-1'), post('/deals', deal, 'race-1'), post('/deals', deal, 'race-1')]);
    assert.equal(await dealCount(), before + 1);
    const created = answers.filter((a) => a.status === 201);
    assert.ok(created.length >= 1, JSON.stringify(answers.map((a) => a.status)));
    assert.ok(created.every((a) => a.body.id === created[0]!.body.id), 'every 201 names the one deal');
    assert.ok(answers.every((a) => a.status === 201 || a.status === 409), JSON.stringify(answers.map((a) => a.status)));
  });

  test('a key expires after 24 hours; a malformed key is a clear 400', async () => {
    const deal = { pipelineId, title: 'Pedido viejo', amount: 5, currency: 'MXN' };
    const first = await post('/deals', deal, 'old-key');
    const db = await openDatabase(t.dbPath);
    await db.run('UPDATE idempotency_keys SET created_at = ? WHERE idempotency_key = ?', [new Date(Date.now() - 25 * 3600_000).toISOString(), 'old-key']);
    await db.close();
    const later = await post('/deals', deal, 'old-key');
    assert.equal(later.status, 201);
    assert.equal(later.headers.get('idempotent-replayed'), null);
    assert.notEqual(later.body.id, first.body.id);
    for (const key of ['', 'x'.repeat(256), 'ñandú', 'with space']) {
      const bad = await post('/deals', deal, key);
      assert.equal(bad.status, 400, JSON.stringify(key));
      assert.match(bad.body.error.message, /Idempotency-Key/);
    }
  });
});
