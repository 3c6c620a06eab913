import type { ThreadString } from './thread.strings.js';

const pt: Record<ThreadString, string> = {
  more: 'Mais',
  moreLabel: 'Mais ações da conversa',
  snooze: 'Adiar…',
  newDeal: 'Novo negócio…',
  newTask: 'Nova tarefa…',
};

export default pt;
