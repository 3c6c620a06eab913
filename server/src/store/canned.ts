import type { CannedResponse } from '@charla/protocol';
import type { Sql } from '../db.js';

interface CannedRow {
  id: string;
  workspace_id: string;
  shortcut: string;
  title: string;
  body: string;
  created_at: string;
  updated_at: string;
}

const toCanned = (row: CannedRow): CannedResponse => ({
  id: row.id,
  workspaceId: row.workspace_id,
  shortcut: row.shortcut,
  title: row.title,
  body: row.body,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** A workspace's canned responses. */
export class CannedQueries {
  constructor(private readonly sql: Sql) {}

  async list(workspaceId: string): Promise<CannedResponse[]> {
    const rows = await this.sql.all<CannedRow>('SELECT * FROM canned_responses WHERE workspace_id = ? ORDER BY shortcut', [workspaceId]);
    return rows.map(toCanned);
  }

  async get(workspaceId: string, id: string): Promise<CannedResponse | undefined> {
    const row = await this.sql.get<CannedRow>('SELECT * FROM canned_responses WHERE workspace_id = ? AND id = ?', [workspaceId, id]);
    return row && toCanned(row);
  }

  async byShortcut(workspaceId: string, shortcut: string): Promise<CannedResponse | undefined> {
    const row = await this.sql.get<CannedRow>('SELECT * FROM canned_responses WHERE workspace_id = ? AND shortcut = ?', [workspaceId, shortcut]);
    return row && toCanned(row);
  }

  async insert(response: CannedResponse): Promise<void> {
    await this.sql.run(
      `INSERT INTO canned_responses (id, workspace_id, shortcut, title, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [response.id, response.workspaceId, response.shortcut, response.title, response.body, response.createdAt, response.updatedAt],
    );
  }

  async save(response: CannedResponse): Promise<void> {
    await this.sql.run('UPDATE canned_responses SET shortcut = ?, title = ?, body = ?, updated_at = ? WHERE workspace_id = ? AND id = ?', [
      response.shortcut, response.title, response.body, response.updatedAt, response.workspaceId, response.id,
    ]);
  }

  async delete(workspaceId: string, id: string): Promise<void> {
    await this.sql.run('DELETE FROM canned_responses WHERE workspace_id = ? AND id = ?', [workspaceId, id]);
  }
}
