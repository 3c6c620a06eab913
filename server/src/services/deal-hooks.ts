/**
 * In-process hooks on deal outcomes for other domains (closing the ad loop: a deal won from a
 * Click-to-WhatsApp conversation is reported to Meta as a Purchase). Listeners run after the
 * change is committed, once per change, in commit order; an error thrown by one is reported to
 * `onError` and never affects the change or other listeners.
 */
import type { Deal } from '@charla/protocol';
import type { Store } from '../store/index.js';

export interface DealWon {
  deal: Deal;
  /** The conversation the deal came from (look up its referral there), or null. */
  conversationId: string | null;
  /** The agent who moved it to won, or null when an automation rule did. */
  actorId: string | null;
  rule: string | null;
}

export type DealWonListener = (won: DealWon) => void | Promise<void>;

/**
 * Calls `listener` each time a deal enters a won stage. Returns the function that stops listening.
 *
 * ```ts
 * onDealWon(store, async ({ deal, conversationId }) => { ... });
 * ```
 */
export function onDealWon(store: Store, listener: DealWonListener, onError: (error: unknown) => void = () => undefined): () => void {
  return store.onCommit((entries) => {
    for (const { event } of entries) {
      if (event.type !== 'deal.upserted' || !event.data.move || event.data.deal.status !== 'won') continue;
      const { deal, move } = event.data;
      try {
        void Promise.resolve(listener({ deal, conversationId: deal.conversationId, actorId: move.actorId, rule: move.rule })).catch(onError);
      } catch (error) {
        onError(error);
      }
    }
  });
}
