/**
 * Channels (WhatsApp Cloud API, Instagram messaging) and identity: the settings an admin gives,
 * template sends, contact merges and imports.
 */
import { z } from 'zod';
import { LIMITS } from './constants.js';

const id = z.string().min(1).max(64);
const secret = z.string().trim().min(1).max(1000);
const graphId = z.string().trim().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'Use the id exactly as Meta shows it');

/** Channels with settings of their own. */
export const CONFIGURABLE_CHANNELS = ['whatsapp', 'instagram'] as const;
export type ConfigurableChannel = (typeof CONFIGURABLE_CHANNELS)[number];

/**
 * WhatsApp Cloud API settings of a workspace. On update every field is optional: what is absent
 * keeps its stored value (secrets are never sent back, so a form cannot echo them).
 */
export const whatsappSettingsSchema = z
  .object({
    phoneNumberId: graphId,
    wabaId: graphId,
    accessToken: secret,
    appSecret: secret,
    verifyToken: secret,
    /** Dataset (pixel) for the Conversions API; conversions are not reported without it. */
    datasetId: graphId.nullable(),
  })
  .partial()
  .strict();

export const instagramSettingsSchema = z
  .object({
    accountId: graphId,
    accessToken: secret,
    appSecret: secret,
    verifyToken: secret,
  })
  .partial()
  .strict();

/** What the API shows of a channel's settings: ids, and only whether each secret is set. */
export interface ChannelSettingsView {
  channel: ConfigurableChannel;
  /** True when everything needed to receive and send is set. */
  configured: boolean;
  /** Non-secret ids (`phoneNumberId`, `wabaId`, `datasetId`, `accountId`). */
  ids: Record<string, string | null>;
  /** For each secret (`accessToken`, `appSecret`, `verifyToken`): whether it is set. */
  secrets: Record<string, boolean>;
}

/** An approved WhatsApp message template, as synced from the Graph API. */
export interface MessageTemplate {
  name: string;
  language: string;
  status: string;
  category: string | null;
  /** Meta's components (`HEADER`, `BODY` with `{{1}}` placeholders, `FOOTER`, `BUTTONS`). */
  components: Array<Record<string, unknown>>;
}

export const templateSendRequestSchema = z
  .object({
    conversationId: id,
    clientId: z.string().min(8).max(LIMITS.clientId).regex(/^[A-Za-z0-9_-]+$/, 'clientId must be URL-safe'),
    name: z.string().trim().min(1).max(512),
    language: z.string().trim().min(2).max(15),
    /** Values for the body's `{{1}}`, `{{2}}`… in order. */
    parameters: z.array(z.string().max(1024)).max(20).default([]),
  })
  .strict();
export type TemplateSendRequest = z.input<typeof templateSendRequestSchema>;

export const contactMergeRequestSchema = z
  .object({
    /** The contact that survives. */
    contactId: id,
    /** The contact merged into it (it stops existing; nothing of it is lost). */
    mergeId: id,
  })
  .strict()
  .refine((p) => p.contactId !== p.mergeId, 'A contact cannot be merged into itself');
export type ContactMergeRequest = z.input<typeof contactMergeRequestSchema>;

/** One row of a CSV import's report (rows are numbered from 1 after the header). */
export interface ImportRowReport {
  row: number;
  outcome: 'created' | 'merged' | 'rejected';
  contactId: string | null;
  /** Why a row was rejected, or which key it merged on. */
  reason: string | null;
  /** Contacts the row showed to be the same person, merged into `contactId` (older survives). */
  mergedIds?: string[];
}

export interface ImportReport {
  created: number;
  merged: number;
  rejected: number;
  rows: ImportRowReport[];
}
