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
 *
 * Tabs of one site share the storage: each change starts from what is stored, so one tab's
 * write never drops another tab's queued messages (either tab may then deliver them; the server
 * stores each client id once).
 */
export class Outbox<P> {
  #entries: OutboxEntry<P>[] = [];
  /** The stored list mirrors ours (false after a failed write: memory then holds more). */
  #persisted = true;

  constructor(
    private readonly storage: KeyValueStorage,
    private readonly key: string,
  ) {
    this.#reload();
  }

  get entries(): readonly OutboxEntry<P>[] {
    this.#reload();
    return this.#entries;
  }

  #reload(): void {
    if (!this.#persisted) return;
    const stored = readJson<unknown>(this.storage, this.key, []);
    this.#entries = Array.isArray(stored) ? (stored as OutboxEntry<P>[]) : [];
  }

  get(clientId: string): OutboxEntry<P> | undefined {
    return this.entries.find((entry) => entry.clientId === clientId);
  }

  add(entry: OutboxEntry<P>): void {
    this.#entries = [...this.entries, entry];
    this.#save();
  }

  remove(clientId: string): void {
    this.#entries = this.entries.filter((entry) => entry.clientId !== clientId);
    this.#save();
  }

  setFailed(clientId: string, failed: OutboxEntry<P>['failed']): void {
    this.#entries = this.entries.map((entry) => {
      if (entry.clientId !== clientId) return entry;
      const next = { ...entry };
      if (failed) next.failed = failed;
      else delete next.failed;
      return next;
    });
    this.#save();
  }

  #save(): void {
    if (this.#entries.length > 0) this.#persisted = writeJson(this.storage, this.key, this.#entries);
    else {
      try {
        this.storage.removeItem(this.key);
        this.#persisted = true;
      } catch {
        this.#persisted = false;
      }
    }
  }
}
