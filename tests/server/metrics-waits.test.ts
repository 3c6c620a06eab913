import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Channel, MetricResult, SenderKind } from '@charla/protocol';
import { afterMessage, newContact, newConversation, newMessage } from '../../server/src/services/entities.js';
import { api, startServer, type TestServer } from './helpers.js';

let t: TestServer;
const at = (time: string) => `2026-03-02T${time}.000Z`;

/** [time, who, private note?]: who waits and who answers, in the order the channel stored it. */
type Line = [time: string, from: SenderKind, note?: boolean];

/** A conversation of Acme's agent, written as the channels would have stored it. */
async function history(channel: Channel, lines: Line[]): Promise<void> {
  const ws = t.acme;
  const start = at(lines[0]![0]);
  const contact = newContact({ workspaceId: ws.workspace.id, name: `Cliente ${channel}`, identities: [{ channel, handle: `${channel}-waits` }], createdAt: start });
  let conversation = newConversation({ workspaceId: contact.workspaceId, contactId: contact.id, channel, status: 'open', createdAt: start });
  await t.server.store.transaction(async (scope) => {
    await scope.contacts.insert(contact);
    await scope.conversations.insert(conversation);
    for (const [time, from, note] of lines) {
      const agent = from === 'agent' ? ws.agent.agent : null;
      const message = newMessage({
        workspaceId: contact.workspaceId, conversationId: conversation.id, direction: from === 'contact' ? 'in' : 'out', senderKind: from,
        senderId: agent?.id ?? null, senderName: agent?.name ?? null, body: `${from} ${time}`, private: note ?? false, createdAt: at(time),
      });
      await scope.messages.insert(message);
      conversation = afterMessage(conversation, message);
    }
    await scope.conversations.save(conversation);
  });
}

const metric = async (name: string) =>
  (await api<MetricResult>(t.url, `/api/v1/metrics/${name}?from=2026-03-02T00:00:00Z&to=2026-03-03T00:00:00Z`, { token: t.acme.admin.token })).body;

before(async () => {
  t = await startServer();
  // Webchat: the agent writes first (no one waits yet); the customer's two lines make one wait,
  // answered after 5 min by two replies in a row; a private note does not answer the next wait (10 min).
  await history('webchat', [
    ['09:00:00', 'agent'], ['09:10:00', 'contact'], ['09:11:00', 'contact'], ['09:11:30', 'bot'], ['09:15:00', 'agent'], ['09:16:00', 'agent'],
    ['09:30:00', 'contact'], ['09:31:00', 'agent', true], ['09:40:00', 'agent'],
  ]);
  // WhatsApp: a system line and the bot leave the customer waiting.
  await history('whatsapp', [['10:00:00', 'contact'], ['10:01:00', 'system'], ['10:02:00', 'bot']]);
  // Instagram: an agent's outreach nobody answered is no wait at all.
  await history('instagram', [['11:00:00', 'agent']]);
});
after(() => t.close());

describe('conversation clocks over lines in a row, outreach and system lines', () => {
  test('first response counts from the first customer line to the first human reply; outreach is no wait', async () => {
    const frt = await metric('first-response-time');
    assert.deepEqual(frt.overall, { key: 'all', count: 1, median: 300, p90: 300, mean: 300 });
    assert.equal(frt.unanswered, 1);
  });

  test('each wait ends at its first human reply; replies in a row and notes start no wait', async () => {
    const replies = await metric('reply-time');
    assert.deepEqual(replies.overall, { key: 'all', count: 2, median: 300, p90: 600, mean: 450 });
  });
});
