import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CharlaClient, MemoryStorage } from '@charla/client';
import { slaDueAt } from '@charla/protocol';
import { api, eventually, startServer, type TestServer } from '../server/helpers.js';

let t: TestServer;
let client: CharlaClient;

before(async () => {
  t = await startServer();
  client = new CharlaClient({ url: t.url, token: t.acme.agent.token, storage: new MemoryStorage() });
});
after(async () => {
  client.close();
  await t.close();
});

describe('service levels in the agent client', () => {
  it('follows an admin changing the targets: the session and the clocks it draws change live', async () => {
    await eventually(() => client.state === 'online', 5000, 'online');
    assert.equal(client.session?.sla?.firstResponseMinutes, null);
    const saved = await api(t.url, '/api/v1/workspace/routing', {
      token: t.acme.admin.token, method: 'PATCH', body: { sla: { firstResponseMinutes: 45, nextResponseMinutes: null } },
    });
    assert.equal(saved.status, 200);
    await eventually(() => client.session?.sla?.firstResponseMinutes === 45, 5000, 'the new target');
    const waiting = { status: 'open', createdAt: '2026-05-18T15:00:00.000Z', waitingSince: '2026-05-18T15:00:00.000Z', firstReplyAt: null };
    assert.equal(slaDueAt(waiting, client.session!.sla!), '2026-05-18T15:45:00.000Z');
  });
});
