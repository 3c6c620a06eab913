import type { Agent, AgentRole, Workspace } from '@charla/protocol';
import type { Sql } from '../db.js';
import type { SecretKeeper } from '../secrets.js';
import { toAgent, toWorkspace, type AgentRow, type WorkspaceRow } from './rows.js';

/** An agent as the host's backend provisioned it. */
export interface ProvisionedAgent extends Agent {
  externalId: string | null;
  deactivatedAt: string | null;
}

type ProvisionedRow = AgentRow & { external_id: string | null; deactivated_at: string | null };

const COLUMNS = 'id, workspace_id, name, email, role, avatar_url, skills, external_id, deactivated_at';

const toProvisioned = (row: ProvisionedRow): ProvisionedAgent => ({ ...toAgent(row), externalId: row.external_id, deactivatedAt: row.deactivated_at });

/** What the platform API (the host's backend) reads and writes: workspaces, their signing secrets, provisioned agents. */
export class PlatformQueries {
  constructor(
    private readonly sql: Sql,
    private readonly secrets: SecretKeeper,
  ) {}

  async workspaces(): Promise<Workspace[]> {
    const rows = await this.sql.all<WorkspaceRow>('SELECT * FROM workspaces ORDER BY created_at, id');
    return rows.map(toWorkspace);
  }

  async signingSecrets(workspaceId: string): Promise<string[]> {
    const row = await this.sql.get<{ signing_secret: string | null; previous_signing_secret: string | null }>(
      'SELECT signing_secret, previous_signing_secret FROM workspaces WHERE id = ?',
      [workspaceId],
    );
    return [row?.signing_secret, row?.previous_signing_secret]
      .filter((secret): secret is string => Boolean(secret))
      .map((secret) => this.secrets.open(secret));
  }

  /** Stores the signing secrets sealed (see secrets.ts). */
  async setSigningSecrets(workspaceId: string, current: string, previous: string | null): Promise<void> {
    await this.sql.run('UPDATE workspaces SET signing_secret = ?, previous_signing_secret = ? WHERE id = ?', [
      this.secrets.seal(current),
      previous === null ? null : this.secrets.seal(previous),
      workspaceId,
    ]);
  }

  /** Seals the signing secrets stored in clear or under an older key; how many workspaces changed. */
  async resealAll(): Promise<number> {
    const rows = await this.sql.all<{ id: string; signing_secret: string | null; previous_signing_secret: string | null }>(
      'SELECT id, signing_secret, previous_signing_secret FROM workspaces WHERE signing_secret IS NOT NULL',
    );
    const stale = rows.filter((row) => [row.signing_secret, row.previous_signing_secret].some((secret) => secret && this.secrets.box.isStale(secret)));
    for (const row of stale) {
      const [current, previous] = [row.signing_secret, row.previous_signing_secret].map((secret) => (secret ? this.secrets.open(secret) : null));
      await this.setSigningSecrets(row.id, current!, previous ?? null);
    }
    return stale.length;
  }

  async deleteWorkspace(workspaceId: string): Promise<boolean> {
    return (await this.sql.run('DELETE FROM workspaces WHERE id = ?', [workspaceId])).changes > 0;
  }

  /** Any agent by id, deactivated ones included (a token names its agent by id). */
  async agentById(agentId: string): Promise<ProvisionedAgent | undefined> {
    const row = await this.sql.get<ProvisionedRow>(`SELECT ${COLUMNS} FROM agents WHERE id = ?`, [agentId]);
    return row && toProvisioned(row);
  }

  async agent(workspaceId: string, agentId: string): Promise<ProvisionedAgent | undefined> {
    const row = await this.sql.get<ProvisionedRow>(`SELECT ${COLUMNS} FROM agents WHERE workspace_id = ? AND id = ?`, [workspaceId, agentId]);
    return row && toProvisioned(row);
  }

  async agentByExternalId(workspaceId: string, externalId: string): Promise<ProvisionedAgent | undefined> {
    const row = await this.sql.get<ProvisionedRow>(`SELECT ${COLUMNS} FROM agents WHERE workspace_id = ? AND external_id = ?`, [workspaceId, externalId]);
    return row && toProvisioned(row);
  }

  async agents(workspaceId: string): Promise<ProvisionedAgent[]> {
    const rows = await this.sql.all<ProvisionedRow>(`SELECT ${COLUMNS} FROM agents WHERE workspace_id = ? ORDER BY created_at, id`, [workspaceId]);
    return rows.map(toProvisioned);
  }

  async insertAgent(agent: Agent, externalId: string | null, createdAt: string): Promise<void> {
    await this.sql.run(
      `INSERT INTO agents (id, workspace_id, name, email, role, avatar_url, skills, external_id, token_hash, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)`,
      [agent.id, agent.workspaceId, agent.name, agent.email, agent.role, agent.avatarUrl, JSON.stringify(agent.skills ?? []), externalId, createdAt],
    );
  }

  async updateAgent(
    workspaceId: string,
    agentId: string,
    fields: { name: string; email: string; role: AgentRole; avatarUrl: string | null; skills: string[] },
  ): Promise<void> {
    await this.sql.run(
      'UPDATE agents SET name = ?, email = ?, role = ?, avatar_url = ?, skills = ? WHERE workspace_id = ? AND id = ?',
      [fields.name, fields.email, fields.role, fields.avatarUrl, JSON.stringify(fields.skills), workspaceId, agentId],
    );
  }

  /** The agent can no longer sign in (its opaque token is dropped too); its rows and history stay. */
  async deactivateAgent(workspaceId: string, agentId: string, at: string): Promise<void> {
    await this.sql.run('UPDATE agents SET deactivated_at = ?, token_hash = NULL WHERE workspace_id = ? AND id = ?', [at, workspaceId, agentId]);
  }

  async reactivateAgent(workspaceId: string, agentId: string): Promise<void> {
    await this.sql.run('UPDATE agents SET deactivated_at = NULL WHERE workspace_id = ? AND id = ?', [workspaceId, agentId]);
  }
}
