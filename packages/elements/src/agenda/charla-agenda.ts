import { CharlaAgenda } from './agenda.component.js';

CharlaAgenda.define('charla-agenda');

declare global {
  interface HTMLElementTagNameMap {
    'charla-agenda': CharlaAgenda;
  }
}

export { CharlaAgenda };
/** Adds a language or overrides some strings; see the README's "Languages". */
export { registerLocale } from '../i18n/strings.js';
