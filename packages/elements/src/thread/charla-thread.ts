import { CharlaThread } from './thread.component.js';

CharlaThread.define('charla-thread');

declare global {
  interface HTMLElementTagNameMap {
    'charla-thread': CharlaThread;
  }
}

export { CharlaThread };
/** Adds a language or overrides some strings; see the README's "Languages". */
export { registerLocale } from '../i18n/strings.js';
