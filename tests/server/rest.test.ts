import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ChangeEvent, Contact } from '@charla/protocol';
import {
  api, clientId, connectAgent, connectVisitor, eventually, recordEvents, request, startServer, visitorWrites,
  type TestServer,
} from './helpers.js';

let t: TestServer;
before(async () => {
  t = await startServer();
});
after(() => t.close());

describe('error shapes', () => {
  const expectError = (response: { status: number; body: any; headers: Headers }, status: number, code: string) => {
    assert.equal(response.status, status, JSON.stringify(response.body));
    assert.match(response.headers.get('content-type') ?? '', /application\/json/);
    assert.equal(response.body.error.code, code);
    assert.equal(typeof response.body.error.message, 'string');
  };

  test('401 without a token or with a wrong one', async () => {
    expectError(await api(t.url, '/api/v1/contacts'), 401, 'unauthorized');
    expectError(await api(t.url, '/api/v1/contacts', { token: 'w'.repeat(43) }), 401, 'unauthorized');
    expectError(await api(t.url, '/api/v1/contacts', { headers: { authorization: `Basic ${t.acme.admin.token}` } }), 401, 'unauthorized');
  });

  test('400 for a body that is not JSON, not an object, or of the wrong content type', async () => {
    const { conversationId } = await visitorWrites(t, t.acme);
    const path = `/api/v1/conversations/${conversationId}/messages`;
    const token = t.acme.agent.token;
    const badJson = await api(t.url, path, { token, method: 'POST', body: '{"body": "oops"', headers: { 'content-type': 'application/json' } });
    expectError(badJson, 400, 'invalid_payload');
    assert.equal(badJson.body.error.message, 'The body is not valid JSON');
    expectError(await api(t.url, path, { token, method: 'POST', body: 'body=hi', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 400, 'invalid_payload');
    expectError(await api(t.url, path, { token, method: 'POST' }), 400, 'invalid_payload');
    expectError(await api(t.url, path, { token, method: 'POST', body: [1, 2] }), 400, 'invalid_payload');
  });

  test('413 for a body over 1 MB', async () => {
    const { conversationId } = await visitorWrites(t, t.acme);
    const response = await api(t.url, `/api/v1/conversations/${conversationId}/messages`, {
      token: t.acme.agent.token, method: 'POST', body: { clientId: clientId(), body: 'x'.repeat(1_100_000) },
    });
    expectError(response, 413, 'invalid_payload');
  });

  test('400 naming the field for invalid input, also in query strings', async () => {
    const token = t.acme.admin.token;
    const { conversationId } = await visitorWrites(t, t.acme);
    const empty = await api(t.url, `/api/v1/conversations/${conversationId}/messages`, {
      token, method: 'POST', body: { clientId: clientId(), body: '' },
    });
    expectError(empty, 400, 'invalid_payload');
    assert.equal(empty.body.error.message, 'body: A message cannot be empty');
    const limit = await api(t.url, '/api/v1/conversations?limit=500', { token });
    expectError(limit, 400, 'invalid_payload');
    assert.match(limit.body.error.message, /^limit: /);
    expectError(await api(t.url, '/api/v1/conversations?limit=ten', { token }), 400, 'invalid_payload');
    expectError(await api(t.url, '/api/v1/conversations?status=closed', { token }), 400, 'invalid_payload');
    expectError(await api(t.url, '/api/v1/conversations?cursor=garbage', { token }), 400, 'invalid_payload');
    expectError(await api(t.url, '/api/v1/contacts?color=red', { token }), 400, 'invalid_payload');
    expectError(await api(t.url, '/api/v1/events', { token }), 400, 'invalid_payload');
    expectError(await api(t.url, `/api/v1/conversations/${conversationId}`, { token, method: 'PATCH', body: {} }), 400, 'invalid_payload');
  });

  test('404 for unknown ids and unknown endpoints', async () => {
    const token = t.acme.admin.token;
    expectError(await api(t.url, '/api/v1/contacts/ct_missing', { token }), 404, 'not_found');
    expectError(await api(t.url, '/api/v1/conversations/cv_missing', { token }), 404, 'not_found');
    expectError(await api(t.url, '/api/v1/conversations/cv_missing/messages', { token }), 404, 'not_found');
    expectError(await api(t.url, '/api/v1/nothing-here', { token }), 404, 'not_found');
    expectError(await api(t.url, '/api/v2/contacts'), 404, 'not_found');
  });

  test('403 for roles that may not write or delete', async () => {
    const { conversationId, contactId } = await visitorWrites(t, t.acme);
    expectError(await api(t.url, `/api/v1/contacts/${contactId}`, { token: t.acme.viewer.token, method: 'PATCH', body: { name: 'X' } }), 403, 'forbidden');
    expectError(await api(t.url, `/api/v1/conversations/${conversationId}`, { token: t.acme.viewer.token, method: 'PATCH', body: { status: 'pending' } }), 403, 'forbidden');
    expectError(await api(t.url, `/api/v1/conversations/${conversationId}/messages`, {
      token: t.acme.viewer.token, method: 'POST', body: { clientId: clientId(), body: 'hi' },
    }), 403, 'forbidden');
    expectError(await api(t.url, `/api/v1/contacts/${contactId}`, { token: t.acme.agent.token, method: 'DELETE' }), 403, 'forbidden');
  });
});

describe('contacts', () => {
  test('list, search and page through contacts', async () => {
    const token = t.globex.agent.token;
    const named: string[] = [];
    for (const name of ['Zoe 100% Real', 'Zoe Under_Score', 'Zed Plain']) {
      const { visitor } = await visitorWrites(t, t.globex, `Hi from ${name}`);
      await request(visitor, 'profile.update', { name });
      named.push(name);
    }
    const names = async (query: string) => {
      const response = await api(t.url, `/api/v1/contacts?query=${encodeURIComponent(query)}`, { token });
      assert.equal(response.status, 200);
      return response.body.contacts.map((c: Contact) => c.name).sort();
    };
    // Wildcards in the search text match themselves only.
    assert.deepEqual(await names('%'), ['Zoe 100% Real']);
    assert.deepEqual(await names('r_s'), ['Zoe Under_Score']);
    assert.deepEqual(await names('d_p'), []);
    assert.deepEqual(await names('ZOE'), ['Zoe 100% Real', 'Zoe Under_Score']);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { contacts: Contact[]; nextCursor: string | null } } = await api(
        t.url, `/api/v1/contacts?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token },
      );
      assert.equal(page.status, 200);
      assert.ok(page.body.contacts.length <= 2, 'page.body.contacts.length <= 2');
      seen.push(...page.body.contacts.map((c) => c.name ?? ''));
      cursor = page.body.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, [...named].reverse(), 'newest first, each once');
  });

  test('PATCH updates a contact and agents see it live', async () => {
    const { contactId } = await visitorWrites(t, t.acme);
    const watcher = await connectAgent(t.url, t.acme.viewer.token);
    const events = recordEvents(watcher);
    const patched = await api(t.url, `/api/v1/contacts/${contactId}`, {
      token: t.acme.agent.token, method: 'PATCH', body: { name: 'Rosa Díaz', email: 'rosa@example.com', phone: '+525598765432' },
    });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.name, 'Rosa Díaz');
    assert.equal(patched.body.phone, '+525598765432');
    const event = await eventually(() => events.find((e) => e.type === 'contact.upserted'));
    assert.deepEqual(event.type === 'contact.upserted' && event.data.contact, patched.body);
    const cleared = await api(t.url, `/api/v1/contacts/${contactId}`, { token: t.acme.agent.token, method: 'PATCH', body: { email: null } });
    assert.equal(cleared.body.email, null);
    const history = await t.server.store.audit.forTarget(t.acme.workspace.id, contactId);
    assert.deepEqual(history.map((entry) => [entry.action, entry.actorId]), [
      ['contact.update', t.acme.agent.agent.id],
      ['contact.update', t.acme.agent.agent.id],
    ]);
  });

  test('DELETE removes the contact with everything of theirs and tells every view', async () => {
    const { visitor, token: visitorToken, contactId, conversationId } = await visitorWrites(t, t.acme, 'Please forget me');
    const agent = await connectAgent(t.url, t.acme.agent.token);
    const events = recordEvents(agent);
    await request(agent, 'note.create', { contactId, body: 'Asked for deletion' });
    const { seq } = await request(agent, 'session.get', {});
    const disconnected = new Promise<string>((resolve) => visitor.on('disconnect', resolve));

    const response = await api(t.url, `/api/v1/contacts/${contactId}`, { token: t.acme.admin.token, method: 'DELETE' });
    assert.equal(response.status, 204);

    const deleted = await eventually(() => events.find((e) => e.type === 'contact.deleted'));
    assert.deepEqual(deleted.data, { contactId, conversationIds: [conversationId] });
    assert.equal(await disconnected, 'io server disconnect', 'the visitor session is closed');

    const admin = t.acme.admin.token;
    assert.equal((await api(t.url, `/api/v1/contacts/${contactId}`, { token: admin })).status, 404);
    assert.equal((await api(t.url, `/api/v1/conversations/${conversationId}`, { token: admin })).status, 404);
    assert.equal((await api(t.url, `/api/v1/conversations/${conversationId}/messages`, { token: admin })).status, 404);
    assert.equal((await api(t.url, `/api/v1/contacts/${contactId}`, { token: admin, method: 'DELETE' })).status, 404);

    const log = await api(t.url, '/api/v1/events?since=0', { token: admin });
    const mentions = log.body.events.filter((e: ChangeEvent) => JSON.stringify(e).includes(contactId));
    assert.deepEqual(mentions.map((e: ChangeEvent) => e.type), ['contact.deleted'], 'only the deletion remains in the log');
    assert.ok(log.body.events.some((e: ChangeEvent) => e.seq > seq), 'log.body.events.some((e: ChangeEvent) => e.seq > seq)');

    const back = await connectVisitor(t.url, t.acme.workspace.widgetKey, visitorToken);
    const session = await request(back, 'session.get', {});
    assert.notEqual(session.contactId, contactId, 'the old token opens nothing');
    assert.equal(session.conversation, null);
  });
});

describe('conversations over REST', () => {
  test('get, update, list messages and send like the socket does', async () => {
    const { conversationId, contactId } = await visitorWrites(t, t.acme, 'REST question');
    const token = t.acme.agent.token;
    const detail = await api(t.url, `/api/v1/conversations/${conversationId}`, { token });
    assert.equal(detail.status, 200);
    assert.equal(detail.body.contact.id, contactId);

    const sent = await api(t.url, `/api/v1/conversations/${conversationId}/messages`, {
      token, method: 'POST', body: { clientId: clientId(), body: 'REST answer' },
    });
    assert.equal(sent.status, 201);
    assert.equal(sent.body.status, 'sent');
    const updated = await api(t.url, `/api/v1/conversations/${conversationId}`, {
      token, method: 'PATCH', body: { status: 'pending', labels: ['rest'] },
    });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.status, 'pending');
    assert.deepEqual(updated.body.labels, ['rest']);

    const page = await api(t.url, `/api/v1/conversations/${conversationId}/messages?limit=2`, { token });
    assert.equal(page.status, 200);
    assert.equal(page.body.hasMore, true);
    assert.deepEqual(page.body.messages.map((m: { body: string }) => m.body), [
      'Acme Agent set status to pending',
      'Acme Agent set labels to rest',
    ]);
    const list = await api(t.url, '/api/v1/conversations?status=pending&limit=5', { token });
    assert.ok(list.body.conversations.some((c: { id: string }) => c.id === conversationId), 'list.body.conversations.some((c: { id: string }) => c.id === conversationId)');
    assert.ok(list.body.counts.pending >= 1, 'list.body.counts.pending >= 1');
  });
});
