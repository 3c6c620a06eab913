export { CharlaClient, type CharlaClientOptions } from './agent-client.js';
export { tokenExpiry, type TokenProvider } from './agent-token.js';
export { VisitorClient, type VisitorClientOptions } from './visitor-client.js';
export type { ConnectionState, BaseClientOptions } from './base-client.js';
export { ConversationQuery, compareConversations, type ConversationFilter, type StatusCounts } from './conversation-query.js';
export { MessageLog, type MessageLike } from './message-log.js';
export { CharlaRequestError } from './errors.js';
export { DealStore, type AgendaView, type CommerceSummary, type DealBoard, type Loadable, type TaskList, type TimelineFeed } from './deals.js';
export { MemoryStorage, type KeyValueStorage } from './storage.js';
export { newClientId } from './ids.js';
export { TYPING_TTL_MS, type Typist } from './typing.js';
export { actionReply, type QuickAction, type QuickActionMessage, type QuickActionState } from './actions.js';
export { AiStore, type FollowUpsEntry, type InsightsEntry } from './ai.js';
export { fetchMetric, type MetricQuery, type MetricResults } from './metrics.js';
export {
  bulkUpdateContacts, exportContacts, fetchCompany, fetchSegments, searchCompanies, searchDirectory, type CompanyOverview, type ContactBulkChange,
} from './directory.js';
export {
  cancelBroadcast, createBroadcast, fetchBroadcast, fetchBroadcastRecipients, fetchBroadcasts, fetchBroadcastSettings, previewBroadcast,
} from './broadcasts.js';
