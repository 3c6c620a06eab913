import { CharlaDashboard } from './dashboard.component.js';

CharlaDashboard.define('charla-dashboard');

declare global {
  interface HTMLElementTagNameMap {
    'charla-dashboard': CharlaDashboard;
  }
}

export { CharlaDashboard };
/** Adds a language or overrides some strings; see the README's "Languages". */
export { registerLocale } from '../i18n/strings.js';
