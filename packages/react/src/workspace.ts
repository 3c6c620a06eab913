import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import { CharlaWorkspace as CharlaWorkspaceElement } from '@charla/elements/workspace.js';

/** `<charla-workspace>` as a React component: properties are set as properties, events are `on…` props. */
export const CharlaWorkspace = createComponent({
  react: React,
  tagName: 'charla-workspace',
  elementClass: CharlaWorkspaceElement,
  events: {
    onPaneChange: 'charla-pane-change' as EventName<GlobalEventHandlersEventMap['charla-pane-change']>,
  },
  displayName: 'CharlaWorkspace',
});
