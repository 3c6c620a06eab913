import type { Sql } from '../db.js';

export interface WidgetRow {
  secret: string;
  /** JSON of WidgetSettings (validated and completed with defaults by the service). */
  settings: string;
}

/** Handle of the identity that records a site's own user id (`identify({id})`) on a contact. */
export const siteUserHandle = (userId: string) => `user:${userId}`;

/** The webchat widget's settings per workspace, and how visitors become known contacts. */
export class WidgetQueries {
  constructor(private readonly sql: Sql) {}

  get(workspaceId: string): Promise<WidgetRow | undefined> {
    return this.sql.get<WidgetRow>('SELECT secret, settings FROM widget_settings WHERE workspace_id = ?', [workspaceId]);
  }

  /** Creates the workspace's row unless another request (or process) just did. */
  async insertIfMissing(workspaceId: string, row: WidgetRow, now: string): Promise<void> {
    await this.sql.run(
      `INSERT INTO widget_settings (workspace_id, secret, settings, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (workspace_id) DO NOTHING`,
      [workspaceId, row.secret, row.settings, now],
    );
  }

  async update(workspaceId: string, row: Partial<WidgetRow>, now: string): Promise<void> {
    if (row.settings !== undefined) {
      await this.sql.run('UPDATE widget_settings SET settings = ?, updated_at = ? WHERE workspace_id = ?', [row.settings, now, workspaceId]);
    }
    if (row.secret !== undefined) {
      await this.sql.run('UPDATE widget_settings SET secret = ?, updated_at = ? WHERE workspace_id = ?', [row.secret, now, workspaceId]);
    }
  }

  /** The contact a visitor session currently speaks for (it changes when the visitor is identified). */
  async visitorContactId(workspaceId: string, visitorId: string): Promise<string | undefined> {
    const row = await this.sql.get<{ contact_id: string }>(
      'SELECT contact_id FROM visitors WHERE workspace_id = ? AND id = ?',
      [workspaceId, visitorId],
    );
    return row?.contact_id;
  }

  async contactIdByHandle(workspaceId: string, channel: string, handle: string): Promise<string | undefined> {
    const row = await this.sql.get<{ contact_id: string }>(
      'SELECT contact_id FROM identities WHERE workspace_id = ? AND channel = ? AND handle = ?',
      [workspaceId, channel, handle],
    );
    return row?.contact_id;
  }

  /** The oldest contact with this email (case-insensitive), on the contact or as an email identity. */
  async contactIdByEmail(workspaceId: string, email: string): Promise<string | undefined> {
    const normalized = email.trim().toLowerCase();
    const row = await this.sql.get<{ id: string }>(
      `SELECT c.id FROM contacts c WHERE c.workspace_id = ? AND (LOWER(c.email) = ?
         OR EXISTS (SELECT 1 FROM identities i WHERE i.contact_id = c.id AND i.channel = 'email' AND LOWER(i.handle) = ?))
       ORDER BY c.created_at, c.id LIMIT 1`,
      [workspaceId, normalized, normalized],
    );
    return row?.id;
  }

  /** Whether the contact carries a site user id (it is somebody, not an anonymous visitor). */
  async hasSiteUser(contactId: string): Promise<boolean> {
    const row = await this.sql.get<{ found: number }>(
      `SELECT 1 AS found FROM identities WHERE contact_id = ? AND channel = 'webchat' AND handle LIKE 'user:%' LIMIT 1`,
      [contactId],
    );
    return row !== undefined;
  }

  async linkVisitor(workspaceId: string, visitorId: string, contactId: string): Promise<void> {
    await this.sql.run('UPDATE visitors SET contact_id = ? WHERE workspace_id = ? AND id = ?', [contactId, workspaceId, visitorId]);
  }
}
