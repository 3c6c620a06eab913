import type { Conversation } from '@charla/protocol';
import type { Sql, SqlParam } from '../db.js';
import { toConversation, type ConversationRow } from './rows.js';

export interface WidgetRow {
  secret: string;
  /** JSON of WidgetSettings (validated and completed with defaults by the service). */
  settings: string;
}

/** Handle of the identity that records a site's own user id (`identify({id})`) on a contact. */
export const siteUserHandle = (userId: string) => `user:${userId}`;

/** A visitor session as stored. `siteUser`: the site user id it proved with a valid hash (null: anonymous). */
export interface VisitorSessionRow {
  contactId: string;
  tokenHash: string;
  siteUser: string | null;
  /** Its last use, for the expiry of a proven session. */
  activeAt: string | null;
}

/** Whose conversations a visitor sees: their session's, and those of every session that proved the same site user. */
export interface VisitorScope {
  id: string;
  siteUser: string | null;
}

/**
 * The webchat conversations a visitor session may see (never simply all of its contact's: a
 * contact gathers whatever shares its keys, while a session sees only what it is entitled to).
 */
export const VISITOR_CONVERSATIONS = `SELECT c.id FROM conversations c
  WHERE c.visitor_id IN (SELECT ? UNION SELECT v.id FROM visitors v WHERE v.workspace_id = ? AND v.site_user = ?)
    AND c.channel = 'webchat'`;

/** The session ids select the workspace's rows already (read through the index on visitor_id). */
export const visitorConversationParams = (workspaceId: string, session: VisitorScope): SqlParam[] => [
  session.id, workspaceId, session.siteUser,
];

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

  /** A visitor session as it is now (identify may have moved it to another contact, or proved a site user). */
  async visitorSession(workspaceId: string, visitorId: string): Promise<VisitorSessionRow | undefined> {
    const row = await this.sql.get<{ contact_id: string; token_hash: string; site_user: string | null; active_at: string | null }>(
      'SELECT contact_id, token_hash, site_user, active_at FROM visitors WHERE workspace_id = ? AND id = ?',
      [workspaceId, visitorId],
    );
    return row && { contactId: row.contact_id, tokenHash: row.token_hash, siteUser: row.site_user, activeAt: row.active_at };
  }

  /** The session was used now (a proven session expires counting from its last use). */
  async touchVisitor(workspaceId: string, visitorId: string, now: string): Promise<void> {
    await this.sql.run('UPDATE visitors SET active_at = ? WHERE workspace_id = ? AND id = ?', [now, workspaceId, visitorId]);
  }

  /** The anonymous session proved `siteUser`: it speaks for `contactId` now, under a new token. */
  async proveSiteUser(workspaceId: string, visitorId: string, proof: { siteUser: string; contactId: string; tokenHash: string }, now: string): Promise<void> {
    await this.sql.run(
      'UPDATE visitors SET site_user = ?, contact_id = ?, token_hash = ?, active_at = ? WHERE workspace_id = ? AND id = ?',
      [proof.siteUser, proof.contactId, proof.tokenHash, now, workspaceId, visitorId],
    );
  }

  /** Records the session that started a webchat conversation (it, and its site user's sessions, see it). */
  async setConversationVisitor(workspaceId: string, conversationId: string, visitorId: string): Promise<void> {
    await this.sql.run('UPDATE conversations SET visitor_id = ? WHERE workspace_id = ? AND id = ?', [visitorId, workspaceId, conversationId]);
  }

  /** Ids of the webchat conversations a visitor session may see, oldest first. */
  async visitorConversationIds(workspaceId: string, session: VisitorScope): Promise<string[]> {
    const rows = await this.sql.all<{ id: string }>(`${VISITOR_CONVERSATIONS} ORDER BY c.id`, visitorConversationParams(workspaceId, session));
    return rows.map((row) => row.id);
  }

  /** The visitor's current conversation: the most recent one they may see. */
  async latestVisitorConversation(workspaceId: string, session: VisitorScope): Promise<Conversation | undefined> {
    const row = await this.sql.get<ConversationRow>(
      `SELECT * FROM conversations WHERE id = (${VISITOR_CONVERSATIONS} ORDER BY c.id DESC LIMIT 1)`,
      visitorConversationParams(workspaceId, session),
    );
    return row && toConversation(row);
  }

  async contactIdByHandle(workspaceId: string, channel: string, handle: string): Promise<string | undefined> {
    const row = await this.sql.get<{ contact_id: string }>(
      'SELECT contact_id FROM identities WHERE workspace_id = ? AND channel = ? AND handle = ?',
      [workspaceId, channel, handle],
    );
    return row?.contact_id;
  }

  /**
   * The oldest contact whose email (case-insensitive) is proven: an email channel's verified
   * address. An email only typed somewhere (pre-chat, profile, beside another id in identify, in
   * a channel message) is anyone's word: it never decides whose conversations a visitor joins.
   */
  async contactIdByVerifiedEmail(workspaceId: string, email: string): Promise<string | undefined> {
    const row = await this.sql.get<{ id: string }>(
      `SELECT c.id FROM contacts c JOIN identities i ON i.contact_id = c.id
       WHERE i.workspace_id = ? AND i.channel = 'email' AND i.verified = 1 AND LOWER(i.handle) = ?
       ORDER BY c.created_at, c.id LIMIT 1`,
      [workspaceId, email.trim().toLowerCase()],
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
}
