/**
 * Row shapes as SQL returns them (snake_case, 0/1 booleans, JSON text) and their mapping to the
 * protocol's entities. Only the store imports this module.
 */
import { externalIdsOf } from './external-refs.js';
import type {
  Agent, AgentRole, Channel, ChangeEvent, Contact, Conversation, ConversationStatus,
  DeliveryStatus, Identity, MarketingOptOut, Message, MessageDirection, MessageType, NameSource, Priority, SenderKind,
  VisitorMessage, Workspace,
} from '@charla/protocol';

export interface WorkspaceRow {
  id: string;
  name: string;
  widget_key: string;
  greeting: string | null;
  default_country: string;
  timezone: string;
  currency: string;
  agent_visibility: 'all' | 'teams';
  last_seq: number;
  created_at: string;
}

export interface AgentRow {
  id: string;
  workspace_id: string;
  name: string;
  email: string;
  role: AgentRole;
  avatar_url: string | null;
  skills?: string | null;
}

export interface ContactRow {
  id: string;
  workspace_id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  avatar_url: string | null;
  company_id: string | null;
  tags?: string | null;
  attributes?: string | null;
  external_ids?: string | null;
  name_source?: string | null;
  marketing_opt_out?: string | null;
  created_at: string;
  updated_at: string;
}

export interface IdentityRow {
  id: string;
  contact_id: string;
  channel: Channel;
  handle: string;
  verified: number;
}

export interface ConversationRow {
  id: string;
  workspace_id: string;
  contact_id: string;
  channel: Channel;
  status: ConversationStatus;
  priority: Priority;
  assignee_id: string | null;
  labels: string;
  last_message_preview: string | null;
  last_message_at: string | null;
  waiting_since: string | null;
  first_reply_at: string | null;
  unread_count: number;
  last_inbound_at?: string | null;
  referral?: string | null;
  broadcast_id?: string | null;
  created_at: string;
  updated_at: string;
  snoozed_until?: string | null;
  team_id?: string | null;
  required_skill?: string | null;
  sla_breached_at?: string | null;
  resolution_breached_at?: string | null;
}

export interface MessageRow {
  id: string;
  workspace_id: string;
  conversation_id: string;
  direction: MessageDirection;
  sender_kind: SenderKind;
  sender_id: string | null;
  sender_name: string | null;
  type: MessageType;
  body: string;
  private: number;
  scoped_client_id: string | null;
  channel_message_id: string | null;
  status: DeliveryStatus;
  error: string | null;
  content?: string | null;
  created_at: string;
}

export interface EventRow {
  seq: number;
  type: ChangeEvent['type'];
  conversation_id: string | null;
  data: string;
  created_at: string;
}

export const toWorkspace = (row: WorkspaceRow): Workspace => ({
  id: row.id,
  name: row.name,
  widgetKey: row.widget_key,
  greeting: row.greeting,
  defaultCountry: row.default_country,
  timezone: row.timezone,
  currency: row.currency,
  agentVisibility: row.agent_visibility,
  createdAt: row.created_at,
});

export const toAgent = (row: AgentRow): Agent => ({
  id: row.id,
  workspaceId: row.workspace_id,
  name: row.name,
  email: row.email,
  role: row.role,
  avatarUrl: row.avatar_url,
  skills: row.skills ? (JSON.parse(row.skills) as string[]) : [],
});

export const toIdentity = (row: IdentityRow): Identity => ({
  id: row.id,
  contactId: row.contact_id,
  channel: row.channel,
  handle: row.handle,
  verified: row.verified === 1,
});

export const toContact = (row: ContactRow, identities: Identity[]): Contact => ({
  id: row.id,
  workspaceId: row.workspace_id,
  name: row.name,
  email: row.email,
  phone: row.phone,
  avatarUrl: row.avatar_url,
  companyId: row.company_id,
  identities,
  tags: row.tags ? (JSON.parse(row.tags) as string[]) : [],
  attributes: row.attributes ? (JSON.parse(row.attributes) as Record<string, string>) : {},
  nameSource: (row.name_source as NameSource | null | undefined) ?? null,
  marketingOptOut: row.marketing_opt_out ? (JSON.parse(row.marketing_opt_out) as MarketingOptOut) : null,
  ...externalIdsOf(row.external_ids),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export const toConversation = (row: ConversationRow): Conversation => ({
  id: row.id,
  workspaceId: row.workspace_id,
  contactId: row.contact_id,
  channel: row.channel,
  status: row.status,
  priority: row.priority,
  assigneeId: row.assignee_id,
  labels: JSON.parse(row.labels) as string[],
  lastMessagePreview: row.last_message_preview,
  lastMessageAt: row.last_message_at,
  waitingSince: row.waiting_since,
  firstReplyAt: row.first_reply_at,
  unreadCount: row.unread_count,
  windowExpiresAt: replyWindowEnd(row.channel, row.last_inbound_at ?? null),
  snoozedUntil: row.snoozed_until ?? null,
  teamId: row.team_id ?? null,
  requiredSkill: row.required_skill ?? null,
  slaBreachedAt: row.sla_breached_at ?? null,
  resolutionBreachedAt: row.resolution_breached_at ?? null,
  referral: row.referral ? (JSON.parse(row.referral) as Record<string, unknown>) : null,
  broadcastId: row.broadcast_id ?? null,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export const toMessage = (row: MessageRow): Message => ({
  id: row.id,
  workspaceId: row.workspace_id,
  conversationId: row.conversation_id,
  direction: row.direction,
  senderKind: row.sender_kind,
  senderId: row.sender_id,
  senderName: row.sender_name,
  type: row.type,
  body: row.body,
  private: row.private === 1,
  clientId: row.scoped_client_id,
  channelMessageId: row.channel_message_id,
  status: row.status,
  error: row.error,
  content: row.content ? (JSON.parse(row.content) as Record<string, unknown>) : null,
  createdAt: row.created_at,
});

/** What a visitor may see of a message: no private flag, workspace or channel ids. */
export function toVisitorMessage(message: Message): VisitorMessage {
  const { private: _private, workspaceId: _workspaceId, channelMessageId: _channelMessageId, ...visible } = message;
  return visible;
}

export const toChangeEvent = (row: EventRow): ChangeEvent =>
  ({
    seq: row.seq,
    type: row.type,
    conversationId: row.conversation_id,
    data: JSON.parse(row.data) as unknown,
    createdAt: row.created_at,
  }) as ChangeEvent;

/**
 * How long after the customer's last message a free-text reply may be sent: WhatsApp's 24-hour
 * customer-service window; on Instagram 24 hours, or 7 days for a human agent (the
 * HUMAN_AGENT tag), and agents are human, so 7 days.
 */
export const REPLY_WINDOW_MS: Partial<Record<Channel, number>> = {
  whatsapp: 24 * 3600_000,
  instagram: 7 * 24 * 3600_000,
  messenger: 7 * 24 * 3600_000,
};

export function replyWindowEnd(channel: Channel, lastInboundAt: string | null): string | null {
  const length = REPLY_WINDOW_MS[channel];
  if (length === undefined || lastInboundAt === null) return null;
  return new Date(Date.parse(lastInboundAt) + length).toISOString();
}

export const bool = (value: boolean): number => (value ? 1 : 0);
