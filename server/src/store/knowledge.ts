import type { KnowledgeEntry, KnowledgeHit, KnowledgeKind } from '@charla/protocol';
import type { Sql } from '../db.js';
import { dialectOf } from '../dialect.js';

interface EntryRow {
  id: string;
  workspace_id: string;
  kind: KnowledgeKind;
  title: string;
  body: string;
  chunks: number;
  created_by: string | null;
  created_at: string;
}

interface HitRow {
  entry_id: string;
  chunk_id: string;
  kind: KnowledgeKind;
  title: string;
  text: string;
}

const toEntry = (row: EntryRow): KnowledgeEntry => ({
  id: row.id,
  workspaceId: row.workspace_id,
  kind: row.kind,
  title: row.title,
  body: row.body,
  chunks: Number(row.chunks),
  createdBy: row.created_by,
  createdAt: row.created_at,
});

export interface KnowledgeChunkRow {
  id: string;
  position: number;
  text: string;
  /** The chunk with its entry's title, folded (lower case, no accents): what the full-text index reads. */
  searchText: string;
}

/** The workspace's knowledge base: entries, their chunks, and full-text search over the chunks. */
export class KnowledgeQueries {
  constructor(private readonly sql: Sql) {}

  async insert(entry: KnowledgeEntry, chunks: readonly KnowledgeChunkRow[]): Promise<void> {
    await this.sql.run(
      `INSERT INTO knowledge_entries (id, workspace_id, kind, title, body, chunks, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [entry.id, entry.workspaceId, entry.kind, entry.title, entry.body, entry.chunks, entry.createdBy, entry.createdAt],
    );
    for (const chunk of chunks) {
      await this.sql.run(
        'INSERT INTO knowledge_chunks (id, workspace_id, entry_id, position, text, search_text) VALUES (?, ?, ?, ?, ?, ?)',
        [chunk.id, entry.workspaceId, entry.id, chunk.position, chunk.text, chunk.searchText],
      );
    }
  }

  async list(workspaceId: string): Promise<KnowledgeEntry[]> {
    const rows = await this.sql.all<EntryRow>('SELECT * FROM knowledge_entries WHERE workspace_id = ? ORDER BY created_at, id', [workspaceId]);
    return rows.map(toEntry);
  }

  async count(workspaceId: string): Promise<number> {
    const row = await this.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM knowledge_entries WHERE workspace_id = ?', [workspaceId]);
    return Number(row?.n ?? 0);
  }

  async get(workspaceId: string, id: string): Promise<KnowledgeEntry | undefined> {
    const row = await this.sql.get<EntryRow>('SELECT * FROM knowledge_entries WHERE workspace_id = ? AND id = ?', [workspaceId, id]);
    return row && toEntry(row);
  }

  /** Deletes the entry and its chunks (their index entries follow). */
  async delete(workspaceId: string, id: string): Promise<void> {
    await this.sql.run('DELETE FROM knowledge_chunks WHERE workspace_id = ? AND entry_id = ?', [workspaceId, id]);
    await this.sql.run('DELETE FROM knowledge_entries WHERE workspace_id = ? AND id = ?', [workspaceId, id]);
  }

  /**
   * The chunks matching any of `terms` (folded words of letters and digits, each read as a
   * prefix: "precio" finds "precios"), best first: SQLite FTS5's bm25, PostgreSQL's ts_rank.
   */
  async search(workspaceId: string, terms: readonly string[], limit: number): Promise<KnowledgeHit[]> {
    const words = terms.filter((term) => /^[a-z0-9]+$/.test(term));
    if (words.length === 0) return [];
    const columns = 'c.entry_id, c.id AS chunk_id, e.kind, e.title, c.text';
    if (dialectOf(this.sql).name === 'postgres') {
      const query = words.map((word) => `${word}:*`).join(' | ');
      return this.sql.all<HitRow>(
        `SELECT ${columns} FROM knowledge_chunks c JOIN knowledge_entries e ON e.id = c.entry_id
         WHERE c.workspace_id = ? AND to_tsvector('simple', c.search_text) @@ to_tsquery('simple', ?)
         ORDER BY ts_rank(to_tsvector('simple', c.search_text), to_tsquery('simple', ?)) DESC, c.entry_id, c.position LIMIT ?`,
        [workspaceId, query, query, limit],
      ).then(toHits);
    }
    const query = words.map((word) => `"${word}"*`).join(' OR ');
    return this.sql.all<HitRow>(
      `SELECT ${columns} FROM knowledge_fts f JOIN knowledge_chunks c ON c.id = f.chunk_id JOIN knowledge_entries e ON e.id = c.entry_id
       WHERE knowledge_fts MATCH ? AND c.workspace_id = ?
       ORDER BY bm25(knowledge_fts), c.entry_id, c.position LIMIT ?`,
      [query, workspaceId, limit],
    ).then(toHits);
  }
}

function toHits(rows: HitRow[]): KnowledgeHit[] {
  return rows.map((row) => ({ entryId: row.entry_id, chunkId: row.chunk_id, kind: row.kind, title: row.title, text: row.text }));
}
