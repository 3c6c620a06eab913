import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RateLimiter } from '../../server/src/ai/rate-limit.js';
import { connectAgent, emitAck, startServer, visitorWrites, type TestServer } from './helpers.js';

let t: TestServer;
before(async () => {
  t = await startServer({ server: { ai: { ratePerMinute: 2, debounceMs: 60_000 } } });
});
after(() => t.close());

test('AI requests are limited per workspace: the third in a minute is refused with rate_limited, other workspaces unaffected', async () => {
  const acme = await connectAgent(t.url, t.acme.agent.token);
  const { conversationId } = await visitorWrites(t, t.acme, 'Hola, ¿tienen el plan anual?');
  for (let i = 0; i < 2; i += 1) assert.equal((await emitAck(acme, 'ai.suggestReplies', { conversationId })).ok, true);
  const refused = await emitAck(acme, 'ai.suggestReplies', { conversationId });
  assert.equal(refused.ok, false);
  if (!refused.ok) assert.equal(refused.error.code, 'rate_limited');

  const globex = await connectAgent(t.url, t.globex.agent.token);
  const other = await visitorWrites(t, t.globex, 'Hi, do you ship to Lisbon?');
  assert.equal((await emitAck(globex, 'ai.suggestReplies', { conversationId: other.conversationId })).ok, true);
});

test('the limiter tells how long to wait, and frees calls as the window slides', () => {
  const limiter = new RateLimiter(2, 60_000);
  assert.equal(limiter.take('ws', 0), 0);
  assert.equal(limiter.take('ws', 10_000), 0);
  assert.equal(limiter.take('ws', 20_000), 40_000);
  assert.equal(limiter.take('other', 20_000), 0);
  assert.equal(limiter.take('ws', 60_001), 0);
});
