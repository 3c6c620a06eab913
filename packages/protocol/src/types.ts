import type { z } from 'zod';
import type * as s from './schemas.js';
import type * as w from './widget.js';
import type { ErrorCode } from './constants.js';
import type * as d from './deals.js';
import type * as cr from './canned.js';
import type * as ch from './channels.js';
import type * as nt from './notifications.js';
import type * as ct from './contacts.js';
import type * as tm from './teams.js';
import type * as rt from './routing.js';
import type * as bh from './business-hours.js';
import type * as ai from './ai.js';
import type * as mt from './metrics.js';
import type * as cs from './csat.js';

export type Workspace = z.infer<typeof s.workspaceSchema>;
export type Agent = z.infer<typeof s.agentSchema>;
export type Company = z.infer<typeof s.companySchema>;
export type Identity = z.infer<typeof s.identitySchema>;
export type Contact = z.infer<typeof s.contactSchema>;
export type MarketingOptOut = z.infer<typeof s.marketingOptOutSchema>;
export type Conversation = z.infer<typeof s.conversationSchema>;
export type Message = z.infer<typeof s.messageSchema>;
export type Note = z.infer<typeof s.noteSchema>;
export type CharlaError = z.infer<typeof s.errorSchema>;

export type SyncRequest = z.input<typeof s.syncRequestSchema>;
export type ConversationListRequest = z.input<typeof s.conversationListRequestSchema>;
export type ConversationRef = z.input<typeof s.conversationRefSchema>;
export type MessageListRequest = z.input<typeof s.messageListRequestSchema>;
export type MessageSendRequest = z.input<typeof s.messageSendRequestSchema>;
export type MessageLink = z.output<typeof s.messageLinkSchema>;
export type ConversationUpdateRequest = z.input<typeof s.conversationUpdateRequestSchema>;
export type ContactRef = z.input<typeof s.contactRefSchema>;
export type ContactPatch = z.input<typeof s.contactPatchSchema>;
export type NoteCreateRequest = z.input<typeof s.noteCreateRequestSchema>;
export type ContactUpdateRequest = z.input<typeof s.contactUpdateRequestSchema>;

/** A contact as its profile panel shows it. */
export interface ContactProfile {
  contact: Contact;
  company: Company | null;
  /** Notes about the contact, newest first (the latest 100). */
  notes: Note[];
}
export type VisitorMessageListRequest = z.input<typeof s.visitorMessageListRequestSchema>;
export type VisitorMessageSendRequest = z.input<typeof s.visitorMessageSendRequestSchema>;
export type VisitorProfile = z.input<typeof s.visitorProfileSchema>;

/** The agent-facing view of a visitor message: agents' private notes never reach a visitor. */
export type VisitorMessage = Omit<Message, 'private' | 'workspaceId' | 'channelMessageId'>;

/** Acknowledgement envelope of every socket request. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: CharlaError };
export type AckCallback<T> = (ack: Ack<T>) => void;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

// ---------------------------------------------------------------- change log

export interface ConversationUpsertedData {
  conversation: Conversation;
  contact: Contact;
}
export interface MessageUpsertedData {
  message: Message;
}
export interface ContactUpsertedData {
  contact: Contact;
}
export interface ContactDeletedData {
  contactId: string;
  /** Conversations removed with the contact. */
  conversationIds: string[];
}
export interface NoteCreatedData {
  note: Note;
}
export interface ContactMergedData {
  /** The surviving contact, with everything of the merged one. */
  contact: Contact;
  /** The contact that no longer exists. */
  mergedId: string;
  /** Conversations that moved from the merged contact to the survivor. */
  conversationIds: string[];
  /** The merge's record, to undo it (absent in entries logged before merges could be undone). */
  merge?: ct.ContactMergeRecord;
}
export interface ContactUnmergedData {
  /** The survivor as it is after the undo. */
  contact: Contact;
  /** The merged contact, back with what came from it. */
  restored: Contact;
  /** The merge record that was undone. */
  mergeId: string;
  /** Conversations that went back to `restored`. */
  conversationIds: string[];
}

interface EventBase<T extends string, D> {
  seq: number;
  type: T;
  conversationId: string | null;
  data: D;
  createdAt: string;
}
/** One entry of the ordered per-workspace change log. */
export type ChangeEvent =
  | EventBase<'conversation.upserted', ConversationUpsertedData>
  | EventBase<'message.upserted', MessageUpsertedData>
  | EventBase<'contact.upserted', ContactUpsertedData>
  | EventBase<'contact.deleted', ContactDeletedData>
  | EventBase<'note.created', NoteCreatedData>
  | EventBase<'contact.merged', ContactMergedData>
  | EventBase<'contact.unmerged', ContactUnmergedData>
  | EventBase<'pipeline.upserted', d.PipelineUpsertedData>
  | EventBase<'deal.upserted', d.DealUpsertedData>
  | EventBase<'task.upserted', d.TaskUpsertedData>
  | EventBase<'business_event.created', d.BusinessEventCreatedData>
  | EventBase<'csat.submitted', cs.CsatSubmittedData>
  | EventBase<'canned.changed', cr.CannedChangedData>
  | EventBase<'notification.created', nt.NotificationCreatedData>
  | EventBase<'notifications.read', nt.NotificationsReadData>
  | EventBase<'ai.insight.upserted', ai.AiInsightUpsertedData>
  | EventBase<'ai.followup.upserted', ai.FollowUpUpsertedData>
  | EventBase<'service_levels.changed', ServiceLevelsChangedData>
  /** A change of a contact since erased: kept as a placeholder so seq stays gap-free; nothing to apply. */
  | EventBase<'redacted', Record<string, never>>;

/** An admin changed the SLA targets or the weekly hours they count in: views redraw their clocks. */
export interface ServiceLevelsChangedData {
  sla: rt.SlaTargets;
  hours: bh.WeeklyHours | null;
}

export interface SyncResult {
  events: ChangeEvent[];
  /** The newest seq of the workspace (the caller is up to date up to it). */
  seq: number;
  /** True when more events remain after this batch: ask again from the last one. */
  more: boolean;
}

// ---------------------------------------------------------------- /agent namespace

export interface AgentSession {
  agent: Agent;
  workspace: Workspace;
  agents: Agent[];
  /** The workspace's teams, with their members. */
  teams?: tm.Team[];
  /** The workspace's service-level targets (for the clocks the views show). */
  sla?: rt.RoutingSettings['sla'];
  /** The workspace's time zone and weekly hours, when the targets count business hours. */
  hours?: bh.WeeklyHours | null;
  /** Newest seq at session start: events after it arrive live or through `sync`. */
  seq: number;
}

export interface ConversationPage {
  conversations: Conversation[];
  contacts: Contact[];
  nextCursor: string | null;
  /** Conversation counts per status for the tabs (for the same filters, ignoring status). */
  counts: Record<'open' | 'pending' | 'snoozed' | 'resolved' | 'all', number>;
}

export interface MessagePage<M = Message> {
  messages: M[];
  /** True when older messages exist before the first one returned. */
  hasMore: boolean;
}

export interface ConversationDetail {
  conversation: Conversation;
  contact: Contact;
}

export interface AgentClientToServer {
  'session.get': (payload: Record<string, never>, ack: AckCallback<AgentSession>) => void;
  sync: (payload: SyncRequest, ack: AckCallback<SyncResult>) => void;
  'conversations.list': (payload: ConversationListRequest, ack: AckCallback<ConversationPage>) => void;
  'conversation.get': (payload: ConversationRef, ack: AckCallback<ConversationDetail>) => void;
  'conversation.update': (payload: ConversationUpdateRequest, ack: AckCallback<Conversation>) => void;
  'conversation.read': (payload: ConversationRef, ack: AckCallback<Conversation>) => void;
  'messages.list': (payload: MessageListRequest, ack: AckCallback<MessagePage>) => void;
  'message.send': (payload: MessageSendRequest, ack: AckCallback<Message>) => void;
  'contact.get': (payload: ContactRef, ack: AckCallback<Contact>) => void;
  'note.create': (payload: NoteCreateRequest, ack: AckCallback<Note>) => void;
  'contact.profile': (payload: ContactRef, ack: AckCallback<ContactProfile>) => void;
  /** The workspace's canned responses, by shortcut. */
  'canned.list': (payload: Record<string, never>, ack: AckCallback<cr.CannedResponse[]>) => void;
  /** The workspace's WhatsApp templates, as last synced from the Graph API. */
  'templates.list': (payload: Record<string, never>, ack: AckCallback<ch.MessageTemplate[]>) => void;
  /** Sends an approved template (the way to write after the 24-hour window closed). */
  'template.send': (payload: ch.TemplateSendRequest, ack: AckCallback<Message>) => void;
  /** The signed-in agent's latest notifications and unread count. */
  'notifications.list': (payload: Record<string, never>, ack: AckCallback<nt.NotificationList>) => void;
  'notifications.read': (payload: nt.NotificationsReadRequest, ack: AckCallback<{ unread: number }>) => void;
  'contact.update': (payload: ContactUpdateRequest, ack: AckCallback<Contact>) => void;
  /** Contacts whose name, email, phone or handles contain the query (to link or merge). */
  'contacts.search': (payload: ct.ContactSearchRequest, ack: AckCallback<Contact[]>) => void;
  /** What merging `mergeId` into `contactId` would move and fill. */
  'contact.mergePreview': (payload: ch.ContactMergeRequest, ack: AckCallback<ct.ContactMergePreview>) => void;
  /** Merges `mergeId` into `contactId`: everything moves, nothing is lost; answers the survivor. */
  'contact.merge': (payload: ch.ContactMergeRequest, ack: AckCallback<Contact>) => void;
  /** The merges into a contact that can still be undone, newest first. */
  'contact.merges': (payload: ContactRef, ack: AckCallback<ct.ContactMergeRecord[]>) => void;
  /** Undoes a merge (within 30 days): both contacts are back, each with what came from it. Answers the restored contact. */
  'contact.unmerge': (payload: ct.ContactUnmergeRequest, ack: AckCallback<ContactUnmergedData>) => void;
  /** Possible duplicates (same or similar name), of a contact or of the workspace; dismissed pairs are left out. */
  'contacts.duplicates': (payload: ct.DuplicateListRequest, ack: AckCallback<ct.DuplicateSuggestion[]>) => void;
  /** Says two contacts are different people: the pair is not suggested again. */
  'contacts.dismissDuplicate': (payload: ct.DuplicateDismissRequest, ack: AckCallback<{ ok: true }>) => void;
  'pipelines.list': (payload: Record<string, never>, ack: AckCallback<d.Pipeline[]>) => void;
  'deals.list': (payload: d.DealListRequest, ack: AckCallback<d.DealPage>) => void;
  'metrics.get': (payload: mt.MetricGetRequest, ack: AckCallback<mt.MetricResult | mt.PipelineMetricResult | mt.SalesMetricResult | cs.CsatMetricResult>) => void;
  'deal.get': (payload: { dealId: string }, ack: AckCallback<d.DealDetail>) => void;
  'deal.create': (payload: d.DealCreateRequest, ack: AckCallback<d.Deal>) => void;
  'deal.update': (payload: d.DealUpdateRequest, ack: AckCallback<d.Deal>) => void;
  /** Moves the deal back where it was before the last automatic move. */
  'deal.undo': (payload: { dealId: string }, ack: AckCallback<d.Deal>) => void;
  'tasks.list': (payload: d.TaskListRequest, ack: AckCallback<d.Task[]>) => void;
  'task.create': (payload: d.TaskCreateRequest, ack: AckCallback<d.Task>) => void;
  'task.update': (payload: d.TaskUpdateRequest, ack: AckCallback<d.Task>) => void;
  'contact.commerce': (payload: { contactId: string }, ack: AckCallback<d.ContactCommerce>) => void;
  'timeline.list': (payload: d.TimelineRequest, ack: AckCallback<d.TimelinePage>) => void;
  /** The agent is typing a reply: relayed to the visitor and the other agents (send every few seconds while typing). */
  typing: (payload: { conversationId: string }, ack?: AckCallback<{ ok: true }>) => void;
  /** The latest AI analysis of a conversation (null before the first one). */
  'ai.insight': (payload: { conversationId: string }, ack: AckCallback<ai.ConversationInsight | null>) => void;
  /** A contact's latest AI insight and the fields the analysis filled. */
  'ai.contactInsights': (payload: { contactId: string }, ack: AckCallback<ai.ContactInsights>) => void;
  /** 1–3 suggested replies for the composer (never sent by the server). */
  'ai.suggestReplies': (payload: ai.ReplySuggestionRequest, ack: AckCallback<ai.ReplySuggestions>) => void;
  /** A quote drafted from the thread (items, quantities, prices from the knowledge base) for the agent to edit. */
  'ai.quoteDraft': (payload: ai.QuoteDraftRequest, ack: AckCallback<ai.QuoteDraft>) => void;
  /** Sends the edited quote as a message and puts its total on the conversation's deal. */
  'quote.send': (payload: ai.QuoteSendRequest, ack: AckCallback<ai.QuoteSent>) => void;
  /** The conversation's re-engagement drafts waiting for approval. */
  'ai.followUps': (payload: { conversationId: string }, ack: AckCallback<ai.FollowUpDraft[]>) => void;
  /** Sends a re-engagement draft (a template outside the WhatsApp window) and completes its task. */
  'ai.followUp.approve': (payload: ai.FollowUpApproveRequest, ack: AckCallback<{ followUp: ai.FollowUpDraft; message: Message }>) => void;
  'ai.followUp.dismiss': (payload: { id: string }, ack: AckCallback<ai.FollowUpDraft>) => void;
  'ai.settings.get': (payload: Record<string, never>, ack: AckCallback<ai.AiSettings>) => void;
  'ai.settings.update': (payload: ai.AiSettingsUpdateRequest, ack: AckCallback<ai.AiSettings>) => void;
  /** Every agent's presence (online, away, offline). */
  'presence.list': (payload: Record<string, never>, ack: AckCallback<rt.PresenceMap>) => void;
  /** Sets the signed-in agent away (routing gives them no new work) or back online, in all their tabs. */
  'presence.set': (payload: { status: 'online' | 'away' }, ack: AckCallback<{ status: 'online' | 'away' }>) => void;
}

export interface AgentServerToClient {
  /**
   * Committed changes, in seq order: consecutive changes of one commit for the same agents come in
   * one packet (a message with its conversation's change, a busy moment's messages).
   */
  events: (events: ChangeEvent[]) => void;
  /** A segment of the contacts directory counts other contacts now (live only; GET /api/v1/segments has them all). */
  'segment.changed': (data: import('./directory.js').SegmentChangedData) => void;
  /** A broadcast's state or recipients moved (live only, admins only; GET /api/v1/broadcasts/:id has it all). */
  'broadcast.changed': (data: import('./broadcasts.js').BroadcastChangedData) => void;
  /** Someone typing in a conversation of the workspace (live only, never in the change log). */
  typing: (signal: w.TypingSignal) => void;
  /** An agent came online, went away or went offline (live only). */
  presence: (signal: rt.PresenceSignal) => void;
  /**
   * A conversation this agent may no longer see (it moved to a team they are not in, where agents
   * see only their teams'): drop it from every view (live only; a resync never lists it).
   */
  'conversation.hidden': (signal: { conversationId: string }) => void;
}

// ---------------------------------------------------------------- /visitor namespace

export interface VisitorSession {
  /** Persist it (the widget uses localStorage) to continue the same conversation later. */
  token: string;
  contactId: string;
  conversation: Pick<Conversation, 'id' | 'status' | 'assigneeId'> | null;
  workspace: { name: string; greeting: string | null };
  /** Agents that may answer, as the visitor may see them. */
  agents: Array<Pick<Agent, 'id' | 'name' | 'avatarUrl'>>;
  seq: number;
  /** The visitor is a contact the site vouched for (`identify` with a valid hash). */
  verified: boolean;
  availability: w.WidgetAvailability;
}

/** What `identify` did. */
export interface VisitorIdentifyResult {
  /** The id came with its valid hash. */
  verified: boolean;
  /** The visitor now is another contact (with their history). */
  linked: boolean;
  /**
   * The session's new token when the hash proved a user the session had not proved: store it and
   * connect again with it (the previous token no longer opens this session, and the hash is no
   * credential). The session expires after a while without use; the visitor is then anonymous
   * until the site identifies them again.
   */
  token?: string;
}

export interface VisitorChangeEvent {
  seq: number;
  type: 'message.upserted';
  conversationId: string;
  data: { message: VisitorMessage };
  createdAt: string;
}

export interface VisitorSyncResult {
  events: VisitorChangeEvent[];
  seq: number;
  more: boolean;
}

export interface VisitorClientToServer {
  'session.get': (payload: Record<string, never>, ack: AckCallback<VisitorSession>) => void;
  sync: (payload: SyncRequest, ack: AckCallback<VisitorSyncResult>) => void;
  'messages.list': (payload: VisitorMessageListRequest, ack: AckCallback<MessagePage<VisitorMessage>>) => void;
  'message.send': (payload: VisitorMessageSendRequest, ack: AckCallback<VisitorMessage>) => void;
  'profile.update': (payload: VisitorProfile, ack: AckCallback<{ ok: true }>) => void;
  /** Who the visitor is, from the site; a valid hash proves them (see `VisitorIdentifyResult`). */
  identify: (payload: w.VisitorIdentity, ack: AckCallback<VisitorIdentifyResult>) => void;
  /** The pre-chat form's answers, checked against the workspace's form. */
  'prechat.submit': (payload: w.PreChatAnswers, ack: AckCallback<{ ok: true }>) => void;
  /** The visitor is typing (send every few seconds while typing). */
  typing: (payload: Record<string, never>, ack?: AckCallback<{ ok: true }>) => void;
  /** The visitor rates a resolved conversation (the survey card): 1–5 and an optional comment. */
  'csat.submit': (payload: cs.CsatSubmitRequest, ack: AckCallback<cs.CsatSurvey>) => void;
}

export interface VisitorServerToClient {
  /** Events of the visitor's own conversation only, private notes filtered out, in seq order (one packet per commit). */
  events: (events: VisitorChangeEvent[]) => void;
  /** Another tab identified the visitor (the stored token changed): reconnect and start the session again. */
  'session.changed': () => void;
  /** An agent is typing in the visitor's conversation. */
  typing: (signal: w.TypingSignal) => void;
  /** Agents came online or all left (the widget's away state). */
  availability: (availability: w.WidgetAvailability) => void;
  /** The visitor's conversation changed status or assignee (live only; a new session reads it too). */
  conversation: (conversation: Pick<Conversation, 'id' | 'status' | 'assigneeId'>) => void;
}
