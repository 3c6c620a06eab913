import type { DeliveryStatus } from '@charla/protocol/constants';

export interface MessageLike {
  id: string;
  clientId: string | null;
  createdAt: string;
  status: DeliveryStatus;
}

function compare(a: MessageLike, b: MessageLike): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The loaded messages of one conversation, oldest first. Upserts are idempotent (by id, or by
 * client id for an optimistic message the server has now stored), so live events, sync replays
 * and acks can all deliver the same message without doubling it.
 */
export class MessageLog<M extends MessageLike> {
  items: readonly M[] = [];
  /** Whether older messages remain on the server. */
  hasMore = true;
  /** Whether the newest page has been fetched. */
  loaded = false;
  loading = false;
  error: Error | null = null;

  upsert(message: M): void {
    const items = this.items.filter(
      (item) => item.id !== message.id && (message.clientId === null || item.clientId !== message.clientId),
    );
    items.push(message);
    items.sort(compare);
    this.items = items;
  }

  remove(predicate: (message: M) => boolean): void {
    this.items = this.items.filter((item) => !predicate(item));
  }

  /** Merges a page fetched from the server (older or newest) with what is already here. */
  merge(page: readonly M[], hasMore: boolean | undefined): void {
    const byKey = new Map<string, M>();
    for (const item of this.items) byKey.set(item.clientId ?? item.id, item);
    for (const item of page) {
      const key = item.clientId ?? item.id;
      const existing = byKey.get(key);
      // A message already here came from a newer event: keep it unless the page has it fresher.
      if (!existing || existing.id !== item.id || existing.status !== item.status) byKey.set(key, item);
    }
    this.items = [...byKey.values()].sort(compare);
    if (hasMore !== undefined) this.hasMore = hasMore;
  }

  get oldestStoredId(): string | undefined {
    return this.items.find((item) => !item.id.startsWith('local:'))?.id;
  }
}
