import type { Channel, Conversation, ConversationStatus, Priority } from '@charla/protocol';
import type { Sql, SqlParam } from '../db.js';
import { containsPattern, jsonElementPattern, LIKE, placeholders, slices } from './like.js';
import { dialectOf } from '../dialect.js';
import { packedRows, unpackRows } from './packed.js';
import { Slices } from '../slices.js';
import { toConversation, type ConversationRow } from './rows.js';

export interface ConversationFilter {
  status: ConversationStatus | 'all';
  /** An agent id; `null` for unassigned conversations; absent for anyone's. */
  assigneeId?: string | null;
  channel?: Channel;
  priority?: Priority;
  teamId?: string;
  label?: string;
  /** Clocks that breach (or will within the margin) their target: the start thresholds, per kind. */
  slaBefore?: SlaThresholds;
  /** Matches the contact's name, email, phone or handles, or any message of the conversation. */
  query?: string;
  /** Only the conversations this agent may see when the workspace shows agents their teams' only. */
  visibleTo?: string;
}

/**
 * The conversations an agent limited to their teams sees: assigned to them, of one of their teams,
 * or of no team yet. `alias` is the conversations table's prefix; binds the agent's id twice (or
 * names it with the numbered `param`, as `?7`).
 */
export function visibleToAgentSql(alias: 'c.' | '', param = '?'): string {
  return `(${alias}assignee_id = ${param} OR ${alias}team_id IS NULL
    OR ${alias}team_id IN (SELECT tm.team_id FROM team_members tm WHERE tm.agent_id = ${param}))`;
}

/**
 * The ids of a workspace's conversations an agent limited to their teams sees, as a subquery
 * (binds the workspace id, then the agent's id twice).
 */
export const VISIBLE_CONVERSATION_IDS = `SELECT c.id FROM conversations c WHERE c.workspace_id = ? AND ${visibleToAgentSql('c.')}`;

/** Clock starts at or before which a clock is past its target, per kind; null: no target. */
export interface SlaThresholds {
  first: string | null;
  next: string | null;
  /** Conversation starts, for the resolution target (absent: not asked). */
  resolution?: string | null;
}

/**
 * Clocks that started before a threshold: waits — `first` for the first response (no reply yet),
 * `next` for later ones — and, with `resolution`, unresolved conversations by their start; a null
 * threshold matches nothing. `alias` is the table prefix (`c.` or '').
 */
function waitsStartedBefore(thresholds: SlaThresholds, alias: 'c.' | ''): { sql: string; params: SqlParam[] } {
  const branches: string[] = [];
  const params: SqlParam[] = [];
  if (thresholds.first) {
    branches.push(`(${alias}first_reply_at IS NULL AND ${alias}waiting_since <= ?)`);
    params.push(thresholds.first);
  }
  if (thresholds.next) {
    branches.push(`(${alias}first_reply_at IS NOT NULL AND ${alias}waiting_since <= ?)`);
    params.push(thresholds.next);
  }
  if (thresholds.resolution) {
    branches.push(`(${alias}status <> 'resolved' AND ${alias}created_at <= ?)`);
    params.push(thresholds.resolution);
  }
  return { sql: branches.length > 0 ? `(${branches.join(' OR ')})` : '(1 = 0)', params };
}

/**
 * The messages that can start or stop a conversation clock, written exactly as the WHERE of the
 * partial index messages_for_clocks (migration 38): SQLite uses a partial index only for a query
 * that repeats its condition, and with it every lookup below reads the index alone.
 */
const CLOCK_MESSAGES = `m.private = 0 AND (m.sender_kind = 'agent' OR (m.sender_kind = 'contact' AND m.direction = 'in'))`;

export interface MetricMessageRow {
  conversation_id: string;
  direction: 'in' | 'out';
  sender_kind: string;
  sender_id: string | null;
  created_at: string;
  channel: string;
}

/** A conversation's channel, its customer's first message and the first human reply after it (null: none yet). */
export interface FirstReplyRow {
  channel: string;
  first_in: string;
  replied_at: string | null;
  replied_by: string | null;
}

/** Position in the inbox order (last activity, newest first; id breaks ties). */
export interface ActivityCursor {
  lastMessageAt: string;
  id: string;
}

/** Conversations per multi-row update: 15 parameters each. */
const SAVE_CHUNK = 200;

export class ConversationQueries {
  constructor(private readonly sql: Sql) {}

  async get(workspaceId: string, id: string): Promise<Conversation | undefined> {
    const row = await this.sql.get<ConversationRow>('SELECT * FROM conversations WHERE workspace_id = ? AND id = ?', [
      workspaceId,
      id,
    ]);
    return row && toConversation(row);
  }

  /** One page of the inbox, in activity order, starting after `after`. */
  async list(workspaceId: string, filter: ConversationFilter, after: ActivityCursor | null, limit: number): Promise<Conversation[]> {
    const { where, params } = this.#where(workspaceId, filter, true);
    if (after) {
      where.push('(c.last_message_at < ? OR (c.last_message_at = ? AND c.id < ?))');
      params.push(after.lastMessageAt, after.lastMessageAt, after.id);
    }
    const rows = await this.sql.all<ConversationRow>(
      `SELECT c.* FROM conversations c WHERE ${where.join(' AND ')}
       ORDER BY c.last_message_at DESC, c.id DESC LIMIT ?`,
      [...params, limit],
    );
    return rows.map(toConversation);
  }

  /** How many conversations match the filter in each status (the filter's own status is ignored). */
  async countByStatus(workspaceId: string, filter: ConversationFilter): Promise<Map<ConversationStatus, number>> {
    const { where, params } = this.#where(workspaceId, filter, false);
    const rows = await this.sql.all<{ status: ConversationStatus; total: number }>(
      `SELECT c.status AS status, COUNT(*) AS total FROM conversations c WHERE ${where.join(' AND ')} GROUP BY c.status`,
      params,
    );
    return new Map(rows.map((row) => [row.status, Number(row.total)]));
  }

  /** The contact's most recent conversation on a channel. */
  async latestOfContact(workspaceId: string, contactId: string, channel: Channel): Promise<Conversation | undefined> {
    const row = await this.sql.get<ConversationRow>(
      `SELECT * FROM conversations WHERE workspace_id = ? AND contact_id = ? AND channel = ?
       ORDER BY id DESC LIMIT 1`,
      [workspaceId, contactId, channel],
    );
    return row && toConversation(row);
  }

  /** The latest conversation on `channel` of each of `contactIds` that has one. */
  async latestOfContacts(workspaceId: string, contactIds: readonly string[], channel: Channel): Promise<Map<string, Conversation>> {
    const unique = [...new Set(contactIds)];
    if (unique.length === 0) return new Map();
    const rows = await this.sql.all<ConversationRow>(
      `SELECT c.* FROM conversations c
       WHERE c.workspace_id = ? AND c.channel = ? AND c.contact_id IN (${placeholders(unique.length)})
         AND c.id = (SELECT MAX(l.id) FROM conversations l WHERE l.workspace_id = c.workspace_id AND l.contact_id = c.contact_id AND l.channel = c.channel)`,
      [workspaceId, channel, ...unique],
    );
    return new Map(rows.map((row) => [row.contact_id, toConversation(row)]));
  }

  async idsOfContact(workspaceId: string, contactId: string): Promise<string[]> {
    const rows = await this.sql.all<{ id: string }>(
      'SELECT id FROM conversations WHERE workspace_id = ? AND contact_id = ? ORDER BY id',
      [workspaceId, contactId],
    );
    return rows.map((row) => row.id);
  }

  /** Of `ids`, the conversations `agentId` sees when limited to their teams. */
  async visibleAmong(workspaceId: string, agentId: string, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.sql.all<{ id: string }>(
      `SELECT c.id FROM conversations c WHERE c.workspace_id = ? AND c.id IN (${placeholders(ids.length)}) AND ${visibleToAgentSql('c.')}`,
      [workspaceId, ...ids, agentId, agentId],
    );
    return new Set(rows.map((row) => row.id));
  }

  /**
   * Who may see each of `ids` in a workspace that shows agents their teams' conversations only:
   * the ids of its admins, of the assignee and of the team's members (everyone active when the
   * conversation has no team).
   */
  async audiences(workspaceId: string, ids: readonly string[]): Promise<Map<string, string[]>> {
    const audiences = new Map<string, string[]>();
    if (ids.length === 0) return audiences;
    const rows = await this.sql.all<{ conversation_id: string; agent_id: string }>(
      `SELECT c.id AS conversation_id, a.id AS agent_id
       FROM conversations c JOIN agents a ON a.workspace_id = c.workspace_id
       WHERE c.workspace_id = ? AND c.id IN (${placeholders(ids.length)}) AND a.deactivated_at IS NULL
         AND (a.role = 'admin' OR c.team_id IS NULL OR c.assignee_id = a.id
           OR EXISTS (SELECT 1 FROM team_members tm WHERE tm.team_id = c.team_id AND tm.agent_id = a.id))`,
      [workspaceId, ...ids],
    );
    for (const id of ids) audiences.set(id, []);
    for (const row of rows) audiences.get(row.conversation_id)?.push(row.agent_id);
    return audiences;
  }

  async insert(conversation: Conversation): Promise<void> {
    await this.sql.run(
      `INSERT INTO conversations (id, workspace_id, contact_id, channel, status, priority, assignee_id, labels,
         last_message_preview, last_message_at, waiting_since, first_reply_at, unread_count, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        conversation.id, conversation.workspaceId, conversation.contactId, conversation.channel, conversation.status,
        conversation.priority, conversation.assigneeId, JSON.stringify(conversation.labels),
        conversation.lastMessagePreview, conversation.lastMessageAt, conversation.waitingSince,
        conversation.firstReplyAt, conversation.unreadCount, conversation.createdAt, conversation.updatedAt,
      ],
    );
  }

  /** The status a conversation had before its last change of status, and when that change was. */
  async statusChange(workspaceId: string, id: string): Promise<{ previous: ConversationStatus | null; at: string | null } | undefined> {
    const row = await this.sql.get<{ previous_status: ConversationStatus | null; status_changed_at: string | null }>(
      'SELECT previous_status, status_changed_at FROM conversations WHERE workspace_id = ? AND id = ?',
      [workspaceId, id],
    );
    return row && { previous: row.previous_status, at: row.status_changed_at };
  }

  /** Writes every mutable field of the conversation. */
  async save(conversation: Conversation): Promise<void> {
    await this.sql.run(
      `UPDATE conversations SET status = ?, priority = ?, assignee_id = ?, labels = ?, last_message_preview = ?,
         last_message_at = ?, waiting_since = ?, first_reply_at = ?, unread_count = ?, updated_at = ?, snoozed_until = ?, team_id = ?, required_skill = ?,
         resolved_at = CASE WHEN ? = 'resolved' THEN COALESCE(resolved_at, ?) ELSE NULL END,
         previous_status = CASE WHEN status <> ? THEN status ELSE previous_status END,
         status_changed_at = CASE WHEN status <> ? THEN ? ELSE status_changed_at END,
         sla_breached_at = CASE WHEN CAST(? AS TEXT) IS NULL THEN NULL ELSE sla_breached_at END
       WHERE workspace_id = ? AND id = ?`,
      [
        conversation.status, conversation.priority, conversation.assigneeId, JSON.stringify(conversation.labels),
        conversation.lastMessagePreview, conversation.lastMessageAt, conversation.waitingSince,
        conversation.firstReplyAt, conversation.unreadCount, conversation.updatedAt,
        // Only a snoozed conversation keeps a wake-up time.
        conversation.status === 'snoozed' ? (conversation.snoozedUntil ?? null) : null,
        conversation.teamId ?? null,
        conversation.requiredSkill ?? null,
        // When it was resolved (kept while it stays resolved): the stop of the resolution clock.
        conversation.status, conversation.updatedAt,
        // The status it had before (SET expressions read the row as it was), for webhooks.
        conversation.status, conversation.status, conversation.updatedAt,
        // A breach belongs to a wait: when nobody waits any more, it is cleared.
        conversation.waitingSince,
        conversation.workspaceId, conversation.id,
      ],
    );
  }

  /**
   * `save` for several conversations of the workspace in one statement (a webhook's lot), each with when its
   * customer last wrote (`inboundAt`, null: not in this change), which moves the reply window's
   * start forwards as `channels.touchInbound` does.
   */
  async saveMany(workspaceId: string, entries: ReadonlyArray<{ conversation: Conversation; inboundAt: string | null }>): Promise<void> {
    for (const chunk of slices(entries, SAVE_CHUNK)) {
      await this.sql.run(
        `WITH v (id, status, priority, assignee_id, labels, preview, last_message_at, waiting_since, first_reply_at,
           unread_count, updated_at, snoozed_until, team_id, required_skill, inbound_at)
         AS (VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')})
         UPDATE conversations SET status = v.status, priority = v.priority, assignee_id = v.assignee_id, labels = v.labels,
           last_message_preview = v.preview, last_message_at = v.last_message_at, waiting_since = v.waiting_since,
           first_reply_at = v.first_reply_at, unread_count = CAST(v.unread_count AS INTEGER), updated_at = v.updated_at,
           snoozed_until = v.snoozed_until, team_id = v.team_id, required_skill = v.required_skill,
           resolved_at = CASE WHEN v.status = 'resolved' THEN COALESCE(conversations.resolved_at, v.updated_at) ELSE NULL END,
           previous_status = CASE WHEN conversations.status <> v.status THEN conversations.status ELSE conversations.previous_status END,
           status_changed_at = CASE WHEN conversations.status <> v.status THEN v.updated_at ELSE conversations.status_changed_at END,
           sla_breached_at = CASE WHEN v.waiting_since IS NULL THEN NULL ELSE conversations.sla_breached_at END,
           last_inbound_at = CASE WHEN v.inbound_at IS NOT NULL AND (conversations.last_inbound_at IS NULL OR conversations.last_inbound_at < v.inbound_at)
             THEN v.inbound_at ELSE conversations.last_inbound_at END
         FROM v WHERE conversations.workspace_id = ? AND conversations.id = v.id`,
        [...chunk.flatMap(({ conversation, inboundAt }) => [
          conversation.id, conversation.status, conversation.priority, conversation.assigneeId,
          JSON.stringify(conversation.labels), conversation.lastMessagePreview, conversation.lastMessageAt, conversation.waitingSince,
          conversation.firstReplyAt, conversation.unreadCount, conversation.updatedAt,
          conversation.status === 'snoozed' ? (conversation.snoozedUntil ?? null) : null,
          conversation.teamId ?? null, conversation.requiredSkill ?? null, inboundAt,
        ]), workspaceId],
      );
    }
  }

  /**
   * The public messages of conversations started in a range that can start or stop a clock (the
   * customer's inbound ones and the human agents'), conversation by conversation, each in order,
   * for the conversation metrics. Read packed, one row per conversation: a month of a busy
   * workspace is hundreds of thousands of messages. The index messages_for_clocks (migration 38)
   * covers this read as long as its WHERE terms stay these.
   */
  async metricMessages(workspaceId: string, from: string, to: string): Promise<MetricMessageRow[]> {
    // Packed by a subquery per conversation: each reads its messages along the index, already in
    // order, where one GROUP BY over the month's messages would sort all of them first.
    const conversations = await this.sql.all<{ conversation_id: string; channel: string; messages: string | null }>(
      `SELECT c.id AS conversation_id, c.channel,
         (SELECT ${packedRows(dialectOf(this.sql), ['m.direction', 'm.sender_kind', 'm.sender_id', 'm.created_at'], 'm.created_at, m.id')}
          FROM messages m WHERE m.conversation_id = c.id AND ${CLOCK_MESSAGES}) AS messages
       FROM conversations c
       WHERE c.workspace_id = ? AND c.created_at >= ? AND c.created_at < ?`,
      [workspaceId, from, to],
    );
    const rows: MetricMessageRow[] = [];
    const slices = new Slices();
    for (const { conversation_id, channel, messages } of conversations) {
      if (slices.due()) await slices.turn();
      if (messages === null) continue;
      for (const [direction, sender_kind, sender_id, created_at] of unpackRows(messages)) {
        rows.push({ conversation_id, direction: direction as MetricMessageRow['direction'], sender_kind: sender_kind!, sender_id: sender_id ?? null, created_at: created_at!, channel });
      }
    }
    return rows;
  }

  /**
   * The conversations started in a range where the customer wrote: when they first wrote, and
   * when and by whom the first human reply after that came (private notes are not replies; bot
   * and system lines do not answer). Each is the first match walking the per-conversation index
   * messages_for_clocks in time order, so the lookup stops there instead of reading the month.
   */
  async firstReplies(workspaceId: string, from: string, to: string): Promise<FirstReplyRow[]> {
    const rows = await this.sql.all<{ channel: string; first_in: string; reply: string | null }>(
      `SELECT f.channel, f.first_in, (SELECT m.created_at || ' ' || COALESCE(m.sender_id, '') FROM messages m
           WHERE m.conversation_id = f.id AND ${CLOCK_MESSAGES} AND m.sender_kind = 'agent' AND m.created_at >= f.first_in
           ORDER BY m.created_at, m.id LIMIT 1) AS reply
       FROM (SELECT c.id, c.channel, (SELECT m.created_at FROM messages m
               WHERE m.conversation_id = c.id AND ${CLOCK_MESSAGES} AND m.sender_kind = 'contact' AND m.direction = 'in'
               ORDER BY m.created_at, m.id LIMIT 1) AS first_in
             FROM conversations c WHERE c.workspace_id = ? AND c.created_at >= ? AND c.created_at < ?) AS f
       WHERE f.first_in IS NOT NULL`,
      [workspaceId, from, to],
    );
    return rows.map(({ channel, first_in, reply }) => {
      if (reply === null) return { channel, first_in, replied_at: null, replied_by: null };
      const [replied_at, replied_by] = reply.split(' ') as [string, string];
      return { channel, first_in, replied_at, replied_by: replied_by || null };
    });
  }

  /** Conversations resolved in a range: when they started and were resolved. */
  async resolvedBetween(workspaceId: string, from: string, to: string): Promise<Array<{ channel: string; assignee_id: string | null; created_at: string; resolved_at: string }>> {
    return this.sql.all(
      `SELECT channel, assignee_id, created_at, resolved_at FROM conversations
       WHERE workspace_id = ? AND resolved_at IS NOT NULL AND resolved_at >= ? AND resolved_at < ?`,
      [workspaceId, from, to],
    );
  }

  /** Conversations started in a range. */
  async startedBetween(workspaceId: string, from: string, to: string): Promise<Array<{ channel: string; assignee_id: string | null; created_at: string }>> {
    return this.sql.all(
      'SELECT channel, assignee_id, created_at FROM conversations WHERE workspace_id = ? AND created_at >= ? AND created_at < ?',
      [workspaceId, from, to],
    );
  }

  /** Waits past their target not yet recorded as breached (thresholds are wait starts, per kind). */
  async newlyBreached(workspaceId: string, first: string | null, next: string | null, limit: number): Promise<string[]> {
    if (!first && !next) return [];
    const waits = waitsStartedBefore({ first, next }, '');
    const rows = await this.sql.all<{ id: string }>(
      `SELECT id FROM conversations WHERE workspace_id = ? AND status IN ('open', 'pending') AND waiting_since IS NOT NULL
         AND sla_breached_at IS NULL AND ${waits.sql} ORDER BY waiting_since LIMIT ?`,
      [workspaceId, ...waits.params, limit],
    );
    return rows.map((row) => row.id);
  }

  /** Open or pending conversations whose customer waits for an answer now. */
  async waitingCount(workspaceId: string): Promise<number> {
    const row = await this.sql.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM conversations WHERE workspace_id = ? AND status IN ('open', 'pending') AND waiting_since IS NOT NULL`,
      [workspaceId],
    );
    return row?.n ?? 0;
  }

  /** Unresolved conversations started before `before` whose resolution breach is not recorded yet. */
  async newlyPastResolution(workspaceId: string, before: string, limit: number): Promise<string[]> {
    const rows = await this.sql.all<{ id: string }>(
      `SELECT id FROM conversations WHERE workspace_id = ? AND status IN ('open', 'pending', 'snoozed') AND resolution_breached_at IS NULL
         AND created_at <= ? ORDER BY created_at LIMIT ?`,
      [workspaceId, before, limit],
    );
    return rows.map((row) => row.id);
  }

  async markResolutionBreached(workspaceId: string, id: string, at: string): Promise<void> {
    await this.sql.run('UPDATE conversations SET resolution_breached_at = ? WHERE workspace_id = ? AND id = ?', [at, workspaceId, id]);
  }

  async markBreached(workspaceId: string, id: string, at: string): Promise<void> {
    await this.sql.run('UPDATE conversations SET sla_breached_at = ? WHERE workspace_id = ? AND id = ?', [at, workspaceId, id]);
  }

  /** Snoozed conversations (of any workspace) whose wake-up time has come. */
  async dueSnoozed(now: string, limit: number): Promise<Array<{ workspaceId: string; id: string }>> {
    const rows = await this.sql.all<{ workspace_id: string; id: string }>(
      `SELECT workspace_id, id FROM conversations WHERE status = 'snoozed' AND snoozed_until IS NOT NULL AND snoozed_until <= ?
       ORDER BY snoozed_until LIMIT ?`,
      [now, limit],
    );
    return rows.map((row) => ({ workspaceId: row.workspace_id, id: row.id }));
  }

  #where(workspaceId: string, filter: ConversationFilter, withStatus: boolean): { where: string[]; params: SqlParam[] } {
    const where = ['c.workspace_id = ?'];
    const params: SqlParam[] = [workspaceId];
    if (withStatus && filter.status !== 'all') {
      where.push('c.status = ?');
      params.push(filter.status);
    }
    if (filter.assigneeId === null) {
      where.push('c.assignee_id IS NULL');
    } else if (filter.assigneeId !== undefined) {
      where.push('c.assignee_id = ?');
      params.push(filter.assigneeId);
    }
    if (filter.channel) {
      where.push('c.channel = ?');
      params.push(filter.channel);
    }
    if (filter.priority) {
      where.push('c.priority = ?');
      params.push(filter.priority);
    }
    if (filter.slaBefore) {
      const waits = waitsStartedBefore(filter.slaBefore, 'c.');
      where.push(`c.waiting_since IS NOT NULL AND c.status IN ('open', 'pending') AND ${waits.sql}`);
      params.push(...waits.params);
    }
    if (filter.teamId) {
      where.push('c.team_id = ?');
      params.push(filter.teamId);
    }
    if (filter.visibleTo !== undefined) {
      where.push(visibleToAgentSql('c.'));
      params.push(filter.visibleTo, filter.visibleTo);
    }
    if (filter.label) {
      where.push(`c.labels ${LIKE}`);
      params.push(jsonElementPattern(filter.label));
    }
    if (filter.query) {
      const pattern = containsPattern(filter.query);
      where.push(`(EXISTS (SELECT 1 FROM contacts ct WHERE ct.id = c.contact_id AND (
            LOWER(COALESCE(ct.name, '')) ${LIKE} OR LOWER(COALESCE(ct.email, '')) ${LIKE}
            OR LOWER(COALESCE(ct.phone, '')) ${LIKE}))
          OR EXISTS (SELECT 1 FROM identities i WHERE i.contact_id = c.contact_id AND LOWER(i.handle) ${LIKE})
          OR EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND LOWER(m.body) ${LIKE}))`);
      params.push(pattern, pattern, pattern, pattern, pattern);
    }
    return { where, params };
  }
}
