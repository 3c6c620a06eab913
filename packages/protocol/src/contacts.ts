/** Finding contacts, merging two of them (and undoing it), and possible duplicates. */
import { z } from 'zod';
import type { Contact } from './types.js';

const id = z.string().min(1).max(64);

/**
 * Where a contact's name came from. When two contacts merge, a name a person typed (an agent, the
 * visitor themselves) beats an import, which beats the AI, which beats a channel's profile name
 * ("Gaby ☕"). `null`: not recorded (names written before Charla kept their source).
 */
export const NAME_SOURCES = ['agent', 'visitor', 'import', 'ai', 'profile'] as const;
export type NameSource = (typeof NAME_SOURCES)[number];

/** Contact fields a merge reconciles, as the preview names them. */
export const MERGE_FIELDS = ['name', 'email', 'phone', 'avatarUrl', 'companyId'] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];

/**
 * Which value stays in the field when two contacts differ: the survivor's (`kept`), or the merged
 * contact's because its source ranks higher (`replaced`: an agent-typed name over a profile name).
 * The other value is never dropped (see `MergeConflict.keptIn`).
 */
export const MERGE_RESOLUTIONS = ['kept', 'replaced'] as const;
export type MergeResolution = (typeof MERGE_RESOLUTIONS)[number];

export interface MergeConflict {
  /**
   * A contact field, `attributes.<name>` for an attribute both contacts have, or
   * `externalIds.<system>` for a system in which both have a different id.
   */
  field: MergeField | `attributes.${string}` | `externalIds.${string}`;
  survivorValue: string;
  mergedValue: string;
  /** Which value stays in the field. */
  resolution: MergeResolution;
  /** Where the other value is kept: as a secondary identity, or as the attribute `keptAs`. */
  keptIn: 'identity' | 'attribute';
  /** The identity's channel (`email`, `phone`) or the attribute's name. */
  keptAs: string;
}

/** How many rows of each kind move from the merged contact to the survivor. */
export interface MergeMoves {
  conversations: number;
  messages: number;
  identities: number;
  notes: number;
  deals: number;
  tasks: number;
  /** Purchases, payments, invoices and claims. */
  businessEvents: number;
  aiInsights: number;
}

/** What a merge would do, for the agent to confirm: what moves, what fills, every conflict and its resolution. */
export interface ContactMergePreview {
  survivor: Contact;
  merged: Contact;
  moves: MergeMoves;
  /** Empty survivor fields the merged contact fills. */
  fills: MergeField[];
  conflicts: MergeConflict[];
  /** Tags the survivor gains. */
  tags: string[];
  /** Attributes the survivor gains (including those that keep conflicting values). */
  attributes: string[];
}

/** A merge that can still be undone. */
export interface ContactMergeRecord {
  id: string;
  survivorId: string;
  mergedId: string;
  /** The merged contact as it was (name, email, phone). */
  mergedName: string | null;
  actor: { kind: 'agent' | 'system'; id: string | null };
  reason: string;
  createdAt: string;
  /** Until when `contact.unmerge` accepts it. */
  undoableUntil: string;
}

/** Days a merge can be undone. */
export const MERGE_UNDO_DAYS = 30;

export const contactSearchRequestSchema = z
  .object({ query: z.string().trim().min(1).max(200), limit: z.number().int().min(1).max(50).default(10) })
  .strict();
export type ContactSearchRequest = z.input<typeof contactSearchRequestSchema>;

export const contactUnmergeRequestSchema = z
  .object({
    /** The surviving contact. */
    contactId: id,
    /** The merge to undo (its record id, from `contact.merges` or the merge's answer). */
    mergeId: id,
  })
  .strict();
export type ContactUnmergeRequest = z.input<typeof contactUnmergeRequestSchema>;

/** Weak signals only: these never merge by themselves. */
export const DUPLICATE_SIGNALS = ['same_name', 'similar_name'] as const;
export type DuplicateSignal = (typeof DUPLICATE_SIGNALS)[number];

export interface DuplicateSuggestion {
  contact: Contact;
  other: Contact;
  signal: DuplicateSignal;
}

export const duplicateListRequestSchema = z
  .object({
    /** Only the possible duplicates of this contact; the workspace's otherwise. */
    contactId: id.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type DuplicateListRequest = z.input<typeof duplicateListRequestSchema>;

export const duplicateDismissRequestSchema = z
  .object({ contactId: id, otherId: id })
  .strict()
  .refine((p) => p.contactId !== p.otherId, 'A contact is not a duplicate of itself');
export type DuplicateDismissRequest = z.input<typeof duplicateDismissRequestSchema>;
