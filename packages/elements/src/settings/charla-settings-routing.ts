import { CharlaSettingsRouting } from './routing.component.js';

CharlaSettingsRouting.define('charla-settings-routing');

declare global {
  interface HTMLElementTagNameMap {
    'charla-settings-routing': CharlaSettingsRouting;
  }
}

export { CharlaSettingsRouting };
