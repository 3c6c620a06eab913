import { defineStrings } from '../i18n/strings.js';

const en = {
  who: 'Who',
  anyone: 'Anyone',
  what: 'What',
  anything: 'Anything',
  from: 'From',
  to: 'Until',
  when: 'When',
  record: 'Record',
  details: 'Details',
  system: 'Charla (automatic)',
  visitor: 'Web visitor',
  formerAgent: 'A former agent',
  redacted: 'Erased person: details removed',
  noEntries: 'Nothing recorded for these filters',
  older: 'Show older',
  filter: 'Filter the activity',
  entries: 'Activity, newest first',
  'action.contact': 'Contacts: edits, merges, erasures',
  'action.contacts.export': 'Contacts exported',
  'action.contacts.search': 'Contacts searched',
  'action.contact.data_export': 'Personal data exported',
  'action.contact.erase': 'Contact erased',
  'action.conversation': 'Conversations',
  'action.deal': 'Deals',
  'action.workspace': 'Workspace settings',
  'action.privacy': 'Privacy settings',
  'action.retention': 'Retention',
  'action.agent': 'Agents',
  refused: 'refused',
  retentionMonths: 'Keep quiet contacts and conversations for (months; empty: for ever)',
  retentionAction: 'Then',
  'retention.delete': 'Erase them',
  'retention.anonymize': 'Anonymize them',
  retentionExplain: 'An hourly sweep takes contacts with no message, change or open conversation for that long: erased, they go with everything of theirs; anonymized, their conversations stay for the metrics without names or what was said. Quiet conversations of people still around lose their text. It is all recorded in the activity.',
};
export type PrivacySettingsString = keyof typeof en;

/** Strings of the Activity and Privacy settings sections; `{name}` placeholders are filled from `values`. */
export const privacySettingsString = defineStrings<PrivacySettingsString>('privacySettings', en, {
  es: () => import('./privacy-settings.es.js'),
  pt: () => import('./privacy-settings.pt.js'),
});
