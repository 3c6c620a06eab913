/**
 * Rate and size limits: what one address, one token or one visitor may do. Each has an option
 * of `createCharlaServer({ limits })` and an environment variable (the option wins); a value that
 * is not a positive whole number stops the server with one line.
 *
 * The counters live in this process (rate-limiter-flexible's memory store): several processes
 * behind a balancer each count their own share.
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface Limits {
  /** New anonymous visitor sessions (each a contact) per address per minute. */
  visitorSessionsPerMinute: number;
  /** Messages one visitor sends per minute. */
  visitorMessagesPerMinute: number;
  /** The least time between two typing signals of one visitor relayed to the agents (ms). */
  typingIntervalMs: number;
  /** Refused tokens (REST and agent sockets) per address per 15 minutes; then every try waits. */
  authFailuresPer15Minutes: number;
  /** REST requests per token (per address without one) per minute. */
  apiRequestsPerMinute: number;
  /** Largest CSV import, in bytes. */
  importBytes: number;
  /** Rows of a CSV import; the rest of the file is not read. */
  importRows: number;
}

export const DEFAULT_LIMITS: Limits = {
  visitorSessionsPerMinute: 60,
  visitorMessagesPerMinute: 60,
  typingIntervalMs: 2000,
  authFailuresPer15Minutes: 100,
  apiRequestsPerMinute: 1200,
  importBytes: 16 * 1024 * 1024,
  importRows: 50_000,
};

/** The environment variable of each limit. */
export const LIMIT_VARIABLES: Record<keyof Limits, string> = {
  visitorSessionsPerMinute: 'CHARLA_LIMIT_VISITOR_SESSIONS_PER_MINUTE',
  visitorMessagesPerMinute: 'CHARLA_LIMIT_VISITOR_MESSAGES_PER_MINUTE',
  typingIntervalMs: 'CHARLA_LIMIT_TYPING_INTERVAL_MS',
  authFailuresPer15Minutes: 'CHARLA_LIMIT_AUTH_FAILURES_PER_15_MINUTES',
  apiRequestsPerMinute: 'CHARLA_LIMIT_API_REQUESTS_PER_MINUTE',
  importBytes: 'CHARLA_LIMIT_IMPORT_BYTES',
  importRows: 'CHARLA_LIMIT_IMPORT_ROWS',
};

/** A configuration value that cannot be used; its message is the one line the CLI prints. */
export class LimitConfigError extends Error {
  override readonly name = 'LimitConfigError';
}

/** The limits from options, then the environment, then the defaults; throws LimitConfigError. */
export function limitsFrom(options: Partial<Limits> | undefined, env: NodeJS.ProcessEnv): Limits {
  const limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as Array<keyof Limits>) {
    const fromEnv = env[LIMIT_VARIABLES[key]];
    const value = options?.[key] ?? (fromEnv === undefined || fromEnv === '' ? undefined : Number(fromEnv));
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 1) {
      const source = options?.[key] !== undefined ? `limits.${key}` : LIMIT_VARIABLES[key];
      throw new LimitConfigError(`Invalid ${source}: ${String(options?.[key] ?? fromEnv)} (use a whole number of 1 or more)`);
    }
    limits[key] = value;
  }
  return limits;
}

/** A refusal for going over a limit: how long until the next try may pass. */
export class RateLimited extends Error {
  override readonly name = 'RateLimited';
  constructor(readonly retryAfterMs: number) {
    super('Too many requests; try again later');
  }

  /** Whole seconds, for `Retry-After`. */
  get retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(this.retryAfterMs / 1000));
  }
}

/** Takes a point of `key`'s budget; throws RateLimited when it is spent. */
async function take(limiter: RateLimiterAbstract, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (refusal) {
    if (refusal instanceof RateLimiterRes) throw new RateLimited(refusal.msBeforeNext);
    throw refusal;
  }
}

/** Throws RateLimited when `key` has used all `points` (without taking one). */
async function assertUnspent(limiter: RateLimiterAbstract, key: string, points: number): Promise<void> {
  const spent = await limiter.get(key);
  if (spent && spent.consumedPoints >= points) throw new RateLimited(spent.msBeforeNext);
}

/** The limiters of one server. */
export class RateLimits {
  readonly limits: Limits;
  #visitorSessions: RateLimiterAbstract;
  #visitorMessages: RateLimiterAbstract;
  #typing: RateLimiterAbstract;
  #authFailures: RateLimiterAbstract;
  #api: RateLimiterAbstract;

  constructor(limits: Limits) {
    this.limits = limits;
    this.#visitorSessions = new RateLimiterMemory(this.#budget('sessions', limits.visitorSessionsPerMinute, 60));
    this.#visitorMessages = new RateLimiterMemory(this.#budget('messages', limits.visitorMessagesPerMinute, 60));
    this.#typing = new RateLimiterMemory(this.#budget('typing', 1, limits.typingIntervalMs / 1000));
    this.#authFailures = new RateLimiterMemory(this.#budget('auth', limits.authFailuresPer15Minutes, 15 * 60));
    this.#api = new RateLimiterMemory(this.#budget('api', limits.apiRequestsPerMinute, 60));
  }

  #budget(name: string, points: number, duration: number) {
    return { keyPrefix: `charla:limit:${name}`, points, duration };
  }

  /**
   * With several processes: every budget is kept in Redis, so an address or a token has one
   * budget across the cluster, not one per process. While Redis is away each process falls back
   * to its own in-memory budget (never to no limit at all).
   */
  shareThrough(client: unknown): void {
    const shared = (memory: RateLimiterAbstract, name: string, points: number, duration: number) =>
      new RateLimiterRedis({
        ...this.#budget(name, points, duration),
        storeClient: client,
        useRedisPackage: true,
        rejectIfRedisNotReady: true,
        insuranceLimiter: memory as RateLimiterMemory,
      });
    const { limits } = this;
    this.#visitorSessions = shared(this.#visitorSessions, 'sessions', limits.visitorSessionsPerMinute, 60);
    this.#visitorMessages = shared(this.#visitorMessages, 'messages', limits.visitorMessagesPerMinute, 60);
    // Redis counts whole seconds.
    this.#typing = shared(this.#typing, 'typing', 1, Math.max(1, Math.ceil(limits.typingIntervalMs / 1000)));
    this.#authFailures = shared(this.#authFailures, 'auth', limits.authFailuresPer15Minutes, 15 * 60);
    this.#api = shared(this.#api, 'api', limits.apiRequestsPerMinute, 60);
  }

  /** Throws RateLimited while the address has opened its share of new visitor sessions. */
  assertMayOpenVisitorSession(address: string): Promise<void> {
    return assertUnspent(this.#visitorSessions, address, this.limits.visitorSessionsPerMinute);
  }

  /**
   * Counts a new visitor session of the address. Counted once made: only the server tells a
   * returning visitor's token from a made-up one, and returning visitors are never limited.
   */
  async visitorSessionOpened(address: string): Promise<void> {
    await this.#visitorSessions.penalty(address, 1);
  }

  visitorMessage(visitorId: string): Promise<void> {
    return take(this.#visitorMessages, visitorId);
  }

  /** Whether a typing signal of this visitor is relayed now (else it is dropped: the next one will tell). */
  async typingRelayed(visitorId: string): Promise<boolean> {
    try {
      await take(this.#typing, visitorId);
      return true;
    } catch (error) {
      if (error instanceof RateLimited) return false;
      throw error;
    }
  }

  apiRequest(key: string): Promise<void> {
    return take(this.#api, key);
  }

  /** Throws RateLimited while the address has spent its refused tokens. */
  assertMayAuthenticate(address: string): Promise<void> {
    return assertUnspent(this.#authFailures, address, this.limits.authFailuresPer15Minutes);
  }

  /** Counts a refused token of the address. */
  async authFailed(address: string): Promise<void> {
    await this.#authFailures.penalty(address, 1);
  }
}
