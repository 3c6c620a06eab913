import type { Sql } from '../db.js';

/** Routing settings per workspace, whose turn it is, and the counts routing decides with. */
export class RoutingQueries {
  constructor(private readonly sql: Sql) {}

  async settings(workspaceId: string): Promise<string | undefined> {
    return (await this.sql.get<{ settings: string }>('SELECT settings FROM routing_settings WHERE workspace_id = ?', [workspaceId]))?.settings;
  }

  async saveSettings(workspaceId: string, settings: string, at: string): Promise<void> {
    await this.sql.run(
      `INSERT INTO routing_settings (workspace_id, settings, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (workspace_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
      [workspaceId, settings, at],
    );
  }

  /** Workspaces that route automatically (their settings JSON, to be validated by the caller). */
  async routedWorkspaces(): Promise<Array<{ workspace_id: string; settings: string }>> {
    return this.sql.all('SELECT workspace_id, settings FROM routing_settings');
  }

  /** Open conversations assigned to each agent of the workspace. */
  async openLoad(workspaceId: string): Promise<Map<string, number>> {
    const rows = await this.sql.all<{ assignee_id: string; n: number }>(
      `SELECT assignee_id, COUNT(*) AS n FROM conversations
       WHERE workspace_id = ? AND assignee_id IS NOT NULL AND status IN ('open', 'pending') GROUP BY assignee_id`,
      [workspaceId],
    );
    return new Map(rows.map((row) => [row.assignee_id, row.n]));
  }

  async lastTurns(workspaceId: string): Promise<Map<string, string>> {
    const rows = await this.sql.all<{ agent_id: string; last_assigned_at: string }>(
      'SELECT agent_id, last_assigned_at FROM routing_turns WHERE workspace_id = ?',
      [workspaceId],
    );
    return new Map(rows.map((row) => [row.agent_id, row.last_assigned_at]));
  }

  async recordTurn(workspaceId: string, agentId: string, at: string): Promise<void> {
    await this.sql.run(
      `INSERT INTO routing_turns (workspace_id, agent_id, last_assigned_at) VALUES (?, ?, ?)
       ON CONFLICT (workspace_id, agent_id) DO UPDATE SET last_assigned_at = excluded.last_assigned_at`,
      [workspaceId, agentId, at],
    );
  }

  /** Who handled the contact's most recent other conversation. */
  async lastAgentOf(workspaceId: string, contactId: string, exceptConversationId: string): Promise<string | undefined> {
    const row = await this.sql.get<{ assignee_id: string }>(
      `SELECT assignee_id FROM conversations WHERE workspace_id = ? AND contact_id = ? AND id <> ? AND assignee_id IS NOT NULL
       ORDER BY last_message_at DESC LIMIT 1`,
      [workspaceId, contactId, exceptConversationId],
    );
    return row?.assignee_id;
  }

  /** Open, unassigned conversations waiting for routing. */
  async unassigned(workspaceId: string, limit: number): Promise<string[]> {
    const rows = await this.sql.all<{ id: string }>(
      `SELECT id FROM conversations WHERE workspace_id = ? AND status = 'open' AND assignee_id IS NULL ORDER BY last_message_at LIMIT ?`,
      [workspaceId, limit],
    );
    return rows.map((row) => row.id);
  }

  /** Open or pending conversations where the customer owes the answer, idle since before `before`. */
  async idle(workspaceId: string, before: string, limit: number): Promise<string[]> {
    const rows = await this.sql.all<{ id: string }>(
      `SELECT id FROM conversations WHERE workspace_id = ? AND status IN ('open', 'pending') AND waiting_since IS NULL
         AND last_message_at < ? ORDER BY last_message_at LIMIT ?`,
      [workspaceId, before, limit],
    );
    return rows.map((row) => row.id);
  }
}
