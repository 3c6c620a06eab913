import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import { CharlaPresence as CharlaPresenceElement } from '@charla/elements/presence.js';

/** `<charla-presence>` as a React component: properties are set as properties, events are `on…` props. */
export const CharlaPresence = createComponent({
  react: React,
  tagName: 'charla-presence',
  elementClass: CharlaPresenceElement,
  events: {
    onPresenceChange: 'charla-presence-change' as EventName<GlobalEventHandlersEventMap['charla-presence-change']>,
  },
  displayName: 'CharlaPresence',
});
