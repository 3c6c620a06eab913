import { defineStrings } from '../i18n/strings.js';

const en = {
  agenda: 'My agenda',
  overdue: 'Overdue',
  today: 'Today',
  upcoming: 'Upcoming',
  none: 'Nothing here',
  noDate: 'No due date',
  done: 'Mark “{title}” done',
  open: 'Open the conversation',
  byRule: 'automatic',
  loading: 'Loading…',
} as const;

export type AgendaString = keyof typeof en;

/** The component's own strings, kept beside it; `{name}` placeholders are filled from `values`. */
export const agendaString = defineStrings<AgendaString>('agenda', en, {
  es: () => import('./agenda.es.js'),
  pt: () => import('./agenda.pt.js'),
});
