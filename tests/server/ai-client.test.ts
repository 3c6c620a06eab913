import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CharlaClient, MemoryStorage } from '@charla/client';
import { clientId, connectVisitor, eventually, request, startServer, type TestServer } from './helpers.js';

let t: TestServer;
let client: CharlaClient;

before(async () => {
  t = await startServer({ server: { ai: { debounceMs: 30 } } });
  client = new CharlaClient({ url: t.url, token: t.acme.agent.token, storage: new MemoryStorage() });
  await eventually(() => client.state === 'online');
});
after(async () => {
  client.close();
  await t.close();
});

test('the agent client keeps a contact\'s AI insights live and asks for reply suggestions', async () => {
  const visitor = await connectVisitor(t.url, t.acme.workspace.widgetKey);
  const session = await request(visitor, 'session.get', {});
  const first = await request(visitor, 'message.send', { clientId: clientId(), body: 'Hi! My name is Emily Carter, how much is the Barista Pro?' });
  const entry = client.ai.insights(session.contactId);
  await eventually(() => entry.loaded);
  await request(visitor, 'message.send', { clientId: clientId(), body: 'You can reach me at emily@beanthere.co' });

  const live = await eventually(() => (entry.data?.insight?.status === 'ready' && entry.data.filledFields.some((f) => f.field === 'email') ? entry.data : undefined), 5000);
  assert.equal(live.insight?.conversationId, first.conversationId);
  assert.equal(live.insight?.lead?.email?.value, 'emily@beanthere.co');
  assert.ok(live.insight?.qualification?.verdict, 'live.insight?.qualification?.verdict');
  assert.equal(client.contact(session.contactId)?.email, 'emily@beanthere.co', 'the filled contact arrives live too');

  const suggestions = await client.ai.suggestReplies(first.conversationId, 2);
  assert.equal(suggestions.length, 2);
  assert.match(suggestions[0]!, /Emily/);
});
