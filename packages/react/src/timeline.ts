import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import { CharlaTimeline as CharlaTimelineElement } from '@charla/elements/timeline.js';

/** `<charla-timeline>` as a React component: properties are set as properties, events are `on…` props. */
export const CharlaTimeline = createComponent({
  react: React,
  tagName: 'charla-timeline',
  elementClass: CharlaTimelineElement,
  events: {
    onTimelineOpen: 'charla-timeline-open' as EventName<GlobalEventHandlersEventMap['charla-timeline-open']>,
    onTimelineLoadMore: 'charla-timeline-load-more' as EventName<GlobalEventHandlersEventMap['charla-timeline-load-more']>,
  },
  displayName: 'CharlaTimeline',
});
