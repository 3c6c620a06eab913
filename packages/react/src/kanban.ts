import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import { CharlaKanban as CharlaKanbanElement } from '@charla/elements/kanban.js';

/** `<charla-kanban>` as a React component: properties are set as properties, events are `on…` props. */
export const CharlaKanban = createComponent({
  react: React,
  tagName: 'charla-kanban',
  elementClass: CharlaKanbanElement,
  events: {
    onDealMove: 'charla-deal-move' as EventName<GlobalEventHandlersEventMap['charla-deal-move']>,
    onDealMoved: 'charla-deal-moved' as EventName<GlobalEventHandlersEventMap['charla-deal-moved']>,
    onDealOpen: 'charla-deal-open' as EventName<GlobalEventHandlersEventMap['charla-deal-open']>,
    onPipelineSelect: 'charla-pipeline-select' as EventName<GlobalEventHandlersEventMap['charla-pipeline-select']>,
  },
  displayName: 'CharlaKanban',
});
