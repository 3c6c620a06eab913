/**
 * Enumerations shared by the server and every client. Plain arrays (no zod) so that front-end
 * bundles can import them without pulling the schema library.
 */
export const CHANNELS = ['webchat', 'whatsapp', 'instagram', 'messenger', 'email', 'phone'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Channels that come through Meta's Graph API, each with settings of its own. */
export const CONFIGURABLE_CHANNELS = ['whatsapp', 'instagram', 'messenger'] as const;
export type ConfigurableChannel = (typeof CONFIGURABLE_CHANNELS)[number];
/** Every channel an admin configures: Meta's and email. */
export const SETTINGS_CHANNELS = [...CONFIGURABLE_CHANNELS, 'email'] as const;
export type SettingsChannel = (typeof SETTINGS_CHANNELS)[number];

export const AGENT_ROLES = ['admin', 'agent', 'viewer'] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];

export const CONVERSATION_STATUSES = ['open', 'pending', 'snoozed', 'resolved'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

export const PRIORITIES = ['none', 'low', 'medium', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const MESSAGE_DIRECTIONS = ['in', 'out'] as const;
export type MessageDirection = (typeof MESSAGE_DIRECTIONS)[number];

export const SENDER_KINDS = ['contact', 'agent', 'bot', 'system'] as const;
export type SenderKind = (typeof SENDER_KINDS)[number];

/** Content kinds a message can carry (WhatsApp's rich types included; `unsupported` keeps unknown ones). */
export const MESSAGE_TYPES = [
  'text', 'image', 'video', 'audio', 'document', 'sticker', 'location', 'contacts',
  'interactive', 'button', 'reaction', 'system', 'unsupported',
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** Delivery states, in the only order they may advance (`failed` is terminal and outranks all). */
export const DELIVERY_STATUSES = ['pending', 'sent', 'delivered', 'read', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const ERROR_CODES = [
  'invalid_payload',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'rate_limited',
  'timeout',
  'offline',
  'internal',
  /** A free-text reply outside the channel's customer-service window (send an approved template). */
  'window_closed',
  /** A channel account (WhatsApp number, Instagram account…) another workspace already holds. */
  'channel_taken',
  /** The access token could not prove that the channel account is the workspace's. */
  'channel_unverified',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** HTTP status for each error code, so REST answers and socket acks agree. */
export const ERROR_HTTP_STATUS: Record<ErrorCode, number> = {
  invalid_payload: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  timeout: 504,
  offline: 503,
  internal: 500,
  window_closed: 422,
  channel_taken: 409,
  channel_unverified: 422,
};

/** Change-log event types. Every change a view can show is one of these. */
export const EVENT_TYPES = [
  'conversation.upserted',
  'message.upserted',
  'contact.upserted',
  'contact.deleted',
  'note.created',
  /** Two contacts became one: everything of `mergedId` now belongs to `contactId`. */
  'contact.merged',
  /** A merge was undone: `restored` exists again with what came from it. */
  'contact.unmerged',
  'pipeline.upserted',
  'deal.upserted',
  'task.upserted',
  'business_event.created',
  /** A customer answered a satisfaction survey. */
  'csat.submitted',
  /** A canned response was created, changed or deleted. */
  'canned.changed',
  /** An agent was mentioned or assigned (every agent's client keeps only its own). */
  'notification.created',
  'notifications.read',
  /** A conversation's AI analysis finished (ready) or gave up (failed). */
  'ai.insight.upserted',
  /** A re-engagement draft was written, sent or dismissed. */
  'ai.followup.upserted',
  /** A change of someone since erased: the seq stays (resync stays gap-free), nothing of it does. */
  'redacted',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Limits enforced by the schemas (and shown by the UI). */
export const LIMITS = {
  messageBody: 4096,
  clientId: 64,
  pageSize: 100,
  query: 200,
  name: 200,
  /** A link card's title and URL (WhatsApp's call-to-action button takes 20 characters of the title). */
  linkTitle: 120,
  linkUrl: 2000,
} as const;

/** A skill agents have and routing rules ask for ("portugués", "mayoreo"): up to 40 of these characters, lowercase. */
export const SKILL_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} _.+#-]{0,39}$/u;

/**
 * Segments every workspace has, computed from activity, purchases and conversations (definitions
 * in the README): `new`, `active`, `at_risk`, `high_value`, `frequent_buyers`, `need_follow_up`.
 * (Here, not beside the directory's schemas, so an element naming them does not pull in zod.)
 */
export const BUILT_IN_SEGMENTS = ['new', 'active', 'at_risk', 'high_value', 'frequent_buyers', 'need_follow_up'] as const;
export type BuiltInSegment = (typeof BUILT_IN_SEGMENTS)[number];

/** How the contacts directory sorts. */
export const DIRECTORY_SORTS = ['name', 'createdAt', 'ltv', 'lastInteractionAt'] as const;
export type DirectorySort = (typeof DIRECTORY_SORTS)[number];

/** How the companies list sorts. */
export const COMPANY_SORTS = ['name', 'people', 'ltv', 'openDeals'] as const;
export type CompanySort = (typeof COMPANY_SORTS)[number];
