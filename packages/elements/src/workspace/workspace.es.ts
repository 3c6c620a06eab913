import type { WorkspaceString } from './workspace.strings.js';

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

export default es;
