/**
 * Broadcasts, their recipients, and each workspace's broadcast settings with the pacing slot
 * every process takes its turn from.
 */
import type {
  Broadcast, BroadcastCounts, BroadcastParameter, BroadcastRecipient, BroadcastState, MessagingTier, RecipientStatus,
} from '@charla/protocol';
import { RECIPIENT_STATUSES } from '@charla/protocol';
import type { Sql } from '../db.js';
import { placeholders } from './like.js';

interface BroadcastRow {
  id: string;
  workspace_id: string;
  name: string;
  template_name: string;
  template_language: string;
  parameters: string;
  body: string;
  state: BroadcastState;
  scheduled_at: string | null;
  created_by: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  canceled_at: string | null;
}

interface RecipientRow {
  id: string;
  broadcast_id: string;
  contact_id: string;
  contact_name?: string | null;
  handle: string | null;
  text: string | null;
  parameters: string | null;
  status: RecipientStatus;
  reason: string | null;
  channel_message_id: string | null;
  conversation_id: string | null;
  sent_at: string | null;
  delivered_at: string | null;
  read_at: string | null;
  replied_at: string | null;
  updated_at: string;
}

/** A recipient as the send job needs it: where to, and with which parameters. */
export interface QueuedRecipient {
  id: string;
  broadcastId: string;
  contactId: string;
  handle: string;
  parameters: string[];
}

export type NewBroadcast = Omit<Broadcast, 'counts'>;

export interface NewRecipient {
  id: string;
  contactId: string;
  handle: string | null;
  text: string | null;
  parameters: string[] | null;
  status: 'queued' | 'skipped';
  reason: string | null;
}

const emptyCounts = (): BroadcastCounts => ({ ...(Object.fromEntries(RECIPIENT_STATUSES.map((s) => [s, 0])) as Record<RecipientStatus, number>), total: 0 });

const toBroadcast = (row: BroadcastRow, counts: BroadcastCounts): Broadcast => ({
  id: row.id,
  workspaceId: row.workspace_id,
  name: row.name,
  template: { name: row.template_name, language: row.template_language },
  parameters: JSON.parse(row.parameters) as BroadcastParameter[],
  body: row.body,
  state: row.state,
  scheduledAt: row.scheduled_at,
  createdBy: row.created_by,
  createdAt: row.created_at,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  canceledAt: row.canceled_at,
  counts,
});

const toRecipient = (row: RecipientRow): BroadcastRecipient => ({
  id: row.id,
  broadcastId: row.broadcast_id,
  contactId: row.contact_id,
  contactName: row.contact_name ?? null,
  handle: row.handle,
  text: row.text,
  channelMessageId: row.channel_message_id,
  status: row.status,
  reason: row.reason,
  sentAt: row.sent_at,
  deliveredAt: row.delivered_at,
  readAt: row.read_at,
  repliedAt: row.replied_at,
  conversationId: row.conversation_id,
  updatedAt: row.updated_at,
});

/** The column a recipient status stamps when it is reached. */
const STAMP: Partial<Record<RecipientStatus, string>> = { sent: 'sent_at', delivered: 'delivered_at', read: 'read_at', replied: 'replied_at' };

const RECIPIENT_COLUMNS = `r.id, r.broadcast_id, r.contact_id, ct.name AS contact_name, r.handle, r.text, r.parameters, r.status, r.reason,
  r.channel_message_id, r.conversation_id, r.sent_at, r.delivered_at, r.read_at, r.replied_at, r.updated_at`;

/** Recipients are inserted this many rows per statement. */
const INSERT_BATCH = 200;

export class BroadcastQueries {
  constructor(private readonly sql: Sql) {}

  async insert(broadcast: NewBroadcast, recipients: readonly NewRecipient[]): Promise<void> {
    await this.sql.run(
      `INSERT INTO broadcasts (id, workspace_id, name, template_name, template_language, parameters, body, state, scheduled_at, created_by, created_at, started_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        broadcast.id, broadcast.workspaceId, broadcast.name, broadcast.template.name, broadcast.template.language,
        JSON.stringify(broadcast.parameters), broadcast.body, broadcast.state, broadcast.scheduledAt, broadcast.createdBy, broadcast.createdAt, broadcast.startedAt,
      ],
    );
    for (let start = 0; start < recipients.length; start += INSERT_BATCH) {
      const batch = recipients.slice(start, start + INSERT_BATCH);
      await this.sql.run(
        `INSERT INTO broadcast_recipients (id, workspace_id, broadcast_id, contact_id, position, handle, text, parameters, status, reason, updated_at)
         VALUES ${batch.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        batch.flatMap((r, index) => [
          r.id, broadcast.workspaceId, broadcast.id, r.contactId, start + index, r.handle, r.text,
          r.parameters ? JSON.stringify(r.parameters) : null, r.status, r.reason, broadcast.createdAt,
        ]),
      );
    }
  }

  async get(workspaceId: string, id: string): Promise<Broadcast | undefined> {
    const row = await this.sql.get<BroadcastRow>('SELECT * FROM broadcasts WHERE workspace_id = ? AND id = ?', [workspaceId, id]);
    if (!row) return undefined;
    return toBroadcast(row, (await this.#counts(workspaceId, [id])).get(id) ?? emptyCounts());
  }

  /** The workspace's broadcasts, newest first. */
  async list(workspaceId: string, limit = 200): Promise<Broadcast[]> {
    const rows = await this.sql.all<BroadcastRow>('SELECT * FROM broadcasts WHERE workspace_id = ? ORDER BY created_at DESC, id DESC LIMIT ?', [workspaceId, limit]);
    const counts = await this.#counts(workspaceId, rows.map((row) => row.id));
    return rows.map((row) => toBroadcast(row, counts.get(row.id) ?? emptyCounts()));
  }

  async #counts(workspaceId: string, ids: readonly string[]): Promise<Map<string, BroadcastCounts>> {
    const counts = new Map<string, BroadcastCounts>();
    if (ids.length === 0) return counts;
    const rows = await this.sql.all<{ broadcast_id: string; status: RecipientStatus; total: number }>(
      `SELECT broadcast_id, status, COUNT(*) AS total FROM broadcast_recipients
       WHERE workspace_id = ? AND broadcast_id IN (${placeholders(ids.length)}) GROUP BY broadcast_id, status`,
      [workspaceId, ...ids],
    );
    for (const row of rows) {
      const count = counts.get(row.broadcast_id) ?? emptyCounts();
      count[row.status] = Number(row.total);
      count.total += Number(row.total);
      counts.set(row.broadcast_id, count);
    }
    return counts;
  }

  async recipients(
    workspaceId: string,
    broadcastId: string,
    request: { status?: RecipientStatus | undefined; offset: number; limit: number },
  ): Promise<{ recipients: BroadcastRecipient[]; total: number }> {
    const where = `r.workspace_id = ? AND r.broadcast_id = ?${request.status ? ' AND r.status = ?' : ''}`;
    const params = [workspaceId, broadcastId, ...(request.status ? [request.status] : [])];
    const [rows, total] = await Promise.all([
      this.sql.all<RecipientRow>(
        `SELECT ${RECIPIENT_COLUMNS} FROM broadcast_recipients r JOIN contacts ct ON ct.id = r.contact_id
         WHERE ${where} ORDER BY r.position LIMIT ? OFFSET ?`,
        [...params, request.limit, request.offset],
      ),
      this.sql.get<{ total: number }>(`SELECT COUNT(*) AS total FROM broadcast_recipients r WHERE ${where}`, params),
    ]);
    return { recipients: rows.map(toRecipient), total: Number(total?.total ?? 0) };
  }

  async recipientsById(workspaceId: string, ids: readonly string[]): Promise<BroadcastRecipient[]> {
    if (ids.length === 0) return [];
    const rows = await this.sql.all<RecipientRow>(
      `SELECT ${RECIPIENT_COLUMNS} FROM broadcast_recipients r JOIN contacts ct ON ct.id = r.contact_id
       WHERE r.workspace_id = ? AND r.id IN (${placeholders(ids.length)}) ORDER BY r.position`,
      [workspaceId, ...ids],
    );
    return rows.map(toRecipient);
  }

  async setState(workspaceId: string, id: string, state: BroadcastState, from: readonly BroadcastState[], now: string): Promise<boolean> {
    const stamp = state === 'sending' ? 'started_at' : state === 'done' ? 'finished_at' : state === 'canceled' ? 'canceled_at' : null;
    const result = await this.sql.run(
      `UPDATE broadcasts SET state = ?${stamp ? `, ${stamp} = ?` : ''} WHERE workspace_id = ? AND id = ? AND state IN (${placeholders(from.length)})`,
      [state, ...(stamp ? [now] : []), workspaceId, id, ...from],
    );
    return result.changes > 0;
  }

  /** Recipients of a canceled broadcast whose turn had not come. */
  async cancelQueued(workspaceId: string, broadcastId: string, now: string): Promise<number> {
    const result = await this.sql.run(
      `UPDATE broadcast_recipients SET status = 'canceled', updated_at = ? WHERE workspace_id = ? AND broadcast_id = ? AND status = 'queued'`,
      [now, workspaceId, broadcastId],
    );
    return result.changes;
  }

  /**
   * Takes the next queued recipient of a broadcast that is sending, marking it `sending`: one
   * statement, so two workers never take the same one, and a recipient left `sending` by a
   * process that died is never taken again (it may have reached Meta).
   */
  async claimNext(workspaceId: string, broadcastId: string, now: string): Promise<QueuedRecipient | undefined> {
    for (;;) {
      const row = await this.sql.get<{ id: string; broadcast_id: string; contact_id: string; handle: string; parameters: string }>(
        `UPDATE broadcast_recipients SET status = 'sending', updated_at = ?
         WHERE status = 'queued' AND id = (
           SELECT r.id FROM broadcast_recipients r JOIN broadcasts b ON b.id = r.broadcast_id
           WHERE r.workspace_id = ? AND r.broadcast_id = ? AND r.status = 'queued' AND b.state = 'sending'
           ORDER BY r.position LIMIT 1)
         RETURNING id, broadcast_id, contact_id, handle, parameters`,
        [now, workspaceId, broadcastId],
      );
      if (row) return { id: row.id, broadcastId: row.broadcast_id, contactId: row.contact_id, handle: row.handle, parameters: JSON.parse(row.parameters) as string[] };
      // None queued, or another worker took the one picked meanwhile (PostgreSQL): look once more to tell which.
      const left = await this.sql.get<{ id: string }>(
        `SELECT r.id FROM broadcast_recipients r JOIN broadcasts b ON b.id = r.broadcast_id
         WHERE r.workspace_id = ? AND r.broadcast_id = ? AND r.status = 'queued' AND b.state = 'sending' LIMIT 1`,
        [workspaceId, broadcastId],
      );
      if (!left) return undefined;
    }
  }

  /** Back in the queue: Meta asked to wait before it took the message. */
  async requeue(recipientId: string, now: string): Promise<void> {
    await this.sql.run(`UPDATE broadcast_recipients SET status = 'queued', updated_at = ? WHERE id = ? AND status = 'sending'`, [now, recipientId]);
  }

  async markSent(recipientId: string, channelMessageId: string, now: string): Promise<boolean> {
    const result = await this.sql.run(
      `UPDATE broadcast_recipients SET status = 'sent', channel_message_id = ?, sent_at = ?, reason = NULL, updated_at = ? WHERE id = ? AND status = 'sending'`,
      [channelMessageId, now, now, recipientId],
    );
    return result.changes > 0;
  }

  async markFailed(recipientId: string, reason: string, now: string): Promise<void> {
    await this.sql.run(`UPDATE broadcast_recipients SET status = 'failed', reason = ?, updated_at = ? WHERE id = ? AND status = 'sending'`, [reason, now, recipientId]);
  }

  /** Recipients a dead worker left `sending` (the broadcast's job found none queued): the reason, unless they have one. */
  async noteOrphans(workspaceId: string, broadcastId: string, reason: string, now: string): Promise<void> {
    await this.sql.run(
      `UPDATE broadcast_recipients SET reason = ?, updated_at = ? WHERE workspace_id = ? AND broadcast_id = ? AND status = 'sending' AND reason IS NULL`,
      [reason, now, workspaceId, broadcastId],
    );
  }

  /** A send Meta may or may not have taken: it stays `sending` (never sent again) with the reason. */
  async noteUncertain(recipientId: string, reason: string, now: string): Promise<void> {
    await this.sql.run(`UPDATE broadcast_recipients SET reason = ?, updated_at = ? WHERE id = ? AND status = 'sending'`, [reason, now, recipientId]);
  }

  /**
   * The recipient a WhatsApp status is about: by the message id Meta gave, else (a send whose
   * answer was lost to a restart) by the recipient id sent as `biz_opaque_callback_data`.
   */
  async byMessage(workspaceId: string, channelMessageId: string, callbackData: string | null): Promise<{ id: string; broadcastId: string; status: RecipientStatus; channelMessageId: string | null } | undefined> {
    const row = await this.sql.get<{ id: string; broadcast_id: string; status: RecipientStatus; channel_message_id: string | null }>(
      `SELECT id, broadcast_id, status, channel_message_id FROM broadcast_recipients
       WHERE workspace_id = ? AND (channel_message_id = ? OR (channel_message_id IS NULL AND id = ?))
       ORDER BY channel_message_id IS NULL LIMIT 1`,
      [workspaceId, channelMessageId, callbackData ?? ''],
    );
    return row && { id: row.id, broadcastId: row.broadcast_id, status: row.status, channelMessageId: row.channel_message_id };
  }

  /** Moves a recipient to `status` (the caller checked it is forwards), stamping when it got there. */
  async setStatus(recipientId: string, status: RecipientStatus, fields: { reason?: string | null; channelMessageId?: string; conversationId?: string }, now: string): Promise<void> {
    const sets = ['status = ?', 'updated_at = ?'];
    const params: Array<string | null> = [status, now];
    const stamp = STAMP[status];
    if (stamp) sets.push(`${stamp} = COALESCE(${stamp}, ?)`), params.push(now);
    // A delivery or read receipt that comes first (the send's answer was lost) still dates the send.
    if (stamp && stamp !== 'sent_at') sets.push('sent_at = COALESCE(sent_at, ?)'), params.push(now);
    if (fields.reason !== undefined) sets.push('reason = ?'), params.push(fields.reason);
    if (fields.channelMessageId !== undefined) sets.push('channel_message_id = ?'), params.push(fields.channelMessageId);
    if (fields.conversationId !== undefined) sets.push('conversation_id = ?'), params.push(fields.conversationId);
    await this.sql.run(`UPDATE broadcast_recipients SET ${sets.join(', ')} WHERE id = ?`, [...params, recipientId]);
  }

  /**
   * Of `contactIds`, those a reply may link to a broadcast (see `answered`): a recipient row quoting
   * one of `quotedIds`, or sent to them since `since` and not yet final. One read for a webhook's lot.
   */
  async awaitingReply(workspaceId: string, contactIds: readonly string[], quotedIds: readonly string[], since: string): Promise<Set<string>> {
    const unique = [...new Set(contactIds)];
    if (unique.length === 0) return new Set();
    const quoted = quotedIds.length > 0 ? `channel_message_id IN (${placeholders(quotedIds.length)}) OR ` : '';
    const rows = await this.sql.all<{ contact_id: string }>(
      `SELECT DISTINCT contact_id FROM broadcast_recipients
       WHERE workspace_id = ? AND contact_id IN (${placeholders(unique.length)}) AND (${quoted}(status IN ('sent', 'delivered', 'read') AND sent_at >= ?))`,
      [workspaceId, ...unique, ...quotedIds, since],
    );
    return new Set(rows.map((row) => row.contact_id));
  }

  /**
   * The broadcast a contact's message answers: the one whose message it quotes (`context.id`),
   * else the latest one that reached them since `since` and got no reply yet.
   */
  async answered(workspaceId: string, contactId: string, quotedId: string | null, since: string): Promise<{ id: string; broadcastId: string; status: RecipientStatus } | undefined> {
    const row = await this.sql.get<{ id: string; broadcast_id: string; status: RecipientStatus }>(
      `SELECT id, broadcast_id, status FROM broadcast_recipients
       WHERE workspace_id = ? AND contact_id = ? AND (channel_message_id = ? OR (status IN ('sent', 'delivered', 'read') AND sent_at >= ?))
       ORDER BY CASE WHEN channel_message_id = ? THEN 0 ELSE 1 END, sent_at DESC LIMIT 1`,
      [workspaceId, contactId, quotedId ?? '', since, quotedId ?? ''],
    );
    return row && { id: row.id, broadcastId: row.broadcast_id, status: row.status };
  }

  async companyNames(workspaceId: string, ids: readonly string[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for (let start = 0; start < ids.length; start += 5000) {
      const chunk = ids.slice(start, start + 5000);
      const rows = await this.sql.all<{ id: string; name: string }>(
        `SELECT id, name FROM companies WHERE workspace_id = ? AND id IN (${placeholders(chunk.length)})`,
        [workspaceId, ...chunk],
      );
      for (const row of rows) names.set(row.id, row.name);
    }
    return names;
  }

  async linkConversation(workspaceId: string, conversationId: string, broadcastId: string): Promise<void> {
    await this.sql.run('UPDATE conversations SET broadcast_id = ? WHERE workspace_id = ? AND id = ?', [broadcastId, workspaceId, conversationId]);
  }

  /** Different contacts broadcasts of the workspace sent to since `since`. */
  async reachedSince(workspaceId: string, since: string): Promise<number> {
    const row = await this.sql.get<{ total: number }>(
      'SELECT COUNT(DISTINCT contact_id) AS total FROM broadcast_recipients WHERE workspace_id = ? AND sent_at >= ?',
      [workspaceId, since],
    );
    return Number(row?.total ?? 0);
  }

  /** Contacts queued in broadcasts not yet finished (they count against the tier as soon as they go). */
  async pendingContacts(workspaceId: string): Promise<number> {
    const row = await this.sql.get<{ total: number }>(
      `SELECT COUNT(DISTINCT contact_id) AS total FROM broadcast_recipients WHERE workspace_id = ? AND status IN ('queued', 'sending')`,
      [workspaceId],
    );
    return Number(row?.total ?? 0);
  }

  async settings(workspaceId: string): Promise<{ tier: MessagingTier; messagesPerSecond: number } | undefined> {
    const row = await this.sql.get<{ tier: MessagingTier; messages_per_second: number }>(
      'SELECT tier, messages_per_second FROM broadcast_settings WHERE workspace_id = ?',
      [workspaceId],
    );
    return row && { tier: row.tier, messagesPerSecond: Number(row.messages_per_second) };
  }

  async saveSettings(workspaceId: string, settings: { tier: MessagingTier; messagesPerSecond: number }): Promise<void> {
    await this.sql.run(
      `INSERT INTO broadcast_settings (workspace_id, tier, messages_per_second) VALUES (?, ?, ?)
       ON CONFLICT (workspace_id) DO UPDATE SET tier = excluded.tier, messages_per_second = excluded.messages_per_second`,
      [workspaceId, settings.tier, settings.messagesPerSecond],
    );
  }

  /** Gives the workspace its default settings unless it has some. */
  async ensureSettings(workspaceId: string, defaults: { tier: MessagingTier; messagesPerSecond: number }): Promise<void> {
    await this.sql.run(
      'INSERT INTO broadcast_settings (workspace_id, tier, messages_per_second) VALUES (?, ?, ?) ON CONFLICT (workspace_id) DO NOTHING',
      [workspaceId, defaults.tier, defaults.messagesPerSecond],
    );
  }

  /**
   * Reserves the workspace's next `spanMs` of send time, from the end of the last reservation (or
   * now when that is past), in one atomic statement shared by every process: returns when it starts (ms).
   */
  async takeSlot(workspaceId: string, nowMs: number, spanMs: number): Promise<number> {
    const row = await this.sql.get<{ next_slot_ms: number }>(
      `UPDATE broadcast_settings SET next_slot_ms = CASE WHEN next_slot_ms > ? THEN next_slot_ms ELSE ? END + ?
       WHERE workspace_id = ? RETURNING next_slot_ms`,
      [nowMs, nowMs, spanMs, workspaceId],
    );
    return row ? Number(row.next_slot_ms) - spanMs : nowMs;
  }
}
