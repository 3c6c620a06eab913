import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import { CharlaContactPanel as CharlaContactPanelElement } from '@charla/elements/contact-panel.js';

/** `<charla-contact-panel>` as a React component: properties are set as properties, events are `on…` props. */
export const CharlaContactPanel = createComponent({
  react: React,
  tagName: 'charla-contact-panel',
  elementClass: CharlaContactPanelElement,
  events: {
    onContactEdit: 'charla-contact-edit' as EventName<GlobalEventHandlersEventMap['charla-contact-edit']>,
    onNoteCreate: 'charla-note-create' as EventName<GlobalEventHandlersEventMap['charla-note-create']>,
    onContactMerge: 'charla-contact-merge' as EventName<GlobalEventHandlersEventMap['charla-contact-merge']>,
    onMessageReveal: 'charla-message-reveal' as EventName<GlobalEventHandlersEventMap['charla-message-reveal']>,
  },
  displayName: 'CharlaContactPanel',
});
