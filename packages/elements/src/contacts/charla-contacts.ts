import { CharlaContacts } from './contacts.component.js';

CharlaContacts.define('charla-contacts');

declare global {
  interface HTMLElementTagNameMap {
    'charla-contacts': CharlaContacts;
  }
}

export { CharlaContacts };
/** Adds a language or overrides some strings; see the README's "Languages". */
export { registerLocale } from '../i18n/strings.js';
