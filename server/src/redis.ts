/**
 * Several server processes behind one Redis (`CHARLA_REDIS_URL`): socket.io's Redis Streams
 * adapter carries every room broadcast (change-log events, typing, presence, availability) to
 * the sockets of every process, and which agents are connected is kept in Redis (`RedisPresence`)
 * with an expiry, so the agents of a process that died go offline on their own.
 *
 * In this mode the server speaks WebSocket only: a socket.io long-polling session is a series of
 * HTTP requests that must all reach the same process (sticky sessions), which a plain load
 * balancer does not promise. Missed broadcasts are never a loss: clients resync from the event log.
 */
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import type { Server, Socket } from 'socket.io';
import type { Logger } from './logger.js';

export type RedisConnection = ReturnType<typeof createClient>;

/** How long a process's claim that an agent is connected lasts unless renewed. */
export const PRESENCE_TTL_MS = 15_000;

/** Connects to Redis, or throws after `timeoutMs` with a message naming the host (never the password). */
export async function connectRedis(
  url: string,
  logger: Logger,
  options: { failFast?: boolean; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<RedisConnection> {
  let connected = false;
  let gaveUp: Error | undefined;
  const client = createClient({
    url,
    // A command sent while Redis is unreachable fails at once instead of waiting (presence, readiness).
    disableOfflineQueue: options.failFast ?? false,
    socket: {
      connectTimeout: 5_000,
      // At start a few tries, then the server does not start; once connected, it retries for good.
      // Copied by duplicate(): the adapter's own connections stop retrying too once `signal` aborts.
      reconnectStrategy: (retries, cause) => {
        if (options.signal?.aborted) return new Error('Charla is shutting down');
        if (connected || retries < 4) return Math.min(100 * 2 ** retries, 5_000);
        gaveUp = new Error(`Redis at ${hostOf(url)} is unreachable (${cause.message})`);
        return gaveUp;
      },
    },
  });
  let reported = false;
  client.on('error', (error: Error) => {
    // Reported once per outage; the client reconnects by itself.
    if (!reported && connected) logger.error(`Redis connection failed (${hostOf(url)}): ${error.message}`);
    reported = true;
  });
  client.on('ready', () => {
    connected = true;
    if (reported) logger.info(`Redis connection restored (${hostOf(url)})`);
    reported = false;
  });
  const timeoutMs = options.timeoutMs ?? 10_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect(),
      new Promise((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`Redis at ${hostOf(url)} did not answer within ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]);
  } catch (error) {
    if (client.isOpen) client.destroy();
    throw gaveUp ?? error;
  } finally {
    clearTimeout(timer);
  }
  return client;
}

/** host:port of a Redis URL, to name it in messages without its credentials. */
export function hostOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '6379'}`;
}

/**
 * Redis for one server: the adapter's connection (its commands wait out a short outage) and one
 * for presence and readiness (its commands fail at once while Redis is away).
 */
export interface RedisLink {
  adapter: RedisConnection;
  client: RedisConnection;
  /** Closes both; connections still trying to reach Redis give up. */
  close(): Promise<void>;
}

/** Puts `io` on the Redis Streams adapter and opens the presence connection. */
export async function useRedis(io: Server, url: string, logger: Logger): Promise<RedisLink> {
  const stopping = new AbortController();
  const adapter = await connectRedis(url, logger, { signal: stopping.signal });
  let client: RedisConnection;
  try {
    client = await connectRedis(url, logger, { signal: stopping.signal, failFast: true });
  } catch (error) {
    adapter.destroy();
    throw error;
  }
  // The adapter reads with connections of its own (duplicates, which give up with ours). Once one
  // gave up, its disconnect() throws instead of doing nothing, which the adapter does not expect.
  const duplicate = adapter.duplicate.bind(adapter);
  adapter.duplicate = ((...args: Parameters<typeof duplicate>) => {
    const copy = duplicate(...args);
    const disconnect = copy.disconnect.bind(copy);
    copy.disconnect = () => (copy.isOpen ? disconnect() : Promise.resolve());
    return copy;
  }) as typeof adapter.duplicate;
  // A short blocking read, so a stopping process lets go of Redis within a second.
  io.adapter(createAdapter(adapter, { streamName: 'charla:socket.io', channelPrefix: 'charla:socket.io', onlyPlaintext: true, blockTimeInMs: 1_000 }));
  return {
    adapter,
    client,
    async close() {
      stopping.abort();
      await Promise.all([adapter, client].map((connection) => (connection.isReady ? connection.close() : connection.destroy())));
    },
  };
}

/** Who is connected where: the one source of agent presence for every process. */
export interface PresenceRegistry {
  /** The agents of the workspace with at least one connected /agent socket, in any process. */
  connected(workspaceId: string): Promise<Set<string>>;
  /** A socket of this process connected (`agentId` of `workspaceId`). */
  add(socket: Socket, workspaceId: string, agentId: string): Promise<void>;
  /** That socket disconnected. */
  remove(socket: Socket): Promise<void>;
  close(): Promise<void>;
}

/** One process: the sockets the adapter knows of are the truth. */
export function localPresence(io: Server, agentOf: (socket: { data: unknown }) => string | undefined, roomOf: (workspaceId: string) => string): PresenceRegistry {
  return {
    async connected(workspaceId) {
      const sockets = await io.of('/agent').in(roomOf(workspaceId)).fetchSockets();
      return new Set(sockets.map(agentOf).filter((id): id is string => Boolean(id)));
    },
    async add() {},
    async remove() {},
    async close() {},
  };
}

const PRESENCE_PREFIX = 'charla:presence:';
const presenceKey = (workspaceId: string) => `${PRESENCE_PREFIX}${workspaceId}`;
const WORKSPACES_KEY = 'charla:presence:workspaces';

/**
 * The presence sweep in one Redis call: renews the claims given (pairs of workspace id and
 * member, scored ARGV[2]), then takes out every claim scored at or before ARGV[1] in every
 * workspace of KEYS[1] and returns them as pairs (workspace id, member). The workspace keys are
 * derived in the script, so it runs on a single Redis (not Redis Cluster).
 */
const SWEEP_SCRIPT = `
local now, renewed, prefix = ARGV[1], ARGV[2], ARGV[3]
for i = 4, #ARGV - 1, 2 do
  redis.call('ZADD', prefix .. ARGV[i], renewed, ARGV[i + 1])
end
local expired = {}
for _, workspace in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local key = prefix .. workspace
  local gone = redis.call('ZRANGEBYSCORE', key, '-inf', now)
  if #gone > 0 then
    redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
    for _, member in ipairs(gone) do
      expired[#expired + 1] = workspace
      expired[#expired + 1] = member
    end
  end
end
return expired`;

/**
 * Presence in Redis: per workspace a sorted set of `agentId socketId` members scored by when the
 * claim runs out. Each process renews its own sockets' claims every `ttlMs / 3`; a claim nobody
 * renews (its process was killed) runs out, and the first process to remove it calls `onExpired`
 * so the workspace hears that agent went offline.
 */
export class RedisPresence implements PresenceRegistry {
  readonly #client: RedisConnection;
  readonly #ttlMs: number;
  readonly #mine = new Map<string, { workspaceId: string; member: string }>();
  readonly #timer: NodeJS.Timeout;
  readonly #onExpired: (workspaceId: string, agentId: string) => void;
  readonly #logger: Logger;

  constructor(client: RedisConnection, options: { logger: Logger; onExpired: (workspaceId: string, agentId: string) => void; ttlMs?: number }) {
    this.#client = client;
    this.#ttlMs = options.ttlMs ?? PRESENCE_TTL_MS;
    this.#onExpired = options.onExpired;
    this.#logger = options.logger;
    this.#timer = setInterval(() => void this.#renew().catch((error: unknown) => this.#logger.error('Could not renew agent presence in Redis', error)), this.#ttlMs / 3);
    this.#timer.unref();
  }

  async connected(workspaceId: string): Promise<Set<string>> {
    const members = await this.#client.zRangeByScore(presenceKey(workspaceId), Date.now(), '+inf');
    return new Set(members.map((member) => member.slice(0, member.indexOf(' '))));
  }

  async add(socket: Socket, workspaceId: string, agentId: string): Promise<void> {
    const member = `${agentId} ${socket.id}`;
    this.#mine.set(socket.id, { workspaceId, member });
    await this.#client
      .multi()
      .zAdd(presenceKey(workspaceId), { score: Date.now() + this.#ttlMs, value: member })
      .sAdd(WORKSPACES_KEY, workspaceId)
      .exec();
  }

  async remove(socket: Socket): Promise<void> {
    const mine = this.#mine.get(socket.id);
    if (!mine) return;
    this.#mine.delete(socket.id);
    await this.#client.zRem(presenceKey(mine.workspaceId), mine.member);
  }

  /**
   * Renews this process's claims, then clears the ones that ran out anywhere: one script, so a
   * sweep is one round trip to Redis however many agents and workspaces there are, and each
   * expired claim is removed (and announced) by exactly one process.
   */
  async #renew(): Promise<void> {
    const now = Date.now();
    const claims = [...this.#mine.values()].flatMap(({ workspaceId, member }) => [workspaceId, member]);
    const expired = (await this.#client.eval(SWEEP_SCRIPT, {
      keys: [WORKSPACES_KEY],
      arguments: [String(now), String(now + this.#ttlMs), PRESENCE_PREFIX, ...claims],
    })) as string[];
    for (let i = 0; i + 1 < expired.length; i += 2) {
      const member = expired[i + 1]!;
      this.#onExpired(expired[i]!, member.slice(0, member.indexOf(' ')));
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    if (this.#mine.size === 0) return;
    const removal = this.#client.multi();
    for (const { workspaceId, member } of this.#mine.values()) removal.zRem(presenceKey(workspaceId), member);
    this.#mine.clear();
    await removal.exec().catch(() => undefined);
  }
}
