import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import { CharlaInbox as CharlaInboxElement } from '@charla/elements/inbox.js';

/** `<charla-inbox>` as a React component: properties are set as properties, events are `on…` props. */
export const CharlaInbox = createComponent({
  react: React,
  tagName: 'charla-inbox',
  elementClass: CharlaInboxElement,
  events: {
    onConversationSelect: 'charla-conversation-select' as EventName<GlobalEventHandlersEventMap['charla-conversation-select']>,
  },
  displayName: 'CharlaInbox',
});
