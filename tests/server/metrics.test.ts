import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Channel, MetricResult, SenderKind } from '@charla/protocol';
import { afterMessage, newContact, newConversation, newMessage } from '../../server/src/services/entities.js';
import { api, startServer, type TestServer } from './helpers.js';

let t: TestServer;
const DAY = '2026-01-05';
const at = (time: string) => `${DAY}T${time}.000Z`;

type Line = [time: string, from: 'customer' | 'bot' | 'admin' | 'agent', note?: boolean];

/** A conversation as the channels would have stored it, at exact times. */
async function history(channel: Channel, lines: Line[], resolvedAt?: string): Promise<void> {
  const ws = t.globex;
  const contact = newContact({ workspaceId: ws.workspace.id, name: `Cliente ${channel}`, identities: [{ channel, handle: `${channel}-${lines[0]![0]}` }], createdAt: at(lines[0]![0]) });
  let conversation = newConversation({ workspaceId: contact.workspaceId, contactId: contact.id, channel, status: 'open', createdAt: at(lines[0]![0]) });
  await t.server.store.transaction(async (scope) => {
    await scope.contacts.insert(contact);
    await scope.conversations.insert(conversation);
    for (const [time, from, note] of lines) {
      const agent = from === 'admin' || from === 'agent' ? ws[from].agent : null;
      const senderKind: SenderKind = from === 'customer' ? 'contact' : from === 'bot' ? 'bot' : 'agent';
      const message = newMessage({
        workspaceId: contact.workspaceId, conversationId: conversation.id, direction: from === 'customer' ? 'in' : 'out',
        senderKind, senderId: agent?.id ?? null, senderName: agent?.name ?? null, body: `${from} ${time}`, private: note ?? false, createdAt: at(time),
      });
      await scope.messages.insert(message);
      conversation = afterMessage(conversation, message);
    }
    await scope.conversations.save(resolvedAt ? { ...conversation, status: 'resolved', updatedAt: at(resolvedAt) } : conversation);
  });
}

const metric = async (name: string, query = '') =>
  (await api<MetricResult>(t.url, `/api/v1/metrics/${name}?from=${DAY}T00:00:00Z&to=2026-01-06T00:00:00Z${query}`, { token: t.globex.admin.token })).body;

before(async () => {
  t = await startServer();
  // WhatsApp: first reply after 5 min (the bot at 10:02 and a private note do not stop the clock), next reply 2 min.
  await history('whatsapp', [['10:00:00', 'customer'], ['10:01:00', 'customer'], ['10:02:00', 'bot'], ['10:03:00', 'admin', true], ['10:05:00', 'admin'], ['10:10:00', 'customer'], ['10:12:00', 'agent']], '11:00:00');
  // Webchat: first reply after 1 min.
  await history('webchat', [['11:00:00', 'customer'], ['11:01:00', 'agent']]);
  // Instagram: nobody answered yet.
  await history('instagram', [['12:00:00', 'customer']]);
});
after(() => t.close());

describe('conversation metrics on a history with known answers', () => {
  test('first response time: median, p90 and mean of 60 s and 300 s; one still unanswered', async () => {
    const frt = await metric('first-response-time');
    assert.deepEqual(frt.overall, { key: 'all', count: 2, median: 60, p90: 300, mean: 180 });
    assert.equal(frt.unanswered, 1);
    const byChannel = await metric('first-response-time', '&groupBy=channel');
    assert.deepEqual(byChannel.groups.map((g) => [g.key, g.median]), [['webchat', 60], ['whatsapp', 300]]);
  });

  test('reply time counts every wait, per replying agent', async () => {
    const replies = await metric('reply-time');
    assert.deepEqual(replies.overall, { key: 'all', count: 3, median: 120, p90: 300, mean: 160 });
    const byAgent = await metric('reply-time', '&groupBy=agent');
    assert.deepEqual(
      byAgent.groups.map((g) => [g.key, g.count, g.mean]).sort(),
      [[t.globex.admin.agent.id, 1, 300], [t.globex.agent.agent.id, 2, 90]].sort(),
    );
  });

  test('resolution time and volume', async () => {
    const resolution = await metric('resolution-time');
    assert.deepEqual(resolution.overall, { key: 'all', count: 1, median: 3600, p90: 3600, mean: 3600 });
    const volume = await metric('volume', '&groupBy=channel');
    assert.equal(volume.overall.count, 3);
    assert.deepEqual(volume.groups.map((g) => [g.key, g.count]), [['instagram', 1], ['webchat', 1], ['whatsapp', 1]]);
    const outside = (await api<MetricResult>(t.url, '/api/v1/metrics/volume?from=2025-01-01T00:00:00Z&to=2025-02-01T00:00:00Z', { token: t.globex.admin.token })).body;
    assert.equal(outside.overall.count, 0);
  });

  test('unknown metrics, bad ranges and other workspaces', async () => {
    const unknown = await api(t.url, '/api/v1/metrics/happiness', { token: t.globex.admin.token });
    assert.equal(unknown.status, 404);
    assert.match(unknown.body.error.message, /first-response-time/);
    const bad = await api(t.url, '/api/v1/metrics/volume?from=yesterday', { token: t.globex.admin.token });
    assert.equal(bad.status, 400);
    const other = (await api<MetricResult>(t.url, `/api/v1/metrics/volume?from=${DAY}T00:00:00Z&to=2026-01-06T00:00:00Z`, { token: t.acme.admin.token })).body;
    assert.equal(other.overall.count, 0);
  });
});
