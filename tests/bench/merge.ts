/**
 * Merge of a contact with 10,000 messages through `POST /api/v1/contacts/:id/merge` on a real
 * server: the history arrives as signed WhatsApp webhooks (100 messages each); the other contact
 * is a webchat customer an agent described, so fields, tags and attributes conflict too. Prints
 * the milliseconds from the request sent to the answer received (budget ≤ 1 s), after an undo of
 * the same merge (its time on the line before).
 */
import assert from 'node:assert/strict';
import { postWebhook, startChannelTest, waMessages } from '../support/channels.js';
import { api, connectAgent, request, visitorWrites } from '../server/helpers.js';

const MESSAGES = 10_000;
const PER_WEBHOOK = 100;

const kit = await startChannelTest({ server: { ai: { debounceMs: 60_000 } } });
try {
  const { url } = kit.test;
  const token = kit.test.acme.agent.token;
  let sent = 0;
  for (let batch = 0; sent < MESSAGES; batch += 1) {
    const messages = Array.from({ length: PER_WEBHOOK }, (_, i) => ({ type: 'text', text: { body: `Mensaje ${batch * PER_WEBHOOK + i}` } }));
    const delivered = await postWebhook(url, 'whatsapp', waMessages('5215512340000', 'Gaby ☕', messages));
    assert.equal(delivered.status, 200);
    sent += PER_WEBHOOK;
  }
  const found = await api(url, '/api/v1/contacts?query=5215512340000', { token });
  const busy = found.body.contacts[0].id as string;

  const agent = await connectAgent(url, token);
  const known = await visitorWrites(kit.test, kit.test.acme, 'Hola, soy Gabriela');
  await request(agent, 'contact.update', { contactId: known.contactId, patch: { name: 'Gabriela Ruiz', tags: ['vip'], attributes: { plan: 'Pro' } } });
  const preview = await api(url, `/api/v1/contacts/${known.contactId}/merge?dryRun=1`, { token, method: 'POST', body: { mergeId: busy } });
  assert.equal(preview.body.moves.messages, MESSAGES);

  const time = async (path: string, body: Record<string, unknown>) => {
    const started = performance.now();
    const response = await api(url, path, { token, method: 'POST', body });
    const ms = performance.now() - started;
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return { ms, body: response.body };
  };
  const first = await time(`/api/v1/contacts/${known.contactId}/merge`, { mergeId: busy });
  const undo = await time(`/api/v1/contacts/${known.contactId}/unmerge`, { mergeId: first.body.merge.id });
  const merge = await time(`/api/v1/contacts/${known.contactId}/merge`, { mergeId: busy });
  assert.equal(merge.body.name, 'Gabriela Ruiz');
  agent.disconnect();
  console.log(`${MESSAGES} messages moved; first merge ${first.ms.toFixed(0)} ms, undo ${undo.ms.toFixed(0)} ms`);
  console.log(`merge: ${merge.ms.toFixed(0)} ms`);
} finally {
  await kit.close();
}
