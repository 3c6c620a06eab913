import { createHash, randomBytes, randomFillSync } from 'node:crypto';

const TIME_WIDTH = 10; // base36 milliseconds stay 10 characters wide until the year 5188
const COUNTER_WIDTH = 4;
const RANDOM_WIDTH = 6;
const COUNTER_LIMIT = 36 ** COUNTER_WIDTH;

let lastMs = 0;
let counter = 0;

// Random bytes are drawn in bulk: one call per id would cost more than the rest of the id.
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function randomBase36(width: number): string {
  if (poolOffset + width > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  let out = '';
  for (let i = 0; i < width; i += 1) out += ((pool[poolOffset + i] ?? 0) % 36).toString(36);
  poolOffset += width;
  return out;
}

function compose(prefix: string, ms: number, count: number): string {
  return (
    `${prefix}_${ms.toString(36).padStart(TIME_WIDTH, '0')}` +
    `${count.toString(36).padStart(COUNTER_WIDTH, '0')}${randomBase36(RANDOM_WIDTH)}`
  );
}

/**
 * A new id such as `msg_0m3x9k2a1b0000k3j9za`: time first, then a per-process counter, then
 * randomness. Ids sort in creation order within a process (the clock is never allowed to go
 * backwards here), which message pagination and cursors rely on; across processes they sort by
 * millisecond.
 */
export function newId(prefix: string): string {
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
  } else if (counter + 1 < COUNTER_LIMIT) {
    counter += 1;
  } else {
    // More ids in one millisecond than the counter can hold: borrow the next millisecond.
    lastMs += 1;
    counter = 0;
  }
  return compose(prefix, lastMs, counter);
}

/** An id dated at `ms` (for data recorded after the fact, such as the demo history). */
export function idAt(prefix: string, ms: number): string {
  return compose(prefix, ms, 0);
}

/** A secret for a bearer credential: 32 random bytes, base64url. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Credentials are stored only as this hash. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function nowIso(): string {
  return new Date().toISOString();
}
