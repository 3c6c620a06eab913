import { CharlaSettingsAi } from './ai.component.js';

CharlaSettingsAi.define('charla-settings-ai');

declare global {
  interface HTMLElementTagNameMap {
    'charla-settings-ai': CharlaSettingsAi;
  }
}

export { CharlaSettingsAi };
