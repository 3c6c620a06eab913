import type { Notification, NotificationKind } from '@charla/protocol';
import type { Sql } from '../db.js';
import { VISIBLE_CONVERSATION_IDS } from './conversations.js';
import { placeholders } from './like.js';

interface NotificationRow {
  id: string;
  workspace_id: string;
  agent_id: string;
  kind: NotificationKind;
  conversation_id: string | null;
  message_id: string | null;
  actor_id: string | null;
  actor_name: string | null;
  preview: string;
  created_at: string;
  read_at: string | null;
}

const toNotification = (row: NotificationRow): Notification => ({
  id: row.id,
  workspaceId: row.workspace_id,
  agentId: row.agent_id,
  kind: row.kind,
  conversationId: row.conversation_id,
  messageId: row.message_id,
  actorId: row.actor_id,
  actorName: row.actor_name,
  preview: row.preview,
  createdAt: row.created_at,
  readAt: row.read_at,
});

function visibleOnly(workspaceId: string, visibleTo: string | undefined): { sql: string; params: string[] } {
  return visibleTo === undefined
    ? { sql: '', params: [] }
    : { sql: `AND (conversation_id IS NULL OR conversation_id IN (${VISIBLE_CONVERSATION_IDS}))`, params: [workspaceId, visibleTo, visibleTo] };
}

/** Each agent's notifications (mentions, assignments) and their read state. */
export class NotificationQueries {
  constructor(private readonly sql: Sql) {}

  async insert(n: Notification): Promise<void> {
    await this.sql.run(
      `INSERT INTO notifications (id, workspace_id, agent_id, kind, conversation_id, message_id, actor_id, actor_name, preview, created_at, read_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [n.id, n.workspaceId, n.agentId, n.kind, n.conversationId, n.messageId, n.actorId, n.actorName, n.preview, n.createdAt, n.readAt],
    );
  }

  /** `visibleTo`: the agent sees only their teams' conversations, and no notification of the others. */
  async latest(workspaceId: string, agentId: string, limit: number, visibleTo?: string): Promise<Notification[]> {
    const visible = visibleOnly(workspaceId, visibleTo);
    const rows = await this.sql.all<NotificationRow>(
      `SELECT * FROM notifications WHERE workspace_id = ? AND agent_id = ? ${visible.sql} ORDER BY created_at DESC, id DESC LIMIT ?`,
      [workspaceId, agentId, ...visible.params, limit],
    );
    return rows.map(toNotification);
  }

  async unread(workspaceId: string, agentId: string, visibleTo?: string): Promise<number> {
    const visible = visibleOnly(workspaceId, visibleTo);
    const row = await this.sql.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM notifications WHERE workspace_id = ? AND agent_id = ? AND read_at IS NULL ${visible.sql}`,
      [workspaceId, agentId, ...visible.params],
    );
    return Number(row?.n ?? 0);
  }

  /** Marks the agent's notifications read (only theirs, whatever ids are given). */
  async markRead(workspaceId: string, agentId: string, ids: string[] | null, at: string): Promise<void> {
    if (ids === null) {
      await this.sql.run('UPDATE notifications SET read_at = ? WHERE workspace_id = ? AND agent_id = ? AND read_at IS NULL', [at, workspaceId, agentId]);
    } else {
      await this.sql.run(
        `UPDATE notifications SET read_at = ? WHERE workspace_id = ? AND agent_id = ? AND read_at IS NULL AND id IN (${placeholders(ids.length)})`,
        [at, workspaceId, agentId, ...ids],
      );
    }
  }
}
