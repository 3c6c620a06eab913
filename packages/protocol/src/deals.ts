/**
 * Pipelines, deals, tasks and business events (purchases, payments, invoices, claims): the
 * entities, the requests that change them, and what a contact's commerce summary holds.
 */
import { externalIdQuerySchema, externalIdsPatchSchema } from './external-ids.js';
import { z } from 'zod';
import { LIMITS } from './constants.js';
import { isCurrency } from './workspace.js';
import type { Contact } from './types.js';

const id = z.string().min(1).max(64);
const isoDate = z.string();

export const STAGE_KINDS = ['open', 'won', 'lost'] as const;
export type StageKind = (typeof STAGE_KINDS)[number];

export const DEAL_STATUSES = STAGE_KINDS;
export type DealStatus = StageKind;

export const BUSINESS_EVENT_KINDS = ['purchase', 'payment', 'invoice', 'claim'] as const;
export type BusinessEventKind = (typeof BUSINESS_EVENT_KINDS)[number];

export const DEAL_LIMITS = {
  /** Largest amount accepted, in major units. */
  amount: 1_000_000_000_000,
  title: 200,
  stages: 12,
  lostReason: 500,
  description: 2000,
} as const;

/** A money amount in major units with at most two decimals (cents). */
export const amountSchema = z
  .number({ error: 'amount must be a number' })
  .finite('amount must be a finite number')
  .nonnegative('amount cannot be negative')
  .max(DEAL_LIMITS.amount, `amount can be at most ${DEAL_LIMITS.amount}`)
  .refine((value) => Math.abs(Math.round(value * 100) - value * 100) < 1e-6, 'amount can have at most two decimals');

/** ISO 4217 code, upper case ("MXN", "usd" is accepted as "USD"); three letters are not enough ("ZZZ"). */
export const currencySchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{3}$/, 'currency must be a three-letter ISO 4217 code such as MXN')
  .transform((code) => code.toUpperCase())
  .refine(isCurrency, 'currency must be an ISO 4217 code such as MXN');

const dateTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2026-05-01T17:00:00Z' });
const dateOnly = z.iso.date('must be a date such as 2026-05-31');
const title = z.string().trim().min(1, 'title cannot be empty').max(DEAL_LIMITS.title);

// ---------------------------------------------------------------- entities

export const stageSchema = z.object({
  id,
  pipelineId: id,
  name: z.string(),
  position: z.number().int(),
  kind: z.enum(STAGE_KINDS),
  /** Default win probability of deals in this stage, 0–100. */
  probability: z.number().int().min(0).max(100),
  /** A deal that sits in this stage longer than this many days is stalled; null: never. */
  stalledAfterDays: z.number().int().positive().nullable(),
});

export const pipelineSchema = z.object({
  id,
  workspaceId: id,
  name: z.string(),
  position: z.number().int(),
  stages: z.array(stageSchema),
  createdAt: isoDate,
});

export const dealSchema = z.object({
  id,
  workspaceId: id,
  pipelineId: id,
  stageId: id,
  status: z.enum(DEAL_STATUSES),
  title: z.string(),
  amount: z.number(),
  currency: z.string(),
  probability: z.number().int().min(0).max(100),
  expectedCloseDate: z.string().nullable(),
  ownerId: id.nullable(),
  contactId: id.nullable(),
  companyId: id.nullable(),
  /** The conversation the deal came from. */
  conversationId: id.nullable(),
  lostReason: z.string().nullable(),
  /** When the deal entered its current stage (days in stage, stalled). */
  stageEnteredAt: isoDate,
  closedAt: isoDate.nullable(),
  /** Its ids in the host's other systems (`{"hubspot": "9001"}`); absent when it has none. */
  externalIds: z.record(z.string(), z.string()).optional(),
  createdAt: isoDate,
  updatedAt: isoDate,
});

/** One stay of a deal in a stage; `leftAt` is null for the current one. */
export const stageVisitSchema = z.object({
  stageId: id,
  enteredAt: isoDate,
  leftAt: isoDate.nullable(),
  /** Who moved it there: an agent id, or null for the system. */
  actorId: id.nullable(),
  /** The automation rule that moved it, when one did. */
  rule: z.string().nullable(),
});

export const taskSchema = z.object({
  id,
  workspaceId: id,
  title: z.string(),
  dueAt: isoDate.nullable(),
  ownerId: id.nullable(),
  done: z.boolean(),
  doneAt: isoDate.nullable(),
  contactId: id.nullable(),
  companyId: id.nullable(),
  dealId: id.nullable(),
  conversationId: id.nullable(),
  /** The automation rule that created it, when one did. */
  rule: z.string().nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
});

export const businessEventSchema = z.object({
  id,
  workspaceId: id,
  kind: z.enum(BUSINESS_EVENT_KINDS),
  contactId: id,
  companyId: id.nullable(),
  amount: z.number(),
  currency: z.string(),
  /** The host system's id (order number, invoice number…), unique per kind. */
  reference: z.string().nullable(),
  description: z.string().nullable(),
  /** Invoices: due date (YYYY-MM-DD), amount paid so far, and whether fully paid. */
  dueDate: z.string().nullable(),
  amountPaid: z.number(),
  paid: z.boolean(),
  /** Payments: the reference of the invoice they pay. */
  invoiceReference: z.string().nullable(),
  occurredAt: isoDate,
  createdAt: isoDate,
});

/** Sums per currency, e.g. `{ MXN: 5780, USD: 120 }`. */
export const moneyByCurrencySchema = z.record(z.string(), z.number());

export const contactCommerceSchema = z.object({
  contactId: id,
  /** Lifetime value: the sum of the contact's purchases, per currency. */
  ltv: moneyByCurrencySchema,
  /** What unpaid invoices still owe, per currency. */
  pendingBalance: moneyByCurrencySchema,
  openInvoices: z.array(businessEventSchema),
  openDeals: z.array(dealSchema),
  openTasks: z.array(taskSchema),
});

// ---------------------------------------------------------------- requests

const stageInput = z
  .object({
    name: z.string().trim().min(1, 'a stage needs a name').max(80),
    probability: z.number().int().min(0).max(100).optional(),
    stalledAfterDays: z.number().int().positive().max(3650).nullable().optional(),
  })
  .strict();

export const pipelineCreateRequestSchema = z
  .object({
    name: z.string().trim().min(1, 'name cannot be empty').max(120),
    /** The open stages, in order. "Won" and "Lost" are added at the end. */
    stages: z.array(stageInput).min(1, 'a pipeline needs at least one stage').max(DEAL_LIMITS.stages),
    wonStageName: z.string().trim().min(1).max(80).optional(),
    lostStageName: z.string().trim().min(1).max(80).optional(),
  })
  .strict();

/**
 * Renames a pipeline and/or replaces its open stages, in order: stages given with their `id` are
 * kept (renamed, moved, re-tuned), stages without one are added, open stages left out are removed
 * (only when no deal is in them). Won and Lost stay last.
 */
export const pipelineUpdateRequestSchema = z
  .object({
    pipelineId: id,
    name: z.string().trim().min(1, 'name cannot be empty').max(120).optional(),
    stages: z
      .array(stageInput.extend({ id: id.optional() }).strict())
      .min(1, 'a pipeline needs at least one stage')
      .max(DEAL_LIMITS.stages)
      .optional(),
  })
  .strict()
  .refine((p) => p.name !== undefined || p.stages !== undefined, 'Nothing to update');

export const dealListRequestSchema = z
  .object({
    pipelineId: id.optional(),
    status: z.enum([...DEAL_STATUSES, 'all']).default('all'),
    contactId: id.optional(),
    ownerId: id.optional(),
    /** The deal holding this id in another system: `hubspot:9001`. */
    externalId: externalIdQuerySchema.optional(),
    limit: z.number().int().min(1).max(5000).default(1000),
  })
  .strict();

export const dealRefSchema = z.object({ dealId: id }).strict();

export const dealCreateRequestSchema = z
  .object({
    pipelineId: id,
    /** Defaults to the pipeline's first stage. */
    stageId: id.optional(),
    title,
    amount: amountSchema.default(0),
    currency: currencySchema,
    probability: z.number().int().min(0).max(100).optional(),
    expectedCloseDate: dateOnly.nullable().optional(),
    ownerId: id.nullable().optional(),
    contactId: id.nullable().optional(),
    companyId: id.nullable().optional(),
    conversationId: id.nullable().optional(),
    externalIds: externalIdsPatchSchema.optional(),
  })
  .strict();

export const dealUpdateRequestSchema = z
  .object({
    dealId: id,
    title: title.optional(),
    amount: amountSchema.optional(),
    currency: currencySchema.optional(),
    probability: z.number().int().min(0).max(100).optional(),
    expectedCloseDate: dateOnly.nullable().optional(),
    ownerId: id.nullable().optional(),
    contactId: id.nullable().optional(),
    companyId: id.nullable().optional(),
    /** Moves the deal: a stage of its pipeline. */
    stageId: id.optional(),
    lostReason: z.string().trim().min(1).max(DEAL_LIMITS.lostReason).nullable().optional(),
    /** Ids in other systems to set (`null` removes one); the others stay. */
    externalIds: externalIdsPatchSchema.optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 1, 'Nothing to update');

export const taskListRequestSchema = z
  .object({
    /** `overdue`, `today`, `upcoming` for an agenda; `open`, `done`, `all` otherwise. */
    view: z.enum(['overdue', 'today', 'upcoming', 'open', 'done', 'all']).default('open'),
    /** An agent id, or `me`. */
    ownerId: z.string().max(64).optional(),
    contactId: id.optional(),
    dealId: id.optional(),
    /** The caller's UTC offset in minutes (as `Date#getTimezoneOffset()` gives it) for "today". */
    tzOffset: z.number().int().min(-840).max(840).default(0),
    limit: z.number().int().min(1).max(1000).default(200),
  })
  .strict();

export const taskCreateRequestSchema = z
  .object({
    title,
    dueAt: dateTime.nullable().optional(),
    ownerId: id.nullable().optional(),
    contactId: id.nullable().optional(),
    companyId: id.nullable().optional(),
    dealId: id.nullable().optional(),
    conversationId: id.nullable().optional(),
  })
  .strict();

export const taskUpdateRequestSchema = z
  .object({
    taskId: id,
    title: title.optional(),
    dueAt: dateTime.nullable().optional(),
    ownerId: id.nullable().optional(),
    done: z.boolean().optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 1, 'Nothing to update');

export const businessEventCreateRequestSchema = z
  .object({
    kind: z.enum(BUSINESS_EVENT_KINDS),
    contactId: id,
    amount: amountSchema,
    currency: currencySchema,
    /** Posting the same kind and reference again returns the stored event (retries are safe). */
    reference: z.string().trim().min(1).max(120).optional(),
    description: z.string().trim().max(DEAL_LIMITS.description).optional(),
    dueDate: dateOnly.optional(),
    paid: z.boolean().optional(),
    invoiceReference: z.string().trim().min(1).max(120).optional(),
    occurredAt: dateTime.optional(),
  })
  .strict()
  .refine((p) => p.kind === 'invoice' || (p.dueDate === undefined && p.paid === undefined), {
    message: 'dueDate and paid apply to invoices only',
    path: ['kind'],
  })
  .refine((p) => p.kind === 'payment' || p.invoiceReference === undefined, {
    message: 'invoiceReference applies to payments only',
    path: ['invoiceReference'],
  });

/**
 * Automation rules of a pipeline, driven by conversation events. Each automatic action is
 * recorded with the rule's name (timeline) and can be undone by an agent.
 */
export const automationSettingsSchema = z
  .object({
    /** Create a deal (first stage) when a conversation gets this label; null: off. */
    qualifyLabel: z.string().trim().min(1).max(40).nullable().default(null),
    /** Agent messages containing any of these (case-insensitive) are quotes; "#quote" always is. */
    quoteTriggers: z.array(z.string().trim().min(2).max(60)).max(20).default([]),
    /** Where a quote moves the conversation's open deal; null: off. */
    proposalStageId: id.nullable().default(null),
    /** Where a customer reply after a proposal moves it; null: off. */
    negotiationStageId: id.nullable().default(null),
    /** A follow-up task this many hours after a deal enters the proposal stage; null: off. */
    followUpHours: z.number().int().min(1).max(720).nullable().default(48),
    /** A "reactivate" task when an open deal's conversation is silent this many days; null: off. */
    reactivateAfterDays: z.number().int().min(1).max(365).nullable().default(7),
    /** Currency of deals the rules create. */
    currency: currencySchema.default('USD'),
  })
  .strict();

export const automationUpdateRequestSchema = automationSettingsSchema.extend({ pipelineId: id }).strict();

export type AutomationSettings = z.infer<typeof automationSettingsSchema>;

export const contactCommerceRequestSchema = z.object({ contactId: id }).strict();

export const timelineRequestSchema = z
  .object({
    contactId: id.optional(),
    companyId: id.optional(),
    /** Opaque cursor: `nextCursor` of the previous (newer) page. */
    cursor: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(LIMITS.pageSize).default(50),
  })
  .strict()
  .refine((p) => (p.contactId === undefined) !== (p.companyId === undefined), 'Give either contactId or companyId');

// ---------------------------------------------------------------- types

export type Stage = z.infer<typeof stageSchema>;
export type Pipeline = z.infer<typeof pipelineSchema>;
export type Deal = z.infer<typeof dealSchema>;
export type StageVisit = z.infer<typeof stageVisitSchema>;
export type Task = z.infer<typeof taskSchema>;
export type BusinessEvent = z.infer<typeof businessEventSchema>;
export type MoneyByCurrency = z.infer<typeof moneyByCurrencySchema>;
export type ContactCommerce = z.infer<typeof contactCommerceSchema>;

export type PipelineCreateRequest = z.input<typeof pipelineCreateRequestSchema>;
export type DealListRequest = z.input<typeof dealListRequestSchema>;
export type PipelineUpdateRequest = z.input<typeof pipelineUpdateRequestSchema>;
export type DealCreateRequest = z.input<typeof dealCreateRequestSchema>;
export type DealUpdateRequest = z.input<typeof dealUpdateRequestSchema>;
export type TaskListRequest = z.input<typeof taskListRequestSchema>;
export type TaskCreateRequest = z.input<typeof taskCreateRequestSchema>;
export type TaskUpdateRequest = z.input<typeof taskUpdateRequestSchema>;
export type BusinessEventCreateRequest = z.input<typeof businessEventCreateRequestSchema>;
export type TimelineRequest = z.input<typeof timelineRequestSchema>;
export type AutomationUpdateRequest = z.input<typeof automationUpdateRequestSchema>;

export interface DealDetail {
  deal: Deal;
  history: StageVisit[];
}

export interface DealPage {
  deals: Deal[];
  /** Open tasks per deal id (deals without any are left out). */
  openTasks: Record<string, number>;
  /** The deals' contacts (for names on cards). */
  contacts: Contact[];
}

/** What changed about a deal, for the timeline and for listeners. */
export interface DealUpsertedData {
  deal: Deal;
  /** Set when the deal changed stage (or was created: `from` null). */
  move: { from: string | null; to: string; rule: string | null; actorId: string | null } | null;
}
export interface PipelineUpsertedData {
  pipeline: Pipeline;
}
export interface TaskUpsertedData {
  task: Task;
}
export interface BusinessEventCreatedData {
  event: BusinessEvent;
  /** The invoice a payment paid into, as it is now. */
  invoice: BusinessEvent | null;
}

export const TIMELINE_ITEM_KINDS = [
  'message', 'note', 'deal', 'stage', 'task', 'purchase', 'payment', 'invoice', 'claim', 'merge',
  /** A merge was undone (on both contacts' feeds). */
  'unmerge',
  /** A conversation's latest AI analysis (its summary; `status` is the sentiment). */
  'insight',
  /** A customer rated a conversation (`status` is the rating, 1–5; `text` the comment). */
  'csat',
] as const;
export type TimelineItemKind = (typeof TIMELINE_ITEM_KINDS)[number];

/** One entry of a contact's or company's unified feed. */
export interface TimelineItem {
  /** Stable id: the kind and the source's id. */
  id: string;
  kind: TimelineItemKind;
  at: string;
  contactId: string | null;
  /** What to open: a conversation, a deal, a task. */
  conversationId: string | null;
  dealId: string | null;
  taskId: string | null;
  /** One-line summary in the data's own language (a message body, "Proposal sent → Negotiation"). */
  text: string;
  /** Channel of a message; kind-specific extras (amount, currency, stage ids, rule). */
  channel: string | null;
  amount: number | null;
  currency: string | null;
  /** The automation rule behind it, when one did it. */
  rule: string | null;
  /** The actor's display name, when known. */
  actor: string | null;
  /**
   * Kind-specific state: a message's `in`, `out` or `private`; a task `created` or `done`; the
   * kind of stage a deal entered (`open`, `won`, `lost`); an invoice `paid` or `unpaid`.
   */
  status: string | null;
}

export interface TimelinePage {
  items: TimelineItem[];
  nextCursor: string | null;
}
