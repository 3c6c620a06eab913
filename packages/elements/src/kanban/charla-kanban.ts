import { CharlaKanban } from './kanban.component.js';

CharlaKanban.define('charla-kanban');

declare global {
  interface HTMLElementTagNameMap {
    'charla-kanban': CharlaKanban;
  }
}

export { CharlaKanban };
/** Adds a language or overrides some strings; see the README's "Languages". */
export { registerLocale } from '../i18n/strings.js';
