import { CharlaSettingsWidget } from './widget.component.js';

CharlaSettingsWidget.define('charla-settings-widget');

declare global {
  interface HTMLElementTagNameMap {
    'charla-settings-widget': CharlaSettingsWidget;
  }
}

export { CharlaSettingsWidget };
