/**
 * AI enrichment as durable background work, never in the message path. A committed customer
 * message schedules (or postpones: debounced per conversation) one `ai.enrich` job; workers of
 * their own run it, so a slow or hanging provider holds up nothing else. The job reads the
 * conversation, asks the provider, then in one transaction stores the insight, fills the
 * contact's EMPTY fields with confident values (each marked with its source message), qualifies
 * the lead at the workspace's threshold (creating the deal when a pipeline exists) and logs
 * `ai.insight.upserted`, broadcast live like every change.
 */
import type {
  Agent, AiFilledField, AiSettings, AiSettingsUpdateRequest, Analysis, Contact, ContactInsights, ConversationInsight, Deal, FollowUpDraft, LeadField,
  Message, QuoteDraft, QuoteLanguage, QuoteSent, ReplySuggestions, Task, followUpApproveRequestSchema, quoteSendRequestSchema,
} from '@charla/protocol';
import type { z } from 'zod';
import { CharlaFailure } from '../failure.js';
import { nowIso } from '../ids.js';
import { JobQueue, PermanentFailure, Postpone, RetryLater } from '../jobs/queue.js';
import type { Logger } from '../logger.js';
import { CHARLA, readingCountry, settleKeys } from '../identity/claim.js';
import { normalizeEmail, readPhone } from '../identity/keys.js';
import { insertDeal } from '../services/deals.js';
import { requireVisibleConversation } from '../services/visibility.js';
import type { Job, Store, StoreScope } from '../store/index.js';
import { marketingAudience } from '../services/consent.js';
import { newId } from '../ids.js';
import { budgetAmount } from './budget.js';
import { approveFollowUp, dismissFollowUp, followUpTemplate, logFollowUp, pendingFollowUps } from './follow-ups.js';
import { detectLanguage } from './heuristic.js';
import { openDealOf, quoteTotal, sendQuote } from './quotes.js';
import { searchKnowledge, searchTerms } from './knowledge.js';
import { AiProviderError, type AiProvider, type AnalysisInput, type ConversationLine, type Grounding } from './provider.js';
import { qualify } from './qualification.js';
import { RateLimiter } from './rate-limit.js';
import { isTransactionConflict } from '../dialect.js';

type QuoteSendInput = z.output<typeof quoteSendRequestSchema>;
type FollowUpApproveInput = z.output<typeof followUpApproveRequestSchema>;

export const ENRICH_JOB = 'ai.enrich';
/** The name automatic actions of the analysis carry (stage history, the timeline). */
export const AI_RULE = 'AI qualification';

export interface AiServiceOptions {
  provider: AiProvider;
  logger: Logger;
  /** Quiet time after a customer message before the analysis runs (default 5 s). */
  debounceMs?: number;
  /** Attempts of a job before it is marked failed (default 4). */
  maxAttempts?: number;
  /** First retry delay of a failed job (default 5 s). */
  backoffMs?: number;
  /** Provider calls per workspace per minute (default 30). */
  ratePerMinute?: number;
  /** The window `ratePerMinute` counts over (default one minute); tests shorten it. */
  rateWindowMs?: number;
  /** How long a rate-limited analysis waits when the provider gives no Retry-After (default 20 s). */
  rateLimitWaitMs?: number;
  /** Messages of the conversation the analysis reads, newest kept (default 60). */
  historyLimit?: number;
  /** Analyses run at the same time (default 2), so one slow provider call does not hold up the others. */
  workers?: number;
}

/** Only values at least this sure fill a contact's empty fields. */
const CONFIDENT = 0.8;
/** Contact columns the analysis may fill; other lead fields become attributes. */
const COLUMNS = ['name', 'email', 'phone'] as const;
const ATTRIBUTE_FIELDS: readonly LeadField[] = ['company', 'productInterest', 'budget', 'timeline'];

interface EnrichPayload {
  workspaceId: string;
  conversationId: string;
}

const excerptOf = (message: Message | undefined) => (message?.body ?? '').replace(/\s+/g, ' ').trim().slice(0, 160);

export class AiService {
  readonly provider: AiProvider;
  readonly #store: Store;
  readonly #logger: Logger;
  readonly #queues: JobQueue[];
  readonly #debounceMs: number;
  readonly #maxAttempts: number;
  readonly #historyLimit: number;
  readonly #limiter: RateLimiter;
  readonly #rateLimitWaitMs: number;
  #unlisten: (() => void) | null = null;

  constructor(store: Store, options: AiServiceOptions) {
    this.provider = options.provider;
    this.#store = store;
    this.#logger = options.logger;
    this.#debounceMs = options.debounceMs ?? 5000;
    this.#maxAttempts = options.maxAttempts ?? 4;
    this.#historyLimit = options.historyLimit ?? 60;
    this.#limiter = new RateLimiter(options.ratePerMinute ?? 30, options.rateWindowMs ?? 60_000);
    this.#rateLimitWaitMs = options.rateLimitWaitMs ?? 20_000;
    // Workers of their own: AI never holds up channel sends or other jobs. Claims are atomic, so
    // several workers never take the same job.
    this.#queues = Array.from({ length: Math.max(1, options.workers ?? 2) }, () => {
      const queue = new JobQueue(store, { logger: options.logger, baseDelayMs: options.backoffMs ?? 5000 });
      queue.register(ENRICH_JOB, {
        maxAttempts: this.#maxAttempts,
        handle: (job) => this.#enrich(job),
        onGiveUp: (job, error) => this.#giveUp(job, error),
      });
      return queue;
    });
  }

  start(): void {
    // Scheduling commits with the customer's message: no message is ever left without its analysis.
    this.#unlisten = this.#store.beforeCommit(async (scope, staged) => {
      // Per workspace, the conversations and their last customer message's time.
      const due = new Map<string, Map<string, string>>();
      for (const { workspaceId, entry } of staged) {
        if (entry.type !== 'message.upserted') continue;
        const { message } = entry.data;
        if (message.direction !== 'in' || message.senderKind !== 'contact' || message.private) continue;
        if (!due.has(workspaceId)) due.set(workspaceId, new Map());
        due.get(workspaceId)!.set(message.conversationId, message.createdAt);
      }
      for (const [workspaceId, conversations] of due) {
        try {
          await this.#scheduleIn(scope, workspaceId, conversations);
        } catch (error) {
          // PostgreSQL runs the whole transaction again.
          if (isTransactionConflict(error)) throw error;
          // Each statement is atomic: a failure here leaves at most a job without its pending mark.
          this.#logger.error('Could not schedule the AI analysis', error);
        }
      }
    });
    for (const queue of this.#queues) queue.start();
  }

  async stop(): Promise<void> {
    this.#unlisten?.();
    await Promise.all(this.#queues.map((queue) => queue.stop()));
  }

  /**
   * Schedules the conversation's analysis `debounceMs` from now: a job still waiting is
   * postponed, so a burst of messages is analyzed once. A message the last analysis already
   * covered (a status update of it, say) schedules nothing. Runs in the customer message's own
   * transaction (see `start`).
   */
  async #scheduleIn(scope: StoreScope, workspaceId: string, conversations: ReadonlyMap<string, string>): Promise<void> {
    const now = new Date();
    const runAt = new Date(now.getTime() + this.#debounceMs);
    // A burst: the jobs still waiting move, in one statement for the lot.
    const postponed = await scope.ai.postponeConversationJobs(workspaceId, conversations, runAt.toISOString(), now.toISOString());
    for (const [conversationId, messageAt] of conversations) {
      if (postponed.has(conversationId)) continue;
      const stored = await scope.ai.insight(workspaceId, conversationId);
      if (stored?.analyzedUntil && messageAt <= stored.analyzedUntil) continue;
      // The conversation's contact as of now (a merge in this same transaction may have moved it).
      const contactId = (await scope.conversations.get(workspaceId, conversationId))?.contactId;
      if (!contactId) continue;
      const jobId = await this.#queues[0]!.enqueue(scope, { kind: ENRICH_JOB, workspaceId, payload: { workspaceId, conversationId }, runAt });
      // Pending is not logged: the change log carries results (ready or failed), not every message's echo.
      await scope.ai.markPending(workspaceId, conversationId, contactId, jobId, now.toISOString());
    }
  }

  async #enrich(job: Job): Promise<void> {
    const { workspaceId, conversationId } = job.payload as EnrichPayload;
    const input = await this.#read(workspaceId, conversationId);
    if (!input) throw new PermanentFailure('The conversation no longer exists');
    const customerLines = input.lines.filter((line) => line.from === 'customer');
    const last = customerLines.at(-1);
    if (!last) throw new PermanentFailure('The conversation has no customer message to analyze');
    // Waiting out a rate limit (ours or the provider's) postpones the job without using up an
    // attempt: a burst of conversations is analyzed late, never given up on.
    const wait = this.#limiter.take(workspaceId);
    if (wait > 0) throw new Postpone('The workspace reached its AI rate limit', spread(wait));
    let analysis: Analysis;
    try {
      analysis = await this.provider.analyze(input.analysis);
    } catch (error) {
      if (error instanceof AiProviderError && !error.retryable) throw new PermanentFailure(error.message);
      if (error instanceof AiProviderError && error.rateLimited) throw new Postpone(error.message, spread(error.retryAfterMs ?? this.#rateLimitWaitMs));
      if (error instanceof AiProviderError && error.retryAfterMs !== undefined) throw new RetryLater(error.message, error.retryAfterMs);
      throw error;
    }
    await this.#store.transaction(async (scope) => {
      const conversation = await scope.conversations.get(workspaceId, conversationId);
      if (!conversation) return;
      const settings = await scope.ai.settings(workspaceId);
      const previous = (await scope.ai.insight(workspaceId, conversationId))?.insight.qualification ?? null;
      const qualification = qualify(analysis, settings.qualifyThreshold);
      qualification.dealId = previous?.dealId ?? null;
      if (qualification.qualified && !qualification.dealId) {
        qualification.dealId = await this.#createDeal(scope, workspaceId, conversation.id, conversation.assigneeId, settings, input.contact, analysis);
      }
      const now = nowIso();
      await scope.ai.saveResult(workspaceId, conversationId, {
        provider: this.provider.name,
        data: { analysis, qualification },
        analyzedMessageId: last.id,
        analyzedUntil: last.createdAt,
        now,
      });
      await this.#fillContact(scope, workspaceId, conversation.contactId, conversationId, analysis, input.messages, now);
      await this.#logInsight(scope, workspaceId, conversationId);
    });
  }

  /** Fills the contact's empty fields with confident values, marking each with its source message. */
  async #fillContact(
    scope: StoreScope, workspaceId: string, contactId: string, conversationId: string, analysis: Analysis, messages: Message[], now: string,
  ): Promise<void> {
    const contact = await scope.contacts.get(workspaceId, contactId);
    if (!contact) return;
    const fields: Partial<Pick<Contact, 'name' | 'email' | 'phone' | 'attributes'>> = {};
    const filled: AiFilledField[] = [];
    const mark = (field: string, value: string, messageId: string) => {
      filled.push({ contactId, field, value, messageId, conversationId, excerpt: excerptOf(messages.find((m) => m.id === messageId)), createdAt: now });
    };
    const country = await readingCountry(scope, contact);
    for (const column of COLUMNS) {
      const found = analysis.lead[column];
      if (!found || found.confidence < CONFIDENT || contact[column]) continue;
      // Read the way the rest of Charla reads them, so that they match the same person's elsewhere.
      const value = column === 'phone' ? readPhone(found.value, country) : column === 'email' ? normalizeEmail(found.value) : found.value;
      if (!value) continue;
      fields[column] = value;
      mark(column, value, found.messageId);
    }
    const attributes = { ...(contact.attributes ?? {}) };
    const previous = new Map((await scope.ai.filledFields(workspaceId, contactId)).map((entry) => [entry.field, entry.value]));
    for (const field of [...ATTRIBUTE_FIELDS, 'urgency' as const]) {
      const found = analysis.lead[field];
      if (!found) continue;
      // Urgency changes as the conversation goes on: the latest reading replaces an earlier AI
      // one, never a value an agent set.
      const current = attributes[field];
      const free = !current || (field === 'urgency' && previous.get(field) === current);
      if (!free || (field !== 'urgency' && found.confidence < CONFIDENT - 0.1)) continue;
      if (attributes[field] === found.value) continue;
      attributes[field] = found.value;
      fields.attributes = attributes;
      mark(field, found.value, found.messageId);
    }
    if (filled.length === 0) return;
    await scope.contacts.update(workspaceId, contactId, fields.name ? { ...fields, nameSource: 'ai' } : fields, now);
    for (const field of filled) await scope.ai.recordFilledField(workspaceId, field);
    // An email or phone is a strong key: the contact holding it already is the same person.
    const { contact: settled } = await settleKeys(scope, workspaceId, contactId, { actor: CHARLA, how: 'read by the AI in a message', via: 'ai' });
    await scope.audit.record({
      workspaceId, actorKind: 'system', actorId: null, action: 'contact.ai_fill', targetKind: 'contact', targetId: settled.id,
      data: { fields: filled.map((field) => field.field), provider: this.provider.name },
    });
  }

  async #createDeal(
    scope: StoreScope, workspaceId: string, conversationId: string, ownerId: string | null, settings: AiSettings, contact: Contact, analysis: Analysis,
  ): Promise<string | null> {
    const pipelines = await scope.deals.pipelines(workspaceId);
    const pipeline = pipelines.find((entry) => entry.id === settings.pipelineId) ?? pipelines[0];
    if (!pipeline) return null;
    const existing = await scope.deals.deals(workspaceId, { conversationId, status: 'open' }, 1);
    if (existing[0]) return existing[0].id;
    const title = [contact.name ?? analysis.lead.name?.value, analysis.lead.productInterest?.value].filter(Boolean).join(' — ') || pipeline.name;
    // The budget the customer gave is the deal's first value, in the pipeline's currency unless they named one.
    const local = (await scope.deals.automations(workspaceId)).find((entry) => entry.pipelineId === pipeline.id)?.settings.currency ?? 'USD';
    const budget = analysis.lead.budget ? budgetAmount(analysis.lead.budget.value, local) : null;
    const deal = await insertDeal(scope, { workspaceId, agentId: null, rule: AI_RULE }, {
      pipelineId: pipeline.id, title: title.slice(0, 200), amount: budget?.amount ?? 0, currency: budget?.currency ?? local, conversationId, ownerId,
    });
    return deal.id;
  }

  async #giveUp(job: Job, error: Error): Promise<void> {
    const { workspaceId, conversationId } = job.payload as EnrichPayload;
    await this.#store.transaction(async (scope) => {
      if (!(await scope.ai.insight(workspaceId, conversationId))) return;
      await scope.ai.saveFailure(workspaceId, conversationId, error.message, nowIso());
      await this.#logInsight(scope, workspaceId, conversationId);
    });
  }

  async #logInsight(scope: StoreScope, workspaceId: string, conversationId: string): Promise<void> {
    const stored = await scope.ai.insight(workspaceId, conversationId);
    if (!stored) return;
    const filledFields = await scope.ai.filledFields(workspaceId, stored.insight.contactId);
    scope.events.append(workspaceId, {
      type: 'ai.insight.upserted',
      conversationId,
      contactId: stored.insight.contactId,
      visibility: 'agents',
      data: { insight: stored.insight, filledFields },
    });
  }

  /** The conversation as a provider reads it: the newest messages, private notes left out. */
  async #read(workspaceId: string, conversationId: string): Promise<{ analysis: AnalysisInput; lines: ConversationLine[]; messages: Message[]; contact: Contact } | undefined> {
    const conversation = await this.#store.conversations.get(workspaceId, conversationId);
    if (!conversation) return undefined;
    const contact = await this.#store.contacts.get(workspaceId, conversation.contactId);
    if (!contact) return undefined;
    const newest = await this.#store.messages.newestFirst(workspaceId, conversationId, { limit: this.#historyLimit, includePrivate: false });
    const messages = newest.reverse().filter(
      (message) => !message.private && message.senderKind !== 'system' && message.body.trim().length > 0,
    );
    const lines: ConversationLine[] = messages.map((message) => ({
      id: message.id,
      from: message.direction === 'in' ? 'customer' : 'business',
      body: message.body,
      createdAt: message.createdAt,
    }));
    return {
      lines,
      messages,
      contact,
      analysis: {
        workspaceId,
        messages: lines,
        contact: { id: contact.id, name: contact.name, email: contact.email, phone: contact.phone, attributes: contact.attributes ?? {} },
        phoneCountry: await readingCountry(this.#store, contact),
        currency: (await this.#store.workspaces.byId(workspaceId))?.currency,
        topicWords: (await this.#store.ai.settings(workspaceId)).topicWords,
        deal: await this.#openDeal(workspaceId, conversationId),
      },
    };
  }

  /**
   * What replies may draw on: the knowledge chunks and the canned responses that share words
   * with the customer's latest messages (the same for every provider).
   */
  async #grounding(workspaceId: string, lines: readonly ConversationLine[]): Promise<Grounding> {
    const latest = lines.filter((line) => line.from === 'customer').slice(-2).map((line) => line.body).join('\n');
    const terms = new Set(searchTerms(latest));
    const [knowledge, canned] = await Promise.all([searchKnowledge(this.#store, workspaceId, latest, 3), this.#store.canned.list(workspaceId)]);
    const sharing = canned
      .map((response) => ({ response, shared: searchTerms(`${response.title} ${response.body}`, 40).filter((term) => terms.has(term)).length }))
      .filter(({ shared }) => shared > 0)
      .sort((a, b) => b.shared - a.shared)
      .slice(0, 3)
      .map(({ response }) => response);
    return { knowledge, canned: sharing };
  }

  /** The conversation's open deal with its stage's name (the next action depends on it). */
  async #openDeal(workspaceId: string, conversationId: string): Promise<AnalysisInput['deal']> {
    const [deal] = await this.#store.deals.deals(workspaceId, { conversationId, status: 'open' }, 1);
    if (!deal) return null;
    const pipeline = (await this.#store.deals.pipelines(workspaceId)).find((entry) => entry.id === deal.pipelineId);
    const stage = pipeline?.stages.find((entry) => entry.id === deal.stageId);
    return stage ? { id: deal.id, title: deal.title, stage: stage.name, amount: deal.amount, currency: deal.currency } : null;
  }

  // ------------------------------------------------------------------ agent requests

  async conversationInsight(agent: Agent, conversationId: string): Promise<ConversationInsight | null> {
    await requireVisibleConversation(this.#store, agent, conversationId);
    return (await this.#store.ai.insight(agent.workspaceId, conversationId))?.insight ?? null;
  }

  async contactInsights(agent: Agent, contactId: string): Promise<ContactInsights> {
    if (!(await this.#store.contacts.get(agent.workspaceId, contactId))) throw new CharlaFailure('not_found', 'Contact not found');
    const [stored, filledFields] = await Promise.all([
      this.#store.ai.latestOfContact(agent.workspaceId, contactId),
      this.#store.ai.filledFields(agent.workspaceId, contactId),
    ]);
    return { contactId, insight: stored?.insight ?? null, filledFields };
  }

  /** 1–3 replies grounded in the conversation and the contact's profile; the agent edits and sends. */
  async suggestReplies(agent: Agent, conversationId: string, count: number): Promise<ReplySuggestions> {
    await requireVisibleConversation(this.#store, agent, conversationId);
    const input = await this.#read(agent.workspaceId, conversationId);
    if (!input) throw new CharlaFailure('not_found', 'Conversation not found');
    if (this.#limiter.take(agent.workspaceId) > 0) throw new CharlaFailure('rate_limited', 'Too many AI requests in this workspace; try again in a minute');
    const stored = await this.#store.ai.insight(agent.workspaceId, conversationId);
    const analysis = stored?.insight.status === 'ready' && stored.insight.lead ? toAnalysis(stored.insight) : null;
    const grounding = await this.#grounding(agent.workspaceId, input.lines);
    try {
      const replies = (await this.provider.suggestReplies({ ...input.analysis, analysis, count, grounding })).slice(0, count);
      return { conversationId, suggestions: replies.map((reply) => reply.text), sources: replies.map((reply) => reply.sources), provider: this.provider.name };
    } catch (error) {
      throw this.#unavailable('Suggestions are unavailable', error);
    }
  }

  /**
   * "Draft quote": what the customer asked for, with quantities and the knowledge base's prices
   * (lines without one are left for the agent to price), in the open deal's currency.
   */
  async draftQuote(agent: Agent, conversationId: string): Promise<QuoteDraft> {
    await requireVisibleConversation(this.#store, agent, conversationId);
    const input = await this.#read(agent.workspaceId, conversationId);
    if (!input) throw new CharlaFailure('not_found', 'Conversation not found');
    if (this.#limiter.take(agent.workspaceId) > 0) throw new CharlaFailure('rate_limited', 'Too many AI requests in this workspace; try again in a minute');
    const customer = input.lines.filter((line) => line.from === 'customer').map((line) => line.body);
    const language = detectLanguage(customer);
    const deal = await openDealOf(this.#store, agent.workspaceId, conversationId);
    const currency = deal?.currency ?? input.analysis.currency ?? 'USD';
    const knowledge = await searchKnowledge(this.#store, agent.workspaceId, customer.slice(-4).join('\n'), 5);
    try {
      const items = await this.provider.draftQuote({ ...input.analysis, knowledge, currency, language });
      const priced = items.map((item) => ({ ...item, unitPrice: item.unitPrice ?? 0 }));
      return { conversationId, currency, language, items, total: quoteTotal(priced), dealId: deal?.id ?? null, provider: this.provider.name };
    } catch (error) {
      throw this.#unavailable('The quote draft is unavailable', error);
    }
  }

  /**
   * Drafts the re-engagement message a "Reactivate" task carries (called by the silent-deal
   * sweep with its clock): nothing for a contact who opted out of marketing; when the provider
   * fails, a follow-up without text that says why (the owner writes it). On WhatsApp it also picks the
   * approved template that goes instead outside the 24-hour window.
   */
  async draftFollowUp(task: Task, deal: Deal, now = Date.now()): Promise<FollowUpDraft | null> {
    const workspaceId = deal.workspaceId;
    if (!deal.conversationId || (await this.#store.followUps.byTask(workspaceId, task.id))) return null;
    const input = await this.#read(workspaceId, deal.conversationId);
    if (!input) return null;
    const { recipients } = await marketingAudience(this.#store, workspaceId, [input.contact.id]);
    if (recipients.length === 0) return null;
    const customer = input.lines.filter((line) => line.from === 'customer').map((line) => line.body);
    const language: QuoteLanguage = detectLanguage(customer);
    const last = input.lines.at(-1)?.createdAt;
    const daysSilent = last ? Math.max(0, Math.floor((now - Date.parse(last)) / 86_400_000)) : 0;
    // A provider failure still leaves the task its follow-up, without text and saying why: the
    // owner sees the reason where the draft would be and writes the message instead.
    let body = '';
    let failure: string | null = null;
    try {
      body = await this.provider.draftFollowUp({ ...input.analysis, language, daysSilent });
    } catch (error) {
      this.#logger.warn('Could not draft a re-engagement message', error);
      failure = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    }
    const conversation = await this.#store.conversations.get(workspaceId, deal.conversationId);
    const firstName = (input.contact.name ?? '').split(/\s+/)[0] ?? '';
    const template = conversation?.channel === 'whatsapp'
      ? followUpTemplate(await this.#store.channels.templates(workspaceId), language, firstName)
      : null;
    return this.#store.transaction(async (scope) => {
      if (await scope.followUps.byTask(workspaceId, task.id)) return null;
      const id = newId('fu');
      await scope.followUps.insert({
        id, workspaceId, conversationId: deal.conversationId!, dealId: deal.id, taskId: task.id, body: body.slice(0, 4096), template, status: 'pending',
        provider: this.provider.name, createdAt: new Date(now).toISOString(), decidedAt: null, decidedBy: null, messageId: null, error: failure,
      });
      return logFollowUp(scope, workspaceId, id);
    });
  }

  sendQuote(agent: Agent, request: QuoteSendInput): Promise<QuoteSent> {
    return sendQuote(this.#store, agent, request);
  }

  followUps(agent: Agent, conversationId: string): Promise<FollowUpDraft[]> {
    return pendingFollowUps(this.#store, agent, conversationId);
  }

  approveFollowUp(agent: Agent, request: FollowUpApproveInput): Promise<{ followUp: FollowUpDraft; message: Message }> {
    return approveFollowUp(this.#store, agent, request);
  }

  dismissFollowUp(agent: Agent, id: string): Promise<FollowUpDraft> {
    return dismissFollowUp(this.#store, agent, id);
  }

  /** A provider failure as the agent sees it: nothing changed, and why. */
  #unavailable(what: string, error: unknown): CharlaFailure {
    this.#logger.warn(what, error);
    const message = error instanceof Error ? error.message : String(error);
    return new CharlaFailure(error instanceof AiProviderError && /rate limit/.test(message) ? 'rate_limited' : 'offline', `${what}: ${message}`);
  }

  settings(agent: Agent): Promise<AiSettings> {
    return this.#store.ai.settings(agent.workspaceId);
  }

  async updateSettings(agent: Agent, update: AiSettingsUpdateRequest): Promise<AiSettings> {
    return this.#store.transaction(async (scope) => {
      const settings = { ...(await scope.ai.settings(agent.workspaceId)), ...update };
      if (settings.pipelineId && !(await scope.deals.pipeline(agent.workspaceId, settings.pipelineId))) {
        throw new CharlaFailure('invalid_payload', 'pipelineId: No pipeline of this workspace has this id');
      }
      await scope.ai.saveSettings(agent.workspaceId, settings, nowIso());
      await scope.audit.record({
        workspaceId: agent.workspaceId, actorKind: 'agent', actorId: agent.id, action: 'ai.settings', targetKind: 'workspace', targetId: agent.workspaceId,
        data: settings,
      });
      return settings;
    });
  }
}

/** A wait plus up to a fifth more, so jobs postponed together do not all come back at once. */
const spread = (ms: number) => Math.round(ms * (1 + Math.random() / 5));

function toAnalysis(insight: ConversationInsight): Analysis {
  return {
    lead: insight.lead!,
    summary: insight.summary ?? '',
    sentiment: insight.sentiment ?? 'neutral',
    sentimentTrend: insight.sentimentTrend ?? 'steady',
    topics: insight.topics,
    nextAction: insight.nextAction ?? '',
    intent: insight.qualification?.intent ?? 'low',
    objections: insight.qualification?.objection ? [insight.qualification.objection] : [],
    bant: insight.qualification?.bant ?? { budget: null, authority: null, need: null, timing: null },
  };
}
