import { defineStrings } from '../i18n/strings.js';

const en = {
  privacy: 'Privacy',
  exportHint: 'Everything Charla keeps about this person (details, conversations, notes, deals, purchases, files) in one archive, for their right of access.',
  download: 'Download data',
  preparing: 'Preparing…',
  preparingHint: 'Preparing the archive; it downloads when it is ready.',
  downloaded: 'The archive was downloaded.',
  exportFailed: 'The export failed',
  exportFailedWith: 'The data could not be exported: {reason}',
  erase: 'Erase this person…',
  eraseQuestion: 'Erase {name} and everything Charla keeps about them? Conversations, messages, files, notes, deals and purchases go, and cannot come back. The activity keeps only that it happened.',
  thisPerson: 'this person',
  block: 'Also refuse their messages from now on',
  eraseConfirm: 'Erase for good',
  erasing: 'Erasing…',
  cancel: 'Cancel',
  eraseFailed: 'The person could not be erased: {reason}',
};
export type PrivacyString = keyof typeof en;

/** The contact panel's privacy strings (data export, erasure); `{name}` placeholders are filled from `values`. */
export const privacyString = defineStrings<PrivacyString>('privacy', en, {
  es: () => import('./privacy.es.js'),
  pt: () => import('./privacy.pt.js'),
});
