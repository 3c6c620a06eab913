/**
 * The contacts directory: filters, sorting and paging over a workspace's contacts, built-in and
 * saved segments (smart lists), and bulk actions on a selection.
 */
import { z } from 'zod';
import { BUILT_IN_SEGMENTS, CHANNELS, COMPANY_SORTS, DIRECTORY_SORTS } from './constants.js';
import type { Contact } from './types.js';

const id = z.string().min(1).max(64);
const instant = z.iso.datetime({ offset: true });

const tag = z.string().trim().min(1).max(40);
const attributeName = z.string().trim().regex(/^[\p{L}\p{N} _.-]{1,40}$/u, 'attribute names: 1–40 letters, digits, spaces, ".", "_" or "-"');
const money = z.number().min(0).max(1e12);

/** What narrows the directory; every condition given must hold. */
export const directoryFilterSchema = z
  .object({
    /** Name, email, phone or any channel handle contains it. */
    query: z.string().trim().max(200).optional(),
    /** Contacts carrying every one of these tags. */
    tags: z.array(tag).max(20).optional(),
    /** Contacts reachable on any of these channels. */
    channels: z.array(z.enum(CHANNELS)).min(1).max(CHANNELS.length).optional(),
    companyId: id.optional(),
    /** An agent's id, or `none` for contacts nobody owns. */
    ownerId: id.optional(),
    /** Lifetime value (purchases in the workspace's currency), inclusive bounds. */
    ltvMin: money.optional(),
    ltvMax: money.optional(),
    /** Last message in any of their conversations at or after / before this instant. */
    lastInteractionAfter: instant.optional(),
    lastInteractionBefore: instant.optional(),
    /** A built-in segment, or the id of a saved one. */
    segment: id.optional(),
    /** Custom attributes that must have exactly these values. */
    attributes: z.record(attributeName, z.string().max(500)).refine((value) => Object.keys(value).length <= 10, 'at most 10 attributes').optional(),
  })
  .strict()
  .refine((f) => f.ltvMin === undefined || f.ltvMax === undefined || f.ltvMin <= f.ltvMax, { message: 'ltvMin must not be above ltvMax', path: ['ltvMin'] });
export type DirectoryFilter = z.output<typeof directoryFilterSchema>;

export const directoryRequestSchema = z
  .object({
    filter: directoryFilterSchema.default({}),
    sort: z.enum(DIRECTORY_SORTS).default('createdAt'),
    direction: z.enum(['asc', 'desc']).default('desc'),
    offset: z.number().int().min(0).max(10_000_000).default(0),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .strict();
export type DirectoryRequest = z.input<typeof directoryRequestSchema>;

/** A row of the directory: the contact with what the table shows beside it. */
export interface DirectoryContact extends Contact {
  ownerId: string | null;
  companyName: string | null;
  /** Purchases in the workspace's currency. */
  ltv: number;
  /** The last message of any of their conversations. */
  lastInteractionAt: string | null;
  openDeals: number;
}

export interface DirectoryPage {
  contacts: DirectoryContact[];
  /** How many contacts match in all. */
  total: number;
  offset: number;
  currency: string;
}

/** Which contacts a bulk action or export acts on: these ids, or every contact matching a filter. */
export const contactSelectionSchema = z.union([
  z.object({ ids: z.array(id).min(1, 'Select at least one contact').max(20_000) }).strict(),
  z.object({ filter: directoryFilterSchema, except: z.array(id).max(20_000).optional() }).strict(),
]);
export type ContactSelection = z.output<typeof contactSelectionSchema>;

export const contactBulkRequestSchema = z
  .object({
    selection: contactSelectionSchema,
    addTags: z.array(tag).max(10).optional(),
    removeTags: z.array(tag).max(10).optional(),
    /** An agent of the workspace, or null to leave the contacts without an owner. */
    ownerId: id.nullable().optional(),
  })
  .strict()
  .refine((r) => r.addTags?.length || r.removeTags?.length || r.ownerId !== undefined, 'Say what to do: addTags, removeTags or ownerId');
export type ContactBulkRequest = z.output<typeof contactBulkRequestSchema>;

export interface ContactBulkResult {
  /** Contacts the action reached (changed or already so). */
  matched: number;
  /** Contacts it changed. */
  updated: number;
}

export const contactSelectionExportSchema = z
  .object({ selection: contactSelectionSchema, format: z.enum(['csv', 'json']).default('csv') })
  .strict();

/** The filters a saved segment keeps (no saved segment inside another). */
const savedFilterSchema = directoryFilterSchema.refine(
  (f) => f.segment === undefined || (BUILT_IN_SEGMENTS as readonly string[]).includes(f.segment),
  { message: 'A saved segment may use a built-in segment, not another saved one', path: ['segment'] },
);

export const segmentCreateSchema = z.object({ name: z.string().trim().min(1).max(80), filter: savedFilterSchema }).strict();
export const segmentPatchSchema = z
  .object({ name: z.string().trim().min(1).max(80).optional(), filter: savedFilterSchema.optional() })
  .strict()
  .refine((p) => p.name !== undefined || p.filter !== undefined, 'Send name or filter');

export const segmentContactsRequestSchema = z
  .object({
    sort: z.enum(DIRECTORY_SORTS).default('createdAt'),
    direction: z.enum(['asc', 'desc']).default('desc'),
    offset: z.number().int().min(0).max(10_000_000).default(0),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .strict();

/** A segment with how many contacts are in it now. Built-in ones have their key as id. */
export interface Segment {
  id: string;
  name: string;
  builtIn: boolean;
  filter: DirectoryFilter;
  count: number;
  createdBy: string | null;
  createdAt: string | null;
  updatedAt: string | null;
}

/** A segment's count changed (`segment.changed` on the agent socket). */
export interface SegmentChangedData {
  segmentId: string;
  count: number;
}

// ---------------------------------------------------------------- companies

export const companySearchSchema = z
  .object({
    /** Name or domain contains it. */
    query: z.string().trim().max(200).optional(),
    sort: z.enum(COMPANY_SORTS).default('name'),
    direction: z.enum(['asc', 'desc']).default('asc'),
    offset: z.number().int().min(0).max(10_000_000).default(0),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .strict();
export type CompanySearchRequest = z.input<typeof companySearchSchema>;

/** A company with what the companies view shows beside it. */
export interface CompanySummary {
  id: string;
  workspaceId: string;
  name: string;
  domain: string | null;
  /** Contacts of the company. */
  people: number;
  /** Open deals of the company or of its people. */
  openDeals: number;
  /** Purchases of its people in the workspace's currency. */
  ltv: number;
  lastInteractionAt: string | null;
}

export interface CompanyPage {
  companies: CompanySummary[];
  total: number;
  offset: number;
  currency: string;
}
