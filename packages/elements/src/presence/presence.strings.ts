import { defineStrings } from '../i18n/strings.js';

const en = {
  myStatus: 'My status',
  online: 'Available',
  away: 'Away',
  offline: 'Offline',
  awayHint: 'No new conversations are assigned to you while you are away.',
  team: 'Team',
  teamSummary: '{online} of {total} available',
  you: '{name} (you)',
  failed: 'Could not change your status. Try again.',
} as const;

export type PresenceString = keyof typeof en;

/** The component's own strings, kept beside it; `{name}` placeholders are filled from `values`. */
export const presenceString = defineStrings<PresenceString>('presence', en, {
  es: () => import('./presence.es.js'),
  pt: () => import('./presence.pt.js'),
});
