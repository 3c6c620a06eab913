import { CharlaSettingsPrivacy } from './privacy.component.js';

CharlaSettingsPrivacy.define('charla-settings-privacy');

declare global {
  interface HTMLElementTagNameMap {
    'charla-settings-privacy': CharlaSettingsPrivacy;
  }
}

export { CharlaSettingsPrivacy };
