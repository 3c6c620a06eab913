import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LIMITS } from '@charla/protocol';
import { HeuristicProvider } from '../../server/src/ai/heuristic.js';
import { capturedContactDetails } from '../../server/src/identity/keys.js';
import { connectAgent, eventually, request } from '../server/helpers.js';
import { postWebhook, startChannelTest, waMessages } from '../support/channels.js';
import { ADVERSARIAL_LENGTH, ADVERSARIAL_TEXTS } from '../support/adversarial-texts.js';

const NO_CONTACT = { name: null, email: null, phone: null, attributes: {} };

test('a WhatsApp delivery of five 65,536-character texts and a 1 MB profile name stores texts within the message limit', async () => {
  const channels = await startChannelTest();
  try {
    const { url, acme } = channels.test;
    const texts = Object.values(ADVERSARIAL_TEXTS).slice(0, 4);
    texts.push(`${'Hola, soy Ana. Escríbeme a ana@example.com '.padEnd(200, '.')}${'x'.repeat(ADVERSARIAL_LENGTH)}`);
    const delivery = waMessages('5215512340001', 'N'.repeat(1_000_000), texts.map((body) => ({ type: 'text', text: { body } })));
    assert.equal((await postWebhook(url, 'whatsapp', delivery)).status, 200);

    const agent = await connectAgent(url, acme.agent.token);
    const stored = await eventually(async () => {
      const { conversations } = await request(agent, 'conversations.list', { status: 'all', channel: 'whatsapp' });
      if (!conversations[0]) return null;
      const { messages } = await request(agent, 'messages.list', { conversationId: conversations[0].id, limit: 10 });
      return messages.length === texts.length ? { contactId: conversations[0].contactId as string, messages } : null;
    }, 10_000, 'the five messages');
    for (const message of stored.messages) assert.equal(message.body.length, LIMITS.messageBody);
    const contact = await request(agent, 'contact.get', { contactId: stored.contactId });
    assert.equal(contact.name, 'N'.repeat(LIMITS.name));
    // What a long message says up front still counts.
    assert.equal(contact.email, 'ana@example.com');
  } finally {
    await channels.close();
  }
});

// Before the patterns were bounded each text took seconds (quadratic backtracking); the
// timeout only stops a regression from hanging the suite.
test('contact details and the offline analysis read adversarial 65,536-character texts and still find what is there', { timeout: 20_000 }, async () => {
  const provider = new HeuristicProvider();
  for (const [shape, text] of Object.entries(ADVERSARIAL_TEXTS)) {
    const written = `${text} ana@example.com +52 55 1234 5678`;
    assert.deepEqual(capturedContactDetails(written), { emails: ['ana@example.com'], phones: ['+525512345678'] }, shape);
    const line = { id: 'msg_1', from: 'customer' as const, body: `Me llamo Ana, escríbeme a ana@example.com. ${text}`, createdAt: new Date().toISOString() };
    const analysis = await provider.analyze({ workspaceId: 'ws_1', messages: [line], contact: NO_CONTACT });
    assert.equal(analysis.lead.email?.value, 'ana@example.com', shape);
  }
});
