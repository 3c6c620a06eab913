/**
 * zod schemas: the single source of truth for entities and for every socket payload and HTTP body.
 * Types are inferred from them in `types.ts`.
 */
import { externalIdQuerySchema, externalIdsPatchSchema } from './external-ids.js';
import { z } from 'zod';
import {
  AGENT_ROLES, CHANNELS, CONVERSATION_STATUSES, DELIVERY_STATUSES, ERROR_CODES, EVENT_TYPES,
  LIMITS, MESSAGE_DIRECTIONS, MESSAGE_TYPES, PRIORITIES, SENDER_KINDS,
} from './constants.js';
import { NAME_SOURCES } from './contacts.js';
import { AGENT_VISIBILITIES } from './workspace.js';

const id = z.string().min(1).max(64);
const isoDate = z.string();
const trimmed = (max: number) => z.string().trim().max(max);

// ---------------------------------------------------------------- entities

export const workspaceSchema = z.object({
  id,
  name: z.string(),
  widgetKey: z.string(),
  greeting: z.string().nullable(),
  /** ISO 3166-1 alpha-2: national phone numbers are read as numbers of this country. */
  defaultCountry: z.string(),
  /** IANA time zone, e.g. `America/Mexico_City`. */
  timezone: z.string(),
  /** ISO 4217, e.g. `MXN`. */
  currency: z.string(),
  /** Which conversations agents and viewers see: `all`, or `teams` (see `AGENT_VISIBILITIES`). */
  agentVisibility: z.enum(AGENT_VISIBILITIES),
  createdAt: isoDate,
});

export const agentSchema = z.object({
  id,
  workspaceId: id,
  name: z.string(),
  email: z.string(),
  role: z.enum(AGENT_ROLES),
  avatarUrl: z.string().nullable(),
  /** What routing may ask of them ("portugués", "mayoreo"): lowercase names. */
  skills: z.array(z.string()).optional(),
});

export const companySchema = z.object({
  id,
  workspaceId: id,
  name: z.string(),
  domain: z.string().nullable(),
  /** Its ids in the host's other systems (`{"hubspot": "77"}`); absent when it has none. */
  externalIds: z.record(z.string(), z.string()).optional(),
});

export const companyPatchSchema = z.object({ externalIds: externalIdsPatchSchema }).strict();
export const companyListRequestSchema = z.object({ externalId: externalIdQuerySchema.optional() }).strict();

export const identitySchema = z.object({
  id,
  contactId: id,
  channel: z.enum(CHANNELS),
  handle: z.string(),
  verified: z.boolean(),
});

/** Who asked that a contact get no marketing (broadcasts, campaigns), when and how. */
export const marketingOptOutSchema = z.object({
  at: isoDate,
  /** `agent`: an agent or admin set it (panel or API); `keyword`: the customer wrote STOP, BAJA, PARAR… */
  source: z.enum(['agent', 'keyword']),
  byId: id.nullable(),
  byName: z.string().nullable(),
  /** The word the customer wrote, and on which channel. */
  keyword: z.string().nullable(),
  channel: z.enum(CHANNELS).nullable(),
});

export const contactSchema = z.object({
  id,
  workspaceId: id,
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  avatarUrl: z.string().nullable(),
  companyId: id.nullable(),
  identities: z.array(identitySchema),
  /** Free tags ("vip", "mayorista"). */
  tags: z.array(z.string()).optional(),
  /** Custom attributes (from an import or edited by agents), e.g. `{ "plan": "Pro" }`. */
  attributes: z.record(z.string(), z.string()).optional(),
  /** Where the name came from (decides which name a merge keeps). */
  nameSource: z.enum(NAME_SOURCES).nullable().optional(),
  /** Set when the person opted out of marketing; every bulk send skips them. */
  marketingOptOut: marketingOptOutSchema.nullable().optional(),
  /** Its ids in the host's other systems (`{"hubspot": "123"}`); absent when it has none. */
  externalIds: z.record(z.string(), z.string()).optional(),
  createdAt: isoDate,
  updatedAt: isoDate,
});

export const conversationSchema = z.object({
  id,
  workspaceId: id,
  contactId: id,
  channel: z.enum(CHANNELS),
  status: z.enum(CONVERSATION_STATUSES),
  priority: z.enum(PRIORITIES),
  assigneeId: id.nullable(),
  /** The team the conversation is routed to. */
  teamId: id.nullable().optional(),
  /** A skill routing asks of its assignee (a routing rule gave it); null: anyone may take it. */
  requiredSkill: z.string().nullable().optional(),
  labels: z.array(z.string()),
  lastMessagePreview: z.string().nullable(),
  lastMessageAt: isoDate.nullable(),
  /** When the customer started waiting for an answer; null when the ball is in their court. */
  waitingSince: isoDate.nullable(),
  firstReplyAt: isoDate.nullable(),
  unreadCount: z.number().int().nonnegative(),
  /** When the current wait breached its service-level target (null: not breached). */
  slaBreachedAt: isoDate.nullable().optional(),
  /** When the conversation went past its resolution target (null: not breached). */
  resolutionBreachedAt: isoDate.nullable().optional(),
  /** A snoozed conversation opens again at this time (null: until the customer writes). */
  snoozedUntil: isoDate.nullable().optional(),
  /**
   * WhatsApp and Instagram: until when a free-text reply may be sent (the customer's last
   * message opens the window); null when closed since ever or on channels without one.
   */
  windowExpiresAt: isoDate.nullable().optional(),
  /** Click-to-WhatsApp ad that brought the customer (`ctwa_clid`, `source_url`, `headline`…). */
  referral: z.record(z.string(), z.unknown()).nullable().optional(),
  /** The broadcast the customer answered when they wrote (their reply opened or woke this conversation). */
  broadcastId: id.nullable().optional(),
  createdAt: isoDate,
  updatedAt: isoDate,
});

export const messageSchema = z.object({
  id,
  workspaceId: id,
  conversationId: id,
  direction: z.enum(MESSAGE_DIRECTIONS),
  senderKind: z.enum(SENDER_KINDS),
  senderId: id.nullable(),
  /** Display name of the sender at send time (agent name, contact name). */
  senderName: z.string().nullable(),
  type: z.enum(MESSAGE_TYPES),
  body: z.string(),
  /** Private note: visible to agents only, never sent to the customer. */
  private: z.boolean(),
  clientId: z.string().nullable(),
  channelMessageId: z.string().nullable(),
  status: z.enum(DELIVERY_STATUSES),
  error: z.string().nullable(),
  /**
   * Structured content of rich channel messages (media, location, shared contacts, buttons,
   * reactions, templates, the raw unsupported part); `body` always holds a readable text form.
   */
  content: z.record(z.string(), z.unknown()).nullable().optional(),
  createdAt: isoDate,
});

export const noteSchema = z.object({
  id,
  workspaceId: id,
  contactId: id,
  authorId: id.nullable(),
  body: z.string(),
  createdAt: isoDate,
});

export const changeEventSchema = z.object({
  seq: z.number().int().positive(),
  type: z.enum(EVENT_TYPES),
  conversationId: id.nullable(),
  data: z.unknown(),
  createdAt: isoDate,
});

export const errorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  details: z.unknown().optional(),
});

// ---------------------------------------------------------------- requests

const messageBody = z
  .string()
  .max(LIMITS.messageBody, `A message can be at most ${LIMITS.messageBody} characters`)
  .refine((body) => body.trim().length > 0, 'A message cannot be empty');
const clientId = z.string().min(8).max(LIMITS.clientId).regex(/^[A-Za-z0-9_-]+$/, 'clientId must be URL-safe');
const pageSize = z.number().int().min(1).max(LIMITS.pageSize).default(50);

export const syncRequestSchema = z.object({ since: z.number().int().nonnegative() }).strict();

export const conversationListRequestSchema = z
  .object({
    status: z.enum([...CONVERSATION_STATUSES, 'all']).default('open'),
    /** An agent id, `me`, or `unassigned`. */
    assignee: z.string().max(64).optional(),
    query: trimmed(LIMITS.query).optional(),
    channel: z.enum(CHANNELS).optional(),
    priority: z.enum(PRIORITIES).optional(),
    /** Only conversations routed to this team. */
    team: id.optional(),
    /** `breaching`: a customer waits and the reply is due within 15 minutes, or overdue. */
    sla: z.enum(['breaching']).optional(),
    /** Only conversations carrying this label. */
    label: trimmed(40).min(1).optional(),
    /** Opaque cursor returned as `nextCursor` by the previous page. */
    cursor: z.string().max(200).optional(),
    limit: pageSize,
  })
  .strict();

export const conversationRefSchema = z.object({ conversationId: id }).strict();

export const messageListRequestSchema = z
  .object({
    conversationId: id,
    /** Load messages older than this message id. */
    before: id.optional(),
    limit: pageSize,
  })
  .strict();

/** A link card of a message: its title and an http(s) URL. */
export const messageLinkSchema = z
  .object({
    title: trimmed(LIMITS.linkTitle).min(1, 'link.title: Give the link a title'),
    url: z.url({ protocol: /^https?$/, error: 'link.url: Use an http(s) URL' }).max(LIMITS.linkUrl, `link.url: At most ${LIMITS.linkUrl} characters`),
  })
  .strict();

export const messageSendRequestSchema = z
  .object({
    conversationId: id,
    clientId,
    body: messageBody,
    private: z.boolean().default(false),
    /** Agents mentioned in a private note: each is notified. */
    mentions: z.array(id).max(20).optional(),
    /** Email replies: the subject (default `Re:` the customer's) and who else receives a copy. */
    email: z
      .object({
        subject: z.string().trim().max(300).optional(),
        cc: z.array(z.string().trim().toLowerCase().email('email.cc: Use email addresses').max(254)).max(20).optional(),
        /** Files uploaded to the conversation (`POST /api/v1/conversations/:id/attachments`), sent as MIME attachments. */
        attachments: z.array(z.string().regex(/^upl_[0-9a-f]{24}$/, 'email.attachments: Use the ids uploads answered')).max(10).optional(),
      })
      .strict()
      .optional(),
    /**
     * A link card (a quick action's payment link, a document): the channel shows it as its own
     * rich message (WhatsApp's call-to-action button, Instagram's and Messenger's card); `body`
     * stays its readable text form and should carry the URL for channels without cards.
     */
    link: messageLinkSchema.optional(),
  })
  .strict()
  .refine((request) => !request.link || !request.private, {
    message: 'link: Private notes do not carry link cards',
    path: ['link'],
  })
  .refine((request) => !request.mentions?.length || request.private, {
    message: 'mentions: Only private notes can mention teammates',
    path: ['mentions'],
  })
  .refine((request) => !request.email || !request.private, {
    message: 'email: Private notes are not sent by email',
    path: ['email'],
  });

export const conversationUpdateRequestSchema = z
  .object({
    conversationId: id,
    status: z.enum(CONVERSATION_STATUSES).optional(),
    priority: z.enum(PRIORITIES).optional(),
    assigneeId: id.nullable().optional(),
    teamId: id.nullable().optional(),
    labels: z.array(trimmed(40).min(1)).max(20).optional(),
    /** With status `snoozed` (implied when only this is given): when the conversation opens again. */
    snoozedUntil: z.iso.datetime({ offset: true }).nullable().optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 1, 'Nothing to update')
  .refine((p) => !p.snoozedUntil || p.status === undefined || p.status === 'snoozed', {
    message: 'snoozedUntil: Only a snoozed conversation has a wake-up time',
    path: ['snoozedUntil'],
  })
  .refine((p) => !p.snoozedUntil || Date.parse(p.snoozedUntil) > Date.now(), {
    message: 'snoozedUntil: Choose a time in the future',
    path: ['snoozedUntil'],
  });

export const contactRefSchema = z.object({ contactId: id }).strict();

export const contactPatchSchema = z
  .object({
    name: trimmed(LIMITS.name).min(1).nullable().optional(),
    email: z.email().max(254).nullable().optional(),
    phone: trimmed(32).nullable().optional(),
    /** Rendered as an image wherever the contact appears: https only (never javascript: or data:). */
    avatarUrl: z.url({ protocol: /^https$/, error: 'avatarUrl must be an https URL' }).max(2000).nullable().optional(),
    /** Replaces the tags. */
    tags: z.array(trimmed(40).min(1)).max(30).optional(),
    /** Replaces the custom attributes. */
    attributes: z
      .record(z.string().trim().regex(/^[\p{L}\p{N} _.-]{1,40}$/u, 'attribute names: 1–40 letters, digits, spaces, ".", "_" or "-"'), z.string().max(500))
      .refine((value) => Object.keys(value).length <= 50, 'at most 50 attributes')
      .optional(),
    /** `true`: the person opted out of marketing (recorded with who set it); `false`: they opted back in. */
    marketingOptOut: z.boolean().optional(),
    /** Ids in other systems to set (`null` removes one); the others stay. */
    externalIds: externalIdsPatchSchema.optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'Nothing to update');

export const contactUpdateRequestSchema = z.object({ contactId: id, patch: contactPatchSchema }).strict();

export const noteCreateRequestSchema = z
  .object({ contactId: id, body: messageBody })
  .strict();

export const visitorMessageListRequestSchema = z
  .object({ before: id.optional(), limit: pageSize })
  .strict();

export const visitorMessageSendRequestSchema = z.object({ clientId, body: messageBody }).strict();

export const visitorProfileSchema = z
  .object({
    name: trimmed(LIMITS.name).min(1).optional(),
    email: z.email().max(254).optional(),
  })
  .strict();

export const visitorAuthSchema = z.object({
  workspace: z.string().min(1).max(64),
  token: z.string().min(16).max(128).optional(),
});

export const agentAuthSchema = z.object({ token: z.string().min(16).max(4096) });
