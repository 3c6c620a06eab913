/**
 * The provider interface of Charla's AI jobs. Two implementations: the `openai` package against
 * any OpenAI-compatible endpoint, and the offline heuristic provider (the default without a key).
 */
import type { Analysis, CannedResponse, KnowledgeHit, QuoteLanguage, QuoteLine, ReplySource } from '@charla/protocol';

/** One message of the conversation as a provider sees it (private notes are never included). */
export interface ConversationLine {
  id: string;
  /** `customer` wrote it, or the business (`agent`, a bot). */
  from: 'customer' | 'business';
  body: string;
  createdAt: string;
}

/** What the contact's profile already holds (grounding for replies, and what not to re-ask). */
export interface ContactFacts {
  /** The contact's id, when the facts are a stored contact's (cited as the profile). */
  id?: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  attributes: Record<string, string>;
}

export interface AnalysisInput {
  workspaceId: string;
  messages: readonly ConversationLine[];
  contact: ContactFacts;
  /**
   * ISO country that numbers written without a country code belong to: the contact's own
   * number's, else the workspace's `defaultCountry`.
   */
  phoneCountry?: string;
  /** The workspace's currency (ISO 4217): what a bare "$", "pesos" or "20 mil" means. */
  currency?: string;
  /** The workspace's own topic words (topic → words or phrases), added to the built-in vocabulary. */
  topicWords?: Record<string, string[]>;
  /** The conversation's open deal, if any (the next action depends on its stage). */
  deal?: { id: string; title: string; stage: string; amount: number; currency: string } | null;
}

/** What replies may draw on besides the conversation and the profile (found by Charla, the same for every provider). */
export interface Grounding {
  /** Knowledge-base chunks matching the customer's latest messages, best first. */
  knowledge: KnowledgeHit[];
  /** The workspace's canned responses sharing words with them, best first. */
  canned: CannedResponse[];
}

export interface SuggestionInput extends AnalysisInput {
  /** The latest analysis, when there is one. */
  analysis: Analysis | null;
  count: number;
  grounding?: Grounding;
}

/** A reply for the agent to edit and send, with what it used. */
export interface SuggestedReply {
  text: string;
  sources: ReplySource[];
}

export interface QuoteInput extends AnalysisInput {
  /** Knowledge-base chunks matching what the customer asked for (where prices come from), best first. */
  knowledge: KnowledgeHit[];
  /** The quote's currency (the open deal's, else the workspace's). */
  currency: string;
  language: QuoteLanguage;
}

export interface FollowUpInput extends AnalysisInput {
  language: QuoteLanguage;
  /** Days since the conversation's last message. */
  daysSilent: number;
}

export interface AiProvider {
  /** `heuristic`, or `openai:<model>`: stored with each result. */
  readonly name: string;
  analyze(input: AnalysisInput): Promise<Analysis>;
  suggestReplies(input: SuggestionInput): Promise<SuggestedReply[]>;
  /** The lines of a quote for what the customer asked (prices from the knowledge chunks, else null for the agent to type). */
  draftQuote(input: QuoteInput): Promise<QuoteLine[]>;
  /** A short message that picks a silent conversation up again, in `language`. */
  draftFollowUp(input: FollowUpInput): Promise<string>;
}

/**
 * A provider call that failed. `retryable` failures (timeouts, rate limits, server errors,
 * unusable output) are worth another attempt later; `retryAfterMs` is the server's hint.
 * `rateLimited` says the provider only asked to wait: nothing is wrong with the request.
 */
export class AiProviderError extends Error {
  override readonly name = 'AiProviderError';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    readonly rateLimited = false,
  ) {
    super(message);
  }
}
