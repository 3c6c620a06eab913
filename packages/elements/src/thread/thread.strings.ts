import { stringsOf } from '../i18n/strings.js';

const en = {
  more: 'More',
  moreLabel: 'More conversation actions',
  snooze: 'Snooze…',
  newDeal: 'New deal…',
  newTask: 'New task…',
} as const;

export type ThreadString = keyof typeof en;

const es: Record<ThreadString, string> = {
  more: 'Más',
  moreLabel: 'Más acciones de la conversación',
  snooze: 'Posponer…',
  newDeal: 'Nuevo negocio…',
  newTask: 'Nueva tarea…',
};

const pt: Record<ThreadString, string> = {
  more: 'Mais',
  moreLabel: 'Mais ações da conversa',
  snooze: 'Adiar…',
  newDeal: 'Novo negócio…',
  newTask: 'Nova tarefa…',
};

/** The thread's own strings (en/es/pt), beside the shared ones in i18n/strings.ts. */
export const threadString = stringsOf<ThreadString>({ en, es, pt });
