/**
 * The provider for any OpenAI-compatible endpoint, through the `openai` package: chat completions
 * asking for structured JSON output, validated with zod before anything is used. Each call has a
 * timeout; 429s and 5xx answers (and timeouts) are retried with exponential backoff and jitter,
 * honouring Retry-After; what still fails is reported as a retryable provider error, so the job
 * queue tries again later.
 */
import { analysisSchema, QUOTE_LIMITS, type Analysis, type QuoteLine, type ReplySource } from '@charla/protocol';
import OpenAI from 'openai';
import { z } from 'zod';
import { backoffDelay } from '../jobs/queue.js';
import type { AiProvider, AnalysisInput, FollowUpInput, QuoteInput, SuggestedReply, SuggestionInput } from './provider.js';
import { AiProviderError } from './provider.js';

export interface OpenAiProviderOptions {
  apiKey: string;
  /** Any OpenAI-compatible endpoint (`OPENAI_BASE_URL`); the package's default when absent. */
  baseURL?: string;
  /** `CHARLA_AI_MODEL` (default gpt-4o-mini). */
  model?: string;
  /** Per request (default 20 s). */
  timeoutMs?: number;
  /** Attempts per call on 429/5xx/timeouts (default 3). */
  attempts?: number;
  /** First backoff delay (default 500 ms). */
  backoffMs?: number;
  /**
   * Longest Retry-After waited inside a call (default 2 s). A longer one is left to the caller,
   * so a background job is postponed instead of holding its worker.
   */
  maxInlineWaitMs?: number;
}

/** Each suggestion with the labels of the sources it used ([K1], [C1], [P], [D]); a bare string cites nothing. */
const suggestionsSchema = z.object({
  suggestions: z
    .array(z.union([z.string().min(1).max(1000), z.object({ text: z.string().min(1).max(1000), sources: z.array(z.string().max(20)).max(10).default([]) })]))
    .min(1)
    .max(3),
});

/** A quote's lines; `source` is the label of the knowledge chunk a price came from ([K1]). */
const quoteSchema = z.object({
  items: z
    .array(z.object({
      description: z.string().trim().min(1).max(QUOTE_LIMITS.description),
      quantity: z.number().positive().max(QUOTE_LIMITS.quantity),
      unitPrice: z.number().min(0).max(QUOTE_LIMITS.unitPrice).nullable(),
      source: z.string().max(20).nullable().default(null),
    }))
    .max(QUOTE_LIMITS.items),
});
const followUpSchema = z.object({ message: z.string().trim().min(1).max(1000) });

const QUOTE_INSTRUCTIONS = `You draft a quote for a human agent from a customer conversation: the products or services the customer
asked for, with their quantities (the latest one when they corrected themselves). Take each unit price only from the numbered
knowledge-base sources [K…] and name the source you took it from; when no source gives a price, unitPrice is null (the agent
types it). Never invent prices. Answer only with JSON: {"items": [{"description": "...", "quantity": 2, "unitPrice": 350, "source": "K1"}]}.`;

const FOLLOW_UP_INSTRUCTIONS = `A sales conversation has been silent for some days. Write one short, friendly message (at most three sentences)
that picks it up again, in the requested language, addressing the customer by first name when known and mentioning what they
were interested in. No pressure, no invented offers or prices. Answer only with JSON: {"message": "..."}.`;

const ANALYSIS_INSTRUCTIONS = `You analyze a customer conversation for a sales and support team (Spanish, Portuguese or English).
Answer only with a JSON object matching the given schema:
- lead: for each of name, email, phone, company, productInterest, budget, timeline, urgency either null or
  {"value": string, "messageId": the id of the customer message it was read from, "confidence": 0..1}.
  Only values the customer actually wrote; never guess an email or phone. phone in E.164 (+5215512345678).
  urgency value is low, medium or high.
- summary: two or three sentences in the conversation's language.
- sentiment: positive|neutral|negative, sentimentTrend: improving|steady|worsening.
- topics: any of pricing, payment, support, complaint, shipping, order, scheduling, product.
- nextAction: one sentence for the agent, in the conversation's language.
- intent: low|medium|high; objections: any of price, timing, authority, need.
- bant: budget, authority, need, timing, each null or {"value","messageId","confidence"} as above.`;

const REPLY_INSTRUCTIONS = `You help a human agent answer a customer. Suggest short replies in the customer's language,
grounded in the conversation, the contact's profile and the numbered sources given (the business's knowledge base [K…],
its canned responses [C…], the profile [P], the open deal [D]). Use only facts found there; never promise prices or terms
not stated. The agent edits and sends them.
Answer only with JSON: {"suggestions": [{"text": "...", "sources": ["K1", "P"]}]}, citing every source each reply used.`;

function transcript(input: AnalysisInput): string {
  const lines = input.messages.map((line) => `[${line.id}] ${line.from === 'customer' ? 'Customer' : 'Business'}: ${line.body}`);
  const profile = Object.entries({ name: input.contact.name, email: input.contact.email, phone: input.contact.phone, ...input.contact.attributes })
    .filter(([, value]) => value)
    .map(([key, value]) => `${key}: ${value}`);
  const country = input.phoneCountry ? `\nPhone numbers written without a country code are numbers of ${input.phoneCountry}.\n` : '';
  return `Contact profile:\n${profile.join('\n') || '(empty)'}\n${country}\nConversation:\n${lines.join('\n')}`;
}

/** The sources a reply may cite, labelled K1…, C1…, P and D, and what each label stands for. */
function numberedSources(input: SuggestionInput): { text: string; byLabel: Map<string, ReplySource> } {
  const byLabel = new Map<string, ReplySource>();
  const lines: string[] = [];
  input.grounding?.knowledge.forEach((hit, index) => {
    byLabel.set(`K${index + 1}`, { kind: 'knowledge', id: hit.entryId, chunkId: hit.chunkId, title: hit.title });
    lines.push(`[K${index + 1}] ${hit.kind === 'faq' ? 'FAQ' : 'Document'} "${hit.title}": ${hit.text}`);
  });
  input.grounding?.canned.forEach((canned, index) => {
    byLabel.set(`C${index + 1}`, { kind: 'canned', id: canned.id, title: canned.title });
    lines.push(`[C${index + 1}] Canned response "${canned.title}": ${canned.body}`);
  });
  if (input.contact.id) {
    byLabel.set('P', { kind: 'profile', id: input.contact.id, title: input.contact.name ?? input.contact.id });
    lines.push('[P] The contact profile above');
  }
  if (input.deal) {
    byLabel.set('D', { kind: 'deal', id: input.deal.id, title: input.deal.title });
    lines.push(`[D] Open deal "${input.deal.title}": stage ${input.deal.stage}, ${input.deal.amount} ${input.deal.currency}`);
  }
  return { text: lines.join('\n'), byLabel };
}

export class OpenAiProvider implements AiProvider {
  readonly name: string;
  readonly #client: OpenAI;
  readonly #model: string;
  readonly #attempts: number;
  readonly #backoffMs: number;
  readonly #maxInlineWaitMs: number;

  constructor(options: OpenAiProviderOptions) {
    this.#model = options.model ?? 'gpt-4o-mini';
    this.name = `openai:${this.#model}`;
    this.#attempts = options.attempts ?? 3;
    this.#backoffMs = options.backoffMs ?? 500;
    this.#maxInlineWaitMs = options.maxInlineWaitMs ?? 2000;
    // Retries are ours (below), so that Retry-After and our attempts budget apply.
    this.#client = new OpenAI({
      apiKey: options.apiKey,
      ...(options.baseURL ? { baseURL: options.baseURL } : {}),
      timeout: options.timeoutMs ?? 20_000,
      maxRetries: 0,
    });
  }

  async analyze(input: AnalysisInput): Promise<Analysis> {
    const ids = new Set(input.messages.map((line) => line.id));
    const analysis = await this.#complete(ANALYSIS_INSTRUCTIONS, transcript(input), 'conversation_analysis', analysisSchema);
    // A value must come from a message of this conversation; anything else is dropped.
    const keep = <T extends { messageId: string } | null>(value: T): T | null => (value && ids.has(value.messageId) ? value : null);
    return {
      ...analysis,
      lead: Object.fromEntries(Object.entries(analysis.lead).map(([field, value]) => [field, keep(value)])) as Analysis['lead'],
      bant: {
        budget: keep(analysis.bant.budget), authority: keep(analysis.bant.authority), need: keep(analysis.bant.need), timing: keep(analysis.bant.timing),
      },
    };
  }

  async suggestReplies(input: SuggestionInput): Promise<SuggestedReply[]> {
    const context = input.analysis ? `\n\nWhat we know: ${input.analysis.summary} Next action: ${input.analysis.nextAction}` : '';
    const { text: sourcesText, byLabel } = numberedSources(input);
    const answer = await this.#complete(
      `${REPLY_INSTRUCTIONS}\nGive exactly ${input.count} suggestion(s).`,
      `${transcript(input)}${context}\n\nSources:\n${sourcesText || '(none)'}`,
      'reply_suggestions',
      suggestionsSchema,
    );
    // A label the model made up cites nothing.
    return answer.suggestions.slice(0, input.count).map((suggestion) => (typeof suggestion === 'string'
      ? { text: suggestion, sources: [] }
      : { text: suggestion.text, sources: [...new Set(suggestion.sources)].flatMap((label) => byLabel.get(label.replace(/[[\]]/g, '')) ?? []) }));
  }

  async draftQuote(input: QuoteInput): Promise<QuoteLine[]> {
    const byLabel = new Map<string, ReplySource>();
    const sources = input.knowledge.map((hit, index) => {
      byLabel.set(`K${index + 1}`, { kind: 'knowledge', id: hit.entryId, chunkId: hit.chunkId, title: hit.title });
      return `[K${index + 1}] "${hit.title}": ${hit.text}`;
    });
    const answer = await this.#complete(
      QUOTE_INSTRUCTIONS,
      `${transcript(input)}\n\nPrices are in ${input.currency}.\nSources:\n${sources.join('\n') || '(none)'}`,
      'quote_draft',
      quoteSchema,
    );
    // A price without a source it really came from is not a price the business stated.
    return answer.items.map((item) => {
      const source = item.source ? (byLabel.get(item.source.replace(/[[\]]/g, '')) ?? null) : null;
      return { description: item.description, quantity: item.quantity, unitPrice: source ? item.unitPrice : null, source: item.unitPrice === null ? null : source };
    });
  }

  async draftFollowUp(input: FollowUpInput): Promise<string> {
    const language = { es: 'Spanish', pt: 'Portuguese', en: 'English' }[input.language];
    const answer = await this.#complete(
      FOLLOW_UP_INSTRUCTIONS,
      `${transcript(input)}\n\nSilent for ${input.daysSilent} days. Write in ${language}.`,
      'follow_up',
      followUpSchema,
    );
    return answer.message;
  }

  async #complete<S extends z.ZodType>(instructions: string, content: string, schemaName: string, schema: S): Promise<z.output<S>> {
    let lastError: AiProviderError | undefined;
    for (let attempt = 1; attempt <= this.#attempts; attempt += 1) {
      try {
        return await this.#completeOnce(instructions, content, schemaName, schema);
      } catch (caught) {
        const error = toProviderError(caught);
        lastError = error;
        if (!error.retryable || attempt === this.#attempts || error.message.startsWith('Unusable output')) throw error;
        const delay = error.retryAfterMs ?? backoffDelay(attempt, this.#backoffMs, 30_000);
        if (delay > this.#maxInlineWaitMs) throw error;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
    throw lastError ?? new AiProviderError('No attempt made', true);
  }

  async #completeOnce<S extends z.ZodType>(instructions: string, content: string, schemaName: string, schema: S): Promise<z.output<S>> {
    const completion = await this.#client.chat.completions.create({
      model: this.#model,
      temperature: 0.2,
      messages: [
        { role: 'system', content: instructions },
        { role: 'user', content },
      ],
      response_format: {
        type: 'json_schema',
        json_schema: { name: schemaName, schema: z.toJSONSchema(schema) as Record<string, unknown>, strict: false },
      },
    });
    const text = completion.choices[0]?.message.content ?? '';
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new AiProviderError(`Unusable output: the model did not answer JSON (${text.slice(0, 80)})`, true);
    }
    const result = schema.safeParse(parsed);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new AiProviderError(`Unusable output: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'does not match the schema'}`, true);
    }
    return result.data;
  }
}

function toProviderError(caught: unknown): AiProviderError {
  if (caught instanceof AiProviderError) return caught;
  if (caught instanceof OpenAI.APIConnectionTimeoutError) return new AiProviderError('The AI provider timed out', true);
  if (caught instanceof OpenAI.APIConnectionError) return new AiProviderError(`The AI provider is unreachable: ${caught.message}`, true);
  if (caught instanceof OpenAI.APIError) {
    const status = caught.status ?? 0;
    const retryAfterMs = retryAfterOf(caught.headers);
    // OpenAI answers an exhausted quota (billing) with 429 too: waiting does not fix that.
    if (status === 429 && caught.code === 'insufficient_quota') return new AiProviderError(`The AI provider refused the request (429): ${caught.message}`, false);
    if (status === 429) return new AiProviderError('The AI provider is rate limiting (429)', true, retryAfterMs, true);
    if (status >= 500) return new AiProviderError(`The AI provider failed (${status})`, true, retryAfterMs);
    return new AiProviderError(`The AI provider refused the request (${status}): ${caught.message}`, false);
  }
  return new AiProviderError(caught instanceof Error ? caught.message : String(caught), true);
}

/** The server's wait hint: OpenAI's `retry-after-ms`, else the standard `retry-after` (seconds). */
function retryAfterOf(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const seconds = Number(headers?.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}
