import type { ChangeEvent, ContactInsights, ReplySuggestions } from '@charla/protocol';
import type { CharlaClient } from './agent-client.js';
import type { Loadable } from './deals.js';
import { CharlaRequestError, toRequestError } from './errors.js';

/** A contact's AI insights (latest analysis, AI-filled fields), loaded on first use and kept live. */
export interface InsightsEntry extends Loadable {
  contactId: string;
  data: ContactInsights | null;
}

type Requester = Pick<CharlaClient, 'request'>;

const loadable = () => ({ loaded: false, loading: false, error: null });

/**
 * The AI side of the agent client: `client.ai.insights(contactId)` for the contact panel, kept
 * live by `ai.insight.upserted`; `client.ai.suggestReplies(conversationId)` for the composer
 * (the agent edits and sends; nothing is sent here).
 */
export class AiStore {
  readonly #insights = new Map<string, InsightsEntry>();

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

  /** After (re)starting a session: reload the insights shown. */
  reload(): void {
    for (const entry of this.#insights.values()) void this.#fetch(entry);
  }

  apply(event: ChangeEvent): void {
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

  async #fetch(entry: InsightsEntry): Promise<void> {
    entry.loading = true;
    this.changed();
    try {
      entry.data = await this.client.request('ai.contactInsights', { contactId: entry.contactId });
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
