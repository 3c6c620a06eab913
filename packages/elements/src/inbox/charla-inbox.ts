import { CharlaInbox } from './inbox.component.js';

CharlaInbox.define('charla-inbox');

declare global {
  interface HTMLElementTagNameMap {
    'charla-inbox': CharlaInbox;
  }
}

export { CharlaInbox };
/** Adds a language or overrides some strings; see the README's "Languages". */
export { registerLocale } from '../i18n/strings.js';
