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
}
