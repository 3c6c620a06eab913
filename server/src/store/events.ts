import type { ChangeEvent, Message, SyncResult, VisitorChangeEvent, VisitorSyncResult } from '@charla/protocol';
import type { Sql } from '../db.js';
import { CharlaFailure } from '../failure.js';
import { nowIso } from '../ids.js';
import { toChangeEvent, toVisitorMessage, type EventRow } from './rows.js';
import { ConversationQueries, VISIBLE_CONVERSATION_IDS } from './conversations.js';
import { VISITOR_CONVERSATIONS, visitorConversationParams, type VisitorScope } from './widget.js';

/** `all`: the conversation's visitors may see it too (a public message of a webchat conversation). */
export type EventVisibility = 'agents' | 'all';

type Unsequenced<E> = E extends ChangeEvent ? Omit<E, 'seq' | 'createdAt'> : never;

export type NewEvent = Unsequenced<ChangeEvent> & {
  contactId: string | null;
  visibility: EventVisibility;
  /**
   * The entry records a creation (a new message), not a change of something that existed: for
   * listeners inside the transaction (`beforeCommit`, outbound webhooks). Not stored.
   */
  created?: true;
};

/** A change-log entry with the routing facts the broadcaster needs. */
export interface StoredEvent {
  workspaceId: string;
  contactId: string | null;
  visibility: EventVisibility;
  event: ChangeEvent;
  /**
   * The agents who may see it, when the workspace shows agents their teams' conversations only
   * and the event belongs to a conversation; absent: every agent of the workspace.
   */
  audience?: readonly string[];
}

/**
 * Events that show a conversation (its state, its messages, what was said about it): only those
 * who may see the conversation get them. Deals and tasks linked to one stay everyone's.
 */
export const CONVERSATION_EVENT_TYPES = ['conversation.upserted', 'message.upserted', 'notification.created', 'ai.insight.upserted', 'ai.followup.upserted'] as const;
const CONVERSATION_EVENTS: ReadonlySet<string> = new Set(CONVERSATION_EVENT_TYPES);
const CONVERSATION_EVENTS_SQL = CONVERSATION_EVENT_TYPES.map((type) => `'${type}'`).join(', ');

const EVENT_COLUMNS = 'seq, type, conversation_id, data, created_at';

/** Events appended in one transaction are inserted together, this many rows per statement. */
const INSERT_BATCH = 100;

/** The ordered per-workspace change log that clients resync from. */
export class EventQueries {
  /** Appended in the current transaction, written by `flush()` before it commits; null outside one. */
  readonly #staged: Array<{ workspaceId: string; entry: NewEvent }> | null;

  constructor(
    private readonly sql: Sql,
    inTransaction = false,
  ) {
    this.#staged = inTransaction ? [] : null;
  }

  /** The events appended so far in the current transaction, not yet written. */
  staged(): ReadonlyArray<{ workspaceId: string; entry: NewEvent }> {
    return this.#staged ?? [];
  }

  /** Adds an event to the change log of the current transaction (seq and time are given at commit). */
  append(workspaceId: string, entry: NewEvent): void {
    if (!this.#staged) throw new Error('Events can only be appended inside a store transaction');
    this.#staged.push({ workspaceId, entry });
  }

  /** Takes out the events appended so far, grouped by workspace (in the order of their first append). */
  takeStaged(): Map<string, NewEvent[]> {
    const byWorkspace = new Map<string, NewEvent[]>();
    for (const { workspaceId, entry } of this.#staged?.splice(0) ?? []) byWorkspace.set(workspaceId, [...(byWorkspace.get(workspaceId) ?? []), entry]);
    return byWorkspace;
  }

  /**
   * Writes `entries` (from `takeStaged`) as the next events of `workspaceId`. Seqs come from the
   * workspace row (`last_seq`, updated in the same transaction, which is atomic and portable),
   * consecutive in the order of `append` calls.
   */
  async write(workspaceId: string, entries: readonly NewEvent[]): Promise<StoredEvent[]> {
    const row = await this.sql.get<{ last_seq: number; agent_visibility: string }>(
      'UPDATE workspaces SET last_seq = last_seq + ? WHERE id = ? RETURNING last_seq, agent_visibility',
      [entries.length, workspaceId],
    );
    if (!row) throw new CharlaFailure('not_found', 'Workspace not found');
    const createdAt = nowIso();
    const firstSeq = row.last_seq - entries.length + 1;
    const events = entries.map((entry, index): StoredEvent => ({
      workspaceId,
      contactId: entry.contactId,
      visibility: entry.visibility,
      event: {
        seq: firstSeq + index,
        type: entry.type,
        conversationId: entry.conversationId,
        data: entry.data,
        createdAt,
      } as ChangeEvent,
    }));
    if (row.agent_visibility === 'teams') await this.#addAudiences(workspaceId, events);
    for (let start = 0; start < events.length; start += INSERT_BATCH) {
      const batch = events.slice(start, start + INSERT_BATCH);
      await this.sql.run(
        `INSERT INTO events (workspace_id, seq, type, conversation_id, contact_id, visibility, data, created_at)
         VALUES ${batch.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        batch.flatMap(({ contactId, visibility, event }) => [
          workspaceId, event.seq, event.type, event.conversationId, contactId, visibility,
          JSON.stringify(event.data), event.createdAt,
        ]),
      );
    }
    return events;
  }

  /** Who may see the events of conversations, as the conversations are when the transaction ends. */
  async #addAudiences(workspaceId: string, events: StoredEvent[]): Promise<void> {
    const scoped = events.filter(({ event }) => event.conversationId !== null && CONVERSATION_EVENTS.has(event.type));
    const audiences = await new ConversationQueries(this.sql).audiences(workspaceId, [...new Set(scoped.map(({ event }) => event.conversationId!))]);
    for (const stored of scoped) stored.audience = audiences.get(stored.event.conversationId!) ?? [];
  }

  /**
   * Events after `since`, oldest first, at most `limit` of them. `visibleTo`: an agent limited to
   * their teams' conversations, who replays nothing of the others.
   */
  async since(workspaceId: string, since: number, limit = 500, visibleTo?: string): Promise<SyncResult> {
    // Bound by the seq read first: everything up to it is committed, so nothing is skipped later.
    const seq = await this.#lastSeq(workspaceId);
    const hidden = visibleTo === undefined
      ? ''
      : `AND (type NOT IN (${CONVERSATION_EVENTS_SQL}) OR conversation_id IS NULL OR conversation_id IN (${VISIBLE_CONVERSATION_IDS}))`;
    const rows = await this.sql.all<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE workspace_id = ? AND seq > ? AND seq <= ? ${hidden} ORDER BY seq LIMIT ?`,
      [workspaceId, since, seq, ...(visibleTo === undefined ? [] : [workspaceId, visibleTo, visibleTo]), limit + 1],
    );
    return { events: rows.slice(0, limit).map(toChangeEvent), seq, more: rows.length > limit };
  }

  /** What a visitor may replay: public messages of the webchat conversations their session may see. */
  async sinceForVisitor(workspaceId: string, session: VisitorScope, since: number, limit = 500): Promise<VisitorSyncResult> {
    const seq = await this.#lastSeq(workspaceId);
    const rows = await this.sql.all<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events
       WHERE workspace_id = ? AND conversation_id IN (${VISITOR_CONVERSATIONS}) AND visibility = 'all' AND type = 'message.upserted'
         AND seq > ? AND seq <= ?
       ORDER BY seq LIMIT ?`,
      [workspaceId, ...visitorConversationParams(workspaceId, session), since, seq, limit + 1],
    );
    return {
      events: rows.slice(0, limit).map((row) => toVisitorEvent(toChangeEvent(row))).filter((event) => event !== null),
      seq,
      more: rows.length > limit,
    };
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
