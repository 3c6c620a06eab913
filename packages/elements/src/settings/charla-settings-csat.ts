import { CharlaSettingsCsat } from './csat.component.js';

CharlaSettingsCsat.define('charla-settings-csat');

declare global {
  interface HTMLElementTagNameMap {
    'charla-settings-csat': CharlaSettingsCsat;
  }
}

export { CharlaSettingsCsat };
