/**
 * AI enrichment: what the background analysis of a conversation finds (lead fields, summary,
 * sentiment, topics, next action, BANT qualification), reply suggestions, and the workspace's
 * qualification settings. AI assists the agent: it fills only empty contact fields, marks each
 * one with the message it came from, and never sends anything to a customer.
 */
import { z } from 'zod';
import { LIMITS } from './constants.js';
import { currencySchema, type Deal } from './deals.js';
import type { Message } from './types.js';

const id = z.string().min(1).max(64);

export const SENTIMENTS = ['positive', 'neutral', 'negative'] as const;
export type Sentiment = (typeof SENTIMENTS)[number];
export const SENTIMENT_TRENDS = ['improving', 'steady', 'worsening'] as const;
export type SentimentTrend = (typeof SENTIMENT_TRENDS)[number];
export const URGENCIES = ['low', 'medium', 'high'] as const;
export type Urgency = (typeof URGENCIES)[number];
export const INTENTS = ['low', 'medium', 'high'] as const;
export type Intent = (typeof INTENTS)[number];
export const TOPICS = ['pricing', 'payment', 'support', 'complaint', 'shipping', 'order', 'scheduling', 'product'] as const;
export type Topic = (typeof TOPICS)[number];
/** What holds a lead back, as the customer said it. */
export const OBJECTIONS = ['price', 'timing', 'authority', 'need'] as const;
export type Objection = (typeof OBJECTIONS)[number];
/** What the agent is advised to do about a lead. */
export const RECOMMENDATIONS = [
  'close', 'send_quote', 'discover_budget', 'align_urgency', 'reach_decision_maker', 'show_value', 'resolve_issue', 'nurture',
] as const;
export type Recommendation = (typeof RECOMMENDATIONS)[number];

/** Lead fields the analysis looks for in what the customer wrote. */
export const LEAD_FIELDS = ['name', 'email', 'phone', 'company', 'productInterest', 'budget', 'timeline', 'urgency'] as const;
export type LeadField = (typeof LEAD_FIELDS)[number];

/** One value found in the conversation, with the customer message it came from. */
export const extractedValueSchema = z.object({
  value: z.string().min(1).max(300),
  /** The message the value was read from. */
  messageId: id,
  /** 0–1: how sure the analysis is (only confident values fill contact fields). */
  confidence: z.number().min(0).max(1),
});
export type ExtractedValue = z.infer<typeof extractedValueSchema>;

export const leadSchema = z.object(
  Object.fromEntries(LEAD_FIELDS.map((field) => [field, extractedValueSchema.nullable()])) as Record<
    LeadField,
    z.ZodNullable<typeof extractedValueSchema>
  >,
);
export type Lead = z.infer<typeof leadSchema>;

/** One BANT answer captured so far (null: not answered yet). */
export const bantAnswerSchema = extractedValueSchema.nullable();

/**
 * What a provider answers about a conversation (validated before it is used: a model's output
 * that does not match is rejected and the job retried).
 */
export const analysisSchema = z.object({
  lead: leadSchema,
  summary: z.string().max(1200),
  sentiment: z.enum(SENTIMENTS),
  sentimentTrend: z.enum(SENTIMENT_TRENDS),
  topics: z.array(z.enum(TOPICS)).max(8),
  nextAction: z.string().max(300),
  intent: z.enum(INTENTS),
  objections: z.array(z.enum(OBJECTIONS)).max(4),
  bant: z.object({ budget: bantAnswerSchema, authority: bantAnswerSchema, need: bantAnswerSchema, timing: bantAnswerSchema }),
});
export type Analysis = z.infer<typeof analysisSchema>;

/** A score (0–100) always comes with a verdict an agent can act on. */
export interface Qualification {
  bant: Analysis['bant'];
  score: number;
  intent: Intent;
  /** The main objection heard, if any. */
  objection: Objection | null;
  recommendation: Recommendation;
  /** "High intent — timing objection — recommend urgency alignment". */
  verdict: string;
  /** The score reached the workspace's threshold (the lead is qualified). */
  qualified: boolean;
  /** The deal created when the lead qualified, if any. */
  dealId: string | null;
}

/** A contact field the analysis filled (it was empty), with its source message. */
export interface AiFilledField {
  contactId: string;
  /** `name`, `email`, `phone`, or an attribute key (`company`, `productInterest`, …). */
  field: string;
  value: string;
  messageId: string;
  conversationId: string;
  /** The source message's text (shortened), to show where the value came from. */
  excerpt: string;
  createdAt: string;
}

export const INSIGHT_STATUSES = ['pending', 'ready', 'failed'] as const;
export type InsightStatus = (typeof INSIGHT_STATUSES)[number];

/** The latest analysis of one conversation. */
export interface ConversationInsight {
  workspaceId: string;
  conversationId: string;
  contactId: string;
  status: InsightStatus;
  /** Why the last analysis failed (status `failed`). */
  error: string | null;
  /** Which provider analyzed it (`heuristic`, `openai:<model>`). */
  provider: string | null;
  lead: Lead | null;
  summary: string | null;
  sentiment: Sentiment | null;
  sentimentTrend: SentimentTrend | null;
  topics: Topic[];
  nextAction: string | null;
  qualification: Qualification | null;
  /** The newest customer message the analysis covered. */
  analyzedMessageId: string | null;
  updatedAt: string;
}

/** What the contact panel shows: the contact's latest conversation insight and its AI-filled fields. */
export interface ContactInsights {
  contactId: string;
  insight: ConversationInsight | null;
  filledFields: AiFilledField[];
}

export interface AiInsightUpsertedData {
  insight: ConversationInsight;
  /** The contact's AI-filled fields after this analysis. */
  filledFields: AiFilledField[];
}

export const aiConversationRequestSchema = z.object({ conversationId: id }).strict();
export const aiContactRequestSchema = z.object({ contactId: id }).strict();
export const replySuggestionRequestSchema = z
  .object({ conversationId: id, count: z.number().int().min(1).max(3).default(3) })
  .strict();
export type ReplySuggestionRequest = z.input<typeof replySuggestionRequestSchema>;

/** What a suggested reply drew on: a knowledge entry (and its chunk), a canned response, the profile or the open deal. */
export const REPLY_SOURCE_KINDS = ['knowledge', 'canned', 'profile', 'deal'] as const;
export type ReplySourceKind = (typeof REPLY_SOURCE_KINDS)[number];
export interface ReplySource {
  kind: ReplySourceKind;
  /** The knowledge entry's, canned response's, contact's or deal's id. */
  id: string;
  /** Its title (the FAQ question, the document's title, the canned response's title, the contact's name, the deal's title). */
  title: string;
  /** The knowledge chunk used, for a knowledge source. */
  chunkId?: string;
}

export interface ReplySuggestions {
  conversationId: string;
  /** 1–3 replies for the agent to edit and send; nothing is sent automatically. */
  suggestions: string[];
  /** What each suggestion used (`sources[i]` for `suggestions[i]`). */
  sources: ReplySource[][];
  provider: string;
}

// ------------------------------------------------------------------ knowledge base

/** An FAQ entry (a question and its answer) or a document (a title and its text, chunked). */
export const KNOWLEDGE_KINDS = ['faq', 'document'] as const;
export type KnowledgeKind = (typeof KNOWLEDGE_KINDS)[number];
export const KNOWLEDGE_LIMITS = { title: 300, body: 200_000, entries: 2000, chunk: 800 } as const;

const nonBlank = (max: number, field: string) =>
  z.string().max(max, `${field} can be at most ${max} characters`).refine((value) => value.trim().length > 0, `${field} cannot be empty`);

export const knowledgeCreateSchema = z
  .object({
    kind: z.enum(KNOWLEDGE_KINDS),
    /** The FAQ's question, or the document's title. */
    title: nonBlank(KNOWLEDGE_LIMITS.title, 'title'),
    /** The FAQ's answer, or the document's text. */
    body: nonBlank(KNOWLEDGE_LIMITS.body, 'body'),
  })
  .strict();
export type KnowledgeCreate = z.input<typeof knowledgeCreateSchema>;

export const knowledgeSearchSchema = z
  .object({
    query: nonBlank(500, 'query'),
    limit: z.coerce.number().int().min(1).max(20).default(5),
  })
  .strict();

export interface KnowledgeEntry {
  id: string;
  workspaceId: string;
  kind: KnowledgeKind;
  title: string;
  body: string;
  /** How many searchable chunks it was cut into. */
  chunks: number;
  createdBy: string | null;
  createdAt: string;
}

/** One chunk found by a search, best first. */
export interface KnowledgeHit {
  entryId: string;
  chunkId: string;
  kind: KnowledgeKind;
  title: string;
  text: string;
}

export const aiSettingsSchema = z
  .object({
    /** A score at or above it qualifies the lead (null: never automatically). */
    qualifyThreshold: z.number().int().min(1).max(100).nullable(),
    /** Where the qualified lead's deal goes (null: the workspace's first pipeline). */
    pipelineId: id.nullable(),
    /**
     * The workspace's own words for each topic (its products, its slang), added to the built-in
     * vocabulary: `{"shipping": ["mensajería", "motoboy"]}`. Stored settings always carry it.
     */
    topicWords: z.partialRecord(z.enum(TOPICS), z.array(z.string().trim().min(2).max(60)).max(50)).optional(),
  })
  .strict();
export type AiSettings = z.infer<typeof aiSettingsSchema>;
export const aiSettingsUpdateRequestSchema = aiSettingsSchema.partial().strict();
export type AiSettingsUpdateRequest = z.input<typeof aiSettingsUpdateRequestSchema>;


// ------------------------------------------------------------------ quote drafts

/** The languages a quote message is written in. */
export const QUOTE_LANGUAGES = ['es', 'en', 'pt'] as const;
export type QuoteLanguage = (typeof QUOTE_LANGUAGES)[number];
export const QUOTE_LIMITS = { items: 30, description: 200, quantity: 1_000_000, unitPrice: 1_000_000_000, note: 1000 } as const;

/** One line of a drafted quote; `unitPrice` null: no price was found, the agent types it. */
export interface QuoteLine {
  description: string;
  quantity: number;
  unitPrice: number | null;
  /** The knowledge chunk the price came from, if any. */
  source: ReplySource | null;
}

/** What "Draft quote" proposes from the thread: the agent edits it, then sends it. */
export interface QuoteDraft {
  conversationId: string;
  currency: string;
  /** The conversation's language (the quote message is written in it). */
  language: QuoteLanguage;
  items: QuoteLine[];
  /** The sum of the priced lines. */
  total: number;
  /** The conversation's open deal the quote will update, if any (else sending creates one). */
  dealId: string | null;
  provider: string;
}

export const quoteDraftRequestSchema = z.object({ conversationId: id }).strict();
export type QuoteDraftRequest = z.input<typeof quoteDraftRequestSchema>;

const money = (max: number, field: string) =>
  z
    .number()
    .min(0, `${field} cannot be negative`)
    .max(max, `${field} can be at most ${max}`)
    .refine((value) => Math.abs(Math.round(value * 100) - value * 100) < 1e-6, `${field} can have at most two decimals`);

export const quoteItemSchema = z
  .object({
    description: nonBlank(QUOTE_LIMITS.description, 'description'),
    quantity: z.number().positive('quantity must be more than 0').max(QUOTE_LIMITS.quantity, `quantity can be at most ${QUOTE_LIMITS.quantity}`),
    unitPrice: money(QUOTE_LIMITS.unitPrice, 'unitPrice'),
  })
  .strict();

/** The quote the agent sends: a message in the conversation, and the open deal's amount (a deal is created when there is none). */
export const quoteSendRequestSchema = z
  .object({
    conversationId: id,
    clientId: z.string().min(8).max(LIMITS.clientId).regex(/^[A-Za-z0-9_-]+$/, 'clientId must be URL-safe'),
    currency: currencySchema,
    language: z.enum(QUOTE_LANGUAGES).default('es'),
    items: z.array(quoteItemSchema).min(1, 'items: a quote needs at least one line').max(QUOTE_LIMITS.items, `items: at most ${QUOTE_LIMITS.items} lines`),
    /** A line written under the items (payment terms, validity). */
    note: z.string().max(QUOTE_LIMITS.note).optional(),
  })
  .strict();
export type QuoteSendRequest = z.input<typeof quoteSendRequestSchema>;

/** What sending a quote did: the message, and the deal it is attached to (its amount the quote's total). */
export interface QuoteSent {
  message: Message;
  deal: Deal | null;
  total: number;
}

// ------------------------------------------------------------------ re-engagement follow-ups

/**
 * A re-engagement message the AI drafted for a deal silent for its pipeline's
 * `reactivateAfterDays`: it waits (`pending`) for the owner to send it in one click (`sent`) or
 * dismiss it. Nothing reaches the customer without that click.
 */
export const FOLLOW_UP_STATUSES = ['pending', 'sent', 'dismissed'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];

/** The WhatsApp template a follow-up goes out as when the 24-hour window is closed. */
export interface FollowUpTemplate {
  name: string;
  language: string;
  parameters: string[];
  /** The template's text with the parameters filled in (what the customer reads). */
  text: string;
}

export interface FollowUpDraft {
  id: string;
  workspaceId: string;
  conversationId: string;
  contactId: string;
  dealId: string;
  /** The "Reactivate" task that carries it. */
  taskId: string;
  /** The drafted message (sent as is while the channel's window is open). */
  body: string;
  /** WhatsApp: the approved template sent instead when the window is closed (null: none fits). */
  template: FollowUpTemplate | null;
  status: FollowUpStatus;
  provider: string;
  createdAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  /** The message sent on approval. */
  messageId: string | null;
  /**
   * Why there is no drafted text (`body` is empty): the AI provider failed. The owner writes the
   * message (or dismisses it); the conversation was left as it was.
   */
  error: string | null;
}

export interface FollowUpUpsertedData {
  followUp: FollowUpDraft;
}

export const followUpListRequestSchema = z.object({ conversationId: id }).strict();
export const followUpApproveRequestSchema = z
  .object({
    id,
    clientId: z.string().min(8).max(LIMITS.clientId).regex(/^[A-Za-z0-9_-]+$/, 'clientId must be URL-safe'),
    /** The owner's edit of the text (free text only: a template goes as approved). */
    body: nonBlank(LIMITS.messageBody, 'body').optional(),
  })
  .strict();
export type FollowUpApproveRequest = z.input<typeof followUpApproveRequestSchema>;
export const followUpDismissRequestSchema = z.object({ id }).strict();
