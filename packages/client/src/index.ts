export { CharlaClient, type CharlaClientOptions } from './agent-client.js';
export { VisitorClient, type VisitorClientOptions } from './visitor-client.js';
export type { ConnectionState, BaseClientOptions } from './base-client.js';
export { ConversationQuery, compareConversations, type ConversationFilter, type StatusCounts } from './conversation-query.js';
export { MessageLog, type MessageLike } from './message-log.js';
export { CharlaRequestError } from './errors.js';
export { MemoryStorage, type KeyValueStorage } from './storage.js';
export { newClientId } from './ids.js';
export { TYPING_TTL_MS, type Typist } from './typing.js';
