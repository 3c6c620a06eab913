import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Socket } from 'socket.io';
import { connectRedis, RedisPresence, type RedisConnection } from '../../server/src/redis.js';
import { redisUnavailable, startRedis } from '../support/redis.js';
import { eventually, recordingLogger } from './helpers.js';

/** The connection as the presence registry uses it, noting the name of each command it sends. */
function noting(client: RedisConnection, calls: string[]): RedisConnection {
  return new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(property));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

test('the presence sweep is one Redis call however many agents ran out, and each expiry is announced once', { skip: redisUnavailable() ?? false }, async () => {
  const redis = await startRedis();
  const logger = recordingLogger();
  const seeder = await connectRedis(redis.url, logger);
  const [one, two] = await Promise.all([connectRedis(redis.url, logger), connectRedis(redis.url, logger)]);
  const calls: string[][] = [[], []];
  const announced: string[] = [];
  const registries: RedisPresence[] = [];
  try {
    // 60 agents of 6 workspaces whose process died: their claims ran out a minute ago.
    const stale: string[] = [];
    for (let w = 0; w < 6; w += 1) {
      for (let a = 0; a < 10; a += 1) {
        const member = `agent_${w}_${a} socket_${w}_${a}`;
        stale.push(`ws_${w}/${member.slice(0, member.indexOf(' '))}`);
        await seeder.zAdd(`charla:presence:ws_${w}`, { score: Date.now() - 60_000, value: member });
      }
      await seeder.sAdd('charla:presence:workspaces', `ws_${w}`);
    }
    // Two live processes, each with an agent of its own connected in ws_0.
    for (const [index, client] of [one, two].entries()) {
      const registry = new RedisPresence(noting(client, calls[index]!), {
        logger,
        ttlMs: 600,
        onExpired: (workspaceId, agentId) => announced.push(`${workspaceId}/${agentId}`),
      });
      registries.push(registry);
      await registry.add({ id: `live_${index}` } as Socket, 'ws_0', `live_agent_${index}`);
    }

    await eventually(() => announced.length >= stale.length, 5000, 'every stale claim announced');
    // Let both processes sweep a few more times: nothing is announced twice.
    const sweepsBefore = calls.map((list) => list.filter((name) => name === 'eval').length);
    await eventually(() => calls.every((list, index) => list.filter((name) => name === 'eval').length >= sweepsBefore[index]! + 3), 5000, 'three more sweeps each');
    assert.deepEqual([...announced].sort(), [...stale].sort(), 'each expired agent announced exactly once, by one of the two processes');
    for (const [index, list] of calls.entries()) {
      assert.deepEqual([...new Set(list.slice(1))], ['eval'], `process ${index}: after connecting its agent, every sweep is one script call (${list.length - 1} calls)`);
    }
    const live = await registries[0]!.connected('ws_0');
    assert.deepEqual([...live].sort(), ['live_agent_0', 'live_agent_1'], 'the live agents stay connected: their claims are renewed by the sweep');
    assert.deepEqual(await seeder.zRange('charla:presence:ws_3', 0, -1), [], 'the stale claims are gone');
    assert.deepEqual(logger.errors, [], 'no error logged');
  } finally {
    await Promise.all(registries.map((registry) => registry.close()));
    await Promise.all([one, two, seeder].map((client) => client.quit().catch(() => undefined)));
    redis.stop();
  }
});
