/**
 * CSV import of 50,000 contacts through `POST /api/v1/contacts/import` on a real server with a
 * fresh database: 45,000 distinct people, 2,500 repeated within the file (another email case or
 * phone format of an earlier row), 2,500 rows matching contacts that already exist. Prints the
 * seconds from the first byte sent to the report received (budget ≤ 10 s).
 */
import assert from 'node:assert/strict';
import { api, startServer } from '../server/helpers.js';

const ROWS = 50_000;
const test = await startServer();
try {
  const token = test.acme.admin.token;
  const existing = ['name,email,phone'];
  for (let i = 0; i < 2500; i += 1) existing.push(`Cliente previo ${i},previo${i}@example.com,`);
  const seeded = await api(test.url, '/api/v1/contacts/import', { token, method: 'POST', body: `${existing.join('\n')}\n`, headers: { 'content-type': 'text/csv' } });
  assert.equal(seeded.body.created, 2500);

  const lines = ['name,email,phone,company,tags,city'];
  const phone = (i: number) => `+52 55 ${String(1000_0000 + i).slice(0, 4)} ${String(1000_0000 + i).slice(4)}`;
  for (let i = 0; i < 45_000; i += 1) lines.push(`Persona ${i},persona${i}@empresa${i % 500}.mx,${phone(i)},Empresa ${i % 500},vip;norte,Monterrey`);
  for (let i = 0; i < 2500; i += 1) lines.push(`Persona ${i},PERSONA${i}@Empresa${i % 500}.MX,,,,`);
  for (let i = 0; i < 2500; i += 1) lines.push(`Cliente previo ${i},PREVIO${i}@example.com,,,cliente,`);
  assert.equal(lines.length - 1, ROWS);
  const csv = `${lines.join('\n')}\n`;

  const started = performance.now();
  const report = await api(test.url, '/api/v1/contacts/import', { token, method: 'POST', body: csv, headers: { 'content-type': 'text/csv' } });
  const seconds = (performance.now() - started) / 1000;
  assert.equal(report.status, 200);
  assert.equal(report.body.created, 45_000);
  assert.equal(report.body.merged, 5000);
  assert.equal(report.body.rejected, 0);
  console.log(`created ${report.body.created}, merged ${report.body.merged}, rejected ${report.body.rejected}`);
  console.log(`import: ${seconds.toFixed(2)} s`);
} finally {
  await test.close();
}
