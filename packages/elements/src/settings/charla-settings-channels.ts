import { CharlaSettingsChannels } from './channels.component.js';

CharlaSettingsChannels.define('charla-settings-channels');

declare global {
  interface HTMLElementTagNameMap {
    'charla-settings-channels': CharlaSettingsChannels;
  }
}

export { CharlaSettingsChannels };
