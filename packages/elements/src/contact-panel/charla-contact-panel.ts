import { CharlaContactPanel } from './contact-panel.component.js';

CharlaContactPanel.define('charla-contact-panel');

declare global {
  interface HTMLElementTagNameMap {
    'charla-contact-panel': CharlaContactPanel;
  }
}

export { CharlaContactPanel };
/** Adds a language or overrides some strings; see the README's "Languages". */
export { registerLocale } from '../i18n/strings.js';
