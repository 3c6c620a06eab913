import type { DeliveryStatus, Message, MessageTemplate } from '@charla/protocol';
import type { Sql } from '../db.js';
import { CharlaFailure } from '../failure.js';
import type { SecretKeeper } from '../secrets.js';
import { placeholders } from './like.js';
import { toMessage, type MessageRow } from './rows.js';

export interface StoredChannelSettings {
  workspaceId: string;
  channel: string;
  /** What the channel's webhooks name the account by (phone number id, Instagram account id). */
  accountId: string | null;
  settings: Record<string, string | null>;
}

/** An email inbox (support@, sales@…): its id is the key of its webhook URL. */
export interface StoredEmailInbox {
  id: string;
  workspaceId: string;
  settings: Record<string, string | null>;
  createdAt: string;
}

interface InboxRow {
  id: string;
  workspace_id: string;
  settings: string;
  created_at: string;
}

interface SettingsRow {
  workspace_id: string;
  channel: string;
  account_id: string | null;
  settings: string;
}

/**
 * Channel settings, templates, channel message ids and delivery states, reply windows, conversions.
 * A channel's settings (access tokens, app secrets, mailbox passwords among them) are stored
 * sealed (see secrets.ts); only the account id the webhooks look up stays in clear.
 */
export class ChannelQueries {
  constructor(
    private readonly sql: Sql,
    private readonly secrets: SecretKeeper,
  ) {}

  #toSettings = (row: SettingsRow): StoredChannelSettings => ({
    workspaceId: row.workspace_id,
    channel: row.channel,
    accountId: row.account_id,
    settings: JSON.parse(this.secrets.open(row.settings)) as Record<string, string | null>,
  });

  /** Seals the settings stored in clear or under an older key; how many rows changed. */
  async resealAll(): Promise<number> {
    const rows = await this.sql.all<SettingsRow>('SELECT * FROM channel_settings');
    let changed = 0;
    for (const row of rows) {
      if (!this.secrets.box.isStale(row.settings)) continue;
      await this.sql.run('UPDATE channel_settings SET settings = ? WHERE workspace_id = ? AND channel = ?', [
        this.secrets.seal(this.secrets.open(row.settings)),
        row.workspace_id,
        row.channel,
      ]);
      changed += 1;
    }
    for (const row of await this.sql.all<InboxRow>('SELECT * FROM email_inboxes')) {
      if (!this.secrets.box.isStale(row.settings)) continue;
      await this.sql.run('UPDATE email_inboxes SET settings = ? WHERE id = ?', [this.secrets.seal(this.secrets.open(row.settings)), row.id]);
      changed += 1;
    }
    return changed;
  }

  async settings(workspaceId: string, channel: string): Promise<StoredChannelSettings | undefined> {
    const row = await this.sql.get<SettingsRow>('SELECT * FROM channel_settings WHERE workspace_id = ? AND channel = ?', [
      workspaceId,
      channel,
    ]);
    return row && this.#toSettings(row);
  }

  async settingsByAccount(channel: string, accountId: string): Promise<StoredChannelSettings[]> {
    const rows = await this.sql.all<SettingsRow>('SELECT * FROM channel_settings WHERE channel = ? AND account_id = ?', [
      channel,
      accountId,
    ]);
    return rows.map(this.#toSettings);
  }

  /** Every workspace's settings of a channel (the handshake finds the workspace by verify token). */
  async allSettings(channel: string): Promise<StoredChannelSettings[]> {
    const rows = await this.sql.all<SettingsRow>('SELECT * FROM channel_settings WHERE channel = ?', [channel]);
    return rows.map(this.#toSettings);
  }

  /** Saves a workspace's settings; `channel_taken` when another workspace holds the account (unique index). */
  async saveSettings(settings: StoredChannelSettings, now: string): Promise<void> {
    try {
      await this.sql.run(
        `INSERT INTO channel_settings (workspace_id, channel, account_id, settings, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (workspace_id, channel) DO UPDATE SET account_id = excluded.account_id, settings = excluded.settings,
           updated_at = excluded.updated_at`,
        [settings.workspaceId, settings.channel, settings.accountId, this.secrets.seal(JSON.stringify(settings.settings)), now],
      );
    } catch (error) {
      if (String((error as { code?: unknown }).code).startsWith('SQLITE_CONSTRAINT') && /channel_settings\.account_id/.test(String(error))) {
        throw new CharlaFailure('channel_taken', `Another workspace already holds this ${settings.channel} account`);
      }
      throw error;
    }
  }

  /** Where reading an inbox over IMAP stands (null before its first message). */
  async emailCursor(inboxId: string): Promise<{ uidValidity: string; lastUid: number } | null> {
    const row = await this.sql.get<{ uid_validity: string; last_uid: number }>(
      'SELECT uid_validity, last_uid FROM email_inbox_cursors WHERE inbox_id = ?',
      [inboxId],
    );
    return row ? { uidValidity: row.uid_validity, lastUid: Number(row.last_uid) } : null;
  }

  async saveEmailCursor(inboxId: string, cursor: { uidValidity: string; lastUid: number }, now: string): Promise<void> {
    await this.sql.run(
      `INSERT INTO email_inbox_cursors (inbox_id, uid_validity, last_uid, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (inbox_id) DO UPDATE SET uid_validity = excluded.uid_validity, last_uid = excluded.last_uid,
         updated_at = excluded.updated_at`,
      [inboxId, cursor.uidValidity, cursor.lastUid, now],
    );
  }

  #toInbox = (row: InboxRow): StoredEmailInbox => ({
    id: row.id,
    workspaceId: row.workspace_id,
    settings: JSON.parse(this.secrets.open(row.settings)) as Record<string, string | null>,
    createdAt: row.created_at,
  });

  /** A workspace's email inboxes, the first made first (the first is the one `/channels/email` names). */
  async emailInboxes(workspaceId: string): Promise<StoredEmailInbox[]> {
    const rows = await this.sql.all<InboxRow>('SELECT * FROM email_inboxes WHERE workspace_id = ? ORDER BY created_at, id', [workspaceId]);
    return rows.map(this.#toInbox);
  }

  /** An inbox by its id (the key of its webhook URL), whichever workspace holds it. */
  async emailInbox(id: string): Promise<StoredEmailInbox | undefined> {
    const row = await this.sql.get<InboxRow>('SELECT * FROM email_inboxes WHERE id = ?', [id]);
    return row && this.#toInbox(row);
  }

  /** Every workspace's inboxes (the IMAP readers follow them). */
  async allEmailInboxes(): Promise<StoredEmailInbox[]> {
    const rows = await this.sql.all<InboxRow>('SELECT * FROM email_inboxes ORDER BY created_at, id');
    return rows.map(this.#toInbox);
  }

  async saveEmailInbox(inbox: StoredEmailInbox, now: string): Promise<void> {
    await this.sql.run(
      `INSERT INTO email_inboxes (id, workspace_id, settings, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
      [inbox.id, inbox.workspaceId, this.secrets.seal(JSON.stringify(inbox.settings)), inbox.createdAt, now],
    );
  }

  async deleteEmailInbox(workspaceId: string, id: string): Promise<boolean> {
    const result = await this.sql.run('DELETE FROM email_inboxes WHERE workspace_id = ? AND id = ?', [workspaceId, id]);
    return result.changes > 0;
  }

  /** The customer's latest email in a conversation (what a reply threads under). */
  async latestInboundEmail(workspaceId: string, conversationId: string): Promise<Message | undefined> {
    const row = await this.sql.get<MessageRow>(
      `SELECT * FROM messages WHERE workspace_id = ? AND conversation_id = ? AND direction = 'in'
         AND channel_message_id IS NOT NULL ORDER BY created_at DESC, id DESC LIMIT 1`,
      [workspaceId, conversationId],
    );
    return row && toMessage(row);
  }

  /** Of `channelMessageIds`, those already stored in the workspace (a webhook's lot deduplicated at once). */
  async storedChannelMessageIds(workspaceId: string, channelMessageIds: readonly string[]): Promise<Set<string>> {
    if (channelMessageIds.length === 0) return new Set();
    const rows = await this.sql.all<{ channel_message_id: string }>(
      `SELECT channel_message_id FROM messages WHERE workspace_id = ? AND channel_message_id IN (${placeholders(channelMessageIds.length)})`,
      [workspaceId, ...channelMessageIds],
    );
    return new Set(rows.map((row) => row.channel_message_id));
  }

  async messageByChannelId(workspaceId: string, channelMessageId: string): Promise<Message | undefined> {
    const row = await this.sql.get<MessageRow>('SELECT * FROM messages WHERE workspace_id = ? AND channel_message_id = ?', [
      workspaceId,
      channelMessageId,
    ]);
    return row && toMessage(row);
  }

  /** The channel's id of the customer's latest message in a conversation (what a read receipt names). */
  async latestInboundChannelId(workspaceId: string, conversationId: string): Promise<string | undefined> {
    const row = await this.sql.get<{ channel_message_id: string }>(
      `SELECT channel_message_id FROM messages WHERE workspace_id = ? AND conversation_id = ? AND direction = 'in'
         AND channel_message_id IS NOT NULL ORDER BY created_at DESC, id DESC LIMIT 1`,
      [workspaceId, conversationId],
    );
    return row?.channel_message_id;
  }

  async message(workspaceId: string, id: string): Promise<Message | undefined> {
    const row = await this.sql.get<MessageRow>('SELECT * FROM messages WHERE workspace_id = ? AND id = ?', [workspaceId, id]);
    return row && toMessage(row);
  }

  /** Sets the delivery state (and the channel's id once known, and the error when failed). */
  async setDelivery(
    workspaceId: string,
    messageId: string,
    delivery: { status: DeliveryStatus; error: string | null; channelMessageId?: string },
  ): Promise<void> {
    await this.sql.run(
      `UPDATE messages SET status = ?, error = ?, channel_message_id = COALESCE(?, channel_message_id)
       WHERE workspace_id = ? AND id = ?`,
      [delivery.status, delivery.error, delivery.channelMessageId ?? null, workspaceId, messageId],
    );
  }

  async setContent(workspaceId: string, messageId: string, content: Record<string, unknown>): Promise<void> {
    await this.sql.run('UPDATE messages SET content = ? WHERE workspace_id = ? AND id = ?', [
      JSON.stringify(content),
      workspaceId,
      messageId,
    ]);
  }

  /** The customer wrote at `at`: their reply window runs from then (never moved backwards). */
  async touchInbound(workspaceId: string, conversationId: string, at: string): Promise<void> {
    await this.sql.run(
      `UPDATE conversations SET last_inbound_at = ?
       WHERE workspace_id = ? AND id = ? AND (last_inbound_at IS NULL OR last_inbound_at < ?)`,
      [at, workspaceId, conversationId, at],
    );
  }

  /** Meta says the window is closed: it ended at `endedAt` whatever our clock thought. */
  async closeWindow(workspaceId: string, conversationId: string, lastInboundAt: string): Promise<void> {
    await this.sql.run(
      'UPDATE conversations SET last_inbound_at = ? WHERE workspace_id = ? AND id = ? AND last_inbound_at > ?',
      [lastInboundAt, workspaceId, conversationId, lastInboundAt],
    );
  }

  async setReferral(workspaceId: string, conversationId: string, referral: Record<string, unknown>): Promise<void> {
    await this.sql.run('UPDATE conversations SET referral = ? WHERE workspace_id = ? AND id = ?', [
      JSON.stringify(referral),
      workspaceId,
      conversationId,
    ]);
  }

  async replaceTemplates(workspaceId: string, templates: MessageTemplate[], now: string): Promise<void> {
    await this.sql.run('DELETE FROM message_templates WHERE workspace_id = ?', [workspaceId]);
    for (const template of templates) {
      await this.sql.run(
        `INSERT INTO message_templates (workspace_id, name, language, status, category, components, synced_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        [workspaceId, template.name, template.language, template.status, template.category, JSON.stringify(template.components), now],
      );
    }
  }

  async templates(workspaceId: string): Promise<MessageTemplate[]> {
    const rows = await this.sql.all<{ name: string; language: string; status: string; category: string | null; components: string }>(
      'SELECT name, language, status, category, components FROM message_templates WHERE workspace_id = ? ORDER BY name, language',
      [workspaceId],
    );
    return rows.map((row) => ({ ...row, components: JSON.parse(row.components) as Array<Record<string, unknown>> }));
  }

  /** Records a conversion once; false when it was already recorded. */
  async recordConversion(workspaceId: string, eventId: string, now: string): Promise<boolean> {
    const result = await this.sql.run(
      'INSERT INTO conversions (workspace_id, event_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      [workspaceId, eventId, now],
    );
    return result.changes > 0;
  }
}
