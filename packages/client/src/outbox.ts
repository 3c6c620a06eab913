import type { CharlaError } from '@charla/protocol';
import { readJson, writeJson, type KeyValueStorage } from './storage.js';

export interface OutboxEntry<P> {
  clientId: string;
  payload: P;
  createdAt: string;
  /** Set when the server refused the send for good: kept so the user can retry or discard it. */
  failed?: Pick<CharlaError, 'code' | 'message'>;
}

/**
 * Sends the user made that the server has not yet acknowledged, persisted so a reload or a crash
 * loses none. Entries leave only when the server stored them or the user discards them.
 */
export class Outbox<P> {
  #entries: OutboxEntry<P>[];

  constructor(
    private readonly storage: KeyValueStorage,
    private readonly key: string,
  ) {
    const stored = readJson<unknown>(storage, key, []);
    this.#entries = Array.isArray(stored) ? (stored as OutboxEntry<P>[]) : [];
  }

  get entries(): readonly OutboxEntry<P>[] {
    return this.#entries;
  }

  get(clientId: string): OutboxEntry<P> | undefined {
    return this.#entries.find((entry) => entry.clientId === clientId);
  }

  add(entry: OutboxEntry<P>): void {
    this.#entries = [...this.#entries, entry];
    this.#save();
  }

  remove(clientId: string): void {
    this.#entries = this.#entries.filter((entry) => entry.clientId !== clientId);
    this.#save();
  }

  setFailed(clientId: string, failed: OutboxEntry<P>['failed']): void {
    this.#entries = this.#entries.map((entry) => {
      if (entry.clientId !== clientId) return entry;
      const next = { ...entry };
      if (failed) next.failed = failed;
      else delete next.failed;
      return next;
    });
    this.#save();
  }

  #save(): void {
    if (this.#entries.length === 0) this.storage.removeItem(this.key);
    else writeJson(this.storage, this.key, this.#entries);
  }
}
