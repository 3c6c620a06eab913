import type { AgentRole } from '@charla/protocol';
import type { Sql } from '../db.js';

/** A long-lived REST credential of a workspace's server (the key itself is stored only hashed). */
export interface ApiKeyRecord {
  id: string;
  workspaceId: string;
  name: string;
  role: AgentRole;
  /** The key's first characters, to tell keys apart in a list (never enough to use it). */
  prefix: string;
  /** The admin who created it: the key acts as them, with its own role at most. */
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
}

interface ApiKeyRow {
  id: string;
  workspace_id: string;
  name: string;
  role: AgentRole;
  prefix: string;
  created_by: string;
  created_at: string;
  last_used_at: string | null;
}

const COLUMNS = 'id, workspace_id, name, role, prefix, created_by, created_at, last_used_at';

const toApiKey = (row: ApiKeyRow): ApiKeyRecord => ({
  id: row.id,
  workspaceId: row.workspace_id,
  name: row.name,
  role: row.role,
  prefix: row.prefix,
  createdBy: row.created_by,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
});

export class ApiKeyQueries {
  constructor(private readonly sql: Sql) {}

  async insert(key: ApiKeyRecord, keyHash: string): Promise<void> {
    await this.sql.run(
      `INSERT INTO api_keys (id, workspace_id, name, role, prefix, key_hash, created_by, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [key.id, key.workspaceId, key.name, key.role, key.prefix, keyHash, key.createdBy, key.createdAt],
    );
  }

  /** The workspace's keys not revoked, oldest first. */
  async list(workspaceId: string): Promise<ApiKeyRecord[]> {
    const rows = await this.sql.all<ApiKeyRow>(
      `SELECT ${COLUMNS} FROM api_keys WHERE workspace_id = ? AND revoked_at IS NULL ORDER BY created_at, id`,
      [workspaceId],
    );
    return rows.map(toApiKey);
  }

  async count(workspaceId: string): Promise<number> {
    const row = await this.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM api_keys WHERE workspace_id = ? AND revoked_at IS NULL', [workspaceId]);
    return Number(row?.n ?? 0);
  }

  /** The key with this hash, unless revoked. */
  async byHash(keyHash: string): Promise<ApiKeyRecord | undefined> {
    const row = await this.sql.get<ApiKeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL`, [keyHash]);
    return row && toApiKey(row);
  }

  /** Revokes a key; false when the workspace has no such key (or it was revoked already). */
  async revoke(workspaceId: string, id: string, at: string): Promise<boolean> {
    const result = await this.sql.run(
      'UPDATE api_keys SET revoked_at = ? WHERE workspace_id = ? AND id = ? AND revoked_at IS NULL',
      [at, workspaceId, id],
    );
    return result.changes > 0;
  }

  async touch(id: string, at: string): Promise<void> {
    await this.sql.run('UPDATE api_keys SET last_used_at = ? WHERE id = ?', [at, id]);
  }
}
