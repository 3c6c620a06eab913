import type { ChangeEvent, Message, SyncResult, VisitorChangeEvent, VisitorSyncResult } from '@charla/protocol';
import type { Sql } from '../db.js';
import { CharlaFailure } from '../failure.js';
import { nowIso } from '../ids.js';
import { toChangeEvent, toVisitorMessage, type EventRow } from './rows.js';

/** `all`: the contact's visitor may see it too (a public message of a webchat conversation). */
export type EventVisibility = 'agents' | 'all';

type Unsequenced<E> = E extends ChangeEvent ? Omit<E, 'seq' | 'createdAt'> : never;

export type NewEvent = Unsequenced<ChangeEvent> & {
  contactId: string | null;
  visibility: EventVisibility;
};

/** A change-log entry with the routing facts the broadcaster needs. */
export interface StoredEvent {
  workspaceId: string;
  contactId: string | null;
  visibility: EventVisibility;
  event: ChangeEvent;
}

const EVENT_COLUMNS = 'seq, type, conversation_id, data, created_at';

/** The ordered per-workspace change log that clients resync from. */
export class EventQueries {
  constructor(
    private readonly sql: Sql,
    /** Receives each appended event; present only inside a transaction. */
    private readonly sink?: (event: StoredEvent) => void,
  ) {}

  /**
   * Appends an event in the current transaction. The seq comes from the workspace row, which is
   * atomic and portable; the event is broadcast once the transaction commits.
   */
  async append(workspaceId: string, entry: NewEvent): Promise<ChangeEvent> {
    if (!this.sink) throw new Error('Events can only be appended inside a store transaction');
    const row = await this.sql.get<{ last_seq: number }>(
      'UPDATE workspaces SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq',
      [workspaceId],
    );
    if (!row) throw new CharlaFailure('not_found', 'Workspace not found');
    const event = {
      seq: row.last_seq,
      type: entry.type,
      conversationId: entry.conversationId,
      data: entry.data,
      createdAt: nowIso(),
    } as ChangeEvent;
    await this.sql.run(
      `INSERT INTO events (workspace_id, seq, type, conversation_id, contact_id, visibility, data, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        workspaceId, event.seq, event.type, event.conversationId, entry.contactId, entry.visibility,
        JSON.stringify(event.data), event.createdAt,
      ],
    );
    this.sink({ workspaceId, contactId: entry.contactId, visibility: entry.visibility, event });
    return event;
  }

  /** Events after `since`, oldest first, at most `limit` of them. */
  async since(workspaceId: string, since: number, limit = 500): Promise<SyncResult> {
    // Bound by the seq read first: everything up to it is committed, so nothing is skipped later.
    const seq = await this.#lastSeq(workspaceId);
    const rows = await this.sql.all<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE workspace_id = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?`,
      [workspaceId, since, seq, limit + 1],
    );
    return { events: rows.slice(0, limit).map(toChangeEvent), seq, more: rows.length > limit };
  }

  /** What a visitor may replay: public messages of their own webchat conversations. */
  async sinceForVisitor(workspaceId: string, contactId: string, since: number, limit = 500): Promise<VisitorSyncResult> {
    const seq = await this.#lastSeq(workspaceId);
    const rows = await this.sql.all<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events
       WHERE workspace_id = ? AND contact_id = ? AND visibility = 'all' AND type = 'message.upserted'
         AND seq > ? AND seq <= ?
       ORDER BY seq LIMIT ?`,
      [workspaceId, contactId, since, seq, limit + 1],
    );
    return {
      events: rows.slice(0, limit).map((row) => toVisitorEvent(toChangeEvent(row))).filter((event) => event !== null),
      seq,
      more: rows.length > limit,
    };
  }

  /** Forgets a contact's history in the log (their data goes with them). */
  async deleteOfContact(workspaceId: string, contactId: string): Promise<void> {
    await this.sql.run('DELETE FROM events WHERE workspace_id = ? AND contact_id = ?', [workspaceId, contactId]);
  }

  async #lastSeq(workspaceId: string): Promise<number> {
    const row = await this.sql.get<{ last_seq: number }>('SELECT last_seq FROM workspaces WHERE id = ?', [workspaceId]);
    return row?.last_seq ?? 0;
  }
}

/** The visitor's view of a message event, or null for anything a visitor never sees. */
export function toVisitorEvent(event: ChangeEvent): VisitorChangeEvent | null {
  if (event.type !== 'message.upserted' || event.conversationId === null) return null;
  const message: Message = event.data.message;
  if (message.private) return null;
  return {
    seq: event.seq,
    type: 'message.upserted',
    conversationId: event.conversationId,
    data: { message: toVisitorMessage(message) },
    createdAt: event.createdAt,
  };
}
