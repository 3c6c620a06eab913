import type { ReactiveController, ReactiveElement } from 'lit';
import { resolveLocale, STRINGS, type Locale, type WebchatStrings } from './i18n.js';

/**
 * Picks the locale from the element's `lang`, then the document's, then the browser's, and
 * re-renders its host when either `lang` attribute changes (single-page sites switch languages).
 */
export class LocaleController implements ReactiveController {
  readonly #host: ReactiveElement;
  readonly #observer = new MutationObserver(() => this.#host.requestUpdate());

  constructor(host: ReactiveElement) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {
    const options = { attributes: true, attributeFilter: ['lang'] };
    this.#observer.observe(this.#host, options);
    this.#observer.observe(document.documentElement, options);
  }

  hostDisconnected(): void {
    this.#observer.disconnect();
  }

  get locale(): Locale {
    return resolveLocale(this.#host.lang, document.documentElement.lang, navigator.language);
  }

  get strings(): WebchatStrings {
    return STRINGS[this.locale];
  }
}
