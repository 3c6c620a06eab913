import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import { CharlaSettings as CharlaSettingsElement } from '@charla/elements/settings.js';

/** `<charla-settings>` as a React component: properties are set as properties, events are `on…` props. */
export const CharlaSettings = createComponent({
  react: React,
  tagName: 'charla-settings',
  elementClass: CharlaSettingsElement,
  events: {
    onSectionChange: 'charla-settings-section-change' as EventName<GlobalEventHandlersEventMap['charla-settings-section-change']>,
  },
  displayName: 'CharlaSettings',
});
