import type { Message } from '@charla/protocol';
import type { Sql, SqlParam } from '../db.js';
import { bool, toMessage, type MessageRow } from './rows.js';
import { slices } from './like.js';

/**
 * Whose client ids a send is deduplicated among: one agent (`agent:<id>`) or one visitor session
 * (`visitor:<id>`). Another sender's id neither finds nor collides with their message.
 */
export type ClientScope = `agent:${string}` | `visitor:${string}`;
export const agentClientScope = (agentId: string): ClientScope => `agent:${agentId}`;
export const visitorClientScope = (visitorId: string): ClientScope => `visitor:${visitorId}`;

const INSERT_MESSAGES = `INSERT INTO messages (id, workspace_id, conversation_id, direction, sender_kind, sender_id, sender_name, type,
  body, private, client_scope, scoped_client_id, channel_message_id, status, error, content, created_at) VALUES`;
const MESSAGE_VALUES = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
/** Rows per multi-row INSERT: 17 parameters each stays far below either engine's limit. */
const INSERT_CHUNK = 200;

function messageParams(message: Message, clientScope: ClientScope | null): SqlParam[] {
  if (message.clientId !== null && clientScope === null) throw new Error('A message with a client id needs its client scope');
  return [
    message.id, message.workspaceId, message.conversationId, message.direction, message.senderKind,
    message.senderId, message.senderName, message.type, message.body, bool(message.private),
    message.clientId === null ? null : clientScope, message.clientId,
    message.channelMessageId, message.status, message.error,
    message.content ? JSON.stringify(message.content) : null, message.createdAt,
  ];
}

export class MessageQueries {
  constructor(private readonly sql: Sql) {}

  async byClientId(workspaceId: string, scope: ClientScope, clientId: string): Promise<Message | undefined> {
    const row = await this.sql.get<MessageRow>(
      'SELECT * FROM messages WHERE workspace_id = ? AND client_scope = ? AND scoped_client_id = ?',
      [workspaceId, scope, clientId],
    );
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

  /** `clientScope`: the sender the message's client id belongs to (needed when it has one). */
  async insert(message: Message, clientScope: ClientScope | null = null): Promise<void> {
    await this.sql.run(`${INSERT_MESSAGES} ${MESSAGE_VALUES}`, messageParams(message, clientScope));
  }

  /** Messages of the workspace without client ids (a lot of customers' messages), a few hundred rows per statement. */
  async insertMany(workspaceId: string, messages: readonly Message[]): Promise<void> {
    if (messages.some((message) => message.workspaceId !== workspaceId)) throw new Error('Every message must be of the workspace');
    for (const chunk of slices(messages, INSERT_CHUNK)) {
      await this.sql.run(
        `${INSERT_MESSAGES} ${chunk.map(() => MESSAGE_VALUES).join(', ')}`,
        chunk.flatMap((message) => messageParams(message, null)),
      );
    }
  }
}
