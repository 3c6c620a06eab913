import type { AuditEntry as AuditView } from '@charla/protocol';
import type { Sql } from '../db.js';
import { newId, nowIso } from '../ids.js';

export interface AuditEntry {
  workspaceId: string;
  actorKind: 'agent' | 'visitor' | 'system';
  actorId: string | null;
  /** What was done, e.g. `conversation.update`, `contact.delete`. */
  action: string;
  targetKind: string;
  targetId: string;
  data?: unknown;
}

/** Who did what: an append-only record of agents' changes. */
export class AuditQueries {
  constructor(private readonly sql: Sql) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.sql.run(
      `INSERT INTO audit_log (id, workspace_id, actor_kind, actor_id, action, target_kind, target_id, data, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        newId('aud'), entry.workspaceId, entry.actorKind, entry.actorId, entry.action, entry.targetKind,
        entry.targetId, JSON.stringify(entry.data ?? {}), nowIso(),
      ],
    );
  }

  async forTarget(workspaceId: string, targetId: string): Promise<Array<{ action: string; actorId: string | null; data: unknown }>> {
    const rows = await this.sql.all<{ action: string; actor_id: string | null; data: string }>(
      'SELECT action, actor_id, data FROM audit_log WHERE workspace_id = ? AND target_id = ? ORDER BY id',
      [workspaceId, targetId],
    );
    return rows.map((row) => ({ action: row.action, actorId: row.actor_id, data: JSON.parse(row.data) as unknown }));
  }

  /** Entries newest first, filtered by actor, target, action (and its sub-actions) and time. */
  async list(workspaceId: string, filter: AuditFilter): Promise<AuditView[]> {
    const where = ['l.workspace_id = ?'];
    const params: Array<string | number> = [workspaceId];
    if (filter.actorId) (where.push('l.actor_id = ?'), params.push(filter.actorId));
    if (filter.targetId) (where.push('l.target_id = ?'), params.push(filter.targetId));
    if (filter.action) (where.push('(l.action = ? OR l.action LIKE ?)'), params.push(filter.action, `${filter.action}.%`));
    if (filter.from) (where.push('l.created_at >= ?'), params.push(filter.from));
    if (filter.to) (where.push('l.created_at < ?'), params.push(filter.to));
    if (filter.before) {
      where.push('(l.created_at < ? OR (l.created_at = ? AND l.id < ?))');
      params.push(filter.before.createdAt, filter.before.createdAt, filter.before.id);
    }
    const rows = await this.sql.all<{
      id: string; actor_kind: AuditEntry['actorKind']; actor_id: string | null; actor_name: string | null; action: string;
      target_kind: string; target_id: string; data: string; created_at: string;
    }>(
      `SELECT l.id, l.actor_kind, l.actor_id, a.name AS actor_name, l.action, l.target_kind, l.target_id, l.data, l.created_at
       FROM audit_log l LEFT JOIN agents a ON l.actor_kind = 'agent' AND a.id = l.actor_id AND a.workspace_id = l.workspace_id
       WHERE ${where.join(' AND ')}
       ORDER BY l.created_at DESC, l.id DESC LIMIT ?`,
      [...params, filter.limit],
    );
    return rows.map((row) => ({
      id: row.id,
      actorKind: row.actor_kind,
      actorId: row.actor_id,
      actorName: row.actor_name,
      action: row.action,
      targetKind: row.target_kind,
      targetId: row.target_id,
      data: JSON.parse(row.data) as Record<string, unknown>,
      createdAt: row.created_at,
    }));
  }
}

export interface AuditFilter {
  actorId?: string;
  targetId?: string;
  action?: string;
  /** ISO-8601 bounds: `from` included, `to` excluded. */
  from?: string;
  to?: string;
  /** Continue after this entry (created_at, id), newest first. */
  before?: { createdAt: string; id: string };
  limit: number;
}

