import { CharlaSettingsCanned } from './canned.component.js';

CharlaSettingsCanned.define('charla-settings-canned');

declare global {
  interface HTMLElementTagNameMap {
    'charla-settings-canned': CharlaSettingsCanned;
  }
}

export { CharlaSettingsCanned };
