import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import { CharlaCompanies as CharlaCompaniesElement } from '@charla/elements/companies.js';

/** `<charla-companies>` as a React component: properties are set as properties, events are `on…` props. */
export const CharlaCompanies = createComponent({
  react: React,
  tagName: 'charla-companies',
  elementClass: CharlaCompaniesElement,
  events: {
    onCompanySelect: 'charla-company-select' as EventName<GlobalEventHandlersEventMap['charla-company-select']>,
    onContactOpen: 'charla-contact-open' as EventName<GlobalEventHandlersEventMap['charla-contact-open']>,
  },
  displayName: 'CharlaCompanies',
});
