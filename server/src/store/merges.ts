import type { ContactMergeRecord, MergeMoves } from '@charla/protocol';
import type { Sql, SqlParam } from '../db.js';
import { dialectOf } from '../dialect.js';
import { placeholders } from './like.js';

/** A row as SQLite returns it, column by column (for snapshots a merge restores verbatim). */
export type RawRow = Record<string, SqlParam>;

/** The rows of one table that moved from one contact to another, by their primary key. */
export interface MovedRows {
  table: string;
  keyColumns: string[];
  keys: SqlParam[][];
}

/** What moving a contact's rows did: what moved, and the rows that could not (kept verbatim). */
export interface RowMove {
  moved: MovedRows[];
  /**
   * Rows the other contact already had an equivalent of (a unique key with `contact_id`, e.g.
   * the AI's record of where a field came from): they stay with the merged contact's snapshot.
   */
  leftovers: Array<{ table: string; row: RawRow }>;
}

/** What a merge record keeps so the merge can be undone (stored as JSON). */
export interface MergeSnapshot {
  /** The merged contact's row as it was. */
  merged: RawRow;
  /** The survivor's row before and right after the merge (to restore only what nobody changed since). */
  survivorBefore: RawRow;
  survivorAfter: RawRow;
  rows: RowMove;
  /** Secondary identities the merge created from the merged contact's email or phone. */
  addedIdentityIds: string[];
}

export interface StoredMerge {
  id: string;
  workspaceId: string;
  survivorId: string;
  mergedId: string;
  actorKind: 'agent' | 'system';
  actorId: string | null;
  reason: string;
  snapshot: MergeSnapshot;
  createdAt: string;
  expiresAt: string;
  undoneAt: string | null;
}

interface MergeRow {
  id: string;
  workspace_id: string;
  survivor_id: string;
  merged_id: string;
  actor_kind: 'agent' | 'system';
  actor_id: string | null;
  reason: string;
  record: string;
  created_at: string;
  expires_at: string;
  undone_at: string | null;
}

/** Table and column names come from SQLite's catalog; anything else never reaches SQL text. */
const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`Unexpected identifier ${JSON.stringify(name)}`);
  return `"${name}"`;
}

/** Tables keyed by contact that a merge does not move row by row. */
const MOVED_SPECIALLY = new Set(['contacts', 'contact_keys']);

/** Bound values per statement when rows move back (well under SQLite's limit). */
const KEY_BATCH = 400;

/** Merge records, row moves that can be undone, the counts a merge preview shows, and dismissed duplicates. */
export class MergeQueries {
  constructor(private readonly sql: Sql) {}

  /** The contact's row exactly as stored (every column, including ones later migrations add). */
  async contactRow(workspaceId: string, contactId: string): Promise<RawRow | undefined> {
    return this.sql.get<RawRow>('SELECT * FROM contacts WHERE workspace_id = ? AND id = ?', [workspaceId, contactId]);
  }

  async insertRow(table: string, row: RawRow): Promise<void> {
    const columns = Object.keys(row);
    await this.sql.run(
      `INSERT INTO ${identifier(table)} (${columns.map(identifier).join(', ')}) VALUES (${placeholders(columns.length)})`,
      columns.map((column) => row[column] ?? null),
    );
  }

  /** Sets columns of a contact's row to earlier values (columns named by a snapshot). */
  async restoreContactColumns(workspaceId: string, contactId: string, values: RawRow): Promise<void> {
    const columns = Object.keys(values);
    if (columns.length === 0) return;
    await this.sql.run(
      `UPDATE contacts SET ${columns.map((column) => `${identifier(column)} = ?`).join(', ')} WHERE workspace_id = ? AND id = ?`,
      [...columns.map((column) => values[column] ?? null), workspaceId, contactId],
    );
  }

  /** Every table with a `contact_id` column, with its primary key columns (`rowid` when it has none). */
  async #contactTables(): Promise<Array<{ table: string; keyColumns: string[] }>> {
    const rows = await this.sql.all<{ name: string; column: string | null }>(
      dialectOf(this.sql).name === 'postgres'
        ? `SELECT t.relname AS name, (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM pg_index i
             CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
             WHERE i.indrelid = t.oid AND i.indisprimary) AS "column"
           FROM pg_class t WHERE t.relkind = 'r' AND t.relnamespace = CAST(current_schema() AS regnamespace)
             AND EXISTS (SELECT 1 FROM pg_attribute c WHERE c.attrelid = t.oid AND c.attname = 'contact_id' AND NOT c.attisdropped)
           ORDER BY t.relname`
        : `SELECT m.name AS name, (SELECT group_concat(k.name) FROM (SELECT p.name FROM pragma_table_info(m.name) p WHERE p.pk > 0 ORDER BY p.pk) k) AS "column"
           FROM sqlite_master m WHERE m.type = 'table'
             AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) c WHERE c.name = 'contact_id')
           ORDER BY m.name`,
    );
    return rows
      .filter((row) => !MOVED_SPECIALLY.has(row.name) && IDENTIFIER.test(row.name))
      .map((row) => ({ table: row.name, keyColumns: row.column ? row.column.split(',') : ['rowid'] }));
  }

  /**
   * Moves every row of contact `fromId` to `toId` — identities, conversations (their messages
   * follow), notes, visitor sessions, deals, tasks, business events, AI insights, change-log
   * entries, and any table a later module adds with a `contact_id` — and says which rows moved,
   * so a merge can be undone. A row that cannot move because `toId` already has its equivalent
   * (a unique key that includes `contact_id`) stays behind and is returned whole. The tables come
   * from SQLite's catalog; a PostgreSQL store would read information_schema.
   */
  async moveContactRows(workspaceId: string, fromId: string, toId: string): Promise<RowMove> {
    const move: RowMove = { moved: [], leftovers: [] };
    for (const { table, keyColumns } of await this.#contactTables()) {
      const keyList = keyColumns.map(identifier).join(', ');
      const before = await this.sql.all<RawRow>(`SELECT ${keyList} FROM ${identifier(table)} WHERE contact_id = ?`, [fromId]);
      if (before.length === 0) continue;
      await this.#moveIgnoringConflicts(table, keyColumns, before, fromId, toId);
      const stayed = await this.sql.all<RawRow>(`SELECT * FROM ${identifier(table)} WHERE contact_id = ?`, [fromId]);
      const keyOf = (row: RawRow) => JSON.stringify(keyColumns.map((column) => row[column]));
      const stayedKeys = new Set(stayed.map(keyOf));
      const keys = before.filter((row) => !stayedKeys.has(keyOf(row))).map((row) => keyColumns.map((column) => row[column] ?? null));
      if (keys.length > 0) move.moved.push({ table, keyColumns, keys });
      move.leftovers.push(...stayed.map((row) => ({ table, row })));
    }
    await this.sql.run(
      `INSERT INTO contact_keys (workspace_id, key, contact_id)
       SELECT workspace_id, key, ? FROM contact_keys WHERE workspace_id = ? AND contact_id = ? ON CONFLICT DO NOTHING`,
      [toId, workspaceId, fromId],
    );
    return move;
  }

  /**
   * `UPDATE OR IGNORE`: every row of `fromId` moves to `toId` except those a unique key keeps
   * back. PostgreSQL has no such UPDATE: there the rows move together, and when a unique key
   * objects, one by one, each in a savepoint so a refused row leaves the transaction usable.
   */
  async #moveIgnoringConflicts(table: string, keyColumns: string[], rows: RawRow[], fromId: string, toId: string): Promise<void> {
    if (dialectOf(this.sql).name !== 'postgres') {
      await this.sql.run(`UPDATE OR IGNORE ${identifier(table)} SET contact_id = ? WHERE contact_id = ?`, [toId, fromId]);
      return;
    }
    const tryMove = async (where: string, params: SqlParam[]): Promise<void> => {
      await this.sql.exec('SAVEPOINT charla_move');
      try {
        await this.sql.run(`UPDATE ${identifier(table)} SET contact_id = ? WHERE contact_id = ?${where}`, [toId, fromId, ...params]);
        await this.sql.exec('RELEASE SAVEPOINT charla_move');
      } catch (error) {
        await this.sql.exec('ROLLBACK TO SAVEPOINT charla_move; RELEASE SAVEPOINT charla_move');
        if ((error as { code?: string }).code !== '23505') throw error;
        if (where !== '') return;
        for (const row of rows) {
          await tryMove(keyColumns.map((column) => ` AND ${identifier(column)} = ?`).join(''), keyColumns.map((column) => row[column] ?? null));
        }
      }
    };
    await tryMove('', []);
  }

  /** Gives rows that moved to `fromId` back to `toId`, those still with `fromId` (what moved on since stays where it is). */
  async moveRowsBack(moved: readonly MovedRows[], fromId: string, toId: string): Promise<void> {
    for (const { table, keyColumns, keys } of moved) {
      const tuple = keyColumns.length === 1 ? identifier(keyColumns[0]!) : `(${keyColumns.map(identifier).join(', ')})`;
      const one = keyColumns.length === 1 ? '?' : `(${placeholders(keyColumns.length)})`;
      const perBatch = Math.max(1, Math.floor(KEY_BATCH / keyColumns.length));
      for (let start = 0; start < keys.length; start += perBatch) {
        const batch = keys.slice(start, start + perBatch);
        const list = keyColumns.length === 1 ? batch.map(() => one).join(', ') : `VALUES ${batch.map(() => one).join(', ')}`;
        // PostgreSQL types a VALUES list on its own (text), so there each key is compared column by column.
        const match = keyColumns.length > 1 && dialectOf(this.sql).name === 'postgres'
          ? `(${batch.map(() => `(${keyColumns.map((column) => `${identifier(column)} = ?`).join(' AND ')})`).join(' OR ')})`
          : `${tuple} IN (${list})`;
        await this.sql.run(`UPDATE ${identifier(table)} SET contact_id = ? WHERE contact_id = ? AND ${match}`, [
          toId,
          fromId,
          ...batch.flat(),
        ]);
      }
    }
  }

  /** How many rows of each kind a contact has (what merging it moves). */
  async movesOf(workspaceId: string, contactId: string): Promise<MergeMoves> {
    const row = await this.sql.get<MergeMoves>(
      `SELECT
         (SELECT COUNT(*) FROM conversations WHERE workspace_id = ?1 AND contact_id = ?2) AS conversations,
         (SELECT COUNT(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id
            WHERE c.workspace_id = ?1 AND c.contact_id = ?2 AND m.type != 'system') AS messages,
         (SELECT COUNT(*) FROM identities WHERE workspace_id = ?1 AND contact_id = ?2) AS identities,
         (SELECT COUNT(*) FROM notes WHERE workspace_id = ?1 AND contact_id = ?2) AS notes,
         (SELECT COUNT(*) FROM deals WHERE workspace_id = ?1 AND contact_id = ?2) AS deals,
         (SELECT COUNT(*) FROM tasks WHERE workspace_id = ?1 AND contact_id = ?2) AS tasks,
         (SELECT COUNT(*) FROM business_events WHERE workspace_id = ?1 AND contact_id = ?2) AS "businessEvents",
         (SELECT COUNT(*) FROM ai_insights WHERE workspace_id = ?1 AND contact_id = ?2 AND status = 'ready') AS "aiInsights"`,
      [workspaceId, contactId],
    );
    return row ?? { conversations: 0, messages: 0, identities: 0, notes: 0, deals: 0, tasks: 0, businessEvents: 0, aiInsights: 0 };
  }

  async deleteIdentities(workspaceId: string, contactId: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.sql.run(`DELETE FROM identities WHERE workspace_id = ? AND contact_id = ? AND id IN (${placeholders(ids.length)})`, [
      workspaceId,
      contactId,
      ...ids,
    ]);
  }

  // ------------------------------------------------------------------ merge records

  async insertRecord(record: Omit<StoredMerge, 'undoneAt'>): Promise<void> {
    await this.sql.run(
      `INSERT INTO contact_merges (id, workspace_id, survivor_id, merged_id, actor_kind, actor_id, reason, record, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        record.id, record.workspaceId, record.survivorId, record.mergedId, record.actorKind, record.actorId, record.reason,
        JSON.stringify(record.snapshot), record.createdAt, record.expiresAt,
      ],
    );
  }

  async record(workspaceId: string, id: string): Promise<StoredMerge | undefined> {
    const row = await this.sql.get<MergeRow>('SELECT * FROM contact_merges WHERE workspace_id = ? AND id = ?', [workspaceId, id]);
    return row && toStoredMerge(row);
  }

  /** Merges into a contact that can still be undone at `now`, newest first. */
  async undoable(workspaceId: string, survivorId: string, now: string): Promise<ContactMergeRecord[]> {
    const rows = await this.sql.all<Omit<MergeRow, 'record'> & { merged_name: string | null }>(
      `SELECT id, workspace_id, survivor_id, merged_id, actor_kind, actor_id, reason, created_at, expires_at, undone_at,
         ${dialectOf(this.sql).jsonText('record', ['merged', 'name'])} AS merged_name
       FROM contact_merges WHERE workspace_id = ? AND survivor_id = ? AND undone_at IS NULL AND expires_at > ?
       ORDER BY created_at DESC, id DESC LIMIT 20`,
      [workspaceId, survivorId, now],
    );
    return rows.map((row) => ({
      id: row.id,
      survivorId: row.survivor_id,
      mergedId: row.merged_id,
      mergedName: row.merged_name,
      actor: { kind: row.actor_kind, id: row.actor_id },
      reason: row.reason,
      createdAt: row.created_at,
      undoableUntil: row.expires_at,
    }));
  }

  async markUndone(workspaceId: string, id: string, undoneAt: string, undoneBy: string | null): Promise<void> {
    await this.sql.run('UPDATE contact_merges SET undone_at = ?, undone_by = ? WHERE workspace_id = ? AND id = ?', [
      undoneAt,
      undoneBy,
      workspaceId,
      id,
    ]);
  }

  /** Forgets merges that can no longer be undone (their snapshots hold personal data). */
  async deleteExpired(now: string): Promise<void> {
    await this.sql.run('DELETE FROM contact_merges WHERE expires_at <= ?', [now]);
  }

  // ------------------------------------------------------------------ possible duplicates

  /** Every named contact of the workspace (id and name), oldest first: names are compared in memory. */
  async names(workspaceId: string): Promise<Array<{ id: string; name: string }>> {
    return this.sql.all('SELECT id, name FROM contacts WHERE workspace_id = ? AND name IS NOT NULL ORDER BY id', [workspaceId]);
  }

  async dismiss(workspaceId: string, pair: readonly [string, string], agentId: string, at: string): Promise<void> {
    await this.sql.run(
      `INSERT INTO duplicate_dismissals (workspace_id, contact_id, other_id, dismissed_by, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
      [workspaceId, pair[0], pair[1], agentId, at],
    );
  }

  /** Dismissed pairs as `a|b` (ids in order). */
  async dismissedPairs(workspaceId: string): Promise<Set<string>> {
    const rows = await this.sql.all<{ contact_id: string; other_id: string }>(
      'SELECT contact_id, other_id FROM duplicate_dismissals WHERE workspace_id = ?',
      [workspaceId],
    );
    return new Set(rows.map((row) => `${row.contact_id}|${row.other_id}`));
  }
}

function toStoredMerge(row: MergeRow): StoredMerge {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    survivorId: row.survivor_id,
    mergedId: row.merged_id,
    actorKind: row.actor_kind,
    actorId: row.actor_id,
    reason: row.reason,
    snapshot: JSON.parse(row.record) as MergeSnapshot,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    undoneAt: row.undone_at,
  };
}
