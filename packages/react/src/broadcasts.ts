import * as React from 'react';
import { createComponent } from '@lit/react';
import { CharlaBroadcasts as CharlaBroadcastsElement } from '@charla/elements/broadcasts.js';

/** `<charla-broadcasts>` as a React component: properties (`selection`, `selectionCount`) are set as properties. */
export const CharlaBroadcasts = createComponent({
  react: React,
  tagName: 'charla-broadcasts',
  elementClass: CharlaBroadcastsElement,
  events: {},
  displayName: 'CharlaBroadcasts',
});
