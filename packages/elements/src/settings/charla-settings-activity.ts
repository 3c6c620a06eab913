import { CharlaSettingsActivity } from './activity.component.js';

CharlaSettingsActivity.define('charla-settings-activity');

declare global {
  interface HTMLElementTagNameMap {
    'charla-settings-activity': CharlaSettingsActivity;
  }
}

export { CharlaSettingsActivity };
