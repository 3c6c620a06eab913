import type { Message } from '@charla/protocol';
import type { Sql, SqlParam } from '../db.js';
import { bool, toMessage, type MessageRow } from './rows.js';

export class MessageQueries {
  constructor(private readonly sql: Sql) {}

  async byClientId(workspaceId: string, clientId: string): Promise<Message | undefined> {
    const row = await this.sql.get<MessageRow>('SELECT * FROM messages WHERE workspace_id = ? AND client_id = ?', [
      workspaceId,
      clientId,
    ]);
    return row && toMessage(row);
  }

  /**
   * Up to `limit` messages of a conversation older than `before` (a message id), newest first.
   * Ids are time-sortable, so id order is creation order.
   */
  async newestFirst(
    workspaceId: string,
    conversationId: string,
    options: { before?: string; limit: number; includePrivate: boolean },
  ): Promise<Message[]> {
    const where = ['workspace_id = ?', 'conversation_id = ?'];
    const params: SqlParam[] = [workspaceId, conversationId];
    if (options.before) {
      where.push('id < ?');
      params.push(options.before);
    }
    if (!options.includePrivate) where.push('private = 0');
    const rows = await this.sql.all<MessageRow>(
      `SELECT * FROM messages WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`,
      [...params, options.limit],
    );
    return rows.map(toMessage);
  }

  async insert(message: Message): Promise<void> {
    await this.sql.run(
      `INSERT INTO messages (id, workspace_id, conversation_id, direction, sender_kind, sender_id, sender_name, type,
         body, private, client_id, channel_message_id, status, error, content, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        message.id, message.workspaceId, message.conversationId, message.direction, message.senderKind,
        message.senderId, message.senderName, message.type, message.body, bool(message.private), message.clientId,
        message.channelMessageId, message.status, message.error,
        message.content ? JSON.stringify(message.content) : null, message.createdAt,
      ],
    );
  }
}
