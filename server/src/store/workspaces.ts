import type { Agent, Workspace, WorkspaceSettings } from '@charla/protocol';
import type { Sql } from '../db.js';
import { toAgent, toWorkspace, type AgentRow, type WorkspaceRow } from './rows.js';

const AGENT_COLUMNS = 'id, workspace_id, name, email, role, avatar_url, skills';

export interface VisitorRecord {
  id: string;
  workspaceId: string;
  contactId: string;
  /** The site user id the session proved with a valid hash; null: anonymous. */
  siteUser: string | null;
  /** The session's last use (a proven session expires counting from it). */
  activeAt: string | null;
}

/** Workspaces, their agents and their webchat visitors (the credentials that open a session). */
export class WorkspaceQueries {
  constructor(private readonly sql: Sql) {}

  async byId(id: string): Promise<Workspace | undefined> {
    const row = await this.sql.get<WorkspaceRow>('SELECT * FROM workspaces WHERE id = ?', [id]);
    return row && toWorkspace(row);
  }

  async byWidgetKey(widgetKey: string): Promise<Workspace | undefined> {
    const row = await this.sql.get<WorkspaceRow>('SELECT * FROM workspaces WHERE widget_key = ?', [widgetKey]);
    return row && toWorkspace(row);
  }

  /** The newest seq of the workspace's change log. */
  async lastSeq(workspaceId: string): Promise<number> {
    const row = await this.sql.get<{ last_seq: number }>('SELECT last_seq FROM workspaces WHERE id = ?', [workspaceId]);
    return row?.last_seq ?? 0;
  }

  async insert(workspace: Workspace): Promise<void> {
    await this.sql.run(
      `INSERT INTO workspaces (id, name, widget_key, greeting, default_country, timezone, currency, agent_visibility, last_seq, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`,
      [
        workspace.id, workspace.name, workspace.widgetKey, workspace.greeting, workspace.defaultCountry, workspace.timezone,
        workspace.currency, workspace.agentVisibility, workspace.createdAt,
      ],
    );
  }

  async updateSettings(id: string, settings: WorkspaceSettings): Promise<void> {
    await this.sql.run(
      'UPDATE workspaces SET name = ?, default_country = ?, timezone = ?, currency = ?, agent_visibility = ? WHERE id = ?',
      [settings.name, settings.defaultCountry, settings.timezone, settings.currency, settings.agentVisibility, id],
    );
  }

  async agentByTokenHash(tokenHash: string): Promise<Agent | undefined> {
    const row = await this.sql.get<AgentRow>(`SELECT ${AGENT_COLUMNS} FROM agents WHERE token_hash = ? AND deactivated_at IS NULL`, [tokenHash]);
    return row && toAgent(row);
  }

  async agent(workspaceId: string, agentId: string): Promise<Agent | undefined> {
    const row = await this.sql.get<AgentRow>(
      `SELECT ${AGENT_COLUMNS} FROM agents WHERE workspace_id = ? AND id = ?`,
      [workspaceId, agentId],
    );
    return row && toAgent(row);
  }

  async agents(workspaceId: string): Promise<Agent[]> {
    const rows = await this.sql.all<AgentRow>(
      `SELECT ${AGENT_COLUMNS} FROM agents WHERE workspace_id = ? AND deactivated_at IS NULL ORDER BY name, id`,
      [workspaceId],
    );
    return rows.map(toAgent);
  }

  /** Agents who set themselves away. */
  async awayAgentIds(workspaceId: string): Promise<Set<string>> {
    const rows = await this.sql.all<{ id: string }>('SELECT id FROM agents WHERE workspace_id = ? AND away = 1', [workspaceId]);
    return new Set(rows.map((row) => row.id));
  }

  async setAway(workspaceId: string, agentId: string, away: boolean): Promise<void> {
    await this.sql.run('UPDATE agents SET away = ? WHERE workspace_id = ? AND id = ?', [away ? 1 : 0, workspaceId, agentId]);
  }

  async agentByEmail(workspaceId: string, email: string): Promise<Agent | undefined> {
    const row = await this.sql.get<AgentRow>(
      `SELECT ${AGENT_COLUMNS} FROM agents WHERE workspace_id = ? AND email = ?`,
      [workspaceId, email],
    );
    return row && toAgent(row);
  }

  async insertAgent(agent: Agent, tokenHash: string | null, createdAt: string): Promise<void> {
    await this.sql.run(
      `INSERT INTO agents (id, workspace_id, name, email, role, avatar_url, token_hash, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [agent.id, agent.workspaceId, agent.name, agent.email, agent.role, agent.avatarUrl, tokenHash, createdAt],
    );
  }

  async setAgentTokenHash(agentId: string, tokenHash: string): Promise<void> {
    await this.sql.run('UPDATE agents SET token_hash = ? WHERE id = ?', [tokenHash, agentId]);
  }

  async visitorByTokenHash(workspaceId: string, tokenHash: string): Promise<VisitorRecord | undefined> {
    const row = await this.sql.get<{ id: string; workspace_id: string; contact_id: string; site_user: string | null; active_at: string | null }>(
      'SELECT id, workspace_id, contact_id, site_user, active_at FROM visitors WHERE workspace_id = ? AND token_hash = ?',
      [workspaceId, tokenHash],
    );
    return row && { id: row.id, workspaceId: row.workspace_id, contactId: row.contact_id, siteUser: row.site_user, activeAt: row.active_at };
  }

  async insertVisitor(visitor: VisitorRecord, tokenHash: string, createdAt: string): Promise<void> {
    await this.sql.run(
      'INSERT INTO visitors (id, workspace_id, contact_id, token_hash, site_user, active_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [visitor.id, visitor.workspaceId, visitor.contactId, tokenHash, visitor.siteUser, visitor.activeAt, createdAt],
    );
  }
}
