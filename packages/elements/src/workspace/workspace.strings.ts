import { stringsOf } from '../i18n/strings.js';

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

const es: Record<WorkspaceString, string> = {
  inbox: 'Conversaciones',
  thread: 'Conversación',
  panel: 'Cliente',
  back: 'Conversaciones',
  backLabel: 'Volver a las conversaciones',
  showContact: 'Cliente',
  showContactLabel: 'Ver el cliente',
  closeContact: 'Conversación',
  closeContactLabel: 'Volver a la conversación',
};

const pt: Record<WorkspaceString, string> = {
  inbox: 'Conversas',
  thread: 'Conversa',
  panel: 'Cliente',
  back: 'Conversas',
  backLabel: 'Voltar para as conversas',
  showContact: 'Cliente',
  showContactLabel: 'Ver o cliente',
  closeContact: 'Conversa',
  closeContactLabel: 'Voltar para a conversa',
};

/** The workspace's own strings (en/es/pt); `{name}` placeholders are filled from `values`. */
export const workspaceString = stringsOf<WorkspaceString>({ en, es, pt });
