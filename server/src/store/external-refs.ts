import type { ExternalIds } from '@charla/protocol';
import type { Sql } from '../db.js';

export type ExternalKind = 'contact' | 'company' | 'deal';

/** The table of each kind (fixed names, never input). */
const TABLES: Record<ExternalKind, string> = { contact: 'contacts', company: 'companies', deal: 'deals' };

/** The ids records have in the host's other systems, and which record holds an id. */
export class ExternalRefQueries {
  constructor(private readonly sql: Sql) {}

  /** The record of `kind` holding `system:id`, if any. */
  async holder(workspaceId: string, kind: ExternalKind, system: string, id: string): Promise<string | undefined> {
    const row = await this.sql.get<{ entity_id: string }>(
      'SELECT entity_id FROM external_refs WHERE workspace_id = ? AND kind = ? AND system = ? AND external_id = ?',
      [workspaceId, kind, system, id],
    );
    return row?.entity_id;
  }

  /** Makes `ids` the record's (replacing what it had); the caller checked that no other record holds one. */
  async set(workspaceId: string, kind: ExternalKind, entityId: string, ids: ExternalIds): Promise<void> {
    await this.sql.run('DELETE FROM external_refs WHERE workspace_id = ? AND kind = ? AND entity_id = ?', [workspaceId, kind, entityId]);
    const entries = Object.entries(ids);
    if (entries.length > 0) {
      await this.sql.run(
        `INSERT INTO external_refs (workspace_id, kind, system, external_id, entity_id) VALUES ${entries.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
        entries.flatMap(([system, id]) => [workspaceId, kind, system, id, entityId]),
      );
    }
    await this.sql.run(`UPDATE ${TABLES[kind]} SET external_ids = ? WHERE workspace_id = ? AND id = ?`, [
      entries.length > 0 ? JSON.stringify(ids) : null, workspaceId, entityId,
    ]);
  }

  /** Whether the workspace still has the record. */
  async exists(workspaceId: string, kind: ExternalKind, entityId: string): Promise<boolean> {
    return (await this.sql.get(`SELECT 1 AS found FROM ${TABLES[kind]} WHERE workspace_id = ? AND id = ?`, [workspaceId, entityId])) !== undefined;
  }

  /** Forgets an id whose record is gone (deleted, merged away). */
  async forget(workspaceId: string, kind: ExternalKind, system: string, id: string): Promise<void> {
    await this.sql.run('DELETE FROM external_refs WHERE workspace_id = ? AND kind = ? AND system = ? AND external_id = ?', [workspaceId, kind, system, id]);
  }
}

/** The ids stored on a row (`external_ids`), spread into the entity only when it has some. */
export function externalIdsOf(value: string | null | undefined): { externalIds?: ExternalIds } {
  return value ? { externalIds: JSON.parse(value) as ExternalIds } : {};
}
