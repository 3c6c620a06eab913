import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CharlaClient, MemoryStorage } from '@charla/client';
import type { ChangeEvent, Deal, Pipeline } from '@charla/protocol';
import { eventually, startDemoServer, type DemoServer } from '../support/demo-server.js';

let server: DemoServer;
let client: CharlaClient;

async function createDeal(pipeline: Pipeline, title: string): Promise<Deal> {
  const response = await fetch(`${server.url}/api/v1/deals`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ pipelineId: pipeline.id, title, amount: 100, currency: 'MXN' }),
  });
  assert.ok(response.ok, `POST /deals: ${response.status}`);
  return (await response.json()) as Deal;
}

before(async () => {
  server = await startDemoServer();
  client = new CharlaClient({ url: server.url, token: server.token, storage: new MemoryStorage() });
});

after(async () => {
  client.close();
  await server.close();
});

describe('change events in the agent client, real server', () => {
  it('hands each change to onEvent listeners once the store holds it, until they unsubscribe', async () => {
    await eventually(() => assert.equal(client.state, 'online'), 10_000);
    const [pipeline] = await client.sales.loadPipelines();
    const seen: Array<{ event: ChangeEvent; stored: boolean }> = [];
    const stop = client.onEvent((event) => {
      seen.push({ event, stored: event.type === 'deal.upserted' && client.sales.dealsById.has(event.data.deal.id) });
    });

    const deal = await createDeal(pipeline!, 'Pedido de prueba');
    const upsert = await eventually(() => {
      const found = seen.find(({ event }) => event.type === 'deal.upserted' && event.data.deal.id === deal.id);
      assert.ok(found, 'found');
      return found;
    });
    assert.equal(upsert.stored, true);

    stop();
    const count = seen.length;
    const later = await createDeal(pipeline!, 'Pedido sin oyente');
    await eventually(() => assert.ok(client.sales.dealsById.has(later.id), 'client.sales.dealsById.has(later.id)'));
    assert.equal(seen.length, count);
  });
});
