import type { Team } from '@charla/protocol';
import type { Sql } from '../db.js';

/** A workspace's teams and their members. */
export class TeamQueries {
  constructor(private readonly sql: Sql) {}

  async list(workspaceId: string): Promise<Team[]> {
    const [teams, members] = await Promise.all([
      this.sql.all<{ id: string; name: string }>('SELECT id, name FROM teams WHERE workspace_id = ? ORDER BY name', [workspaceId]),
      this.sql.all<{ team_id: string; agent_id: string }>(
        'SELECT m.team_id, m.agent_id FROM team_members m JOIN teams t ON t.id = m.team_id WHERE t.workspace_id = ?',
        [workspaceId],
      ),
    ]);
    return teams.map((team) => ({
      id: team.id,
      workspaceId,
      name: team.name,
      agentIds: members.filter((m) => m.team_id === team.id).map((m) => m.agent_id),
    }));
  }

  async get(workspaceId: string, id: string): Promise<Team | undefined> {
    return (await this.list(workspaceId)).find((team) => team.id === id);
  }

  async byName(workspaceId: string, name: string): Promise<{ id: string } | undefined> {
    return this.sql.get<{ id: string }>('SELECT id FROM teams WHERE workspace_id = ? AND name = ?', [workspaceId, name]);
  }

  async insert(team: Team, createdAt: string): Promise<void> {
    await this.sql.run('INSERT INTO teams (id, workspace_id, name, created_at) VALUES (?, ?, ?, ?)', [team.id, team.workspaceId, team.name, createdAt]);
    for (const agentId of team.agentIds) await this.#addMember(team.id, agentId);
  }

  async rename(workspaceId: string, id: string, name: string): Promise<void> {
    await this.sql.run('UPDATE teams SET name = ? WHERE workspace_id = ? AND id = ?', [name, workspaceId, id]);
  }

  /** The team's members become exactly `agentIds` (the caller checked the team is the workspace's). */
  async setMembers(id: string, agentIds: string[]): Promise<void> {
    await this.sql.run('DELETE FROM team_members WHERE team_id = ?', [id]);
    for (const agentId of agentIds) await this.#addMember(id, agentId);
  }

  /** The ids of the workspace's teams the agent belongs to, by team name. */
  async teamIdsOf(workspaceId: string, agentId: string): Promise<string[]> {
    const rows = await this.sql.all<{ id: string }>(
      'SELECT t.id FROM teams t JOIN team_members m ON m.team_id = t.id WHERE t.workspace_id = ? AND m.agent_id = ? ORDER BY t.name',
      [workspaceId, agentId],
    );
    return rows.map((row) => row.id);
  }

  /** The agent belongs to exactly `teamIds` of the workspace (the caller checked they are its teams). */
  async setTeamsOf(workspaceId: string, agentId: string, teamIds: string[]): Promise<void> {
    await this.sql.run('DELETE FROM team_members WHERE agent_id = ? AND team_id IN (SELECT id FROM teams WHERE workspace_id = ?)', [agentId, workspaceId]);
    for (const teamId of teamIds) await this.#addMember(teamId, agentId);
  }

  async #addMember(teamId: string, agentId: string): Promise<void> {
    await this.sql.run('INSERT INTO team_members (team_id, agent_id) VALUES (?, ?)', [teamId, agentId]);
  }

  /** Its conversations keep going, without a team (the column is ON DELETE SET NULL). */
  async delete(workspaceId: string, id: string): Promise<boolean> {
    return (await this.sql.run('DELETE FROM teams WHERE workspace_id = ? AND id = ?', [workspaceId, id])).changes > 0;
  }


}
