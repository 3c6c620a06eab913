/**
 * Privacy and accountability: the audit log (`GET /api/v1/audit`, admins), the workspace's
 * retention policy (`GET|PUT /api/v1/privacy/settings`, admins), one contact's data export
 * (`GET /api/v1/contacts/:id/data-export`, admins) and erasure (`DELETE /api/v1/contacts/:id?erase=1`).
 */
import { z } from 'zod';

/** One line of the audit log: who did what to which record, when. Erased people's lines keep the fact, not the data. */
export interface AuditEntry {
  id: string;
  actorKind: 'agent' | 'visitor' | 'system';
  actorId: string | null;
  /** The agent's name when the actor is an agent still on file. */
  actorName: string | null;
  /** What was done, e.g. `contact.update`, `contact.data_export`, `contacts.export.refused`. */
  action: string;
  targetKind: string;
  targetId: string;
  data: Record<string, unknown>;
  createdAt: string;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Pass as `cursor` for the next (older) page; null at the end. */
  nextCursor: string | null;
}

const isoInstant = z.string().trim().refine((value) => !Number.isNaN(Date.parse(value)), 'Not a date, e.g. 2026-01-31 or 2026-01-31T12:00:00Z');

/** `GET /api/v1/audit` query: newest first, filtered by actor, target, action and time (`to` excluded). */
export const auditListRequestSchema = z
  .object({
    actor: z.string().trim().min(1).max(64).optional(),
    target: z.string().trim().min(1).max(64).optional(),
    action: z.string().trim().min(1).max(64).regex(/^[a-z_.]+$/, 'Letters, dots and underscores, e.g. contact.update').optional(),
    from: isoInstant.optional(),
    to: isoInstant.optional(),
    cursor: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(100).default(50),
  })
  .strict();

export const RETENTION_ACTIONS = ['delete', 'anonymize'] as const;
export type RetentionAction = (typeof RETENTION_ACTIONS)[number];

/**
 * How long a workspace keeps what goes quiet: contacts (and conversations) with no activity for
 * `retentionMonths` are erased (`delete`) or stripped of personal data (`anonymize`) by the
 * periodic sweep. Null months: kept for ever.
 */
export interface PrivacySettings {
  retentionMonths: number | null;
  retentionAction: RetentionAction;
}

export const privacySettingsPatchSchema = z
  .object({
    retentionMonths: z.number().int().min(1).max(240).nullable().optional(),
    retentionAction: z.enum(RETENTION_ACTIONS).optional(),
  })
  .strict();

const flag = z.enum(['1', 'true', '0', 'false']).transform((value) => value === '1' || value === 'true');

/** `DELETE /api/v1/contacts/:id` query: `erase=1` answers what was erased; `block=1` refuses the person's handles from now on. */
export const contactEraseRequestSchema = z
  .object({ erase: flag.optional(), block: flag.optional() })
  .strict();

/** What an erasure removed (counts only: nothing about the person is kept to report it). */
export interface ErasureReport {
  contactId: string;
  conversations: number;
  messages: number;
  mediaFiles: number;
  /** Change-log entries redacted in place (their seq kept). */
  eventsRedacted: number;
  auditEntriesRedacted: number;
  jobsRemoved: number;
  /** Channel handles refused from now on (stored as hashes). */
  handlesBlocked: number;
}

/** A data export run as a background job (large contacts): poll its status, download when ready. */
export interface DataExportJob {
  id: string;
  contactId: string;
  state: 'queued' | 'running' | 'ready' | 'failed';
  /** `GET` it (with the token) once ready. */
  downloadUrl: string | null;
  error: string | null;
  createdAt: string;
}
