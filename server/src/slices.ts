import { setImmediate as nextTurn } from 'node:timers/promises';

/** How long a computation may hold the server's thread before it lets other work run. */
const SLICE_MS = 8;
/** How many items pass between two looks at the clock. */
const ITEMS_PER_LOOK = 256;

/**
 * A long computation on the server's thread (a metric walking a month of messages) cut into
 * slices of a few milliseconds: between them the event loop serves webhooks, sockets and HTTP,
 * which then wait a slice instead of the whole computation. In a loop:
 *
 *   const slices = new Slices();
 *   for (const item of items) {
 *     if (slices.due()) await slices.turn();
 *     …
 *   }
 */
export class Slices {
  #started = performance.now();
  #items = 0;

  /** Whether this slice is spent (counts one item; looks at the clock every few hundred). */
  due(): boolean {
    this.#items += 1;
    return this.#items % ITEMS_PER_LOOK === 0 && performance.now() - this.#started >= SLICE_MS;
  }

  /** Lets the event loop run what is waiting, then starts the next slice. */
  async turn(): Promise<void> {
    await nextTurn();
    this.#started = performance.now();
  }

  /** `items` mapped by `map`, in slices. */
  static async map<T, R>(items: readonly T[], map: (item: T) => R): Promise<R[]> {
    const slices = new Slices();
    const mapped: R[] = new Array<R>(items.length);
    for (let i = 0; i < items.length; i += 1) {
      if (slices.due()) await slices.turn();
      mapped[i] = map(items[i]!);
    }
    return mapped;
  }
}
