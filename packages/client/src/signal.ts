export type Listener = () => void;

/**
 * A change notifier: listeners run once per microtask however many changes happened,
 * so a burst of socket events costs one render.
 */
export class ChangeSignal {
  readonly #listeners = new Set<Listener>();
  #scheduled = false;

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  notify(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      for (const listener of [...this.#listeners]) listener();
    });
  }
}
