/**
 * Channels (WhatsApp Cloud API, Instagram messaging) and identity: the settings an admin gives,
 * template sends, contact merges and imports.
 */
import { z } from 'zod';
import { LIMITS, type SettingsChannel } from './constants.js';

const id = z.string().min(1).max(64);
const secret = z.string().trim().min(1).max(1000);
const graphId = z.string().trim().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'Use the id exactly as Meta shows it');



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

/** Facebook Messenger: the Page that receives the messages, and its Page access token. */
export const messengerSettingsSchema = z
  .object({
    pageId: graphId,
    accessToken: secret,
    appSecret: secret,
    verifyToken: secret,
  })
  .partial()
  .strict();

const mailUrl = (schemes: readonly string[]) =>
  z
    .string()
    .trim()
    .max(1000)
    .refine((value) => {
      try {
        const url = new URL(value);
        return schemes.includes(url.protocol.slice(0, -1)) && url.hostname.length > 0;
      } catch {
        return false;
      }
    }, `Use ${schemes.map((s) => `${s}://user:password@host:port`).join(' or ')}`);

/**
 * An email inbox (support@, sales@…). Mail arrives through the provider's inbound webhook
 * (`POST /webhooks/email/:inboxKey` with `inboundSecret`) or from IMAP (`imapUrl`); replies leave
 * through SMTP (`smtpUrl`: `smtps://` for TLS, `smtp://` upgrades with STARTTLS when offered).
 */
export const emailSettingsSchema = z
  .object({
    address: z.string().trim().toLowerCase().email('address: Use the inbox address, like support@example.com').max(254),
    fromName: z.string().trim().min(1).max(100).nullable(),
    /** Added under every reply (plain text). */
    signature: z.string().max(2000).nullable(),
    inboundSecret: z.string().trim().min(16, 'inboundSecret: Use at least 16 characters').max(200),
    smtpUrl: mailUrl(['smtp', 'smtps']),
    imapUrl: mailUrl(['imap', 'imaps']).nullable(),
    /**
     * The certificate authority (PEM) the SMTP server's certificate must chain to, for a server
     * with a certificate of the business's own making; without it the system's authorities (and
     * `CHARLA_SMTP_TLS_CA`) are trusted.
     */
    smtpTlsCa: z
      .string()
      .trim()
      .max(20_000)
      .regex(/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----$/, 'smtpTlsCa: Use a PEM certificate (-----BEGIN CERTIFICATE-----…)')
      .nullable(),
  })
  .partial()
  .strict();

/** A new inbox: its address and SMTP at least. */
export const emailInboxCreateSchema = emailSettingsSchema.required({ address: true, smtpUrl: true });

/** What the API shows of an email inbox: its id (the key of its webhook URL) and its settings view. */
export interface EmailInboxView extends ChannelSettingsView {
  id: string | null;
}

/** What the API shows of a channel's settings: ids, and only whether each secret is set. */
export interface ChannelSettingsView {
  channel: SettingsChannel;
  /** True when everything needed to receive and send is set. */
  configured: boolean;
  /** Non-secret ids (`phoneNumberId`, `wabaId`, `datasetId`, `accountId`, `pageId`; email: `address`, `inboxKey`…). */
  ids: Record<string, string | null>;
  /** For each secret (`accessToken`, `appSecret`, `verifyToken`; email: `inboundSecret`, `smtpUrl`, `imapUrl`): whether it is set. */
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
