import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { api, startServer, type TestServer } from './helpers.js';

let t: TestServer;
before(async () => {
  t = await startServer();
});
after(() => t.close());

const importCsv = (csv: string, token = t.acme.agent.token, type = 'text/csv') =>
  api(t.url, '/api/v1/contacts/import', { token, method: 'POST', body: csv, headers: { 'content-type': type } });

test('imports a CSV with a per-row report: created, merged within the file and with existing contacts, rejected with reasons', async () => {
  const csv = [
    'Name,Email,Phone,Company,Tags,Segment',
    'Ana Torres,ana@torres.mx,+52 55 1111 2222,Torres SA,vip;norte,retail',
    'Beto,BETO@gmail.com,,,,',
    'Ana T.,ANA@TORRES.MX,,,nuevo,',
    'Sin datos,,,,,',
    ',not-an-email,,,,',
    'Telefono raro,,12345,,,',
    ',,,,,',
    'Ana otra vez,,5215511112222,,,',
    '"Díaz, Carla",carla@diaz.com.br,+55 11 98765-4321,,,"mayoreo, sur"',
  ].join('\n');
  const { status, body } = await importCsv(csv);
  assert.equal(status, 200);
  assert.deepEqual(
    body.rows.map((r: any) => [r.row, r.outcome]),
    [[1, 'created'], [2, 'created'], [3, 'merged'], [4, 'created'], [5, 'rejected'], [6, 'rejected'], [7, 'rejected'], [8, 'merged'], [9, 'created']],
  );
  assert.equal(body.created, 4);
  assert.equal(body.merged, 2);
  assert.equal(body.rejected, 3);
  assert.match(body.rows[4].reason, /^email: "not-an-email" is not a valid address/);
  assert.match(body.rows[5].reason, /^phone: "12345"/);
  assert.equal(body.rows[2].contactId, body.rows[0].contactId);
  assert.equal(body.rows[6].reason, 'the row has no name, email or phone');
  assert.equal(body.rows[7].contactId, body.rows[0].contactId, 'the WhatsApp form of the same Mexican number');

  const again = await importCsv('name,email\nAna,ana@torres.mx\n');
  assert.equal(again.body.rows[0].outcome, 'merged');
  assert.equal(again.body.rows[0].reason, 'same email as an existing contact');

  const [ana] = (await api(t.url, '/api/v1/contacts?query=ana@torres.mx', { token: t.acme.agent.token })).body.contacts;
  assert.equal(ana.name, 'Ana Torres', 'the first values stay');
  assert.equal(ana.phone, '+525511112222');
  assert.ok(ana.companyId, 'ana.companyId');
});

test('refuses viewers and bodies that are not CSV', async () => {
  assert.equal((await importCsv('name\nX\n', t.acme.viewer.token)).status, 403);
  const json = await importCsv('{"name":"X"}', t.acme.agent.token, 'application/json');
  assert.equal(json.status, 400);
  assert.equal(json.body.error.code, 'invalid_payload');
});

test('exports every contact as CSV and JSON, tags and attributes included, and nothing of other workspaces', async () => {
  await importCsv('name,email,tags,tier\n=HYPERLINK("x"),eva@export.mx,a;b,gold\n', t.acme.admin.token);
  await api(t.url, '/api/v1/contacts/import', { token: t.globex.admin.token, method: 'POST', body: 'name,email\nGlobex Only,g@globex.test\n', headers: { 'content-type': 'text/csv' } });

  const csv = await fetch(`${t.url}/api/v1/contacts/export?format=csv`, { headers: { authorization: `Bearer ${t.acme.agent.token}` } });
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
  const rows = parse(await csv.text(), { columns: true }) as Array<Record<string, string>>;
  const eva = rows.find((r) => r.email === 'eva@export.mx');
  assert.equal(eva?.name, `'=HYPERLINK("x")`, 'a formula is exported as text');
  assert.equal(eva?.tags, 'a;b');
  assert.ok(rows.some((r) => r.name === 'Díaz, Carla'), "rows.some((r) => r.name === 'Díaz, Carla')");
  assert.ok(!rows.some((r) => r.email === 'g@globex.test'), "!rows.some((r) => r.email === 'g@globex.test')");

  const json = await api(t.url, '/api/v1/contacts/export?format=json', { token: t.acme.agent.token });
  assert.equal(json.status, 200);
  const evaJson = json.body.find((c: any) => c.email === 'eva@export.mx');
  assert.deepEqual(evaJson.attributes, { tier: 'gold' });
  assert.equal(json.body.length, rows.length);

  assert.equal((await api(t.url, '/api/v1/contacts/export?format=xml', { token: t.acme.agent.token })).status, 400);
  assert.equal((await api(t.url, '/api/v1/contacts/export?format=csv', { token: t.acme.viewer.token })).status, 403, 'viewers never export');
});
