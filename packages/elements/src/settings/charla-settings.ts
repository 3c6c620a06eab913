import { CharlaSettings } from './settings.component.js';
import './charla-settings-team.js';
import './charla-settings-routing.js';
import './charla-settings-hours.js';
import './charla-settings-channels.js';
import './charla-settings-widget.js';
import './charla-settings-canned.js';
import './charla-settings-pipelines.js';
import './charla-settings-ai.js';
import './charla-settings-csat.js';
import './charla-settings-privacy.js';
import './charla-settings-activity.js';

CharlaSettings.define('charla-settings');

declare global {
  interface HTMLElementTagNameMap {
    'charla-settings': CharlaSettings;
  }
}

export { CharlaSettings };
export { CharlaSettingsTeam } from './charla-settings-team.js';
export { CharlaSettingsRouting } from './charla-settings-routing.js';
export { CharlaSettingsHours } from './charla-settings-hours.js';
export { CharlaSettingsChannels } from './charla-settings-channels.js';
export { CharlaSettingsWidget } from './charla-settings-widget.js';
export { CharlaSettingsCanned } from './charla-settings-canned.js';
export { CharlaSettingsPipelines } from './charla-settings-pipelines.js';
export { CharlaSettingsAi } from './charla-settings-ai.js';
export { CharlaSettingsCsat } from './charla-settings-csat.js';
export { CharlaSettingsPrivacy } from './charla-settings-privacy.js';
export { CharlaSettingsActivity } from './charla-settings-activity.js';
/** Adds a language or overrides some strings; see the README's "Languages". */
export { registerLocale } from '../i18n/strings.js';
