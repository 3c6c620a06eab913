/** A per-key sliding-window limit: at most `limit` calls per `windowMs` (one process's share). */
export class RateLimiter {
  readonly #calls = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Takes a call for `key`: 0 when allowed now, otherwise how many ms until one is. */
  take(key: string, now = Date.now()): number {
    const recent = (this.#calls.get(key) ?? []).filter((at) => now - at < this.windowMs);
    if (recent.length >= this.limit) {
      this.#calls.set(key, recent);
      return this.windowMs - (now - recent[0]!);
    }
    recent.push(now);
    this.#calls.set(key, recent);
    return 0;
  }
}
