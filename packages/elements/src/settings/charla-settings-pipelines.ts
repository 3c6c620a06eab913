import { CharlaSettingsPipelines } from './pipelines.component.js';

CharlaSettingsPipelines.define('charla-settings-pipelines');

declare global {
  interface HTMLElementTagNameMap {
    'charla-settings-pipelines': CharlaSettingsPipelines;
  }
}

export { CharlaSettingsPipelines };
