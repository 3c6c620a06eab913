import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import { CharlaThread as CharlaThreadElement } from '@charla/elements/thread.js';

/** `<charla-thread>` as a React component: properties are set as properties, events are `on…` props. */
export const CharlaThread = createComponent({
  react: React,
  tagName: 'charla-thread',
  elementClass: CharlaThreadElement,
  events: {
    onMessageSend: 'charla-message-send' as EventName<GlobalEventHandlersEventMap['charla-message-send']>,
    onMessageRetry: 'charla-message-retry' as EventName<GlobalEventHandlersEventMap['charla-message-retry']>,
  },
  displayName: 'CharlaThread',
});
