/**
 * Broadcasts: one approved WhatsApp template sent to a segment or a selection of contacts, with
 * per-contact parameters taken from contact fields, paced to the number's messaging tier, and
 * each recipient's status (queued, sent, delivered, read, replied, failed) followed live.
 */
import { z } from 'zod';
import { contactSelectionSchema } from './directory.js';

const id = z.string().min(1).max(64);

/** A broadcast waits for its time (`scheduled`), goes out (`sending`), ends (`done`) or is stopped (`canceled`). */
export const BROADCAST_STATES = ['scheduled', 'sending', 'done', 'canceled'] as const;
export type BroadcastState = (typeof BROADCAST_STATES)[number];

/**
 * Where each recipient is: `queued` (not sent yet), `sending` (handed to Meta, answer not stored
 * yet), `sent`, `delivered`, `read`, `replied` (the customer wrote back), `failed` (with Meta's
 * reason), `skipped` (opted out, no WhatsApp, a parameter missing), `canceled` (the broadcast
 * was canceled before their turn).
 */
export const RECIPIENT_STATUSES = ['queued', 'sending', 'sent', 'delivered', 'read', 'replied', 'failed', 'skipped', 'canceled'] as const;
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number];

/** Why a contact of the audience gets nothing. */
export const SKIP_REASONS = ['opted_out', 'no_whatsapp', 'missing_parameter'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** Contact fields a template parameter can be filled from (`firstName`: the name's first word). */
export const CONTACT_FIELDS = ['name', 'firstName', 'email', 'phone', 'company'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

/**
 * Meta's messaging limit tiers: how many different customers a number may start conversations
 * with in a rolling 24 hours.
 */
export const MESSAGING_TIERS = ['TIER_250', 'TIER_1K', 'TIER_10K', 'TIER_100K', 'TIER_UNLIMITED'] as const;
export type MessagingTier = (typeof MESSAGING_TIERS)[number];
export const TIER_LIMITS: Record<MessagingTier, number> = {
  TIER_250: 250, TIER_1K: 1000, TIER_10K: 10_000, TIER_100K: 100_000, TIER_UNLIMITED: Number.POSITIVE_INFINITY,
};

/** Meta refuses a body parameter longer than this. */
export const PARAMETER_MAX_LENGTH = 1024;

const fallback = z.string().trim().min(1).max(200).optional();

/** One `{{n}}` of the template: a contact field, a custom attribute, or the same text for everyone. */
export const broadcastParameterSchema = z.union([
  z.object({ field: z.enum(CONTACT_FIELDS), fallback }).strict(),
  z.object({ attribute: z.string().trim().min(1).max(40), fallback }).strict(),
  z.object({ text: z.string().trim().min(1).max(PARAMETER_MAX_LENGTH) }).strict(),
]);
export type BroadcastParameter = z.output<typeof broadcastParameterSchema>;

const broadcastBody = {
  template: z.object({ name: z.string().min(1).max(512), language: z.string().min(2).max(15) }).strict(),
  /** One per `{{n}}` of the template's body, in order. */
  parameters: z.array(broadcastParameterSchema).max(20).default([]),
  /** Who gets it: selected ids, or every contact matching a filter (a built-in or saved segment among them). */
  audience: contactSelectionSchema,
};

/** What the composer asks to see before sending. */
export const broadcastPreviewSchema = z.object(broadcastBody).strict();
export type BroadcastPreviewRequest = z.input<typeof broadcastPreviewSchema>;

export const broadcastCreateSchema = z
  .object({
    name: z.string().trim().min(1).max(80),
    ...broadcastBody,
    /** When to send; absent: now. At most 30 days ahead. */
    scheduledAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
export type BroadcastCreateRequest = z.input<typeof broadcastCreateSchema>;

export const broadcastRecipientsRequestSchema = z
  .object({
    status: z.enum(RECIPIENT_STATUSES).optional(),
    offset: z.number().int().min(0).max(10_000_000).default(0),
    limit: z.number().int().min(1).max(500).default(100),
  })
  .strict();

export const broadcastSettingsSchema = z
  .object({
    /** The number's messaging limit tier (WhatsApp Manager shows it). */
    tier: z.enum(MESSAGING_TIERS).optional(),
    /** Sends per second to Meta (Cloud API throughput; 80 by default). */
    messagesPerSecond: z.number().int().min(1).max(1000).optional(),
  })
  .strict()
  .refine((s) => s.tier !== undefined || s.messagesPerSecond !== undefined, 'Send tier or messagesPerSecond');

export interface BroadcastSettings {
  tier: MessagingTier;
  messagesPerSecond: number;
  /** Different customers broadcasts reached in the last 24 hours, and how many more the tier allows (null: no limit). */
  sentLast24h: number;
  remaining: number | null;
}

export type BroadcastCounts = Record<RecipientStatus, number> & { total: number };

export interface Broadcast {
  id: string;
  workspaceId: string;
  name: string;
  template: { name: string; language: string };
  parameters: BroadcastParameter[];
  /** The template's body text, placeholders as `{{1}}`. */
  body: string;
  state: BroadcastState;
  scheduledAt: string | null;
  createdBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  canceledAt: string | null;
  counts: BroadcastCounts;
}

export interface BroadcastRecipient {
  id: string;
  broadcastId: string;
  contactId: string;
  contactName: string | null;
  /** The WhatsApp id or number it goes to (null when skipped for having none). */
  handle: string | null;
  /** The message as this contact reads it. */
  text: string | null;
  /** Meta's id of the message (`wamid.…`) once sent. */
  channelMessageId: string | null;
  status: RecipientStatus;
  /** Why it was skipped (a SkipReason) or why Meta failed it (`131026: Message undeliverable (…)`). */
  reason: string | null;
  sentAt: string | null;
  deliveredAt: string | null;
  readAt: string | null;
  repliedAt: string | null;
  /** The conversation their reply opened. */
  conversationId: string | null;
  updatedAt: string;
}

export interface BroadcastPreview {
  /** Contacts it will go to. */
  count: number;
  /** The message as the first of them reads it (placeholders kept when nobody is reached). */
  message: string;
  /** A few recipients and their messages. */
  sample: Array<{ contactId: string; name: string | null; text: string }>;
  /** Contacts of the audience left out, and why. */
  skipped: Array<{ contactId: string; name: string | null; reason: SkipReason }>;
  /** How many are skipped in all (`skipped` lists the first 500). */
  skippedTotal: number;
  /** Customers the tier still allows in the next 24 hours (null: no limit). */
  remaining: number | null;
}

export interface BroadcastRecipientPage {
  recipients: BroadcastRecipient[];
  total: number;
  offset: number;
}

/** A broadcast's state or counts moved (`broadcast.changed` on /agent, admins only). */
export interface BroadcastChangedData {
  broadcast: Broadcast;
  /** The recipients whose status moved in that change. */
  recipients: BroadcastRecipient[];
}

export const broadcastRefSchema = z.object({ broadcastId: id }).strict();
