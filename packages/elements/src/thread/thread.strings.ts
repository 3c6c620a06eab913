import { defineStrings } from '../i18n/strings.js';

const en = {
  more: 'More',
  moreLabel: 'More conversation actions',
  snooze: 'Snooze…',
  newDeal: 'New deal…',
  newTask: 'New task…',
} as const;

export type ThreadString = keyof typeof en;

/** The thread's own strings (en/es/pt), beside the shared ones in i18n/strings.ts. */
export const threadString = defineStrings<ThreadString>('thread', en, {
  es: () => import('./thread.es.js'),
  pt: () => import('./thread.pt.js'),
});
