/**
 * Retention through the real server: an admin sets how long quiet contacts are kept, and the
 * periodic sweep (run here with a clock months ahead) erases or anonymizes exactly what is past
 * the limit, blanks quiet conversations of contacts still around, and records it in the audit log.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { monthsBefore, sweepRetention } from '../../server/src/privacy/retention.js';
import { api, connectAgent, request, settle, startServer, visitorWrites, type TestServer, type TestWorkspace } from './helpers.js';

let t: TestServer;

before(async () => {
  // The AI analysis stays out of the way: it would touch the conversations after the cut.
  t = await startServer({ server: { ai: { debounceMs: 3_600_000 } } });
});
after(() => t.close());

/** A webchat visitor who wrote `text`, named `name`, their conversation resolved. */
async function quietPerson(workspace: TestWorkspace, name: string, text: string) {
  const person = await visitorWrites(t, workspace, text);
  person.visitor.disconnect();
  const token = workspace.agent.token;
  assert.equal((await api(t.url, `/api/v1/contacts/${person.contactId}`, { token, method: 'PATCH', body: { name } })).status, 200, 'named');
  assert.equal((await api(t.url, `/api/v1/conversations/${person.conversationId}`, { token, method: 'PATCH', body: { status: 'resolved' } })).status, 200, 'resolved');
  return person;
}

/** A clock `months` months after `instant`, whose retention cut falls exactly at `instant`. */
function clockAfter(instant: Date, months: number): number {
  const now = new Date(instant);
  now.setUTCMonth(now.getUTCMonth() + months);
  assert.equal(monthsBefore(now.getTime(), months), instant.toISOString(), 'the cut falls at the chosen instant');
  return now.getTime();
}

const files = () => ({ mediaDir: join(t.dir, 'media'), exportsDir: join(t.dir, 'exports') });

test('admins set the policy; it is validated and audited; others are refused', async () => {
  const admin = t.acme.admin.token;
  assert.deepEqual((await api(t.url, '/api/v1/privacy/settings', { token: admin })).body, { retentionMonths: null, retentionAction: 'delete' });
  for (const body of [{ retentionMonths: 0 }, { retentionMonths: 1.5 }, { retentionAction: 'burn' }, { keep: true }]) {
    const refused = await api(t.url, '/api/v1/privacy/settings', { token: admin, method: 'PUT', body });
    assert.equal(refused.status, 400, JSON.stringify(body));
    assert.equal(refused.body.error.code, 'invalid_payload');
  }
  assert.equal((await api(t.url, '/api/v1/privacy/settings', { token: t.acme.agent.token, method: 'PUT', body: { retentionMonths: 6 } })).status, 403);
  assert.equal((await api(t.url, '/api/v1/privacy/settings', { token: t.acme.viewer.token })).status, 403);
  const saved = await api(t.url, '/api/v1/privacy/settings', { token: admin, method: 'PUT', body: { retentionMonths: 6 } });
  assert.deepEqual(saved.body, { retentionMonths: 6, retentionAction: 'delete' });
  const audit = await api(t.url, '/api/v1/audit?action=privacy.settings_update', { token: admin });
  assert.equal(audit.body.entries[0].data.retentionMonths, 6);
  // Back to keeping everything until the sweep tests set their own.
  await api(t.url, '/api/v1/privacy/settings', { token: admin, method: 'PUT', body: { retentionMonths: null } });
});

test('delete: contacts quiet past the limit are erased, recent ones and open conversations are kept; the sweep is audited', async () => {
  const admin = t.acme.admin.token;
  const old = await quietPerson(t.acme, 'Olga Antigua', 'old question about retention');
  const stillOpen = await visitorWrites(t, t.acme, 'old but still open');
  stillOpen.visitor.disconnect();
  const returning = await quietPerson(t.acme, 'Vera Vuelve', 'an old question about my order 4411');
  await settle(20);
  const cut = new Date();
  await settle(20);
  const recent = await quietPerson(t.acme, 'Rita Reciente', 'recent question');
  // Still around (edited after the cut), with an old conversation: that conversation loses its text only.
  await api(t.url, `/api/v1/contacts/${returning.contactId}`, { token: t.acme.agent.token, method: 'PATCH', body: { name: 'Vera Vuelve Hoy' } });
  await api(t.url, '/api/v1/privacy/settings', { token: admin, method: 'PUT', body: { retentionMonths: 6, retentionAction: 'delete' } });

  const result = await sweepRetention(t.server.store, files(), clockAfter(cut, 6));
  assert.equal(result.contactsErased, 1);
  assert.equal(result.conversationsBlanked, 1);
  assert.equal((await api(t.url, `/api/v1/contacts/${returning.contactId}`, { token: admin })).body.name, 'Vera Vuelve Hoy');
  const blanked = (await api(t.url, `/api/v1/conversations/${returning.conversationId}/messages`, { token: admin })).body.messages;
  assert.ok(blanked.length > 0 && blanked.every((m: any) => m.body === ''), 'the old conversation lost its text');
  assert.ok(!JSON.stringify((await api(t.url, '/api/v1/events?since=0', { token: admin })).body).includes('order 4411'), 'and so did the change log');
  assert.equal((await api(t.url, `/api/v1/contacts/${old.contactId}`, { token: admin })).status, 404);
  assert.equal((await api(t.url, `/api/v1/contacts/${recent.contactId}`, { token: admin })).body.name, 'Rita Reciente');
  assert.equal((await api(t.url, `/api/v1/contacts/${stillOpen.contactId}`, { token: admin })).status, 200, 'an open conversation keeps its contact');
  const messages = await api(t.url, `/api/v1/conversations/${recent.conversationId}/messages`, { token: admin });
  assert.equal(messages.body.messages[0].body, 'recent question');
  const sweep = await api(t.url, '/api/v1/audit?action=retention.sweep', { token: admin });
  assert.equal(sweep.body.entries[0].data.contactsErased, 1);
  assert.equal(sweep.body.entries[0].actorKind, 'system');
  const erase = await api(t.url, `/api/v1/audit?target=${old.contactId}&action=contact.erase`, { token: admin });
  assert.equal(erase.body.entries[0].data.reason, 'retention');
  // The next pass finds nothing more to do.
  assert.deepEqual(await sweepRetention(t.server.store, files(), clockAfter(cut, 6)), { contactsErased: 0, contactsAnonymized: 0, conversationsBlanked: 0 });
  await api(t.url, '/api/v1/privacy/settings', { token: admin, method: 'PUT', body: { retentionMonths: null } });
});

test('anonymize: quiet contacts keep their conversations without a name or what was said; recent ones are untouched', async () => {
  const admin = t.globex.admin.token;
  const old = await quietPerson(t.globex, 'Olivia Vieja', 'my address is Calle Falsa 123');
  await settle(20);
  const cut = new Date();
  await settle(20);
  const recent = await quietPerson(t.globex, 'Renata Nueva', 'hello again');
  await api(t.url, '/api/v1/privacy/settings', { token: admin, method: 'PUT', body: { retentionMonths: 3, retentionAction: 'anonymize' } });
  const agentSocket = await connectAgent(t.url, t.globex.agent.token);

  const result = await sweepRetention(t.server.store, files(), clockAfter(cut, 3));
  assert.equal(result.contactsAnonymized, 1);
  const contact = (await api(t.url, `/api/v1/contacts/${old.contactId}`, { token: admin })).body;
  assert.equal(contact.name, null);
  assert.deepEqual(contact.identities, []);
  const conversation = await api(t.url, `/api/v1/conversations/${old.conversationId}`, { token: admin });
  assert.equal(conversation.status, 200, 'the conversation stays for the metrics');
  const messages = (await api(t.url, `/api/v1/conversations/${old.conversationId}/messages`, { token: admin })).body.messages;
  assert.ok(messages.length > 0 && messages.every((m: any) => m.body === ''), 'what was said is gone');
  const sync = await request(agentSocket, 'sync', { since: 0 });
  assert.ok(!JSON.stringify(sync).includes('Calle Falsa'), 'the change log holds none of it');
  assert.ok(!JSON.stringify(sync).includes('Olivia'), 'nor the name');
  assert.equal((await api(t.url, `/api/v1/contacts/${recent.contactId}`, { token: admin })).body.name, 'Renata Nueva');
  const kept = (await api(t.url, `/api/v1/conversations/${recent.conversationId}/messages`, { token: admin })).body.messages;
  assert.equal(kept[0].body, 'hello again');
  const audit = await api(t.url, `/api/v1/audit?target=${old.contactId}&action=contact.anonymize`, { token: admin });
  assert.equal(audit.body.entries.length, 1);
  agentSocket.disconnect();
});
