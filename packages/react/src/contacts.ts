import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import { CharlaContacts as CharlaContactsElement } from '@charla/elements/contacts.js';

/** `<charla-contacts>` as a React component: properties are set as properties, events are `on…` props. */
export const CharlaContacts = createComponent({
  react: React,
  tagName: 'charla-contacts',
  elementClass: CharlaContactsElement,
  events: {
    onContactOpen: 'charla-contact-open' as EventName<GlobalEventHandlersEventMap['charla-contact-open']>,
    onBroadcastCompose: 'charla-broadcast-compose' as EventName<GlobalEventHandlersEventMap['charla-broadcast-compose']>,
  },
  displayName: 'CharlaContacts',
});
