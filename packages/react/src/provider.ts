import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import { CharlaProvider as CharlaProviderElement } from '@charla/elements/provider.js';

/** `<charla-provider>` as a React component: properties are set as properties, events are `on…` props. */
export const CharlaProvider = createComponent({
  react: React,
  tagName: 'charla-provider',
  elementClass: CharlaProviderElement,
  events: {
    onNotification: 'charla-notification' as EventName<GlobalEventHandlersEventMap['charla-notification']>,
  },
  displayName: 'CharlaProvider',
});
