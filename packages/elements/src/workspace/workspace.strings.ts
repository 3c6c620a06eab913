import { defineStrings } from '../i18n/strings.js';

const en = {
  inbox: 'Conversations',
  thread: 'Conversation',
  panel: 'Contact',
  back: 'Conversations',
  backLabel: 'Back to the conversations',
  showContact: 'Contact',
  showContactLabel: 'Show the contact',
  closeContact: 'Conversation',
  closeContactLabel: 'Back to the conversation',
} as const;

export type WorkspaceString = keyof typeof en;

/** The workspace's own strings (en/es/pt); `{name}` placeholders are filled from `values`. */
export const workspaceString = defineStrings<WorkspaceString>('workspace', en, {
  es: () => import('./workspace.es.js'),
  pt: () => import('./workspace.pt.js'),
});
