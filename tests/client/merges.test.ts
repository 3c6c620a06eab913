import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CharlaClient, MemoryStorage } from '@charla/client';
import { eventually, request, connectAgent, startServer, visitorWrites, type TestServer } from '../server/helpers.js';

let t: TestServer;
let client: CharlaClient;

before(async () => {
  t = await startServer();
  client = new CharlaClient({ url: t.url, token: t.acme.admin.token, storage: new MemoryStorage() });
});

after(async () => {
  client.close();
  await t.close();
});

describe('merges in the agent client, real server', () => {
  it("learns of another agent's merge and of its undo: undoable merges, both contacts and their conversations follow", async () => {
    await eventually(() => client.state === 'online', 10_000, 'the client online');
    const first = await visitorWrites(t, t.acme, 'Hola');
    const second = await visitorWrites(t, t.acme, 'Hola otra vez');
    await client.loadConversation(second.conversationId);
    assert.deepEqual(await client.loadMerges(first.contactId), []);

    const agent = await connectAgent(t.url, t.acme.agent.token);
    await request(agent, 'contact.merge', { contactId: first.contactId, mergeId: second.contactId });
    const [merge] = await eventually(() => client.merges(first.contactId)?.length === 1 && client.merges(first.contactId), 3000, 'the merge');
    assert.equal(merge!.mergedId, second.contactId);
    await eventually(() => client.conversationsById.get(second.conversationId)?.contactId === first.contactId, 3000, 'the conversation moved');
    assert.equal(client.contact(second.contactId), undefined);

    await request(agent, 'contact.unmerge', { contactId: first.contactId, mergeId: merge!.id });
    await eventually(() => client.contact(second.contactId), 3000, 'the restored contact');
    await eventually(() => client.conversationsById.get(second.conversationId)?.contactId === second.contactId, 3000, 'the conversation back');
    assert.deepEqual(client.merges(first.contactId), []);
    agent.disconnect();
  });
});
