import { CharlaContactPanel } from './contact-panel.component.js';

CharlaContactPanel.define('charla-contact-panel');

declare global {
  interface HTMLElementTagNameMap {
    'charla-contact-panel': CharlaContactPanel;
  }
}

export { CharlaContactPanel };
