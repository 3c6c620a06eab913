import { CharlaSettingsHours } from './hours.component.js';

CharlaSettingsHours.define('charla-settings-hours');

declare global {
  interface HTMLElementTagNameMap {
    'charla-settings-hours': CharlaSettingsHours;
  }
}

export { CharlaSettingsHours };
