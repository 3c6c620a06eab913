/**
 * Broadcast send throughput on SQLite, one process: 2,000 recipients with the pace set to the
 * most Charla allows (1,000 messages/s), against the fake Graph API on loopback. Prints how long
 * the whole broadcast took and the sends per second the send path sustained (its ceiling: each
 * recipient is marked `sending` in its own commit before the request, and `sent` after it).
 */
import { api } from '../server/helpers.js';
import { startChannelTest } from '../support/channels.js';

const RECIPIENTS = 2000;
const c = await startChannelTest();
try {
  const { url } = c.test;
  const admin = c.test.acme.admin.token;
  await api(url, '/api/v1/channels/whatsapp/templates/sync', { token: admin, method: 'POST' });
  const rows = Array.from({ length: RECIPIENTS }, (_, i) => `Bench${i},+57305${String(5_000_000 + i).padStart(7, '0')},,bench`);
  await api(url, '/api/v1/contacts/import', { token: admin, method: 'POST', body: ['name,phone,email,tags', ...rows].join('\n'), headers: { 'content-type': 'text/csv' } });
  await api(url, '/api/v1/broadcasts/settings', { token: admin, method: 'PUT', body: { tier: 'TIER_UNLIMITED', messagesPerSecond: 1000 } });
  const started = performance.now();
  const created = await api(url, '/api/v1/broadcasts', {
    token: admin, method: 'POST',
    body: { name: 'Bench', template: { name: 'order_update', language: 'es_MX' }, parameters: [{ field: 'firstName' }, { text: 'B-1' }], audience: { filter: { tags: ['bench'] } } },
  });
  if (created.status !== 201) throw new Error(`The broadcast was refused: ${JSON.stringify(created.body)}`);
  const createdMs = performance.now() - started;
  // Looked at five times a second, so the bench does not compete with what it measures.
  while ((await api(url, `/api/v1/broadcasts/${created.body.id}`, { token: admin })).body.state !== 'done') await new Promise((resolve) => setTimeout(resolve, 200));
  const seconds = (performance.now() - started) / 1000;
  const sent = c.graph.sent('/messages').filter((r) => r.body?.type === 'template').length;
  console.log(`created (audience of ${RECIPIENTS} read, recipients stored): ${createdMs.toFixed(0)} ms`);
  console.log(`${sent} sent in ${seconds.toFixed(1)} s`);
  console.log(`broadcasts: ${(sent / seconds).toFixed(0)} sends/s`);
} finally {
  await c.close();
}
