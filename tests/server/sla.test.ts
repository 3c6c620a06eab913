import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AgentSession, ChangeEvent, ConversationDetail, ConversationPage, MessagePage } from '@charla/protocol';
import type { Socket } from 'socket.io-client';
import { BusinessCalendar, slaCalendar, slaDueAt } from '@charla/protocol';
import { recordBreaches } from '../../server/src/routing/routing.js';
import { afterMessage, newContact, newConversation, newMessage } from '../../server/src/services/entities.js';
import { api, clientId, connectAgent, eventually, recordEvents, request, startServer, type TestServer } from './helpers.js';

let t: TestServer;
let agent: Socket;

/** A customer who wrote `minutesAgo` minutes ago and is still waiting. */
async function waitingFor(name: string, minutesAgo: number): Promise<string> {
  const at = new Date(Date.now() - minutesAgo * 60_000).toISOString();
  const contact = newContact({ workspaceId: t.acme.workspace.id, name, identities: [{ channel: 'whatsapp', handle: `h-${name}` }], createdAt: at });
  let conversation = newConversation({ workspaceId: contact.workspaceId, contactId: contact.id, channel: 'whatsapp', status: 'open', createdAt: at });
  await t.server.store.transaction(async (scope) => {
    await scope.contacts.insert(contact);
    await scope.conversations.insert(conversation);
    const message = newMessage({ workspaceId: contact.workspaceId, conversationId: conversation.id, direction: 'in', senderKind: 'contact', body: `Hola, soy ${name}`, createdAt: at });
    await scope.messages.insert(message);
    conversation = afterMessage(conversation, message);
    await scope.conversations.save(conversation);
  });
  return conversation.id;
}

before(async () => {
  t = await startServer();
  agent = await connectAgent(t.url, t.acme.admin.token);
  const saved = await api(t.url, '/api/v1/workspace/routing', {
    token: t.acme.admin.token, method: 'PATCH', body: { sla: { firstResponseMinutes: 30, nextResponseMinutes: 60 } },
  });
  assert.equal(saved.status, 200);
});
after(() => t.close());

describe('service-level targets', () => {
  test('the session carries the targets for the clocks', async () => {
    const session: AgentSession = await request(agent, 'session.get', {});
    assert.deepEqual(session.sla, { firstResponseMinutes: 30, nextResponseMinutes: 60, resolutionMinutes: null, businessHours: false });
    assert.equal(session.hours, null, 'wall-clock targets need no weekly hours');
  });

  test('"breaching soon" lists waits due within 15 minutes or overdue', async () => {
    const soon = await waitingFor('Pronto', 20);
    const late = await waitingFor('Tarde', 45);
    await waitingFor('Reciente', 5);
    const page: ConversationPage = await request(agent, 'conversations.list', { status: 'all', sla: 'breaching' });
    assert.deepEqual(new Set(page.conversations.map((c) => c.id)), new Set([soon, late]));
  });

  test('a breach is recorded once, in the thread and live; the reply that ends the wait clears it', async () => {
    const id = await waitingFor('Rosa', 1);
    const events = recordEvents(agent);
    assert.equal(await recordBreaches(t.server.store, Date.now() + 5 * 60_000), 1, 'only the 45-minute wait of before');
    const breached = await recordBreaches(t.server.store, Date.now() + 40 * 60_000);
    assert.ok(breached >= 1, 'breached >= 1');
    await eventually(() =>
      events.find((e: ChangeEvent) => e.type === 'conversation.upserted' && e.data.conversation.id === id && e.data.conversation.slaBreachedAt),
    );
    const page: MessagePage = await request(agent, 'messages.list', { conversationId: id });
    assert.equal(page.messages.at(-1)!.body, 'First response SLA breached (target 30 min)');
    assert.equal(await recordBreaches(t.server.store, Date.now() + 50 * 60_000), 0, 'once per wait');

    await request(agent, 'message.send', { conversationId: id, clientId: clientId(), body: 'Perdón la demora, ya te ayudo' });
    const detail: ConversationDetail = await request(agent, 'conversation.get', { conversationId: id });
    assert.equal(detail.conversation.slaBreachedAt ?? null, null);
  });

  test('a resolution target breaches unresolved conversations by their start, once, and the filter lists them', async () => {
    const saved = await api(t.url, '/api/v1/workspace/routing', {
      token: t.acme.admin.token, method: 'PATCH', body: { sla: { firstResponseMinutes: null, nextResponseMinutes: null, resolutionMinutes: 240 } },
    });
    assert.equal(saved.status, 200);
    const old = await waitingFor('Antigua', 230);
    const done = await waitingFor('Resuelta', 300);
    await request(agent, 'conversation.update', { conversationId: done, status: 'resolved' });
    const page: ConversationPage = await request(agent, 'conversations.list', { status: 'all', sla: 'breaching' });
    assert.ok(page.conversations.some((c) => c.id === old), 'due within 15 minutes');
    assert.ok(!page.conversations.some((c) => c.id === done), 'a resolved conversation has no clock');

    assert.equal(await recordBreaches(t.server.store, Date.now() + 5 * 60_000), 0);
    assert.equal(await recordBreaches(t.server.store, Date.now() + 11 * 60_000), 1);
    const detail: ConversationDetail = await request(agent, 'conversation.get', { conversationId: old });
    assert.ok(detail.conversation.resolutionBreachedAt, 'detail.conversation.resolutionBreachedAt');
    const lines: MessagePage = await request(agent, 'messages.list', { conversationId: old });
    assert.equal(lines.messages.at(-1)!.body, 'Resolution SLA breached (target 240 min)');
    assert.equal(await recordBreaches(t.server.store, Date.now() + 60 * 60_000), 0, 'once per conversation');
    await api(t.url, '/api/v1/workspace/routing', {
      token: t.acme.admin.token, method: 'PATCH', body: { sla: { firstResponseMinutes: 30, nextResponseMinutes: 60 } },
    });
  });

  test('agents hear when the targets or the weekly hours change, so clocks follow without a reload', async () => {
    const events = recordEvents(agent);
    const saved = await api(t.url, '/api/v1/workspace/routing', {
      token: t.acme.admin.token, method: 'PATCH', body: { sla: { firstResponseMinutes: 20, nextResponseMinutes: 60, businessHours: true } },
    });
    assert.equal(saved.status, 200);
    const changed = await eventually(() => events.find((e: ChangeEvent) => e.type === 'service_levels.changed'), 3000, 'service levels');
    assert.deepEqual(changed.data, {
      sla: { firstResponseMinutes: 20, nextResponseMinutes: 60, resolutionMinutes: null, businessHours: true },
      hours: { timezone: 'UTC', periods: null },
    });
    await api(t.url, '/api/v1/workspace/widget', {
      token: t.acme.admin.token, method: 'PATCH', body: { timezone: 'America/Lima', businessHours: [{ day: 1, open: '09:00', close: '18:00' }] },
    });
    await eventually(() => events.some((e: ChangeEvent) => e.type === 'service_levels.changed' && e.data.hours?.timezone === 'America/Lima'), 3000, 'the new hours');
    const session: AgentSession = await request(agent, 'session.get', {});
    assert.deepEqual(session.hours, { timezone: 'America/Lima', periods: [{ day: 1, open: '09:00', close: '18:00' }] });
    await api(t.url, '/api/v1/workspace/widget', { token: t.acme.admin.token, method: 'PATCH', body: { timezone: 'UTC', businessHours: null } });
    await api(t.url, '/api/v1/workspace/routing', {
      token: t.acme.admin.token, method: 'PATCH', body: { sla: { firstResponseMinutes: 30, nextResponseMinutes: 60 } },
    });
  });

  test('targets are validated', async () => {
    const bad = await api(t.url, '/api/v1/workspace/routing', { token: t.acme.admin.token, method: 'PATCH', body: { sla: { firstResponseMinutes: 0, nextResponseMinutes: null } } });
    assert.equal(bad.status, 400);
  });
});

describe('business hours across a weekend', () => {
  // Mexico City (UTC−6 all year), open Monday to Friday 09:00–18:00.
  const WEEK = [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '18:00' }));
  const FRIDAY_1730 = '2026-05-15T23:30:00.000Z';
  const MONDAY_0900 = Date.parse('2026-05-18T15:00:00.000Z');
  const MONDAY_1000 = '2026-05-18T16:00:00.000Z';
  let globex: Socket;
  let waiting: string;

  /** A Globex conversation with its messages at given instants. */
  async function history(name: string, lines: Array<[at: string, from: 'contact' | 'agent', body: string]>): Promise<string> {
    const ws = t.globex.workspace.id;
    const contact = newContact({ workspaceId: ws, name, identities: [{ channel: 'whatsapp', handle: `g-${name}` }], createdAt: lines[0]![0] });
    let conversation = newConversation({ workspaceId: ws, contactId: contact.id, channel: 'whatsapp', status: 'open', createdAt: lines[0]![0] });
    await t.server.store.transaction(async (scope) => {
      await scope.contacts.insert(contact);
      await scope.conversations.insert(conversation);
      for (const [at, from, body] of lines) {
        const message = newMessage({
          workspaceId: ws, conversationId: conversation.id, direction: from === 'contact' ? 'in' : 'out', senderKind: from,
          senderId: from === 'agent' ? t.globex.agent.agent.id : null, body, createdAt: at,
        });
        await scope.messages.insert(message);
        conversation = afterMessage(conversation, message);
      }
      await scope.conversations.save(conversation);
    });
    return conversation.id;
  }

  before(async () => {
    globex = await connectAgent(t.url, t.globex.admin.token);
    const widget = await api(t.url, '/api/v1/workspace/widget', {
      token: t.globex.admin.token, method: 'PATCH', body: { timezone: 'America/Mexico_City', businessHours: WEEK },
    });
    assert.equal(widget.status, 200, JSON.stringify(widget.body));
    const saved = await api(t.url, '/api/v1/workspace/routing', {
      token: t.globex.admin.token, method: 'PATCH', body: { sla: { firstResponseMinutes: 60, nextResponseMinutes: null, businessHours: true } },
    });
    assert.equal(saved.status, 200);
    waiting = await history('Viernes', [[FRIDAY_1730, 'contact', '¿Me mandan la cotización?']]);
  });

  test('a first response target of 60 business minutes, asked Friday 17:30, is due Monday 09:30 — not during the weekend', async () => {
    assert.equal(await recordBreaches(t.server.store, Date.parse('2026-05-16T18:00:00Z')), 0, 'Saturday: 30 business minutes used');
    assert.equal(await recordBreaches(t.server.store, MONDAY_0900), 0, 'Monday 09:00: still 30 minutes left');
    assert.equal(await recordBreaches(t.server.store, MONDAY_0900 + 31 * 60_000), 1, 'Monday 09:31: breached');
    const lines: MessagePage = await request(globex, 'messages.list', { conversationId: waiting });
    assert.equal(lines.messages.at(-1)!.body, 'First response SLA breached (target 60 min in business hours)');
  });

  test('the session carries the weekly hours, and the clock the views show agrees', async () => {
    const session: AgentSession = await request(globex, 'session.get', {});
    assert.deepEqual(session.hours, { timezone: 'America/Mexico_City', periods: WEEK });
    const { conversation } = (await request(globex, 'conversation.get', { conversationId: waiting })) as ConversationDetail;
    const due = slaDueAt(conversation, session.sla!, slaCalendar(session.sla!, session.hours));
    assert.equal(due, '2026-05-18T15:30:00.000Z');
  });

  test('response and resolution times in business hours leave the weekend and nights out', async () => {
    // Friday 17:30 → Monday 10:00: 30 minutes on Friday and 60 on Monday (wall clock: 64.5 hours).
    const answered = await history('Respondida', [[FRIDAY_1730, 'contact', 'Hola'], [MONDAY_1000, 'agent', 'Buen día, aquí está']]);
    // Monday 17:00 → Tuesday 09:15: one hour Monday, 15 minutes Tuesday.
    await history('Nocturna', [['2026-05-18T23:00:00.000Z', 'contact', 'Una duda'], ['2026-05-19T15:15:00.000Z', 'agent', 'Claro']]);
    const range = 'from=2026-05-15T00:00:00Z&to=2026-05-20T00:00:00Z';
    const metric = (name: string, hours: string) => api(t.url, `/api/v1/metrics/${name}?${range}&hours=${hours}`, { token: t.globex.admin.token });
    const business = (await metric('first-response-time', 'business')).body;
    assert.equal(business.hours, 'business');
    assert.equal(business.overall.count, 2);
    assert.deepEqual([business.overall.median, business.overall.p90, business.overall.mean], [4500, 5400, 4950]);
    const wall = (await metric('first-response-time', 'wall')).body;
    assert.deepEqual([wall.overall.median, wall.overall.p90], [58_500, 232_200]);
    assert.equal(wall.unanswered, 1, 'the Friday customer of before still waits');
    assert.ok(wall.waitingNow >= 1, 'wall.waitingNow >= 1');

    await request(globex, 'conversation.update', { conversationId: answered, status: 'resolved' });
    const resolvedAt = Date.now();
    const resolution = (await api(t.url, `/api/v1/metrics/resolution-time?from=2026-05-01T00:00:00Z&to=${new Date(resolvedAt + 60_000).toISOString()}&hours=business`, { token: t.globex.admin.token })).body;
    assert.equal(resolution.overall.count, 1);
    const expected = new BusinessCalendar({ timezone: 'America/Mexico_City', periods: WEEK }).between(Date.parse(FRIDAY_1730), resolvedAt) / 1000;
    assert.ok(Math.abs(resolution.overall.median - expected) <= 2, `${resolution.overall.median} ≈ ${expected}`);
    assert.ok(resolution.overall.median < (resolvedAt - Date.parse(FRIDAY_1730)) / 1000, 'resolution.overall.median < (resolvedAt - Date.parse(FRIDAY_1730)) / 1000');
    assert.equal((await metric('first-response-time', 'lunar')).status, 400);
  });
});
