import type {
  ChangeEvent, ContactInsights, FollowUpDraft, Message, QuoteDraft, QuoteSendRequest, QuoteSent, ReplySuggestions,
} from '@charla/protocol';
import type { CharlaClient } from './agent-client.js';
import type { Loadable } from './deals.js';
import { CharlaRequestError, toRequestError } from './errors.js';
import { newClientId } from './ids.js';

/** A contact's AI insights (latest analysis, AI-filled fields), loaded on first use and kept live. */
export interface InsightsEntry extends Loadable {
  contactId: string;
  data: ContactInsights | null;
}

/** A conversation's re-engagement drafts waiting for approval, loaded on first use and kept live. */
export interface FollowUpsEntry extends Loadable {
  conversationId: string;
  items: FollowUpDraft[];
}

type Requester = Pick<CharlaClient, 'request'>;

const loadable = () => ({ loaded: false, loading: false, error: null });

/**
 * The AI side of the agent client: `client.ai.insights(contactId)` for the contact panel, kept
 * live by `ai.insight.upserted`; `client.ai.suggestReplies(conversationId)` for the composer
 * (the agent edits and sends; nothing is sent here); `client.ai.quoteDraft(conversationId)` and
 * `client.ai.sendQuote(...)` for "Draft quote"; `client.ai.followUps(conversationId)`, kept live by
 * `ai.followup.upserted`, with `approveFollowUp` / `dismissFollowUp`.
 */
export class AiStore {
  readonly #insights = new Map<string, InsightsEntry>();
  readonly #followUps = new Map<string, FollowUpsEntry>();

  constructor(
    private readonly client: Requester,
    private readonly changed: () => void,
  ) {}

  insights(contactId: string): InsightsEntry {
    let entry = this.#insights.get(contactId);
    if (!entry) {
      entry = { contactId, data: null, ...loadable() };
      this.#insights.set(contactId, entry);
      void this.#fetch(entry);
    }
    return entry;
  }

  /** 1–3 suggested replies grounded in the conversation and the contact's profile. */
  async suggestReplies(conversationId: string, count = 3): Promise<string[]> {
    return (await this.replySuggestions(conversationId, count)).suggestions;
  }

  /** The same, with what each reply used (knowledge, canned responses, the profile, the open deal). */
  replySuggestions(conversationId: string, count = 3): Promise<ReplySuggestions> {
    return this.client.request('ai.suggestReplies', { conversationId, count });
  }

  /** A quote drafted from the conversation (items, quantities, the knowledge base's prices) for the agent to edit. */
  quoteDraft(conversationId: string): Promise<QuoteDraft> {
    return this.client.request('ai.quoteDraft', { conversationId });
  }

  /** Sends the edited quote as a message; its total becomes the conversation's deal amount. */
  sendQuote(request: Omit<QuoteSendRequest, 'clientId'> & { clientId?: string }): Promise<QuoteSent> {
    return this.client.request('quote.send', { ...request, clientId: request.clientId ?? newClientId() });
  }

  /** The conversation's re-engagement drafts waiting for approval. */
  followUps(conversationId: string): FollowUpsEntry {
    let entry = this.#followUps.get(conversationId);
    if (!entry) {
      entry = { conversationId, items: [], ...loadable() };
      this.#followUps.set(conversationId, entry);
      void this.#fetchFollowUps(entry);
    }
    return entry;
  }

  /** Sends the draft (`body`: the agent's edit; a template outside the WhatsApp window goes as approved). */
  async approveFollowUp(id: string, body?: string): Promise<{ followUp: FollowUpDraft; message: Message }> {
    const result = await this.client.request('ai.followUp.approve', { id, clientId: newClientId(), ...(body ? { body } : {}) });
    this.#settle(result.followUp);
    return result;
  }

  async dismissFollowUp(id: string): Promise<FollowUpDraft> {
    const followUp = await this.client.request('ai.followUp.dismiss', { id });
    this.#settle(followUp);
    return followUp;
  }

  /** After (re)starting a session: reload the insights and drafts shown. */
  reload(): void {
    for (const entry of this.#insights.values()) void this.#fetch(entry);
    for (const entry of this.#followUps.values()) void this.#fetchFollowUps(entry);
  }

  apply(event: ChangeEvent): void {
    if (event.type === 'ai.followup.upserted') {
      this.#settle(event.data.followUp);
      return;
    }
    if (event.type !== 'ai.insight.upserted') return;
    const { insight, filledFields } = event.data;
    const entry = this.#insights.get(insight.contactId);
    if (!entry) return;
    // The panel shows the contact's most recently analyzed conversation.
    if (!entry.data?.insight || entry.data.insight.updatedAt <= insight.updatedAt) {
      entry.data = { contactId: insight.contactId, insight, filledFields };
    } else entry.data = { ...entry.data, filledFields };
    entry.loaded = true;
  }

  /** A draft written or decided: pending ones are listed, decided ones leave the list. */
  #settle(followUp: FollowUpDraft): void {
    const entry = this.#followUps.get(followUp.conversationId);
    if (!entry) return;
    const others = entry.items.filter((item) => item.id !== followUp.id);
    entry.items = followUp.status === 'pending' ? [...others, followUp] : others;
    this.changed();
  }

  #fetchFollowUps(entry: FollowUpsEntry): Promise<void> {
    return this.#load(entry, async () => {
      entry.items = await this.client.request('ai.followUps', { conversationId: entry.conversationId });
    });
  }

  #fetch(entry: InsightsEntry): Promise<void> {
    return this.#load(entry, async () => {
      entry.data = await this.client.request('ai.contactInsights', { contactId: entry.contactId });
    });
  }

  /** Runs `read` for `entry`, keeping its loading, loaded and error state. */
  async #load(entry: Loadable, read: () => Promise<void>): Promise<void> {
    entry.loading = true;
    this.changed();
    try {
      await read();
      entry.loaded = true;
      entry.error = null;
    } catch (error) {
      entry.error = error instanceof CharlaRequestError ? error : toRequestError(error);
    } finally {
      entry.loading = false;
      this.changed();
    }
  }
}
