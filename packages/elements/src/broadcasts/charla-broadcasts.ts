import { CharlaBroadcasts } from './broadcasts.component.js';

CharlaBroadcasts.define('charla-broadcasts');

declare global {
  interface HTMLElementTagNameMap {
    'charla-broadcasts': CharlaBroadcasts;
  }
}

export { CharlaBroadcasts };
/** Adds a language or overrides some strings; see the README's "Languages". */
export { registerLocale } from '../i18n/strings.js';
