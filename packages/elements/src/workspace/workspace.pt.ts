import type { WorkspaceString } from './workspace.strings.js';

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

export default pt;
