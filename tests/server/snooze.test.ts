import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ChangeEvent, Conversation, MessagePage } from '@charla/protocol';
import type { Socket } from 'socket.io-client';
import { wakeSnoozed } from '../../server/src/services/lifecycle.js';
import { connectAgent, emitAck, eventually, recordEvents, request, startServer, visitorWrites, type TestServer } from './helpers.js';

let t: TestServer;
let agent: Socket;
before(async () => {
  t = await startServer();
  agent = await connectAgent(t.url, t.acme.agent.token);
});
after(() => t.close());

const inHours = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

describe('snooze until a time', () => {
  test('snoozes with a wake-up time and opens again when it comes, saying so in the thread', async () => {
    const { conversationId } = await visitorWrites(t, t.acme, 'Escríbanme el lunes, porfa');
    const wakeAt = inHours(3);
    const snoozed: Conversation = await request(agent, 'conversation.update', { conversationId, snoozedUntil: wakeAt });
    assert.equal(snoozed.status, 'snoozed');
    assert.equal(snoozed.snoozedUntil, wakeAt);

    const events = recordEvents(agent);
    assert.equal(await wakeSnoozed(t.server.store, inHours(1)), 0, 'not yet');
    assert.equal(await wakeSnoozed(t.server.store, inHours(4)), 1);
    const woken = await eventually(() =>
      events.find((e: ChangeEvent) => e.type === 'conversation.upserted' && e.data.conversation.id === conversationId),
    );
    assert.equal(woken.type === 'conversation.upserted' && woken.data.conversation.status, 'open');
    assert.equal(woken.type === 'conversation.upserted' && woken.data.conversation.snoozedUntil, null);
    const page: MessagePage = await request(agent, 'messages.list', { conversationId });
    assert.match(page.messages.at(-1)!.body, /snooze ended/);
    assert.equal(await wakeSnoozed(t.server.store, inHours(5)), 0, 'once');
  });

  test('refuses a time in the past or a wake-up time on another status; reopening clears it', async () => {
    const { conversationId } = await visitorWrites(t, t.acme, 'Hola');
    const past = await emitAck(agent, 'conversation.update', { conversationId, snoozedUntil: inHours(-1) });
    assert.equal(past.ok ? null : past.error.code, 'invalid_payload');
    assert.match(past.ok ? '' : past.error.message, /future/);
    const mixed = await emitAck(agent, 'conversation.update', { conversationId, status: 'resolved', snoozedUntil: inHours(1) });
    assert.equal(mixed.ok ? null : mixed.error.code, 'invalid_payload');
    await request(agent, 'conversation.update', { conversationId, snoozedUntil: inHours(2) });
    const reopened: Conversation = await request(agent, 'conversation.update', { conversationId, status: 'open' });
    assert.equal(reopened.snoozedUntil ?? null, null);
    const detail = await request(agent, 'conversation.get', { conversationId });
    assert.equal(detail.conversation.snoozedUntil, null);
  });
});
