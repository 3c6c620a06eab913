import { CharlaSettingsTeam } from './team.component.js';

CharlaSettingsTeam.define('charla-settings-team');

declare global {
  interface HTMLElementTagNameMap {
    'charla-settings-team': CharlaSettingsTeam;
  }
}

export { CharlaSettingsTeam };
