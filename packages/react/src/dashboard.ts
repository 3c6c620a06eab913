import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import { CharlaDashboard as CharlaDashboardElement } from '@charla/elements/dashboard.js';

/** `<charla-dashboard>` as a React component: properties are set as properties, events are `on…` props. */
export const CharlaDashboard = createComponent({
  react: React,
  tagName: 'charla-dashboard',
  elementClass: CharlaDashboardElement,
  events: {
    onDealOpen: 'charla-deal-open' as EventName<GlobalEventHandlersEventMap['charla-deal-open']>,
    onPipelineSelect: 'charla-pipeline-select' as EventName<GlobalEventHandlersEventMap['charla-pipeline-select']>,
    onRangeChange: 'charla-range-change' as EventName<GlobalEventHandlersEventMap['charla-range-change']>,
    onTargetChange: 'charla-target-change' as EventName<GlobalEventHandlersEventMap['charla-target-change']>,
    onHoursChange: 'charla-hours-change' as EventName<GlobalEventHandlersEventMap['charla-hours-change']>,
    onContactOpen: 'charla-contact-open' as EventName<GlobalEventHandlersEventMap['charla-contact-open']>,
    onConversationSelect: 'charla-conversation-select' as EventName<GlobalEventHandlersEventMap['charla-conversation-select']>,
  },
  displayName: 'CharlaDashboard',
});
