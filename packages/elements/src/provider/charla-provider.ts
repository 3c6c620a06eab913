import { CharlaProvider } from './provider.component.js';

CharlaProvider.define('charla-provider');

declare global {
  interface HTMLElementTagNameMap {
    'charla-provider': CharlaProvider;
  }
}

export { CharlaProvider };
/** Adds a language or overrides some strings; see the README's "Languages". */
export { registerLocale } from '../i18n/strings.js';
