import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import { CharlaAgenda as CharlaAgendaElement } from '@charla/elements/agenda.js';

/** `<charla-agenda>` as a React component: properties are set as properties, events are `on…` props. */
export const CharlaAgenda = createComponent({
  react: React,
  tagName: 'charla-agenda',
  elementClass: CharlaAgendaElement,
  events: {
    onTaskOpen: 'charla-task-open' as EventName<GlobalEventHandlersEventMap['charla-task-open']>,
    onTaskDone: 'charla-task-done' as EventName<GlobalEventHandlersEventMap['charla-task-done']>,
  },
  displayName: 'CharlaAgenda',
});
