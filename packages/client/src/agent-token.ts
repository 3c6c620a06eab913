/** Gives the agent a new token: the host's backend signs it (see the README's "Running a team"). */
export type TokenProvider = () => Promise<string>;

/** The earliest a token is refreshed before it expires, and the latest. */
const MIN_LEAD_MS = 1_000;
const MAX_LEAD_MS = 60_000;
/** setTimeout's longest delay; a token living longer is simply refreshed early. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * When a JWT expires (ms since the epoch), read from its payload without verifying it (only the
 * server can); undefined for an opaque token, which never expires.
 */
export function tokenExpiry(token: string): number | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const base64 = parts[1]!.replace(/-/g, '+').replace(/_/g, '/');
    const payload = JSON.parse(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '='))) as { exp?: unknown };
    return typeof payload.exp === 'number' && Number.isFinite(payload.exp) ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The agent's current token, fetched from the host's `tokenProvider` when there is none, again a
 * little before it expires (a fifth of its life, between 1 s and 1 min ahead), and when the server
 * says it expired. Without a provider the given token is all there is.
 */
export class AgentToken {
  #token: string | undefined;
  #pending: Promise<string> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  /** The provider's token already looked expired by our clock: the server's clock decides then. */
  #expiredOnArrival = false;

  constructor(
    token: string | undefined,
    private readonly provider: TokenProvider | undefined,
    /** Called after a scheduled refresh brought a new token. */
    private readonly onRefreshed: () => void,
  ) {
    if (!token && !provider) throw new TypeError('CharlaClient needs a token or a tokenProvider');
    this.#token = token || undefined;
    if (this.#token) this.#schedule(this.#token);
  }

  get canRefresh(): boolean {
    return this.provider !== undefined;
  }

  /** The token as it is now (maybe none yet, maybe expired). */
  get current(): string | undefined {
    return this.#token;
  }

  /** A token to present: the current one unless it is missing or about to expire. */
  async get(): Promise<string> {
    const token = this.#token;
    if (token && (!this.provider || this.#expiredOnArrival || !this.#expiresSoon(token))) return token;
    return this.refresh();
  }

  /** Asks the provider for a new token (one call at a time); without a provider, the given one. */
  refresh(): Promise<string> {
    if (!this.provider) return Promise.resolve(this.#token ?? '');
    this.#pending ??= this.provider()
      .then((token) => {
        if (typeof token !== 'string' || !token) throw new TypeError('tokenProvider gave no token');
        this.#token = token;
        this.#expiredOnArrival = this.#expiresSoon(token);
        this.#schedule(token);
        return token;
      })
      .finally(() => {
        this.#pending = undefined;
      });
    return this.#pending;
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  /** Resumes the scheduled refresh after `stop()` (the client connects again). */
  resume(): void {
    this.#stopped = false;
    if (this.#token) this.#schedule(this.#token);
  }

  #expiresSoon(token: string): boolean {
    const expiry = tokenExpiry(token);
    return expiry !== undefined && expiry - Date.now() <= MIN_LEAD_MS;
  }

  #schedule(token: string): void {
    clearTimeout(this.#timer);
    const expiry = tokenExpiry(token);
    if (!this.provider || this.#stopped || expiry === undefined) return;
    const left = expiry - Date.now();
    if (left <= 0) return;
    const lead = Math.min(MAX_LEAD_MS, Math.max(MIN_LEAD_MS, left / 5));
    this.#timer = setTimeout(() => {
      void this.refresh().then(this.onRefreshed, () => {
        // The host's backend did not answer: the next connection or request asks again.
      });
    }, Math.min(MAX_TIMER_MS, Math.max(0, left - lead)));
  }
}
