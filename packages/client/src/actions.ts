import type { Conversation, MessageLink } from '@charla/protocol';

/** What a quick action sends once it ran: a text, or a text with a link card. */
export type QuickActionMessage = string | { body?: string; link?: MessageLink };

/**
 * A quick action a host registers for the thread (its toolbar and the composer's `/` menu):
 * `run` does the host's work (ask the payment provider for a link…) and may answer a message,
 * which is sent in the conversation as the agent's reply through the normal send path.
 */
export interface QuickAction {
  /** Unique per client: registering the same id again replaces the action. */
  id: string;
  label: string;
  /** A short glyph shown before the label (an emoji, or one or two characters). */
  icon?: string;
  run(conversation: Conversation): Promise<{ message?: QuickActionMessage } | void>;
}

/** Where an action stands in one conversation: running, or failed with the reason `run` gave. */
export type QuickActionState = { running: true; error: null } | { running: false; error: string };

/** The text and link card a returned message sends; null when it sends nothing. */
export function actionReply(message: QuickActionMessage | undefined): { body: string; link?: MessageLink } | null {
  if (message === undefined) return null;
  if (typeof message === 'string') return message.trim() ? { body: message } : null;
  const { link } = message;
  if (link && (!/^https?:\/\//i.test(link.url ?? '') || !link.title?.trim())) throw new Error('The action answered a link without a title or an http(s) URL');
  const body = message.body?.trim() || (link ? `${link.title}\n${link.url}` : '');
  if (!body) return null;
  return link ? { body, link } : { body };
}

const key = (actionId: string, conversationId: string) => `${actionId}\u0000${conversationId}`;

/** The registered actions and their runs per conversation. */
export class QuickActionRegistry {
  readonly #actions = new Map<string, QuickAction>();
  readonly #states = new Map<string, QuickActionState>();
  readonly #changed: () => void;

  constructor(changed: () => void) {
    this.#changed = changed;
  }

  /** Adds (or replaces) an action; returns the function that removes it. */
  register(action: QuickAction): () => void {
    if (!action || typeof action.id !== 'string' || !action.id || typeof action.label !== 'string' || !action.label.trim() || typeof action.run !== 'function') {
      throw new TypeError('registerAction: give the action an id, a label and a run(conversation) function');
    }
    this.#actions.set(action.id, action);
    this.#changed();
    return () => {
      if (this.#actions.get(action.id) === action) this.unregister(action.id);
    };
  }

  unregister(id: string): boolean {
    const removed = this.#actions.delete(id);
    if (removed) this.#changed();
    return removed;
  }

  list(): QuickAction[] {
    return [...this.#actions.values()];
  }

  state(actionId: string, conversationId: string): QuickActionState | undefined {
    return this.#states.get(key(actionId, conversationId));
  }

  clearError(actionId: string, conversationId: string): void {
    if (this.#states.get(key(actionId, conversationId))?.running === false && this.#states.delete(key(actionId, conversationId))) this.#changed();
  }

  /**
   * Runs an action for a conversation (once at a time per conversation) and hands what it
   * answered to `send`; a rejection is kept as the action's error and nothing is sent.
   */
  async run(actionId: string, conversation: Conversation, send: (reply: { body: string; link?: MessageLink }) => void): Promise<void> {
    const action = this.#actions.get(actionId);
    if (!action) throw new Error(`No quick action "${actionId}" is registered`);
    const k = key(actionId, conversation.id);
    if (this.#states.get(k)?.running) return;
    this.#states.set(k, { running: true, error: null });
    this.#changed();
    try {
      const result = await action.run(conversation);
      const reply = actionReply(result?.message);
      if (reply) send(reply);
      this.#states.delete(k);
    } catch (error) {
      this.#states.set(k, { running: false, error: error instanceof Error ? error.message : String(error) });
    } finally {
      this.#changed();
    }
  }
}
