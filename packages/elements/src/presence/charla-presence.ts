import { CharlaPresence } from './presence.component.js';

CharlaPresence.define('charla-presence');

declare global {
  interface HTMLElementTagNameMap {
    'charla-presence': CharlaPresence;
  }
}

export { CharlaPresence };
/** Adds a language or overrides some strings; see the README's "Languages". */
export { registerLocale } from '../i18n/strings.js';
