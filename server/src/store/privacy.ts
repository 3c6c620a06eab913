import { setTimeout as delay } from 'node:timers/promises';
import type { PrivacySettings, RetentionAction } from '@charla/protocol';
import type { Sql, SqlParam } from '../db.js';
import { dialectOf } from '../dialect.js';
import { containsPattern, LIKE, placeholders } from './like.js';

/** A row as stored: snake_case columns, JSON columns still text. */
export type StoredRow = Record<string, unknown>;

/** Tables with a contact_id whose rows belong in one contact's export (the names are code, never input). */
export const CONTACT_TABLES = ['identities', 'notes', 'conversations', 'deals', 'tasks', 'business_events', 'ai_insights', 'ai_filled_fields', 'broadcast_recipients'] as const;
export type ContactTable = (typeof CONTACT_TABLES)[number];

/** Columns stored as JSON text, read back as JSON in exports. */
const JSON_COLUMNS = new Set(['labels', 'content', 'referral', 'data', 'tags', 'attributes', 'parameters']);

function parsed(row: StoredRow): StoredRow {
  const out: StoredRow = {};
  for (const [key, value] of Object.entries(row)) {
    if (JSON_COLUMNS.has(key) && typeof value === 'string') {
      try {
        out[key] = JSON.parse(value) as unknown;
        continue;
      } catch {
        // Not JSON after all: kept as the text it is.
      }
    }
    out[key] = value;
  }
  return out;
}

/** LIKE terms go this many to a statement. */
const TERMS_PER_STATEMENT = 50;

/** What a person's data export reads, and what their erasure removes or redacts. */
export class PrivacyQueries {
  constructor(private readonly sql: Sql) {}

  async contactRow(workspaceId: string, contactId: string): Promise<StoredRow | undefined> {
    const row = await this.sql.get<StoredRow>('SELECT * FROM contacts WHERE workspace_id = ? AND id = ?', [workspaceId, contactId]);
    return row && parsed(row);
  }

  /** The contact's rows of `table`, oldest first. */
  async rowsOf(table: ContactTable, workspaceId: string, contactId: string): Promise<StoredRow[]> {
    if (!CONTACT_TABLES.includes(table)) throw new Error(`Not a contact table: ${table}`);
    const order = table === 'ai_insights' || table === 'broadcast_recipients' ? 'updated_at' : table === 'ai_filled_fields' ? 'field' : 'created_at';
    const rows = await this.sql.all<StoredRow>(`SELECT * FROM ${table} WHERE workspace_id = ? AND contact_id = ? ORDER BY ${order}`, [workspaceId, contactId]);
    return rows.map(parsed);
  }

  /** Messages of one conversation after `afterId`, oldest first. */
  async messagesPage(workspaceId: string, conversationId: string, afterId: string, limit: number): Promise<StoredRow[]> {
    const rows = await this.sql.all<StoredRow>(
      'SELECT * FROM messages WHERE workspace_id = ? AND conversation_id = ? AND id > ? ORDER BY id LIMIT ?',
      [workspaceId, conversationId, afterId, limit],
    );
    return rows.map(parsed);
  }

  async messageCount(workspaceId: string, contactId: string): Promise<number> {
    const row = await this.sql.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id
       WHERE c.workspace_id = ? AND c.contact_id = ?`,
      [workspaceId, contactId],
    );
    return Number(row?.n ?? 0);
  }

  /** Ids of the messages of the contact's conversations (their media files are named by them). */
  async messageIds(workspaceId: string, contactId: string): Promise<string[]> {
    const rows = await this.sql.all<{ id: string }>(
      `SELECT m.id FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.workspace_id = ? AND c.contact_id = ?`,
      [workspaceId, contactId],
    );
    return rows.map((row) => row.id);
  }

  async messageIdsOfConversation(workspaceId: string, conversationId: string): Promise<string[]> {
    const rows = await this.sql.all<{ id: string }>('SELECT id FROM messages WHERE workspace_id = ? AND conversation_id = ?', [workspaceId, conversationId]);
    return rows.map((row) => row.id);
  }

  /**
   * Replaces change-log entries of the contact (when given: theirs and any naming them) and of the
   * conversations by `redacted` placeholders: same seq and time, nothing else, so resync stays gap-free.
   */
  async redactEvents(workspaceId: string, contactId: string | null, conversationIds: readonly string[]): Promise<number> {
    const terms: string[] = [];
    const params: SqlParam[] = [workspaceId];
    if (contactId) {
      terms.push('contact_id = ?', `data ${LIKE}`);
      params.push(contactId, containsPattern(contactId));
    }
    if (conversationIds.length > 0) {
      terms.push(`conversation_id IN (${placeholders(conversationIds.length)})`);
      params.push(...conversationIds);
    }
    if (terms.length === 0) return 0;
    const result = await this.sql.run(
      `UPDATE events SET type = 'redacted', conversation_id = NULL, contact_id = NULL, visibility = 'agents', data = '{}'
       WHERE workspace_id = ? AND type <> 'redacted' AND (${terms.join(' OR ')})`,
      params,
    );
    return result.changes;
  }

  /** Audit entries about the contact or their records keep the fact (who, what, when), not the data. */
  async redactAudit(workspaceId: string, targetIds: readonly string[]): Promise<number> {
    let changed = 0;
    for (let start = 0; start < targetIds.length; start += TERMS_PER_STATEMENT) {
      const ids = targetIds.slice(start, start + TERMS_PER_STATEMENT);
      const result = await this.sql.run(
        `UPDATE audit_log SET data = '{"redacted":true}'
         WHERE workspace_id = ? AND data <> '{"redacted":true}' AND (target_id IN (${placeholders(ids.length)}) OR ${ids.map(() => `LOWER(data) ${LIKE}`).join(' OR ')})`,
        [workspaceId, ...ids, ...ids.map(containsPattern)],
      );
      changed += result.changes;
    }
    return changed;
  }

  /** Background jobs whose payload mentions any of `terms` (ids, handles, addresses): removed. */
  async deleteJobsMentioning(workspaceId: string, terms: readonly string[]): Promise<string[]> {
    const removed: string[] = [];
    for (let start = 0; start < terms.length; start += TERMS_PER_STATEMENT) {
      const batch = terms.slice(start, start + TERMS_PER_STATEMENT);
      const rows = await this.sql.all<{ id: string }>(
        `DELETE FROM jobs WHERE workspace_id = ? AND (${batch.map(() => `LOWER(payload) ${LIKE}`).join(' OR ')}) RETURNING id`,
        [workspaceId, ...batch.map(containsPattern)],
      );
      removed.push(...rows.map((row) => row.id));
    }
    return removed;
  }

  /** Data export jobs of the contact (their files are named by the job id). */
  async exportJobIds(workspaceId: string, contactId: string): Promise<string[]> {
    const rows = await this.sql.all<{ id: string }>(
      `SELECT id FROM jobs WHERE workspace_id = ? AND kind = 'privacy.data_export' AND payload ${LIKE}`,
      [workspaceId, containsPattern(contactId)],
    );
    return rows.map((row) => row.id);
  }

  /** Merge records, dismissed duplicates and AI analyses that hold the contact's data or name them. */
  async deleteTraces(workspaceId: string, contactId: string): Promise<void> {
    await this.sql.run(
      `DELETE FROM contact_merges WHERE workspace_id = ? AND (survivor_id = ? OR merged_id = ? OR record ${LIKE})`,
      [workspaceId, contactId, contactId, containsPattern(contactId)],
    );
    await this.sql.run('DELETE FROM duplicate_dismissals WHERE workspace_id = ? AND (contact_id = ? OR other_id = ?)', [workspaceId, contactId, contactId]);
    await this.sql.run('DELETE FROM ai_insights WHERE workspace_id = ? AND contact_id = ?', [workspaceId, contactId]);
  }

  /**
   * Anonymizes a contact in place: personal fields emptied; identities, sessions, keys, notes and
   * AI-filled fields removed. Their conversations stay (see `blankConversation`).
   */
  async anonymizeContact(workspaceId: string, contactId: string, now: string): Promise<void> {
    await this.sql.run(
      `UPDATE contacts SET name = NULL, email = NULL, phone = NULL, avatar_url = NULL, tags = NULL, attributes = NULL, name_source = NULL, updated_at = ?
       WHERE workspace_id = ? AND id = ?`,
      [now, workspaceId, contactId],
    );
    for (const table of ['identities', 'visitors', 'contact_keys', 'notes', 'ai_filled_fields']) {
      await this.sql.run(`DELETE FROM ${table} WHERE workspace_id = ? AND contact_id = ?`, [workspaceId, contactId]);
    }
  }

  /**
   * Keeps a conversation for the metrics (channel, status, times) without what was said: messages'
   * text and attachments blanked, the customer's name off their messages, its notifications and AI
   * analysis removed.
   */
  async blankConversation(workspaceId: string, conversationId: string): Promise<void> {
    await this.sql.run(
      `UPDATE messages SET body = '', content = NULL, error = NULL, sender_name = CASE WHEN sender_kind = 'agent' THEN sender_name ELSE NULL END
       WHERE workspace_id = ? AND conversation_id = ?`,
      [workspaceId, conversationId],
    );
    await this.sql.run('UPDATE conversations SET last_message_preview = NULL, referral = NULL WHERE workspace_id = ? AND id = ?', [workspaceId, conversationId]);
    await this.sql.run('DELETE FROM notifications WHERE workspace_id = ? AND conversation_id = ?', [workspaceId, conversationId]);
    await this.sql.run('DELETE FROM ai_insights WHERE workspace_id = ? AND conversation_id = ?', [workspaceId, conversationId]);
  }

  async deleteConversation(workspaceId: string, conversationId: string): Promise<void> {
    await this.sql.run('DELETE FROM conversations WHERE workspace_id = ? AND id = ?', [workspaceId, conversationId]);
  }

  /** Refuses a channel handle's inbound messages from now on (stored as its digest only). */
  async block(workspaceId: string, digest: string, now: string): Promise<void> {
    await this.sql.run(
      'INSERT INTO blocked_handles (workspace_id, digest, created_at) VALUES (?, ?, ?) ON CONFLICT (workspace_id, digest) DO NOTHING',
      [workspaceId, digest, now],
    );
  }

  /** Of `digests`, the blocked ones. */
  async blockedAmong(workspaceId: string, digests: readonly string[]): Promise<Set<string>> {
    if (digests.length === 0) return new Set();
    const rows = await this.sql.all<{ digest: string }>(
      `SELECT digest FROM blocked_handles WHERE workspace_id = ? AND digest IN (${placeholders(digests.length)})`,
      [workspaceId, ...digests],
    );
    return new Set(rows.map((row) => row.digest));
  }

  async isBlocked(workspaceId: string, digest: string): Promise<boolean> {
    return Boolean(await this.sql.get('SELECT 1 AS one FROM blocked_handles WHERE workspace_id = ? AND digest = ?', [workspaceId, digest]));
  }

  async settings(workspaceId: string): Promise<PrivacySettings> {
    const row = await this.sql.get<{ retention_months: number | null; retention_action: RetentionAction }>(
      'SELECT retention_months, retention_action FROM privacy_settings WHERE workspace_id = ?',
      [workspaceId],
    );
    return { retentionMonths: row?.retention_months ?? null, retentionAction: row?.retention_action ?? 'delete' };
  }

  async saveSettings(workspaceId: string, settings: PrivacySettings, now: string): Promise<void> {
    await this.sql.run(
      `INSERT INTO privacy_settings (workspace_id, retention_months, retention_action, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (workspace_id) DO UPDATE SET retention_months = excluded.retention_months, retention_action = excluded.retention_action, updated_at = excluded.updated_at`,
      [workspaceId, settings.retentionMonths, settings.retentionAction, now],
    );
  }

  /** Workspaces with a retention policy. */
  async retainingWorkspaces(): Promise<Array<{ workspaceId: string; months: number; action: RetentionAction }>> {
    const rows = await this.sql.all<{ workspace_id: string; retention_months: number; retention_action: RetentionAction }>(
      'SELECT workspace_id, retention_months, retention_action FROM privacy_settings WHERE retention_months IS NOT NULL',
    );
    return rows.map((row) => ({ workspaceId: row.workspace_id, months: Number(row.retention_months), action: row.retention_action }));
  }

  /**
   * Conversations not open with no activity since `cutoff` (last message, else creation; no update
   * since); with `withText` only those still holding text (not yet blanked). At most `limit`.
   */
  async quietConversations(workspaceId: string, cutoff: string, withText: boolean, limit: number): Promise<Array<{ id: string; contactId: string }>> {
    const rows = await this.sql.all<{ id: string; contact_id: string }>(
      `SELECT id, contact_id FROM conversations
       WHERE workspace_id = ? AND status <> 'open' AND COALESCE(last_message_at, created_at) < ? AND updated_at < ?
         ${withText ? `AND (last_message_preview IS NOT NULL OR EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = conversations.id AND m.body <> ''))` : ''}
       ORDER BY id LIMIT ?`,
      [workspaceId, cutoff, cutoff, limit],
    );
    return rows.map((row) => ({ id: row.id, contactId: row.contact_id }));
  }

  /**
   * Contacts unchanged since `cutoff` whose conversations (if any) are all quiet, and that still
   * hold personal data (a name, an address, a handle). At most `limit`.
   */
  async quietContacts(workspaceId: string, cutoff: string, limit: number): Promise<string[]> {
    const rows = await this.sql.all<{ id: string }>(
      `SELECT c.id FROM contacts c
       WHERE c.workspace_id = ? AND c.updated_at < ?
         AND (c.name IS NOT NULL OR c.email IS NOT NULL OR c.phone IS NOT NULL OR EXISTS (SELECT 1 FROM identities i WHERE i.contact_id = c.id))
         AND NOT EXISTS (SELECT 1 FROM conversations v WHERE v.contact_id = c.id
           AND (v.status = 'open' OR COALESCE(v.last_message_at, v.created_at) >= ? OR v.updated_at >= ?))
       ORDER BY c.id LIMIT ?`,
      [workspaceId, cutoff, cutoff, cutoff, limit],
    );
    return rows.map((row) => row.id);
  }

  /**
   * SQLite keeps WAL frames of erased rows until a checkpoint: write them back and empty the WAL.
   * The checkpoint says when it could not (`busy`: the background checkpoint was running, or a
   * read older than the erasure outlasted the busy timeout), and then the erased rows were still in
   * the log and in the file: it is tried again until it has emptied the log, for up to a minute.
   */
  async checkpoint(): Promise<void> {
    if (dialectOf(this.sql).name !== 'sqlite') return;
    const until = Date.now() + CHECKPOINT_PATIENCE_MS;
    for (let pause = 10; ; pause = Math.min(pause * 2, 500)) {
      const [result] = await this.sql.all<{ busy: number }>('PRAGMA wal_checkpoint(TRUNCATE)');
      if (!result?.busy) return;
      if (Date.now() > until) throw new Error('The database log could not be emptied (a read has held it for a minute): erased data stays in it until the next checkpoint');
      await delay(pause);
    }
  }
}

/** How long an erasure tries to empty SQLite's log (see `checkpoint`). */
const CHECKPOINT_PATIENCE_MS = 60_000;

export type { SqlParam };
