import type { TypingSignal } from '@charla/protocol';

/** Who is typing, as views show it. */
export interface Typist {
  name: string | null;
  /** When the last signal arrived (ms since the epoch). */
  at: number;
}

/** A typist is forgotten this long after their last signal (senders repeat it while typing). */
export const TYPING_TTL_MS = 6000;
/** A sender repeats its signal at most this often while the user keeps typing. */
export const TYPING_REPEAT_MS = 2500;

/**
 * Typing signals per conversation: kept until the typist's message arrives or they go quiet for
 * a few seconds. `onChange` is called whenever what views show changes.
 */
export class TypingTracker {
  readonly #typists = new Map<string, { typist: Typist; id: string; timer: ReturnType<typeof setTimeout> }>();
  readonly #lastSent = new Map<string, number>();

  constructor(private readonly onChange: () => void) {}

  get(conversationId: string): Typist | null {
    return this.#typists.get(conversationId)?.typist ?? null;
  }

  receive(signal: TypingSignal): void {
    const previous = this.#typists.get(signal.conversationId);
    if (previous) clearTimeout(previous.timer);
    const timer = setTimeout(() => this.clear(signal.conversationId), TYPING_TTL_MS);
    this.#typists.set(signal.conversationId, { typist: { name: signal.name, at: Date.now() }, id: signal.id, timer });
    this.onChange();
  }

  /** Forgets the typist of a conversation (all, or only when `senderId` is the one typing). */
  clear(conversationId: string, senderId?: string | null): void {
    const entry = this.#typists.get(conversationId);
    if (!entry || (senderId !== undefined && senderId !== entry.id)) return;
    clearTimeout(entry.timer);
    this.#typists.delete(conversationId);
    this.onChange();
  }

  /** Whether a signal for `key` should go out now (at most one per TYPING_REPEAT_MS). */
  shouldSend(key: string): boolean {
    const now = Date.now();
    if (now - (this.#lastSent.get(key) ?? 0) < TYPING_REPEAT_MS) return false;
    this.#lastSent.set(key, now);
    return true;
  }

  /** After a send, the next keystroke signals again at once. */
  sent(key: string): void {
    this.#lastSent.delete(key);
  }
}
